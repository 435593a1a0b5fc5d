//! Where the bearer token is: `Authorization: Bearer <token>` (RFC 6750 §2.1), else the
//! named cookie. Anything ambiguous or out of shape is an invalid token, decided before
//! any base64 or JSON is decoded.

use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE};

use super::AuthRejection;

/// The longest token the layer decodes (16 KiB); a longer one is refused unread. hyper
/// caps a request's headers at about 100 KiB anyway, and real JWTs are well under 4 KiB.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The token of a request, or why there is none to verify.
pub(super) fn bearer<'h>(
    headers: &'h HeaderMap,
    cookie: Option<&str>,
) -> Result<&'h str, AuthRejection> {
    let mut authorization = headers.get_all(AUTHORIZATION).iter();
    if let Some(value) = authorization.next() {
        if authorization.next().is_some() {
            // Two Authorization headers: which one would a proxy have checked?
            return Err(AuthRejection::InvalidToken);
        }
        let value = value.to_str().map_err(|_| AuthRejection::InvalidToken)?;
        // The scheme is case-insensitive (RFC 9110 §11.1), then 1*SP.
        let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
        if scheme.eq_ignore_ascii_case("bearer") {
            return checked(rest.trim_start_matches(' '));
        }
        // Another scheme (Basic, Digest...): no bearer token here; perhaps in the cookie.
    }
    match cookie {
        Some(name) => from_cookie(headers, name),
        None => Err(AuthRejection::MissingToken),
    }
}

/// The value of the cookie `name`, from every `Cookie` header (HTTP/2 may split them).
fn from_cookie<'h>(headers: &'h HeaderMap, name: &str) -> Result<&'h str, AuthRejection> {
    let mut found = None;
    for header in headers.get_all(COOKIE) {
        let Ok(header) = header.to_str() else {
            continue;
        };
        for pair in header.split(';') {
            let Some((key, value)) = pair.trim().split_once('=') else {
                continue;
            };
            if key != name {
                continue;
            }
            if found.is_some() {
                // Two cookies of the name (different paths or domains): ambiguous.
                return Err(AuthRejection::InvalidToken);
            }
            // RFC 6265 allows a cookie value in double quotes.
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            found = Some(value);
        }
    }
    checked(found.ok_or(AuthRejection::MissingToken)?)
}

/// A token of JWT shape: not empty, not too long, only base64url characters and two dots.
fn checked(token: &str) -> Result<&str, AuthRejection> {
    let shaped = !token.is_empty()
        && token.len() <= MAX_TOKEN_LEN
        && token.bytes().filter(|&b| b == b'.').count() == 2
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'='));
    if shaped {
        Ok(token)
    } else {
        Err(AuthRejection::InvalidToken)
    }
}
