//! Machine-readable renderings of a [`Report`](super::Report), for CI and dashboards.
//!
//! - [`json`]: the stable `version: 1` contract of `jwt-guard scan --format json`;
//! - [`sarif`]: a SARIF 2.1.0 log, for code-scanning dashboards.
//!
//! Both render only what a [`Finding`](super::Finding) holds besides its masked line:
//! rule, path, position and message. No source text is ever copied, so no character
//! of a flagged literal can reach these outputs.

mod json;
mod sarif;

pub use json::json;
pub use sarif::sarif;

use super::Rule;

/// What a rule catches, one line, for SARIF rule metadata.
fn rule_summary(rule: Rule) -> &'static str {
    match rule {
        Rule::KeyLiteral => "A literal is given to a JWT/HMAC key constructor.",
        Rule::EnvFallback => {
            "A literal is used when a secret-named environment variable is missing."
        }
        Rule::BuildTimeEmbed => {
            "env!/option_env! bakes a secret-named variable into the binary at build time."
        }
        Rule::SecretBinding => "A literal is bound to a secret-named item, field, key or method.",
        Rule::JwtLiteral => "A literal is itself a JWT.",
        Rule::InvalidSuppression => {
            "A jwt-guard suppression comment has no reason or names an unknown rule."
        }
    }
}

/// How to fix a finding of `rule`.
fn rule_help(rule: Rule) -> String {
    match rule {
        Rule::InvalidSuppression => INVALID_SUPPRESSION_HELP.to_owned(),
        _ => SECRET_HELP.replace("RULE", rule.as_str()),
    }
}

/// How to fix a hardcoded secret (`RULE` stands for the rule's id).
const SECRET_HELP: &str = "Load the secret at start-up instead (#[jwt_secret_env] or JwtSecret::from_env()), \
and generate a new one, since this one is in the history: `openssl rand -base64 48`. \
If the literal is not a secret, suppress with `// jwt-guard: allow(RULE) <reason>` \
on its line or the line above.";

const INVALID_SUPPRESSION_HELP: &str = "A suppression needs a known rule and a reason: \
`// jwt-guard: allow(key-literal) public RFC 7515 test vector`, on the finding's line or the line above. \
Rules: key-literal, env-fallback, build-time-embed, secret-binding, jwt-literal.";
