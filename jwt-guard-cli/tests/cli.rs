//! `jwt-guard scan` end to end, on small fixture trees: formats, exit status, walking rules,
//! unreadable input, and that no output ever carries a flagged secret.
#![allow(clippy::unwrap_used)]

mod support;

use jwt_guard_tests::assert_no_leak;
use std::path::Path;

use serde_json::Value;
use support::{assert_valid_sarif, jwt_guard, stderr, stdout, write_tree};

/// The flagged literal: random, so any 8-byte window of it found in an output is a leak.
const SECRET: &str = "Zq8vLp3rTnXw5yKb";

fn auth_rs() -> String {
    format!("pub fn key() -> EncodingKey {{\n    EncodingKey::from_secret(b\"{SECRET}\")\n}}\n")
}

const CLEAN_RS: &[u8] = b"pub fn secret() -> String {\n    std::env::var(\"JWT_SECRET\").expect(\"JWT_SECRET must be set\")\n}\n";

fn json_report(dir: &Path, args: &[&str]) -> (Value, i32) {
    let output = jwt_guard(dir, &[&["scan", "--format", "json"], args].concat());
    let report = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&output), stderr(&output)));
    (report, output.status.code().unwrap())
}

/// The `path`s of the findings, in output order.
fn finding_paths(report: &Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect()
}

#[test]
fn a_clean_tree_exits_0_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[("src/main.rs", CLEAN_RS), ("src/lib.rs", b"")],
    );
    for format in ["human", "json", "sarif"] {
        let output = jwt_guard(dir.path(), &["scan", "--format", format]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: {}",
            stderr(&output)
        );
    }
    let (report, _) = json_report(dir.path(), &[]);
    assert_eq!(report["files_scanned"], 2);
    assert_eq!(report["findings"], Value::Array(vec![]));
}

#[test]
fn findings_exit_1_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("src/auth.rs", auth_rs().as_bytes()),
            ("src/main.rs", CLEAN_RS),
        ],
    );
    for format in ["human", "json", "sarif"] {
        let output = jwt_guard(dir.path(), &["scan", "--format", format]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: {}",
            stderr(&output)
        );
    }
    let human = stdout(&jwt_guard(dir.path(), &["scan"]));
    assert!(
        human.contains("key-literal") && human.contains("src/auth.rs:2:30"),
        "{human}"
    );
    let sarif = stdout(&jwt_guard(dir.path(), &["scan", "--format", "sarif"]));
    let log: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "key-literal");
    assert_valid_sarif(&sarif);
}

#[test]
fn json_follows_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("src/auth.rs", auth_rs().as_bytes()),
            ("src/main.rs", CLEAN_RS),
        ],
    );
    let (report, code) = json_report(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(report["version"], 1);
    assert_eq!(report["files_scanned"], 2);
    assert_eq!(report["suppressed"], 0);
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "key-literal");
    assert_eq!(
        finding["path"], "src/auth.rs",
        "`scan .` reports paths without ./"
    );
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(2), Some(30))
    );
    assert_eq!(finding["severity"], "error");
    assert!(finding["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(report["warnings"], Value::Array(vec![]));
}

#[test]
fn paths_are_as_walked_from_each_argument() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("svc/src/auth.rs", auth_rs().as_bytes()),
            ("other/auth.rs", auth_rs().as_bytes()),
        ],
    );
    let (report, _) = json_report(dir.path(), &["svc", "other/auth.rs"]);
    assert_eq!(finding_paths(&report), ["other/auth.rs", "svc/src/auth.rs"]);
}

#[test]
fn gitignored_sources_are_scanned_since_they_still_ship() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (".gitignore", b"generated/\n"),
            ("generated/keys.rs", auth_rs().as_bytes()),
            ("src/main.rs", CLEAN_RS),
        ],
    );
    let (report, code) = json_report(dir.path(), &[]);
    assert_eq!(
        (code, report["files_scanned"].as_u64()),
        (1, Some(2)),
        "{report}"
    );
    assert_eq!(finding_paths(&report), ["generated/keys.rs"]);
}

#[test]
fn cargo_target_directories_are_skipped_but_a_module_named_target_is_not() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("Cargo.toml", b"[package]\nname = \"x\"\n"),
            (
                "target/CACHEDIR.TAG",
                b"Signature: 8a477f597d28d172789f06886806bc55\n",
            ),
            ("target/debug/build/x-1/out/keys.rs", auth_rs().as_bytes()),
            // Not tagged by cargo: a directory like any other.
            ("lib/target/keys.rs", auth_rs().as_bytes()),
            (
                "nested/target/CACHEDIR.TAG",
                b"Signature: 8a477f597d28d172789f06886806bc55\n",
            ),
            ("nested/target/release/keys.rs", auth_rs().as_bytes()),
            ("src/target/mod.rs", auth_rs().as_bytes()),
        ],
    );
    let (report, _) = json_report(dir.path(), &[]);
    assert_eq!(
        finding_paths(&report),
        ["lib/target/keys.rs", "src/target/mod.rs"]
    );
}

