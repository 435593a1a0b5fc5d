//! The inside of a string-like literal token: where its content is, and what it says.

use super::lexer::{Kind, Token};
use crate::search;
use std::borrow::Cow;
use std::ops::Range;

/// Byte range of the literal's content (between the quotes) in the source.
pub(crate) fn content_range(tok: &Token, src: &[u8]) -> Range<usize> {
    let text = tok.text(src);
    let start = tok.start as usize;
    let Some(open) = text.iter().position(|&b| b == b'"' || b == b'\'') else {
        return start..start;
    };
    let hashes = text[..open].iter().filter(|&&b| b == b'#').count();
    let mut close = text.len();
    // An unterminated literal has no closing quote to strip.
    if text.len() > open + hashes + 1 && text[text.len() - 1 - hashes] == text[open] {
        close = text.len() - 1 - hashes;
    }
    start + open + 1..start + close.max(open + 1)
}

/// The literal's value, with escapes of cooked strings resolved (approximately: enough to
/// compare, measure and classify it).
pub(crate) fn decode<'s>(tok: &Token, src: &'s [u8]) -> Cow<'s, str> {
    let raw = src.get(content_range(tok, src)).unwrap_or_default();
    let cooked = matches!(tok.kind, Kind::Str | Kind::ByteStr | Kind::CStr)
        && !tok.text(src).starts_with(b"cr");
    if !cooked || !raw.contains(&b'\\') {
        return String::from_utf8_lossy(raw);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let next = raw.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        match next {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'0' => out.push(0),
            b'x' => {
                let hex = raw.get(i..i + 2).and_then(|h| std::str::from_utf8(h).ok());
                if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    out.push(v);
                }
                i += 2;
            }
            b'u' => {
                let end = raw[i.min(raw.len())..]
                    .iter()
                    .position(|&b| b == b'}')
                    .map(|p| i + p);
                let ch = end
                    .and_then(|e| raw.get(i + 1..e))
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u32::from_str_radix(&h.replace('_', ""), 16).ok())
                    .and_then(char::from_u32);
                if let Some(c) = ch {
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                i = end.map_or(raw.len(), |e| e + 1);
            }
            b'\n' | b'\r' => {
                // Line continuation: skip the following whitespace.
                while i < raw.len() && raw[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
            other => out.push(other),
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// A JWT: three base64url segments whose first decodes to a JSON object with `"alg"`.
pub(crate) fn is_jwt(text: &str) -> bool {
    let text = text.trim();
    if !text.starts_with("eyJ") {
        return false;
    }
    let mut parts = text.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let b64url = |s: &str| s.bytes().all(is_base64url_byte);
    if payload.is_empty() || !b64url(header) || !b64url(payload) || !b64url(signature) {
        return false;
    }
    let json = base64_decode(header).unwrap_or_default();
    let json = String::from_utf8_lossy(&json);
    json.trim_start().starts_with('{') && json.contains("\"alg\"")
}

/// A JWT anywhere inside `text` (`"Bearer eyJ.."`, a curl line, a header value), or
/// `text` itself one.
pub(crate) fn contains_jwt(text: &str) -> bool {
    is_jwt(text) || jwts_in(text).next().is_some()
}

/// The JWTs inside `text`: each a run of base64url characters and dots starting at `eyJ`
/// (not in the middle of a longer base64 run) whose first three segments are a JWT (a
/// JWE's five segments included), with its signature (`eyJ...eyJ..` then prose is not one).
pub(crate) fn jwts_in(text: &str) -> impl Iterator<Item = Range<usize>> {
    let bytes = text.as_bytes();
    let mut done = 0;
    search::memmem::find_iter(bytes, b"eyJ").filter_map(move |at| {
        if at < done || (at > 0 && is_base64url_byte(bytes[at - 1])) {
            return None;
        }
        let run = bytes[at..]
            .iter()
            .take_while(|&&b| is_base64url_byte(b) || b == b'.')
            .count();
        let run = &text[at..at + run];
        let mut cut = run.match_indices('.').map(|(i, _)| i);
        let three = match (cut.next(), cut.next(), cut.next()) {
            (Some(_), Some(_), Some(end)) => &run[..end],
            (Some(_), Some(_), None) => run,
            _ => return None,
        };
        (!three.ends_with('.') && is_jwt(three)).then(|| {
            done = at + three.len();
            at..done
        })
    })
}

/// A character of base64url's alphabet (a JWT segment's).
fn is_base64url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Standard or URL-safe base64, padding optional; `None` if it is not base64.
pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    let body = s.trim_end_matches('=');
    if body.is_empty() {
        return None;
    }
    for b in body.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::lexer::lex;

    fn first(src: &str) -> (Range<usize>, String) {
        let lexed = lex(src.as_bytes());
        let tok = lexed.tokens[0];
        (
            content_range(&tok, src.as_bytes()),
            decode(&tok, src.as_bytes()).into_owned(),
        )
    }

    #[test]
    fn content_and_value_of_each_literal_kind() {
        assert_eq!(first(r#""a\"b""#), (1..5, "a\"b".into()));
        assert_eq!(first(r#"b"x\x41""#), (2..7, "xA".into()));
        assert_eq!(first(r###"r##"a"#b"##"###), (4..8, "a\"#b".into()));
        assert_eq!(first(r#"br"raw\n""#), (3..8, "raw\\n".into()));
        assert_eq!(first(r#"c"\u{41}""#), (2..8, "A".into()));
        assert_eq!(first("\"a\\\n   b\""), (1..8, "ab".into()));
        assert_eq!(first("\"unterminated"), (1..13, "unterminated".into()));
        assert_eq!(first("\"\""), (1..1, String::new()));
    }

    #[test]
    fn jwts_are_recognised_by_their_header() {
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert!(is_jwt(jwt));
        assert!(!is_jwt("eyJhbGciOiJIUzI1NiJ9"));
        assert!(!is_jwt("eyJmb28iOiJiYXIifQ.eyJ9.x")); // header without alg
        assert!(!is_jwt("a.b.c"));
    }

    #[test]
    fn jwts_are_found_inside_longer_texts() {
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        for text in [
            format!("Bearer {jwt}"),
            format!("curl -H 'Authorization: Bearer {jwt}' http://localhost:3000/me"),
            format!("token={jwt}&x=1"),
            format!("{jwt}."),
            format!("{jwt}.eyJlbmMiOiJBMjU2R0NNIn0.x.y"),
        ] {
            assert!(contains_jwt(&text), "{text}");
        }
        for text in [
            "Bearer eyJhbGciOiJIUzI1NiJ9",
            "xeyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
            "see eyJmb28iOiJiYXIifQ.eyJ9.x for details",
            "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0. and more",
            "Bearer {token}",
        ] {
            assert!(!contains_jwt(text), "{text}");
        }
    }
}
