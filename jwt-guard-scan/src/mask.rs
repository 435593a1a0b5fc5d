//! What a shown source line never prints: the characters of any literal.
//!
//! A finding shows its line(s), and a line may hold more than the flagged literal: a
//! test-only secret stripped before the rules ran, a suppressed finding, a literal given
//! to a constructor the rules do not know (`Keys::new(b"..")`), the bytes of a key array.
//! No literal is proven harmless, so all are masked, wherever they come from:
//!
//! - string-likes (`".."`, `b".."`, `r#".."#`, `br".."`, `c".."`, `cr".."`) and character
//!   and byte literals (`'x'`, `b'x'`): their content, between the quotes, so the
//!   prefix, hashes and quotes stay and show what kind of literal it was;
//! - numbers (`0x73`, `115`, `1.5e3`): the whole token, since byte arrays (`[0x73, ..]`,
//!   `vec![115, ..]`) and integer constants can be key material.
//!
//! Each masked character becomes one `*`, so the line keeps its length in characters and
//! the highlight's columns stay right. Line breaks inside a literal stay (a literal
//! spanning lines is masked on each of them). Comments, identifiers and punctuation are
//! shown as written.

use super::lexer::{Kind, Token};
use super::literal;
use std::ops::Range;

/// Sorted, disjoint byte ranges of a file whose characters are masked on a shown line.
#[derive(Debug, Default)]
pub(crate) struct Mask {
    ranges: Vec<Range<usize>>,
}

impl Mask {
    /// Every literal of `toks` (all of the file's tokens, test code's included), plus
    /// `extra` ranges (the rules' secret spans).
    pub(crate) fn new(
        src: &[u8],
        toks: &[Token],
        extra: impl IntoIterator<Item = Range<usize>>,
    ) -> Self {
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for t in toks {
            match t.kind {
                kind if kind.is_string() || matches!(kind, Kind::Char | Kind::Byte) => {
                    ranges.push(literal::content_range(t, src));
                }
                Kind::Number => ranges.push(t.start as usize..t.end as usize),
                _ => {}
            }
        }
        ranges.extend(extra);
        ranges.retain(|r| r.start < r.end);
        ranges.sort_unstable_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Mask { ranges: merged }
    }

    /// Whether the character at byte `at` is masked.
    pub(crate) fn covers(&self, at: usize) -> bool {
        let next = self.ranges.partition_point(|r| r.start <= at);
        next > 0 && at < self.ranges[next - 1].end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::lex;

    fn masked(src: &str) -> String {
        let mask = Mask::new(src.as_bytes(), &lex(src.as_bytes()).tokens, []);
        src.char_indices()
            .map(|(at, ch)| {
                if mask.covers(at) && ch != '\n' {
                    '*'
                } else {
                    ch
                }
            })
            .collect()
    }

    #[test]
    fn every_literal_kind_is_masked_inside_its_quotes() {
        assert_eq!(
            masked(r####"f("ab", b"cd", r#"e"f"#, br##"gh"##, c"ij", cr"kl", 'm', b'n', '\'')"####),
            r####"f("**", b"**", r#"***"#, br##"**"##, c"**", cr"**", '*', b'*', '**')"####
        );
    }

    #[test]
    fn numbers_are_masked_whole_and_the_rest_is_shown() {
        assert_eq!(
            masked("let k: [u8; 4] = [0x73, 101, 0b1, 1.5e3]; // \"comment\" 42"),
            "let k: [u8; *] = [****, ***, ***, *****]; // \"comment\" 42"
        );
        assert_eq!(
            masked("Keys::new(b\"opaque\") + x.0 + 'a'"),
            "Keys::new(b\"******\") + x.* + '*'"
        );
    }

    #[test]
    fn multiline_and_unterminated_literals_are_masked_to_their_end() {
        assert_eq!(masked("a(\"one\ntwo\") b"), "a(\"***\n***\") b");
        assert_eq!(masked("a(\"unterminated\nrest"), "a(\"************\n****");
        assert_eq!(masked("'a 'static"), "'a 'static");
    }

    #[test]
    fn extra_ranges_merge_with_overlapping_ones() {
        let src = "x \"ab\" y";
        let mask = Mask::new(
            src.as_bytes(),
            &lex(src.as_bytes()).tokens,
            [0..1, 3..5, 4..8],
        );
        let covered: Vec<usize> = (0..src.len()).filter(|&at| mask.covers(at)).collect();
        assert_eq!(covered, [0, 3, 4, 5, 6, 7]);
        assert!(!Mask::default().covers(0));
    }
}
