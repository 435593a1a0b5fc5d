#![allow(clippy::unwrap_used)]

use super::{discover, from_path};
use jwt_guard_policy::file::*;
use std::fs;
use std::path::PathBuf;

fn package(manifest_tail: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = format!("[package]\nname = \"svc\"\nversion = \"0.1.0\"\n\n{manifest_tail}");
    fs::write(tmp.path().join("Cargo.toml"), manifest).unwrap();
    tmp
}

/// The problems of the package's policy, as `line key: message`.
fn problems(manifest_tail: &str) -> Vec<String> {
    let tmp = package(manifest_tail);
    match discover(tmp.path()) {
        Ok(policy) => panic!("accepted: {policy:?}"),
        Err(error) => error
            .problems()
            .iter()
            .map(|p| {
                assert_eq!(p.location.file, tmp.path().join("Cargo.toml"));
                format!(
                    "{} {}: {}",
                    p.location.line,
                    p.key.as_deref().unwrap_or("-"),
                    p.message
                )
            })
            .collect(),
    }
}

const FULL: &str = r#"[package.metadata.jwt-guard]
alg = "HS384"
min-len = 50
deny = ["Acme"]

[package.metadata.jwt-guard.secrets.AUTH_KEY]
alg = "HS512"
deny = ["billing"]

[package.metadata.jwt-guard.guard]
include = ["examples"]
exclude = ["src/generated.rs"]
include-tests = true
max-file-size = 1000

[[package.metadata.jwt-guard.exceptions]]
path = "src/fixtures.rs"
rule = "secret-binding"
line = 12
reason = "public RFC 7515 test vector"
expires = 2030-12-31

[[package.metadata.jwt-guard.exceptions]]
path = "src/other.rs"
rule = "key-literal"
fingerprint = "0123456789abcdef"
reason = "documented sample"
"#;

#[test]
fn reads_every_key() {
    let tmp = package(FULL);
    let policy = discover(&tmp.path().join("src/deeper")).unwrap();
    assert!(policy.is_declared());
    assert_eq!(policy.sources, [tmp.path().join("Cargo.toml")]);
    let default = policy.requirement("JWT_SECRET");
    assert_eq!(
        (default.alg, default.min_len, default.deny.clone()),
        (Alg::HS384, 50, vec!["acme".to_owned()])
    );
    let auth = policy.requirement("AUTH_KEY");
    assert_eq!((auth.alg, auth.min_len), (Alg::HS512, 64));
    assert_eq!(auth.deny, ["acme", "billing"]);
    assert_eq!(policy.declared_vars().collect::<Vec<_>>(), ["AUTH_KEY"]);
    assert_eq!(policy.guard.include, [tmp.path().join("examples")]);
    assert_eq!(policy.guard.exclude, [tmp.path().join("src/generated.rs")]);
    assert_eq!(
        (policy.guard.include_tests, policy.guard.max_file_size),
        (Some(true), Some(1000))
    );
    let [with_expiry, without] = &policy.exceptions[..] else {
        panic!()
    };
    assert_eq!(with_expiry.path, tmp.path().join("src/fixtures.rs"));
    assert_eq!(
        (with_expiry.line, with_expiry.expires),
        (Some(12), Date::new(2030, 12, 31))
    );
    assert_eq!(with_expiry.declared_at.line, 21);
    assert_eq!(without.fingerprint.as_deref(), Some("0123456789abcdef"));
    assert_eq!(without.expires, None);
}

/// The policy is read as TOML writes it: dotted and quoted keys, inline tables, integers
/// with `_` or in hex, `expires` as a TOML date or a string; a number past `u64` is refused.
#[test]
fn reads_the_toml_ways_of_writing_a_policy() {
    let tmp = package(
        r#"metadata."jwt-guard".min-len = 0x40
metadata.jwt-guard.guard = { max-file-size = 1_000_000 }

[[package.metadata.jwt-guard.exceptions]]
path = 'src/a.rs'
rule = """
secret-binding"""
line = 3
reason = "r"
expires = 2027-01-01

[[package.metadata.jwt-guard.exceptions]]
path = "src/b.rs"
rule = "secret-binding"
line = 4
reason = "r"
expires = "2027-01-01"
"#,
    );
    let policy = discover(tmp.path()).unwrap();
    assert_eq!(policy.requirement("JWT_SECRET").min_len, 64);
    assert_eq!(policy.guard.max_file_size, Some(1_000_000));
    let [a, b] = &policy.exceptions[..] else {
        panic!("{:?}", policy.exceptions)
    };
    assert_eq!(
        (a.rule.as_str(), a.expires),
        ("secret-binding", Date::new(2027, 1, 1))
    );
    assert_eq!(a.expires, b.expires);

    let table = "[package.metadata.jwt-guard.guard]\nmax-file-size = ";
    let tmp = package(&format!("{table}18446744073709551615\n"));
    assert_eq!(
        discover(tmp.path()).unwrap().guard.max_file_size,
        Some(u64::MAX)
    );
    assert_eq!(
        problems(&format!("{table}18446744073709551616\n")),
        [
            "6 package.metadata.jwt-guard.guard.max-file-size: expected a whole number of bytes, 0 or more"
        ]
    );
}

