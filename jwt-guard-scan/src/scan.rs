//! One file: bytes -> tokens -> candidates -> suppressions -> redacted [`Finding`]s.

use super::lexer::lex;
use super::mask::Mask;
use super::read::{FileStamp, read_limited};
use super::rules::flow::{Context, Facts};
use super::rules::{self, Candidate};
use super::{Finding, Report, Warning, suppress, test_items};
use crate::search;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// What to scan and how: `ScanOptions::default().include_tests(true)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScanOptions {
    /// Also scan `#[cfg(test)]` items, `#[test]` functions and `tests/` directories.
    pub include_tests: bool,
    /// A file larger than this is not scanned, and that is an error (exclude a generated
    /// file you mean to skip).
    pub max_file_size: u64,
    /// Walks also list deployment and configuration files (`.env`, compose, Dockerfile,
    /// Kubernetes, Helm, systemd, TOML/YAML/JSON, CI, shell). Default: yes.
    pub config_files: bool,
    /// A walk leaves out a configuration file that git ignores and does not track (a
    /// local `.env`): the right place for a secret. Default: yes.
    pub config_gitignore: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            include_tests: false,
            max_file_size: 8 * 1024 * 1024,
            config_files: true,
            config_gitignore: true,
        }
    }
}

impl ScanOptions {
    /// Also scan test code.
    #[must_use]
    pub fn include_tests(mut self, yes: bool) -> Self {
        self.include_tests = yes;
        self
    }

    /// Whether walks list configuration files too.
    #[must_use]
    pub fn config_files(mut self, yes: bool) -> Self {
        self.config_files = yes;
        self
    }

    /// Whether walks leave out git-ignored, untracked configuration files.
    #[must_use]
    pub fn config_gitignore(mut self, yes: bool) -> Self {
        self.config_gitignore = yes;
        self
    }

    /// The largest file scanned, in bytes.
    #[must_use]
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.max_file_size = bytes;
        self
    }
}

/// Scans one file's bytes. `path` is only used to label findings and warnings.
pub fn scan_source(path: &Path, bytes: &[u8], options: &ScanOptions) -> Report {
    scan_source_and_test_modules(path, bytes, options).0
}

/// One file's scan for a caller that reads files itself, such as a scan of git history:
/// see [`scan_source_detailed`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SourceScan<T> {
    /// What [`scan_source`] returns.
    pub report: Report,
    /// The out-of-line test modules the file declares (`#[cfg(test)] mod tests;`): their
    /// files are test code, which a walk leaves out unless [`ScanOptions::include_tests`].
    pub test_modules: Vec<String>,
    /// One per finding of `report`, in the same order: what the caller's function made of
    /// the flagged value.
    pub secrets: Vec<T>,
}

/// [`scan_source`], plus the out-of-line test modules the file declares, plus, for each
/// finding, what `secret` makes of the flagged value: the bytes of the literal(s) as
/// written in the source, between the quotes (a byte array's elements or `concat!`'s
/// parts joined by a NUL byte; empty for an empty default or an invalid suppression); in
/// a configuration file, the value as the service would load it (unquoted, unescaped, a
/// Kubernetes Secret's base64 decoded), so the same secret in both compares equal.
/// The bytes are lent to `secret` and kept nowhere else, so a caller can compare secrets
/// across files (by a keyed hash, say) without a [`Finding`] ever holding one.
pub fn scan_source_detailed<T>(
    path: &Path,
    bytes: &[u8],
    options: &ScanOptions,
    mut secret: impl FnMut(&[u8]) -> T,
) -> SourceScan<T> {
    let (report, test_modules, _, secrets) =
        scan_source_with(path, bytes, options, None, &mut secret);
    SourceScan {
        report,
        test_modules,
        secrets,
    }
}

/// [`scan_source`], plus the names of out-of-line test modules it declares
/// (`#[cfg(test)] mod tests;`), whose files the walker then treats as test code.
pub(crate) fn scan_source_and_test_modules(
    path: &Path,
    bytes: &[u8],
    options: &ScanOptions,
) -> (Report, Vec<String>) {
    let (report, test_modules, _, _) = scan_source_with(path, bytes, options, None, &mut |_| ());
    (report, test_modules)
}

