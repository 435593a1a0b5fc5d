//! Start-up fails closed: a process that loads its secret with `from_env_or_exit`
//! never panics, never blocks on a special file, and never prints a secret set in the
//! wrong variable. Each child runs with its own environment and a deadline.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};

/// `load-secret` (env_logger at warn, then `JwtSecret::from_env_or_exit`) with exactly
/// `vars` in its environment.
fn load_secret(vars: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_load-secret"));
    command.env_clear().envs(vars.iter().copied());
    command
}

#[cfg(target_os = "linux")]
#[test]
fn an_error_that_cannot_be_written_still_exits_1() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut command = load_secret(&[]);
    command.stdout(Stdio::piped()).stderr(full);
    let output = jwt_guard_tests::output_within(&mut command, jwt_guard_tests::DEADLINE);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
}
