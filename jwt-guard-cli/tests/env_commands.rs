//! `jwt-guard check-env` and `jwt-guard generate`, run as a real binary with its own
//! environment (never `set_var`).
#![allow(clippy::unwrap_used)]

use jwt_guard_tests::leaks;
use std::process::{Command, Output};

const GOOD: &str = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";

/// Runs `jwt-guard ARGS` with exactly `vars` in its environment.
fn run(args: &[&str], vars: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jwt-guard"))
        .args(args)
        .env_clear()
        .envs(vars.iter().copied())
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn generate(args: &[&str]) -> String {
    let output = run(&[&["generate"], args].concat(), &[]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(output.stderr.is_empty(), "{}", text(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let secret = stdout.strip_suffix('\n').unwrap().to_owned();
    assert!(
        !secret.contains(char::is_whitespace),
        "only the secret: {stdout:?}"
    );
    secret
}

#[test]
fn check_env_accepts_a_good_secret() {
    let output = run(&["check-env"], &[("JWT_SECRET", GOOD)]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let text = text(&output);
    assert!(text.starts_with("JWT_SECRET (HS256): valid\n"), "{text}");
    assert_eq!(text.matches("  pass  ").count(), 7, "{text}");
    assert!(!leaks(GOOD, &text, 5), "{text}");
}

#[test]
fn check_env_lists_failed_rules_and_exits_1_without_the_value() {
    let weak = "Zq8Wm3Vx-admin-Tr5Yh2Nb-77";
    let output = run(&["check-env"], &[("JWT_SECRET", weak)]);
    assert_eq!(output.status.code(), Some(1));
    let text = text(&output);
    assert!(text.contains("FAIL  too-short"), "{text}");
    assert!(
        text.contains("FAIL  insecure-word      contains the insecure word \"admin\""),
        "{text}"
    );
    assert!(text.contains("pass  known-public"), "{text}");
    assert!(text.contains("invalid: start-up would refuse"), "{text}");
    assert!(
        !leaks("Zq8Wm3Vx-", &text, 5) && !leaks("-Tr5Yh2Nb-77", &text, 5),
        "{text}"
    );
}

#[test]
fn check_env_reads_the_file_variable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jwt");
    std::fs::write(&path, format!("{GOOD}\n")).unwrap();
    let file = path.to_str().unwrap();
    let output = run(&["check-env"], &[("JWT_SECRET_FILE", file)]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(text(&output).starts_with("JWT_SECRET_FILE (HS256): valid"));
    // Both set: ambiguous, as at start-up.
    let output = run(
        &["check-env"],
        &[("JWT_SECRET_FILE", file), ("JWT_SECRET", GOOD)],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).contains("both JWT_SECRET and JWT_SECRET_FILE are set"));
    // A directory.
    let output = run(
        &["check-env"],
        &[("JWT_SECRET_FILE", dir.path().to_str().unwrap())],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("is a directory"),
        "{}",
        text(&output)
    );
}

#[test]
fn check_env_reads_a_systemd_credential() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("JWT_SECRET"), GOOD).unwrap();
    let output = run(
        &["check-env"],
        &[("CREDENTIALS_DIRECTORY", dir.path().to_str().unwrap())],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(text(&output).starts_with("CREDENTIALS_DIRECTORY/JWT_SECRET (HS256): valid"));
}

#[test]
fn check_env_reports_a_missing_secret() {
    let output = run(&["check-env"], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("cannot be loaded: JWT_SECRET is not set"),
        "{}",
        text(&output)
    );
}

#[test]
fn check_env_honours_var_and_alg() {
    let output = run(&["check-env", "--var", "APP_KEY"], &[("APP_KEY", GOOD)]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let output = run(&["check-env", "--alg", "HS512"], &[("JWT_SECRET", GOOD)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).contains("too short (44 bytes, at least 64 required)"));
}

#[test]
fn check_env_applies_the_service_policy() {
    let output = run(&["check-env", "--min-len", "40"], &[("JWT_SECRET", GOOD)]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(text(&output).contains("too-short          at least 40 bytes"));
    let output = run(&["check-env", "--min-len", "50"], &[("JWT_SECRET", GOOD)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).contains("too short (44 bytes, at least 50 required)"));
    let output = run(
        &["check-env", "--deny", "acme", "--deny", "SBJT"],
        &[("JWT_SECRET", GOOD)],
    );
    assert_eq!(output.status.code(), Some(1));
    let text = text(&output);
    assert!(
        text.contains("FAIL  insecure-word      contains the insecure word \"sbjt\""),
        "{text}"
    );
    assert!(!text.contains("\"acme\""), "{text}");
    // A minimum below the floor changes nothing: a policy only gets stricter.
    let output = run(
        &["check-env", "--min-len", "8"],
        &[("JWT_SECRET", "Zq8Wm3Vx")],
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn check_env_checks_the_previous_secret() {
    let vars = [
        ("JWT_SECRET", GOOD),
        ("JWT_SECRET_PREVIOUS", "short-and-weak"),
    ];
    let output = run(&["check-env"], &vars);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).contains("JWT_SECRET_PREVIOUS (HS256): rejected"));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["check-env", "--alg", "RS256"][..],
        &["check-env", "--bogus"],
        &["check-env", "--var", ""],
        &["check-env", "--var", "A=B"],
        &["generate", "--format", "base32"],
        &["generate", "--alg", "none"],
    ] {
        let output = run(args, &[]);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
    }
}

#[test]
fn generate_prints_only_a_secret_that_check_env_accepts() {
    for (alg, format, len) in [
        ("HS256", "base64", 44),
        ("HS384", "base64url", 64),
        ("HS512", "hex", 128),
    ] {
        let secret = generate(&["--alg", alg, "--format", format]);
        assert_eq!(secret.len(), len, "{alg} {format}");
        let output = run(&["check-env", "--alg", alg], &[("JWT_SECRET", &secret)]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    }
}

#[test]
fn generate_defaults_to_hs256_base64_and_never_repeats() {
    let a = generate(&[]);
    let b = generate(&[]);
    assert_eq!(a.len(), 44);
    assert_ne!(a, b);
}
