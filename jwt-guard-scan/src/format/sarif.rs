//! The SARIF 2.1.0 report, for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

use std::path::{Component, Path};

use serde_json::{Value, json};

use super::rule_help;
use crate::{Excepted, Finding, Report, Rule, Warning, fingerprint};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders `report` as a SARIF 2.1.0 log with one run.
///
/// Every rule is described in `tool.driver.rules` (id, help, level `error`); each finding is
/// a result with its rule, message and a location whose `uri` is the scanned path as a
/// relative URI reference (forward slashes, percent-encoded). Columns count Unicode code
/// points (`columnKind: unicodeCodePoints`), as the scanner does. Files that could not be
/// scanned are tool execution notifications of level `warning`; the suppressed and scanned
/// counts are run properties. A finding a reviewed exception of the policy file covers is a
/// result with an `external` suppression whose justification is the exception's reason.
/// Each result carries its fingerprint (`partialFingerprints.jwtGuard/v1`).
pub fn sarif(report: &Report) -> String {
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "jwt-guard",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": Rule::ALL.iter().map(|&rule| rule_descriptor(rule)).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": report.warnings.iter().map(notification).collect::<Vec<_>>(),
            }],
            "results": report.findings.iter().map(result).chain(report.excepted.iter().map(excepted)).collect::<Vec<_>>(),
            "properties": {
                "filesScanned": report.files_scanned,
                "suppressed": report.suppressed,
            },
        }],
    });
    // Serializing an in-memory `Value` cannot fail.
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

fn rule_descriptor(rule: Rule) -> Value {
    let help = rule_help(rule);
    json!({
        "id": rule.as_str(),
        "shortDescription": { "text": rule.info().summary },
        "fullDescription": { "text": rule.info().summary },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": "error" },
        "properties": { "tags": ["security", "secrets", "jwt"], "precision": "high" },
    })
}

fn result(finding: &Finding) -> Value {
    json!({
        "ruleId": finding.rule.as_str(),
        "ruleIndex": Rule::ALL.iter().position(|&rule| rule == finding.rule),
        "level": "error",
        "message": { "text": finding.message },
        "locations": [{ "physicalLocation": {
            "artifactLocation": { "uri": uri(&finding.path) },
            "region": { "startLine": finding.line, "startColumn": finding.column },
        }}],
        "partialFingerprints": { "jwtGuard/v1": fingerprint(finding) },
    })
}

fn excepted(excepted: &Excepted) -> Value {
    let mut value = result(&excepted.finding);
    value["suppressions"] = json!([{
        "kind": "external",
        "status": "accepted",
        "justification": excepted.reason,
        "properties": {
            "declaredAt": excepted.declared_at,
            "expires": excepted.expires,
        },
    }]);
    value
}

fn notification(warning: &Warning) -> Value {
    json!({
        "level": "warning",
        "message": { "text": warning.message },
        "locations": [{ "physicalLocation": {
            "artifactLocation": { "uri": uri(&warning.path) },
        }}],
    })
}

/// The path as a URI reference: relative paths stay relative (`./` dropped), absolute
/// ones become `file:///` URIs; separators are `/` and every byte outside RFC 3986's
/// unreserved set is percent-encoded, so spaces, `#`, `%` or `\` in names survive.
fn uri(path: &Path) -> String {
    let mut segments = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::Prefix(prefix) => {
                absolute = true;
                // A Windows drive (`C:`) keeps its colon, as file URIs write it.
                segments.push(percent_encode(prefix.as_os_str().as_encoded_bytes(), b":"));
            }
            Component::RootDir => absolute = true,
            Component::CurDir => {}
            Component::ParentDir => segments.push("..".to_owned()),
            Component::Normal(name) => segments.push(percent_encode(name.as_encoded_bytes(), b"")),
        }
    }
    let joined = segments.join("/");
    if absolute {
        format!("file:///{joined}")
    } else {
        joined
    }
}

