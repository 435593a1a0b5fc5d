//! The scanner reads a file as rustc does (issue 7, item 5): a secret in a file that
//! compiles is found however the file starts and whatever whitespace separates its tokens;
//! what rustc does not read as code (a shebang line) is not flagged.

use jwt_guard_scan::{Rule, ScanOptions, scan_source};
use std::path::Path;

const SECRET: &str = "Xq7pLm2vRt9sWk4bNz8c";

/// The (rule, line) of every finding in `src`.
fn findings(src: &str) -> Vec<(Rule, usize)> {
    let report = scan_source(
        Path::new("src/lib.rs"),
        src.as_bytes(),
        &ScanOptions::default(),
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    for f in &report.findings {
        assert!(!f.masked_line.contains(SECRET), "{}", f.masked_line);
    }
    report.findings.iter().map(|f| (f.rule, f.line)).collect()
}

#[track_caller]
fn flagged_on(src: &str, line: usize) {
    assert_eq!(findings(src), [(Rule::SecretBinding, line)], "in {src:?}");
}

#[track_caller]
fn clean(src: &str) {
    assert_eq!(findings(src), [], "in {src:?}");
}

fn binding() -> String {
    format!("const JWT_SECRET: &str = \"{SECRET}\";\n")
}

// ---- the four reproductions of the issue ----

#[test]
fn a_leading_byte_order_mark_is_not_part_of_the_first_token() {
    flagged_on(&format!("\u{feff}{}", binding()), 1);
}

#[test]
fn a_form_feed_separates_tokens() {
    flagged_on(
        &format!("pub const JWT_SECRET: &str =\u{c}\"{SECRET}\";\n"),
        1,
    );
}

#[test]
fn hash_bang_space_bracket_is_an_inner_attribute_not_a_shebang() {
    flagged_on(&format!("#! [allow(dead_code)] {}", binding()), 1);
}

#[test]
fn a_left_to_right_mark_separates_tokens() {
    flagged_on(
        &format!("pub const\u{200e}JWT_SECRET: &str = \"{SECRET}\";\n"),
        1,
    );
}

// ---- the classes beyond them ----

/// Every Pattern_White_Space character, in every gap of the binding.
#[test]
fn every_pattern_white_space_character_separates_tokens() {
    for ws in [
        "\t", "\n", "\u{b}", "\u{c}", "\r", " ", "\u{85}", "\u{200e}", "\u{200f}", "\u{2028}",
        "\u{2029}",
    ] {
        let src =
            format!("pub{ws}const{ws}JWT_SECRET{ws}:{ws}&{ws}str{ws}={ws}\"{SECRET}\"{ws};\n");
        // Only a line feed starts a new line (as for rustc's line numbers).
        let line = if ws == "\n" { 8 } else { 1 };
        flagged_on(&src, line);
    }
}

#[test]
fn byte_order_mark_and_shebang_together() {
    // The shebang after a byte order mark is still the first line.
    flagged_on(
        &format!("\u{feff}#!/usr/bin/env run-cargo-script\n{}", binding()),
        2,
    );
    flagged_on(&format!("\u{feff}#![allow(dead_code)] {}", binding()), 1);
    flagged_on(&format!("\u{feff}#! [allow(dead_code)]\n{}", binding()), 2);
    // A shebang line is not code, so a binding written on it is not a finding.
    clean(&format!("\u{feff}#!/usr/bin/env x {}", binding()));
}

#[test]
fn a_shebang_line_is_skipped_and_not_flagged() {
    flagged_on(
        &format!("#!/usr/bin/env run-cargo-script\n{}", binding()),
        2,
    );
    flagged_on(&format!("#!/usr/bin/env x\r\n{}", binding()), 2);
    clean(&format!("#! {}", binding()));
    clean(&format!("#!/usr/bin/env x {}", binding()));
}

#[test]
fn hash_bang_then_comments_then_bracket_is_an_inner_attribute() {
    for gap in [
        "",
        " ",
        "\n",
        "\u{c}",
        "\u{2028}",
        "// comment\n",
        "/* comment */",
        "/* nested /* comment */ */",
        "/**/",
        "/***/",
        "//// four slashes: not a doc comment\n",
        " /* a */ // b\n \t",
    ] {
        flagged_on(
            &format!("#!{gap}[allow(dead_code)] {}", binding()),
            1 + gap.matches('\n').count(),
        );
    }
}

#[test]
fn hash_bang_then_a_doc_comment_is_a_shebang() {
    // rustc skips only whitespace and plain comments looking for `[`: before a doc
    // comment, `#!` starts a shebang line (the rest of the line is not code).
    for doc in ["/// doc", "//! doc", "/** doc */", "/*! doc */"] {
        clean(&format!("#!{doc} {}", binding()));
        clean(&format!("#! {doc} {}", binding()));
    }
}

#[test]
fn hash_bang_not_at_the_start_is_code() {
    // Only the first line can be a shebang: elsewhere `#!` is punctuation.
    flagged_on(&format!(" #!/x\n{}", binding()), 2);
    flagged_on(&format!("\n#! x {}", binding()), 2);
}

#[test]
fn a_char_literal_does_not_swallow_the_next_line() {
    // An unterminated char ends before a line break, as in rustc; lexing goes on.
    flagged_on(&format!("fn f() {{ let c = '\\n; }}\n{}", binding()), 2);
    flagged_on(&format!("fn f() {{ let c = b'ab; }}\n{}", binding()), 2);
    // A two-character "char" is one (invalid) token, not a lifetime and a quote.
    flagged_on(&format!("fn f() {{ let c = 'ab'; }} {}", binding()), 1);
}

#[test]
fn a_literal_suffix_is_not_a_prefix_of_the_next_literal() {
    // `"a"b` is a literal with the suffix `b`: the next `"` opens a plain string.
    flagged_on(&format!("m!(\"a\"b\"c\"); {}", binding()), 1);
}

#[test]
fn raw_strings_with_many_hashes() {
    let hashes = "#".repeat(300);
    flagged_on(
        &format!("const JWT_SECRET: &str = r{hashes}\"{SECRET}\"{hashes};\n"),
        1,
    );
}
