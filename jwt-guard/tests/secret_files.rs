//! Secret files fail closed: a secret put in `VAR_FILE` by mistake is never echoed, an
//! empty `VAR_FILE` says so, and only regular files are read. Loading goes through a
//! lookup closure; every output (Display, Debug, causes, log records) is searched for
//! the value.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use jwt_guard::{Error, FileProblem, JwtSecret, SecretPolicy};
use jwt_guard_tests::{assert_no_leak, capture_logs, captured_logs, env};

const GOOD: &str = "Vq3x9LmT2pR8wZ4kN7bF1hJ6cY0sD5gQ";

fn load(var: &str, vars: &[(&str, &str)]) -> Result<JwtSecret, Error> {
    SecretPolicy::default().load(var, env(vars))
}

/// Every way an error is shown: Display, Debug, pretty Debug, with its causes, and the
/// log records that name `var`.
fn shown(error: &Error, var: &str) -> Vec<(&'static str, String)> {
    let mut all = vec![
        ("Display", error.to_string()),
        ("Debug", format!("{error:?}")),
        ("pretty Debug", format!("{error:#?}")),
        ("with_causes", error.with_causes()),
    ];
    for line in captured_logs()
        .into_iter()
        .filter(|line| line.contains(var))
    {
        all.push(("log record", line));
    }
    all
}

/// Loads `value` set in `{var}_FILE` and checks it is reported as "not a readable file"
/// without any 8-byte window of it anywhere.
fn assert_hidden(var: &str, value: &str) {
    capture_logs();
    let file_var = format!("{var}_FILE");
    let error = load(var, &[(&file_var, value)]).unwrap_err();
    assert!(
        matches!(&error, Error::File { path: None, problem: FileProblem::NotAPath { len }, file_var: v, .. }
            if *len == value.len() && *v == file_var),
        "{value:?}: {error:?}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "{file_var} is set to something that is not a readable file ({} bytes, not shown \
             in case it is the secret; did you mean {var}?)",
            value.len()
        )),
        "{message}"
    );
    for (what, text) in shown(&error, &file_var) {
        assert_no_leak(&text, value, what);
    }
}

#[test]
fn a_secret_in_the_file_variable_is_not_echoed() {
    // The reproduction: a base64url-ish secret, no `/`.
    assert_hidden("JWT_SECRET", "q8Zr3Nw5Tb7Hc1Mx9Pv4Lg6Jf2Ks0Ya8Ud5We3Ri7Oh");
}

#[test]
fn secret_shaped_values_with_slashes_are_not_echoed() {
    for value in [
        // `openssl rand -base64 48` output often holds `/` and `+`.
        "Zk4/Qm8rTx2+Lp7/Wv9sNc3Hb6Jd1Fg5Ry0Ua8Ke",
        // A leading `/`: absolute, but its parent is the root.
        "/Zk4Qm8rTx2+Lp7Wv9sNc3Hb6Jd1Fg5Ry0Ua8Ke",
        // Absolute, in a directory that does not exist.
        "/Zk4Qm8r/Tx2+Lp7Wv9sNc3Hb6Jd1Fg5Ry0Ua8Ke",
        "/nonexistent-7f3a/Tx2Lp7Wv9sNc3Hb6Jd1Fg5Ry0Ua8Ke",
        // Relative paths to nothing.
        "secrets/jwt-Tx2Lp7Wv9sNc3Hb6Jd1Fg5",
        "./Tx2Lp7Wv9sNc3Hb6Jd1Fg5Ry0Ua8Ke",
        // Short values are searched whole.
        "hunter2",
    ] {
        assert_hidden("JWT_SECRET", value);
    }
}

#[test]
fn a_value_with_a_control_character_is_not_echoed_even_in_an_existing_directory() {
    let dir = tempfile::tempdir().unwrap();
    let value = format!("{}/Tx2Lp7Wv9s\nNc3Hb6Jd1Fg5", dir.path().display());
    // Its own variable: the value holds the temporary directory, which other tests' log
    // records name.
    assert_hidden("CONTROL_CHAR_SECRET", &value);
}

