//! Low-diversity secrets: long enough, but made of a repeated pattern or a handful of
//! characters (`"0123".repeat(8)`, `"a".repeat(64)`, `reallyreallyreallyreallyverysafe`).
//!
//! Two measures, both chosen so that random secrets from `openssl rand -hex 16` (the
//! poorest alphabet in common use: 16 symbols) essentially never trip them (the property
//! tests draw 100,000 of each generator):
//! - fewer than 8 distinct bytes: 32 random hex digits show fewer than 8 distinct ones
//!   with probability about 4e-8;
//! - fewer than 3 in 4 distinct trigrams: repetition collapses trigrams, while 30 random
//!   trigrams over 16 symbols (4,096 possible) almost never collide more than once or twice.

const MIN_DISTINCT_BYTES: usize = 8;
/// Distinct trigrams must be at least NUM/DEN of all trigrams.
const TRIGRAM_NUM: usize = 3;
const TRIGRAM_DEN: usize = 4;

pub(crate) fn is_low_diversity(secret: &[u8]) -> bool {
    distinct_bytes(secret) < MIN_DISTINCT_BYTES || repeats_itself(secret)
}

fn distinct_bytes(secret: &[u8]) -> usize {
    let mut seen = [false; 256];
    for &b in secret {
        seen[usize::from(b)] = true;
    }
    seen.iter().filter(|&&s| s).count()
}

fn repeats_itself(secret: &[u8]) -> bool {
    let Some(total) = secret.len().checked_sub(2).filter(|&n| n > 0) else {
        return false;
    };
    let mut trigrams: Vec<[u8; 3]> = secret.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    trigrams.sort_unstable();
    trigrams.dedup();
    let distinct = trigrams.len();
    // Zero the copies of the secret's bytes before the buffer is freed.
    zeroize::Zeroize::zeroize(&mut trigrams);
    distinct * TRIGRAM_DEN < total * TRIGRAM_NUM
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_patterns_are_low_diversity() {
        assert!(is_low_diversity("0123".repeat(8).as_bytes()));
        assert!(is_low_diversity("a".repeat(64).as_bytes()));
        assert!(is_low_diversity(b"reallyreallyreallyreallyverysafe"));
        assert!(is_low_diversity("abcdefghij".repeat(4).as_bytes()));
    }

    #[test]
    fn random_looking_secrets_are_not() {
        assert!(!is_low_diversity(b"3f9a1c7e5b2d8046af13c9e7b5d20864"));
        assert!(!is_low_diversity(
            b"q8Zr3Nw5Tb7Hc1Mx9Pv4Lg6Jf2Ks0Ya8Ud5We3Ri7Oh"
        ));
    }
}
