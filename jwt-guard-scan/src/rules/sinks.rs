//! The key sinks: which argument of which function of which crate is HMAC signing key
//! material. One table, read from each crate's published API (the version cited is the
//! one read; `registry` = read in the local registry cache, `docs.rs` = read in the
//! crate's published documentation or source). Each entry's example is a test.

/// When a call of [`Sink::method`] is the sink: what its path or arguments must show.
#[derive(Debug, Clone, Copy)]
pub(crate) enum When {
    /// The method name alone is specific enough (`from_secret`, `new_from_slice`).
    Always,
    /// The segment before the method (`Type::method`, `value.method`) is one of these.
    Type(&'static [&'static str]),
    /// The segment before the method starts with one of these prefixes and ends with the
    /// suffix (`HS256Key`, `Hs512Key`, `Blake2bKey`; `Hmac`, `HmacSha256`).
    TypeLike(&'static [&'static str], &'static str),
    /// A segment of the path equals this (`hmac::Key::new`, `simple_jwt::decode`).
    PathHas(&'static str),
    /// The argument at this index names an identifier starting with the prefix
    /// (`Algorithm::HS256`, `&Header::default()`, `&Validation::new(..)`).
    ArgNames(usize, &'static str),
    /// The call's turbofish names a type starting with the prefix (`encode::<HS256>`).
    Turbofish(&'static str),
    /// An attribute `#[method(key, ..)]` (a proc-macro taking the secret).
    Attribute,
}

/// A function whose argument is signing key material.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sink {
    /// The crate, and the versions whose API was read.
    pub(crate) krate: &'static str,
    pub(crate) versions: &'static str,
    /// The call as written in the documentation.
    pub(crate) call: &'static str,
    /// The method, function or attribute name.
    pub(crate) method: &'static str,
    pub(crate) when: When,
    /// 0-based index of the key argument (not counting a `self` receiver).
    pub(crate) key: usize,
    /// A call this entry must flag (a test); `KEY` marks the key argument's literal.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) example: &'static str,
}

const fn sink(
    krate: &'static str,
    versions: &'static str,
    call: &'static str,
    method: &'static str,
    when: When,
    key: usize,
    example: &'static str,
) -> Sink {
    Sink {
        krate,
        versions,
        call,
        method,
        when,
        key,
        example,
    }
}

const HS_KEY_TYPES: &[&str] = &[
    "HS256", "HS384", "HS512", "Hs256", "Hs384", "Hs512", "Blake2b",
];

/// Every key sink the scanner knows.
pub(crate) const SINKS: &[Sink] = &[
    // jsonwebtoken: src/encoding.rs and src/decoding.rs.
    sink(
        "jsonwebtoken",
        "7.0-11.1 (11.1.0 registry)",
        "EncodingKey::from_secret(secret: &[u8])",
        "from_secret",
        When::Always,
        0,
        "EncodingKey::from_secret(KEY)",
    ),
    sink(
        "jsonwebtoken",
        "7.0-11.1 (11.1.0 registry)",
        "DecodingKey::from_secret(secret: &[u8])",
        "from_secret",
        When::Always,
        0,
        "DecodingKey::from_secret(KEY)",
    ),
    sink(
        "jsonwebtoken",
        "7.0-11.1 (11.1.0 registry)",
        "EncodingKey/DecodingKey::from_base64_secret(secret: &str)",
        "from_base64_secret",
        When::Always,
        0,
        "DecodingKey::from_base64_secret(KEY)",
    ),
    sink(
        "jsonwebtoken",
        "10.0-11.1 (11.1.0 registry)",
        "EncodingKey::from_urlsafe_base64_secret(secret: &str)",
        "from_urlsafe_base64_secret",
        When::Always,
        0,
        "EncodingKey::from_urlsafe_base64_secret(KEY)",
    ),
    sink(
        "jsonwebtoken",
        "1.0-6.0 (1.1.2 docs.rs)",
        "encode(header, &claims, key: &[u8])",
        "encode",
        When::ArgNames(0, "Header"),
        2,
        "jsonwebtoken::encode(&Header::default(), &claims, KEY)",
    ),
    sink(
        "jsonwebtoken",
        "1.0-6.0 (1.1.2 docs.rs)",
        "decode(token, key: &[u8], &Validation)",
        "decode",
        When::ArgNames(2, "Validation"),
        1,
        "decode::<Claims>(&token, KEY, &Validation::default())",
    ),
    sink(
        "jsonwebtoken",
        "1.0-4.0 (1.1.2 docs.rs)",
        "decode(token, key: &[u8], Algorithm)",
        "decode",
        When::ArgNames(2, "Algorithm"),
        1,
        "decode::<Claims>(&token, KEY, Algorithm::HS512)",
    ),
    // RustCrypto hmac / digest / crypto-common.
    sink(
        "hmac (digest::Mac)",
        "0.12.1 registry (digest 0.10.7)",
        "Mac::new_from_slice(key: &[u8])",
        "new_from_slice",
        When::Always,
        0,
        "Hmac::<Sha256>::new_from_slice(KEY)",
    ),
    sink(
        "hmac (crypto-common::KeyInit)",
        "0.12.1 registry (crypto-common 0.1.7)",
        "KeyInit::new(key: &Key<Self>)",
        "new",
        When::TypeLike(&["Hmac", "SimpleHmac"], ""),
        0,
        "HmacSha256::new(GenericArray::from_slice(KEY))",
    ),
    sink(
        "hmac (crypto-mac::NewMac)",
        "0.7-0.11 (docs.rs)",
        "NewMac::new_varkey(key: &[u8])",
        "new_varkey",
        When::Always,
        0,
        "HmacSha256::new_varkey(KEY)",
    ),
    // ring.
    sink(
        "ring",
        "0.17 (docs.rs)",
        "hmac::Key::new(algorithm, key_value: &[u8])",
        "new",
        When::PathHas("hmac"),
        1,
        "hmac::Key::new(hmac::HMAC_SHA256, KEY)",
    ),
    sink(
        "ring",
        "0.17 (docs.rs)",
        "Key::new(HMAC_SHA256, key_value) (imported)",
        "new",
        When::ArgNames(0, "HMAC_"),
        1,
        "Key::new(HMAC_SHA512, KEY)",
    ),
    sink(
        "ring",
        "0.13-0.16 (docs.rs)",
        "hmac::SigningKey::new(digest_alg, key_value: &[u8])",
        "new",
        When::Type(&["SigningKey", "VerificationKey"]),
        1,
        "hmac::SigningKey::new(&digest::SHA256, KEY)",
    ),
    // jwt-simple: src/algorithms/hmac.rs.
    sink(
        "jwt-simple",
        "0.11.8, 0.12.13 (docs.rs)",
        "HS256Key/HS384Key/HS512Key/Blake2bKey::from_bytes(raw_key: &[u8])",
        "from_bytes",
        When::TypeLike(HS_KEY_TYPES, "Key"),
        0,
        "HS256Key::from_bytes(KEY)",
    ),
    // jwt-compact: src/alg/hmacs.rs.
    sink(
        "jwt-compact",
        "0.8.0 (docs.rs)",
        "Hs256Key/Hs384Key/Hs512Key::new(bytes: impl AsRef<[u8]>)",
        "new",
        When::TypeLike(HS_KEY_TYPES, "Key"),
        0,
        "Hs256Key::new(KEY)",
    ),
    sink(
        "jwt-compact",
        "0.8.0 (docs.rs)",
        "SigningKey::from_slice(raw: &[u8]) on Hs*Key",
        "from_slice",
        When::TypeLike(HS_KEY_TYPES, "Key"),
        0,
        "Hs384Key::from_slice(KEY)",
    ),
    // josekit: jws::alg::hmac.
    sink(
        "josekit",
        "0.8-0.10 (docs.rs)",
        "HmacJwsAlgorithm::signer_from_bytes(input: impl AsRef<[u8]>)",
        "signer_from_bytes",
        When::Always,
        0,
        "HS256.signer_from_bytes(KEY)",
    ),
    sink(
        "josekit",
        "0.8-0.10 (docs.rs)",
        "HmacJwsAlgorithm::verifier_from_bytes(input)",
        "verifier_from_bytes",
        When::Always,
        0,
        "HS512.verifier_from_bytes(KEY)",
    ),
    // biscuit: jws::Secret.
    sink(
        "biscuit",
        "0.6-0.7 (docs.rs)",
        "Secret::Bytes(Vec<u8>)",
        "Bytes",
        When::Type(&["Secret"]),
        0,
        "Secret::Bytes(KEY.to_vec())",
    ),
    sink(
        "biscuit",
        "0.6-0.7 (docs.rs)",
        "Secret::bytes_from_str(secret: &str)",
        "bytes_from_str",
        When::Always,
        0,
        "Secret::bytes_from_str(KEY)",
    ),
    // frank_jwt 3.x: encode(header, signing_key, payload, algorithm), decode(token, key, algorithm, validation).
    sink(
        "frank_jwt",
        "3.1 (docs.rs; 2.x took key: String)",
        "encode(header, signing_key: &P, payload, Algorithm::HS256)",
        "encode",
        When::ArgNames(3, "HS"),
        1,
        "frank_jwt::encode(header, &KEY, &payload, Algorithm::HS256)",
    ),
    sink(
        "frank_jwt",
        "3.1 (docs.rs)",
        "decode(token, signing_key: &P, Algorithm::HS256, validation)",
        "decode",
        When::ArgNames(2, "HS"),
        1,
        "frank_jwt::decode(&token, &KEY, Algorithm::HS256, &ValidationOptions::default())",
    ),
    // jsonwebtokens: Algorithm::new_hmac(id, secret).
    sink(
        "jsonwebtokens",
        "1.2 (docs.rs)",
        "Algorithm::new_hmac(id, secret: impl Into<SecretOrKey>)",
        "new_hmac",
        When::Always,
        1,
        "Algorithm::new_hmac(AlgorithmID::HS256, KEY)",
    ),
    sink(
        "jsonwebtokens",
        "1.2 (docs.rs)",
        "Algorithm::new_hmac_b64(id, secret: &str)",
        "new_hmac_b64",
        When::Always,
        1,
        "Algorithm::new_hmac_b64(AlgorithmID::HS384, KEY)",
    ),
    // simple_jwt: encode(&claim, secret, alg), decode(token, secret).
    sink(
        "simple_jwt",
        "1.2.1 (docs.rs)",
        "encode(&claim, secret: &str, Algorithm::HS256)",
        "encode",
        When::ArgNames(2, "HS"),
        1,
        "encode(&claim, KEY, Algorithm::HS256)",
    ),
    sink(
        "simple_jwt",
        "1.2.1 (docs.rs)",
        "simple_jwt::decode(token, secret: &str)",
        "decode",
        When::PathHas("simple_jwt"),
        1,
        "simple_jwt::decode(&token, KEY)",
    ),
    // jwts: jws::encode::<HS256>(header, &claims, key), VerifyWith::<HS256>(key).
    sink(
        "jwts",
        "0.5.1 (docs.rs)",
        "jws::encode::<HS256>(header, &claims, key: &[u8])",
        "encode",
        When::Turbofish("HS"),
        2,
        "jws::encode::<HS256>(Header::default(), &claims, KEY)",
    ),
    sink(
        "jwts",
        "0.5.1 (docs.rs)",
        "VerifyWith::<HS256>(key: &[u8])",
        "VerifyWith",
        When::Turbofish("HS"),
        0,
        "jws::decode::<Claims>(&token, VerifyWith::<HS256>(KEY))",
    ),
    // Web-framework JWT middleware.
    sink(
        "jwt-authorizer (axum)",
        "0.3.2-0.7.0 (docs.rs)",
        "JwtAuthorizer::from_secret(secret: &str)",
        "from_secret",
        When::Always,
        0,
        "JwtAuthorizer::<Claims>::from_secret(KEY)",
    ),
    sink(
        "salvo-jwt-auth",
        "0.47-1.1.0 (docs.rs)",
        "ConstDecoder::from_secret(secret: &[u8])",
        "from_secret",
        When::Always,
        0,
        "ConstDecoder::from_secret(KEY)",
    ),
    sink(
        "axum-jwt-auth",
        "0.5 (docs.rs)",
        "LocalDecoder takes jsonwebtoken DecodingKey::from_secret",
        "from_secret",
        When::Always,
        0,
        "LocalDecoder::new(vec![DecodingKey::from_secret(KEY)], validation)",
    ),
    sink(
        "actix-jwt-auth-middleware",
        "0.5 (docs.rs)",
        "keys of jwt-compact: Hs256Key::new(bytes)",
        "new",
        When::TypeLike(HS_KEY_TYPES, "Key"),
        0,
        "Authority::<User, Hs256, _, _>::new().verifying_key(Hs256Key::new(KEY))",
    ),
    sink(
        "rocket-jwt",
        "0.4.4, 0.5.2 (docs.rs)",
        "#[jwt(secret, exp = ..)] on a claims struct",
        "jwt",
        When::Attribute,
        0,
        "#[jwt(KEY, exp = 100)] pub struct UserClaim { id: String }",
    ),
];

/// Whether `name` is the method of some sink (its path is checked later). Runs on every
/// identifier, so it is a `match` (a test holds it to the table's method names).
pub(crate) fn is_sink_method(name: &[u8]) -> bool {
    matches!(
        name,
        b"from_secret"
            | b"from_base64_secret"
            | b"from_urlsafe_base64_secret"
            | b"encode"
            | b"decode"
            | b"new_from_slice"
            | b"new"
            | b"new_varkey"
            | b"from_bytes"
            | b"from_slice"
            | b"signer_from_bytes"
            | b"verifier_from_bytes"
            | b"Bytes"
            | b"bytes_from_str"
            | b"new_hmac"
            | b"new_hmac_b64"
            | b"VerifyWith"
            | b"jwt"
    )
}

/// Whether `name` alone makes a call a sink (`from_secret`): a function of the scanned
/// crate by that name is one of the table's, not a sink function of its own.
pub(crate) fn is_named_sink(name: &[u8]) -> bool {
    SINKS
        .iter()
        .any(|s| s.method.as_bytes() == name && matches!(s.when, When::Always))
}

/// The prefilter's words: each method name, or `Type::method` for the generic ones.
pub(crate) const KEYWORDS: &[&str] = &[
    "from_secret",
    "base64_secret",
    "new_from_slice",
    "new_varkey",
    "signer_from_bytes",
    "verifier_from_bytes",
    "bytes_from_str",
    "Secret::Bytes",
    "new_hmac",
    "Key::from_bytes",
    "Key::new",
    "Key::from_slice",
    "jsonwebtoken",
    "VerifyWith",
    // hmac's `HmacSha256::new(..)` (KeyInit): the type alias names HMAC.
    "hmac",
    "Hmac",
    "HMAC",
];

/// The sink table of the rules reference.
// `#[inline]`, like `rules_reference`, its only caller: not compiled into build scripts.
#[inline]
pub(crate) fn reference() -> String {
    let mut out = String::from(
        "\n## Key sinks\n\nThe `key-literal` rule's table (`jwt-guard-scan/src/rules/sinks.rs`), read from each crate's API; every entry's example is a test.\n\n| crate | versions read | call | key argument |\n|---|---|---|---|\n",
    );
    for s in SINKS {
        out.push_str(&format!(
            "| {} | {} | `{}` | {} |\n",
            s.krate,
            s.versions,
            s.call,
            s.key + 1
        ));
    }
    out.push_str("\nSecret wrappers are transparent: secrecy's `SecretString::from(..)`, `SecretString::new(..)`, `SecretBox::new(Box::new(..))`, `Secret::new(..)` (with `.expose_secret()`), zeroize's `Zeroizing::new(..)`.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_method_check_is_the_table_s_method_set() {
        for sink in SINKS {
            assert!(is_sink_method(sink.method.as_bytes()), "{}", sink.method);
        }
        for name in [
            "from_secret",
            "from_base64_secret",
            "from_urlsafe_base64_secret",
            "encode",
            "decode",
            "new_from_slice",
            "new",
            "new_varkey",
            "from_bytes",
            "from_slice",
            "signer_from_bytes",
            "verifier_from_bytes",
            "Bytes",
            "bytes_from_str",
            "new_hmac",
            "new_hmac_b64",
            "VerifyWith",
            "jwt",
        ] {
            assert!(
                SINKS.iter().any(|s| s.method == name),
                "{name} is in no entry"
            );
        }
    }
}
