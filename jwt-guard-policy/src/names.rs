//! Which names hold a secret: one vocabulary for the scanner (secret-named bindings,
//! keys and variables) and the macro (fields that hold a JWT secret as plain text).
//!
//! A name (identifier, map key, environment variable) is split into lower-case words on
//! `_`, `-`, `.`, spaces and camelCase. It is *secret-named* when a word contains
//! `secret` (`JWT_SECRET`, `SECRET_KEY`, `APP_SECRET`, `jwtSecret`, `client_secret`), or
//! when its words form `signing key`, `hmac key`, `jwt key`, `sign key`, `encoding key` or
//! `decoding key`, or it has both a JWT word and `key` (`APP_KEY_JWT`; not a public key) —
//! unless its last word says it names something else than the value: a
//! path, file, variable name, header, id, length, hash, message, help text ... (`JWT_SECRET_PATH`,
//! `SECRET_VAR`, `secret_len`). Plain `key`, `token`, `password` or `api_key` alone do not
//! count: too many false alarms.
//!
//! A secret name is a *JWT secret* name when it is `secret` alone or one of its words
//! says JWT (`jwt`, `hmac`, `signing`, `sign`, `token`, `auth`, `encoding`, `decoding`):
//! `jwt_secret`, `auth_secret`, `hmac_key`; `client_secret` and `SECRET_KEY` are secret
//! names of something else (an OAuth client, a framework's cookie key).
//!
//! [`EXAMPLES`] is the table both the scanner's and the macro's tests check against.

/// What a name says about the value it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// Holds a JWT signing secret: `JWT_SECRET`, `hmac_key`, `secret`.
    JwtSecret,
    /// Holds some secret, not said to be a JWT's: `client_secret`, `SECRET_KEY`.
    Secret,
    /// Holds something else: `api_key`, `JWT_SECRET_PATH`, `secretary`.
    NotSecret,
}

/// Names and what they are: the shared examples the scanner and the macro test against.
pub const EXAMPLES: &[(&str, NameKind)] = &[
    ("JWT_SECRET", NameKind::JwtSecret),
    ("jwt_secret", NameKind::JwtSecret),
    ("jwtSecret", NameKind::JwtSecret),
    ("JwtSecret", NameKind::JwtSecret),
    ("JWTSecret", NameKind::JwtSecret),
    ("JWTSECRET", NameKind::JwtSecret),
    ("jwt.secret", NameKind::JwtSecret),
    ("jwt-secret", NameKind::JwtSecret),
    ("secret", NameKind::JwtSecret),
    ("token_secret", NameKind::JwtSecret),
    ("auth_secret", NameKind::JwtSecret),
    ("default_jwt_secret", NameKind::JwtSecret),
    ("signing_key", NameKind::JwtSecret),
    ("SIGNING_KEY", NameKind::JwtSecret),
    ("jwt_signing_key", NameKind::JwtSecret),
    ("hmac_key", NameKind::JwtSecret),
    ("HmacKey", NameKind::JwtSecret),
    ("jwt_key", NameKind::JwtSecret),
    ("jwtkey", NameKind::JwtSecret),
    ("encoding_key", NameKind::JwtSecret),
    ("DECODING_KEY", NameKind::JwtSecret),
    ("APP_KEY_JWT", NameKind::JwtSecret),
    ("JWT_APP_KEY", NameKind::JwtSecret),
    ("jwt_public_key", NameKind::NotSecret),
    ("JWT_PUB_KEY", NameKind::NotSecret),
    ("SECRET_KEY", NameKind::Secret),
    ("APP_SECRET", NameKind::Secret),
    ("client_secret", NameKind::Secret),
    ("SESSION_SECRET", NameKind::Secret),
    ("keyboard", NameKind::NotSecret),
    ("device", NameKind::NotSecret),
    ("username", NameKind::NotSecret),
    ("key", NameKind::NotSecret),
    ("api_key", NameKind::NotSecret),
    ("token", NameKind::NotSecret),
    ("password_hint", NameKind::NotSecret),
    ("JWT_SECRET_VAR", NameKind::NotSecret),
    ("JWT_SECRET_PATH", NameKind::NotSecret),
    ("JWT_SECRET_FILE", NameKind::NotSecret),
    ("secret_len", NameKind::NotSecret),
    ("secretary", NameKind::NotSecret),
    ("SECRET_HEADER", NameKind::NotSecret),
    ("SECRET_HELP", NameKind::NotSecret),
    ("JWT_SECRET_ATTR", NameKind::NotSecret),
    ("known-secrets.sha256", NameKind::NotSecret),
    ("signing_key_id", NameKind::NotSecret),
    ("public_key", NameKind::NotSecret),
    ("", NameKind::NotSecret),
    ("___", NameKind::NotSecret),
];

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
    "help",
    "usage",
    "doc",
    "docs",
    "attr",
    "attribute",
    "hash",
    "digest",
    "md5",
    "sha1",
    "sha256",
    "sha512",
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
pub const KEY_QUALIFIERS: &[&str] = &["signing", "sign", "hmac", "jwt", "encoding", "decoding"];

/// Words that say a secret is a JWT's.
const JWT_WORDS: &[&str] = &[
    "jwt", "hmac", "signing", "sign", "token", "auth", "encoding", "decoding",
];

/// Substrings that alone make the scanner's prefilter (`jwt-guard-scan`'s
/// `may_contain_secret_name`) say a text may hold a secret name (a search for a longer
/// text holding one of them, after the prefilter said no, would find nothing).
pub const SECRET_NAME_MARKS: [&str; 5] = ["ecret", "ECRET", "jwt", "Jwt", "JWT"];

/// Splits into lower-case words: `jwtSecretKey` and `JWT_SECRET-key` give `jwt secret key`.
pub fn words(name: &str) -> impl Iterator<Item = String> + '_ {
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

/// What `name` says about the value it holds (see the module docs).
pub fn classify(name: &str) -> NameKind {
    if !is_secret_name(name) {
        return NameKind::NotSecret;
    }
    let words: Vec<String> = words(name).collect();
    let jwt = words.len() == 1 && words[0] == "secret"
        || words.iter().any(|w| {
            JWT_WORDS.iter().any(|j| {
                w == j || (w.starts_with(j) && (w.ends_with("secret") || w.ends_with("key")))
            })
        });
    if jwt {
        NameKind::JwtSecret
    } else {
        NameKind::Secret
    }
}

/// Whether `name` holds a JWT signing secret.
pub fn names_a_jwt_secret(name: &str) -> bool {
    classify(name) == NameKind::JwtSecret
}

/// True when `name` names a secret value (see the module docs).
pub fn is_secret_name(name: &str) -> bool {
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
    // `APP_KEY_JWT`, `JWT_APP_KEY`: a key word anywhere in a JWT name, unless it is public.
    let has_jwt_key = words.iter().any(|w| w.starts_with("jwt"))
        && words.iter().any(|w| w == "key" || w == "keys")
        && !words.iter().any(|w| w == "public" || w == "pub");
    has_secret || has_key_pair || has_jwt_key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_examples_are_classified_as_listed() {
        for &(name, kind) in EXAMPLES {
            assert_eq!(classify(name), kind, "{name}");
            assert_eq!(is_secret_name(name), kind != NameKind::NotSecret, "{name}");
        }
    }
}
