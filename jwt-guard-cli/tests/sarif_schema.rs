//! SARIF output validated against the official SARIF 2.1.0 JSON schema.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::PathBuf;

use jwt_guard_scan::{Excepted, Finding, Report, Rule, Warning, format};
use support::{Validation, assert_valid_sarif, jwt_guard, validate_sarif, write_tree};

fn every_shape_of_report() -> Report {
    let paths = [
        "src/auth.rs",
        "./a dir/ümlaut #1.rs",
        "/abs/path/main.rs",
        "../up.rs",
    ];
    let findings = Rule::ALL
        .iter()
        .zip(paths.iter().cycle())
        .enumerate()
        .map(|(i, (&rule, path))| Finding {
            rule,
            path: PathBuf::from(path),
            line: i + 1,
            column: 2 * i + 1,
            message: format!("message {i} for {}", rule.as_str()),
            masked_line: "********".into(),
            highlight: 0..8,
        })
        .collect::<Vec<_>>();
    // A reviewed exception of the policy file, with and without an expiry.
    let excepted = [Some("2030-12-31"), None]
        .into_iter()
        .zip(&findings)
        .map(|(expires, finding)| Excepted {
            finding: finding.clone(),
            reason: "public RFC 7515 test vector".into(),
            expires: expires.map(Into::into),
            declared_at: "Cargo.toml:21:1".into(),
        })
        .collect();
    Report {
        files_scanned: 9,
        suppressed: 2,
        findings,
        warnings: vec![Warning {
            path: PathBuf::from("src/bad.rs"),
            message: "not valid UTF-8".into(),
        }],
        excepted,
    }
}

#[test]
fn library_sarif_with_every_rule_and_odd_paths_is_valid() {
    assert_valid_sarif(&format::sarif(&every_shape_of_report()));
    assert_valid_sarif(&format::sarif(&Report::default()));
}

/// Guards the guard: a validator that accepts anything would make the tests above vacuous.
#[test]
fn the_validator_rejects_broken_sarif() {
    let sarif = format::sarif(&every_shape_of_report());
    let broken = sarif
        .replace("\"startLine\": 1", "\"startLine\": 0")
        .replace("\"2.1.0\"", "\"2.0.0\"");
    assert_ne!(broken, sarif);
    match validate_sarif(&broken) {
        Validation::Invalid(errors) => assert!(errors.contains("version"), "{errors}"),
        Validation::Valid => panic!("the validator accepted an invalid SARIF log"),
        Validation::Unavailable(_) => assert_valid_sarif(&broken), // skips, or fails in CI
    }
}

#[test]
fn cli_sarif_with_findings_and_warnings_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "src/auth.rs",
                b"fn key() { let k = EncodingKey::from_secret(b\"dev-secret\"); }\n",
            ),
            ("src/latin1.rs", b"const A: &str = \"caf\xe9\";\n"),
        ],
    );
    let output = jwt_guard(dir.path(), &["scan", "--format", "sarif", "."]);
    assert_valid_sarif(&String::from_utf8(output.stdout).unwrap());
}
