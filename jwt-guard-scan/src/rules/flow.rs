//! Values that cross a function or a file (issue 11, class 5) and placeholder-looking
//! values decided by their use (class 6).
//!
//! Within a file: a function whose parameter reaches a key sink (directly, through a
//! `let` built from it, or through another such function: up to three hops) is a sink
//! itself, so `keys("dev-secret")` flags the literal. A SCREAMING_CASE const, static or
//! associated const at a sink that the file does not define is asked for crate-wide.
//!
//! Across files ([`Facts`] out, [`Context`] in): the walker gathers every file's sink
//! functions and unresolved consts, and rescans the files of the same crate that mention
//! one with them as context (`crate_flow`). The finding is on the literal's own line.

use super::*;

/// A function of the scanned crate whose parameter reaches a key sink.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct SinkFn {
    pub(crate) name: String,
    /// The type of its `impl` block, for `Type::name(..)` calls.
    pub(crate) owner: Option<String>,
    /// 0-based index of the parameter that reaches the sink (`self` not counted).
    pub(crate) key: usize,
    pub(crate) has_self: bool,
    /// The parameter's name when it is named for a secret (`fn new(jwt_secrets: ..)`)
    /// rather than shown to reach a sink: a slot of its own, followed one hop only.
    pub(crate) named: Option<String>,
}

/// What one file tells the crate-wide pass.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Facts {
    /// Functions whose parameter reaches a key sink.
    pub(crate) sink_fns: Vec<SinkFn>,
    /// SCREAMING_CASE names used at a sink that this file does not bind.
    pub(crate) const_queries: Vec<String>,
    /// Secret-named consts read as variable names (`env::var(JWT_SECRET)`).
    pub(crate) var_names: Vec<String>,
    /// Findings (by literal span) that hold only if their const is never read as a
    /// variable name anywhere in the crate.
    pub(crate) conditional: Vec<(Range<usize>, String)>,
    /// The same findings by line and column, once the scanner has made them.
    pub(crate) conditional_at: Vec<(usize, usize, String)>,
}

impl Facts {
    /// Nothing another file could depend on, nor anything depending on another file.
    pub(crate) fn is_empty(&self) -> bool {
        self.sink_fns.is_empty() && self.const_queries.is_empty() && self.conditional.is_empty()
    }
}

/// What the rest of the crate tells one file.
#[derive(Debug, Default, Clone)]
pub(crate) struct Context {
    pub(crate) sink_fns: Vec<SinkFn>,
    /// Consts used at a sink elsewhere: name -> where (a path, for the message).
    pub(crate) wanted_consts: HashMap<String, String>,
}

/// A `fn` item of the file.
#[derive(Debug)]
struct FnItem<'a> {
    name: &'a str,
    owner: Option<&'a str>,
    /// In an `impl Trait for Type` block.
    trait_impl: bool,
    has_self: bool,
    params: Vec<(&'a str, usize)>,
    /// `{` and `}` of the body.
    body: (usize, usize),
}

/// Methods of std traits (`From`, `Default`, ...): called through the trait, so a call by
/// name says nothing about which impl runs.
const STD_TRAIT_METHODS: &[&str] = &[
    "from",
    "try_from",
    "into",
    "try_into",
    "from_str",
    "default",
    "deref",
    "as_ref",
    "borrow",
    "clone",
    "eq",
    "fmt",
    "hash",
    "from_iter",
    "extend",
    "call",
    "index",
];

/// Hops a value may take through the crate's own functions.
const MAX_HOPS: usize = 3;

/// Whether a const given as an argument of `callee` is read as a *name*: by any call
/// (`env::var`, `get_env`, `config.get_string`, a message macro) other than the ones a
/// value passes through (`String::from`, `Some`, `SecretString::new`, `vec!`, `concat!`)
/// and the key sinks, where it is the value itself.
fn reads_a_name(callee: &str, macro_call: bool) -> bool {
    if callee.is_empty() {
        return false;
    }
    if macro_call {
        return !matches!(callee, "vec" | "concat" | "include_str" | "include_bytes");
    }
    !WRAPPERS.contains(&callee) && !sinks::is_sink_method(callee.as_bytes())
}

