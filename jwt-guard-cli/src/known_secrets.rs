//! The secrets `audit-token` (and `scan`, on a hardcoded JWT) tries: everything an
//! attacker would try first.
//!
//! 1. framework and documentation defaults (`data/framework-defaults.tsv`, each with
//!    where it was published);
//! 2. the whole public list of wallarm/jwt-secrets (103,979 entries, MIT: see
//!    `data/LICENSE-wallarm`), shipped zstd-compressed (`data/jwt.secrets.list.zst`,
//!    rebuilt by `data/make-wallarm-list.sh`), in its original order so entry N is line N;
//! 3. every value the start-up policy rejects as a pattern: each insecure word alone and
//!    with common prefixes and suffixes, in three cases, and every run of 1 to 6 digits.
//!
//! The list is never printed: a match is named by its source and index, and the secret
//! itself only on request (`--show-public-secret`).

use std::fmt;
use std::io::Read;
use std::sync::OnceLock;

use jwt_guard::INSECURE_WORDS;

/// The compressed public list, as shipped in the binary.
// jwt-guard: allow(build-time-embed) the public list of known weak secrets, not a secret
pub(crate) static WALLARM_ZST: &[u8] = include_bytes!("../data/jwt.secrets.list.zst");
const FRAMEWORK_TSV: &str = include_str!("../data/framework-defaults.tsv");

/// Entries of the wallarm list (lines of the original file).
pub(crate) const WALLARM_ENTRIES: usize = 103_979;

const PREFIXES: &[&str] = &[
    "", "my", "my-", "my_", "jwt", "jwt-", "jwt_", "super", "super-", "super_", "your-", "your_",
    "app-", "app_", "the",
];
const SUFFIXES: &[&str] = &[
    "", "1", "12", "123", "1234", "12345", "123456", "!", "!!", "1!", "123!", "@123", "#", "0",
    "00", "01", "2020", "2021", "2022", "2023", "2024", "2025", "2026", "key", "-key", "_key",
    "secret", "-secret", "_secret", "jwt", "-jwt", "_jwt", "token", "-token", "_token", "pass",
    "-pass", "_pass", "-dev", "_dev", "-prod", "_prod", "-local",
];
/// Digit runs of 1 to this many digits.
const MAX_DIGITS: u32 = 6;

/// Where a candidate comes from: what a report may say about a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// Entry `entry` (1-based) of `data/framework-defaults.tsv`, published by `origin`.
    Framework { entry: usize, origin: &'static str },
    /// Line `line` (1-based) of wallarm/jwt-secrets' jwt.secrets.list.
    Wallarm { line: usize },
    /// Pattern `index` (1-based) of the insecure words with prefixes and suffixes.
    Word { index: usize },
    /// A run of `digits` digits.
    Digits { digits: u32 },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Framework { entry, origin } => {
                write!(f, "framework/documentation default #{entry}: {origin}")
            }
            Source::Wallarm { line } => write!(
                f,
                "entry {line} (line {line}) of wallarm/jwt-secrets jwt.secrets.list (MIT)"
            ),
            Source::Word { index } => write!(
                f,
                "policy pattern #{index}: an insecure word with a common prefix or suffix"
            ),
            Source::Digits { digits } => {
                write!(f, "policy pattern: a run of {digits} digits")
            }
        }
    }
}

/// Every candidate, indexable without materialising the million digit runs.
pub(crate) struct Candidates {
    framework: Vec<(&'static str, &'static str)>,
    wallarm: String,
    /// Byte ranges of the wallarm entries in `wallarm`.
    lines: Vec<(u32, u32)>,
    words: Vec<String>,
    /// Index of the first digit run: every candidate from here on is one.
    digits_start: usize,
    len: usize,
}

