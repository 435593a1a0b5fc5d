//! Removes test code (`#[cfg(test)]` items, `#[test]` functions) from a token stream.
//!
//! Test code is code compiled only under `test`: `cfg(test)`, `cfg(all(test, unix))`,
//! `cfg(not(not(test)))`, but not `cfg(any(test, debug_assertions))` or `cfg(not(test))`
//! (see [`predicate`]). A malformed `cfg` is not test code: it is scanned.

mod predicate;

use super::brackets::partners;
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

/// What is left of a file once its test code is removed.
#[derive(Debug, Default)]
pub(crate) struct Stripped {
    pub(crate) kept: Vec<Token>,
    /// Byte ranges of the removed items.
    pub(crate) removed: Vec<Range<usize>>,
    /// Out-of-line test modules (`#[cfg(test)] mod tests;`): their files are test code too.
    pub(crate) test_modules: Vec<String>,
}

/// Removes test items from `toks`.
pub(crate) fn strip(src: &[u8], toks: &[Token]) -> Stripped {
    let mut kept = Vec::with_capacity(toks.len());
    let mut removed = Vec::new();
    let mut test_modules = Vec::new();
    let partner = partners(src, toks);
    let punct = |i: usize, c: u8| {
        toks.get(i)
            .is_some_and(|t| t.kind == Kind::Punct && t.text(src) == [c])
    };
    let mut budget = predicate::WORK_PER_FILE;
    // The closing brackets of the groups `i` is inside, innermost last: an inner
    // attribute (`#![cfg(test)]`) covers the rest of its group, not of the file.
    let mut enclosing: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        while enclosing.last().is_some_and(|&close| close <= i) {
            enclosing.pop();
        }
        if punct(i, b'#') {
            let inner = punct(i + 1, b'!');
            let open = if inner { i + 2 } else { i + 1 };
            let close = partner.get(open).copied().filter(|&p| p != usize::MAX);
            if let Some(close) = close.filter(|_| punct(open, b'['))
                && is_test_attribute(src, &toks[open + 1..close], &mut budget)
            {
                let end = if inner {
                    enclosing.last().copied().unwrap_or(toks.len())
                } else {
                    item_end(src, toks, &partner, close + 1)
                };
                if !inner {
                    let item = toks.get(close + 1..end).unwrap_or_default();
                    test_modules.extend(out_of_line_module(src, item));
                }
                let last = end.min(toks.len()).saturating_sub(1);
                removed.push(toks[i].start as usize..toks[last.max(i)].end as usize);
                i = end.max(i + 1);
                continue;
            }
        }
        if let Some(&close) = partner.get(i).filter(|&&p| p != usize::MAX && p > i) {
            enclosing.push(close);
        }
        kept.push(toks[i]);
        i += 1;
    }
    Stripped {
        kept,
        removed,
        test_modules,
    }
}

/// The name in `[#[..]]* [pub[(..)]] mod NAME;`.
fn out_of_line_module(src: &[u8], item: &[Token]) -> Option<String> {
    let texts: Vec<&[u8]> = item.iter().map(|t| t.text(src)).collect();
    let mut k = 0;
    while texts.get(k) == Some(&b"#".as_slice()) {
        k += texts[k..].iter().position(|t| *t == b"]")? + 1;
    }
    if texts.get(k) == Some(&b"pub".as_slice()) {
        k += 1;
        if texts.get(k) == Some(&b"(".as_slice()) {
            k += texts[k..].iter().position(|t| *t == b")")? + 1;
        }
    }
    match texts.get(k..) {
        Some([m, name, semi]) if *m == b"mod" && *semi == b";" => {
            Some(String::from_utf8_lossy(name).into_owned())
        }
        _ => None,
    }
}

