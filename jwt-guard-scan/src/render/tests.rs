//! The renderer against annotate-snippets, the renderer of rustc's format: byte for byte,
//! plain and styled, on generated findings, and what it does where the two part ways.
#![allow(clippy::unwrap_used)]

use super::*;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use proptest::prelude::*;
use std::path::PathBuf;

/// What annotate-snippets draws for `finding`: the renderer this module replaced.
fn oracle(finding: &Finding, renderer: &Renderer) -> String {
    let byte = |n: usize| {
        finding
            .masked_line
            .char_indices()
            .nth(n)
            .map_or(finding.masked_line.len(), |(i, _)| i)
    };
    let span = byte(finding.highlight.start)..byte(finding.highlight.end);
    let title = format!("{} [{}]", finding.rule.info().title, finding.rule.as_str());
    let note = format!(
        "suppress with `// jwt-guard: allow({}) <reason>` on this line or the line above",
        finding.rule.as_str()
    );
    let mut group = Level::ERROR.primary_title(title).element(
        Snippet::source(finding.masked_line.as_str())
            .line_start(finding.line)
            .path(shown(&finding.path))
            .annotation(
                AnnotationKind::Primary
                    .span(span)
                    .label(finding.message.as_str()),
            ),
    );
    group = group.element(Level::HELP.message(finding.rule.info().fix));
    if finding.rule != Rule::InvalidSuppression {
        group = group.element(Level::NOTE.message(note));
    }
    renderer.render(&[group])
}

fn finding(rule: Rule, line: usize, masked_line: &str, highlight: Range<usize>) -> Finding {
    let before: String = masked_line.chars().take(highlight.start).collect();
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Finding {
        rule,
        path: PathBuf::from("src/lib.rs"),
        line,
        column,
        message: "this literal is used as an HMAC signing key".to_owned(),
        masked_line: masked_line.to_owned(),
        highlight,
    }
}

#[track_caller]
fn assert_same(f: &Finding) {
    assert_eq!(f.render(), oracle(f, &Renderer::plain()), "{f:?}");
    assert_eq!(
        f.render_with(Paint::Styled),
        oracle(f, &Renderer::styled()),
        "{f:?}"
    );
}

#[test]
fn draws_what_annotate_snippets_draws_for_hand_picked_shapes() {
    let cases: &[(&str, Range<usize>)] = &[
        ("    let k = EncodingKey::from_secret(b\"****\");", 37..44),
        ("const K: &str = \"\";", 16..18),
        ("x = \"**\"", 8..8),
        ("\tx =\t\"**\"", 5..9),
        ("日本 = \"**\"", 5..9),
        (
            "a\u{202e}b\u{1b}c\u{7f}\u{200d}\u{200b}\u{301} = \"**\"",
            13..17,
        ),
        ("\"***\n***\"", 0..9),
        ("  \"***\n  ***\"", 2..13),
        ("  x(\"***\n  ***\");", 4..14),
        ("let k = \"***\n\t***\n  ***\"", 8..24),
        ("let k = \"***\n\n***\"", 8..18),
        ("let k = \"***\r\n***\"", 8..18),
        ("let k = \"***\n\"", 8..14),
        ("let k = \"***\n\"", 8..13),
    ];
    for (line, (text, highlight)) in cases.iter().enumerate() {
        assert_same(&finding(
            Rule::KeyLiteral,
            line + 1,
            text,
            highlight.clone(),
        ));
        assert_same(&finding(
            Rule::InvalidSuppression,
            line * 997 + 9,
            text,
            highlight.clone(),
        ));
    }
    // More than seven lines: the first four, `...`, the last two.
    for lines in [7, 8, 12] {
        let text = format!("let k = \"{}\"", vec!["***"; lines].join("\n"));
        let chars = text.chars().count();
        for first in [1, 8, 99, 995] {
            assert_same(&finding(Rule::SecretBinding, first, &text, 8..chars));
        }
    }
}

/// Characters a masked line is made of, the awkward ones included: wide, zero-width,
/// combining, tabs, control characters and bidirectional overrides. (Not the C1 controls:
/// annotate-snippets passes them to the terminal, this renderer shows `�`.)
fn line_char() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => prop::sample::select(vec!['a', 'Z', '_', '*', '"', ' ', '=', '(', ';']),
        1 => prop::sample::select(vec![
            '\t', '日', '\u{301}', '\u{200b}', '\u{200d}', '\u{202e}', '\u{2067}', '\u{1b}',
            '\0', '\u{7f}', '\u{fe0f}', 'é', '\u{1f600}',
        ]),
    ]
}

