//! [`SecretPolicy`]: what a JWT secret must satisfy, and the [`Violation`]s it reports.
//!
//! The default is the floor: a policy can be made stricter (longer, more denied words),
//! never weaker.

pub use crate::algorithm::{Algorithm, UnknownAlgorithm};
pub use jwt_guard_policy::{INSECURE_WORDS, Rejection, Violation};

use zeroize::Zeroizing;

use crate::JwtSecret;

/// The rules a JWT secret must satisfy. [`SecretPolicy::default`] is the floor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretPolicy {
    min_len: usize,
    /// Extra denied words, lower-cased.
    extra_words: Vec<String>,
}

impl Default for SecretPolicy {
    fn default() -> Self {
        Self {
            min_len: Self::MIN_LEN,
            extra_words: Vec::new(),
        }
    }
}

impl SecretPolicy {
    /// The shortest secret any policy accepts: 32 bytes, the HS256 key size (RFC 7518 §3.2).
    pub const MIN_LEN: usize = jwt_guard_policy::MIN_LEN;

    /// The default policy with the minimum length of `alg` (HS384: 48, HS512: 64 bytes).
    pub fn for_algorithm(alg: Algorithm) -> Self {
        Self::default().algorithm(alg)
    }

    /// Requires at least `min_len` bytes. A value below the current minimum changes
    /// nothing: a policy only gets stricter.
    #[must_use]
    pub fn min_len(mut self, min_len: usize) -> Self {
        self.min_len = self.min_len.max(min_len);
        self
    }

    /// Requires a key long enough for `alg`.
    #[must_use]
    pub fn algorithm(self, alg: Algorithm) -> Self {
        self.min_len(alg.min_key_len())
    }

    /// Also rejects secrets containing `word`, case-insensitively (an empty word is ignored).
    #[must_use]
    pub fn deny_word(mut self, word: impl Into<String>) -> Self {
        let word = word.into().to_lowercase();
        if !word.is_empty() && !self.extra_words.contains(&word) {
            self.extra_words.push(word);
        }
        self
    }

    /// The minimum length in bytes this policy requires.
    pub fn required_len(&self) -> usize {
        self.min_len
    }

    /// Checks `secret` against every rule and reports every violation at once.
    pub fn check(&self, secret: &[u8]) -> Result<(), Rejection> {
        jwt_guard_policy::check(secret, self.min_len, &self.extra_words)
    }

    /// Checks `secret` and, when it passes, takes it as a [`JwtSecret`].
    pub fn secret(&self, secret: impl Into<Vec<u8>>) -> Result<JwtSecret, Rejection> {
        let bytes = Zeroizing::new(secret.into());
        self.check(&bytes)?;
        Ok(JwtSecret::new_unchecked(bytes.as_slice().into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(policy: &SecretPolicy, secret: &str) -> Vec<&'static str> {
        match policy.check(secret.as_bytes()) {
            Ok(()) => Vec::new(),
            Err(rejection) => rejection.violations().iter().map(Violation::id).collect(),
        }
    }

    const GOOD: &str = "q8Zr3Nw5Tb7Hc1Mx9Pv4Lg6Jf2Ks0Ya8Ud5We3Ri7Oh";

    #[test]
    fn accepts_a_random_secret() {
        assert_eq!(ids(&SecretPolicy::default(), GOOD), Vec::<&str>::new());
    }

    #[test]
    fn reports_every_violation_at_once() {
        assert_eq!(
            ids(&SecretPolicy::default(), " changeme-admin "),
            ["too-short", "whitespace", "insecure-word", "insecure-word"]
        );
    }

    #[test]
    fn empty_is_its_own_violation() {
        assert_eq!(ids(&SecretPolicy::default(), ""), ["empty"]);
    }

    #[test]
    fn words_match_case_insensitively() {
        let long = format!("{GOOD}SeCrEt");
        assert_eq!(ids(&SecretPolicy::default(), &long), ["insecure-word"]);
    }

    #[test]
    fn control_characters_are_rejected() {
        let with_tab = format!("{}\t{}", &GOOD[..20], &GOOD[20..]);
        assert_eq!(
            ids(&SecretPolicy::default(), &with_tab),
            ["control-character"]
        );
    }

    #[test]
    fn policies_only_get_stricter() {
        let policy = SecretPolicy::default().min_len(8);
        assert_eq!(policy.required_len(), 32);
        let policy = SecretPolicy::for_algorithm(Algorithm::HS512).min_len(48);
        assert_eq!(policy.required_len(), 64);
        assert_eq!(ids(&policy, GOOD), ["too-short"]);
    }

    #[test]
    fn extra_words_are_denied() {
        let policy = SecretPolicy::default().deny_word("Q8zR");
        assert_eq!(ids(&policy, GOOD), ["insecure-word"]);
    }
}
