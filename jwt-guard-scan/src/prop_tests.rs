//! Property tests: the scanner never panics, and a flagged literal never leaks.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::search;
use proptest::prelude::*;
use std::path::Path;

/// Fragments that drive the lexer and the rules into their less common paths.
const FRAGMENTS: &[&str] = &[
    "EncodingKey::from_secret(",
    "Hmac::<Sha256>::new_from_slice(",
    "hmac::Key::new(",
    "env::var(",
    "\"JWT_SECRET\"",
    "env!(",
    ".unwrap_or(",
    ".unwrap_or_else(|_| ",
    "match ",
    "Err(_) => ",
    "if let Ok(s) = ",
    " else ",
    "jwt_secret",
    ": ",
    " = ",
    "const ",
    "static ref ",
    "let ",
    "lazy_static! {",
    "json!({",
    "vec![",
    "concat!(",
    ".repeat(",
    ".as_bytes()",
    ".into()",
    "String::from(",
    "|| ",
    "move ",
    "fn default_jwt_secret() -> String ",
    "#[cfg(test)]",
    "#[test]",
    "#![cfg(test)]",
    "// jwt-guard: allow(key-literal) reason\n",
    "// jwt-guard: allow(\n",
    "\"",
    "b\"",
    "r#\"",
    "\"#",
    "br##\"",
    "c\"",
    "'",
    "'a",
    "b'",
    "\\",
    "\\\"",
    "0x73",
    "1.5e3",
    ",",
    ";",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "::",
    ".",
    "?",
    "&",
    "/*",
    "*/",
    "//",
    "\n",
    "\r\n",
    " ",
    "é",
    "🦀",
    "\"dev-secret\"",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
    "\t",
    "#",
    "!",
];

const REAL_FILES: &[&str] = &[
    include_str!("tests.rs"),
    include_str!("rules/mod.rs"),
    include_str!("rules/value.rs"),
    include_str!("lexer.rs"),
    include_str!("lib.rs"),
];

fn all_options() -> [ScanOptions; 2] {
    [
        ScanOptions::default(),
        ScanOptions {
            include_tests: true,
            ..ScanOptions::default()
        },
    ]
}

/// Scans and checks the findings are well formed.
fn scan_checked(bytes: &[u8]) {
    for opts in all_options() {
        let report = scan_source(Path::new("p.rs"), bytes, &opts);
        for f in &report.findings {
            assert!(f.line >= 1 && f.column >= 1);
            assert!(f.highlight.start <= f.highlight.end);
            assert!(f.highlight.end <= f.masked_line.chars().count());
            assert_literals_masked(bytes, f);
        }
        let _ = report.render_human();
    }
}

/// The shown line(s) are the source's, with every character of every literal (test
/// code's too) masked: string-likes and chars inside their quotes, numbers whole.
fn assert_literals_masked(bytes: &[u8], f: &Finding) {
    let src = std::str::from_utf8(bytes).unwrap();
    let literals: Vec<std::ops::Range<usize>> = super::lexer::lex(bytes)
        .tokens
        .iter()
        .filter_map(|t| match t.kind {
            super::lexer::Kind::Number => Some(t.start as usize..t.end as usize),
            super::lexer::Kind::Char | super::lexer::Kind::Byte => {
                Some(super::literal::content_range(t, bytes))
            }
            kind if kind.is_string() => Some(super::literal::content_range(t, bytes)),
            _ => None,
        })
        .collect();
    let line_start = if f.line == 1 {
        0
    } else {
        search::memchr_iter(b'\n', bytes).nth(f.line - 2).unwrap() + 1
    };
    let mut shown = f.masked_line.chars();
    for (offset, ch) in src[line_start..].char_indices() {
        let Some(m) = shown.next() else { break };
        let at = line_start + offset;
        if literals.iter().any(|r| r.contains(&at)) && ch != '\n' && ch != '\r' {
            assert_eq!(
                m, '*',
                "byte {at} of a literal shown in {:?}",
                f.masked_line
            );
        } else {
            assert!(
                m == ch || m == '*',
                "{m:?} for {ch:?} in {:?}",
                f.masked_line
            );
        }
    }
    assert!(
        shown.next().is_none(),
        "the shown line is longer than the source"
    );
}

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|parts| parts.concat())
}

