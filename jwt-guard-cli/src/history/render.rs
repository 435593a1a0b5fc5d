//! A history report as text, JSON (the v1 contract plus history fields) and SARIF (with
//! `versionControlProvenance`).

use std::fmt::Write as _;
use std::path::Path;

use jwt_guard_scan::{Finding, format, shown};
use serde::Serialize;
use serde_json::{Value, json};

use super::committed::{CommitId, History, Origin, Secret, short};
use super::date;

/// The advice every secret of the history gets.
pub(crate) const ADVICE: &str = "rotate: it is in history";

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn commit_text(commit: &CommitId) -> String {
    format!("{} ({})", short(&commit.id), date::day(commit.time))
}

/// rustc-style diagnostics, each with the commit that brought it, then one line per
/// distinct secret, then the summary.
pub(crate) fn human(history: &History) -> String {
    let mut out = String::new();
    for (finding, origin) in history.report.findings.iter().zip(&history.origins) {
        out.push_str(&with_note(finding, origin));
        out.push_str("\n\n");
    }
    for warning in &history.report.warnings {
        out.push_str(&warning.render());
        out.push('\n');
    }
    if !history.secrets.is_empty() {
        let _ = writeln!(
            out,
            "{} in the history; anyone with a clone can sign tokens with each of them:",
            plural(history.secrets.len(), "distinct secret")
        );
        for secret in &history.secrets {
            let _ = writeln!(
                out,
                "  secret {}: {}",
                secret.fingerprint,
                secret_line(secret)
            );
        }
    }
    let _ = writeln!(
        out,
        "jwt-guard: {} of {} ({}) scanned, {}, {}, {} suppressed, {}",
        plural(history.report.files_scanned, "blob"),
        plural(history.commits, "commit"),
        history.revisions.join(" "),
        plural(history.report.findings.len(), "finding"),
        plural(history.secrets.len(), "distinct secret"),
        history.report.suppressed,
        plural(history.report.warnings.len(), "error"),
    );
    out
}

/// `first committed in 1a2b3c4d5e6f (2024-05-01, src/auth.rs:3), removed in ...: rotate: it is in history`.
pub(crate) fn secret_line(secret: &Secret) -> String {
    let mut line = format!(
        "first committed in {} at {}:{}",
        commit_text(&secret.first),
        shown(&secret.first_path),
        secret.first_line
    );
    if !secret.present_at.is_empty() {
        let places: Vec<String> = secret
            .present_at
            .iter()
            .map(|(path, line)| format!("{}:{line}", shown(path)))
            .collect();
        let _ = write!(line, ", still present at HEAD ({})", places.join(", "));
    } else if let Some(removed) = &secret.removed_in {
        let _ = write!(
            line,
            ", last in {}, removed in {}",
            commit_text(&secret.last),
            commit_text(removed)
        );
    } else if !secret.in_head_history {
        let _ = write!(
            line,
            ", not in HEAD's history (last brought by {})",
            commit_text(&secret.last)
        );
    } else {
        let _ = write!(line, ", last in {}", commit_text(&secret.last));
    }
    let _ = write!(line, ": {ADVICE}");
    line
}

/// The finding's diagnostic with a note naming its commit, aligned with rustc's `= note:`.
fn with_note(finding: &Finding, origin: &Origin) -> String {
    let rendered = finding.render();
    let indent = rendered
        .lines()
        .rev()
        .find_map(|line| line.find("= ").map(|at| " ".repeat(at)))
        .unwrap_or_else(|| "  ".to_owned());
    let state = if origin.still_present {
        "still present at HEAD"
    } else {
        "no longer at HEAD"
    };
    format!(
        "{}\n{indent}= note: committed in {}, secret {}, {state}: {ADVICE}",
        rendered.trim_end(),
        commit_text(&origin.commit),
        origin.secret,
    )
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files_scanned: usize,
    suppressed: usize,
    findings: Vec<JsonFinding<'a>>,
    warnings: Vec<format::JsonWarning<'a>>,
    excepted: Vec<format::JsonExcepted<'a, JsonFinding<'a>>>,
    history: JsonHistory<'a>,
}

/// The v1 finding's fields, in its order, then the history's.
#[derive(Serialize)]
struct JsonFinding<'a> {
    #[serde(flatten)]
    v1: format::JsonFinding<'a>,
    commit: JsonCommit,
    secret: String,
    still_present: bool,
}

#[derive(Serialize)]
struct JsonCommit {
    id: String,
    date: String,
}

#[derive(Serialize)]
struct JsonHistory<'a> {
    revisions: &'a [String],
    head: Option<JsonCommit>,
    commits_scanned: usize,
    blobs_scanned: usize,
    secrets: Vec<JsonSecret>,
}

#[derive(Serialize)]
struct JsonSecret {
    secret: String,
    first_commit: JsonCommit,
    first_path: String,
    first_line: usize,
    last_commit: JsonCommit,
    removed_in: Option<JsonCommit>,
    still_present: bool,
    in_head_history: bool,
    present_at: Vec<JsonPlace>,
    places: usize,
    advice: &'static str,
}