#[test]
fn the_previous_secret_file_is_not_echoed_either() {
    let value = "Pq7Wn2Xc9Lm4Rt6Yb1Hs8Kd3Fg5Jv0Za";
    assert_hidden("JWT_SECRET_PREVIOUS", value);
    // Through the loader of a rotation's optional previous secret (what an AuthGate and
    // `#[jwt_secret(previous)]` use) too.
    capture_logs();
    let error = jwt_guard::__private::load_previous_secret(
        "JWT_SECRET_PREVIOUS",
        &SecretPolicy::default(),
        &mut env(&[("JWT_SECRET_PREVIOUS_FILE", value)]),
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("did you mean JWT_SECRET_PREVIOUS?"),
        "{error}"
    );
    for (what, text) in shown(&error, "JWT_SECRET_PREVIOUS_FILE") {
        assert_no_leak(&text, value, what);
    }
    // And through check_env, whose report and its Debug hold the error.
    let report = jwt_guard::check_env(
        "JWT_SECRET",
        jwt_guard::Algorithm::HS256,
        &SecretPolicy::default(),
        env(&[("JWT_SECRET", GOOD), ("JWT_SECRET_PREVIOUS_FILE", value)]),
    );
    assert!(!report.is_valid());
    assert_no_leak(&report.to_string(), value, "report");
    assert_no_leak(&format!("{report:?}"), value, "report Debug");
}

/// The path of an error that shows it.
fn shown_path(error: &Error) -> &Path {
    match error {
        Error::File {
            path: Some(path), ..
        } => path,
        other => panic!("expected a file error that shows its path, got {other:?}"),
    }
}

#[test]
fn a_path_is_shown_when_it_evidently_is_one() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("jwt_secert");
    let dangling = dir.path().join("dangling");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone"), &dangling).unwrap();
    #[cfg(not(unix))]
    let dangling = missing.clone();
    for (path, problem) in [
        // A typo in the file name, in a directory that exists.
        (missing.as_path(), FileProblem::Unreadable),
        (dangling.as_path(), FileProblem::Unreadable),
        (dir.path(), FileProblem::Directory),
        // Relative, but it exists.
        (Path::new("."), FileProblem::Directory),
    ] {
        let error = load("JWT_SECRET", &[("JWT_SECRET_FILE", path.to_str().unwrap())]).unwrap_err();
        assert_eq!(shown_path(&error), path);
        assert!(
            matches!(&error, Error::File { problem: p, .. } if *p == problem),
            "{error:?}"
        );
        assert!(
            error.to_string().starts_with(&format!(
                "JWT_SECRET_FILE names {}, which {problem}",
                path.display()
            )),
            "{error}"
        );
    }
}

#[test]
fn an_empty_file_variable_says_it_is_empty() {
    capture_logs();
    for var in ["JWT_SECRET", "EMPTY_FILE_VAR", "JWT_SECRET_PREVIOUS"] {
        let file_var = format!("{var}_FILE");
        let error = load(var, &[(&file_var, "")]).unwrap_err();
        assert!(
            matches!(&error, Error::File { path: None, problem: FileProblem::EmptyPath, file_var: v, .. }
                if *v == file_var),
            "{error:?}"
        );
        assert_eq!(
            error.with_causes(),
            format!(
                "{file_var} is set but empty: set it to the path of the file that holds the secret"
            )
        );
        let logs = captured_logs();
        assert!(
            logs.iter()
                .any(|line| line.contains(&format!("{file_var} is set but empty"))),
            "{logs:?}"
        );
    }
}

#[test]
fn an_empty_file_is_still_an_empty_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty");
    std::fs::write(&path, "\n").unwrap();
    let error = load("JWT_SECRET", &[("JWT_SECRET_FILE", path.to_str().unwrap())]).unwrap_err();
    assert!(
        matches!(&error, Error::Empty { var } if var == "JWT_SECRET_FILE"),
        "{error:?}"
    );
}

