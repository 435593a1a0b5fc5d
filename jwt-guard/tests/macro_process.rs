//! A service configured with `#[jwt_secret_env]` and started with `from_env_or_exit()`,
//! run with its own environment: it refuses a bad `JWT_SECRET` with a clear message that
//! never reveals the secret, and starts with a good one.
//!
//! The service is this test binary itself, started as a child (`harness = false`, see
//! `jwt_guard_tests::harness`): `demo_service` below is its `main`.
#![allow(clippy::unwrap_used)]

use std::process::{ExitCode, Output};

use jwt_guard::{JwtSecret, jwt_secret_env};
use jwt_guard_tests::{assert_no_leak, harness};

const GOOD: &str = "OL8dKLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7D";

fn main() -> ExitCode {
    harness::main(
        |_| demo_service(),
        jwt_guard_tests::tests![
            starts_with_a_good_secret,
            a_default_fills_an_unset_variable,
            refuses_a_weak_secret_and_says_why_without_revealing_it,
            refuses_to_start_without_a_secret,
            reports_every_problem_at_once,
        ],
    )
}

#[jwt_secret_env]
#[derive(Debug)]
struct Config {
    jwt_secret: JwtSecret,
    #[env(var = "PORT", default = "8080")]
    port: u16,
    /// Optional: when unset, tokens carry no issuer.
    issuer: Option<String>,
}

/// The child: refuses to start when `JWT_SECRET` is missing or weak, and says which
/// variable and which rule, never the value.
fn demo_service() {
    let config = Config::from_env_or_exit();
    // A real service would build its HMAC key here.
    let key: &[u8] = config.jwt_secret.expose_secret();
    let issuer = config.issuer.as_deref().unwrap_or("(none)");
    println!(
        "listening on port {} (issuer {issuer}, key loaded: {})",
        config.port,
        !key.is_empty()
    );
    println!("{config:?}");
}

fn run(vars: &[(&str, &str)]) -> (Output, String, String) {
    let output = harness::child("demo-service")
        .env_clear()
        .envs(vars.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    (output, stdout, stderr)
}

fn starts_with_a_good_secret() {
    let (output, stdout, stderr) = run(&[("JWT_SECRET", GOOD), ("PORT", "9000")]);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("listening on port 9000"), "{stdout}");
    assert_no_leak(&stdout, GOOD, "stdout");
    assert_no_leak(&stderr, GOOD, "stderr");
}

fn a_default_fills_an_unset_variable() {
    let (output, stdout, _) = run(&[("JWT_SECRET", GOOD)]);
    assert!(output.status.success());
    assert!(stdout.contains("listening on port 8080"), "{stdout}");
}

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
        assert_no_leak(&stderr, secret.trim(), "stderr");
    }
}

fn refuses_to_start_without_a_secret() {
    let (output, stdout, stderr) = run(&[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout.is_empty());
    assert!(stderr.contains("JWT_SECRET is not set"), "{stderr}");
}

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
    assert_no_leak(&stderr, secret, "stderr");
}