/// 10 + 100 + ... + 10^MAX_DIGITS.
const DIGIT_RUNS: usize = {
    let mut total = 0;
    let mut n = 1;
    let mut d = 0;
    while d < MAX_DIGITS {
        n *= 10;
        total += n;
        d += 1;
    }
    total
};

impl Candidates {
    /// The list, decompressed once per process.
    pub(crate) fn get() -> Result<&'static Candidates, String> {
        static CANDIDATES: OnceLock<Result<Candidates, String>> = OnceLock::new();
        CANDIDATES
            .get_or_init(Candidates::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    pub(crate) fn load() -> Result<Self, String> {
        let mut wallarm = String::new();
        ruzstd::decoding::StreamingDecoder::new(WALLARM_ZST)
            .map_err(|e| format!("the built-in secret list is damaged: {e}"))?
            .read_to_string(&mut wallarm)
            .map_err(|e| format!("the built-in secret list is damaged: {e}"))?;
        let mut lines = Vec::with_capacity(WALLARM_ENTRIES);
        let mut start = 0;
        for line in wallarm.split_inclusive('\n') {
            let content = line.strip_suffix('\n').unwrap_or(line);
            let end = start + content.len();
            let range = u32::try_from(start)
                .and_then(|s| Ok((s, u32::try_from(end)?)))
                .map_err(|_| "the built-in secret list is too large".to_owned())?;
            lines.push(range);
            start += line.len();
        }
        if lines.len() != WALLARM_ENTRIES {
            return Err(format!(
                "the built-in secret list is damaged: {} entries instead of {WALLARM_ENTRIES}",
                lines.len()
            ));
        }
        let framework: Vec<_> = FRAMEWORK_TSV
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .collect();
        let words = word_patterns();
        let digits_start = framework.len() + lines.len() + words.len();
        Ok(Self {
            len: digits_start + DIGIT_RUNS,
            framework,
            wallarm,
            lines,
            words,
            digits_start,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Candidate `index`; `buf` holds a digit run.
    pub(crate) fn secret<'s>(&'s self, index: usize, buf: &'s mut [u8; 8]) -> &'s [u8] {
        let mut i = index;
        if let Some((secret, _)) = self.framework.get(i) {
            return secret.as_bytes();
        }
        i -= self.framework.len();
        if let Some(&(start, end)) = self.lines.get(i) {
            return &self.wallarm.as_bytes()[start as usize..end as usize];
        }
        i -= self.lines.len();
        if let Some(word) = self.words.get(i) {
            return word.as_bytes();
        }
        let (digits, n) = digit_run(index.saturating_sub(self.digits_start));
        let len = digits as usize;
        let mut n = n;
        for slot in buf[..len].iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
        }
        &buf[..len]
    }

    /// Where candidate `index` comes from.
    pub(crate) fn source(&self, index: usize) -> Source {
        let mut i = index;
        if let Some((_, origin)) = self.framework.get(i) {
            return Source::Framework {
                entry: i + 1,
                origin,
            };
        }
        i -= self.framework.len();
        if i < self.lines.len() {
            return Source::Wallarm { line: i + 1 };
        }
        i -= self.lines.len();
        if i < self.words.len() {
            return Source::Word { index: i + 1 };
        }
        Source::Digits {
            digits: digit_run(index.saturating_sub(self.digits_start)).0,
        }
    }
}

/// The `i`-th digit run: its length and value (`0`..`9`, then `00`..`99`, ...).
fn digit_run(mut i: usize) -> (u32, usize) {
    let mut digits = 1;
    let mut count = 10;
    while i >= count && digits < MAX_DIGITS {
        i -= count;
        digits += 1;
        count *= 10;
    }
    (digits, i % count)
}

/// Each insecure word in lower, Title and UPPER case, with every prefix and suffix in the
/// same case (`my_secret1`, `MySecret2024`, `SUPER_ADMIN!`), each value once.
fn word_patterns() -> Vec<String> {
    fn title(s: &str) -> String {
        let mut chars = s.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_ascii_uppercase().to_string() + chars.as_str()
        })
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for word in INSECURE_WORDS {
        let variants = [
            (word.to_owned(), false, false),
            (title(word), true, false),
            (word.to_ascii_uppercase(), false, true),
        ];
        for (case, titled, upper) in &variants {
            for prefix in PREFIXES {
                for suffix in SUFFIXES {
                    let (p, x) = match (titled, upper) {
                        (_, true) => (prefix.to_ascii_uppercase(), suffix.to_ascii_uppercase()),
                        (true, _) => (title(prefix), title(suffix)),
                        _ => ((*prefix).to_owned(), (*suffix).to_owned()),
                    };
                    for candidate in [format!("{prefix}{case}{suffix}"), format!("{p}{case}{x}")] {
                        if seen.insert(candidate.clone()) {
                            out.push(candidate);
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn all() -> &'static Candidates {
        Candidates::get().unwrap()
    }

    fn find(secret: &[u8]) -> Option<Source> {
        let list = all();
        let mut buf = [0; 8];
        (0..list.len())
            .find(|&i| list.secret(i, &mut buf) == secret)
            .map(|i| list.source(i))
    }

    #[test]
    fn the_shipped_list_is_the_shared_list() {
        let root = env!("CARGO_MANIFEST_DIR");
        let path = format!("{root}/../../shared/data/known-jwt-secrets/jwt.secrets.list");
        let Ok(shared) = std::fs::read(&path) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{path} is missing: CI must have shared/ beside the repository"
            );
            eprintln!("note: {path} not found; shipped list not compared");
            return;
        };
        let shared: Vec<u8> = shared.into_iter().filter(|&b| b != b'\r').collect();
        let list = all();
        let mut expected = shared.split(|&b| b == b'\n').collect::<Vec<_>>();
        if expected.last() == Some(&&b""[..]) {
            expected.pop();
        }
        assert_eq!(expected.len(), WALLARM_ENTRIES);
        let offset = list.framework.len();
        let mut buf = [0; 8];
        for (line, entry) in expected.iter().enumerate() {
            assert_eq!(
                list.secret(offset + line, &mut buf),
                *entry,
                "line {}",
                line + 1
            );
        }
    }

    #[test]
    fn every_part_is_there_in_order() {
        let list = all();
        assert!(matches!(
            find(b"a-string-secret-at-least-256-bits-long"),
            Some(Source::Framework { entry: 1, origin }) if origin.starts_with("jwt.io")
        ));
        // The wallarm list starts with an empty line: the empty key is tried too.
        assert_eq!(find(b""), Some(Source::Wallarm { line: 1 }));
        assert_eq!(find(b"mySeCrEt2024"), None);
        assert!(matches!(find(b"mySECRET2024"), Some(Source::Word { .. })));
        assert!(matches!(find(b"my_secret123"), Some(Source::Word { .. })));
        assert!(matches!(find(b"SUPER_ADMIN!"), Some(Source::Word { .. })));
        assert!(matches!(find(b"MySecretKey"), Some(Source::Word { .. })));
        assert!(list.words.len() > 20_000, "{}", list.words.len());
        assert_eq!(find(b"000042"), Some(Source::Digits { digits: 6 }));
        let mut buf = [0; 8];
        assert_eq!(list.secret(list.len() - 1, &mut buf), b"999999");
        assert_eq!(list.secret(list.digits_start, &mut buf), b"0");
        assert_eq!(list.secret(list.digits_start + 10, &mut buf), b"00");
        assert_eq!(list.source(list.len() - 1), Source::Digits { digits: 6 });
    }

    #[test]
    fn the_framework_defaults_say_where_they_come_from() {
        for line in FRAMEWORK_TSV.lines() {
            let (secret, origin) = line.split_once('\t').unwrap();
            assert!(!secret.is_empty() && !origin.is_empty(), "{line}");
        }
    }
}