/// Loads `path` through `JWT_SECRET_FILE` on another thread, failing after the deadline
/// instead of blocking the test run.
fn load_file_within_deadline(path: &Path) -> Result<JwtSecret, Error> {
    let path = path.to_str().unwrap().to_owned();
    jwt_guard_tests::within(jwt_guard_tests::DEADLINE, move || {
        load("JWT_SECRET", &[("JWT_SECRET_FILE", &path)])
    })
}

fn assert_refused(path: &Path, problem: FileProblem) {
    let error = load_file_within_deadline(path).unwrap_err();
    assert!(
        matches!(&error, Error::File { problem: p, path: Some(q), .. } if *p == problem && q == path),
        "{}: {error:?}",
        path.display()
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_with_no_writer_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    jwt_guard_tests::mkfifo(&fifo);
    assert_refused(&fifo, FileProblem::Pipe);
    let error = load_file_within_deadline(&fifo).unwrap_err();
    assert!(
        error.to_string().ends_with(
            "which is a pipe or FIFO, not a regular file (process substitution such as \
             <(...) is not supported: write the secret to a file with mode 600)"
        ),
        "{error}"
    );
    // Through a symlink, as Kubernetes mounts secrets: the type of the target counts.
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    assert_refused(&link, FileProblem::Pipe);
}

#[cfg(unix)]
#[test]
fn a_fifo_systemd_credential_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("JWT_SECRET");
    jwt_guard_tests::mkfifo(&fifo);
    let credentials = dir.path().to_str().unwrap().to_owned();
    let error = jwt_guard_tests::within(jwt_guard_tests::DEADLINE, move || {
        load("JWT_SECRET", &[("CREDENTIALS_DIRECTORY", &credentials)])
    })
    .unwrap_err();
    assert!(
        matches!(&error, Error::File { problem: FileProblem::Pipe, file_var, .. }
            if file_var == "CREDENTIALS_DIRECTORY/JWT_SECRET"),
        "{error:?}"
    );
}

#[cfg(unix)]
#[test]
fn devices_are_refused() {
    // /dev/null reads as empty, /dev/zero and /dev/urandom never end.
    for device in ["/dev/null", "/dev/zero", "/dev/urandom"] {
        assert_refused(Path::new(device), FileProblem::Device);
    }
}

#[cfg(unix)]
#[test]
fn a_socket_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    assert_refused(&path, FileProblem::Socket);
}

#[test]
fn a_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    assert_refused(dir.path(), FileProblem::Directory);
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_regular_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret"), format!("{GOOD}\n")).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink("secret", &link).unwrap();
    let secret = load_file_within_deadline(&link).unwrap();
    assert_eq!(secret.expose_secret(), GOOD.as_bytes());
}

#[test]
fn the_size_limit_is_enforced_on_what_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let limit = usize::try_from(jwt_guard::MAX_SECRET_FILE_LEN).unwrap();
    let at_limit = dir.path().join("at-limit");
    // At the limit: read and judged by the policy, not refused for its size.
    std::fs::write(&at_limit, &GOOD.repeat(limit / GOOD.len() + 1)[..limit]).unwrap();
    let error = load_file_within_deadline(&at_limit).unwrap_err();
    assert!(matches!(error, Error::Rejected { .. }), "{error:?}");
    let over = dir.path().join("over");
    std::fs::write(&over, "x".repeat(limit + 1)).unwrap();
    assert_refused(&over, FileProblem::TooLarge);
    // A regular file whose metadata says 0 bytes: the limit holds on what is read.
    let kallsyms = Path::new("/proc/kallsyms");
    if std::fs::File::open(kallsyms).is_ok() {
        assert_eq!(std::fs::metadata(kallsyms).unwrap().len(), 0);
        assert_refused(kallsyms, FileProblem::TooLarge);
    }
}

/// Writes `content` to `dir/name` with `mode`.
#[cfg(unix)]
fn write_with_mode(dir: &Path, name: &str, content: &str, mode: u32) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// The report of `check_env(var, ...)` as text, and the log records that name `var`.
fn check(var: &str, vars: &[(&str, &str)]) -> (jwt_guard::EnvReport, String, Vec<String>) {
    capture_logs();
    let report = jwt_guard::check_env(
        var,
        jwt_guard::Algorithm::HS256,
        &SecretPolicy::default(),
        env(vars),
    );
    let text = report.to_string();
    let logs = captured_logs()
        .into_iter()
        .filter(|line| line.contains(var))
        .collect();
    (report, text, logs)
}

