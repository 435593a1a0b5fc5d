//! Reviewed exceptions from the policy file (`[[package.metadata.jwt-guard.exceptions]]`):
//! a finding they cover leaves [`Report::findings`] for [`Report::excepted`], with its
//! reason, so JSON and SARIF show it as suppressed. An expired exception covers nothing:
//! its finding is reported again, saying so.
//!
//! A finding's [`fingerprint`] names it without its position: the rule and its masked
//! line (literals masked, whitespace collapsed), so it survives lines moving above it
//! and changes when the line does. It holds no character of any literal.

use std::path::{Path, PathBuf};

use crate::{Finding, Report, Rule};

/// Which finding of a rule in a file an exception covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Covers {
    /// The finding on this 1-based line.
    Line(usize),
    /// The finding with this [`fingerprint`].
    Fingerprint(String),
}

/// One reviewed exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// The file, as it will be compared with findings' paths (both made absolute).
    pub path: PathBuf,
    /// The rule it silences.
    pub rule: Rule,
    /// Which finding.
    pub covers: Covers,
    /// Why it is accepted.
    pub reason: String,
    /// The last day it holds (`YYYY-MM-DD`, UTC), if any.
    pub expires: Option<String>,
    /// Whether that day has passed: the finding is reported again.
    pub expired: bool,
    /// Where it is declared (`Cargo.toml:21:1`).
    pub declared_at: String,
}

/// A finding an exception covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excepted {
    /// The finding, as it would otherwise have been reported.
    pub finding: Finding,
    /// The exception's reason.
    pub reason: String,
    /// The exception's last day, if any.
    pub expires: Option<String>,
    /// Where the exception is declared.
    pub declared_at: String,
}

/// 16 lower-case hex digits naming `finding` by its rule and masked line (FNV-1a, 64 bits).
pub fn fingerprint(finding: &Finding) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let line = finding.masked_line.split_whitespace().collect::<Vec<_>>();
    let text = format!("{}\0{}", finding.rule.as_str(), line.join(" "));
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

impl Report {
    /// Moves every finding an unexpired exception covers to [`Report::excepted`]; notes
    /// on a finding that an exception covering it has expired.
    pub fn apply_exceptions(&mut self, exceptions: &[Exception]) {
        if exceptions.is_empty() {
            return;
        }
        let targets: Vec<PathBuf> = exceptions.iter().map(|e| comparable(&e.path)).collect();
        let mut kept = Vec::new();
        for mut finding in std::mem::take(&mut self.findings) {
            let path = comparable(&finding.path);
            let print = fingerprint(&finding);
            let covering = exceptions.iter().zip(&targets).filter(|(e, target)| {
                e.rule == finding.rule
                    && **target == path
                    && match &e.covers {
                        Covers::Line(line) => *line == finding.line,
                        Covers::Fingerprint(f) => *f == print,
                    }
            });
            let mut expired = None;
            let mut active = None;
            for (exception, _) in covering {
                if exception.expired {
                    expired.get_or_insert(exception);
                } else {
                    active.get_or_insert(exception);
                }
            }
            match (active, expired) {
                (Some(exception), _) => self.excepted.push(Excepted {
                    finding,
                    reason: exception.reason.clone(),
                    expires: exception.expires.clone(),
                    declared_at: exception.declared_at.clone(),
                }),
                (None, Some(exception)) => {
                    finding.message = format!(
                        "{} (the exception declared at {} expired on {})",
                        finding.message,
                        exception.declared_at,
                        exception.expires.as_deref().unwrap_or_default()
                    );
                    kept.push(finding);
                }
                (None, None) => kept.push(finding),
            }
        }
        self.findings = kept;
    }
}

