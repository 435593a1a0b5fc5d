//! Which literal values are plainly not a secret, even in a secret-named place. Which
//! *names* hold a secret is the shared vocabulary of `jwt_guard_policy::names`.

pub(crate) use jwt_guard_policy::names::{
    SECRET_NAME_MARKS, is_secret_name, may_contain_secret_name,
};

/// A name-like literal usable as a map key: `jwt_secret`, `JWT_SECRET`, `auth.secret`.
pub(crate) fn is_key_like(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// An environment-variable-style name (`JWT_SECRET`, `APP_SECRET_KEY`): a literal holding
/// the *name* of a secret, never the secret itself.
pub(crate) fn is_env_var_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 3
        && bytes.first().is_some_and(|b| b.is_ascii_uppercase())
        && bytes.contains(&b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
}

/// Values that are plainly not a secret even in a secret-named place: names, paths, URLs,
/// PEM blocks, format strings and prose.
pub(crate) fn is_obviously_not_a_secret(text: &str) -> bool {
    let t = text.trim();
    is_env_var_name(t)
        || t.starts_with('/')
        || t.starts_with("./")
        || t.starts_with("../")
        || t.starts_with("~/")
        || t.contains("://")
        || t.starts_with("-----BEGIN")
        || t.contains("{}")
        || t.contains("{:")
        || is_message(t)
}

/// Prose: several words with sentence punctuation or a verb phrase about setting things.
fn is_message(t: &str) -> bool {
    let spaces = t.bytes().filter(|&b| b == b' ').count();
    let lower = t.to_ascii_lowercase();
    spaces >= 2
        && [
            "must ",
            "should ",
            "not set",
            "is missing",
            "failed",
            "please",
            "cannot",
            "invalid",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwt_guard_policy::names::{EXAMPLES, NameKind};

    /// The scanner flags literals bound to every secret name of the shared table.
    #[test]
    fn the_scanner_reads_the_shared_vocabulary() {
        for &(name, kind) in EXAMPLES {
            assert_eq!(is_secret_name(name), kind != NameKind::NotSecret, "{name}");
        }
    }

    #[test]
    fn names_paths_and_messages_are_not_secrets() {
        for text in [
            "JWT_SECRET",
            "/run/secrets/jwt",
            "./secret.key",
            "https://vault.local/secret",
            "-----BEGIN PUBLIC KEY-----",
            "secret: {}",
            "JWT_SECRET must be set",
        ] {
            assert!(is_obviously_not_a_secret(text), "{text}");
        }
        for text in [
            "secret",
            "dev-secret",
            "my super secret key",
            "Secret",
            "changeme",
        ] {
            assert!(!is_obviously_not_a_secret(text), "{text}");
        }
    }
}
