//! The JSON report: a stable contract (`"version": 1`), fields in a fixed order.

use serde::Serialize;

use crate::{Excepted, Finding, Report, Warning, fingerprint};

/// Bumped only when a field is removed or changes meaning; adding a field keeps it.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files_scanned: usize,
    suppressed: usize,
    findings: Vec<JsonFinding<'a>>,
    warnings: Vec<JsonWarning<'a>>,
    excepted: Vec<JsonExcepted<'a>>,
}

/// A finding a reviewed exception of the policy file covers: the finding's fields (`F`,
/// the v1 finding or a report's extension of it), then the exception's.
#[derive(Debug, Serialize)]
pub struct JsonExcepted<'a, F = JsonFinding<'a>> {
    #[serde(flatten)]
    finding: F,
    reason: &'a str,
    expires: Option<&'a str>,
    declared_at: &'a str,
}

impl<'a, F> JsonExcepted<'a, F> {
    /// `excepted`'s exception fields after `finding`, its finding as the report writes it.
    pub fn with(excepted: &'a Excepted, finding: F) -> Self {
        JsonExcepted {
            finding,
            reason: &excepted.reason,
            expires: excepted.expires.as_deref(),
            declared_at: &excepted.declared_at,
        }
    }
}

/// A finding as the v1 report writes it, for reports that extend it (`#[serde(flatten)]`
/// it first, then the extension's fields: the history's JSON does).
#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    rule: &'static str,
    path: String,
    line: usize,
    column: usize,
    message: &'a str,
    severity: &'static str,
    fingerprint: String,
}

/// A file that could not be scanned, as the v1 report writes it.
#[derive(Debug, Serialize)]
pub struct JsonWarning<'a> {
    path: String,
    message: &'a str,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(finding: &'a Finding) -> Self {
        JsonFinding {
            rule: finding.rule.as_str(),
            path: finding.path.to_string_lossy().into_owned(),
            line: finding.line,
            column: finding.column,
            message: &finding.message,
            severity: "error",
            fingerprint: fingerprint(finding),
        }
    }
}

impl<'a> JsonFinding<'a> {
    /// An excepted finding: severity `none` (as SARIF's suppressed results).
    pub fn excepted(finding: &'a Finding) -> Self {
        JsonFinding {
            severity: "none",
            ..JsonFinding::from(finding)
        }
    }
}

impl<'a> From<&'a Excepted> for JsonExcepted<'a> {
    fn from(excepted: &'a Excepted) -> Self {
        JsonExcepted::with(excepted, JsonFinding::excepted(&excepted.finding))
    }
}

impl<'a> From<&'a Warning> for JsonWarning<'a> {
    fn from(warning: &'a Warning) -> Self {
        JsonWarning {
            path: warning.path.to_string_lossy().into_owned(),
            message: &warning.message,
        }
    }
}

/// Renders `report` as pretty-printed JSON:
///
/// ```json
/// {"version": 1, "files_scanned": 12, "suppressed": 0,
///  "findings": [{"rule": "key-literal", "path": "src/auth.rs", "line": 14, "column": 43,
///                "message": "...", "severity": "error", "fingerprint": "9c1f0e6a2b7d4c83"}],
///  "warnings": [{"path": "src/broken.rs", "message": "..."}],
///  "excepted": [{"rule": ..., "severity": "none", "fingerprint": ...,
///                "reason": "public RFC 7515 test vector", "expires": "2026-12-31",
///                "declared_at": "Cargo.toml:21:1"}]}
/// ```
///
/// `fingerprint` names a finding by its rule and masked line (see
/// [`fingerprint`](crate::fingerprint)), for an exception in the policy file; `excepted`
/// lists the findings such exceptions cover (`expires` is `null` without an expiry).
///
/// `path` is the path as scanned (a non-UTF-8 path is converted lossily);
/// `line` and `column` are 1-based, at the literal's first character.
pub fn json(report: &Report) -> String {
    let rendered = JsonReport {
        version: VERSION,
        files_scanned: report.files_scanned,
        suppressed: report.suppressed,
        findings: report.findings.iter().map(JsonFinding::from).collect(),
        warnings: report.warnings.iter().map(JsonWarning::from).collect(),
        excepted: report.excepted.iter().map(JsonExcepted::from).collect(),
    };
    // Serializing plain structs of strings and integers into memory cannot fail.
    serde_json::to_string_pretty(&rendered).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::path::PathBuf;

    use serde_json::{Value, json};

    use super::*;
    use crate::Rule;

    fn sample() -> Report {
        Report {
            files_scanned: 12,
            suppressed: 3,
            findings: vec![Finding {
                rule: Rule::KeyLiteral,
                path: PathBuf::from("src/auth.rs"),
                line: 14,
                column: 43,
                message: "this literal is used as an HMAC signing key".into(),
                masked_line: "    let key = EncodingKey::from_secret(b\"**********\");".into(),
                highlight: 39..52,
            }],
            warnings: vec![Warning {
                path: PathBuf::from("src/broken.rs"),
                message: "not valid UTF-8".into(),
            }],
            excepted: Vec::new(),
        }
    }

    #[test]
    fn renders_the_documented_contract_exactly() {
        let value: Value = serde_json::from_str(&json(&sample())).unwrap();
        assert_eq!(
            value,
            json!({
                "version": 1, "files_scanned": 12, "suppressed": 3,
                "findings": [{"rule": "key-literal", "path": "src/auth.rs", "line": 14,
                              "column": 43, "severity": "error",
                              "message": "this literal is used as an HMAC signing key",
                              "fingerprint": fingerprint(&sample().findings[0])}],
                "warnings": [{"path": "src/broken.rs", "message": "not valid UTF-8"}],
                "excepted": []
            })
        );
    }

    #[test]
    fn keeps_the_contract_field_order() {
        let text = json(&sample());
        let positions: Vec<usize> = [
            "\"version\"",
            "\"files_scanned\"",
            "\"suppressed\"",
            "\"findings\"",
            "\"warnings\"",
        ]
        .iter()
        .map(|key| text.find(key).unwrap())
        .collect();
        assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{text}");
    }

    #[test]
    fn an_empty_report_has_empty_lists() {
        let value: Value = serde_json::from_str(&json(&Report::default())).unwrap();
        assert_eq!(
            value,
            json!({"version": 1, "files_scanned": 0, "suppressed": 0, "findings": [], "warnings": [], "excepted": []})
        );
    }

    #[test]
    fn an_excepted_finding_shows_its_reason() {
        let mut report = sample();
        let finding = report.findings.remove(0);
        report.excepted.push(Excepted {
            finding,
            reason: "public RFC 7515 test vector".into(),
            expires: Some("2030-12-31".into()),
            declared_at: "Cargo.toml:21:1".into(),
        });
        let value: Value = serde_json::from_str(&json(&report)).unwrap();
        let excepted = &value["excepted"][0];
        assert_eq!(excepted["rule"], "key-literal");
        assert_eq!(excepted["line"], 14);
        assert_eq!(excepted["severity"], "none");
        assert_eq!(excepted["reason"], "public RFC 7515 test vector");
        assert_eq!(excepted["expires"], "2030-12-31");
        assert_eq!(excepted["declared_at"], "Cargo.toml:21:1");
        assert_eq!(excepted["fingerprint"].as_str().unwrap().len(), 16);
        assert!(!json(&report).contains("**********"));
    }

    #[test]
    fn never_copies_the_masked_line() {
        let mut report = sample();
        report.findings[0].masked_line = "MASKED-LINE-MARKER".into();
        assert!(!json(&report).contains("MASKED-LINE-MARKER"));
    }
}
