//! Is a slot a hardcoded JWT secret? Its name (and its parents' names) must say it holds
//! one, and its value must be a literal rather than a reference to somewhere else.

use super::{How, Slot};
use crate::Rule;
use crate::literal::base64_decode;
use crate::names::{is_env_var_name, is_obviously_not_a_secret};
use crate::rules::Candidate;
use jwt_guard_policy::names::{NameKind, classify};
use std::ops::Range;

/// Words of a parent key that make a generic secret name a JWT's: `[jwt] secret_key`,
/// `JwtSettings.SecretKey`, `auth.token.key`.
const JWT_CONTEXT: &[&str] = &[
    "jwt",
    "jws",
    "jwts",
    "hmac",
    "token",
    "tokens",
    "signing",
    "auth",
    "authentication",
    "jsonwebtoken",
    "bearer",
];

/// Words of a secret name that say it is not a JWT's, even under a JWT-ish parent.
const OTHER_SECRETS: &[&str] = &["client", "webhook", "api", "oauth", "oidc", "existing"];

/// Words of a parent key that say its secrets are a third party's: `[auth.external.apple]
/// secret`, `oauth.github.secret`, `smtp.secret`.
const OTHER_PARENTS: &[&str] = &[
    "external",
    "oauth",
    "oauth2",
    "oidc",
    "provider",
    "providers",
    "client",
    "clients",
    "smtp",
    "mail",
    "database",
    "db",
    "redis",
    "s3",
    "aws",
    "stripe",
    "webhook",
    "webhooks",
];

/// A key's lower-case words (`JwtSettings` -> `jwt settings`), by the shared vocabulary's
/// splitting.
fn words(name: &str) -> Vec<String> {
    jwt_guard_policy::names::words(name).collect()
}

/// Whether the slot at `keys` holds a JWT secret: its own name says so (`JWT_SECRET`,
/// `jwtSecret`, `signing_key`, `secret`), or it is a generic secret or key name
/// (`SECRET_KEY`, `SecretKey`, `key`) under a parent that says JWT.
pub(crate) fn is_jwt_slot(keys: &[String]) -> bool {
    let Some((name, parents)) = keys.split_last() else {
        return false;
    };
    // Most slots (`image`, `replicas`, `name`) end here, before any parent is read.
    if !may_name_a_secret(name) {
        return false;
    }
    let own = words(name);
    if own.iter().any(|w| OTHER_SECRETS.contains(&w.as_str())) {
        return false;
    }
    // A third party's section makes a generic secret (`secret`, `signing_key`) its own,
    // not one that names a JWT (`provider.environment.JWT_SECRET` in serverless.yml).
    let names_jwt = own.iter().any(|w| w.starts_with("jwt") || w == "jws");
    if !names_jwt
        && parents
            .iter()
            .any(|p| words(p).iter().any(|w| OTHER_PARENTS.contains(&w.as_str())))
    {
        return false;
    }
    let context = || {
        parents.iter().any(|p| {
            words(p)
                .iter()
                .any(|w| JWT_CONTEXT.contains(&w.as_str()) || w.starts_with("jwt"))
        })
    };
    match classify(name) {
        NameKind::JwtSecret => true,
        NameKind::Secret => context(),
        NameKind::NotSecret => {
            matches!(own.as_slice(), [k] if k == "key" || k == "secret" || k == "keys") && context()
        }
    }
}

/// Whether a slot with this own name can be a JWT secret under some parents: a secret
/// name, or a generic `key`/`secret` that a JWT parent makes one.
pub(crate) fn may_name_a_secret(name: &str) -> bool {
    let word = name.trim_matches(|c: char| !c.is_alphanumeric());
    ["key", "secret", "keys"]
        .iter()
        .any(|generic| word.eq_ignore_ascii_case(generic))
        || classify(name) != NameKind::NotSecret
}

/// The value's verdict.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Value {
    /// A literal: this byte range of the file (the default of `${VAR:-default}`, or the
    /// whole value) and the text judged.
    Literal(Range<usize>, String),
    /// Nothing to flag: empty, a reference, an encrypted value, a path, ...
    Not,
}

/// The Serverless Framework's variable sources (`serverless.yml`): `${env:NAME}` reads the
/// environment, `${ssm:..}` the parameter store, `${self:..}` the file itself, ...
const VARIABLE_SOURCES: &[&str] = &[
    "env", "ssm", "self", "opt", "sls", "cf", "s3", "param", "aws",
];

