//! `cfg` predicates, and whether the code under one is compiled only under `test`.
//!
//! Grammar (rustc's): `test`, any other option (`unix`, `debug_assertions`, `tests`),
//! `key = "value"` (`feature = "test"`, `test = "x"`: options of their own, not `test`),
//! `true`, `false`, `all(..)`, `any(..)`, `not(..)` (exactly one predicate), nested,
//! trailing commas allowed. Anything else is malformed.
//!
//! Code is test-only when it can be compiled, and only with `test` set: the predicate is
//! false for every assignment of the other options when `test` is false, and true for
//! some assignment when `test` is true. Every other option is free (unknown and
//! independent: `unix` and `windows` may both hold). `any(test, debug_assertions)` and
//! `not(test)` are compiled without `test`, so they are not test-only; nor are
//! predicates that never hold (`all(test, not(test))`, `any()`): never-compiled code is
//! not test code, and scanning it is the safe side.

use crate::lexer::{Kind, Token};
use crate::literal;

/// Nesting beyond this is not real code: the predicate counts as malformed.
const MAX_DEPTH: usize = 32;

/// Node evaluations one file may spend deciding its predicates (2 per node and
/// assignment, 2^n assignments of n options). Real files use a few hundred; once it is
/// spent, the file's remaining predicates count as not test-only, so a crafted file
/// cannot make the scan slow, only scan more.
pub(crate) const WORK_PER_FILE: u64 = 1 << 24;

/// A parsed predicate.
#[derive(Debug, PartialEq, Eq)]
enum Node {
    Test,
    Const(bool),
    /// Another option, by index into the predicate's distinct options.
    Option(usize),
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
}

/// A `cfg(..)` predicate and its distinct options other than `test`.
#[derive(Debug)]
pub(crate) struct Predicate {
    root: Node,
    options: usize,
}

/// Parses the inside of an attribute (`cfg(..)`, between `#[` and `]`). `None` when it
/// is not a `cfg` or is malformed.
pub(crate) fn parse_cfg(src: &[u8], body: &[Token]) -> Option<Predicate> {
    let mut p = Parser {
        src,
        toks: body,
        pos: 0,
        options: Vec::new(),
    };
    if !p.ident(b"cfg") {
        return None;
    }
    p.pos += 1;
    if !p.punct(b'(') {
        return None;
    }
    p.pos += 1;
    let root = p.predicate(0)?;
    if p.punct(b',') {
        p.pos += 1;
    }
    if !p.punct(b')') || p.pos + 1 != body.len() {
        return None;
    }
    Some(Predicate {
        root,
        options: p.options.len(),
    })
}

impl Predicate {
    /// Whether the code under it is test-only (see the module docs), charging the
    /// evaluations to `budget`; `false` when the budget does not cover them.
    pub(crate) fn only_under_test(&self, budget: &mut u64) -> bool {
        // Without `test` in it, the predicate means the same with and without tests.
        if !self.root.mentions_test() || self.options >= 32 {
            return false;
        }
        let cost = (2 * self.root.size()).saturating_mul(1 << self.options);
        if cost > *budget {
            *budget = 0;
            return false;
        }
        *budget -= cost;
        let mut compiled_under_test = false;
        for assignment in 0..1u32 << self.options {
            if self.root.eval(false, assignment) {
                return false;
            }
            compiled_under_test |= self.root.eval(true, assignment);
        }
        compiled_under_test
    }
}

impl Node {
    fn eval(&self, test: bool, assignment: u32) -> bool {
        match self {
            Node::Test => test,
            Node::Const(value) => *value,
            Node::Option(i) => (assignment >> i) & 1 == 1,
            Node::All(list) => list.iter().all(|n| n.eval(test, assignment)),
            Node::Any(list) => list.iter().any(|n| n.eval(test, assignment)),
            Node::Not(n) => !n.eval(test, assignment),
        }
    }