#[derive(Serialize)]
struct JsonPlace {
    path: String,
    line: usize,
}

fn json_commit(commit: &CommitId) -> JsonCommit {
    JsonCommit {
        id: commit.id.to_string(),
        date: date::iso8601(commit.time),
    }
}

fn lossy(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A finding as the v1 contract has it (`fingerprint` names it for an exception), then
/// where it comes from in the history.
fn json_finding<'a>(v1: format::JsonFinding<'a>, origin: &Origin) -> JsonFinding<'a> {
    JsonFinding {
        v1,
        commit: json_commit(&origin.commit),
        secret: origin.secret.to_string(),
        still_present: origin.still_present,
    }
}

/// The v1 JSON report with, on each finding, `commit` (`id`, `date`), `secret` (the
/// fingerprint) and `still_present`, and a top-level `history` object. `excepted` lists
/// the findings a policy file's exceptions cover, as `scan` does, with the same fields.
pub(crate) fn json(history: &History) -> String {
    let report = &history.report;
    let rendered = JsonReport {
        version: 1,
        files_scanned: report.files_scanned,
        suppressed: report.suppressed,
        findings: report
            .findings
            .iter()
            .zip(&history.origins)
            .map(|(f, origin)| json_finding(f.into(), origin))
            .collect(),
        warnings: report.warnings.iter().map(Into::into).collect(),
        excepted: report
            .excepted
            .iter()
            .zip(&history.excepted_origins)
            .map(|(e, origin)| {
                let finding = json_finding(format::JsonFinding::excepted(&e.finding), origin);
                format::JsonExcepted::with(e, finding)
            })
            .collect(),
        history: JsonHistory {
            revisions: &history.revisions,
            head: history.head.as_ref().map(json_commit),
            commits_scanned: history.commits,
            blobs_scanned: report.files_scanned,
            secrets: history
                .secrets
                .iter()
                .map(|s| JsonSecret {
                    secret: s.fingerprint.to_string(),
                    first_commit: json_commit(&s.first),
                    first_path: lossy(&s.first_path),
                    first_line: s.first_line,
                    last_commit: json_commit(&s.last),
                    removed_in: s.removed_in.as_ref().map(json_commit),
                    still_present: !s.present_at.is_empty(),
                    in_head_history: s.in_head_history,
                    present_at: s
                        .present_at
                        .iter()
                        .map(|(path, line)| JsonPlace {
                            path: lossy(path),
                            line: *line,
                        })
                        .collect(),
                    places: s.places,
                    advice: ADVICE,
                })
                .collect(),
        },
    };
    // Plain structs of strings and integers serialize into memory without failing.
    serde_json::to_string_pretty(&rendered).unwrap_or_default()
}

/// The scanner's SARIF log, with the repository and HEAD in the run's
/// `versionControlProvenance`, each result's commit in its `properties` (an excepted
/// finding's suppressed result too), and the distinct secrets in the run's
/// `properties.history`.
pub(crate) fn sarif(history: &History) -> String {
    let mut log: Value = serde_json::from_str(&format::sarif(&history.report)).unwrap_or_default();
    if let Some(run) = log.pointer_mut("/runs/0") {
        let mut provenance = json!({ "repositoryUri": history.uri });
        if let Some(head) = &history.head {
            provenance["revisionId"] = json!(head.id.to_string());
            provenance["asOfTimeUtc"] = json!(date::iso8601(head.time));
        }
        if let Some(branch) = &history.branch {
            provenance["branch"] = json!(branch);
        }
        run["versionControlProvenance"] = json!([provenance]);
        if let Some(results) = run.get_mut("results").and_then(Value::as_array_mut) {
            // Findings, then the excepted ones (suppressed results), as `format::sarif` lists them.
            let origins = history.origins.iter().chain(&history.excepted_origins);
            for (result, origin) in results.iter_mut().zip(origins) {
                result["properties"] = json!({
                    "commit": origin.commit.id.to_string(),
                    "commitDate": date::iso8601(origin.commit.time),
                    "secret": origin.secret.to_string(),
                    "stillPresent": origin.still_present,
                    "advice": ADVICE,
                });
            }
        }
        if let Some(properties) = run.get_mut("properties") {
            properties["history"] = json!({
                "revisions": history.revisions,
                "commitsScanned": history.commits,
                "blobsScanned": history.report.files_scanned,
                "secrets": history.secrets.iter().map(|s| json!({
                    "secret": s.fingerprint.to_string(),
                    "firstCommit": s.first.id.to_string(),
                    "firstCommitDate": date::iso8601(s.first.time),
                    "firstPath": lossy(&s.first_path),
                    "firstLine": s.first_line,
                    "lastCommit": s.last.id.to_string(),
                    "removedIn": s.removed_in.map(|c| c.id.to_string()),
                    "stillPresent": !s.present_at.is_empty(),
                    "advice": ADVICE,
                })).collect::<Vec<_>>(),
            });
        }
    }
    serde_json::to_string_pretty(&log).unwrap_or_default()
}
