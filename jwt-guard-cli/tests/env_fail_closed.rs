//! check-env and generate fail closed (and so does the help): output they cannot write,
//! special files, a secret put in the `_FILE` variable, warnings the library logs. Every
//! child runs with its own environment and a deadline, so a regression that blocks fails
//! instead of hanging.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output, Stdio};

use jwt_guard_tests::assert_no_leak;

const GOOD: &str = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";

/// `jwt-guard ARGS` with exactly `vars` in its environment.
fn command(args: &[&str], vars: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jwt-guard"));
    command.args(args).env_clear().envs(vars.iter().copied());
    command
}

fn run(args: &[&str], vars: &[(&str, &str)]) -> Output {
    jwt_guard_tests::output(&mut command(args, vars))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A handle on `/dev/full`: every write fails with "no space left on device".
#[cfg(target_os = "linux")]
fn full() -> Stdio {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
        .into()
}

#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_is_an_error_not_a_panic() {
    for (args, vars) in [
        (&["check-env"][..], &[("JWT_SECRET", GOOD)][..]),
        (&["check-env"], &[("JWT_SECRET", "weak")]),
        (&["check-env"], &[]),
        (&["generate"], &[]),
        (&["generate", "--alg", "HS512", "--format", "hex"], &[]),
        (&["--help"], &[]),
        (&["--version"], &[]),
        (&["check-env", "--help"], &[]),
    ] {
        let mut command = command(args, vars);
        command.stdout(full()).stderr(Stdio::piped());
        let output = jwt_guard_tests::output_within(&mut command, jwt_guard_tests::DEADLINE);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("jwt-guard: error: cannot write"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_no_leak(&stderr, GOOD, "stderr");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_error_that_cannot_be_written_still_exits_2() {
    for args in [&["check-env"][..], &["generate"], &["check-env", "--bogus"]] {
        let mut command = command(args, &[("JWT_SECRET", GOOD)]);
        command.stdout(full()).stderr(full());
        let output = jwt_guard_tests::output_within(&mut command, jwt_guard_tests::DEADLINE);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn help_and_usage_errors_keep_their_status() {
    let output = run(&["--help"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(text(&output).contains("check-env"), "{}", text(&output));
    let output = run(&["check-env", "--bogus"], &[]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--bogus"));
}

/// The issue's reproduction: the secret itself in `JWT_SECRET_FILE`.
const MISPLACED: &str = "q8Zr3Nw5Tb7Hc1Mx9Pv4Lg6Jf2Ks0Ya8Ud5We3Ri7Oh";

#[test]
fn check_env_never_echoes_a_secret_put_in_the_file_variable() {
    for (var, value) in [
        ("JWT_SECRET_FILE", MISPLACED),
        // base64 holds `/`; a leading one makes it absolute.
        (
            "JWT_SECRET_FILE",
            "Zk4/Qm8rTx2+Lp7/Wv9sNc3Hb6Jd1Fg5Ry0Ua8Ke",
        ),
        ("JWT_SECRET_FILE", "/Zk4Qm8rTx2+Lp7Wv9sNc3Hb6Jd1Fg5Ry0Ua8Ke"),
    ] {
        let output = run(&["check-env"], &[(var, value)]);
        let text = text(&output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(
            text.starts_with(&format!(
                "JWT_SECRET_FILE (HS256): cannot be loaded: JWT_SECRET_FILE is set to something \
                 that is not a readable file ({} bytes, not shown in case it is the secret; did \
                 you mean JWT_SECRET?)",
                value.len()
            )),
            "{text}"
        );
        assert_no_leak(&text, value, "check-env output");
    }
    // The rotation's previous secret, beside a good current one.
    let output = run(
        &["check-env"],
        &[
            ("JWT_SECRET", GOOD),
            ("JWT_SECRET_PREVIOUS_FILE", MISPLACED),
        ],
    );
    let text = text(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("did you mean JWT_SECRET_PREVIOUS?"), "{text}");
    assert_no_leak(&text, MISPLACED, "check-env output");
}

#[test]
fn check_env_says_an_empty_file_variable_is_empty() {
    for var in ["JWT_SECRET_FILE", "APP_KEY_FILE"] {
        let args = ["check-env", "--var", var.strip_suffix("_FILE").unwrap()];
        let output = run(&args, &[(var, "")]);
        let text = text(&output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(
            text.starts_with(&format!(
                "{var} (HS256): cannot be loaded: {var} is set but empty: set it to the path \
                 of the file that holds the secret\n"
            )),
            "{text}"
        );
        assert!(!text.contains("names ,"), "{text}");
    }
}

#[cfg(unix)]
#[test]
fn check_env_refuses_special_files_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    jwt_guard_tests::mkfifo(&fifo);
    let socket = dir.path().join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    for (path, says) in [
        (fifo.as_path(), "a pipe or FIFO, not a regular file"),
        (
            std::path::Path::new("/dev/null"),
            "a device, not a regular file",
        ),
        (
            std::path::Path::new("/dev/zero"),
            "a device, not a regular file",
        ),
        (socket.as_path(), "a socket, not a regular file"),
        (dir.path(), "a directory, not a file"),
    ] {
        let path = path.to_str().unwrap();
        let output = run(&["check-env"], &[("JWT_SECRET_FILE", path)]);
        let text = text(&output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(
            text.starts_with(&format!(
                "JWT_SECRET_FILE (HS256): cannot be loaded: JWT_SECRET_FILE names {path}, \
                 which is {says}"
            )),
            "{text}"
        );
    }
    // The systemd credential, and the rotation's previous secret, are read the same way.
    let credential = dir.path().join("JWT_SECRET");
    jwt_guard_tests::mkfifo(&credential);
    let output = run(
        &["check-env"],
        &[("CREDENTIALS_DIRECTORY", dir.path().to_str().unwrap())],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).starts_with("CREDENTIALS_DIRECTORY/JWT_SECRET (HS256): cannot be loaded:"),
        "{}",
        text(&output)
    );
    assert!(text(&output).contains("which is a pipe or FIFO"));
    let output = run(
        &["check-env"],
        &[
            ("JWT_SECRET", GOOD),
            ("JWT_SECRET_PREVIOUS_FILE", fifo.to_str().unwrap()),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("JWT_SECRET_PREVIOUS_FILE (HS256): cannot be loaded:"),
        "{}",
        text(&output)
    );
}

/// `JWT_SECRET_FILE=<(...)` hands over `/dev/fd/N`, a pipe: refused with a message that
/// says so, the secret it carried never shown.
#[cfg(unix)]
#[test]
fn check_env_refuses_process_substitution() {
    if Command::new("bash").args(["-c", "true"]).output().is_err() {
        eprintln!("SKIPPED: bash is not installed");
        return;
    }
    let mut command = Command::new("bash");
    command
        .args([
            "-c",
            r#"exec env -i JWT_SECRET_FILE=<(printf '%s\n' "$2") "$1" check-env"#,
            "bash",
            env!("CARGO_BIN_EXE_jwt-guard"),
            GOOD,
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    let output = jwt_guard_tests::output(&mut command);
    let text = text(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("JWT_SECRET_FILE names /dev/fd/"), "{text}");
    assert!(
        text.contains(
            "which is a pipe or FIFO, not a regular file (process substitution such as <(...) \
             is not supported: write the secret to a file with mode 600)"
        ),
        "{text}"
    );
    assert_no_leak(&text, GOOD, "check-env output");
}

/// The issue's reproduction: a valid secret in a file readable by group or others was
/// "valid" with no word about it (the warning went to a log the CLI never shows).
#[cfg(unix)]
#[test]
fn check_env_shows_the_warning_about_a_shared_secret_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jwt");
    std::fs::write(&path, format!("{GOOD}\n")).unwrap();
    for (mode, warned) in [(0o644, true), (0o640, true), (0o604, true), (0o600, false)] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let output = run(
            &["check-env"],
            &[("JWT_SECRET_FILE", path.to_str().unwrap())],
        );
        let text = text(&output);
        assert_eq!(output.status.code(), Some(0), "{text}");
        let warning = format!(
            "  warning: secret file {} (JWT_SECRET_FILE) is readable by group or others \
             (mode {mode:03o}); restrict it with chmod 600\n",
            path.display()
        );
        assert_eq!(text.contains(&warning), warned, "{mode:o}: {text}");
        assert_eq!(
            text.ends_with("valid: start-up would accept this configuration, with 1 warning\n"),
            warned,
            "{mode:o}: {text}"
        );
        assert_no_leak(&text, GOOD, "check-env output");
    }
    // The systemd credential and the previous secret are checked the same way.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::copy(&path, dir.path().join("JWT_SECRET")).unwrap();
    let output = run(
        &["check-env"],
        &[
            ("CREDENTIALS_DIRECTORY", dir.path().to_str().unwrap()),
            ("JWT_SECRET_PREVIOUS_FILE", path.to_str().unwrap()),
        ],
    );
    let text = text(&output);
    assert!(
        text.contains("(CREDENTIALS_DIRECTORY/JWT_SECRET) is readable by group"),
        "{text}"
    );
    assert!(
        text.contains("(JWT_SECRET_PREVIOUS_FILE) is readable by group"),
        "{text}"
    );
}