#[test]
fn exclude_globs_skip_matching_paths() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("vendor/dep/src/lib.rs", auth_rs().as_bytes()),
            ("src/gen.generated.rs", auth_rs().as_bytes()),
            ("src/auth.rs", auth_rs().as_bytes()),
        ],
    );
    let (report, _) = json_report(dir.path(), &[]);
    assert_eq!(finding_paths(&report).len(), 3);
    let (report, code) = json_report(
        dir.path(),
        &["--exclude", "vendor", "--exclude", "*.generated.rs"],
    );
    assert_eq!((code, finding_paths(&report)), (1, vec!["src/auth.rs"]));
}

/// A workspace member's policy file reaching a sibling with `..`: its `include` scans
/// the sibling and its `exclude` leaves a part of it out, even when the two reach it by
/// different routes (each path names the directory it reaches, `..` resolved as written);
/// the sibling's other file is the flagged twin.
#[test]
fn policy_paths_with_dot_dot_include_and_exclude_what_they_name() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "crates/api/jwt-guard.toml",
                b"[guard]\ninclude = [\"../../crates/shared\"]\nexclude = [\"../shared/generated\"]\n",
            ),
            ("crates/api/src/main.rs", CLEAN_RS),
            ("crates/shared/generated/keys.rs", auth_rs().as_bytes()),
            ("crates/shared/src/auth.rs", auth_rs().as_bytes()),
        ],
    );
    let (report, code) = json_report(&dir.path().join("crates/api"), &["."]);
    assert_eq!(code, 1, "{report}");
    let paths = finding_paths(&report);
    assert_eq!(paths.len(), 1, "{report}");
    assert!(paths[0].ends_with("shared/src/auth.rs"), "{report}");
}

#[test]
fn an_invalid_exclude_glob_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = jwt_guard(dir.path(), &["scan", "--exclude", "src/[ab"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--exclude `src/[ab`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn test_code_is_scanned_only_with_include_tests() {
    let dir = tempfile::tempdir().unwrap();
    let unit_test = format!("#[cfg(test)]\nmod tests {{\n{}}}\n", auth_rs());
    write_tree(
        dir.path(),
        &[
            ("Cargo.toml", b"[package]\nname = \"x\"\n"),
            ("tests/it.rs", auth_rs().as_bytes()),
            ("src/lib.rs", unit_test.as_bytes()),
            // An out-of-line test module: its file is test code too.
            ("src/parse.rs", b"#[cfg(test)]\nmod tests;\n"),
            ("src/parse/tests.rs", auth_rs().as_bytes()),
        ],
    );
    let (report, code) = json_report(dir.path(), &[]);
    assert_eq!((code, finding_paths(&report)), (0, vec![]), "{report}");
    let (report, code) = json_report(dir.path(), &["--include-tests"]);
    assert_eq!(
        (code, finding_paths(&report)),
        (1, vec!["src/lib.rs", "src/parse/tests.rs", "tests/it.rs"])
    );
    // A tests directory named on the command line is scanned as asked.
    let (report, _) = json_report(dir.path(), &["tests"]);
    assert_eq!(finding_paths(&report), ["tests/it.rs"]);
}

#[test]
fn a_missing_path_is_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("src/auth.rs", auth_rs().as_bytes())]);
    let output = jwt_guard(dir.path(), &["scan", "src", "no/such/dir"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`no/such/dir`: no such file or directory"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        stdout(&output),
        "",
        "nothing is reported when an argument is wrong"
    );
}

#[test]
fn a_usage_error_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["scan", "--format", "xml"][..],
        &["scan", "--no-such-flag"],
        &["frobnicate"],
    ] {
        assert_eq!(
            jwt_guard(dir.path(), args).status.code(),
            Some(2),
            "{args:?}"
        );
    }
}