/// `JWT_SECRET`, `KEY`, `SIGNING_KEY_2`: how consts and statics are named.
pub(crate) fn is_screaming(name: &str) -> bool {
    name.len() >= 2
        && name.bytes().any(|b| b.is_ascii_uppercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// A method name that says it takes a key, so that `x.name(..)` may be matched by name.
fn keyish(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["secret", "key", "sign", "jwt", "token", "auth", "hmac"]
        .iter()
        .any(|w| lower.contains(w))
}

impl<'a> Rules<'a> {
    /// The sink functions this file defines (given the context's), found before the rules
    /// run so that calls above a definition count too.
    pub(super) fn collect_flow(&mut self) {
        let has_sink = (0..self.toks.len()).any(|k| self.sink_site(k).is_some());
        let named = self.has_secret_named_param();
        if !has_sink && !named {
            return;
        }
        let fns = self.fn_items();
        self.impls = self
            .impl_blocks()
            .into_iter()
            .map(|b| (b.0, b.1, b.2))
            .collect();
        if named {
            self.secret_named_params(&fns);
        }
        if !has_sink {
            return;
        }
        let mut taints: HashMap<usize, HashMap<&'a str, usize>> = HashMap::new();
        // (type, field) pairs read at a key sink as `self.field`.
        let mut key_fields: Vec<(&'a str, &'a str)> = Vec::new();
        for _ in 0..MAX_HOPS {
            let mut found = Vec::new();
            for k in 0..self.toks.len() {
                let Some((open, n)) = self.sink_site(k) else {
                    continue;
                };
                let Some(&(a, b)) = self.args(open).as_ref().and_then(|args| args.get(n)) else {
                    continue;
                };
                // The innermost function around the call.
                let Some((fi, f)) = fns
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.body.0 < k && k < f.body.1)
                    .min_by_key(|(_, f)| f.body.1 - f.body.0)
                else {
                    continue;
                };
                // `self.secret` at a sink: the field holds key material.
                if let Some(owner) = f.owner {
                    for t in a..b {
                        if self.is_ident(t, "self")
                            && self.is_punct(t + 1, b'.')
                            && let Some(field) = self.ident(t + 2)
                            && !key_fields.contains(&(owner, field))
                        {
                            key_fields.push((owner, field));
                        }
                    }
                }
                if f.params.is_empty() {
                    continue;
                }
                let taint = taints.entry(fi).or_insert_with(|| self.taint(f));
                let reached = (a..b).find_map(|t| {
                    let name = self.ident(t)?;
                    let field = t > 0 && self.is_punct(t - 1, b'.');
                    (!field && !self.is_path_sep(t + 1)).then(|| taint.get(name).copied())?
                });
                if let Some(key) = reached {
                    let sink = SinkFn {
                        name: f.name.to_owned(),
                        owner: f.owner.map(str::to_owned),
                        key,
                        has_self: f.has_self,
                        named: None,
                    };
                    let known = self.sink_fns.contains(&sink) || found.contains(&sink);
                    let skip = known
                        || sinks::is_named_sink(f.name.as_bytes())
                        || (f.trait_impl && STD_TRAIT_METHODS.contains(&f.name));
                    if !skip {
                        found.push(sink);
                    }
                }
            }
            // A method of the same type that stores a parameter in such a field
            // (`Self { secret, .. }`, `secret: secret.into()`, `self.secret = s`).
            for (fi, g) in fns.iter().enumerate() {
                let Some(owner) = g.owner else { continue };
                if g.params.is_empty()
                    || (g.trait_impl && STD_TRAIT_METHODS.contains(&g.name))
                    || !key_fields.iter().any(|(o, _)| *o == owner)
                {
                    continue;
                }
                let taint = taints.entry(fi).or_insert_with(|| self.taint(g));
                for &(o, field) in &key_fields {
                    if o != owner {
                        continue;
                    }
                    if let Some(key) = self.stored_in_field(g, field, taint) {
                        let sink = SinkFn {
                            name: g.name.to_owned(),
                            owner: Some(owner.to_owned()),
                            key,
                            has_self: g.has_self,
                            named: None,
                        };
                        if !self.sink_fns.contains(&sink) && !found.contains(&sink) {
                            found.push(sink);
                        }
                    }
                }
            }
            if found.is_empty() {
                break;
            }
            self.facts.sink_fns.extend(found.iter().cloned());
            self.sink_fns.extend(found);
        }
    }

    /// Whether some `fn` of the file has a secret-named parameter (a cheap look at the
    /// parameter lists, before the function items are built).
    fn has_secret_named_param(&self) -> bool {
        (0..self.toks.len()).any(|k| {
            if !self.is_ident(k, "fn") {
                return false;
            }
            let Some(open) = (k + 2..self.toks.len().min(k + 64)).find(|&o| self.is_punct(o, b'('))
            else {
                return false;
            };
            let close = self.partner(open).unwrap_or(open);
            (open + 1..close).any(|t| {
                self.is_punct(t + 1, b':')
                    && !self.is_punct(t + 2, b':')
                    && self
                        .ident(t)
                        .is_some_and(|p| maybe_secret_name(p.as_bytes()) && is_secret_name(p))
            })
        })
    }

    /// `fn new(jwt_secrets: HashMap<u64, String>)`: a value given to a secret-named
    /// parameter is bound to that name, whatever the body does with it (a map walked by a
    /// closure, a store, another crate). Getters and std trait methods are left out.
    fn secret_named_params(&mut self, fns: &[FnItem<'a>]) {
        for f in fns {
            if super::secret_binding::is_getter(f.name)
                || sinks::is_named_sink(f.name.as_bytes())
                || (f.trait_impl && STD_TRAIT_METHODS.contains(&f.name))
            {
                continue;
            }
            for &(param, key) in &f.params {
                if !maybe_secret_name(param.as_bytes()) || !is_secret_name(param) {
                    continue;
                }
                let sink = SinkFn {
                    name: f.name.to_owned(),
                    owner: f.owner.map(str::to_owned),
                    key,
                    has_self: f.has_self,
                    named: Some(param.to_owned()),
                };
                if !self.sink_fns.contains(&sink) {
                    self.facts.sink_fns.push(sink.clone());
                    self.sink_fns.push(sink);
                }
            }
        }
    }

    /// A call at `k` of a key sink or of a sink function: its `(` and key argument.
    fn sink_site(&self, k: usize) -> Option<(usize, usize)> {
        let name = self.text(k);
        if self.kind(k) != Some(Kind::Ident) || (k > 0 && self.is_ident(k - 1, "fn")) {
            return None;
        }
        // A secret-named parameter is a slot, not a sink: followed one hop only.
        let reaches = || self.sink_fn_call(k).filter(|(_, f)| f.named.is_none());
        let n = if sinks::is_sink_method(name) {
            self.key_argument(k).or_else(|| reaches().map(|(n, _)| n))
        } else {
            reaches().map(|(n, _)| n)
        }?;
        let open = self.skip_turbofish(k + 1);
        self.is_punct(open, b'(').then_some((open, n))
    }

    /// The parameter of `g` stored in `field`: `Self { field, .. }`, `field: expr`, or
    /// `self.field = expr`, the expression naming the (tainted) parameter.
    fn stored_in_field(
        &self,
        g: &FnItem<'a>,
        field: &str,
        taint: &HashMap<&'a str, usize>,
    ) -> Option<usize> {
        let (open, close) = g.body;
        let expr_taint = |from: usize| {
            let mut end = from;
            while end < close
                && !self.is_punct(end, b',')
                && !self.is_punct(end, b';')
                && !self.is_punct(end, b'}')
            {
                end = match self.partner(end).filter(|&p| p > end) {
                    Some(p) => p + 1,
                    None => end + 1,
                };
            }
            (from..end).find_map(|t| {
                let name = self.ident(t)?;
                let is_field = t > 0 && self.is_punct(t - 1, b'.');
                if is_field {
                    None
                } else {
                    taint.get(name).copied()
                }
            })
        };
        (open + 1..close).find_map(|t| {
            if !self.is_ident(t, field) {
                return None;
            }
            let after_sep = self.is_punct(t - 1, b'{') || self.is_punct(t - 1, b',');
            if after_sep && self.is_punct(t + 1, b':') && !self.is_punct(t + 2, b':') {
                return expr_taint(t + 2);
            }
            if after_sep && (self.is_punct(t + 1, b',') || self.is_punct(t + 1, b'}')) {
                return taint.get(field).copied();
            }
            let assigned = t >= 2
                && self.is_ident(t - 2, "self")
                && self.is_punct(t - 1, b'.')
                && self.is_punct(t + 1, b'=')
                && !self.is_punct(t + 2, b'=');
            if assigned { expr_taint(t + 2) } else { None }
        })
    }

    /// Parameters, and `let`s built from one, mapped to the parameter's index.
    fn taint(&self, f: &FnItem<'a>) -> HashMap<&'a str, usize> {
        let mut taint: HashMap<&'a str, usize> = f.params.iter().copied().collect();
        let (open, close) = f.body;
        let mut k = open + 1;
        while k < close {
            if self.is_ident(k, "let") {
                let mut n = k + 1;
                while self.is_ident(n, "mut") || self.is_ident(n, "ref") {
                    n += 1;
                }
                if let (Some(name), Some(eq)) = (self.ident(n), self.binding_eq(n + 1)) {
                    let mut end = eq + 1;
                    while end < close && !self.is_punct(end, b';') {
                        end = match self.partner(end).filter(|&p| p > end) {
                            Some(p) => p + 1,
                            None => end + 1,
                        };
                    }
                    let from = (eq + 1..end).find_map(|t| {
                        let field = t > 0 && self.is_punct(t - 1, b'.');
                        if field {
                            return None;
                        }
                        taint.get(self.ident(t)?).copied()
                    });
                    if let Some(p) = from {
                        taint.insert(name, p);
                    }
                    k = end;
                    continue;
                }
            }
            k += 1;
        }
        taint
    }

    /// Every `fn` with a body, with its parameters and the type of its `impl`.
    fn fn_items(&self) -> Vec<FnItem<'a>> {
        let impls = self.impl_blocks();
        let mut out = Vec::new();
        for k in 0..self.toks.len() {
            if !self.is_ident(k, "fn") {
                continue;
            }
            let Some(name) = self.ident(k + 1) else {
                continue;
            };
            let mut open = k + 2;
            if self.is_punct(open, b'<') {
                let mut depth = 0i32;
                while open < self.toks.len() && open < k + 128 {
                    if self.is_punct(open, b'<') {
                        depth += 1;
                    } else if self.is_punct(open, b'>') && !self.is_punct(open - 1, b'-') {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    open += 1;
                }
                open += 1;
            }
            if !self.is_punct(open, b'(') {
                continue;
            }
            let Some(close) = self.partner(open) else {
                continue;
            };
            let Some(body) = (close + 1..self.toks.len().min(close + 128))
                .find(|&b| self.is_punct(b, b'{') || self.is_punct(b, b';'))
                .filter(|&b| self.is_punct(b, b'{'))
            else {
                continue;
            };
            let Some(body_end) = self.partner(body) else {
                continue;
            };
            let mut has_self = false;
            let mut params = Vec::new();
            let mut index = 0;
            for (a, b) in self.args(open).unwrap_or_default() {
                let mut t = a;
                while t < b
                    && (self.is_punct(t, b'&')
                        || self.is_ident(t, "mut")
                        || self.is_ident(t, "ref")
                        || self.kind(t) == Some(Kind::Lifetime))
                {
                    t += 1;
                }
                if self.is_ident(t, "self") {
                    has_self = true;
                    continue;
                }
                if let Some(p) = self.ident(t).filter(|_| self.is_punct(t + 1, b':')) {
                    params.push((p, index));
                }
                index += 1;
            }
            let block = impls
                .iter()
                .filter(|(o, c, _, _)| *o < k && k < *c)
                .min_by_key(|(o, c, _, _)| c - o);
            out.push(FnItem {
                name,
                owner: block.map(|b| b.2),
                trait_impl: block.is_some_and(|b| b.3),
                has_self,
                params,
                body: (body, body_end),
            });
        }
        out
    }

    /// `impl [<..>] [Trait for] Type [<..>] { .. }`: braces, type name, and whether it
    /// implements a trait.
    fn impl_blocks(&self) -> Vec<(usize, usize, &'a str, bool)> {
        let mut out = Vec::new();
        for k in 0..self.toks.len() {
            if !self.is_ident(k, "impl") {
                continue;
            }
            let Some(open) = (k + 1..self.toks.len().min(k + 128)).find(|&b| {
                self.is_punct(b, b'{') || self.is_punct(b, b';') || self.is_punct(b, b'(')
            }) else {
                continue;
            };
            if !self.is_punct(open, b'{') {
                continue;
            }
            let Some(close) = self.partner(open) else {
                continue;
            };
            let after_for = (k + 1..open).find(|&t| self.is_ident(t, "for"));
            let mut t = after_for.map_or(k + 1, |f| f + 1);
            if after_for.is_none() && self.is_punct(t, b'<') {
                let mut depth = 0i32;
                while t < open {
                    if self.is_punct(t, b'<') {
                        depth += 1;
                    } else if self.is_punct(t, b'>') {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    t += 1;
                }
                t += 1;
            }
            // The last segment of the type's path.
            let mut ty = None;
            while t < open {
                match self.ident(t) {
                    Some("dyn" | "mut") => {}
                    Some(name) => {
                        ty = Some(name);
                        if !self.is_path_sep(t + 1) {
                            break;
                        }
                    }
                    None if self.is_punct(t, b'&')
                        || self.is_path_sep(t)
                        || self.is_punct(t, b':') => {}
                    None => break,
                }
                t += 1;
            }
            if let Some(ty) = ty {
                out.push((open, close, ty, after_for.is_some()));
            }
        }
        out
    }

    /// Which argument of the call at `i` reaches a key, if `i` calls a sink function, and
    /// which function it is.
    pub(super) fn sink_fn_call(&self, i: usize) -> Option<(usize, &SinkFn)> {
        if self.sink_fns.is_empty() {
            return None;
        }
        let name = self.ident(i)?;
        let method_call = i > 0 && self.is_punct(i - 1, b'.');
        let path = if method_call {
            Vec::new()
        } else {
            self.path_before(i)
        };
        // A parameter shown to reach a sink comes before one only named for a secret.
        let reaching = self.sink_fns.iter().filter(|f| f.named.is_none());
        let named = self.sink_fns.iter().filter(|f| f.named.is_some());
        reaching
            .chain(named)
            .filter(|f| f.name == name)
            .find_map(|f| match (&f.owner, method_call) {
                (_, true) => (f.has_self && keyish(name)).then_some((f.key, f)),
                (Some(owner), false) => {
                    let typed = path.first().is_some_and(|t| {
                        *t == owner.as_str() || (*t == "Self" && self.self_type(i) == Some(owner))
                    });
                    // `Type::method(value, key)`: the receiver comes first.
                    typed.then_some((f.key + usize::from(f.has_self), f))
                }
                (None, false) => {
                    let free = path
                        .first()
                        .is_none_or(|t| t.starts_with(|c: char| c.is_ascii_lowercase()));
                    free.then_some((f.key, f))
                }
            })
    }

    /// The type of the innermost `impl` block around `i` (what `Self` names there).
    fn self_type(&self, i: usize) -> Option<&str> {
        self.impls
            .iter()
            .filter(|(o, c, _)| *o < i && i < *c)
            .min_by_key(|(o, c, _)| c - o)
            .map(|b| b.2)
    }

    /// A call of one of the crate's sink functions at `i`.
    pub(super) fn flow_call(&mut self, i: usize) {
        let Some((n, f)) = self.sink_fn_call(i) else {
            return;
        };
        let named = f.named.clone();
        let open = self.skip_turbofish(i + 1);
        if !self.is_punct(open, b'(') || (i > 0 && self.is_ident(i - 1, "fn")) {
            return;
        }
        let Some(&(a, b)) = self.args(open).as_ref().and_then(|args| args.get(n)) else {
            return;
        };
        let name = self.ident(i).unwrap_or_default().to_owned();
        // An empty value passed along is a default, not a key written down.
        match self.value_exact(a, b).filter(|v| !v.empty) {
            Some(v) if let Some(param) = named => self.push_binding(&param, &v),
            Some(v) => {
                for v in v.arms() {
                    let msg = format!(
                        "this literal reaches an HMAC signing key through `{name}()`{}",
                        Self::through(&v)
                    );
                    self.push(Rule::KeyLiteral, &v, msg);
                }
            }
            None if named.is_none() => self.ask_for_const(a, b),
            None => {}
        }
    }

    /// `KEY`, `config::KEY`, `Self::KEY.as_bytes()`, `&crate::KEYS::JWT`: a const the
    /// file does not bind, asked for crate-wide.
    pub(super) fn ask_for_const(&mut self, a: usize, b: usize) {
        let mut k = a;
        while self.is_punct(k, b'&') || self.is_punct(k, b'*') {
            k += 1;
        }
        let mut last = None;
        while let Some(name) = self.ident(k) {
            last = Some((k, name));
            if self.is_path_sep(k + 1) {
                k += 3;
            } else {
                k += 1;
                break;
            }
        }
        let Some((at, name)) = last else { return };
        if !is_screaming(name) || self.resolve(at).is_some() {
            return;
        }
        // Conversions only, up to the end of the argument.
        while k < b
            && self.is_punct(k, b'.')
            && self.ident(k + 1).is_some_and(|m| CONVERSIONS.contains(&m))
            && self.is_punct(k + 2, b'(')
        {
            k = self.partner(k + 2).map_or(b, |p| p + 1);
        }
        if k == b && !self.facts.const_queries.iter().any(|q| q == name) {
            self.facts.const_queries.push(name.to_owned());
        }
    }

    /// Consts this file binds that the crate uses at a sink elsewhere.
    pub(super) fn wanted_consts(&mut self) {
        let Some(ctx) = self.ctx else { return };
        let mut wanted: Vec<(&String, &String)> = ctx.wanted_consts.iter().collect();
        // Map keys: no two are equal, so the unstable sort gives the one order.
        wanted.sort_unstable();
        for (name, used_in) in wanted {
            let Some(list) = self.bindings.get(name.as_bytes()) else {
                continue;
            };
            let values: Vec<Value> = list
                .iter()
                .filter(|b| b.scope_end == usize::MAX)
                .filter_map(|b| b.value.clone())
                .collect();
            for v in values {
                for v in v.arms() {
                    if v.empty {
                        continue;
                    }
                    let msg = format!(
                        "this literal is used as an HMAC signing key in {used_in} (through `{name}`)"
                    );
                    self.push(Rule::KeyLiteral, &v, msg);
                }
            }
        }
    }

    /// `env::var(JWT_SECRET)`, `std::env::var_os(&config::JWT_SECRET)`, `read_env(JWT_SECRET)`:
    /// the secret-named const at `i` is read as a variable's name.
    pub(super) fn note_variable_name(&mut self, i: usize) {
        let Some(name) = self.ident(i) else { return };
        if !is_screaming(name) {
            return;
        }
        // Back over `&` and a path to the `(` of the call.
        let mut k = i;
        while k >= 3 && self.is_path_sep(k - 2) && self.kind(k - 3) == Some(Kind::Ident) {
            k -= 3;
        }
        while k >= 1 && self.is_punct(k - 1, b'&') {
            k -= 1;
        }
        if k < 2 || !(self.is_punct(k - 1, b'(') || self.is_punct(k - 1, b',')) {
            return;
        }
        // The call the const is an argument of: `var(..)`, `get(.., NAME)`, `panic!(..)`.
        let Some(open) = (k.saturating_sub(64)..k)
            .rev()
            .find(|&o| self.is_punct(o, b'(') && self.partner(o).is_some_and(|c| c > i))
        else {
            return;
        };
        let macro_call = open >= 2 && self.is_punct(open - 1, b'!');
        let callee = if macro_call {
            self.ident(open - 2)
        } else {
            self.ident(open.wrapping_sub(1))
        }
        .unwrap_or_default();
        if reads_a_name(callee, macro_call) && !self.facts.var_names.iter().any(|n| n == name) {
            self.facts.var_names.push(name.to_owned());
        }
    }

    /// `const SIGNING_SECRET: &str = "MY_APP_SIGNING_SECRET"`: a value shaped like a
    /// variable name, bound to a secret-named item. It is a name when the crate reads the
    /// const as one (`env::var(SIGNING_SECRET)`), the secret otherwise.
    pub(super) fn name_shaped_binding(&mut self, name: &str, v: &Value) {
        let Some(text) = v.text.as_deref() else {
            return;
        };
        if !is_env_var_name(text) || !is_secret_name(text) || text == name || !is_screaming(name) {
            return;
        }
        let msg = format!(
            "this literal is bound to the secret-named `{name}`, which nothing reads as a variable name"
        );
        self.push(Rule::SecretBinding, v, msg);
        self.facts
            .conditional
            .push((v.span.clone(), name.to_owned()));
    }
}