/// [`scan_source_and_test_modules`] with what the rest of the crate says (`ctx`), also
/// returning what this file tells it, and for each finding what `secret` makes of the
/// flagged value. With a context, the file is lexed whatever the prefilter says: the
/// crate-wide pass only rescans files that mention a name it asks about.
pub(crate) fn scan_source_with<T>(
    path: &Path,
    bytes: &[u8],
    options: &ScanOptions,
    ctx: Option<&Context>,
    secret: &mut dyn FnMut(&[u8]) -> T,
) -> (Report, Vec<String>, Facts, Vec<T>) {
    // A deployment or configuration file (by its name, or a shell shebang).
    if let Some(format) = crate::config::format_of(path, bytes) {
        let (report, values) = crate::config::scan(path, format, bytes, options, secret);
        return (report, Vec::new(), Facts::default(), values);
    }
    let mut facts = Facts::default();
    let mut report = Report::default();
    let src = match std::str::from_utf8(bytes) {
        Ok(src) => src,
        Err(e) => {
            report.warnings.push(Warning {
                path: path.to_path_buf(),
                message: format!(
                    "not valid UTF-8 (at byte {}), so not Rust source; not scanned",
                    e.valid_up_to()
                ),
            });
            return (report, Vec::new(), facts, Vec::new());
        }
    };
    report.files_scanned = 1;
    let may_find = ctx.is_some() || may_hold_findings(bytes);
    // Without test code, `mod x;` declarations matter even when nothing else does.
    if !may_find && (options.include_tests || !declares_out_of_line_module(bytes)) {
        return (report, Vec::new(), facts, Vec::new());
    }
    let lexed = lex(bytes);
    if let Some((line, what)) = lexed.problem {
        report.warnings.push(Warning {
            path: path.to_path_buf(),
            message: format!("{what} starting on line {line}; scanned up to it"),
        });
    }
    let mut test_modules = Vec::new();
    // `unstripped`: every token, test code's too, for masking shown lines.
    let (tokens, comments, unstripped) = if options.include_tests {
        (lexed.tokens, lexed.comments, None)
    } else {
        let stripped = test_items::strip(bytes, &lexed.tokens);
        let removed = stripped.removed;
        let inside =
            |c: &super::lexer::Token| removed.iter().any(|r| r.contains(&(c.start as usize)));
        let comments = lexed.comments.into_iter().filter(|c| !inside(c)).collect();
        test_modules = stripped.test_modules;
        (stripped.kept, comments, Some(lexed.tokens))
    };
    if !may_find {
        return (report, test_modules, facts, Vec::new());
    }
    let (candidates, file_facts) = rules::run_with(src, &tokens, ctx);
    facts = file_facts;
    let (suppressions, invalid) = suppress::parse(bytes, &comments);
    // Every literal of the file (test code's too) and every secret span is masked in
    // every line shown, suppressed or not.
    let secrets = if candidates.is_empty() && invalid.is_empty() {
        Mask::default()
    } else {
        Mask::new(
            bytes,
            unstripped.as_deref().unwrap_or(&tokens),
            candidates.iter().flat_map(|c| c.secret.iter().cloned()),
        )
    };
    let lines = LineIndex::new(src);
    let mut found = Vec::new();
    for candidate in candidates {
        let line = lines.line_of(candidate.span.start);
        if suppressions
            .iter()
            .any(|s| s.covers(candidate.rule, line as u32))
        {
            report.suppressed += 1;
            continue;
        }
        let value = secret(&secret_bytes(bytes, &candidate));
        let flagged = finding(path, src, &lines, &candidate, &secrets);
        if let Some((_, name)) = facts.conditional.iter().find(|(s, _)| *s == candidate.span) {
            facts
                .conditional_at
                .push((flagged.line, flagged.column, name.clone()));
        }
        found.push((flagged, value));
    }
    for candidate in invalid {
        let value = secret(&[]);
        found.push((finding(path, src, &lines, &candidate, &secrets), value));
    }
    let values = in_source_order(&mut report, found);
    (report, test_modules, facts, values)
}

/// Puts a file's findings into its report in source order (line, then column; findings at
/// one place keep their order) and returns their values in the same order. Rust and
/// configuration files share it, and so one instantiation of the sort.
pub(crate) fn in_source_order<T>(report: &mut Report, mut found: Vec<(Finding, T)>) -> Vec<T> {
    found.sort_by_key(|(f, _)| (f.line, f.column));
    let (findings, values) = found.into_iter().unzip();
    report.findings = findings;
    values
}