#[test]
fn an_exception_expires_after_its_last_day() {
    let tmp = package(FULL);
    let policy = discover(tmp.path()).unwrap();
    let exception = &policy.exceptions[0];
    assert!(!exception.is_expired(Date::new(2030, 12, 31).unwrap()));
    assert!(exception.is_expired(Date::new(2031, 1, 1).unwrap()));
    assert!(!policy.exceptions[1].is_expired(Date::new(9999, 1, 1).unwrap()));
}

#[test]
fn no_manifest_or_no_table_is_the_built_in_policy() {
    let tmp = package("[dependencies]\n");
    let policy = discover(tmp.path()).unwrap();
    assert!(!policy.is_declared());
    assert_eq!(
        policy.requirement("JWT_SECRET"),
        SecretRequirement::default()
    );
}

#[test]
fn a_loosening_is_an_error_not_an_override() {
    assert_eq!(
        problems("[package.metadata.jwt-guard]\nmin-len = 16\n"),
        [
            "6 package.metadata.jwt-guard.min-len: 16 is below the built-in minimum of 32 bytes (RFC 7518 §3.2); a policy can only make the rules stricter"
        ]
    );
    let found = problems(
        "[package.metadata.jwt-guard]\nalg = \"HS512\"\n[package.metadata.jwt-guard.secrets.JWT_SECRET]\nalg = \"HS256\"\nmin-len = 40\n",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("8 package.metadata.jwt-guard.secrets.JWT_SECRET.alg: HS256 is weaker than the HS512 required by `package.metadata.jwt-guard.alg`"), "{found:?}");
    assert!(
        found[1].starts_with(
            "9 package.metadata.jwt-guard.secrets.JWT_SECRET.min-len: 40 is below the 64 bytes"
        ),
        "{found:?}"
    );
    assert_eq!(
        problems("[package.metadata.jwt-guard]\nalg = \"HS384\"\nmin-len = 40\n"),
        [
            "7 package.metadata.jwt-guard.min-len: 40 is below the 48 bytes `alg = \"HS384\"` requires; raise it or remove it"
        ]
    );
}

#[test]
fn every_malformed_value_names_its_line_and_key() {
    let cases: &[(&str, &str)] = &[
        (
            "colour = \"red\"",
            "6 package.metadata.jwt-guard.colour: unknown key; expected one of `alg`, `min-len`, `deny`, `secrets`, `guard`, `exceptions`",
        ),
        ("min_len = 64", "did you mean `min-len`? (keys use dashes)"),
        (
            "min-len = \"64\"",
            "6 package.metadata.jwt-guard.min-len: expected an integer without quotes, found string",
        ),
        ("min-len = -64", "expected a whole number of bytes"),
        ("alg = \"HS1024\"", "unknown algorithm \"HS1024\""),
        ("alg = 256", "expected a string, found integer"),
        (
            "deny = [\"acme\", \" \"]",
            "6 package.metadata.jwt-guard.deny: an empty word would reject every secret",
        ),
        ("deny = 7", "expected an array of strings, found integer"),
        (
            "secrets = [\"JWT_SECRET\"]",
            "package.metadata.jwt-guard.secrets: expected a table, found array",
        ),
        (
            "secrets.JWT_SECRET.min_len = 64",
            "secrets.JWT_SECRET.min_len: unknown key; expected one of `alg`, `min-len`, `deny`",
        ),
        ("secrets.\"A=B\" = {}", "not an environment variable name"),
        (
            "guard.include-tests = \"yes\"",
            "guard.include-tests: expected true or false, found string",
        ),
        (
            "guard.exclude = [\"/etc\"]",
            "give a path relative to the directory of this file",
        ),
        (
            "guard.include = [\"\"]",
            "an empty path would match everything",
        ),
        ("guard.max-file-size = 0", "0 bytes would refuse every file"),
        (
            "guard.paths = []",
            "guard.paths: unknown key; expected one of `include`, `exclude`",
        ),
        ("exceptions = {}", "exceptions: expected an array of tables"),
        (
            "exceptions = [{ path = \"src/a.rs\", rule = \"key-literal\", line = 3 }]",
            "exceptions[0].reason: missing",
        ),
        (
            "exceptions = [{ path = \"src/a.rs\", rule = \"key-literal\", reason = \"r\" }]",
            "exceptions[0].line: missing; an exception covers one finding",
        ),
        (
            "exceptions = [{ path = \"src/a.rs\", rule = \"key-literal\", reason = \"r\", line = 3, fingerprint = \"0123456789abcdef\" }]",
            "give `line` or `fingerprint`, not both",
        ),
        (
            "exceptions = [{ path = \"src/a.rs\", rule = \"key-literal\", reason = \"r\", line = 0 }]",
            "lines count from 1",
        ),
        (
            "exceptions = [{ path = \"src/a.rs\", rule = \"key-literal\", reason = \" \", line = 3 }]",
            "needs a reason a reviewer can check",
        ),
        (
            "exceptions = [{ path = \"src/a.rs\", rule = \"key-literal\", reason = \"r\", fingerprint = \"XYZ\" }]",
            "16 lower-case hex digits",
        ),
        (
            "exceptions = [{ path = \"src/a.rs\", rule = \"key-literal\", reason = \"r\", line = 3, expires = \"2026-02-30\" }]",
            "exceptions[0].expires: expected a date",
        ),
        (
            "exceptions = [{ path = \"src/a.rs\", rule = \"key-literal\", reason = \"r\", line = 3, expires = 2026-01-01T10:00:00 }]",
            "expected a date",
        ),
        (
            "exceptions = [{ path = \"src/a.rs\", rule = \"key-literal\", reason = \"r\", line = 3, until = 2026-01-01 }]",
            "exceptions[0].until: unknown key",
        ),
    ];
    for (line, expected) in cases {
        let found = problems(&format!("[package.metadata.jwt-guard]\n{line}\n"));
        assert!(
            found.len() == 1 && found[0].contains(expected),
            "{line}:\n{found:#?}"
        );
        assert!(found[0].starts_with("6 "), "{line}: {found:?}");
    }
}

