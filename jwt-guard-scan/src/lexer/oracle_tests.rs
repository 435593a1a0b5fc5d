//! Differential tests: the hand-written lexer against rustc's own (`ra-ap-rustc_lexer`, a
//! dev-dependency only), on the local registry cache and on mutated inputs.
//!
//! Both token streams are reduced to `(class, start, end)` triples over the same bytes and
//! must be equal: every identifier, every string, byte-string, raw-string and C-string
//! literal, and also every char, byte, lifetime, number, punctuation and comment token.
//! The oracle is driven the way rustc drives it: a leading byte order mark is removed,
//! then `strip_shebang`; a guarded-string prefix (`#"`, `##`) is split back into `#` (as in
//! editions before 2024); a literal's suffix (`"x"suffix`) counts as an identifier;
//! frontmatter (unstable) is not allowed.
//!
//! One divergence is deliberate: the hand-written lexer takes every non-ASCII character
//! that is not whitespace as an identifier character (no Unicode tables), where rustc
//! takes only XID characters and rejects the file on any other. Such a file never
//! compiles, so the comparison stops at the first token where rustc meets one.
#![allow(clippy::unwrap_used)]

use super::{Kind, lex};
use proptest::prelude::*;
use ra_ap_rustc_lexer as rl;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A token class both lexers can be reduced to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Ident,
    Lifetime,
    Str,
    ByteStr,
    RawStr,
    RawByteStr,
    CStr,
    RawCStr,
    Char,
    Byte,
    Number,
    Punct,
    Comment,
    /// Bytes rustc rejects as one token: a raw-string prefix without its opening quote.
    Invalid,
}

type Triple = (Class, usize, usize);

/// The hand-written lexer's tokens, comments included, in source order.
fn ours(src: &str) -> Vec<Triple> {
    let lexed = lex(src.as_bytes());
    let mut out: Vec<Triple> = lexed
        .tokens
        .iter()
        .chain(&lexed.comments)
        .map(|t| {
            let class = match t.kind {
                Kind::Ident => Class::Ident,
                Kind::Lifetime => Class::Lifetime,
                Kind::Str => Class::Str,
                Kind::ByteStr => Class::ByteStr,
                Kind::RawStr => Class::RawStr,
                Kind::RawByteStr => Class::RawByteStr,
                Kind::CStr if t.text(src.as_bytes()).starts_with(b"cr") => Class::RawCStr,
                Kind::CStr => Class::CStr,
                Kind::Char => Class::Char,
                Kind::Byte => Class::Byte,
                Kind::Number => Class::Number,
                Kind::Punct => Class::Punct,
                Kind::Unknown => Class::Invalid,
                Kind::LineComment | Kind::BlockComment => Class::Comment,
            };
            (class, t.start as usize, t.end as usize)
        })
        .collect();
    out.sort_by_key(|&(_, start, _)| start);
    out
}

