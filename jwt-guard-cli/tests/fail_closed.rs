//! `jwt-guard scan` fails closed: what it cannot read, fit under a limit or make sense of
//! is exit 2, never a quiet "clean"; it never hangs on special files, never repeats a
//! finding, never prints a file name raw, and walks exactly as the build guard does.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::time::Duration;

use jwt_guard_tests::assert_no_leak;
use support::{jwt_guard, jwt_guard_within, stderr, stdout, write_tree};

const SECRET: &str = "Hv4nQx8sLm2pRt6w";

fn auth_rs() -> String {
    format!("pub fn key() -> EncodingKey {{\n    EncodingKey::from_secret(b\"{SECRET}\")\n}}\n")
}

const LIMIT: Duration = Duration::from_secs(20);

#[test]
fn an_empty_or_blank_exclude_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("src/auth.rs", auth_rs().as_bytes())]);
    for glob in ["", " ", "\t"] {
        let output = jwt_guard(dir.path(), &["scan", "--exclude", glob]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{glob:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("--exclude needs a glob"),
            "{}",
            stderr(&output)
        );
        assert_eq!(stdout(&output), "");
    }
    // The twin: a real glob excludes only what it matches.
    let output = jwt_guard(dir.path(), &["scan", "--exclude", "*.md"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_file_over_the_size_limit_is_exit_2_and_the_limit_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("src/big.rs", &[b' '; 2048])]);
    let output = jwt_guard(dir.path(), &["scan", "--max-file-size", "1024"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("cannot scan src/big.rs"),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("1 error"), "{}", stdout(&output));
    let output = jwt_guard(dir.path(), &["scan", "--max-file-size", "4096"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let output = jwt_guard(
        dir.path(),
        &["scan", "--max-file-size", "1024", "--exclude", "big.rs"],
    );
    assert_eq!(output.status.code(), Some(0), "excluded explicitly");
}

#[cfg(unix)]
#[test]
fn special_files_named_or_found_are_exit_2_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("src/ok.rs", b"fn ok() {}\n")]);
    let mkfifo = |name: &str| {
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join(name))
            .status()
            .unwrap();
        assert!(made.success());
    };
    mkfifo("pipe");
    mkfifo("src/pipe.rs");
    for args in [
        &["scan", "pipe"][..],
        &["scan", "/dev/zero"],
        &["scan", "/dev/null"],
        &["scan", "src"],
    ] {
        let output = jwt_guard_within(dir.path(), args, LIMIT);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stdout(&output)
        );
        assert!(
            stdout(&output).contains("not a regular file"),
            "{}",
            stdout(&output)
        );
        assert!(!stdout(&output).contains("0 errors"), "{}", stdout(&output));
    }
}

#[test]
fn control_characters_in_file_names_are_escaped_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let forged =
        "src/x\njwt-guard: 9 files scanned, 0 findings, 0 suppressed, 0 errors\n\u{1b}[2J.rs";
    write_tree(dir.path(), &[(forged, auth_rs().as_bytes())]);
    let output = jwt_guard(dir.path(), &["scan"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(!out.contains('\u{1b}'), "{out}");
    assert!(
        out.lines().filter(|l| l.starts_with("jwt-guard:")).count() == 1,
        "only the real summary starts a line: {out}"
    );
    assert!(out.contains(r"src/x\njwt-guard: 9 files"), "{out}");
    assert_no_leak(&out, SECRET, "human output");
}

#[test]
fn a_file_named_twice_is_scanned_and_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("base/a.rs", auth_rs().as_bytes())]);
    let output = jwt_guard(
        dir.path(),
        &["scan", "--format", "json", "base", "base/a.rs", "./base"],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["files_scanned"], 1);
}

#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_is_exit_2_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("src/auth.rs", auth_rs().as_bytes())]);
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_jwt-guard"))
        .arg("scan")
        .current_dir(dir.path())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot write the report"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("panicked"));
}

/// The build guard and the CLI agree on every file of a package: the one walker.
#[test]
fn the_build_guard_and_the_cli_find_the_same_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let secret = auth_rs();
    write_tree(
        dir.path(),
        &[
            ("Cargo.toml", b"[package]\nname = \"p\"\n"),
            ("build.rs", b"fn main() {}\n"),
            (
                "src/lib.rs",
                b"mod target;\nmod tests;\n#[path = \".gen/keys.rs\"]\nmod keys;\n",
            ),
            ("src/target/mod.rs", secret.as_bytes()),
            ("src/tests/mod.rs", secret.as_bytes()),
            ("src/.gen/keys.rs", secret.as_bytes()),
            ("src/ignored.rs", secret.as_bytes()),
            ("src/.gitignore", b"ignored.rs\n"),
            ("src/unit.rs", secret.as_bytes()),
            ("src/main.rs", b"#[cfg(test)]\nmod unit;\n"),
        ],
    );
    let guard = jwt_guard::build::Guard::new().root(dir.path()).run();
    let mut from_guard: Vec<(String, usize)> = guard
        .findings
        .iter()
        .map(|f| (f.path.display().to_string(), f.line))
        .collect();
    from_guard.sort();
    let output = jwt_guard(dir.path(), &["scan", "--format", "json", "src", "build.rs"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let mut from_cli: Vec<(String, usize)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    from_cli.sort();
    assert_eq!(from_guard, from_cli);
    let paths: Vec<&str> = from_cli.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "src/.gen/keys.rs",
            "src/ignored.rs",
            "src/target/mod.rs",
            "src/tests/mod.rs"
        ]
    );
    assert!(Path::new(&dir.path().join("src/unit.rs")).exists());
}
