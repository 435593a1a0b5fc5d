//! `scan` on a hardcoded JWT: is it signed with a publicly known secret? Then the
//! finding says so, since anyone can forge tokens for the service that accepts it. The
//! check is `audit-token`'s, over the same built-in list; it lives in the CLI, so a build
//! script's guard never compiles the list.
//!
//! The scanner reports where a literal is, never what it holds: the token is read back
//! from the file at the finding's position, checked, and dropped. The finding's message
//! names the list entry's source and index, never the secret, and the line stays masked.

use std::path::Path;

use jwt_guard_scan::{Finding, Report, Rule};

use crate::audit_token::MAX_TOKENS;
use crate::hmac_search::{self, Target};
use crate::jwt_token::{self, Shape};
use crate::known_secrets::Candidates;

/// Adds "signed with a publicly known secret" to every jwt-literal finding whose token
/// is (for the first [`MAX_TOKENS`] distinct tokens of the report).
pub(crate) fn mark_public_secrets(report: &mut Report) {
    let literals: Vec<(usize, String)> = report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, finding)| finding.rule == Rule::JwtLiteral)
        .filter_map(|(i, finding)| Some((i, literal(finding)?)))
        .collect();
    if literals.is_empty() {
        return;
    }
    // The list cannot fail to load unless the binary is damaged; the findings stand anyway.
    let Ok(candidates) = Candidates::get() else {
        return;
    };
    let mut distinct: Vec<&str> = Vec::new();
    let mut targets: Vec<Target<'_>> = Vec::new();
    for (_, token) in &literals {
        if distinct.len() < MAX_TOKENS
            && !distinct.contains(&token.as_str())
            && let Shape::Hmac { target, .. } = jwt_token::shape(token)
        {
            distinct.push(token);
            targets.push(target);
        }
    }
    let found = hmac_search::search(candidates, &targets, hmac_search::cores());
    for (i, token) in &literals {
        let hit = distinct
            .iter()
            .position(|t| t == token)
            .and_then(|slot| found[slot]);
        if let Some(index) = hit {
            report.findings[*i].message.push_str(&format!(
                "; it is signed with a publicly known secret ({}): anyone can forge tokens \
                 for the service that accepts it, so rotate that secret",
                candidates.source(index)
            ));
        }
    }
}

/// The token inside a jwt-literal finding's literal, read back from its file.
fn literal(finding: &Finding) -> Option<String> {
    if finding.masked_line.contains('\n') {
        return None;
    }
    let text = read(&finding.path)?;
    let line = text.lines().nth(finding.line.checked_sub(1)?)?;
    let literal: String = line
        .chars()
        .skip(finding.highlight.start)
        .take(finding.highlight.len())
        .collect();
    // "…", r"…", r#"…"#, b"…": the JWT is between the first and the last quote.
    let start = literal.find('"')? + 1;
    let end = literal.rfind('"')?;
    let token = literal.get(start..end)?;
    token.starts_with("eyJ").then(|| token.to_owned())
}

fn read(path: &Path) -> Option<String> {
    let (file, _) = jwt_guard_scan::open_regular_file(path).ok()?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(file, 8 << 20), &mut text).ok()?;
    Some(text)
}
