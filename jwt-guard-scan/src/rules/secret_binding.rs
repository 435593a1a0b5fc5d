//! `secret-binding`: a fixed value bound to a secret-named binding, field, method,
//! function or string key.

use super::*;
use crate::rule::RuleInfo;

pub(crate) const RULE: RuleInfo = RuleInfo {
    id: "secret-binding",
    title: "hardcoded JWT secret",
    summary: "A literal is bound to a secret-named item, field, key or method.",
    fix: "load it at start-up instead: #[jwt_secret_env] or JwtSecret::from_env()",
    fires_on: "a literal bound to a secret-named const, static, let, field, builder method, \
parameter, map or JSON key, `Default` impl or serde default function; each value of a fixed \
map in such a slot",
    details: "a fixed value bound to a secret-named `let`/`const`/`static` (also `static ref` in `lazy_static!`, `LazyLock::new(|| ..)`, `Lazy::new`), struct field initialiser (so `impl Default`), assignment, builder or setter method call (`.jwt_secret(..)`, `.secret(..)`; not a getter such as `get_jwt_secret(NAME)`), function body (serde `fn default_jwt_secret()`), string key (`json!({\"jwt_secret\": ..})`, `insert(\"jwt_secret\", ..)`, `\"JWT_SECRET\" => ..`); a secret-named parameter of the crate's own functions, in any file of the crate (`fn new(jwt_secrets: HashMap<u64, String>)` called as `AuthConfig::new(..)`, `Self::with_secret(..)` or a free function; not getters nor std trait methods; one hop); each fixed value of a map or list of pairs in such a slot, on its own line (`HashMap::from([(1, \"..\".to_string())])`, `BTreeMap::from_iter`, `vec![(\"kid\", b\"..\")]`, `[(..)].into_iter().collect()`: the last element of each pair; a list of plain strings is not a map), and each entry added to a secret-named collection (`jwt_secrets.insert(1, \"..\")`, `signing_keys.push((\"kid\", ..))`); each fixed arm of an `if`/`else` or `match` on its own line; a repeat array (`[7u8; 32]`) only in an immutable binding (`let mut`, `static mut` and struct fields are buffers). A secret-named const whose value looks like a variable name (`const SIGNING_SECRET: &str = \"MY_APP_SIGNING_SECRET\"`) is the secret unless some call of the crate reads the const as a name (`env::var(SIGNING_SECRET)`, `config.get_string(..)`, a message macro); its own name as value (`const JWT_SECRET: &str = \"JWT_SECRET\"`) is a name. Redaction masks are not values: only mask characters (`***`, `xxxx`, `[...]`, `\u{2022}`) or `redacted`, `[hidden]`, `<masked>` (a `Debug` impl's `.field(\"signing_key\", &\"[hidden]\")`)",
    is_secret: true,
    keywords: &[],
    flagged: &[
        "const JWT_SECRET: &str = \"Xq7pLm2vRt9sWk4b\";",
        "fn c() -> Config { Config { signing_key: \"Xq7pLm2vRt9sWk4b\".into() } }",
        "fn c() { json!({\"jwt_secret\": \"Xq7pLm2vRt9sWk4b\"}); }",
        "const ENCODING_KEY: &[u8] = b\"Xq7pLm2vRt9sWk4b\";",
        "const SIGNING_SECRET: &str = \"MY_APP_SIGNING_SECRET\";",
        "struct A;\nimpl A { fn new(jwt_secrets: HashMap<u64, String>) -> A { A } }\nfn a() -> A { A::new(HashMap::from([(1, \"Xq7pLm2vRt9sWk4b\".to_string())])) }",
    ],
    not_flagged: &[
        "const JWT_SECRET_VAR: &str = \"JWT_SECRET\";",
        "const SECRET_PATH: &str = \"/run/secrets/jwt\";",
        "fn h() { let headers = HashMap::from([(\"accept\", \"application/json\"), (\"x-mode\", \"Xq7pLm2vRt9sWk4b\")]); }",
        "struct Config { jwt_secret: String }",
        "const API_KEY: &str = \"Xq7pLm2vRt9sWk4b\";",
        "const SIGNING_SECRET: &str = \"MY_APP_SIGNING_SECRET\";\nfn s() -> String { std::env::var(SIGNING_SECRET).unwrap() }",
        "fn fmt(&self, f: &mut Formatter) -> Result { f.debug_struct(\"C\").field(\"signing_key\", &\"[hidden]\").finish() }",
    ],
};

