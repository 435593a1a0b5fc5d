//! `key-literal`: a fixed value given to a JWT/HMAC key constructor.

use super::*;
use crate::rule::RuleInfo;

pub(crate) const RULE: RuleInfo = RuleInfo {
    id: "key-literal",
    title: "hardcoded JWT secret",
    summary: "A literal is given to a JWT/HMAC key constructor.",
    fix: "load it at start-up instead: #[jwt_secret_env] or JwtSecret::from_env()",
    fires_on: "a literal given to a JWT/HMAC key constructor (`EncodingKey::from_secret`, \
`Hmac::new_from_slice`, jwt-simple, ring, josekit, ...), directly or through a \
`let`/`const`/`static`",
    details: "a fixed value given to `EncodingKey`/`DecodingKey::from_secret`, `from_base64_secret`, `Hmac::new_from_slice`, `new_varkey`, jwt-simple `HS256Key::from_bytes` (and `HS384Key`, `HS512Key`, `Blake2bKey`), jwt-compact `Hs256Key::new`, josekit `signer_from_bytes`/`verifier_from_bytes`, jsonwebtokens `new_hmac` (second argument), biscuit `Secret::bytes_from_str`/`Secret::Bytes`, ring `hmac::Key::new(alg, key)`, and middleware that takes a jsonwebtoken-style `from_secret`",
    is_secret: true,
    keywords: &SINK_KEYWORDS,
    flagged: &[
        "fn k() { EncodingKey::from_secret(b\"Xq7pLm2vRt9sWk4b\"); }",
        "const K: &[u8] = b\"Xq7pLm2vRt9sWk4b\";\nfn k() { Hmac::<Sha256>::new_from_slice(K); }",
        "fn k() { HS256Key::from_bytes(b\"Xq7pLm2vRt9sWk4b\"); }",
        "fn k() { hmac::Key::new(hmac::HMAC_SHA256, b\"Xq7pLm2vRt9sWk4b\"); }",
    ],
    not_flagged: &[
        "fn k(s: &[u8]) { EncodingKey::from_secret(s); }",
        "fn k() { EncodingKey::from_rsa_pem(include_bytes!(\"public.pem\")); }",
        "fn k() { Vec::new(); String::from_utf8(b\"abc\".to_vec()); }",
    ],
};

/// How a key constructor is recognised by its path.
#[derive(Debug, Clone, Copy)]
enum Qualifier {
    /// Any path (or none): the method name says it all.
    Any,
    /// `Type::method` for exactly this type.
    Type(&'static str),
    /// jwt-simple `HS256Key`, jwt-compact `Hs256Key`, `Blake2bKey`.
    HmacKeyType,
    /// ring `hmac::Key::new(hmac::HMAC_SHA256, key)`.
    RingHmacKey,
}

/// A key constructor: its method, what its path must look like, and which argument is
/// the key.
#[derive(Debug, Clone, Copy)]
struct Sink {
    method: &'static str,
    qualifier: Qualifier,
    key_argument: usize,
}

const fn sink(method: &'static str, qualifier: Qualifier, key_argument: usize) -> Sink {
    Sink {
        method,
        qualifier,
        key_argument,
    }
}

/// Every key constructor the rule knows (jsonwebtoken, hmac, jwt-simple, jwt-compact,
/// josekit, jsonwebtokens, biscuit, ring, and middleware taking a `from_secret`).
const SINKS: [Sink; 12] = [
    sink("from_secret", Qualifier::Any, 0),
    sink("from_base64_secret", Qualifier::Any, 0),
    sink("new_from_slice", Qualifier::Any, 0),
    sink("new_varkey", Qualifier::Any, 0),
    sink("signer_from_bytes", Qualifier::Any, 0),
    sink("verifier_from_bytes", Qualifier::Any, 0),
    sink("bytes_from_str", Qualifier::Any, 0),
    sink("Bytes", Qualifier::Type("Secret"), 0),
    sink("new_hmac", Qualifier::Any, 1),
    sink("from_bytes", Qualifier::HmacKeyType, 0),
    sink("new", Qualifier::HmacKeyType, 0),
    sink("new", Qualifier::RingHmacKey, 1),
];

/// What the prefilter looks for: a method name, or `Key::method` for the typed ones.
const SINK_KEYWORDS: [&str; 12] = [
    "from_secret",
    "from_base64_secret",
    "new_from_slice",
    "new_varkey",
    "signer_from_bytes",
    "verifier_from_bytes",
    "bytes_from_str",
    "Secret::Bytes",
    "new_hmac",
    "Key::from_bytes",
    "Key::new",
    "Key::new",
];

/// Whether `name` is the method of some key constructor (its path is checked later).
pub(super) fn is_sink_method(name: &[u8]) -> bool {
    SINKS.iter().any(|s| s.method.as_bytes() == name)
}

impl<'a> Rules<'a> {
    /// Which argument of the call at `i` is the key, if `i` names a key constructor.
    pub(super) fn key_argument(&self, i: usize) -> Option<usize> {
        let name = self.text(i);
        let qualifier = if i >= 3 && self.is_path_sep(i - 2) {
            self.text(i - 3)
        } else {
            b""
        };
        SINKS
            .iter()
            .filter(|s| s.method.as_bytes() == name)
            .find(|s| match s.qualifier {
                Qualifier::Any => true,
                Qualifier::Type(ty) => qualifier == ty.as_bytes(),
                Qualifier::HmacKeyType => {
                    (qualifier.starts_with(b"HS")
                        || qualifier.starts_with(b"Hs")
                        || qualifier.starts_with(b"Blake2"))
                        && qualifier.ends_with(b"Key")
                }
                Qualifier::RingHmacKey => qualifier == b"Key" && self.is_ring_hmac_key(i),
            })
            .map(|s| s.key_argument)
    }

    /// `hmac::Key::new(..)`, or `Key::new(HMAC_.., ..)`.
    fn is_ring_hmac_key(&self, i: usize) -> bool {
        let hmac_path = i >= 6 && self.is_path_sep(i - 5) && self.text(i - 6) == b"hmac";
        let hmac_alg = || {
            let args = self.args(i + 1)?;
            let first = args.first()?;
            Some((first.0..first.1).any(|k| self.text(k).starts_with(b"HMAC_")))
        };
        hmac_path || hmac_alg().unwrap_or(false)
    }

    pub(super) fn key_constructor(&mut self, i: usize) {
        if !self.is_punct(i + 1, b'(') {
            return;
        }
        let Some(n) = self.key_argument(i) else {
            return;
        };
        let Some(&(a, b)) = self
            .args(i + 1)
            .and_then(|args| args.get(n).copied())
            .as_ref()
        else {
            return;
        };
        if let Some(v) = self.value_exact(a, b) {
            for v in v.arms() {
                let msg = format!(
                    "this literal is used as an HMAC signing key{}",
                    Self::through(&v)
                );
                self.push(Rule::KeyLiteral, &v, msg);
            }
        }
    }
}
