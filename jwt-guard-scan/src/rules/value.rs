//! The fixed-value parser: which expressions have a value written in the source
//! (literals, byte arrays, conversions, closures and blocks returning one, identifiers
//! bound to one in the same file), and the bindings it resolves identifiers through.

use super::*;

impl<'a> Rules<'a> {
    /// A fixed value filling exactly `from..to`.
    pub(super) fn value_exact(&self, from: usize, to: usize) -> Option<Value> {
        self.value_exact_at(from, to, 0)
    }

    pub(super) fn value_exact_at(&self, from: usize, to: usize, depth: usize) -> Option<Value> {
        let (v, end) = self.value(from, depth)?;
        (end == to).then_some(v)
    }

    /// Parses a fixed-value expression at `i`; returns it and the index after it.
    pub(super) fn value(&self, mut i: usize, depth: usize) -> Option<(Value, usize)> {
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

    pub(super) fn skip_turbofish(&self, mut j: usize) -> usize {
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

    pub(super) fn primary(&self, i: usize, depth: usize) -> Option<(Value, usize)> {
        let kind = self.kind(i)?;
        if kind.is_string() {
            let text = self.lit_text(i).into_owned();
            let content = literal::content_range(&self.toks[i], self.src.as_bytes());
            let empty = text.is_empty();
            let v = Value {
                span: self.span(i, i),
                secret: vec![content],
                text: Some(text),
                via: None,
                empty,
                embedded: None,
                ..Value::default()
            };
            return Some((v, i + 1));
        }
        if self.is_punct(i, b'[') {
            return self
                .byte_array(i)
                .or_else(|| self.pair_list(i, depth))
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
        match first {
            "if" => return self.if_value(i, depth),
            "match" => return self.match_value(i, depth),
            _ => {}
        }
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
                        ..Value::default()
                    };
                    Some((v, close + 1))
                }
                "vec" => match self.byte_array(open) {
                    Some(mut v) => {
                        v.span = self.span(i, close);
                        Some((v, close + 1))
                    }
                    None => self.pair_list(open, depth).map(|v| (v, close + 1)),
                },
                "format" => self.format_value(i, open, depth),
                "concat" => {
                    let args = self.args(open)?;
                    let mut secret = Vec::new();
                    for (a, b) in args {
                        if !(b == a + 1 && self.kind(a).is_some_and(Kind::is_string)) {
                            return None;
                        }
                        secret.push(literal::content_range(&self.toks[a], self.src.as_bytes()));
                    }
                    let v = Value {
                        span: self.span(i, close),
                        secret,
                        text: None,
                        via: None,
                        empty: false,
                        embedded: None,
                        ..Value::default()
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
            if matches!(last, "var" | "var_os") {
                return self.env_or_fallback(after, depth);
            }
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
        // `config::KEY`, `Self::KEY`: a const of this file reached by its path.
        if after == j + 1 && flow::is_screaming(last) {
            return self.resolve(j).map(|v| (v, j + 1));
        }
        None
    }

    /// A call of `name` whose `(` is at `open`: a wrapper passes its single argument through.
    pub(super) fn call(&self, name: &str, open: usize, depth: usize) -> Option<(Value, usize)> {
        let close = self.partner(open)?;
        if close == open + 1 && EMPTY_CONSTRUCTORS.contains(&name) {
            let v = Value {
                span: self.span(open - 1, close),
                secret: Vec::new(),
                text: Some(String::new()),
                via: None,
                empty: true,
                embedded: None,
                ..Value::default()
            };
            return Some((v, close + 1));
        }
        if !WRAPPERS.contains(&name) {
            // `key()`: a function of this file without parameters returning a fixed value.
            if close == open + 1
                && let Some(&body) = self.fn_bodies().get(name)
                && let Some(mut v) = self.block_at(body, depth + 1)
            {
                v.via.get_or_insert_with(|| format!("{name}()"));
                return Some((v, close + 1));
            }
            return None;
        }
        let (v, end) = self.value(open + 1, depth + 1)?;
        (end == close).then_some((v, close + 1))
    }

    /// `env::var("X").unwrap_or("..")`, `.unwrap_or_else(|_| "..".into())`: where the value
    /// flows, the fallback is what ships when `X` is missing (any variable's name).
    fn env_or_fallback(&self, open: usize, depth: usize) -> Option<(Value, usize)> {
        let mut k = self.partner(open)? + 1;
        while self.is_punct(k, b'.') {
            let method = self.ident(k + 1)?;
            let call = self.skip_turbofish(k + 2);
            if !self.is_punct(call, b'(') {
                return None;
            }
            let end = self.partner(call)?;
            if matches!(method, "unwrap_or" | "unwrap_or_else" | "or" | "or_else") {
                let (v, after) = self.value(call + 1, depth + 1)?;
                if after != end || v.empty {
                    return None;
                }
                // Conversions after the fallback keep it.
                let mut j = end + 1;
                while self.is_punct(j, b'.')
                    && self.ident(j + 1).is_some_and(|m| CONVERSIONS.contains(&m))
                    && self.is_punct(j + 2, b'(')
                {
                    j = self.partner(j + 2)? + 1;
                }
                return Some((v, j));
            }
            if !matches!(method, "map" | "ok" | "map_err" | "as_deref") {
                return None;
            }
            k = end + 1;
        }
        None
    }

    /// The body (`{`) of each function of the file that takes no parameter, by name;
    /// built once, on first use.
    fn fn_bodies(&self) -> &HashMap<&'a str, usize> {
        self.fn_bodies.get_or_init(|| {
            let mut out = HashMap::new();
            for k in 0..self.toks.len() {
                if !self.is_ident(k, "fn")
                    || !self.is_punct(k + 2, b'(')
                    || !self.is_punct(k + 3, b')')
                {
                    continue;
                }
                let Some(name) = self.ident(k + 1) else {
                    continue;
                };
                let body = (k + 4..self.toks.len().min(k + 64))
                    .find(|&b| self.is_punct(b, b'{') || self.is_punct(b, b';'))
                    .filter(|&b| self.is_punct(b, b'{'));
                if let Some(body) = body {
                    // Two functions of one name (in different impls): neither is followed.
                    out.entry(name)
                        .and_modify(|b| *b = usize::MAX)
                        .or_insert(body);
                }
            }
            out.retain(|_, b| *b != usize::MAX);
            out
        })
    }

    /// `|_| value`, `|e| { warn!(..); value }`, `|| value`.
    pub(super) fn closure(&self, i: usize, depth: usize) -> Option<(Value, usize)> {
        let body = if self.is_punct(i + 1, b'|') {
            i + 2
        } else {
            (i + 1..self.toks.len().min(i + 32)).find(|&k| self.is_punct(k, b'|'))? + 1
        };
        self.value(body, depth + 1)
    }

    /// The tail expression of the block whose `{` is at `open`.
    pub(super) fn block(&self, open: usize) -> Option<Value> {
        self.block_at(open, 0)
    }

    pub(super) fn block_at(&self, open: usize, depth: usize) -> Option<Value> {
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

    /// `[0x73, 0x65, ..]`: a non-empty array of integer or byte literals; or a repeat
    /// array `[9u8; 32]`, `[b'k'; N]`: constant key material, whatever its length.
    pub(super) fn byte_array(&self, open: usize) -> Option<Value> {
        let close = self.partner(open)?;
        let element = |k: usize| matches!(self.kind(k), Some(Kind::Number | Kind::Byte));
        if close == open + 4
            && element(open + 1)
            && self.is_punct(open + 2, b';')
            && matches!(self.kind(open + 3), Some(Kind::Number | Kind::Ident))
        {
            return Some(Value {
                span: self.span(open, close),
                secret: vec![self.span(open + 1, open + 1)],
                repeat: true,
                ..Value::default()
            });
        }
        let args = self.args(open)?;
        let fixed = |a: usize, b: usize| (b == a + 1 && element(a)) || self.int_bound(a, b);
        if args.is_empty() || !args.iter().all(|&(a, b)| fixed(a, b)) {
            return None;
        }
        // Each element is masked; commas and line breaks stay readable.
        let secret = args.iter().map(|&(a, b)| self.span(a, b - 1)).collect();
        Some(Value {
            span: self.span(open, close),
            secret,
            text: None,
            via: None,
            empty: false,
            embedded: None,
            ..Value::default()
        })
    }

    /// `[(1, "a"), (2, "b")]`, `vec![("kid", b"..")]`: a list of pairs, the entries of a
    /// map built from it (`HashMap::from`, `BTreeMap::from_iter`, `.into_iter().collect()`).
    /// Each entry's fixed value (its last element; the first is its key or id) is an arm
    /// of its own, reported on its own line; a list of plain values is not a map.
    pub(super) fn pair_list(&self, open: usize, depth: usize) -> Option<Value> {
        let mut values = Vec::new();
        for (a, b) in self.args(open)? {
            if !self.is_punct(a, b'(') || self.partner(a) != Some(b - 1) {
                return None;
            }
            let entry = self.args(a)?;
            let &[_, (va, vb)] = entry.as_slice() else {
                return None;
            };
            values.extend(self.value_exact_at(va, vb, depth + 1));
        }
        Self::join_arms(values)
    }

    /// `u8::MAX`, `i32::MIN`: a bound of an integer type, as fixed as a number.
    fn int_bound(&self, a: usize, b: usize) -> bool {
        const INTS: &[&str] = &[
            "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
        ];
        b == a + 4
            && self.ident(a).is_some_and(|t| INTS.contains(&t))
            && self.is_path_sep(a + 1)
            && matches!(self.ident(a + 3), Some("MAX" | "MIN"))
    }

    /// An identifier bound to a fixed value in this file (the nearest binding before it,
    /// else the first after it, for consts and statics declared later).
    pub(super) fn resolve(&self, i: usize) -> Option<Value> {
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
    pub(super) fn collect_bindings(&mut self) {
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
                .filter(|(v, end)| self.is_punct(*end, b';') && !v.empty && !mutable)
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
    pub(super) fn binding_eq(&self, mut k: usize) -> Option<usize> {
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

    /// `if c { "a" } else if d { "b" } else { x }`: the fixed arms (at least one; the
    /// others may be computed), each reported on its own line.
    pub(super) fn if_value(&self, i: usize, depth: usize) -> Option<(Value, usize)> {
        let mut arms = Vec::new();
        let mut k = i;
        loop {
            // `if`: the condition runs to the first `{` outside brackets.
            let mut open = k + 1;
            let limit = (k + 256).min(self.toks.len());
            while open < limit && !self.is_punct(open, b'{') {
                open = match self.partner(open).filter(|&p| p > open) {
                    Some(p) => p + 1,
                    None => open + 1,
                };
            }
            if !self.is_punct(open, b'{') {
                return None;
            }
            let close = self.partner(open)?;
            arms.extend(self.block_at(open, depth + 1));
            if !self.is_ident(close + 1, "else") {
                // Without `else`, an `if` has no value.
                return None;
            }
            if self.is_ident(close + 2, "if") {
                k = close + 2;
                continue;
            }
            if !self.is_punct(close + 2, b'{') {
                return None;
            }
            let end = self.partner(close + 2)?;
            arms.extend(self.block_at(close + 2, depth + 1));
            return Self::join_arms(arms).map(|v| (v, end + 1));
        }
    }

    /// `match x { A => "a", B => { "b" } _ => y }`: the fixed arms, each on its own.
    pub(super) fn match_value(&self, i: usize, depth: usize) -> Option<(Value, usize)> {
        let mut open = i + 1;
        let limit = (i + 256).min(self.toks.len());
        while open < limit && !self.is_punct(open, b'{') {
            open = match self.partner(open).filter(|&p| p > open) {
                Some(p) => p + 1,
                None => open + 1,
            };
        }
        let close = self.partner(open)?;
        if close - open > MAX_BLOCK_TOKENS {
            return None;
        }
        let mut arms = Vec::new();
        let mut k = open + 1;
        while k < close {
            if let Some(p) = self.partner(k).filter(|&p| p > k) {
                k = p + 1;
                continue;
            }
            if self.is_punct(k, b'=') && self.is_punct(k + 1, b'>') && self.adjacent(k) {
                let body = k + 2;
                let block_end = self
                    .is_punct(body, b'{')
                    .then(|| self.partner(body).map(|p| p + 1))
                    .flatten();
                if let Some((v, end)) = self.value(body, depth + 1)
                    && (end == close || self.is_punct(end, b',') || Some(end) == block_end)
                {
                    arms.push(v);
                    k = end;
                    continue;
                }
                // A computed arm: skip to its end.
                let mut e = body;
                while e < close && !self.is_punct(e, b',') {
                    if self.is_punct(e, b'{') && e == body {
                        e = self.partner(e).unwrap_or(e) + 1;
                        break;
                    }
                    e = match self.partner(e).filter(|&p| p > e) {
                        Some(p) => p + 1,
                        None => e + 1,
                    };
                }
                k = e;
                continue;
            }
            k += 1;
        }
        Self::join_arms(arms).map(|v| (v, close + 1))
    }

    /// One value holding the others as alternatives; none when no arm is fixed. Empty
    /// arms only count when every arm is empty.
    fn join_arms(arms: Vec<Value>) -> Option<Value> {
        let all_empty = arms.iter().all(|v| v.empty);
        let mut fixed = arms.into_iter().filter(|v| all_empty || !v.empty);
        let mut first = fixed.next()?;
        first.alts.extend(fixed);
        Some(first)
    }

    /// `format!("{}", "lit")`, `format!("Bearer {}", "lit")`: a format string whose every
    /// argument is fixed is fixed; the literals are each secret.
    pub(super) fn format_value(
        &self,
        i: usize,
        open: usize,
        depth: usize,
    ) -> Option<(Value, usize)> {
        let close = self.partner(open)?;
        let args = self.args(open)?;
        let (&(fa, fb), rest) = args.split_first()?;
        if !(fb == fa + 1 && self.kind(fa).is_some_and(Kind::is_string)) {
            return None;
        }
        // `{name}` captures a variable: not fixed.
        let template = self.lit_text(fa);
        let captures = template
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'{' && (w[1].is_ascii_alphabetic() || w[1] == b'_'));
        if captures {
            return None;
        }
        let mut secret = vec![literal::content_range(&self.toks[fa], self.src.as_bytes())];
        for &(a, b) in rest {
            // `name = value` arguments too.
            let a = if self.ident(a).is_some() && self.is_punct(a + 1, b'=') {
                a + 2
            } else {
                a
            };
            let v = self.value_exact_at(a, b, depth + 1)?;
            if v.embedded.is_some() {
                return None;
            }
            secret.extend(v.secret);
        }
        let v = Value {
            span: self.span(i, close),
            secret,
            ..Value::default()
        };
        Some((v, close + 1))
    }
}