fn percent_encode(bytes: &[u8], also_keep: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || also_keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::path::PathBuf;

    use super::*;

    fn finding(rule: Rule, path: &str) -> Finding {
        Finding {
            rule,
            path: PathBuf::from(path),
            line: 7,
            column: 30,
            message: "this literal is bound to a secret-named const".into(),
            masked_line: "const JWT_SECRET: &str = \"MASKED-LINE-MARKER\";".into(),
            highlight: 25..45,
        }
    }

    fn parse(report: &Report) -> Value {
        serde_json::from_str(&sarif(report)).unwrap()
    }

    #[test]
    fn describes_every_rule_with_help() {
        let log = parse(&Report::default());
        assert_eq!(log["version"], "2.1.0");
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "jwt-guard");
        let ids: Vec<&str> = driver["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, Rule::ALL.map(Rule::as_str));
        for rule in driver["rules"].as_array().unwrap() {
            let (id, help) = (
                rule["id"].as_str().unwrap(),
                rule["help"]["text"].as_str().unwrap(),
            );
            // Each rule's help shows the suppression comment to write; an invalid one shows a valid one.
            let shown = if id == "invalid-suppression" {
                "key-literal"
            } else {
                id
            };
            assert!(
                help.contains(&format!("// jwt-guard: allow({shown})")),
                "{id}: {help}"
            );
        }
    }

    #[test]
    fn a_finding_is_a_result_pointing_at_the_literal() {
        let report = Report {
            files_scanned: 1,
            findings: vec![finding(Rule::SecretBinding, "./src/config.rs")],
            ..Report::default()
        };
        let result = &parse(&report)["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "secret-binding");
        assert_eq!(result["ruleIndex"], 3);
        assert_eq!(result["level"], "error");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "src/config.rs");
        assert_eq!(location["region"]["startLine"], 7);
        assert_eq!(location["region"]["startColumn"], 30);
        assert!(!sarif(&report).contains("MASKED-LINE-MARKER"));
    }

    #[test]
    fn warnings_are_notifications_and_counts_are_properties() {
        let report = Report {
            files_scanned: 4,
            suppressed: 2,
            warnings: vec![Warning {
                path: PathBuf::from("src/bad.rs"),
                message: "not valid UTF-8".into(),
            }],
            ..Report::default()
        };
        let run = &parse(&report)["runs"][0];
        let note = &run["invocations"][0]["toolExecutionNotifications"][0];
        assert_eq!(note["level"], "warning");
        assert_eq!(note["message"]["text"], "not valid UTF-8");
        assert_eq!(
            note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "src/bad.rs"
        );
        assert_eq!(run["properties"]["filesScanned"], 4);
        assert_eq!(run["properties"]["suppressed"], 2);
    }

    #[test]
    fn an_excepted_finding_is_a_suppressed_result_with_its_reason() {
        let report = Report {
            excepted: vec![Excepted {
                finding: finding(Rule::SecretBinding, "src/config.rs"),
                reason: "public RFC 7515 test vector".into(),
                expires: None,
                declared_at: "Cargo.toml:21:1".into(),
            }],
            ..Report::default()
        };
        let result = &parse(&report)["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "secret-binding");
        let suppression = &result["suppressions"][0];
        assert_eq!(suppression["kind"], "external");
        assert_eq!(suppression["justification"], "public RFC 7515 test vector");
        assert_eq!(suppression["properties"]["declaredAt"], "Cargo.toml:21:1");
        assert!(!sarif(&report).contains("MASKED-LINE-MARKER"));
    }

    #[test]
    fn uris_are_relative_encoded_references() {
        assert_eq!(uri(Path::new("src/auth.rs")), "src/auth.rs");
        assert_eq!(uri(Path::new("./a b/#1%.rs")), "a%20b/%231%25.rs");
        assert_eq!(uri(Path::new("../x/y.rs")), "../x/y.rs");
        assert_eq!(uri(Path::new("héllo.rs")), "h%C3%A9llo.rs");
    }

    #[cfg(unix)]
    #[test]
    fn absolute_and_backslash_paths_on_unix() {
        assert_eq!(
            uri(Path::new("/srv/app/main.rs")),
            "file:///srv/app/main.rs"
        );
        // On Unix a backslash is part of a file name, not a separator.
        assert_eq!(uri(Path::new("odd\\name.rs")), "odd%5Cname.rs");
    }
}
