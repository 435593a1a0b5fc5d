//! A rejected secret shows up nowhere: not in errors (`Display`, `Debug`), not in log
//! records, not on the stderr of a process that refuses to start.
//!
//! That process is this test binary itself, started as a child (`harness = false`, see
//! `jwt_guard_tests::harness`): `load_secret` below is its `main`.
#![allow(clippy::unwrap_used)]

use std::process::ExitCode;

use jwt_guard::SecretPolicy;
use jwt_guard_tests::{assert_no_leak, capture_logs, captured_logs, env, harness};

fn main() -> ExitCode {
    harness::main(
        |_| load_secret(),
        jwt_guard_tests::tests![
            errors_and_log_records_never_hold_the_secret,
            a_rejected_secret_is_logged_as_a_security_warning,
            a_process_with_a_weak_secret_refuses_to_start_without_printing_it,
            a_process_with_a_good_secret_starts,
            a_process_without_a_secret_names_the_variable,
        ],
    )
}

/// The child: loads `JWT_SECRET` the strict way, logging through env_logger.
fn load_secret() {
    env_logger::Builder::new()
        .filter_level(log::LevelFilter::Warn)
        .init();
    let _secret = jwt_guard::JwtSecret::from_env_or_exit();
    println!("secret loaded");
}

/// Rejected for length, words and predictability; no 8-byte window is a denied word,
/// so the messages (which may name the word) must hold none of it.
const WEAK: &[&str] = &[
    "hunter2-admin",
    "my-app-secret-for-signing-tokens",
    "dev_key_0000000000000000000000000000",
    "Pa55w0rd!Pa55w0rd!Pa55w0rd!Pa55w0rd!",
    "a-string-secret-at-least-256-bits-long",
];

fn errors_and_log_records_never_hold_the_secret() {
    capture_logs();
    for (i, secret) in WEAK.iter().enumerate() {
        let var = format!("LEAK_TEST_{i}");
        let error = SecretPolicy::default()
            .load(&var, env(&[(&var, secret)]))
            .unwrap_err();
        assert_no_leak(&error.to_string(), secret, "Display");
        assert_no_leak(&format!("{error:?}"), secret, "Debug");
        assert_no_leak(&format!("{error:#?}"), secret, "pretty Debug");
        assert_no_leak(&error.with_causes(), secret, "with_causes");
        let records: Vec<String> = captured_logs()
            .into_iter()
            .filter(|line| line.contains(&var))
            .collect();
        assert_eq!(records.len(), 1, "{var}: {records:?}");
        assert_no_leak(&records[0], secret, "log record");
    }
}

fn a_rejected_secret_is_logged_as_a_security_warning() {
    capture_logs();
    let _ = SecretPolicy::default().load("LOGGED_SECRET", env(&[("LOGGED_SECRET", "dev")]));
    let _ = SecretPolicy::default().load("LOGGED_MISSING", env(&[]));
    let logs = captured_logs();
    assert!(
        logs.contains(
            &"WARN jwt_guard::security: JWT secret LOGGED_SECRET rejected (rules: too-short, \
          insecure-word, low-diversity); authentication cannot work until it is replaced"
                .to_owned()
        ),
        "{logs:?}"
    );
    assert!(
        logs.contains(
            &"WARN jwt_guard::security: JWT secret unavailable: LOGGED_MISSING is not set. \
          Generate one with: openssl rand -base64 48"
                .to_owned()
        ),
        "{logs:?}"
    );
}

fn run_with(vars: &[(&str, &str)]) -> std::process::Output {
    harness::child("load-secret")
        .env_clear()
        .envs(vars.iter().copied())
        .output()
        .unwrap()
}

fn a_process_with_a_weak_secret_refuses_to_start_without_printing_it() {
    for secret in WEAK {
        let output = run_with(&[("JWT_SECRET", secret)]);
        assert_eq!(output.status.code(), Some(1), "{secret}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stderr.contains("error: JWT_SECRET is rejected: "),
            "{stderr}"
        );
        assert!(
            stderr.contains("Generate one with: openssl rand -base64 48"),
            "{stderr}"
        );
        // env_logger shows the security warning too.
        assert!(stderr.contains("jwt_guard::security"), "{stderr}");
        assert_no_leak(&stderr, secret, "stderr");
        assert_no_leak(&stdout, secret, "stdout");
        assert!(!stdout.contains("secret loaded"));
    }
}

fn a_process_with_a_good_secret_starts() {
    let output = run_with(&[("JWT_SECRET", "Vq3x9LmT2pR8wZ4kN7bF1hJ6cY0sD5gQ")]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "secret loaded\n");
    assert!(output.stderr.is_empty());
}

fn a_process_without_a_secret_names_the_variable() {
    let output = run_with(&[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: JWT_SECRET is not set."), "{stderr}");
}