impl<'a> Rules<'a> {
    /// `let`/`const`/`static` NAME = literal, with NAME secret-named.
    pub(super) fn binding(&mut self, i: usize) {
        let mut n = i + 1;
        let mut mutable = false;
        while self.is_ident(n, "mut") || self.is_ident(n, "ref") {
            mutable |= self.is_ident(n, "mut");
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
            self.push_binding_with(name, &v, !mutable);
            if kw_is_item(self.text(i)) {
                self.name_shaped_binding(name, &v);
            }
        }
    }

    pub(super) fn push_binding(&mut self, name: &str, v: &Value) {
        self.push_binding_with(name, v, false);
    }

    /// `fixed_slot`: nothing can fill the binding later, so a repeat array is its value.
    pub(super) fn push_binding_with(&mut self, name: &str, v: &Value, fixed_slot: bool) {
        for v in v.arms() {
            if v.empty
                || (v.repeat && !fixed_slot)
                || v.text.as_deref().is_some_and(secret_named_not_a_secret)
                || v.text.as_deref().is_some_and(is_mask)
            {
                continue;
            }
            let msg = format!(
                "this literal is bound to the secret-named {}{}",
                shown_name(name),
                Self::through(&v)
            );
            self.push(Rule::SecretBinding, &v, msg);
        }
    }

    /// `fn default_jwt_secret() -> String { "..".into() }`
    pub(super) fn secret_fn(&mut self, i: usize) {
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
    pub(super) fn secret_field_or_method(&mut self, i: usize) {
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
        // `get_secret_environment_variable(NAME)`, `load_jwt_secret(path)`: a getter's
        // argument says where the secret is, not what it is.
        if is_call && is_getter(name) {
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

    /// `jwt_secrets.insert(1, "..")`, `self.signing_keys.push(("kid", b"..".to_vec()))`:
    /// an entry added to a secret-named collection; the value is the last argument (the
    /// last element of a pushed pair).
    pub(super) fn secret_collection_entry(&mut self, i: usize) {
        if !self.is_punct(i + 1, b'.')
            || !matches!(self.ident(i + 2), Some("insert" | "push"))
            || !self.is_punct(i + 3, b'(')
        {
            return;
        }
        let Some(name) = self.ident(i).filter(|n| is_secret_name(n)) else {
            return;
        };
        let Some(&(mut a, mut b)) = self.args(i + 3).as_ref().and_then(|args| args.last()) else {
            return;
        };
        if self.is_punct(a, b'(') && self.partner(a) == Some(b - 1) {
            match self.args(a).as_deref() {
                Some(&[_, pair_value]) => (a, b) = pair_value,
                _ => return,
            }
        }
        if let Some(v) = self.value_exact(a, b) {
            self.push_binding(name, &v);
        }
    }

    pub(super) fn ends_item(&self, k: usize) -> bool {
        k >= self.toks.len()
            || [b',', b';', b'}', b')', b']']
                .iter()
                .any(|&c| self.is_punct(k, c))
    }

    /// `"jwt_secret": value` (json!), `insert("jwt_secret", value)`, `"JWT_SECRET" => value`.
    pub(super) fn secret_key_literal(&mut self, i: usize) {
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
}

/// `const`/`static`: an item, named in SCREAMING_CASE, that other code reads by name.
fn kw_is_item(kw: &[u8]) -> bool {
    kw == b"const" || kw == b"static"
}

/// A function named for reading or checking something, not for setting it.
pub(super) fn is_getter(name: &str) -> bool {
    let first = name.split('_').next().unwrap_or_default();
    matches!(
        first,
        "get"
            | "read"
            | "load"
            | "fetch"
            | "lookup"
            | "find"
            | "parse"
            | "require"
            | "must"
            | "is"
            | "has"
            | "validate"
            | "check"
            | "verify"
            | "decode"
            | "resolve"
            | "try"
    )
}