/// Reads a value: references (`${VAR}`, `$VAR`, `$(cmd)`, `{{ .Values.x }}`,
/// `${{ secrets.X }}`, `ENC[...]`, `*alias`) are not literals; the default of
/// `${VAR:-default}`, `${VAR-default}` and `${VAR:default}` is.
pub(crate) fn read_value(text: &str, at: usize, decoded: bool) -> Value {
    let trimmed = text.trim();
    let lead = text.len() - text.trim_start().len();
    if trimmed.is_empty() {
        return Value::Not;
    }
    // `${NAME<op>word}` as the whole value: a default is a literal.
    if !decoded && let Some(inner) = trimmed.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        let name_len = inner
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
            .count();
        let rest = &inner[name_len..];
        let default = if rest.starts_with(':') && VARIABLE_SOURCES.contains(&&inner[..name_len]) {
            // The Serverless Framework's `${source:address, fallback}` (`${env:JWT_SECRET}`,
            // `${ssm:/api/jwt}`, `${self:custom.jwt}`): the address is no value, a fallback is.
            rest.split_once(',').map(|(_, fallback)| fallback.trim())
        } else {
            rest.strip_prefix(":-")
                .or_else(|| rest.strip_prefix('-'))
                .or_else(|| {
                    rest.strip_prefix(':')
                        .filter(|r| !r.starts_with(['?', '+']))
                })
        };
        if name_len > 0
            && let Some(default) = default
            && !default.contains('$')
            && !default.contains('{')
        {
            let default = default.trim_matches(['"', '\'']);
            let offset = default.as_ptr() as usize - text.as_ptr() as usize;
            return read_value(default, at + offset, false);
        }
        return Value::Not;
    }
    if trimmed.contains("${")
        || trimmed.contains("{{")
        || trimmed.contains("$(")
        || trimmed.contains("%{")
        || trimmed.contains("#{")
        || trimmed.starts_with('`')
        || trimmed.starts_with('*')
        || trimmed.starts_with("ENC[")
        || trimmed.starts_with("env(")
        || trimmed.starts_with("secret(")
        || trimmed.starts_with("vault:")
        || trimmed.starts_with("ref+")
        || trimmed.starts_with("@Microsoft.KeyVault")
        || trimmed.starts_with("arn:")
        || trimmed.starts_with("!")
        || is_dollar_reference(trimmed)
        // An upper-case word (`CHANGE_ME`) is a value here, not a variable's name.
        || (is_obviously_not_a_secret(trimmed) && !is_env_var_name(trimmed))
        || matches!(
            trimmed.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "none" | "nil" | "~" | "yes" | "no" | "on" | "off" | "{}" | "[]" | "''" | "\"\""
        )
    {
        return Value::Not;
    }
    Value::Literal(at + lead..at + lead + trimmed.len(), trimmed.to_owned())
}

/// `$NAME` or `$NAME` with more after it, `%NAME%` (Windows).
fn is_dollar_reference(t: &str) -> bool {
    let word = |s: &str| {
        s.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
    };
    t.strip_prefix('$').is_some_and(word)
        || (t.len() > 2
            && t.starts_with('%')
            && t.ends_with('%')
            && !t[1..t.len() - 1].contains(' '))
}

/// A value in a template that is an instruction to whoever copies it, not a working value:
/// `<generate-me>`, `[secret]`, `CHANGE_ME_TOO`, `your-jwt-secret-here`, `xxxxx`, `...`.
pub(crate) fn is_instruction(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty()
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('[') && v.ends_with(']'))
        || v.chars().all(|c| !c.is_alphanumeric())
    {
        return true;
    }
    let words = words(v);
    let joined = words.concat();
    words.iter().any(|w| {
        matches!(
            w.as_str(),
            "your"
                | "yours"
                | "here"
                | "replace"
                | "generate"
                | "generated"
                | "todo"
                | "fixme"
                | "placeholder"
                | "redacted"
                | "insert"
                | "fill"
                | "tbd"
                | "setme"
        ) || w.starts_with("xxx")
    }) || joined.contains("changeme")
        || joined.contains("changethis")
        || joined.contains("replaceme")
}

