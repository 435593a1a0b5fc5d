//! Removes test code (`#[cfg(test)]` items, `#[test]` functions) from a token stream.

use super::lexer::{Kind, Token};
use std::ops::Range;

/// Item keywords: an item ends at its `;` or its `{ .. }` body.
const ITEM_KEYWORDS: &[&[u8]] = &[
    b"fn",
    b"mod",
    b"impl",
    b"struct",
    b"enum",
    b"union",
    b"const",
    b"static",
    b"use",
    b"type",
    b"trait",
    b"async",
    b"unsafe",
    b"extern",
    b"macro_rules",
    b"let",
];

/// The tokens outside test code, and the byte ranges removed.
pub(crate) fn strip(src: &[u8], toks: &[Token]) -> (Vec<Token>, Vec<Range<usize>>) {
    let mut kept = Vec::with_capacity(toks.len());
    let mut removed = Vec::new();
    let punct = |i: usize, c: u8| {
        toks.get(i)
            .is_some_and(|t| t.kind == Kind::Punct && t.text(src) == [c])
    };
    let mut i = 0;
    while i < toks.len() {
        if punct(i, b'#') {
            let inner = punct(i + 1, b'!');
            let open = if inner { i + 2 } else { i + 1 };
            if punct(open, b'[') {
                let close = closing(src, toks, open);
                if is_test_attribute(src, &toks[open + 1..close.min(toks.len())]) {
                    let end = if inner {
                        toks.len()
                    } else {
                        item_end(src, toks, close + 1)
                    };
                    let last = end.min(toks.len()).saturating_sub(1);
                    removed.push(toks[i].start as usize..toks[last.max(i)].end as usize);
                    i = end.max(i + 1);
                    continue;
                }
            }
        }
        kept.push(toks[i]);
        i += 1;
    }
    (kept, removed)
}

/// Index of the bracket closing the one at `open` (or the end).
fn closing(src: &[u8], toks: &[Token], open: usize) -> usize {
    let mut depth = 0i64;
    for (k, t) in toks.iter().enumerate().skip(open) {
        if t.kind != Kind::Punct {
            continue;
        }
        match t.text(src) {
            b"(" | b"[" | b"{" => depth += 1,
            b")" | b"]" | b"}" => {
                depth -= 1;
                if depth <= 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// `test`, `tokio::test`, `tokio::test(..)`, `cfg(test)`, `cfg(all(test, ..))`, not `cfg(not(test))`.
fn is_test_attribute(src: &[u8], body: &[Token]) -> bool {
    let idents: Vec<&[u8]> = body
        .iter()
        .filter(|t| t.kind == Kind::Ident)
        .map(|t| t.text(src))
        .collect();
    match idents.first() {
        Some(&b"cfg") => {
            idents.contains(&b"test".as_slice()) && !idents.contains(&b"not".as_slice())
        }
        Some(_) => {
            // A path attribute whose last segment is `test`: `#[test]`, `#[tokio::test(..)]`.
            let path_len = body
                .iter()
                .take_while(|t| t.kind == Kind::Ident || t.text(src) == b":")
                .count();
            body[..path_len]
                .last()
                .is_some_and(|t| t.text(src) == b"test")
        }
        None => false,
    }
}

/// The index after the item starting at `start` (after more attributes).
fn item_end(src: &[u8], toks: &[Token], mut start: usize) -> usize {
    // Further attributes on the same item.
    while toks.get(start).is_some_and(|t| t.text(src) == b"#")
        && toks.get(start + 1).is_some_and(|t| t.text(src) == b"[")
    {
        start = closing(src, toks, start + 1) + 1;
    }
    let is_item = toks[start.min(toks.len())..]
        .iter()
        .take(8)
        .take_while(|t| t.kind == Kind::Ident || t.text(src) == b"(" || t.text(src) == b")")
        .any(|t| ITEM_KEYWORDS.contains(&t.text(src)));
    let mut depth = 0i64;
    let mut k = start;
    while k < toks.len() {
        let t = toks[k];
        if t.kind == Kind::Punct {
            match t.text(src) {
                b"{" if depth == 0 => return closing(src, toks, k) + 1,
                b"(" | b"[" | b"{" => depth += 1,
                b")" | b"]" | b"}" => {
                    if depth == 0 {
                        return k; // the end of the enclosing group
                    }
                    depth -= 1;
                }
                b";" if depth == 0 => return k + 1,
                b"," if depth == 0 && !is_item => return k + 1,
                _ => {}
            }
        }
        k += 1;
    }
    toks.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::lexer::lex;

    fn kept(src: &str) -> String {
        let lexed = lex(src.as_bytes());
        let (kept, _) = strip(src.as_bytes(), &lexed.tokens);
        kept.iter()
            .map(|t| String::from_utf8_lossy(t.text(src.as_bytes())).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn test_modules_functions_and_statements_are_removed() {
        assert_eq!(kept("a #[cfg(test)] mod tests { x } b"), "a b");
        assert_eq!(kept("a #[test] #[ignore] fn t() { x } b"), "a b");
        assert_eq!(
            kept("a #[tokio::test(flavor = \"x\")] async fn t() -> R<A, B> { x } b"),
            "a b"
        );
        assert_eq!(kept("a #[cfg(test)] use x::y; b"), "a b");
        assert_eq!(
            kept("S { a: 1, #[cfg(test)] b: 2, c: 3 }"),
            "S { a : 1 , c : 3 }"
        );
        assert_eq!(kept("#![cfg(test)] fn a() {}"), "");
    }

    #[test]
    fn other_attributes_stay() {
        assert_eq!(
            kept("#[cfg(not(test))] fn a() {}"),
            "# [ cfg ( not ( test ) ) ] fn a ( ) { }"
        );
        assert_eq!(
            kept("#[derive(Debug)] struct A;"),
            "# [ derive ( Debug ) ] struct A ;"
        );
    }
}