/// rustc's tokens, and where the comparison must stop: at the first token holding a
/// character rustc rejects where the hand-written lexer takes it as an identifier
/// character (or at the identifier, number or lifetime that token extends).
fn oracle(src: &str) -> (Vec<Triple>, usize) {
    let mut pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
    pos += rl::strip_shebang(&src[pos..]).unwrap_or(0);
    let mut out: Vec<Triple> = Vec::new();
    let cut = |out: &Vec<Triple>, at: usize| match out.last() {
        Some(&(Class::Ident | Class::Number | Class::Lifetime, start, end)) if end == at => start,
        _ => at,
    };
    let mut cursor = rl::Cursor::new(&src[pos..], rl::FrontmatterAllowed::No);
    loop {
        let token = cursor.advance_token();
        let (start, end) = (pos, pos + token.len as usize);
        let text = &src[start..end];
        let literal = |class, suffix_start: u32, out: &mut Vec<Triple>| {
            let split = start + suffix_start as usize;
            out.push((class, start, split));
            if split < end {
                out.push((Class::Ident, split, end));
            }
        };
        use rl::LiteralKind as L;
        use rl::TokenKind as T;
        match token.kind {
            T::Eof => break,
            T::Whitespace => {}
            T::LineComment { .. } | T::BlockComment { .. } => {
                out.push((Class::Comment, start, end))
            }
            T::Ident | T::RawIdent | T::UnknownPrefix => out.push((Class::Ident, start, end)),
            // `k#x` (unstable): read as in editions before 2021, `k` `#`, then lex again.
            T::ForcedKeywordIdent => {
                out.extend([
                    (Class::Ident, start, start + 1),
                    (Class::Punct, start + 1, start + 2),
                ]);
                pos = start + 2;
                cursor = rl::Cursor::new(&src[pos..], rl::FrontmatterAllowed::No);
                continue;
            }
            T::InvalidIdent => return (out.clone(), cut(&out, start)),
            T::Unknown if !text.is_ascii() => return (out.clone(), cut(&out, start)),
            T::Lifetime { .. }
            | T::RawLifetime
            | T::UnknownPrefixLifetime
            | T::Literal {
                kind: L::Char { .. },
                ..
            } if quote_diverges(text) => {
                return (out, start);
            }
            T::Lifetime { .. } | T::RawLifetime | T::UnknownPrefixLifetime => {
                // `'r#€`: the hand-written lexer reads a raw lifetime.
                if text == "'r" && src[end..].strip_prefix('#').is_some_and(starts_foreign) {
                    return (out, start);
                }
                out.push((Class::Lifetime, start, end))
            }
            T::GuardedStrPrefix => {
                // Before edition 2024 (and as rustc recovers in it): a `#`, then lex again.
                out.push((Class::Punct, start, start + 1));
                pos = start + 1;
                cursor = rl::Cursor::new(&src[pos..], rl::FrontmatterAllowed::No);
                continue;
            }
            T::Literal {
                kind: L::Int { .. } | L::Float { .. },
                ..
            } => out.push((Class::Number, start, end)),
            T::Literal { kind, suffix_start } => {
                let class = match kind {
                    L::Char { .. } => Class::Char,
                    L::Byte { .. } => Class::Byte,
                    L::Str { .. } => Class::Str,
                    L::ByteStr { .. } => Class::ByteStr,
                    L::CStr { .. } => Class::CStr,
                    L::RawStr { n_hashes }
                    | L::RawByteStr { n_hashes }
                    | L::RawCStr { n_hashes }
                        if n_hashes.is_none() && !raw_string_opens(text) =>
                    {
                        // `r#€`: the hand-written lexer reads a raw identifier.
                        if text
                            .trim_start_matches(['b', 'c', 'r', '#'])
                            .starts_with(foreign)
                        {
                            return (out, start);
                        }
                        Class::Invalid
                    }
                    L::RawStr { .. } => Class::RawStr,
                    L::RawByteStr { .. } => Class::RawByteStr,
                    L::RawCStr { .. } => Class::RawCStr,
                    L::Int { .. } | L::Float { .. } => unreachable!(),
                };
                literal(class, suffix_start, &mut out);
            }
            _ => out.push((Class::Punct, start, end)),
        }
        pos = end;
    }
    (out, src.len())
}

/// True when a raw string's prefix is followed by its hashes and opening quote.
fn raw_string_opens(text: &str) -> bool {
    let after_r = &text[text.find('r').map_or(0, |i| i + 1)..];
    after_r.trim_start_matches('#').starts_with('"')
}

/// A character rustc does not start an identifier with and the hand-written lexer does.
fn foreign(c: char) -> bool {
    !c.is_ascii() && !rl::is_whitespace(c) && !rl::is_id_start(c)
}

fn starts_foreign(text: &str) -> bool {
    text.starts_with(foreign)
}