/// The slot's candidate, if it is a hardcoded JWT secret, with the value it holds (decoded:
/// what the service would load).
pub(crate) fn judge(
    src: &str,
    slot: &Slot,
    template: bool,
    file: &str,
) -> Option<(Candidate, String)> {
    if !is_jwt_slot(&slot.keys) || slot.keys.iter().any(|k| skipped_section(k)) {
        return None;
    }
    let raw = src.get(slot.value.clone())?;
    let (span, text) = match (&slot.decoded, slot.how) {
        (decoded, How::Base64) => {
            let bytes = base64_decode(decoded.as_deref().unwrap_or(raw).trim())?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            match read_value(&text, 0, true) {
                Value::Literal(..) => (slot.value.clone(), text),
                Value::Not => return None,
            }
        }
        (Some(decoded), _) => match read_value(decoded, 0, true) {
            Value::Literal(..) => (slot.value.clone(), decoded.clone()),
            Value::Not => return None,
        },
        (None, _) => match read_value(raw, slot.value.start, false) {
            Value::Literal(span, text) => (span, text),
            Value::Not => return None,
        },
    };
    if template && is_instruction(&text) {
        return None;
    }
    let name = slot.keys.last().map_or("", String::as_str);
    let shown_name: String = if crate::names::is_key_like(name) {
        slot.keys
            .iter()
            .filter(|k| crate::names::is_key_like(k))
            .cloned()
            .collect::<Vec<_>>()
            .join(".")
    } else {
        String::new()
    };
    let shown_name = if shown_name.len() > 80 {
        name.to_owned()
    } else {
        shown_name
    };
    let what = match slot.how {
        How::ImageEnv => {
            format!("`ENV {name}` bakes a literal JWT secret into every image built from {file}")
        }
        How::BuildArg => format!(
            "the default of `ARG {name}` is a literal JWT secret, kept in the image history"
        ),
        How::Base64 => format!(
            "`{shown_name}` of this Kubernetes Secret is a literal JWT secret (base64 is not encryption)"
        ),
        How::Flag => format!("`{name}` is given a literal JWT secret on a command line in {file}"),
        How::Key => format!("`{shown_name}` is set to a literal JWT secret in {file}"),
    };
    let template_note = if template {
        " (a template: copies of it run with this value)"
    } else {
        ""
    };
    let verdict = verdict(&text);
    let candidate = Candidate {
        rule: Rule::ConfigSecret,
        span: span.clone(),
        secret: vec![slot.value.clone(), span],
        message: format!("{what}{template_note}{verdict}"),
    };
    Some((candidate, text))
}

/// The end of a config finding's message: whether start-up would also refuse `value`
/// under the built-in policy (feature `verdict`).
#[cfg(feature = "verdict")]
fn verdict(value: &str) -> String {
    match jwt_guard_policy::check(value.as_bytes(), jwt_guard_policy::MIN_LEN, &[]) {
        Err(rejection) => format!("; start-up would also refuse it: {rejection}"),
        Ok(()) => ROTATE.to_owned(),
    }
}

/// Without `verdict` (the light build guard, which leaves SHA-256 out of build scripts):
/// the advice alone, claiming nothing about start-up.
#[cfg(not(feature = "verdict"))]
fn verdict(_value: &str) -> String {
    ROTATE.to_owned()
}

const ROTATE: &str = "; rotate it, it is in the repository";

/// Sections whose values are encrypted or metadata: SealedSecret `encryptedData`, SOPS's
/// `sops` block.
fn skipped_section(key: &str) -> bool {
    matches!(key, "encryptedData" | "sops" | "encrypted_data")
}

#[cfg(test)]
mod tests {
    use crate::{ScanOptions, scan_source};
    use std::path::Path;

    /// Too short and holding "changeme": the policy refuses it on two counts.
    const WEAK: &str = "JWT_SECRET=Sxchangeme-soon\n";
    /// Long and varied: the policy accepts it.
    const STRONG: &str = "JWT_SECRET=Sx7fQ2vLm9TzR4kWp8NbYc3HdJ6gXs1AeUoVi5\n";

    fn message(src: &str) -> String {
        let report = scan_source(Path::new(".env"), src.as_bytes(), &ScanOptions::default());
        assert_eq!(report.findings.len(), 1, "{src}");
        report.findings[0].message.clone()
    }

    #[test]
    #[cfg(feature = "verdict")]
    fn with_verdict_the_message_says_whether_start_up_would_refuse_the_value() {
        let weak = message(WEAK);
        assert!(
            weak.ends_with("; start-up would also refuse it: too short (15 bytes, at least 32 required); contains the insecure word \"changeme\""),
            "{weak}"
        );
        assert!(message(STRONG).ends_with(super::ROTATE));
    }

    #[test]
    #[cfg(not(feature = "verdict"))]
    fn without_verdict_the_message_claims_nothing_about_start_up() {
        for src in [WEAK, STRONG] {
            let message = message(src);
            assert!(message.ends_with(super::ROTATE), "{message}");
            assert!(!message.contains("start-up"), "{message}");
        }
    }
}