fn masked_source() -> impl Strategy<Value = (String, Range<usize>)> {
    prop::collection::vec(prop::collection::vec(line_char(), 0..30), 1..11)
        .prop_flat_map(|lines| {
            let text = lines
                .iter()
                .map(|line| line.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("\n");
            let chars = text.chars().count();
            (Just(text), 0..=chars, 0..=chars)
        })
        .prop_map(|(text, a, b)| (text, a.min(b)..a.max(b)))
        // Not indented by more than 26 columns: annotate-snippets cuts deeper indentation
        // from every line, this renderer does not.
        .prop_filter("deep indentation", |(text, _)| {
            text.split('\n').all(|line| {
                let indent: usize = line
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .map(|c| if c == '\t' { 4 } else { 1 })
                    .sum();
                indent <= 26 || line.chars().all(char::is_whitespace)
            })
        })
        // A highlight starts and ends inside a line, as a literal does.
        .prop_filter("highlight on a line break", |(text, highlight)| {
            let chars: Vec<char> = text.chars().collect();
            chars.get(highlight.start) != Some(&'\n')
                && (highlight.end == 0 || chars.get(highlight.end - 1) != Some(&'\n'))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn draws_what_annotate_snippets_draws(
        (text, highlight) in masked_source(),
        line in 1usize..20_000,
        rule in prop::sample::select(Rule::ALL.to_vec()),
    ) {
        assert_same(&finding(rule, line, &text, highlight));
    }
}

#[test]
fn a_wide_line_is_shown_around_its_highlight_with_the_caret_under_it() {
    for (before, after) in [(10, 400), (300, 300), (400, 10), (0, 0)] {
        let text = format!(
            "{}k(\"{}\"){}",
            "a".repeat(before),
            "*".repeat(20),
            "b".repeat(after)
        );
        let f = finding(Rule::KeyLiteral, 3, &text, before + 2..before + 24);
        let out = f.render();
        let source = out.lines().nth(3).unwrap();
        let carets = out.lines().nth(4).unwrap();
        assert!(source.chars().count() <= WIDTH, "{out}");
        let at = carets.find('^').unwrap();
        assert_eq!(
            &source[at..at + 22],
            format!("\"{}\"", "*".repeat(20)),
            "{out}"
        );
        assert_eq!(carets[at..].find(' '), Some(22), "{out}");
        assert_eq!(source.starts_with("3 | ..."), before > 60, "{out}");
        assert_eq!(source.ends_with("..."), after > 60, "{out}");
        assert!(
            out.contains(&format!(" --> src/lib.rs:3:{}", before + 3)),
            "{out}"
        );
    }
}

#[test]
fn a_long_highlight_on_a_wide_line_shows_its_start() {
    let text = format!("k(\"{}\")", "*".repeat(500));
    let out = finding(Rule::KeyLiteral, 1, &text, 2..504).render();
    let source = out.lines().nth(3).unwrap();
    assert!(
        source.starts_with("1 | k(\"****") && source.ends_with("..."),
        "{out}"
    );
    assert!(
        out.lines().nth(4).unwrap().starts_with("  |   ^^^^"),
        "{out}"
    );
    // A few columns before the highlight are kept, not traded for a `...`.
    let text = format!("JWT_SECRET={}", "*".repeat(240));
    let out = finding(Rule::KeyLiteral, 1, &text, 11..251).render();
    let source = out.lines().nth(3).unwrap();
    assert!(source.starts_with("1 | JWT_SECRET=****"), "{out}");
    assert!(
        source.ends_with("...") && source.chars().count() <= WIDTH,
        "{out}"
    );
    let carets = format!("  | {}^^^^", " ".repeat(11));
    assert!(out.lines().nth(4).unwrap().starts_with(&carets), "{out}");
}

#[test]
fn a_span_over_wide_lines_marks_its_start_and_end_in_view() {
    let text = format!(
        "{}k(\"***\n{}***\"){}",
        "a".repeat(300),
        "b".repeat(200),
        "c".repeat(300)
    );
    let start = 302;
    let end = text.chars().count() - 301;
    let out = finding(Rule::KeyLiteral, 1, &text, start..end).render();
    let rows: Vec<&str> = out.lines().collect();
    assert!(rows.iter().all(|row| row.chars().count() <= WIDTH), "{out}");
    // The start marker ends under the opening quote, the end marker under the closing one.
    let opening = rows[3].find("k(\"").unwrap() + 2;
    assert_eq!(rows[4].find('^'), Some(opening), "{out}");
    let closing = rows[5].find("***\")").unwrap() + 3;
    assert_eq!(rows[6].find('^'), Some(closing), "{out}");
}

/// annotate-snippets passes C1 control characters (U+0080 to U+009F) through; one of them
/// is CSI, the start of a terminal escape. This renderer shows `�` in their place.
#[test]
fn c1_control_characters_never_reach_the_terminal() {
    let f = finding(Rule::KeyLiteral, 1, "a\u{9b}31m = \"**\"\u{85}", 9..13);
    let out = f.render() + &f.render_with(Paint::Styled);
    assert!(!out.contains(['\u{9b}', '\u{85}']), "{out:?}");
    assert!(
        f.render().contains("a\u{fffd}31m = \"**\"\u{fffd}"),
        "{out}"
    );
    // Only the glyph differs: the caret is where annotate-snippets puts it.
    let caret_row = |s: &str| s.lines().nth(4).unwrap().to_owned();
    assert_eq!(
        caret_row(&f.render()),
        caret_row(&oracle(&f, &Renderer::plain()))
    );
}

#[test]
fn a_warning_draws_what_annotate_snippets_draws() {
    for message in [
        "not valid UTF-8; not scanned",
        "two\nlines",
        "esc \u{1b}[31m",
    ] {
        let warning = Warning::new("dir/a file.rs", message);
        let title = format!("cannot scan dir/a file.rs: {message}");
        for (paint, renderer) in [
            (Paint::Plain, Renderer::plain()),
            (Paint::Styled, Renderer::styled()),
        ] {
            let want = renderer.render(&[Group::with_title(Level::ERROR.primary_title(&title))]);
            assert_eq!(warning.render_with(paint), want);
        }
    }
}
