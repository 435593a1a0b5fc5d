//! Loading a secret through a lookup closure: every way it succeeds or fails, and what
//! each error says.
#![allow(clippy::unwrap_used)]

use std::ffi::OsString;
use std::fs;

use jwt_guard::{Error, FileProblem, SecretPolicy, Violation};
use jwt_guard_tests::{assert_no_leak, env};

const GOOD: &str = "Vq3x9LmT2pR8wZ4kN7bF1hJ6cY0sD5gQ";

fn load(vars: &[(&str, &str)]) -> Result<jwt_guard::JwtSecret, Error> {
    SecretPolicy::default().load("JWT_SECRET", env(vars))
}

#[test]
fn a_good_secret_loads_with_its_bytes_intact() {
    let secret = load(&[("JWT_SECRET", GOOD)]).unwrap();
    assert_eq!(secret.expose_secret(), GOOD.as_bytes());
}

#[test]
fn any_variable_name_can_be_read() {
    let secret = SecretPolicy::default()
        .load("AUTH_TOKEN_HMAC", env(&[("AUTH_TOKEN_HMAC", GOOD)]))
        .unwrap();
    assert_eq!(secret.expose_secret(), GOOD.as_bytes());
}

#[test]
fn missing_names_the_variable_and_says_how_to_generate() {
    let error = load(&[]).unwrap_err();
    assert!(matches!(&error, Error::Missing { var } if var == "JWT_SECRET"));
    assert_eq!(
        error.to_string(),
        "JWT_SECRET is not set. Generate one with: openssl rand -base64 48"
    );
}

#[test]
fn empty_is_its_own_error() {
    let error = load(&[("JWT_SECRET", "")]).unwrap_err();
    assert!(matches!(&error, Error::Empty { var } if var == "JWT_SECRET"));
}

#[cfg(unix)]
#[test]
fn not_utf8_is_its_own_error() {
    use std::os::unix::ffi::OsStringExt;
    let bad = OsString::from_vec(vec![0xff; 40]);
    let error = SecretPolicy::default()
        .load("JWT_SECRET", move |name| {
            (name == "JWT_SECRET").then(|| bad.clone())
        })
        .unwrap_err();
    assert!(matches!(&error, Error::NotUnicode { var } if var == "JWT_SECRET"));
}

#[test]
fn rejection_lists_every_rule_and_never_the_value() {
    let secret = "changeme-changeme-changeme-changeme";
    let error = load(&[("JWT_SECRET", secret)]).unwrap_err();
    let Error::Rejected { var, rejection } = &error else {
        panic!("expected a rejection, got {error:?}");
    };
    assert_eq!(var, "JWT_SECRET");
    let ids: Vec<&str> = rejection.violations().iter().map(Violation::id).collect();
    assert_eq!(ids, ["insecure-word", "low-diversity"]);
    assert_eq!(
        error.to_string(),
        "JWT_SECRET is rejected: contains the insecure word \"changeme\"; too predictable \
         (repeats itself or uses few distinct characters). Generate one with: openssl rand -base64 48"
    );
    // The matched denied word is named on purpose; nothing else of the value may show.
    let named = "\"changeme\"";
    assert_no_leak(&error.to_string().replace(named, ""), secret, "Display");
    assert_no_leak(&format!("{error:?}").replace(named, ""), secret, "Debug");
}

#[test]
fn the_issue_example_message() {
    let error = load(&[("JWT_SECRET", "short-DevKey")]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "JWT_SECRET is rejected: too short (12 bytes, at least 32 required); \
         contains the insecure word \"key\"; contains the insecure word \"dev\". \
         Generate one with: openssl rand -base64 48"
    );
}

#[test]
fn a_stricter_policy_applies_on_load() {
    let policy = SecretPolicy::for_algorithm(jwt_guard::Algorithm::HS384).deny_word("vq3x");
    let error = policy
        .load("JWT_SECRET", env(&[("JWT_SECRET", GOOD)]))
        .unwrap_err();
    let Error::Rejected { rejection, .. } = error else {
        panic!("expected a rejection");
    };
    assert_eq!(
        rejection.violations(),
        [
            Violation::TooShort { len: 32, min: 48 },
            Violation::InsecureWord {
                word: "vq3x".into()
            }
        ]
    );
}

#[test]
fn a_secret_file_is_read_without_its_trailing_newline() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("lf", format!("{GOOD}\n")),
        ("crlf", format!("{GOOD}\r\n")),
        ("none", GOOD.to_owned()),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, content).unwrap();
        let secret = load(&[("JWT_SECRET_FILE", path.to_str().unwrap())]).unwrap();
        assert_eq!(secret.expose_secret(), GOOD.as_bytes(), "{name}");
    }
}