/// A file this process cannot read: mode 000, or (as root, who reads anything) /proc/self/mem.
#[cfg(target_os = "linux")]
fn unreadable_file(dir: &Path) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("src/locked.rs");
    std::fs::write(&path, auth_rs()).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_err() {
        return "src/locked.rs".into();
    }
    std::fs::remove_file(&path).unwrap();
    "/proc/self/mem".into()
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_and_unreadable_files_warn_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("src/latin1.rs", b"const GREETING: &str = \"caf\xe9\";\n"),
            ("src/auth.rs", auth_rs().as_bytes()),
        ],
    );
    let unreadable = unreadable_file(dir.path());
    let (report, code) = json_report(dir.path(), &[".", &unreadable]);
    assert_eq!(code, 1, "the findings still decide the status: {report}");
    assert_eq!(finding_paths(&report), ["src/auth.rs"]);
    let warned: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["path"].as_str().unwrap())
        .collect();
    assert!(
        warned.contains(&"src/latin1.rs") && warned.contains(&unreadable.as_str()),
        "{report}"
    );

    // Without findings, a file that could not be scanned makes the run exit 2, not 0.
    std::fs::remove_file(dir.path().join("src/auth.rs")).unwrap();
    let output = jwt_guard(dir.path(), &["scan"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("src/latin1.rs"),
        "the human report names the file"
    );
}

#[test]
fn no_output_contains_the_secret_or_any_8_byte_window_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let shapes = format!(
        "const JWT_SECRET: &str = \"{SECRET}\";\n\
         fn a() {{ let _ = EncodingKey::from_secret(b\"{SECRET}\"); }}\n\
         fn b() -> String {{ std::env::var(\"JWT_SECRET\").unwrap_or_else(|_| \"{SECRET}\".into()) }}\n\
         fn c() {{ let _ = DecodingKey::from_secret(\n    r#\"{SECRET}\"#.as_bytes(),\n); }}\n\
         fn d() -> &'static str {{ option_env!(\"JWT_SECRET\").unwrap_or(\"{SECRET}\") }}\n"
    );
    // Not UTF-8: only a warning about it may be printed, none of its text.
    let broken = [
        format!("fn x() {{ EncodingKey::from_secret(b\"{SECRET}").as_bytes(),
        b"\xff\"); }",
    ]
    .concat();
    write_tree(
        dir.path(),
        &[
            ("src/auth.rs", shapes.as_bytes()),
            ("src/broken.rs", &broken),
            ("tests/it.rs", auth_rs().as_bytes()),
        ],
    );
    let mut runs = 0;
    for format in ["human", "json", "sarif"] {
        for extra in [&[][..], &["--include-tests"]] {
            let output = jwt_guard(dir.path(), &[&["scan", "--format", format], extra].concat());
            assert_eq!(output.status.code(), Some(1));
            for (stream, text) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
                let what = format!("{format} {stream}");
                assert_no_leak(&String::from_utf8_lossy(text), SECRET, &what);
            }
            runs += 1;
        }
    }
    assert_eq!(runs, 6);
    let (report, _) = json_report(dir.path(), &[]);
    assert!(
        finding_paths(&report).len() >= 4,
        "every shape is found: {report}"
    );
}

/// Issue 7: a test-only literal on a finding's line, and a secret under
/// `cfg(any(test, debug_assertions))` (compiled into debug builds): found, and no
/// output of any format prints either.
#[test]
fn literals_next_to_a_finding_never_leak_and_debug_only_code_is_scanned() {
    const TEST_ONLY: &str = "Te1aQw9zXcVbNm";
    const LIVE: &str = "Te2bRt8yVbNmQa";
    const DEBUG: &str = "Dv7pLm2vRt9sWk4bNz8c";
    let dir = tempfile::tempdir().unwrap();
    let same_line = format!(
        "#[cfg(test)] const JWT_SECRET: &str = \"{TEST_ONLY}\"; const APP_SECRET: &str = \"{LIVE}\";\n"
    );
    let debug =
        format!("#[cfg(any(test, debug_assertions))]\npub const JWT_SECRET: &str = \"{DEBUG}\";\n");
    write_tree(
        dir.path(),
        &[
            ("src/t.rs", same_line.as_bytes()),
            ("src/x.rs", debug.as_bytes()),
        ],
    );
    let (report, code) = json_report(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(finding_paths(&report), ["src/t.rs", "src/x.rs"]);
    let human = stdout(&jwt_guard(dir.path(), &["scan"]));
    assert!(
        human.contains("const APP_SECRET: &str = \"**************\";"),
        "{human}"
    );
    for format in ["human", "json", "sarif"] {
        for extra in [&[][..], &["--include-tests"]] {
            let output = jwt_guard(dir.path(), &[&["scan", "--format", format], extra].concat());
            assert_eq!(output.status.code(), Some(1));
            for (stream, text) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
                let text = String::from_utf8_lossy(text);
                for secret in [TEST_ONLY, LIVE, DEBUG] {
                    assert_no_leak(&text, secret, &format!("{format} {extra:?} {stream}"));
                }
            }
        }
    }
}
