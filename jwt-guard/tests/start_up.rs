//! Start-up fails closed: a process that loads its secret with `from_env_or_exit`
//! never panics, never blocks on a special file, and never prints a secret set in the
//! wrong variable. Each child runs with its own environment and a deadline.
//!
//! The child is this test binary itself (`harness = false`, see
//! `jwt_guard_tests::harness`): `load_secret` below is its `main`.
#![allow(clippy::unwrap_used)]

use std::process::{Command, ExitCode, Stdio};

use jwt_guard_tests::{assert_no_leak, harness};

fn main() -> ExitCode {
    harness::main(
        |_| load_secret(),
        jwt_guard_tests::tests![
            an_error_that_cannot_be_written_still_exits_1,
            a_secret_put_in_the_file_variable_is_not_printed_at_start_up,
            an_empty_file_variable_is_named_as_empty_at_start_up,
            a_fifo_with_no_writer_stops_start_up_instead_of_blocking_it,
        ],
    )
}

/// The child: logs through env_logger at warn, then loads `JWT_SECRET` the strict way.
fn load_secret() {
    env_logger::Builder::new()
        .filter_level(log::LevelFilter::Warn)
        .init();
    let _secret = jwt_guard::JwtSecret::from_env_or_exit();
    println!("secret loaded");
}

/// The child with exactly `vars` in its environment.
fn child(vars: &[(&str, &str)]) -> Command {
    let mut command = harness::child("load-secret");
    command.env_clear().envs(vars.iter().copied());
    command
}

fn an_error_that_cannot_be_written_still_exits_1() {
    if !cfg!(target_os = "linux") {
        return; // /dev/full is Linux's
    }
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut command = child(&[]);
    command.stdout(Stdio::piped()).stderr(full);
    let output = jwt_guard_tests::output_within(&mut command, jwt_guard_tests::DEADLINE);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
}

fn run(vars: &[(&str, &str)]) -> (i32, String) {
    let output = jwt_guard_tests::output(&mut child(vars));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

fn a_secret_put_in_the_file_variable_is_not_printed_at_start_up() {
    let secret = "q8Zr3Nw5Tb7Hc1Mx9Pv4Lg6Jf2Ks0Ya8Ud5We3Ri7Oh";
    for value in [secret, "/Zk4Qm8rTx2+Lp7Wv9sNc3Hb6Jd1Fg5Ry0Ua8Ke"] {
        let (status, text) = run(&[("JWT_SECRET_FILE", value)]);
        assert_eq!(status, 1, "{text}");
        // The error, and env_logger's copy of the security warning.
        assert!(
            text.contains("error: JWT_SECRET_FILE is set to something that is not a readable file"),
            "{text}"
        );
        assert!(text.contains("jwt_guard::security"), "{text}");
        assert!(text.contains("did you mean JWT_SECRET?"), "{text}");
        assert_no_leak(&text, value, "start-up output");
    }
}

fn an_empty_file_variable_is_named_as_empty_at_start_up() {
    let (status, text) = run(&[("JWT_SECRET_FILE", "")]);
    assert_eq!(status, 1, "{text}");
    assert!(
        text.contains("error: JWT_SECRET_FILE is set but empty"),
        "{text}"
    );
}

fn a_fifo_with_no_writer_stops_start_up_instead_of_blocking_it() {
    if !cfg!(unix) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Named as the systemd credential too.
    let fifo = dir.path().join("JWT_SECRET");
    jwt_guard_tests::mkfifo(&fifo);
    for vars in [
        [("JWT_SECRET_FILE", fifo.to_str().unwrap())],
        [("CREDENTIALS_DIRECTORY", dir.path().to_str().unwrap())],
    ] {
        let (status, text) = run(&vars);
        assert_eq!(status, 1, "{text}");
        assert!(
            text.contains("is a pipe or FIFO, not a regular file"),
            "{text}"
        );
    }
}
