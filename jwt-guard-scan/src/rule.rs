//! The rules' catalogue. Each rule is declared once, in its own module, as a
//! [`RuleInfo`]; human output, SARIF `rules[]`, the prefilter, suppression ids and the
//! documentation tables are all derived from these declarations, and each declaration's
//! examples are run as tests.

use crate::rules::{build_time_embed, env_fallback, jwt_literal, key_literal, secret_binding};
use crate::suppress;

/// A guard rule. `as_str()` is the name users write in suppressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// A literal given to a JWT/HMAC key constructor.
    KeyLiteral,
    /// A literal used when a secret-named environment variable is missing.
    EnvFallback,
    /// `env!`/`option_env!` of a secret-named variable.
    BuildTimeEmbed,
    /// A literal bound to a secret-named const, static, let, field, key, ...
    SecretBinding,
    /// A literal that is itself a JWT.
    JwtLiteral,
    /// A literal JWT secret in a deployment or configuration file.
    ConfigSecret,
    /// A `jwt-guard:` suppression comment without a reason, or naming an unknown rule.
    InvalidSuppression,
}

/// Everything about a rule that is not its matching code.
#[derive(Debug)]
#[non_exhaustive]
pub struct RuleInfo {
    /// The stable id users write in suppressions: `key-literal`.
    pub id: &'static str,
    /// The diagnostic's headline: `hardcoded JWT secret`.
    pub title: &'static str,
    /// One sentence for SARIF and dashboards.
    pub summary: &'static str,
    /// What to do instead, one line.
    pub fix: &'static str,
    /// What it fires on, for the documentation tables (Markdown).
    pub fires_on: &'static str,
    /// Every shape it fires on, for the rules reference (Markdown).
    pub details: &'static str,
    /// Whether a finding is a secret in the source (rotate it), or a problem of the
    /// suppression comments themselves.
    pub is_secret: bool,
    /// Substrings a file must contain for this rule to fire (the prefilter).
    pub keywords: &'static [&'static str],
    /// Sources it must fire on (each is a test).
    pub flagged: &'static [&'static str],
    /// Twins it must not fire on, nor any other rule (each is a test).
    pub not_flagged: &'static [&'static str],
}

impl Rule {
    /// Every rule, in a stable order.
    pub const ALL: [Rule; 7] = [
        Rule::KeyLiteral,
        Rule::EnvFallback,
        Rule::BuildTimeEmbed,
        Rule::SecretBinding,
        Rule::JwtLiteral,
        Rule::ConfigSecret,
        Rule::InvalidSuppression,
    ];

    /// The rule's declaration.
    pub fn info(self) -> &'static RuleInfo {
        match self {
            Rule::KeyLiteral => &key_literal::RULE,
            Rule::EnvFallback => &env_fallback::RULE,
            Rule::BuildTimeEmbed => &build_time_embed::RULE,
            Rule::SecretBinding => &secret_binding::RULE,
            Rule::JwtLiteral => &jwt_literal::RULE,
            Rule::ConfigSecret => &crate::config::rule::RULE,
            Rule::InvalidSuppression => &suppress::RULE,
        }
    }

    /// The stable id: `key-literal`, `env-fallback`, `build-time-embed`, `secret-binding`,
    /// `jwt-literal`, `config-secret`, `invalid-suppression`.
    pub fn as_str(self) -> &'static str {
        self.info().id
    }

    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.as_str() == id)
    }
}

/// The substrings the rules' own prefilter looks for (besides secret names, which
/// `names::may_contain_secret_name` finds).
pub(crate) fn prefilter_keywords() -> Vec<String> {
    // Each once, in the rules' order (`Keywords` sorts them its own way).
    let mut keywords: Vec<String> = Vec::new();
    for rule in Rule::ALL {
        for &k in rule.info().keywords {
            if !keywords.iter().any(|have| have == k) {
                keywords.push(k.to_owned());
            }
        }
    }
    // A keyword containing another one adds nothing.
    let all = keywords.clone();
    keywords.retain(|k| {
        !all.iter()
            .any(|other| other != k && k.contains(other.as_str()))
    });
    keywords
}