/// The flagged value's bytes as written: its secret spans, joined by NUL.
fn secret_bytes(bytes: &[u8], candidate: &Candidate) -> Vec<u8> {
    let mut value = Vec::new();
    for (i, span) in candidate.secret.iter().enumerate() {
        if i > 0 {
            value.push(0);
        }
        value.extend_from_slice(bytes.get(span.clone()).unwrap_or_default());
    }
    value
}

/// Reads and scans one file; problems become warnings naming the path.
pub fn scan_file(path: &Path, options: &ScanOptions) -> Report {
    scan_file_and_test_modules(path, options).report
}

/// One file's scan, with what the walker and a record of clean files need besides.
#[derive(Debug, Default)]
pub(crate) struct Scanned {
    pub(crate) report: Report,
    /// The out-of-line test modules the file declares.
    pub(crate) test_modules: Vec<String>,
    /// The file as it was read (none when it could not be read).
    pub(crate) stamp: Option<FileStamp>,
    /// What the file tells the crate-wide pass.
    pub(crate) facts: Facts,
}

/// [`scan_file`], plus the out-of-line test modules the file declares and its stamp.
pub(crate) fn scan_file_and_test_modules(path: &Path, options: &ScanOptions) -> Scanned {
    match read_limited(path, options.max_file_size) {
        Ok((bytes, stamp)) => {
            let (report, test_modules, facts, _) =
                scan_source_with(path, &bytes, options, None, &mut |_| ());
            Scanned {
                report,
                test_modules,
                stamp,
                facts,
            }
        }
        Err(message) => Scanned {
            report: Report {
                warnings: vec![Warning {
                    path: path.to_path_buf(),
                    message: format!("{message}; not scanned"),
                }],
                ..Report::default()
            },
            ..Scanned::default()
        },
    }
}

/// Builds a redacted finding from a candidate.
fn finding(
    path: &Path,
    src: &str,
    lines: &LineIndex<'_>,
    c: &Candidate,
    secrets: &Mask,
) -> Finding {
    let start = c.span.start.min(src.len());
    let end = c.span.end.clamp(start, src.len());
    let first_line = lines.line_of(start);
    let region =
        lines.start_of(first_line)..lines.end_of(lines.line_of(end.saturating_sub(1).max(start)));
    let mut masked = String::with_capacity(region.len());
    let mut highlight = 0..0;
    let mut chars = 0usize;
    for (offset, ch) in src.get(region.clone()).unwrap_or_default().char_indices() {
        let at = region.start + offset;
        if at == start {
            highlight.start = chars;
        }
        if at == end {
            highlight.end = chars;
        }
        let secret = secrets.covers(at);
        masked.push(if secret && ch != '\n' && ch != '\r' {
            '*'
        } else {
            ch
        });
        chars += 1;
    }
    if end >= region.end {
        highlight.end = chars;
    }
    highlight.end = highlight.end.max(highlight.start);
    let column = src
        .get(lines.start_of(first_line)..start)
        .map_or(1, |prefix| prefix.chars().count() + 1);
    Finding {
        rule: c.rule,
        path: PathBuf::from(path),
        line: first_line,
        column,
        message: c.message.clone(),
        masked_line: masked,
        highlight,
    }
}

/// Line starts of a file, for byte offset -> 1-based line.
struct LineIndex<'s> {
    starts: Vec<usize>,
    src: &'s [u8],
}