#[test]
fn a_syntax_error_names_its_line() {
    let found = problems("[package.metadata.jwt-guard]\nmin-len = = 64\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("6 -: not valid TOML"), "{found:?}");
    let tmp = package("");
    fs::write(
        tmp.path().join("Cargo.toml"),
        b"[package]\nname = \"\xff\"\n",
    )
    .unwrap();
    let error = discover(tmp.path()).unwrap_err().to_string();
    assert!(error.ends_with("Cargo.toml: not valid UTF-8"), "{error}");
}

fn workspace(root_tail: &str, member_tail: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("Cargo.toml"),
        format!("[workspace]\nmembers = [\"svc\"]\n\n{root_tail}"),
    )
    .unwrap();
    let member = tmp.path().join("svc");
    fs::create_dir_all(&member).unwrap();
    fs::write(
        member.join("Cargo.toml"),
        format!("[package]\nname = \"svc\"\nversion = \"0.1.0\"\n\n{member_tail}"),
    )
    .unwrap();
    (tmp, member)
}

#[test]
fn a_package_inherits_its_workspace_and_may_tighten_it() {
    let (tmp, member) = workspace(
        "[workspace.metadata.jwt-guard]\nalg = \"HS384\"\ndeny = [\"acme\"]\nguard.include-tests = true\n",
        "[package.metadata.jwt-guard]\nmin-len = 60\ndeny = [\"billing\"]\n",
    );
    let policy = discover(&member).unwrap();
    assert_eq!(
        policy.sources,
        [member.join("Cargo.toml"), tmp.path().join("Cargo.toml")]
    );
    let requirement = policy.requirement("JWT_SECRET");
    assert_eq!((requirement.alg, requirement.min_len), (Alg::HS384, 60));
    assert_eq!(requirement.deny, ["acme", "billing"]);
    assert_eq!(policy.guard.include_tests, Some(true));
    // Without a table of its own, the package has the workspace's.
    let (_tmp, member) = workspace("[workspace.metadata.jwt-guard]\nmin-len = 40\n", "");
    assert_eq!(discover(&member).unwrap().requirement("X").min_len, 40);
}

#[test]
fn a_package_cannot_loosen_its_workspace() {
    let (tmp, member) = workspace(
        "[workspace.metadata.jwt-guard]\nalg = \"HS512\"\nguard.include-tests = true\n",
        "[package.metadata.jwt-guard]\nalg = \"HS256\"\nmin-len = 48\nguard.include-tests = false\n",
    );
    let error = discover(&member).unwrap_err();
    let found: Vec<String> = error.problems().iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 3, "{found:#?}");
    let root = tmp.path().join("Cargo.toml").display().to_string();
    assert!(found[0].contains("svc/Cargo.toml:6:7: `package.metadata.jwt-guard.alg`: HS256 is weaker than the HS512 required by `workspace.metadata.jwt-guard.alg`"), "{found:#?}");
    assert!(found[0].contains(&format!("({root}:5:7)")), "{found:#?}");
    assert!(
        found[1].contains("`package.metadata.jwt-guard.min-len`: 48 is below the 64 bytes"),
        "{found:#?}"
    );
    assert!(
        found[2].contains("`package.metadata.jwt-guard.guard.include-tests`: turns off what"),
        "{found:#?}"
    );
}

