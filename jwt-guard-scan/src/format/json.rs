//! The JSON report: a stable contract (`"version": 1`), fields in a fixed order.

use serde::Serialize;

use crate::{Finding, Report, Warning};

/// Bumped only when a field is removed or changes meaning; adding a field keeps it.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files_scanned: usize,
    suppressed: usize,
    findings: Vec<JsonFinding<'a>>,
    warnings: Vec<JsonWarning<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    path: String,
    line: usize,
    column: usize,
    message: &'a str,
    severity: &'static str,
}

#[derive(Serialize)]
struct JsonWarning<'a> {
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
        }
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
///                "message": "...", "severity": "error"}],
///  "warnings": [{"path": "src/broken.rs", "message": "..."}]}
/// ```
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
                              "message": "this literal is used as an HMAC signing key"}],
                "warnings": [{"path": "src/broken.rs", "message": "not valid UTF-8"}]
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
            json!({"version": 1, "files_scanned": 0, "suppressed": 0, "findings": [], "warnings": []})
        );
    }

    #[test]
    fn never_copies_the_masked_line() {
        let mut report = sample();
        report.findings[0].masked_line = "MASKED-LINE-MARKER".into();
        assert!(!json(&report).contains("MASKED-LINE-MARKER"));
    }
}