/// True when the character after a `'` is one rustc does not take as the start of a
/// lifetime but the hand-written lexer does: non-ASCII, not whitespace, not XID_Start, not
/// an emoji (rustc takes those as invalid lifetimes), and not followed by a `'`.
fn quote_diverges(text: &str) -> bool {
    let mut chars = text.chars().skip(1);
    let (Some(first), second) = (chars.next(), chars.next()) else {
        return false;
    };
    let emoji = || {
        let one = first.to_string();
        rl::tokenize(&one, rl::FrontmatterAllowed::No)
            .next()
            .is_some_and(|t| t.kind == rl::TokenKind::InvalidIdent)
    };
    foreign(first) && second != Some('\'') && !emoji()
}

/// The first difference between the two lexers on `src`, described, or `None`.
fn disagreement(src: &str) -> Option<String> {
    let (mut theirs, cutoff) = oracle(src);
    theirs.retain(|&(_, start, _)| start < cutoff);
    let mine: Vec<Triple> = ours(src)
        .into_iter()
        .filter(|&(_, start, _)| start < cutoff)
        .collect();
    let i = (0..mine.len().max(theirs.len())).find(|&i| mine.get(i) != theirs.get(i))?;
    let show = |t: Option<&Triple>| match t {
        Some(&(class, start, end)) => {
            format!(
                "{class:?} {start}..{end} {:?}",
                src.get(start..end).unwrap_or("?")
            )
        }
        None => "nothing".into(),
    };
    let at = mine.get(i).or(theirs.get(i)).map_or(0, |t| t.1);
    let mut from = at.saturating_sub(30);
    while !src.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (at + 30).min(src.len());
    while !src.is_char_boundary(to) {
        to += 1;
    }
    Some(format!(
        "ours: {}, rustc: {}, near {:?}",
        show(mine.get(i)),
        show(theirs.get(i)),
        &src[from..to]
    ))
}

/// Every `.rs` file of the local registry cache (`$CARGO_HOME/registry/src/*/`), sorted, or
/// `None` when there is no such directory. Symbolic links are not followed.
fn registry_files() -> Option<Vec<PathBuf>> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    let mut pending: Vec<PathBuf> = std::fs::read_dir(home.join("registry/src"))
        .ok()?
        .flatten()
        .map(|entry| entry.path())
        .collect();
    let mut files = Vec::new();
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    Some(files)
}

/// How many files the default (sampled) run compares at most; `JWT_GUARD_DIFF_CORPUS=1`
/// compares every file.
const SAMPLE_FILES: usize = 400;

