//! A token as `audit-token` and `scan` see it: its shape (what can be checked), and a
//! masked form to name it by. A token can be a live credential: nothing here keeps or
//! shows more than its algorithm, length and ten characters of base64.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::hmac_search::{Hmac, Target};

/// The longest token examined (64 KiB); a longer one is refused unread.
pub(crate) const MAX_TOKEN_LEN: usize = 64 * 1024;

/// What a token is, as far as the audit is concerned.
#[derive(Debug)]
pub(crate) enum Shape<'t> {
    /// HS256/384/512: its secret can be searched for. `keyed` names the header fields
    /// that choose a key (`kid`, `jku`, `x5u`, `jwk`, `x5c`).
    Hmac {
        target: Target<'t>,
        keyed: Vec<&'static str>,
    },
    /// `alg: none` (any case): no signature at all.
    Unsigned,
    /// A signature by a private key (RS*, ES*, PS*, EdDSA) or an unknown algorithm.
    OtherAlgorithm(String),
    /// Five segments: an encrypted token (JWE), opaque without its key.
    Encrypted,
    /// Not a JWT; the reason never quotes the input.
    Malformed(&'static str),
}

/// The shape of `token`.
pub(crate) fn shape(token: &str) -> Shape<'_> {
    if token.len() > MAX_TOKEN_LEN {
        return Shape::Malformed("is longer than 64 KiB");
    }
    if !token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'='))
    {
        return Shape::Malformed("has characters that are not base64url");
    }
    let segments: Vec<&str> = token.split('.').collect();
    match segments.len() {
        3 => {}
        5 => return Shape::Encrypted,
        _ => return Shape::Malformed("is not three base64url segments separated by dots"),
    }
    let Some(header) = decode(segments[0]) else {
        return Shape::Malformed("has a header that is not base64url");
    };
    let Ok(serde_json::Value::Object(header)) = serde_json::from_slice(&header) else {
        return Shape::Malformed("has a header that is not a JSON object");
    };
    let Some(alg) = header.get("alg").and_then(|a| a.as_str()) else {
        return Shape::Malformed("has no \"alg\" in its header");
    };
    if alg.eq_ignore_ascii_case("none") {
        return Shape::Unsigned;
    }
    let Some(hmac) = Hmac::from_alg(alg) else {
        // A header is attacker-chosen text: keep only a plausible algorithm name.
        let shown = if alg.len() <= 16 && alg.bytes().all(|b| b.is_ascii_alphanumeric()) {
            alg.to_owned()
        } else {
            "an unknown algorithm".to_owned()
        };
        return Shape::OtherAlgorithm(shown);
    };
    if decode(segments[1]).is_none() {
        return Shape::Malformed("has a payload that is not base64url");
    }
    let Some(signature) = decode(segments[2]) else {
        return Shape::Malformed("has a signature that is not base64url");
    };
    if signature.len() != hmac.output_len() {
        return Shape::Malformed("has a signature of the wrong length for its algorithm");
    }
    let keyed = ["kid", "jku", "x5u", "jwk", "x5c"]
        .into_iter()
        .filter(|field| header.contains_key(*field))
        .collect();
    let signing_len = segments[0].len() + 1 + segments[1].len();
    Shape::Hmac {
        target: Target {
            hmac,
            signing_input: &token.as_bytes()[..signing_len],
            signature,
        },
        keyed,
    }
}

/// base64url without padding (a trailing `=` tolerated).
fn decode(segment: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(segment.trim_end_matches('=')).ok()
}

/// How a token is named in a report: its first six and last four characters and its
/// length, when it is a well-formed JWS (whose first characters are the base64 of a
/// header); only its length otherwise, since the input may be anything, even a secret.
pub(crate) fn masked(token: &str, shape: &Shape<'_>) -> String {
    let jws = matches!(
        shape,
        Shape::Hmac { .. } | Shape::Unsigned | Shape::OtherAlgorithm(_)
    );
    match (token.get(..6), token.get(token.len().saturating_sub(4)..)) {
        (Some(head), Some(tail)) if jws && token.len() >= 40 => {
            format!("{head}…{tail} ({} chars)", token.len())
        }
        _ => format!("({} chars)", token.len()),
    }
}