impl<'s> LineIndex<'s> {
    fn new(src: &'s str) -> Self {
        let mut starts = vec![0];
        starts.extend(search::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            src: src.as_bytes(),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    fn start_of(&self, line: usize) -> usize {
        self.starts.get(line - 1).copied().unwrap_or(self.src.len())
    }

    /// End of the line's text (before its `\n`, and before a `\r` preceding it).
    fn end_of(&self, line: usize) -> usize {
        let end = self
            .starts
            .get(line)
            .map_or(self.src.len(), |&next| next - 1);
        if end > self.start_of(line) && self.src.get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        }
    }
}

/// `mod name;` somewhere (a cheap over-approximation: comments and strings count too).
fn declares_out_of_line_module(bytes: &[u8]) -> bool {
    search::memmem::find_iter(bytes, b"mod ").any(|at| {
        let rest = &bytes[at + 4..];
        let name = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        name > 0 && rest[name..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b';')
    })
}

/// A file can only produce findings if it mentions one of these: the words secret-named
/// identifiers are made of, the key constructors, a JWT header, or a suppression comment.
/// Secret names are found by the vocabulary's own prefilter, the rest by SIMD substring
/// searches (see [`Keywords`]): far cheaper than lexing.
///
/// Public for readers of many files (a git history scan): a file for which this is false
/// has no finding under any options, so only its out-of-line test modules (which need
/// the lexer) are left to ask [`scan_source_detailed`] for, and only when they matter.
pub fn may_hold_findings(bytes: &[u8]) -> bool {
    static KEYWORDS: OnceLock<Keywords> = OnceLock::new();
    let keywords = KEYWORDS.get_or_init(|| Keywords::new(&crate::rule::prefilter_keywords()));
    crate::names::may_contain_secret_name(bytes) || keywords.any_in(bytes)
}

/// The rules' keywords as few passes over a file: a keyword holding a mark the name
/// prefilter searches for anyway (`from_secret`) needs no search of its own, and
/// keywords sharing a start (`Key::new`, `Key::from_slice`) or an end
/// (`signer_from_bytes`, `verifier_from_bytes`) of five bytes or more are found by one
/// search for that shared part, each hit checked against the group's keywords. Exact:
/// a keyword occurs exactly where its group's shared part occurs with the keyword's
/// own bytes around it.
struct Keywords {
    groups: Vec<Group>,
}

/// Keywords sharing `anchor`: each is `before + anchor + after`.
struct Group {
    anchor: search::memmem::Finder<'static>,
    around: Vec<(Vec<u8>, Vec<u8>)>,
}

/// The shortest shared start or end worth one search for several keywords.
const SHARED: usize = 5;

impl Keywords {
    fn new(keywords: &[String]) -> Self {
        // Only after the name prefilter said no: a keyword with a mark in it is not there.
        let mut left: Vec<&[u8]> = keywords
            .iter()
            .map(|k| k.as_bytes())
            .filter(|k| {
                !crate::names::SECRET_NAME_MARKS
                    .iter()
                    .any(|mark| search::memmem::find(k, mark.as_bytes()).is_some())
            })
            .collect();
        let mut groups = Vec::new();
        // Shared starts, then shared ends (on reversed keywords), longest first.
        for from_end in [false, true] {
            let key = |k: &[u8]| -> Vec<u8> {
                if from_end {
                    k.iter().rev().copied().collect()
                } else {
                    k.to_vec()
                }
            };
            // Deduplicated keywords: no two keys are equal (unstable sorts less code).
            left.sort_unstable_by_key(|k| key(k));
            let mut rest = Vec::new();
            let mut i = 0;
            while i < left.len() {
                let first = key(left[i]);
                let mut shared = first.len();
                let mut j = i + 1;
                while j < left.len() {
                    let next = key(left[j]);
                    let common = first.iter().zip(&next).take_while(|(a, b)| a == b).count();
                    if common < SHARED {
                        break;
                    }
                    shared = shared.min(common);
                    j += 1;
                }
                if j - i >= 2 {
                    let anchor: Vec<u8> = if from_end {
                        first[..shared].iter().rev().copied().collect()
                    } else {
                        first[..shared].to_vec()
                    };
                    let around = left[i..j]
                        .iter()
                        .map(|k| {
                            let at = if from_end { k.len() - shared } else { 0 };
                            (k[..at].to_vec(), k[at + shared..].to_vec())
                        })
                        .collect();
                    groups.push(Group {
                        anchor: search::memmem::Finder::new(&anchor).into_owned(),
                        around,
                    });
                } else {
                    rest.push(left[i]);
                }
                i = j;
            }
            left = rest;
        }
        groups.extend(left.into_iter().map(|k| Group {
            anchor: search::memmem::Finder::new(k).into_owned(),
            around: vec![(Vec::new(), Vec::new())],
        }));
        Keywords { groups }
    }