/// An absolute, symlink-free form when the file exists; else absolute as written.
fn comparable(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The guard's scope and exceptions as a policy file declares them.
#[cfg(feature = "policy-file")]
pub mod policy {
    use super::{Covers, Exception};
    use crate::Rule;
    use jwt_guard_policy::file::Problem;

    pub use jwt_guard_policy::file::{
        Date, GuardRules, PolicyFile, PolicyFileError, lexically_normal,
    };

    /// The file's exceptions, as of `today` (UTC): a rule that is not a scanner rule is an
    /// error naming its line.
    pub fn exceptions(file: &PolicyFile, today: Date) -> Result<Vec<Exception>, PolicyFileError> {
        let mut problems = Vec::new();
        let mut out = Vec::new();
        for exception in &file.exceptions {
            let rule = Rule::from_id(&exception.rule).filter(|r| *r != Rule::InvalidSuppression);
            let Some(rule) = rule else {
                let known: Vec<&str> = Rule::ALL
                    .iter()
                    .filter(|r| **r != Rule::InvalidSuppression)
                    .map(|r| r.as_str())
                    .collect();
                problems.push(Problem {
                    location: exception.rule_at.clone(),
                    key: Some("rule".to_owned()),
                    message: format!(
                        "unknown rule {:?}; expected one of {}",
                        exception.rule,
                        known.join(", ")
                    ),
                });
                continue;
            };
            let covers = match (&exception.line, &exception.fingerprint) {
                (Some(line), _) => Covers::Line(*line),
                (None, Some(print)) => Covers::Fingerprint(print.clone()),
                (None, None) => continue,
            };
            out.push(Exception {
                path: exception.path.clone(),
                rule,
                covers,
                reason: exception.reason.clone(),
                expires: exception.expires.map(|d| d.to_string()),
                expired: exception.is_expired(today),
                declared_at: exception.declared_at.to_string(),
            });
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(PolicyFileError::new(problems))
        }
    }

    /// The guard's scope.
    pub fn guard(file: &PolicyFile) -> Result<&GuardRules, PolicyFileError> {
        Ok(&file.guard)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{ScanOptions, scan_source};

    const SRC: &str = "const JWT_SECRET: &str = \"Dv7pLm2vRt9sWk4bNz8c\";\nconst APP_SECRET: &str = \"Te2bRt8yVbNmQa\";\n";

    fn report() -> Report {
        scan_source(
            Path::new("src/lib.rs"),
            SRC.as_bytes(),
            &ScanOptions::default(),
        )
    }

    fn exception(covers: Covers, expired: bool) -> Exception {
        Exception {
            path: PathBuf::from("src/lib.rs"),
            rule: Rule::SecretBinding,
            covers,
            reason: "fixture".into(),
            expires: expired.then(|| "2020-01-01".into()),
            expired,
            declared_at: "Cargo.toml:9:1".into(),
        }
    }

    #[test]
    fn an_exception_covers_one_finding_by_line_or_fingerprint() {
        let mut by_line = report();
        assert_eq!(by_line.findings.len(), 2);
        by_line.apply_exceptions(&[exception(Covers::Line(2), false)]);
        assert_eq!(
            by_line.findings.iter().map(|f| f.line).collect::<Vec<_>>(),
            [1]
        );
        assert_eq!(by_line.excepted[0].finding.line, 2);
        assert_eq!(by_line.excepted[0].reason, "fixture");

        let mut by_print = report();
        let print = fingerprint(&by_print.findings[0]);
        assert_ne!(print, fingerprint(&by_print.findings[1]));
        assert!(!print.contains("Dv7p"));
        by_print.apply_exceptions(&[exception(Covers::Fingerprint(print), false)]);
        assert_eq!(
            by_print.findings.iter().map(|f| f.line).collect::<Vec<_>>(),
            [2]
        );

        // Another rule, another file or another line covers nothing.
        let mut other = report();
        let mut wrong_rule = exception(Covers::Line(2), false);
        wrong_rule.rule = Rule::KeyLiteral;
        let mut wrong_path = exception(Covers::Line(2), false);
        wrong_path.path = PathBuf::from("src/main.rs");
        other.apply_exceptions(&[wrong_rule, wrong_path, exception(Covers::Line(3), false)]);
        assert_eq!(other.findings.len(), 2);
        assert!(other.excepted.is_empty());
    }

    #[test]
    fn the_fingerprint_survives_lines_moving_above() {
        let moved = format!("\n\n{SRC}");
        let moved = scan_source(
            Path::new("src/lib.rs"),
            moved.as_bytes(),
            &ScanOptions::default(),
        );
        assert_eq!(
            fingerprint(&moved.findings[0]),
            fingerprint(&report().findings[0])
        );
    }

    #[test]
    fn an_expired_exception_turns_back_into_a_finding() {
        let mut report = report();
        report.apply_exceptions(&[exception(Covers::Line(1), true)]);
        assert_eq!(report.findings.len(), 2);
        assert!(report.excepted.is_empty());
        assert!(
            report.findings[0]
                .message
                .ends_with("(the exception declared at Cargo.toml:9:1 expired on 2020-01-01)"),
            "{}",
            report.findings[0].message
        );
    }
}
