//! Publicly known JWT secrets of 32+ bytes, shipped as sorted SHA-256 digests so the
//! crate does not carry a plaintext list of secrets.
//!
//! Source: `data/known-secrets.sha256`, made from the wallarm/jwt-secrets list (MIT, see
//! `data/LICENSE-wallarm`) plus secrets from framework docs; the test
//! `known_digests_match_the_shared_list` rebuilds it from the plaintext list.

use sha2::{Digest, Sha256};

const DIGEST_LEN: usize = 32;
static DIGESTS: &[u8] = include_bytes!("../data/known-secrets.sha256");

/// Whether `secret` is on the list.
pub(crate) fn is_known_public(secret: &[u8]) -> bool {
    // Every entry has at least 32 characters: anything shorter fails on length anyway.
    if secret.len() < 32 {
        return false;
    }
    let digest: [u8; DIGEST_LEN] = Sha256::digest(secret).into();
    digests().binary_search(&digest).is_ok()
}

fn digests() -> &'static [[u8; DIGEST_LEN]] {
    let (chunks, rest) = DIGESTS.as_chunks::<DIGEST_LEN>();
    debug_assert!(rest.is_empty());
    chunks
}

/// The digest file for a plaintext list: one secret a line, sorted, deduplicated.
#[cfg(test)]
pub(crate) fn digest_file(list: &str) -> Vec<u8> {
    let mut digests: Vec<[u8; DIGEST_LEN]> = list
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| Sha256::digest(line.as_bytes()).into())
        .collect();
    digests.sort_unstable();
    digests.dedup();
    digests.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_sorted_and_whole() {
        assert_eq!(DIGESTS.len() % DIGEST_LEN, 0);
        assert!(digests().windows(2).all(|w| w[0] < w[1]));
        assert!(digests().len() > 1800);
    }

    #[test]
    fn knows_the_jwt_io_sample_secret() {
        assert!(is_known_public(b"a-string-secret-at-least-256-bits-long"));
        assert!(!is_known_public(b"a-string-secret-at-least-256-bits-lonG"));
    }

    /// The shipped digests are exactly those of `../shared/data/known-jwt-secrets`.
    /// With `JWT_GUARD_BLESS=1` the file is rewritten from the list.
    #[test]
    fn known_digests_match_the_shared_list() {
        let root = env!("CARGO_MANIFEST_DIR");
        let list_path =
            format!("{root}/../../shared/data/known-jwt-secrets/public-jwt-secrets-32plus.txt");
        let Ok(list) = std::fs::read_to_string(&list_path) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{list_path} is missing in CI"
            );
            eprintln!("skipped: {list_path} not found");
            return;
        };
        let expected = digest_file(&list);
        if std::env::var_os("JWT_GUARD_BLESS").is_some() {
            let out = format!("{root}/data/known-secrets.sha256");
            std::fs::write(out, &expected).expect("write digests");
            return;
        }
        assert!(expected == DIGESTS, "data/known-secrets.sha256 is stale");
    }
}