/// `test`, `tokio::test`, `tokio::test(..)`, and a `cfg(..)` under which code is compiled
/// only with `test` (`cfg(test)`, `cfg(all(test, ..))`; not `cfg(any(test, ..))`,
/// `cfg(not(test))` or a malformed one). `cfg_attr(..)` is never test code.
fn is_test_attribute(src: &[u8], body: &[Token], budget: &mut u64) -> bool {
    match body.first() {
        Some(t) if t.kind == Kind::Ident && t.text(src) == b"cfg" => {
            predicate::parse_cfg(src, body).is_some_and(|p| p.only_under_test(budget))
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

/// The index after the item starting at `start` (after more attributes). Bracket groups
/// are jumped over through `partner`, so the work is linear whatever the input.
fn item_end(src: &[u8], toks: &[Token], partner: &[usize], mut start: usize) -> usize {
    let matched = |k: usize| partner.get(k).copied().filter(|&p| p != usize::MAX);
    // Further attributes on the same item.
    while toks.get(start).is_some_and(|t| t.text(src) == b"#")
        && toks.get(start + 1).is_some_and(|t| t.text(src) == b"[")
    {
        match matched(start + 1) {
            Some(close) => start = close + 1,
            None => return toks.len(),
        }
    }
    let is_item = toks[start.min(toks.len())..]
        .iter()
        .take(8)
        .take_while(|t| t.kind == Kind::Ident || t.text(src) == b"(" || t.text(src) == b")")
        .any(|t| ITEM_KEYWORDS.contains(&t.text(src)));
    let mut k = start;
    while k < toks.len() {
        let t = toks[k];
        if t.kind == Kind::Punct {
            match t.text(src) {
                b"(" | b"[" | b"{" => match matched(k) {
                    Some(close) if t.text(src) == b"{" => return close + 1,
                    Some(close) => {
                        k = close + 1;
                        continue;
                    }
                    None => return toks.len(),
                },
                // The end of the enclosing group.
                b")" | b"]" | b"}" => return k,
                b";" => return k + 1,
                b"," if !is_item => return k + 1,
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
    use crate::lexer::lex;

    fn kept(src: &str) -> String {
        let lexed = lex(src.as_bytes());
        let kept = strip(src.as_bytes(), &lexed.tokens).kept;
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
    fn out_of_line_test_modules_are_named() {
        let src = "#[cfg(test)]\nmod tests;\n#[cfg(test)] #[path = \"x.rs\"] pub(crate) mod prop;\n#[cfg(test)] mod inline { }";
        let lexed = lex(src.as_bytes());
        assert_eq!(
            strip(src.as_bytes(), &lexed.tokens).test_modules,
            ["tests", "prop"]
        );
    }

    #[test]
    fn only_items_compiled_solely_under_test_are_removed() {
        for attr in [
            "#[cfg(all(test, unix))]",
            "#[cfg(all(unix, test))]",
            "#[cfg(not(not(test)))]",
            "#[cfg(any(test, test))]",
            "#[cfg(all(any(test, a), test))]",
            "#[cfg(any(all(test, a), all(test, b)))]",
        ] {
            assert_eq!(kept(&format!("a {attr} fn t() {{ x }} b")), "a b", "{attr}");
        }
        for attr in [
            "#[cfg(any(test, debug_assertions))]",
            "#[cfg(not(test))]",
            "#[cfg(all(test, not(test)))]",
            "#[cfg(feature = \"test\")]",
            "#[cfg(tests)]",
            "#[cfg(test = \"x\")]",
            "#[cfg(test, unix)]",
            "#[cfg_attr(test, cfg(test))]",
            "#[cfg_attr(test, test)]",
        ] {
            let src = format!("a {attr} fn t() {{ x }} b");
            assert!(kept(&src).ends_with("fn t ( ) { x } b"), "{attr}");
        }
    }

    #[test]
    fn an_inner_attribute_covers_its_group_not_the_rest_of_the_file() {
        assert_eq!(kept("mod a { #![cfg(test)] x } b"), "mod a { } b");
        assert_eq!(
            kept("mod a { mod b { #![cfg(test)] x } y } z"),
            "mod a { mod b { } y } z"
        );
        assert_eq!(kept("a #![cfg(test)] b"), "a");
        assert_eq!(
            kept("mod a { #![cfg(any(test, unix))] x }"),
            "mod a { # ! [ cfg ( any ( test , unix ) ) ] x }"
        );
    }

    #[test]
    fn out_of_line_modules_are_test_modules_only_under_test_only_cfgs() {
        let src = "#[cfg(all(test, unix))] mod a;\n#[cfg(any(test, debug_assertions))] mod b;\n#[cfg(not(not(test)))] mod c;\n#[cfg(test = \"x\")] mod d;\n#[cfg(test,,)] mod e;";
        let lexed = lex(src.as_bytes());
        assert_eq!(
            strip(src.as_bytes(), &lexed.tokens).test_modules,
            ["a", "c"]
        );
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