#[test]
fn an_excluded_package_inherits_nothing() {
    let (tmp, member) = workspace(
        "exclude = [\"svc\"]\n[workspace.metadata.jwt-guard]\nmin-len = 40\n",
        "",
    );
    // `exclude` belongs to [workspace]: rewrite the root with it there.
    fs::write(
        tmp.path().join("Cargo.toml"),
        "[workspace]\nexclude = [\"svc\"]\n\n[workspace.metadata.jwt-guard]\nmin-len = 40\n",
    )
    .unwrap();
    assert!(!discover(&member).unwrap().is_declared());
}

#[test]
fn a_stand_alone_file_serves_non_rust_users_and_cannot_duplicate_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join(STANDALONE_FILE),
        "alg = \"HS512\"\n[secrets.AUTH_KEY]\nmin-len = 70\n",
    )
    .unwrap();
    let policy = discover(tmp.path()).unwrap();
    assert_eq!(policy.requirement("AUTH_KEY").min_len, 70);
    assert_eq!(policy.requirement("JWT_SECRET").alg, Alg::HS512);
    fs::write(tmp.path().join(STANDALONE_FILE), "min-len = 8\n").unwrap();
    let error = from_path(&tmp.path().join(STANDALONE_FILE))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("jwt-guard.toml:1:11: `min-len`: 8 is below the built-in minimum"),
        "{error}"
    );

    let tmp = package("[package.metadata.jwt-guard]\nmin-len = 40\n");
    fs::write(tmp.path().join(STANDALONE_FILE), "min-len = 50\n").unwrap();
    let error = discover(tmp.path()).unwrap_err().to_string();
    assert!(
        error.contains("also declared in `[package.metadata.jwt-guard]`"),
        "{error}"
    );
}

#[test]
fn an_explicit_manifest_must_exist() {
    let tmp = tempfile::tempdir().unwrap();
    let error = from_path(&tmp.path().join("Cargo.toml"))
        .unwrap_err()
        .to_string();
    assert!(error.ends_with("Cargo.toml: no such file"), "{error}");
    // Something that is there but is no file is named for what it is.
    fs::create_dir(tmp.path().join("Cargo.toml")).unwrap();
    let error = from_path(&tmp.path().join("Cargo.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        error.ends_with("Cargo.toml: a directory, not a regular file"),
        "{error}"
    );
}

/// Paths climbing out of the file's directory name what they reach, as the walk names it:
/// `../shared` from a workspace member is the sibling, not a path that matches nothing.
#[test]
fn paths_are_joined_with_dots_resolved_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let member = tmp.path().join("crates/api");
    std::fs::create_dir_all(&member).unwrap();
    std::fs::write(
        member.join("jwt-guard.toml"),
        "[guard]\ninclude = [\"../shared\"]\nexclude = [\"./src/../generated\", \"../shared/fixtures\"]\n\n\
         [[exceptions]]\npath = \"../shared/keys.rs\"\nrule = \"key-literal\"\nline = 1\nreason = \"sample\"\n",
    )
    .unwrap();
    let policy = discover(&member).unwrap();
    let crates = tmp.path().join("crates");
    assert_eq!(policy.guard.include, [crates.join("shared")]);
    assert_eq!(
        policy.guard.exclude,
        [member.join("generated"), crates.join("shared/fixtures")]
    );
    assert_eq!(policy.exceptions[0].path, crates.join("shared/keys.rs"));
}

/// A FIFO or a device where the policy file was is refused at once: the file is opened
/// without blocking and the open handle checked, so no swap after `is_file` saw a file
/// can hang a build on a pipe with no writer.
#[cfg(unix)]
#[test]
fn a_special_file_in_the_manifests_place_is_refused_without_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("jwt-guard.toml");
    jwt_guard_tests::mkfifo(&fifo);
    for (path, kind) in [
        (fifo, "a FIFO (named pipe)"),
        (PathBuf::from("/dev/zero"), "a device"),
    ] {
        let error = jwt_guard_tests::within(jwt_guard_tests::DEADLINE, move || {
            crate::find::read(&path).unwrap_err().to_string()
        });
        assert!(
            error.ends_with(&format!("{kind}, not a regular file")),
            "{error}"
        );
    }
}