#[cfg(unix)]
#[test]
fn a_secret_file_others_can_read_is_a_warning_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    for (i, mode) in [0o644, 0o640, 0o604, 0o444, 0o666].into_iter().enumerate() {
        let var = format!("SHARED_FILE_{i}");
        let path = write_with_mode(dir.path(), &var, &format!("{GOOD}\n"), mode);
        let file_var = format!("{var}_FILE");
        let (report, text, logs) = check(&var, &[(&file_var, path.to_str().unwrap())]);
        let warning = format!(
            "secret file {} ({file_var}) is readable by group or others (mode {mode:03o}); \
             restrict it with chmod 600",
            path.display()
        );
        assert!(report.is_valid(), "{text}");
        assert_eq!(
            report
                .warnings()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            std::slice::from_ref(&warning)
        );
        assert!(
            text.contains(&format!("\n  warning: {warning}\n")),
            "{text}"
        );
        assert!(
            text.ends_with("valid: start-up would accept this configuration, with 1 warning\n"),
            "{text}"
        );
        // What the report shows is what start-up logs.
        assert_eq!(logs, [format!("WARN jwt_guard::security: {warning}")]);
        for (what, output) in [("report", text), ("Debug", format!("{report:?}"))] {
            assert_no_leak(&output, GOOD, what);
        }
    }
}

#[cfg(unix)]
#[test]
fn a_secret_file_only_its_owner_can_read_gives_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    for (i, mode) in [0o600, 0o400, 0o700].into_iter().enumerate() {
        let var = format!("PRIVATE_FILE_{i}");
        let path = write_with_mode(dir.path(), &var, GOOD, mode);
        let (report, text, logs) = check(&var, &[(&format!("{var}_FILE"), path.to_str().unwrap())]);
        assert!(report.is_valid(), "{text}");
        assert_eq!(report.warnings().count(), 0, "{text}");
        assert!(!text.contains("warning"), "{text}");
        assert!(logs.is_empty(), "{logs:?}");
    }
}

#[cfg(unix)]
#[test]
fn every_warning_start_up_logs_is_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    // A shared credential, and a shared previous secret that is also rejected.
    let credentials = tempfile::tempdir().unwrap();
    write_with_mode(credentials.path(), "LOGGED_PROBE", GOOD, 0o644);
    let previous = write_with_mode(dir.path(), "previous", "short\n", 0o640);
    let (report, text, logs) = check(
        "LOGGED_PROBE",
        &[
            (
                "CREDENTIALS_DIRECTORY",
                credentials.path().to_str().unwrap(),
            ),
            ("LOGGED_PROBE_PREVIOUS_FILE", previous.to_str().unwrap()),
        ],
    );
    assert!(!report.is_valid(), "{text}");
    assert_eq!(report.warnings().count(), 2, "{text}");
    assert!(
        text.contains("  warning: secret file ")
            && text.contains("(CREDENTIALS_DIRECTORY/LOGGED_PROBE)"),
        "{text}"
    );
    assert!(
        text.contains("(LOGGED_PROBE_PREVIOUS_FILE) is readable"),
        "{text}"
    );
    assert_eq!(logs.len(), 3, "{logs:?}");
    for line in &logs {
        let message = line.strip_prefix("WARN jwt_guard::security: ").unwrap();
        // A warning is in the report word for word; the rejection as its FAIL lines.
        let shown = text.contains(message)
            || message.starts_with(
                "JWT secret LOGGED_PROBE_PREVIOUS_FILE rejected (rules: too-short, low-diversity)",
            ) && text.contains("FAIL  too-short")
                && text.contains("FAIL  low-diversity");
        assert!(shown, "logged but not in the report: {message}\n{text}");
        assert_no_leak(line, GOOD, "log record");
    }
    assert_no_leak(&text, GOOD, "report");
}