#[test]
fn agrees_with_rustc_on_the_registry_cache() {
    let Some(files) = registry_files() else {
        eprintln!(
            "note: no registry cache (~/.cargo/registry/src): differential corpus test skipped"
        );
        return;
    };
    let full = std::env::var_os("JWT_GUARD_DIFF_CORPUS").is_some_and(|v| v != "0");
    let stride = if full {
        1
    } else {
        files.len().div_ceil(SAMPLE_FILES).max(1)
    };
    let started = Instant::now();
    let (mut compared, mut not_utf8, mut cut, mut bytes) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for path in files.iter().step_by(stride) {
        let Ok(raw) = std::fs::read(path) else {
            continue;
        };
        let Ok(src) = String::from_utf8(raw) else {
            not_utf8 += 1;
            continue;
        };
        compared += 1;
        bytes += src.len();
        if oracle(&src).1 < src.len() {
            cut += 1;
        }
        if let Some(d) = disagreement(&src) {
            failures.push(format!("{}: {d}", path.display()));
        }
    }
    eprintln!(
        "differential corpus: {compared} of {} files ({:.1} MB{}), {not_utf8} not UTF-8, \
         {cut} compared up to a character rustc rejects, {} disagree, {:.1} s",
        files.len(),
        bytes as f64 / 1e6,
        if full {
            ""
        } else {
            ", sampled; JWT_GUARD_DIFF_CORPUS=1 for all"
        },
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    for f in &failures {
        eprintln!("  {f}");
    }
    assert!(failures.is_empty(), "{} files disagree", failures.len());
}

/// Pieces that drive a lexer into its corners (the classes of the issue and their
/// neighbours): every Pattern_White_Space character, byte order marks, shebang shapes,
/// raw strings with many hashes, nested comments, C strings, byte strings, lifetimes
/// against chars, numeric suffixes and exponents, unterminated literals, non-ASCII.
const PIECES: &[&str] = &[
    "\u{feff}",
    "\t",
    "\n",
    "\u{b}",
    "\u{c}",
    "\r",
    " ",
    "\u{85}",
    "\u{200e}",
    "\u{200f}",
    "\u{2028}",
    "\u{2029}",
    "\u{a0}",
    "\u{200b}",
    "#!",
    "#![",
    "#! [",
    "#!/usr/bin/env x\n",
    "#!//c\n[",
    "#!/*c*/[",
    "#! /// d\n[",
    "#! /** d */[",
    "#",
    "##",
    "###",
    "[",
    "!",
    "r",
    "r#",
    "r##\"",
    "r###\"",
    "\"#",
    "\"##",
    "\"###",
    "br#\"",
    "cr##\"",
    "rb\"",
    "k#x",
    "f\"",
    "/*",
    "*/",
    "/**/",
    "/*!",
    "//",
    "///",
    "//!",
    "\"",
    "b\"",
    "c\"",
    "b'",
    "c'",
    "'",
    "'a",
    "'a'",
    "'ab'",
    "'\\''",
    "'\\n'",
    "'\\",
    "'r#a",
    "'1",
    "'''",
    "\\",
    "\\\"",
    "0",
    "1",
    "0x",
    "0b1e+",
    "1e+",
    "1.",
    "1.5",
    "1..2",
    "1.e3",
    "_u8",
    "u8",
    "e",
    "E",
    "+",
    "-",
    ".",
    "_",
    "x",
    "JWT_SECRET",
    " = ",
    ";",
    "é",
    "e\u{301}",
    "日本",
    "€",
    "🦀",
    "\u{200d}",
    "\0",
];

fn piece_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|parts| parts.concat())
}

/// Soup of the pieces rustc may accept outside literals: the comparison is never cut.
fn compilable_soup() -> impl Strategy<Value = String> {
    let pieces: Vec<&str> = PIECES
        .iter()
        .copied()
        .filter(|p| !p.chars().any(foreign) && !p.contains('\u{feff}'))
        .collect();
    prop::collection::vec(prop::sample::select(pieces), 0..60).prop_map(|parts| parts.concat())
}

const SEEDS: &[&str] = &[
    include_str!("../lexer.rs"),
    include_str!("../literal.rs"),
    include_str!("../rules/value.rs"),
    "fn main() { let x: &'static str = r#\"a\"#; let c = b'\\''; 'l: loop { break 'l; } }\n",
    "const JWT_SECRET: &str = \"Xq7pLm2vRt9sWk4bNz8c\";\n",
];

/// A seed with pieces inserted at random character boundaries and random cuts.
fn mutated() -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        prop::sample::select(PIECES),
        0u8..4,
    );
    (
        prop::sample::select(SEEDS),
        prop::collection::vec(edit, 1..10),
    )
        .prop_map(|(seed, edits)| {
            let mut text = seed.to_string();
            for (at, piece, op) in edits {
                let mut at = at.index(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match op {
                    0 => text.truncate(at),
                    1 => text.insert_str(0, piece),
                    _ => text.insert_str(at, piece),
                }
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn agrees_with_rustc_on_piece_soup(src in piece_soup()) {
        prop_assert_eq!(disagreement(&src), None, "{:?}", src);
    }

    #[test]
    fn agrees_with_rustc_in_full_without_foreign_characters(src in compilable_soup()) {
        prop_assert_eq!(oracle(&src).1, src.len(), "{:?}", src);
        prop_assert_eq!(disagreement(&src), None, "{:?}", src);
    }

    #[test]
    fn agrees_with_rustc_on_mutated_sources(src in mutated()) {
        if let Some(d) = disagreement(&src) {
            prop_assert!(false, "{}", d);
        }
    }
}