/// The rules table of the README and the docs: `| rule | fires on |`.
// `#[inline]`, like `rules_reference`: compiled only where it is called (the docs tests),
// not into every build script that compiles the scanner.
#[inline]
pub fn rules_table() -> String {
    let mut table = String::from("| rule | fires on |\n|---|---|\n");
    for rule in Rule::ALL {
        let info = rule.info();
        table.push_str(&format!("| `{}` | {} |\n", info.id, info.fires_on));
    }
    table
}

/// The rules reference (`docs/rules.md`): each rule's summary, shapes, fix and examples.
// `#[inline]`: compiled only where it is called (the docs test), not into every build
// script that compiles the scanner.
#[inline]
pub fn rules_reference() -> String {
    let mut out = String::from(
        "# jwt-guard rules\n\nGenerated from the rule declarations of `jwt-guard-scan` \
(`cargo test -p jwt-guard-scan` fails when this file is stale; `JWT_GUARD_BLESS=1` rewrites it).\n\n",
    );
    out.push_str(&rules_table());
    for rule in Rule::ALL {
        let info = rule.info();
        out.push_str(&format!("\n## `{}`\n\n{}\n\n", info.id, info.summary));
        out.push_str(&format!(
            "Fires on: {}.\n\nFix: {}.\n\n",
            info.details, info.fix
        ));
        if info.id == crate::config::rule::RULE.id {
            out.push_str(&format!(
                "Suppress, with a reason: `# jwt-guard: allow({}) <reason>` on the line or the line above \
(JSON has no comments: `--exclude` the file, or list a reviewed exception in `jwt-guard.toml`).\n\n",
                info.id
            ));
        } else if info.is_secret {
            out.push_str(&format!(
                "Suppress, with a reason: `// jwt-guard: allow({}) <reason>` on the line or the line above.\n\n",
                info.id
            ));
        }
        for (title, examples) in [("Flagged", info.flagged), ("Not flagged", info.not_flagged)] {
            // Configuration examples name their file on their first line (`# file: .env`).
            let fence = if examples.iter().any(|e| e.starts_with("# file: ")) {
                "text"
            } else {
                "rust"
            };
            out.push_str(&format!("{title}:\n\n```{fence}\n"));
            for example in examples {
                out.push_str(example);
                out.push('\n');
            }
            out.push_str("```\n\n");
        }
    }
    out.push_str(&crate::rules::sinks::reference());
    out.push_str("\n## Known gaps\n\n");
    out.push_str(crate::rules::KNOWN_GAPS);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{ScanOptions, scan_source};

    fn rules_of(source: &str) -> Vec<Rule> {
        let report = scan_source(
            &crate::config::example_path(source),
            source.as_bytes(),
            &ScanOptions::default(),
        );
        report.findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn every_rule_fires_on_its_examples_and_not_on_their_twins() {
        for rule in Rule::ALL {
            let info = rule.info();
            assert!(
                !info.flagged.is_empty() && !info.not_flagged.is_empty(),
                "{}",
                info.id
            );
            for source in info.flagged {
                assert!(
                    rules_of(source).contains(&rule),
                    "{} misses: {source}",
                    info.id
                );
            }
            for source in info.not_flagged {
                assert_eq!(
                    rules_of(source),
                    [],
                    "{} twin is flagged: {source}",
                    info.id
                );
            }
        }
    }

    #[test]
    fn ids_are_unique_and_found_again() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.as_str()), Some(rule));
        }
        assert_eq!(Rule::from_id("no-such-rule"), None);
    }

    #[test]
    fn every_flagged_example_passes_the_prefilter_through_its_own_keywords() {
        for rule in Rule::ALL {
            let info = rule.info();
            for source in info.flagged {
                let own = info.keywords.iter().any(|k| source.contains(k));
                let named = crate::names::may_contain_secret_name(source.as_bytes());
                assert!(own || named, "{}: no keyword in {source}", info.id);
            }
        }
    }

    #[test]
    fn docs_rules_md_is_generated_from_the_declarations() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md");
        let expected = rules_reference();
        if std::env::var_os("JWT_GUARD_BLESS").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            actual == expected,
            "docs/rules.md is stale: rerun with JWT_GUARD_BLESS=1"
        );
    }

    #[test]
    fn the_readme_rules_table_is_the_declared_one() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&rules_table()),
            "README.md's rule table differs from the declarations; it should read:\n{}",
            rules_table()
        );
    }
}