    fn mentions_test(&self) -> bool {
        match self {
            Node::Test => true,
            Node::Const(_) | Node::Option(_) => false,
            Node::All(list) | Node::Any(list) => list.iter().any(Node::mentions_test),
            Node::Not(n) => n.mentions_test(),
        }
    }

    fn size(&self) -> u64 {
        1 + match self {
            Node::Test | Node::Const(_) | Node::Option(_) => 0,
            Node::All(list) | Node::Any(list) => list.iter().map(Node::size).sum(),
            Node::Not(n) => n.size(),
        }
    }
}

struct Parser<'a> {
    src: &'a [u8],
    toks: &'a [Token],
    pos: usize,
    /// Distinct options seen (`unix`, `feature="x"`), in order.
    options: Vec<Vec<u8>>,
}

impl Parser<'_> {
    fn punct(&self, c: u8) -> bool {
        self.toks
            .get(self.pos)
            .is_some_and(|t| t.kind == Kind::Punct && t.text(self.src) == [c])
    }

    fn ident(&self, name: &[u8]) -> bool {
        self.toks
            .get(self.pos)
            .is_some_and(|t| t.kind == Kind::Ident && t.text(self.src) == name)
    }

    fn option(&mut self, key: Vec<u8>) -> Node {
        let index = match self.options.iter().position(|o| *o == key) {
            Some(index) => index,
            None => {
                self.options.push(key);
                self.options.len() - 1
            }
        };
        Node::Option(index)
    }

    fn predicate(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let name = self
            .toks
            .get(self.pos)
            .filter(|t| t.kind == Kind::Ident)?
            .text(self.src);
        self.pos += 1;
        if self.punct(b'(') {
            self.pos += 1;
            let mut list = Vec::new();
            while !self.punct(b')') {
                list.push(self.predicate(depth + 1)?);
                if self.punct(b',') {
                    self.pos += 1;
                } else if !self.punct(b')') {
                    return None;
                }
            }
            self.pos += 1;
            return match name {
                b"all" => Some(Node::All(list)),
                b"any" => Some(Node::Any(list)),
                b"not" if list.len() == 1 => list.pop().map(|n| Node::Not(Box::new(n))),
                _ => None,
            };
        }
        if self.punct(b'=') {
            // `key = "value"`: an option of its own, whatever the key (`test = "x"` too).
            self.pos += 1;
            let value = self
                .toks
                .get(self.pos)
                .filter(|t| matches!(t.kind, Kind::Str | Kind::RawStr))?;
            self.pos += 1;
            let mut key = name.to_vec();
            key.push(b'=');
            key.extend_from_slice(literal::decode(value, self.src).as_bytes());
            return Some(self.option(key));
        }
        Some(match name {
            b"test" => Node::Test,
            b"true" => Node::Const(true),
            b"false" => Node::Const(false),
            _ => self.option(name.to_vec()),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::lexer::lex;

    /// `Some(test-only?)`, or `None` when malformed.
    fn verdict(attribute: &str) -> Option<bool> {
        let lexed = lex(attribute.as_bytes());
        let predicate = parse_cfg(attribute.as_bytes(), &lexed.tokens)?;
        let mut budget = WORK_PER_FILE;
        Some(predicate.only_under_test(&mut budget))
    }

    #[test]
    fn only_code_compiled_solely_under_test_is_test_only() {
        for cfg in [
            "cfg(test)",
            "cfg(test,)",
            "cfg(all(test))",
            "cfg(all(test, unix))",
            "cfg(all(unix, test))",
            "cfg(all(test, feature = \"x\", not(windows),))",
            "cfg(not(not(test)))",
            "cfg(any(test, test))",
            "cfg(all(any(test, a), test))",
            "cfg(any(all(test, a), all(test, b)))",
            "cfg(all(any(test, a), any(test, not(a))))",
            "cfg(all(test, true))",
            "cfg(any(test, false))",
            "cfg(not(any(not(test), a)))",
        ] {
            assert_eq!(verdict(cfg), Some(true), "{cfg}");
        }
    }

    #[test]
    fn code_also_compiled_without_test_is_not() {
        for cfg in [
            "cfg(any(test, debug_assertions))",
            "cfg(any(debug_assertions, test))",
            "cfg(not(test))",
            "cfg(any(test, not(test)))",
            "cfg(any(all(test, a), b))",
            "cfg(all(any(test, a), any(test, b)))",
            "cfg(any(test, true))",
            "cfg(unix)",
            "cfg(tests)",
            "cfg(feature = \"test\")",
            "cfg(test = \"x\")",
            "cfg(all(test = \"x\", unix))",
            "cfg(r#test)",
            "cfg(doctest)",
        ] {
            assert_eq!(verdict(cfg), Some(false), "{cfg}");
        }
    }

    #[test]
    fn never_compiled_code_is_not_test_code() {
        for cfg in [
            "cfg(all(test, not(test)))",
            "cfg(any())",
            "cfg(false)",
            "cfg(all(test, false))",
        ] {
            assert_eq!(verdict(cfg), Some(false), "{cfg}");
        }
    }

    #[test]
    fn malformed_predicates_are_none() {
        for cfg in [
            "cfg",
            "cfg()",
            "cfg(test, unix)",
            "cfg(not())",
            "cfg(not(test, unix))",
            "cfg(all(test unix))",
            "cfg(nope(test))",
            "cfg(test = x)",
            "cfg(test = 1)",
            "cfg(feature = b\"x\")",
            "cfg(a::test)",
            "cfg(all(test)",
            "cfg(test) extra",
            "cfg(\"test\")",
            "cfg(all(test,,))",
            "cfg_attr(test, cfg(test))",
        ] {
            assert_eq!(verdict(cfg), None, "{cfg}");
        }
        let deep = format!("cfg({}test{})", "not(not(".repeat(20), "))".repeat(20));
        assert_eq!(verdict(&deep), None);
        let fine = format!("cfg({}test{})", "not(not(".repeat(15), "))".repeat(15));
        assert_eq!(verdict(&fine), Some(true));
    }

    #[test]
    fn the_same_option_twice_is_one_option() {
        let lexed = lex(b"cfg(all(test, any(a, feature = \"x\", a, feature = r\"x\")))");
        let src = b"cfg(all(test, any(a, feature = \"x\", a, feature = r\"x\")))";
        assert_eq!(parse_cfg(src, &lexed.tokens).map(|p| p.options), Some(2));
    }

    #[test]
    fn the_budget_bounds_the_work_and_fails_closed() {
        let options: Vec<String> = (0..16).map(|i| format!("o{i}")).collect();
        // 2 * 19 nodes * 2^16 assignments: within a file's budget.
        let cfg = format!("cfg(all(test, any({})))", options.join(", "));
        let lexed = lex(cfg.as_bytes());
        let predicate = parse_cfg(cfg.as_bytes(), &lexed.tokens).unwrap();
        let mut budget = WORK_PER_FILE;
        assert!(predicate.only_under_test(&mut budget));
        // 2 * 23 nodes * 2^20 assignments: more than a file's budget.
        let cfg = format!(
            "cfg(all(test, any({}, p0, p1, p2, p3)))",
            options.join(", ")
        );
        let lexed = lex(cfg.as_bytes());
        let predicate = parse_cfg(cfg.as_bytes(), &lexed.tokens).unwrap();
        let mut budget = WORK_PER_FILE;
        assert!(!predicate.only_under_test(&mut budget));
        assert_eq!(budget, 0, "spent: later predicates fail closed too");
        assert_eq!(verdict("cfg(test)"), Some(true));
        assert!(
            !parse_cfg(b"cfg(test)", &lex(b"cfg(test)").tokens)
                .is_some_and(|p| p.only_under_test(&mut 0))
        );
    }
}
