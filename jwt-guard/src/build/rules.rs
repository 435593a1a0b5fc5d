//! The guard rules: find literals by the role they play in the token stream.
//!
//! Each rule looks for a *sink* (a key constructor, an environment read with a fallback, a
//! secret-named binding, ...) and then parses the expression that flows into it with
//! [`Rules::value`], a small recursive parser that accepts only expressions whose value is
//! fixed in the source: literals, byte arrays, `vec![..]`, `concat!(..)`, conversions
//! (`.as_bytes()`, `.into()`, `String::from`, `.repeat(n)`, base64 `decode`), closures and
//! blocks returning such a value, and identifiers bound to one in the same file.

use super::Rule;
use super::lexer::{Kind, Token};
use super::literal;
use super::names::{is_env_var_name, is_key_like, is_obviously_not_a_secret, is_secret_name};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// A literal (or an empty default) found in a secret position, before suppression and rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) rule: Rule,
    /// Byte span to point at (the literal with its quotes and prefix).
    pub(crate) span: Range<usize>,
    /// Byte spans whose characters are secret and must be masked.
    pub(crate) secret: Vec<Range<usize>>,
    pub(crate) message: String,
}

/// Single-argument calls that pass a fixed value through.
const WRAPPERS: &[&str] = &[
    "from",
    "new",
    "from_utf8",
    "from_utf8_lossy",
    "decode",
    "decode_vec",
    "encode",
    "Some",
    "Ok",
    "Borrowed",
    "Owned",
    "from_static",
    "from_slice",
    "to_vec",
    "get_or_init",
    "from_str",
];

/// Methods that keep a fixed value fixed; their arguments (if any) do not matter.
const CONVERSIONS: &[&str] = &[
    "as_bytes",
    "as_ref",
    "to_string",
    "to_owned",
    "into",
    "to_vec",
    "into_bytes",
    "as_str",
    "clone",
    "repeat",
    "trim",
    "as_slice",
    "unwrap",
    "expect",
    "to_bytes",
    "as_deref",
    "into_boxed_str",
    "try_into",
];

/// Longest block (in tokens) searched for a tail value: bounds the work on odd input.
const MAX_BLOCK_TOKENS: usize = 4096;

/// Zero-argument calls that produce an empty value.
const EMPTY_CONSTRUCTORS: &[&str] = &["new", "default"];

/// A fixed value found in the source.
#[derive(Debug, Clone)]
struct Value {
    /// What to point at.
    span: Range<usize>,
    /// Secret characters (empty for an empty value).
    secret: Vec<Range<usize>>,
    /// The decoded text when the value is a single string literal.
    text: Option<String>,
    /// The identifier it was reached through, with the line of its binding.
    via: Option<String>,
    empty: bool,
    /// `include_str!`/`include_bytes!`: a file baked into the binary (nothing to mask).
    embedded: Option<&'static str>,
}

/// A `let`/`const`/`static` in the file.
#[derive(Debug)]
struct Binding {
    at: usize,
    /// Index of the `}` closing the block of a `let` (`usize::MAX` for items).
    scope_end: usize,
    value: Option<Value>,
}

pub(crate) struct Rules<'a> {
    src: &'a [u8],
    toks: &'a [Token],
    /// Index of the matching bracket for every `(`/`[`/`{` and `)`/`]`/`}` (or `usize::MAX`).
    partner: Vec<usize>,
    bindings: HashMap<&'a [u8], Vec<Binding>>,
    out: Vec<Candidate>,
}

/// Runs every rule over `toks` (test items already removed) and returns the candidates,
/// one per literal (the first rule in [`Rule`] order wins).
pub(crate) fn run(src: &[u8], toks: &[Token]) -> Vec<Candidate> {
    let mut rules = Rules {
        src,
        toks,
        partner: partners(src, toks),
        bindings: HashMap::new(),
        out: Vec::new(),
    };
    rules.collect_bindings();
    for i in 0..toks.len() {
        rules.at(i);
    }
    let mut out = rules.out;
    out.sort_by_key(|c| (c.span.start, c.rule));
    out.dedup_by_key(|c| c.span.start);
    out
}

