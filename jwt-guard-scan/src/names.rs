//! Which names hold a secret, and which literal values are plainly not one.
//!
//! A name (identifier, map key, environment variable) is split into lower-case words on
//! `_`, `-`, `.`, spaces and camelCase. It is *secret-named* when a word contains
//! `secret` (`JWT_SECRET`, `SECRET_KEY`, `APP_SECRET`, `jwtSecret`, `token_secret`,
//! `auth_secret`, `client_secret`, `JWTSECRET`), or when its words form `signing key`,
//! `hmac key`, `jwt key`, `sign key`, `encoding key` or `decoding key` (`signing_key`,
//! `HMAC_KEY`, `jwtKey`, `encoding_key`) — unless its
//! last word says it names something else than the value: a path, file, variable name,
//! header, id, length, hash, message ... (`JWT_SECRET_PATH`, `SECRET_VAR`, `secret_len`).
//! Plain `key`, `token`, `password` or `api_key` alone do not count: too many false alarms.

/// Last words that make a secret-looking name a name of something else.
const NOT_A_VALUE: &[&str] = &[
    "path",
    "paths",
    "file",
    "files",
    "filename",
    "dir",
    "var",
    "vars",
    "env",
    "name",
    "names",
    "len",
    "length",
    "size",
    "bits",
    "header",
    "id",
    "kid",
    "ids",
    "url",
    "uri",
    "prefix",
    "suffix",
    "msg",
    "message",
    "error",
    "err",
    "hint",
    "label",
    "desc",
    "description",
    "hash",
    "digest",
    "fingerprint",
    "field",
    "type",
    "kind",
    "location",
    "count",
    "min",
    "max",
    "version",
    "format",
    "alg",
    "algorithm",
    "mode",
    "enabled",
    "source",
    "provider",
    "store",
    "manager",
    "service",
    "rotation",
    "ttl",
    "expiry",
    "exp",
    "arn",
    "ref",
];

/// Words that contain `secret` but are not about one.
const NOT_SECRET_WORDS: &[&str] = &["secretary", "secretaries", "secretion", "secretly"];

/// Pairs that name a signing key: `signing_key`, `hmac_key`, `jwt_key`, `encoding_key`.
const KEY_QUALIFIERS: &[&str] = &["signing", "sign", "hmac", "jwt", "encoding", "decoding"];

/// Substrings every secret name contains in its usual spellings (snake_case, camelCase,
/// SCREAMING_CASE, `.`/`-`/space separated), derived from the vocabulary above: the
/// prefilter skips a file holding none of them, so a name this module accepts must
/// never lack one (a test checks).
pub(crate) fn keywords() -> Vec<String> {
    // The first letter is left out: its case varies (`secret`, `Secret`).
    let mut out: Vec<String> = ["ecret", "ECRET"].map(str::to_owned).to_vec();
    for qualifier in KEY_QUALIFIERS {
        let tail = &qualifier[1..];
        for tail in [tail.to_owned(), tail.to_ascii_uppercase()] {
            for separator in ["", "_", "-", ".", " "] {
                for key in ["key", "Key", "KEY"] {
                    out.push(format!("{tail}{separator}{key}"));
                }
            }
        }
    }
    // Whole words that mark a JWT context (headers, key types, `new_hmac`).
    out.extend(
        [
            "jwt", "Jwt", "JWT", "hmac", "Hmac", "HMAC", "igning", "IGNING",
        ]
        .map(str::to_owned),
    );
    out
}

/// Splits into lower-case words: `jwtSecretKey` and `JWT_SECRET-key` give `jwt secret key`.
fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|part| !part.is_empty())
        .flat_map(split_camel)
}

fn split_camel(part: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = part.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev_lower = i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        let prev_upper = i > 0 && chars[i - 1].is_uppercase();
        // `jwtSecret` splits before `S`; `JWTSecret` splits before `S` too (upper then lower).
        if c.is_uppercase() && !cur.is_empty() && (prev_lower || (prev_upper && next_lower)) {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// True when `name` names a secret value (see the module docs).
pub(crate) fn is_secret_name(name: &str) -> bool {
    if name.len() > 64 || !name.bytes().any(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let words: Vec<String> = words(name).collect();
    let Some(last) = words.last() else {
        return false;
    };
    if NOT_A_VALUE.contains(&last.as_str()) {
        return false;
    }
    let has_secret = words
        .iter()
        .any(|w| w.contains("secret") && !NOT_SECRET_WORDS.contains(&w.as_str()));
    let has_key_pair = words.windows(2).any(|pair| {
        KEY_QUALIFIERS.contains(&pair[0].as_str()) && (pair[1] == "key" || pair[1] == "keys")
    }) || words.iter().any(|w| {
        w.ends_with("key")
            && KEY_QUALIFIERS
                .iter()
                .any(|q| w.len() == q.len() + 3 && w.starts_with(q))
    });
    has_secret || has_key_pair
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

    #[test]
    fn secret_names_are_recognised() {
        for name in [
            "JWT_SECRET",
            "SECRET_KEY",
            "APP_SECRET",
            "secret",
            "jwtSecret",
            "JwtSecret",
            "JWTSecret",
            "token_secret",
            "auth_secret",
            "signing_key",
            "SIGNING_KEY",
            "hmac_key",
            "HmacKey",
            "jwt_key",
            "jwtkey",
            "JWTSECRET",
            "default_jwt_secret",
            "jwt.secret",
            "jwt-secret",
            "encoding_key",
            "DECODING_KEY",
        ] {
            assert!(is_secret_name(name), "{name} should be secret-named");
        }
    }

    #[test]
    fn other_names_are_not() {
        for name in [
            "keyboard",
            "device",
            "username",
            "key",
            "api_key",
            "token",
            "password_hint",
            "JWT_SECRET_VAR",
            "JWT_SECRET_PATH",
            "secret_len",
            "secretary",
            "SECRET_HEADER",
            "signing_key_id",
            "public_key",
            "",
            "___",
        ] {
            assert!(!is_secret_name(name), "{name} should not be secret-named");
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

    #[test]
    fn every_secret_name_holds_a_prefilter_keyword() {
        let keywords = keywords();
        let qualifiers = KEY_QUALIFIERS.iter().flat_map(|q| {
            let capital = format!("{}{}", q[..1].to_ascii_uppercase(), &q[1..]);
            [q.to_string(), capital, q.to_ascii_uppercase()]
        });
        let mut names = Vec::new();
        for q in qualifiers {
            for separator in ["", "_", "-", ".", " "] {
                for key in ["key", "Key", "KEY", "keys", "secret", "Secret", "SECRET"] {
                    names.push(format!("{q}{separator}{key}"));
                    names.push(format!("app_{q}{separator}{key}"));
                }
            }
        }
        for name in names.iter().filter(|n| is_secret_name(n)) {
            assert!(
                keywords.iter().any(|k| name.contains(k.as_str())),
                "{name} is a secret name the prefilter would skip"
            );
        }
        assert!(is_secret_name("ENCODING_KEY") && is_secret_name("decodingKey"));
    }
}
