//! SARIF output validated against the official SARIF 2.1.0 JSON schema.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use jwt_guard_scan::{Excepted, Report, Rule, ScanOptions, format, scan_source};
use support::{Validation, assert_valid_sarif, jwt_guard, validate_sarif, write_tree};

/// A finding of every rule (each rule's own declared example), under odd paths, and a
/// file that could not be scanned.
fn every_shape_of_report() -> Report {
    let paths = [
        "src/auth.rs",
        "./a dir/ümlaut #1.rs",
        "/abs/path/main.rs",
        "../up.rs",
    ];
    let mut report = Report::default();
    for (rule, path) in Rule::ALL.iter().zip(paths.iter().cycle()) {
        let example = rule.info().flagged[0];
        let scanned = scan_source(Path::new(path), example.as_bytes(), &ScanOptions::default());
        assert!(scanned.findings.iter().any(|f| f.rule == *rule));
        report.merge(scanned);
    }
    report.merge(scan_source(
        Path::new("src/bad.rs"),
        b"const A: &str = \"caf\xe9\";",
        &ScanOptions::default(),
    ));
    assert!(!report.warnings.is_empty());
    report.suppressed = 2;
    // A reviewed exception of the policy file, with and without an expiry.
    report.excepted = [Some("2030-12-31"), None]
        .into_iter()
        .zip(&report.findings)
        .map(|(expires, finding)| Excepted {
            finding: finding.clone(),
            reason: "public RFC 7515 test vector".into(),
            expires: expires.map(Into::into),
            declared_at: "Cargo.toml:21:1".into(),
        })
        .collect();
    report
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
