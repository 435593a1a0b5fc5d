//! Which literal values are plainly not a secret, even in a secret-named place. Which
//! *names* hold a secret is the shared vocabulary of `jwt_guard_policy::names`.

use jwt_guard_policy::names::KEY_QUALIFIERS;
pub(crate) use jwt_guard_policy::names::{SECRET_NAME_MARKS, is_secret_name};

/// Whether `text` (a whole file) may hold a secret name: never false where
/// [`is_secret_name`] would accept a name in it (a test checks), and far cheaper than
/// finding one. It searches for `secret` (its first letter's case varies) and `jwt`
/// (`APP_KEY_JWT`), and for each `key`/`Key`/`KEY` a look at the word before it
/// (`signing_key`, `jwtKey`, `HMAC.KEY`) for a qualifier of the vocabulary.
///
/// Here rather than beside the vocabulary in jwt-guard-policy: only the scanner needs
/// it, and it runs the scanner's searches (`search`), which the policy crate, depending
/// on nothing, does not compile.
pub(crate) fn may_contain_secret_name(text: &[u8]) -> bool {
    use crate::search::memmem::Finder;
    use std::sync::OnceLock;
    static FINDERS: OnceLock<[Finder<'static>; 8]> = OnceLock::new();
    let [words @ .., key, key_capital, key_upper] = FINDERS.get_or_init(|| {
        let [a, b, c, d, e] = SECRET_NAME_MARKS;
        [a, b, c, d, e, "key", "Key", "KEY"].map(|word| Finder::new(word).into_owned())
    });
    if words.iter().any(|finder| finder.find(text).is_some()) {
        return true;
    }
    [key, key_capital, key_upper]
        .iter()
        .any(|finder| finder.find_iter(text).any(|at| qualified_key(&text[..at])))
}

/// Whether `before` (the text before a `key`) ends with a key qualifier, maybe followed
/// by one separator: `signing_`, `jwt`, `HMAC.`.
fn qualified_key(before: &[u8]) -> bool {
    let before = match before.last() {
        Some(b'_' | b'-' | b'.' | b' ') => &before[..before.len() - 1],
        _ => before,
    };
    KEY_QUALIFIERS.iter().any(|qualifier| {
        before.len() >= qualifier.len()
            && before[before.len() - qualifier.len()..].eq_ignore_ascii_case(qualifier.as_bytes())
    })
}

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

    #[test]
    fn every_secret_name_passes_the_prefilter() {
        let qualifiers = KEY_QUALIFIERS.iter().flat_map(|q| {
            let capital = format!("{}{}", q[..1].to_ascii_uppercase(), &q[1..]);
            [q.to_string(), capital, q.to_ascii_uppercase()]
        });
        let mut names: Vec<String> = EXAMPLES
            .iter()
            .map(|(name, _)| (*name).to_owned())
            .collect();
        for q in qualifiers {
            for separator in ["", "_", "-", ".", " "] {
                for key in ["key", "Key", "KEY", "keys", "secret", "Secret", "SECRET"] {
                    names.push(format!("{q}{separator}{key}"));
                    names.push(format!("app_{q}{separator}{key}_value"));
                }
            }
        }
        let accepted: Vec<&String> = names.iter().filter(|n| is_secret_name(n)).collect();
        assert!(accepted.len() > 300);
        for name in accepted {
            assert!(
                may_contain_secret_name(name.as_bytes()),
                "{name} would be skipped"
            );
        }
        for mark in SECRET_NAME_MARKS {
            assert!(
                may_contain_secret_name(format!("x {mark} y").as_bytes()),
                "{mark}"
            );
        }
        for text in [
            "let key = map.get(k);",
            "HashMap<Key, V>",
            "api_key",
            "monkey",
        ] {
            assert!(!may_contain_secret_name(text.as_bytes()), "{text}");
        }
    }

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
