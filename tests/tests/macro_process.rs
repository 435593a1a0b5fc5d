//! `demo-service`, a binary configured with `#[jwt_secret_env]` and started with
//! `from_env_or_exit()`, run with its own environment: it refuses a bad `JWT_SECRET`
//! with a clear message that never reveals the secret, and starts with a good one.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

const DEMO: &str = env!("CARGO_BIN_EXE_demo-service");
const GOOD: &str = "OL8dKLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7D";

fn run(vars: &[(&str, &str)]) -> (Output, String, String) {
    let output = Command::new(DEMO)
        .env_clear()
        .envs(vars.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    (output, stdout, stderr)
}

/// Fails when `text` holds any 8-byte window of `secret` (or all of a shorter one).
fn assert_hides(text: &str, secret: &str) {
    let size = secret.len().min(8);
    for window in secret.as_bytes().windows(size) {
        assert!(
            !text.as_bytes().windows(size).any(|part| part == window),
            "output reveals part of the secret: {text}"
        );
    }
}

#[test]
fn starts_with_a_good_secret() {
    let (output, stdout, stderr) = run(&[("JWT_SECRET", GOOD), ("PORT", "9000")]);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("listening on port 9000"), "{stdout}");
    assert_hides(&stdout, GOOD);
    assert_hides(&stderr, GOOD);
}

#[test]
fn a_default_fills_an_unset_variable() {
    let (output, stdout, _) = run(&[("JWT_SECRET", GOOD)]);
    assert!(output.status.success());
    assert!(stdout.contains("listening on port 8080"), "{stdout}");
}

#[test]
fn refuses_a_weak_secret_and_says_why_without_revealing_it() {
    for (secret, reason) in [
        (
            "Zq4Lw9Tn2Vx7Rb5M",
            "too short (16 bytes, at least 32 required)",
        ),
        (
            "Zq4Lw9Tn2Vx7Rb5Mc8Hp3Ja6Fs1Gd0EkDemo",
            "contains the insecure word \"demo\"",
        ),
        ("your-256-bit-secret", "too short"),
        ("abcdabcdabcdabcdabcdabcdabcdabcdabcd", "too predictable"),
        (
            " OL8dKLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7D ",
            "whitespace",
        ),
    ] {
        let (output, stdout, stderr) = run(&[("JWT_SECRET", secret)]);
        assert_eq!(output.status.code(), Some(1), "{secret:?} was accepted");
        assert!(stdout.is_empty(), "the service started: {stdout}");
        assert!(stderr.contains("JWT_SECRET is rejected: "), "{stderr}");
        assert!(stderr.contains(reason), "{reason:?} missing from {stderr}");
        assert!(
            stderr.contains("Generate one with: openssl rand -base64 48"),
            "{stderr}"
        );
        assert_hides(&stderr, secret.trim());
    }
}

#[test]
fn refuses_to_start_without_a_secret() {
    let (output, stdout, stderr) = run(&[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout.is_empty());
    assert!(stderr.contains("JWT_SECRET is not set"), "{stderr}");
}

#[test]
fn reports_every_problem_at_once() {
    let secret = "Zq4Lw9Tn2Vx7Rb5M";
    let (output, _, stderr) = run(&[
        ("JWT_SECRET", secret),
        ("PORT", "eighty"),
        ("ISSUER", "auth.example"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("2 configuration problems"), "{stderr}");
    assert!(stderr.contains("JWT_SECRET is rejected"), "{stderr}");
    assert!(
        stderr.contains("failed to parse environment variable PORT into field `port`"),
        "{stderr}"
    );
    assert_hides(&stderr, secret);
}
