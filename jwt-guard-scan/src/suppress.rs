//! Suppression comments: `// jwt-guard: allow(rule-id) reason`.
//!
//! A suppression covers findings of the named rules on its own line and on the next
//! line. It must name known rules and give a reason; otherwise it is itself an
//! [`Rule::InvalidSuppression`] finding (an error, so a bare `allow` cannot silence a secret).

use super::Rule;
use super::lexer::Token;
use super::rule::RuleInfo;
use super::rules::Candidate;

pub(crate) const RULE: RuleInfo = RuleInfo {
    id: "invalid-suppression",
    title: "invalid jwt-guard suppression",
    summary: "A jwt-guard suppression comment has no reason or names an unknown rule.",
    fix: "write `// jwt-guard: allow(<rule>) <reason>` on the finding's line or the line above",
    fires_on: "a suppression without a reason, or naming an unknown rule",
    details: "a `jwt-guard:` comment without a reason, with an unknown rule, or malformed",
    is_secret: false,
    keywords: &[MARKER],
    flagged: &[
        "// jwt-guard: allow(key-literal)\nfn f() {}",
        "// jwt-guard: allow(no-such-rule) a reason\nfn f() {}",
    ],
    not_flagged: &[
        "// jwt-guard: allow(key-literal) public RFC 7515 test vector\nfn f() {}",
        "// the jwt-guard docs explain suppressions\nfn f() {}",
    ],
};

/// A valid suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Suppression {
    pub(crate) line: u32,
    pub(crate) rules: Vec<Rule>,
}

impl Suppression {
    /// True when it silences `rule` reported on `line`.
    pub(crate) fn covers(&self, rule: Rule, line: u32) -> bool {
        (line == self.line || line == self.line + 1) && self.rules.contains(&rule)
    }
}

const MARKER: &str = "jwt-guard:";

/// Reads the suppressions among `comments`; malformed ones come back as candidates.
pub(crate) fn parse(src: &[u8], comments: &[Token]) -> (Vec<Suppression>, Vec<Candidate>) {
    let mut valid = Vec::new();
    let mut invalid = Vec::new();
    for c in comments {
        let text = String::from_utf8_lossy(c.text(src));
        // Doc comments (`///`, `//!`, `/**`, `/*!`) are prose, never suppressions.
        let body = match text.get(..3) {
            Some("///" | "//!" | "/**" | "/*!") if text != "/**/" => continue,
            _ => text
                .get(2..)
                .unwrap_or_default()
                .trim_end_matches("*/")
                .trim(),
        };
        // Only `jwt-guard: allow..` is a suppression; other mentions of the tool are prose.
        let Some(rest) = body
            .strip_prefix(MARKER)
            .map(str::trim)
            .filter(|r| r.starts_with("allow"))
        else {
            continue;
        };
        let problem = match parse_allow(rest) {
            Ok(rules) => {
                valid.push(Suppression {
                    line: c.line,
                    rules,
                });
                continue;
            }
            Err(problem) => problem,
        };
        invalid.push(Candidate {
            rule: Rule::InvalidSuppression,
            span: c.start as usize..c.end as usize,
            secret: Vec::new(),
            message: problem,
        });
    }
    (valid, invalid)
}

/// `allow(rule-a, rule-b) reason` -> the rules, or what is wrong.
pub(crate) fn parse_allow(text: &str) -> Result<Vec<Rule>, String> {
    let usage = "write `jwt-guard: allow(<rule>) <reason>`";
    let Some(inner) = text.strip_prefix("allow") else {
        return Err(format!("malformed suppression: {usage}"));
    };
    let inner = inner.trim_start();
    let (list, reason) = inner
        .strip_prefix('(')
        .and_then(|r| r.split_once(')'))
        .ok_or_else(|| format!("malformed suppression: {usage}"))?;
    let mut rules = Vec::new();
    for id in list.split(',').map(str::trim) {
        let rule = Rule::from_id(id).filter(|r| *r != Rule::InvalidSuppression);
        match rule {
            Some(rule) => rules.push(rule),
            None => {
                let known: Vec<&str> = Rule::ALL.iter().map(|r| r.as_str()).collect();
                // The id is user text from a comment, not a secret: safe to echo.
                let id: String = id.chars().take(40).collect();
                return Err(format!(
                    "unknown rule `{id}` in suppression (known: {})",
                    known.join(", ")
                ));
            }
        }
    }
    let reason = reason.trim().trim_start_matches([':', '-', '—']).trim();
    if reason.is_empty() {
        return Err(format!("suppression without a reason: {usage}"));
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::lex;

    fn run(src: &str) -> (Vec<Suppression>, Vec<String>) {
        let lexed = lex(src.as_bytes());
        let (ok, bad) = parse(src.as_bytes(), &lexed.comments);
        (ok, bad.into_iter().map(|c| c.message).collect())
    }

    #[test]
    fn a_suppression_with_a_reason_covers_its_line_and_the_next() {
        let (ok, bad) =
            run("x(); // jwt-guard: allow(key-literal, secret-binding) RFC 7515 test vector\n");
        assert!(bad.is_empty());
        assert_eq!(ok.len(), 1);
        assert!(ok[0].covers(Rule::KeyLiteral, 1));
        assert!(ok[0].covers(Rule::SecretBinding, 2));
        assert!(!ok[0].covers(Rule::KeyLiteral, 3));
        assert!(!ok[0].covers(Rule::EnvFallback, 1));
    }

    #[test]
    fn missing_reason_unknown_rule_and_malformed_are_errors() {
        let (ok, bad) = run(
            "// jwt-guard: allow(key-literal)\n// jwt-guard: allow(no-such-rule) because\n/* jwt-guard: allow key-literal */\n// jwt-guard: allow(invalid-suppression) x\n",
        );
        assert!(ok.is_empty());
        assert_eq!(bad.len(), 4);
        assert!(bad[0].contains("without a reason"));
        assert!(bad[1].contains("unknown rule `no-such-rule`"));
        assert!(bad[2].contains("malformed"));
        assert!(bad[3].contains("unknown rule"));
    }

    #[test]
    fn ordinary_comments_mentioning_the_tool_are_ignored() {
        let (ok, bad) = run(
            "// we run jwt-guard: it is good\n/// Docs about jwt-guard.\n//! jwt-guard: refuse weak secrets\n/// jwt-guard: allow(key-literal)\n// jwt-guard: the scanner\n",
        );
        assert!(ok.is_empty() && bad.is_empty());
    }
}