/// For every bracket token, the index of its partner (`usize::MAX` when unbalanced).
pub(crate) fn partners(src: &[u8], toks: &[Token]) -> Vec<usize> {
    let mut partner = vec![usize::MAX; toks.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != Kind::Punct {
            continue;
        }
        let b = src[t.start as usize];
        match b {
            b'(' | b'[' | b'{' => stack.push(i),
            b')' | b']' | b'}' => {
                let open = match b {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                // Unbalanced input: pop until the right kind, leaving the rest unmatched.
                while let Some(j) = stack.pop() {
                    if src[toks[j].start as usize] == open {
                        partner[j] = i;
                        partner[i] = j;
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    partner
}

/// Cheap test before the real one: only names mentioning `secret` or `key` (any case) can
/// be secret-named. Runs on every identifier, so it avoids allocation and hashing.
fn maybe_secret_name(text: &[u8]) -> bool {
    text.iter().enumerate().any(|(i, &b)| match b | 0x20 {
        b'k' => text
            .get(i + 1..i + 3)
            .is_some_and(|r| r.eq_ignore_ascii_case(b"ey")),
        b's' => text
            .get(i + 1..i + 6)
            .is_some_and(|r| r.eq_ignore_ascii_case(b"ecret")),
        _ => false,
    })
}

impl<'a> Rules<'a> {
    fn text(&self, i: usize) -> &'a [u8] {
        self.toks.get(i).map_or(&[], |t| t.text(self.src))
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn is_punct(&self, i: usize, c: u8) -> bool {
        self.kind(i) == Some(Kind::Punct) && self.text(i) == [c]
    }

    fn is_ident(&self, i: usize, name: &str) -> bool {
        self.kind(i) == Some(Kind::Ident) && self.text(i) == name.as_bytes()
    }

    fn ident(&self, i: usize) -> Option<&'a str> {
        if self.kind(i) == Some(Kind::Ident) {
            std::str::from_utf8(self.text(i)).ok()
        } else {
            None
        }
    }

    /// `::` at `i`.
    fn is_path_sep(&self, i: usize) -> bool {
        self.is_punct(i, b':') && self.is_punct(i + 1, b':') && self.adjacent(i)
    }

    /// Tokens `i` and `i + 1` touch (`=>`, `::`, `==`).
    fn adjacent(&self, i: usize) -> bool {
        match (self.toks.get(i), self.toks.get(i + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    fn partner(&self, i: usize) -> Option<usize> {
        self.partner.get(i).copied().filter(|&p| p != usize::MAX)
    }

    fn lit_text(&self, i: usize) -> Cow<'a, str> {
        literal::decode(&self.toks[i], self.src)
    }

    fn span(&self, from: usize, to_incl: usize) -> Range<usize> {
        let start = self.toks.get(from).map_or(0, |t| t.start as usize);
        let end = self.toks.get(to_incl).map_or(start, |t| t.end as usize);
        start..end.max(start)
    }

    /// Top-level argument starts of the call whose `(` is at `open`.
    fn args(&self, open: usize) -> Option<Vec<(usize, usize)>> {
        let close = self.partner(open)?;
        let mut out = Vec::new();
        let mut start = open + 1;
        let mut i = open + 1;
        while i < close {
            if let Some(p) = self.partner(i).filter(|&p| p > i) {
                i = p + 1;
                continue;
            }
            if self.is_punct(i, b',') {
                out.push((start, i));
                start = i + 1;
            }
            i += 1;
        }
        if start < close {
            out.push((start, close));
        }
        Some(out)
    }

    /// A fixed value filling exactly `from..to`.
    fn value_exact(&self, from: usize, to: usize) -> Option<Value> {
        self.value_exact_at(from, to, 0)
    }

    fn value_exact_at(&self, from: usize, to: usize, depth: usize) -> Option<Value> {
        let (v, end) = self.value(from, depth)?;
        (end == to).then_some(v)
    }

    /// Parses a fixed-value expression at `i`; returns it and the index after it.
    fn value(&self, mut i: usize, depth: usize) -> Option<(Value, usize)> {
        if depth > 12 {
            return None;
        }
        while self.is_punct(i, b'&') || self.is_punct(i, b'*') || self.is_ident(i, "mut") {
            i += 1;
        }
        let (mut v, mut i) = self.primary(i, depth)?;
        // Postfix conversions: `.as_bytes()`, `.to_string()`, `.repeat(4)`, `?`.
        loop {
            if self.is_punct(i, b'?') {
                i += 1;
            } else if self.is_punct(i, b'.')
                && self.ident(i + 1).is_some_and(|m| CONVERSIONS.contains(&m))
            {
                let mut j = i + 2;
                j = self.skip_turbofish(j);
                if !self.is_punct(j, b'(') {
                    return Some((v, i));
                }
                let close = self.partner(j)?;
                if self.text(i + 1) == b"repeat" {
                    v.text = None;
                }
                i = close + 1;
            } else {
                return Some((v, i));
            }
        }
    }

    fn skip_turbofish(&self, mut j: usize) -> usize {
        if self.is_path_sep(j) && self.is_punct(j + 2, b'<') {
            let mut depth = 0i32;
            let mut k = j + 2;
            while k < self.toks.len() && k < j + 64 {
                if self.is_punct(k, b'<') {
                    depth += 1;
                } else if self.is_punct(k, b'>') {
                    depth -= 1;
                    if depth == 0 {
                        return k + 1;
                    }
                }
                k += 1;
            }
            j = k;
        }
        j
    }

    fn primary(&self, i: usize, depth: usize) -> Option<(Value, usize)> {
        let kind = self.kind(i)?;
        if kind.is_string() {
            let text = self.lit_text(i).into_owned();
            let content = literal::content_range(&self.toks[i], self.src);
            let empty = text.is_empty();
            let v = Value {
                span: self.span(i, i),
                secret: vec![content],
                text: Some(text),
                via: None,
                empty,
                embedded: None,
            };
            return Some((v, i + 1));
        }
        if self.is_punct(i, b'[') {
            return self
                .byte_array(i)
                .map(|v| (v, self.partner(i).unwrap_or(i) + 1));
        }
        if self.is_punct(i, b'|') {
            return self.closure(i, depth);
        }
        if self.is_punct(i, b'{') {
            let close = self.partner(i)?;
            return self.block_at(i, depth + 1).map(|v| (v, close + 1));
        }
        if self.is_ident(i, "move") {
            return self.value(i + 1, depth + 1);
        }
        let first = self.ident(i)?;
        // Macros: `vec![..]`, `concat!(..)`.
        if self.is_punct(i + 1, b'!') {
            let open = i + 2;
            let close = self.partner(open)?;
            return match first {
                "include_str" | "include_bytes" => {
                    let v = Value {
                        span: self.span(i, close),
                        secret: Vec::new(),
                        text: None,
                        via: None,
                        empty: false,
                        embedded: Some(if first == "include_str" {
                            "include_str"
                        } else {
                            "include_bytes"
                        }),
                    };
                    Some((v, close + 1))
                }
                "vec" => self.byte_array(open).map(|mut v| {
                    v.span = self.span(i, close);
                    (v, close + 1)
                }),
                "concat" => {
                    let args = self.args(open)?;
                    let mut secret = Vec::new();
                    for (a, b) in args {
                        if !(b == a + 1 && self.kind(a).is_some_and(Kind::is_string)) {
                            return None;
                        }
                        secret.push(literal::content_range(&self.toks[a], self.src));
                    }
                    let v = Value {
                        span: self.span(i, close),
                        secret,
                        text: None,
                        via: None,
                        empty: false,
                        embedded: None,
                    };
                    Some((v, close + 1))
                }
                _ => None,
            };
        }
        // A path `a::b::c` (with turbofish), then a call, a method on it, or nothing.
        let mut j = i;
        let mut last = first;
        let after = loop {
            let k = self.skip_turbofish(j + 1);
            match self.ident(k + 2) {
                Some(name) if self.is_path_sep(k) => {
                    last = name;
                    j = k + 2;
                }
                _ => break k,
            }
        };
        if self.is_punct(after, b'(') {
            return self.call(last, after, depth);
        }
        if self.is_punct(after, b'.')
            && self.is_punct(after + 2, b'(')
            && let Some(method) = self.ident(after + 1).filter(|m| WRAPPERS.contains(m))
        {
            return self.call(method, after + 2, depth);
        }
        if after == i + 1 {
            return self.resolve(i).map(|v| (v, i + 1));
        }
        None
    }

    /// A call of `name` whose `(` is at `open`: a wrapper passes its single argument through.
    fn call(&self, name: &str, open: usize, depth: usize) -> Option<(Value, usize)> {
        let close = self.partner(open)?;
        if close == open + 1 && EMPTY_CONSTRUCTORS.contains(&name) {
            let v = Value {
                span: self.span(open - 1, close),
                secret: Vec::new(),
                text: Some(String::new()),
                via: None,
                empty: true,
                embedded: None,
            };
            return Some((v, close + 1));
        }
        if !WRAPPERS.contains(&name) {
            return None;
        }
        let (v, end) = self.value(open + 1, depth + 1)?;
        (end == close).then_some((v, close + 1))
    }

    /// `|_| value`, `|e| { warn!(..); value }`, `|| value`.
    fn closure(&self, i: usize, depth: usize) -> Option<(Value, usize)> {
        let body = if self.is_punct(i + 1, b'|') {
            i + 2
        } else {
            (i + 1..self.toks.len().min(i + 32)).find(|&k| self.is_punct(k, b'|'))? + 1
        };
        self.value(body, depth + 1)
    }

    /// The tail expression of the block whose `{` is at `open`.
    fn block(&self, open: usize) -> Option<Value> {
        self.block_at(open, 0)
    }

    fn block_at(&self, open: usize, depth: usize) -> Option<Value> {
        let close = self.partner(open)?;
        // A fixed value comes from a short block; a long one is not worth scanning.
        if close - open > MAX_BLOCK_TOKENS {
            return None;
        }
        let mut tail = open + 1;
        let mut k = open + 1;
        while k < close {
            if let Some(p) = self.partner(k).filter(|&p| p > k) {
                k = p + 1;
                // `if .. { }`, `for .. { }` without `;` end a statement too.
                let block_statement = self.ident(tail).is_some_and(|w| {
                    matches!(w, "if" | "for" | "while" | "loop" | "match" | "unsafe")
                });
                if block_statement
                    && self.is_punct(p, b'}')
                    && !self.is_ident(k, "else")
                    && !self.is_punct(k, b'.')
                    && !self.is_punct(k, b'?')
                {
                    tail = k;
                }
                continue;
            }
            if self.is_punct(k, b';') {
                tail = k + 1;
            }
            k += 1;
        }
        self.value_exact_at(tail, close, depth)
    }

    /// `[0x73, 0x65, ..]`: a non-empty array of integer literals.
    fn byte_array(&self, open: usize) -> Option<Value> {
        let close = self.partner(open)?;
        let args = self.args(open)?;
        if args.is_empty()
            || !args
                .iter()
                .all(|&(a, b)| b == a + 1 && self.kind(a) == Some(Kind::Number))
        {
            return None;
        }
        // Each element is masked; commas and line breaks stay readable.
        let secret = args.iter().map(|&(a, _)| self.span(a, a)).collect();
        Some(Value {
            span: self.span(open, close),
            secret,
            text: None,
            via: None,
            empty: false,
            embedded: None,
        })
    }

    /// An identifier bound to a fixed value in this file (the nearest binding before it,
    /// else the first after it, for consts and statics declared later).
    fn resolve(&self, i: usize) -> Option<Value> {
        let list = self.bindings.get(self.text(i))?;
        let visible = |b: &&Binding| b.at < i && i < b.scope_end;
        let item = |b: &&Binding| b.scope_end == usize::MAX;
        let binding = list
            .iter()
            .rev()
            .find(visible)
            .or_else(|| list.iter().find(item))?;
        let mut v = binding.value.clone()?;
        if v.via.is_none() {
            v.via = self.ident(i).map(str::to_owned);
        }
        Some(v)
    }

    /// Records every `let`/`const`/`static` binding (pattern = one identifier). A `let` is
    /// visible until the end of its block; a `let mut` is not recorded as fixed (it is
    /// probably filled at run time).
    fn collect_bindings(&mut self) {
        let mut open_braces: Vec<usize> = Vec::new();
        for i in 0..self.toks.len() {
            if self.is_punct(i, b'{') {
                open_braces.push(i);
            } else if self.is_punct(i, b'}') {
                open_braces.pop();
            }
            let Some(kw) = self.ident(i) else { continue };
            if !matches!(kw, "let" | "const" | "static") {
                continue;
            }
            let mut n = i + 1;
            let mut mutable = false;
            while self.is_ident(n, "mut") || self.is_ident(n, "ref") {
                mutable |= self.is_ident(n, "mut");
                n += 1;
            }
            let Some(name) = self.ident(n) else { continue };
            if name == "_" || name == "fn" {
                continue;
            }
            let Some(eq) = self.binding_eq(n + 1) else {
                continue;
            };
            let value = self
                .value(eq + 1, 0)
                .filter(|(v, end)| {
                    self.is_punct(*end, b';') && !v.empty && !(mutable && kw == "let")
                })
                .map(|(v, _)| v);
            let scope_end = match (kw, open_braces.last()) {
                ("let", Some(&open)) => self.partner(open).unwrap_or(usize::MAX),
                _ => usize::MAX,
            };
            let key = self.text(n);
            // A binding that is not fixed only matters when it shadows a fixed one.
            if value.is_none() && !self.bindings.contains_key(key) {
                continue;
            }
            self.bindings.entry(key).or_default().push(Binding {
                at: n,
                scope_end,
                value,
            });
        }
    }

    /// The `=` after a binding's name and optional `: Type`, if it comes before any `;`.
    fn binding_eq(&self, mut k: usize) -> Option<usize> {
        if !self.is_punct(k, b':') && !self.is_punct(k, b'=') {
            return None;
        }
        let limit = (k + 64).min(self.toks.len());
        while k < limit {
            if self.is_punct(k, b'[') || self.is_punct(k, b'(') {
                k = self.partner(k)? + 1;
                continue;
            }
            if self.is_punct(k, b'=') && !self.is_punct(k + 1, b'=') && !self.is_punct(k + 1, b'>')
            {
                return Some(k);
            }
            if self.is_punct(k, b';') || self.is_punct(k, b'{') {
                return None;
            }
            k += 1;
        }
        None
    }

    fn push(&mut self, rule: Rule, v: &Value, message: String) {
        let (rule, message) = match v.embedded {
            Some(mac) => (
                Rule::BuildTimeEmbed,
                format!(
                    "`{mac}!` bakes this file into the binary at build time, as a secret{}",
                    Self::through(v)
                ),
            ),
            None => (rule, message),
        };
        self.out.push(Candidate {
            rule,
            span: v.span.clone(),
            secret: v.secret.clone(),
            message,
        });
    }

    fn through(v: &Value) -> String {
        v.via
            .as_ref()
            .map_or(String::new(), |name| format!(" (through `{name}`)"))
    }

    /// Every rule that can start at token `i`.
    fn at(&mut self, i: usize) {
        let t = self.toks[i];
        match t.kind {
            Kind::Ident => {
                let name = self.text(i);
                match name {
                    b"from_secret"
                    | b"from_base64_secret"
                    | b"new_from_slice"
                    | b"new_varkey"
                    | b"signer_from_bytes"
                    | b"verifier_from_bytes"
                    | b"bytes_from_str"
                    | b"Bytes"
                    | b"from_bytes"
                    | b"new"
                    | b"new_hmac" => self.key_constructor(i),
                    b"var" | b"var_os" => self.env_fallback(i),
                    b"env" | b"option_env" => {
                        self.build_time_embed(i);
                        self.attribute_default(i);
                    }
                    b"let" | b"const" | b"static" => self.binding(i),
                    b"fn" => self.secret_fn(i),
                    _ if maybe_secret_name(name) => self.secret_field_or_method(i),
                    _ => {}
                }
            }
            k if k.is_string() => {
                self.secret_key_literal(i);
                self.jwt_literal(i);
            }
            _ => {}
        }
    }

    /// Which argument of the call at `i` is the key, if `i` names a key constructor.
    fn key_argument(&self, i: usize) -> Option<usize> {
        let name = self.text(i);
        let qualifier = if i >= 3 && self.is_path_sep(i - 2) {
            self.text(i - 3)
        } else {
            b""
        };
        match name {
            b"from_secret" | b"from_base64_secret" | b"new_from_slice" | b"new_varkey" => Some(0),
            b"signer_from_bytes" | b"verifier_from_bytes" | b"bytes_from_str" => Some(0),
            // biscuit `Secret::Bytes(..)`.
            b"Bytes" if qualifier == b"Secret" => Some(0),
            b"new_hmac" => Some(1),
            // jwt-simple `HS256Key::from_bytes`, jwt-compact `Hs256Key::new`.
            b"from_bytes" | b"new"
                if (qualifier.starts_with(b"HS")
                    || qualifier.starts_with(b"Hs")
                    || qualifier.starts_with(b"Blake2"))
                    && qualifier.ends_with(b"Key") =>
            {
                Some(0)
            }
            // ring `hmac::Key::new(hmac::HMAC_SHA256, key)`.
            b"new" if qualifier == b"Key" => {
                let hmac_path = i >= 6 && self.is_path_sep(i - 5) && self.text(i - 6) == b"hmac";
                let args = self.args(i + 1)?;
                let first = args.first()?;
                let hmac_alg = (first.0..first.1).any(|k| self.text(k).starts_with(b"HMAC_"));
                (hmac_path || hmac_alg).then_some(1)
            }
            _ => None,
        }
    }

    fn key_constructor(&mut self, i: usize) {
        if !self.is_punct(i + 1, b'(') {
            return;
        }
        let Some(n) = self.key_argument(i) else {
            return;
        };
        let Some(&(a, b)) = self
            .args(i + 1)
            .and_then(|args| args.get(n).copied())
            .as_ref()
        else {
            return;
        };
        if let Some(v) = self.value_exact(a, b) {
            let msg = format!(
                "this literal is used as an HMAC signing key{}",
                Self::through(&v)
            );
            self.push(Rule::KeyLiteral, &v, msg);
        }
    }

    /// `env::var("JWT_SECRET")` followed by a fallback.
    fn env_fallback(&mut self, i: usize) {
        if !self.is_punct(i + 1, b'(') {
            return;
        }
        let Some(close) = self.partner(i + 1) else {
            return;
        };
        if close != i + 3 {
            return;
        }
        let var = match self.kind(i + 2) {
            Some(k) if k.is_string() => self.lit_text(i + 2).into_owned(),
            Some(Kind::Ident) => match self.resolve(i + 2).and_then(|v| v.text) {
                Some(text) => text,
                None => String::from_utf8_lossy(self.text(i + 2)).into_owned(),
            },
            _ => return,
        };
        if !is_secret_name(&var) {
            return;
        }
        // Where the expression started, to recognise `match env::var(..)`.
        let mut start = i;
        while start >= 3 && self.is_path_sep(start - 2) && self.kind(start - 3) == Some(Kind::Ident)
        {
            start -= 3;
        }
        self.fallbacks(&var, start, close);
    }

    /// The fallbacks of an environment read spanning `start..=close`.
    fn fallbacks(&mut self, var: &str, start: usize, close: usize) {
        let var = var.to_owned();
        let mut k = close + 1;
        // The method chain: fallbacks are flagged, anything else is followed.
        while self.is_punct(k, b'.') {
            let Some(method) = self.ident(k + 1) else {
                return;
            };
            let open = self.skip_turbofish(k + 2);
            if !self.is_punct(open, b'(') {
                return;
            }
            let Some(end) = self.partner(open) else {
                return;
            };
            match method {
                "unwrap_or" | "or" | "unwrap_or_else" | "or_else" | "map_or" | "map_or_else" => {
                    // The first argument (not split on commas: `Ok::<_, E>(..)` has one).
                    if let Some((v, after)) = self.value(open + 1, 0)
                        && (after == end || self.is_punct(after, b','))
                    {
                        return self.push_fallback(&var, &v);
                    }
                }
                "unwrap_or_default" => {
                    let v = Value {
                        span: self.span(k + 1, k + 1),
                        secret: Vec::new(),
                        text: Some(String::new()),
                        via: None,
                        empty: true,
                        embedded: None,
                    };
                    return self.push_fallback(&var, &v);
                }
                _ => {}
            }
            k = end + 1;
            if self.is_punct(k, b'?') {
                k += 1;
            }
        }
        if start > 0 && self.is_ident(start - 1, "match") && self.is_punct(k, b'{') {
            self.match_fallback(&var, k);
        } else if self.is_punct(k, b'{') && start > 0 && self.is_punct(start - 1, b'=') {
            // `if let Ok(s) = env::var(..) { s } else { fallback }`
            let Some(close) = self.partner(k) else { return };
            if self.is_ident(close + 1, "else")
                && self.is_punct(close + 2, b'{')
                && let Some(v) = self.block(close + 2)
            {
                self.push_fallback(&var, &v);
            }
        }
    }

    /// `match env::var(..) { Ok(s) => s, Err(_) => fallback }`
    fn match_fallback(&mut self, var: &str, open: usize) {
        let Some(close) = self.partner(open) else {
            return;
        };
        let mut k = open + 1;
        while k < close {
            let arm = if self.is_ident(k, "Err") && self.is_punct(k + 1, b'(') {
                self.partner(k + 1).map(|p| p + 1)
            } else if self.is_ident(k, "None") || self.is_ident(k, "_") {
                Some(k + 1)
            } else {
                None
            };
            if let Some(arrow) =
                arm.filter(|&a| self.is_punct(a, b'=') && self.is_punct(a + 1, b'>'))
                && let Some((v, end)) = self.value(arrow + 2, 0)
                && (end == close || self.is_punct(end, b','))
            {
                return self.push_fallback(var, &v);
            }
            k = match self.partner(k).filter(|&p| p > k) {
                Some(p) => p + 1,
                None => k + 1,
            };
        }
    }

    fn push_fallback(&mut self, var: &str, v: &Value) {
        let text = v.text.as_deref().unwrap_or("x");
        if !v.empty && !text.is_empty() && secret_named_not_a_secret(text) {
            return;
        }
        let msg = if v.empty || text.is_empty() {
            format!("an empty secret is used when `{var}` is not set")
        } else {
            format!(
                "this literal is used when `{var}` is not set{}",
                Self::through(v)
            )
        };
        self.push(Rule::EnvFallback, v, msg);
    }

    /// `#[arg(env = "JWT_SECRET", default_value = "..")]` (clap, structopt) and
    /// `#[config(env = "JWT_SECRET", default = "..")]` (confique): a default for the variable.
    fn attribute_default(&mut self, i: usize) {
        if !(self.is_punct(i + 1, b'=') && self.kind(i + 2).is_some_and(Kind::is_string)) {
            return;
        }
        let var = self.lit_text(i + 2).into_owned();
        if !is_secret_name(&var) {
            return;
        }
        // The enclosing `#[name( .. )]`, if small (so repeated `env =` stay linear).
        let Some(open) = (i.saturating_sub(64)..i)
            .rev()
            .find(|&k| self.is_punct(k, b'(') && self.partner(k).is_some_and(|p| p > i))
        else {
            return;
        };
        let is_attribute =
            open >= 3 && self.is_punct(open - 2, b'[') && self.is_punct(open - 3, b'#');
        if !is_attribute || self.partner(open).is_none_or(|close| close - open > 256) {
            return;
        }
        let Some(args) = self.args(open) else { return };
        for (a, b) in args {
            let is_default = matches!(
                self.ident(a),
                Some("default_value" | "default_value_t" | "default")
            );
            if is_default
                && self.is_punct(a + 1, b'=')
                && let Some(v) = self.value_exact(a + 2, b)
            {
                return self.push_fallback(&var, &v);
            }
        }
    }

    /// `env!("JWT_SECRET")`, `option_env!("JWT_SECRET")`.
    fn build_time_embed(&mut self, i: usize) {
        if !(self.is_punct(i + 1, b'!') && self.is_punct(i + 2, b'(')) {
            return;
        }
        if !self.kind(i + 3).is_some_and(Kind::is_string) {
            return;
        }
        let var = self.lit_text(i + 3).into_owned();
        if is_secret_name(&var) {
            let macro_name = String::from_utf8_lossy(self.text(i));
            let v = Value {
                span: self.span(i + 3, i + 3),
                secret: Vec::new(),
                text: None,
                via: None,
                empty: false,
                embedded: None,
            };
            let msg =
                format!("`{macro_name}!` bakes the value of `{var}` into the binary at build time");
            self.push(Rule::BuildTimeEmbed, &v, msg);
            // `option_env!("JWT_SECRET").unwrap_or("..")`: the fallback is a literal too.
            if self.is_punct(i + 4, b')') {
                self.fallbacks(&var, i, i + 4);
            }
        }
    }

    /// `let`/`const`/`static` NAME = literal, with NAME secret-named.
    fn binding(&mut self, i: usize) {
        let mut n = i + 1;
        while self.is_ident(n, "mut") || self.is_ident(n, "ref") {
            n += 1;
        }
        let Some(name) = self.ident(n) else { return };
        if !maybe_secret_name(name.as_bytes()) || !is_secret_name(name) {
            return;
        }
        let Some(eq) = self.binding_eq(n + 1) else {
            return;
        };
        if let Some((v, end)) = self.value(eq + 1, 0)
            && self.is_punct(end, b';')
        {
            self.push_binding(name, &v);
        }
    }

    fn push_binding(&mut self, name: &str, v: &Value) {
        if v.empty || v.text.as_deref().is_some_and(secret_named_not_a_secret) {
            return;
        }
        let msg = format!(
            "this literal is bound to the secret-named `{name}`{}",
            Self::through(v)
        );
        self.push(Rule::SecretBinding, v, msg);
    }

    /// `fn default_jwt_secret() -> String { "..".into() }`
    fn secret_fn(&mut self, i: usize) {
        let Some(name) = self.ident(i + 1) else {
            return;
        };
        if !maybe_secret_name(name.as_bytes())
            || !is_secret_name(name)
            || !self.is_punct(i + 2, b'(')
        {
            return;
        }
        let Some(params_end) = self.partner(i + 2) else {
            return;
        };
        let Some(body) = (params_end + 1..self.toks.len().min(params_end + 32))
            .find(|&k| self.is_punct(k, b'{') || self.is_punct(k, b';'))
            .filter(|&k| self.is_punct(k, b'{'))
        else {
            return;
        };
        if let Some(v) = self.block(body) {
            self.push_binding(name, &v);
        }
    }

    /// `jwt_secret: value` (struct initialiser), `self.jwt_secret = value`, `.jwt_secret(value)`.
    fn secret_field_or_method(&mut self, i: usize) {
        let Some(name) = self.ident(i) else { return };
        let is_colon = self.is_punct(i + 1, b':')
            && !self.is_punct(i + 2, b':')
            && !(i > 0 && self.is_punct(i - 1, b':'));
        let is_assign = self.is_punct(i + 1, b'=')
            && !self.is_punct(i + 2, b'=')
            && !self.is_punct(i + 2, b'>');
        let is_call = self.is_punct(i + 1, b'(') && !(i > 0 && self.is_ident(i - 1, "fn"));
        if !(is_colon || is_assign || is_call) || !is_secret_name(name) {
            return;
        }
        if i > 0
            && matches!(
                self.ident(i - 1),
                Some("let" | "const" | "static" | "mut" | "ref")
            )
        {
            return;
        }
        let found = if is_call {
            let close = self.partner(i + 1);
            close.and_then(|c| self.value_exact(i + 2, c))
        } else {
            self.value(i + 2, 0)
                .filter(|(_, end)| self.ends_item(*end))
                .map(|(v, _)| v)
        };
        if let Some(v) = found {
            self.push_binding(name, &v);
        }
    }

    fn ends_item(&self, k: usize) -> bool {
        k >= self.toks.len()
            || [b',', b';', b'}', b')', b']']
                .iter()
                .any(|&c| self.is_punct(k, c))
    }

    /// `"jwt_secret": value` (json!), `insert("jwt_secret", value)`, `"JWT_SECRET" => value`.
    fn secret_key_literal(&mut self, i: usize) {
        let raw = self.text(i);
        if raw.len() > 70 || !maybe_secret_name(raw) {
            return;
        }
        // The key may be converted: `insert("jwt_secret".to_string(), ..)`.
        let Some((_, k)) = self.value(i, 0) else {
            return;
        };
        // A comma pairs key and value only in a two-element call or tuple,
        // `insert("jwt_secret", v)` or `("jwt_secret", v)`; in `vec!["secret", "key"]`
        // the elements are a list, not a pair.
        let pair_in_parens = self.is_punct(k, b',') && i > 0 && self.is_punct(i - 1, b'(');
        let sep = if self.is_punct(k, b'=') && self.is_punct(k + 1, b'>') {
            k + 1
        } else if (self.is_punct(k, b':') && !self.is_punct(k + 1, b':')) || pair_in_parens {
            k
        } else {
            return;
        };
        let key = self.lit_text(i);
        if !is_key_like(&key) || !maybe_secret_name(key.as_bytes()) || !is_secret_name(&key) {
            return;
        }
        let key = key.into_owned();
        if let Some((v, end)) = self.value(sep + 1, 0)
            && self.ends_item(end)
            && (!pair_in_parens || self.is_punct(end, b')'))
        {
            self.push_binding(&key, &v);
        }
    }

    fn jwt_literal(&mut self, i: usize) {
        let content = literal::content_range(&self.toks[i], self.src);
        if !self
            .src
            .get(content.clone())
            .is_some_and(|c| c.starts_with(b"eyJ"))
        {
            return;
        }
        if literal::is_jwt(&self.lit_text(i)) {
            let v = Value {
                span: self.span(i, i),
                secret: vec![content],
                text: None,
                via: None,
                empty: false,
                embedded: None,
            };
            self.push(
                Rule::JwtLiteral,
                &v,
                "this literal is a hardcoded JWT".to_owned(),
            );
        }
    }
}

/// A value in a secret position that is plainly something else: a path, a URL, a PEM
/// block, prose, or the *name* of a secret variable (`"JWT_SECRET"`, but not `"CHANGE_ME"`).
fn secret_named_not_a_secret(text: &str) -> bool {
    if is_env_var_name(text) {
        return is_secret_name(text);
    }
    is_obviously_not_a_secret(text)
}
