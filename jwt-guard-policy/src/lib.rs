//! The facts jwt-guard's runtime, macro and scanner share, declared once:
//!
//! - [`names`]: which names hold a secret (`JWT_SECRET`, `hmac_key`; not `api_key` or
//!   `JWT_SECRET_PATH`), for the scanner's secret-named bindings and the macro's
//!   plain-text-secret check;
//! - [`check`] (feature `check`): what a secret value must satisfy, the rules behind
//!   `jwt_guard::SecretPolicy`, so the scanner can say when a hardcoded value would also
//!   be refused at start-up;
//! - [`open`]: how a file is opened for reading without ever blocking on it.
//!
//! Users depend on `jwt-guard`, which re-exports what they need from here.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod names;
pub mod open;

#[cfg(feature = "file")]
pub mod file;

#[cfg(feature = "check")]
mod diversity;
#[cfg(feature = "check")]
mod known;
#[cfg(feature = "check")]
mod violation;

#[cfg(feature = "check")]
pub use violation::{Rejection, Violation};

/// Words no secret may contain, case-insensitively: they mark placeholders and defaults.
pub const INSECURE_WORDS: [&str; 13] = [
    "secret", "password", "key", "test", "dev", "demo", "example", "default", "changeme", "admin",
    "root", "user", "123456",
];

/// The shortest secret any policy accepts: 32 bytes, the HS256 key size (RFC 7518 §3.2).
pub const MIN_LEN: usize = 32;

/// Checks `secret` against every rule (at least `min_len` bytes, none of
/// [`INSECURE_WORDS`] nor of `extra_words`, not publicly known, not low-diversity, no
/// surrounding whitespace or control character) and reports every violation at once.
/// `extra_words` are lower-case.
#[cfg(feature = "check")]
pub fn check(secret: &[u8], min_len: usize, extra_words: &[String]) -> Result<(), Rejection> {
    use zeroize::Zeroizing;

    if secret.is_empty() {
        return Err(Rejection::new(vec![Violation::Empty]));
    }
    let mut violations = Vec::new();
    if secret.len() < min_len {
        violations.push(Violation::TooShort {
            len: secret.len(),
            min: min_len,
        });
    }
    let text = Zeroizing::new(String::from_utf8_lossy(secret).into_owned());
    if text.trim() != text.as_str() {
        violations.push(Violation::SurroundingWhitespace);
    }
    if text.chars().any(char::is_control) {
        violations.push(Violation::ControlCharacter);
    }
    let lower = Zeroizing::new(text.to_lowercase());
    let words = INSECURE_WORDS
        .iter()
        .copied()
        .chain(extra_words.iter().map(String::as_str));
    for word in words {
        if lower.contains(word) {
            violations.push(Violation::InsecureWord {
                word: word.to_owned(),
            });
        }
    }
    if known::is_known_public(secret) {
        violations.push(Violation::KnownPublic);
    }
    if diversity::is_low_diversity(secret) {
        violations.push(Violation::LowDiversity);
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(Rejection::new(violations))
    }
}
