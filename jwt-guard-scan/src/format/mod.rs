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

pub use json::{JsonExcepted, JsonFinding, JsonWarning, json};
pub use sarif::sarif;

use super::Rule;

/// How to fix a finding of `rule`, for SARIF rule metadata.
fn rule_help(rule: Rule) -> String {
    let info = rule.info();
    if info.is_secret {
        SECRET_HELP.replace("RULE", info.id)
    } else {
        let ids: Vec<&str> = Rule::ALL
            .iter()
            .filter(|r| r.info().is_secret)
            .map(|r| r.as_str())
            .collect();
        format!("{INVALID_SUPPRESSION_HELP} Rules: {}.", ids.join(", "))
    }
}

/// How to fix a hardcoded secret (`RULE` stands for the rule's id).
const SECRET_HELP: &str = "Load the secret at start-up instead (#[jwt_secret_env] or JwtSecret::from_env()), \
and generate a new one, since this one is in the history: `openssl rand -base64 48`. \
If the literal is not a secret, suppress with `// jwt-guard: allow(RULE) <reason>` \
on its line or the line above.";

const INVALID_SUPPRESSION_HELP: &str = "A suppression needs a known rule and a reason: \
`// jwt-guard: allow(key-literal) public RFC 7515 test vector`, on the finding's line or the line above.";