/// A real file with random edits: deletions, insertions of fragments, truncation.
fn mutated_real_file() -> impl Strategy<Value = Vec<u8>> {
    let edit = (
        any::<prop::sample::Index>(),
        0usize..40,
        prop::sample::select(FRAGMENTS),
        0u8..3,
    );
    (
        prop::sample::select(REAL_FILES),
        prop::collection::vec(edit, 1..12),
    )
        .prop_map(|(file, edits)| {
            let mut bytes = file.as_bytes().to_vec();
            for (at, len, fragment, op) in edits {
                let at = at.index(bytes.len() + 1);
                match op {
                    0 => {
                        let end = (at + len).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    1 => {
                        bytes.splice(at..at, fragment.bytes());
                    }
                    _ => bytes.truncate(at),
                }
            }
            bytes
        })
}

/// Every short sequence of boundary-prone tokens at the start of a file: the rules look
/// back a few tokens, so this is where an index could underflow.
#[test]
fn every_short_prefix_is_safe() {
    const PIECES: &[&str] = &[
        "::",
        "Key",
        "new",
        "var",
        "env",
        "(",
        ")",
        "\"JWT_SECRET\"",
        "hmac",
        "#",
        "[",
        "!",
        "match",
        "=",
        "{",
        ".",
        "fn",
        "let",
        "|",
    ];
    let n = PIECES.len();
    for code in 0..n.pow(4) {
        let mut src = String::from("/* secret */ ");
        let mut c = code;
        for _ in 0..4 {
            src.push_str(PIECES[c % n]);
            src.push(' ');
            c /= n;
        }
        src.push_str("(\"JWT_SECRET\") . unwrap_or ( \"x\" )");
        let _ = scan_source(Path::new("p.rs"), src.as_bytes(), &ScanOptions::default());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        scan_checked(&bytes);
        // Past the prefilter and the UTF-8 check too.
        let mut prefixed = b"// secret\n".to_vec();
        prefixed.extend(String::from_utf8_lossy(&bytes).as_bytes());
        scan_checked(&prefixed);
    }

    #[test]
    fn lexer_and_rules_take_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512), soup in soup()) {
        for input in [bytes, soup.into_bytes()] {
            let lexed = super::lexer::lex(&input);
            // Tokens are in order, inside the input, and never overlap.
            let mut all: Vec<_> = lexed.tokens.iter().chain(&lexed.comments).collect();
            all.sort_by_key(|t| t.start);
            let mut last_end = 0;
            for t in all {
                prop_assert!(t.start as usize >= last_end && t.start < t.end && t.end as usize <= input.len());
                last_end = t.end as usize;
            }
            // The rules only ever see valid UTF-8 (the scanner skips other files).
            let text = String::from_utf8_lossy(&input);
            let _ = super::rules::run(&text, &super::lexer::lex(text.as_bytes()).tokens);
        }
    }

    #[test]
    fn never_panics_on_token_soup(src in soup()) {
        scan_checked(src.as_bytes());
    }

    #[test]
    fn never_panics_on_mutated_real_files(bytes in mutated_real_file()) {
        scan_checked(&bytes);
    }

    #[test]
    fn a_flagged_literal_never_leaks(
        secret in "[A-Za-z0-9][A-Za-z0-9!#$%&*+,./:;<=>?@^_`|~ -]{7,39}",
        shape in 0usize..6,
    ) {
        prop_assume!(secret.trim() == secret);
        // Paths, URLs and prose are not secrets by design (see `names`).
        prop_assume!(!super::names::is_obviously_not_a_secret(&secret));
        let escaped = secret.replace('\\', "\\\\");
        let src = match shape {
            0 => format!("fn k() {{ EncodingKey::from_secret(b\"{escaped}\"); }}"),
            1 => format!("const JWT_SECRET: &str = \"{escaped}\";"),
            2 => format!("fn c() {{ env::var(\"JWT_SECRET\").unwrap_or_else(|_| \"{escaped}\".into()); }}"),
            3 => format!("fn c() {{ let v = json!({{ \"jwt_secret\": r#\"{escaped}\"# }}); }}"),
            4 => format!("const K: &str = \"{escaped}\";\nfn k() {{ Hmac::new_from_slice(K.as_bytes()); }}"),
            _ => format!("fn c() {{ x.jwt_secret(\"{escaped}\n{escaped}\"); }}"),
        };
        // Keep the literal distinguishable from the code around it.
        let code = src.replace(&escaped, "");
        prop_assume!(secret.as_bytes().windows(8).all(|w| !code.as_bytes().windows(8).any(|c| c == w)));
        let report = scan_source(Path::new("src/lib.rs"), src.as_bytes(), &ScanOptions::default());
        prop_assert_eq!(report.findings.len(), 1, "{}", src);
        let f = &report.findings[0];
        let outputs = [report.render_human(), format!("{report:?}"), f.message.clone(), f.masked_line.clone(), f.render()];
        for window in secret.as_bytes().windows(8) {
            let window = std::str::from_utf8(window).unwrap();
            for out in &outputs {
                prop_assert!(!out.contains(window), "`{}` leaked into {}", window, out);
            }
        }
    }
}