#[test]
fn only_one_trailing_newline_is_stripped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two");
    fs::write(&path, format!("{GOOD}\n\n")).unwrap();
    let error = load(&[("JWT_SECRET_FILE", path.to_str().unwrap())]).unwrap_err();
    let Error::Rejected { var, rejection } = error else {
        panic!("expected a rejection");
    };
    assert_eq!(var, "JWT_SECRET_FILE");
    assert_eq!(
        rejection.violations(),
        [
            Violation::SurroundingWhitespace,
            Violation::ControlCharacter
        ]
    );
}

#[test]
fn both_the_variable_and_its_file_is_ambiguous() {
    let error = load(&[
        ("JWT_SECRET", GOOD),
        ("JWT_SECRET_FILE", "/run/secrets/jwt"),
    ])
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "both JWT_SECRET and JWT_SECRET_FILE are set; set only one"
    );
}

#[test]
fn file_problems_name_the_path_and_never_the_content() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big");
    fs::write(&big, GOOD.repeat(3000)).unwrap();
    let latin1 = dir.path().join("latin1");
    fs::write(
        &latin1,
        [b"Vq3x9LmT2pR8wZ4kN7bF1hJ6cY0sD5gQ".as_slice(), &[0xe9]].concat(),
    )
    .unwrap();
    let empty = dir.path().join("empty");
    fs::write(&empty, "\n").unwrap();
    let missing = dir.path().join("missing");
    let cases = [
        (missing.clone(), Some(FileProblem::Unreadable)),
        (dir.path().to_owned(), Some(FileProblem::Directory)),
        (big.clone(), Some(FileProblem::TooLarge)),
        (latin1.clone(), Some(FileProblem::NotUnicode)),
        (empty.clone(), None),
    ];
    for (path, expected) in cases {
        let error = load(&[("JWT_SECRET_FILE", path.to_str().unwrap())]).unwrap_err();
        let message = error.with_causes();
        match expected {
            Some(problem) => {
                assert!(
                    matches!(&error, Error::File { problem: p, path: Some(q), file_var, .. }
                        if *p == problem && *q == path && file_var == "JWT_SECRET_FILE"),
                    "{error:?}"
                );
                assert!(message.contains(path.to_str().unwrap()), "{message}");
            }
            None => assert!(matches!(&error, Error::Empty { var } if var == "JWT_SECRET_FILE")),
        }
        assert_no_leak(&message, GOOD, "file error");
        assert_no_leak(&format!("{error:?}"), GOOD, "file error Debug");
    }
}

// The message checked is the Unix one ("No such file or directory").
#[cfg(unix)]
#[test]
fn an_unreadable_file_keeps_its_io_error_as_source() {
    let error = load(&[("JWT_SECRET_FILE", "/nonexistent/jwt-guard/secret")]).unwrap_err();
    let source = std::error::Error::source(&error).expect("an io::Error source");
    assert!(source.downcast_ref::<std::io::Error>().is_some());
    assert!(
        error.with_causes().contains("No such file"),
        "{}",
        error.with_causes()
    );
}

#[test]
fn a_systemd_credential_is_read_when_nothing_else_is_set() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("JWT_SECRET"), GOOD).unwrap();
    let secret = load(&[("CREDENTIALS_DIRECTORY", dir.path().to_str().unwrap())]).unwrap();
    assert_eq!(secret.expose_secret(), GOOD.as_bytes());
    // A credentials directory without this credential is still "missing".
    let other = tempfile::tempdir().unwrap();
    let error = load(&[("CREDENTIALS_DIRECTORY", other.path().to_str().unwrap())]).unwrap_err();
    assert!(matches!(error, Error::Missing { .. }));
}

#[test]
fn secrets_never_print() {
    let secret = load(&[("JWT_SECRET", GOOD)]).unwrap();
    assert_eq!(format!("{secret:?}"), "JwtSecret(<redacted>)");
    // No `Display` at all: ui-tests/ui/secret-display.rs proves `{secret}` does not compile.
    assert_eq!(format!("{secret:#?}"), "JwtSecret(<redacted>)");
}

#[test]
fn several_errors_are_listed_with_their_causes() {
    let mut errors = jwt_guard::__private::Errors::new();
    let none: Option<u16> = errors.take(jwt_guard::__private::load_parsed(
        "PORT",
        "port",
        None,
        &mut env(&[("PORT", "eighty")]),
    ));
    assert!(none.is_none());
    errors.take(load(&[]));
    let error = errors.into_error();
    assert_eq!(error.vars(), ["PORT", "JWT_SECRET"]);
    assert_eq!(
        error.to_string(),
        "2 configuration problems:\n  \
         - failed to parse environment variable PORT into field `port`: invalid digit found in string\n  \
         - JWT_SECRET is not set. Generate one with: openssl rand -base64 48"
    );
}