/// The JWT-looking runs of `text`: from `eyJ` over base64url characters and dots, with
/// two dots (a JWS) or four (a JWE).
pub(crate) fn find_in(text: &[u8]) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&text[from..], b"eyJ") {
        let start = from + at;
        let len = text[start..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            .count();
        let run = &text[start..start + len];
        let dots = run.iter().filter(|&&b| b == b'.').count();
        if matches!(dots, 2 | 4)
            && !run.ends_with(b".")
            && let Ok(token) = std::str::from_utf8(run)
        {
            let line = 1 + memchr::memchr_iter(b'\n', &text[..start]).count();
            found.push((line, token));
        }
        from = start + len.max(3);
    }
    found
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn b64(json: &str) -> String {
        URL_SAFE_NO_PAD.encode(json)
    }

    fn token(header: &str, signature_len: usize) -> String {
        format!(
            "{}.{}.{}",
            b64(header),
            b64(r#"{"sub":"ada"}"#),
            URL_SAFE_NO_PAD.encode(vec![7; signature_len])
        )
    }

    #[test]
    fn shapes() {
        assert!(matches!(
            shape(&token(r#"{"alg":"HS256"}"#, 32)),
            Shape::Hmac { ref keyed, .. } if keyed.is_empty()
        ));
        assert!(matches!(
            shape(&token(r#"{"alg":"HS512","kid":"k1","jku":"https://x"}"#, 64)),
            Shape::Hmac { ref keyed, .. } if keyed == &["kid", "jku"]
        ));
        assert!(matches!(
            shape(&token(r#"{"alg":"nOnE"}"#, 0)),
            Shape::Unsigned
        ));
        assert!(matches!(
            shape(&token(r#"{"alg":"RS256"}"#, 256)),
            Shape::OtherAlgorithm(ref a) if a == "RS256"
        ));
        assert!(matches!(
            shape(&token(r#"{"alg":"<script>alert(1)</script>"}"#, 32)),
            Shape::OtherAlgorithm(ref a) if a == "an unknown algorithm"
        ));
        assert!(matches!(shape("a.b.c.d.e"), Shape::Encrypted));
        for bad in [
            String::new(),
            "abc".to_owned(),
            "a.b".to_owned(),
            "a b.c.d".to_owned(),
            "e30.e30.e30".to_owned(),
            token(r#"{"alg":"HS256"}"#, 20),
            token(r#"["HS256"]"#, 32),
            format!("{}.{}.c", b64(r#"{"alg":"HS256"}"#), "!!"),
            "x".repeat(MAX_TOKEN_LEN + 1),
        ] {
            assert!(matches!(shape(&bad), Shape::Malformed(_)), "{bad:.40}");
        }
    }

    #[test]
    fn masking_shows_ten_characters_of_a_jws_and_nothing_of_anything_else() {
        let jws = token(r#"{"alg":"HS256"}"#, 32);
        let shown = masked(&jws, &shape(&jws));
        assert!(shown.starts_with("eyJhbG…"), "{shown}");
        assert!(
            shown.ends_with(&format!("({} chars)", jws.len())),
            "{shown}"
        );
        let secret = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";
        assert_eq!(masked(secret, &shape(secret)), "(44 chars)");
    }

    #[test]
    fn finds_tokens_in_text() {
        let jws = token(r#"{"alg":"HS256"}"#, 32);
        let text =
            format!("GET /\nAuthorization: Bearer {jws}\n\"token\":\"{jws}\", eyJ.x eyJa.b.\n");
        let found = find_in(text.as_bytes());
        assert_eq!(found, [(2, jws.as_str()), (3, jws.as_str())]);
    }
}