    fn any_in(&self, bytes: &[u8]) -> bool {
        self.groups
            .iter()
            .any(|group| match group.around.as_slice() {
                [(before, after)] if before.is_empty() && after.is_empty() => {
                    group.anchor.find(bytes).is_some()
                }
                around => group.anchor.find_iter(bytes).any(|at| {
                    let end = at + group.anchor.needle().len();
                    around.iter().any(|(before, after)| {
                        bytes[..at].ends_with(before) && bytes[end..].starts_with(after)
                    })
                }),
            })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// `may_hold_findings` as it reads: the name prefilter, or any rule keyword anywhere.
    fn straightforward(bytes: &[u8]) -> bool {
        crate::names::may_contain_secret_name(bytes)
            || crate::rule::prefilter_keywords()
                .iter()
                .any(|k| search::memmem::find(bytes, k.as_bytes()).is_some())
    }

    #[test]
    fn keywords_take_fewer_searches_than_keywords() {
        let keywords = crate::rule::prefilter_keywords();
        let searches = Keywords::new(&keywords).groups;
        let shown: Vec<String> = searches
            .iter()
            .map(|g| String::from_utf8_lossy(g.anchor.needle()).into_owned())
            .collect();
        // `from_secret` holds a mark; `Key::new` and `Key::from_slice` share `Key::`.
        assert!(!shown.iter().any(|s| s.contains("ecret")), "{shown:?}");
        assert!(shown.contains(&"Key::".to_owned()), "{shown:?}");
        assert!(
            searches.len() + 5 <= keywords.len(),
            "{shown:?} for {keywords:?}"
        );
    }

    #[test]
    fn the_prefilter_answers_as_its_straightforward_definition() {
        let keywords = crate::rule::prefilter_keywords();
        // Pieces: every keyword, its halves and its neighbours with a byte changed,
        // the marks and key qualifiers, separators and plain code.
        let mut pieces: Vec<Vec<u8>> = Vec::new();
        for k in &keywords {
            let k = k.as_bytes();
            pieces.push(k.to_vec());
            pieces.push(k[..k.len() / 2].to_vec());
            pieces.push(k[k.len() / 2..].to_vec());
            for i in [0, k.len() / 2, k.len() - 1] {
                let mut changed = k.to_vec();
                changed[i] ^= 0x20;
                pieces.push(changed);
            }
        }
        for p in [
            "ecret",
            "ECRET",
            "jwt",
            "Jwt",
            "JWT",
            "key",
            "Key",
            "KEY",
            "signing_",
            "hmac",
            "Key::",
            "::",
            "_from_bytes",
            "er_",
            "from_",
            "new",
            " ",
            "\n",
            "_",
            ".",
            "fn main() {",
            "let x = 1;",
            "é",
            "",
        ] {
            pieces.push(p.as_bytes().to_vec());
        }
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut passed, mut failed) = (0, 0);
        for _ in 0..50_000 {
            let mut text = Vec::new();
            for _ in 0..next(5) {
                text.extend_from_slice(&pieces[next(pieces.len())]);
            }
            let expected = straightforward(&text);
            assert_eq!(
                may_hold_findings(&text),
                expected,
                "{:?}",
                String::from_utf8_lossy(&text)
            );
            if expected {
                passed += 1;
            } else {
                failed += 1;
            }
        }
        // Both answers were drawn often.
        assert!(passed > 5_000 && failed > 5_000, "{passed} {failed}");
        for keyword in &keywords {
            for text in [
                keyword.clone(),
                format!("x{keyword}y"),
                format!("Key::{keyword}"),
            ] {
                assert!(may_hold_findings(text.as_bytes()), "{text}");
            }
        }
    }

    #[test]
    fn line_index_maps_offsets() {
        let idx = LineIndex::new("ab\ncd\n");
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.line_of(3), 2);
        assert_eq!(idx.start_of(2), 3);
        assert_eq!(idx.end_of(2), 5);
    }

    #[test]
    fn detailed_scans_lend_each_flagged_value_in_report_order() {
        let source = b"#[cfg(test)]\nmod tests;\nconst JWT_SECRET: &str = \"Zq8vLp3rTnXw5yKb\";\nfn k() { EncodingKey::from_secret(&[0x41, 0x42]); }\n";
        let scan = scan_source_detailed(
            Path::new("src/lib.rs"),
            source,
            &ScanOptions::default(),
            |value| value.to_vec(),
        );
        assert_eq!(scan.report.findings.len(), 2);
        assert_eq!(scan.secrets.len(), 2);
        assert_eq!(scan.secrets[0], b"Zq8vLp3rTnXw5yKb");
        assert_eq!(scan.secrets[1], b"0x41\x000x42");
        assert_eq!(scan.test_modules, ["tests"]);
        assert_eq!(
            scan.report,
            scan_source(Path::new("src/lib.rs"), source, &ScanOptions::default())
        );
    }

    #[test]
    fn non_utf8_is_a_warning_not_a_panic() {
        let r = scan_source(
            Path::new("x.rs"),
            b"fn a() { \xff }",
            &ScanOptions::default(),
        );
        assert_eq!(r.files_scanned, 0);
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].message.contains("UTF-8"));
    }
}
