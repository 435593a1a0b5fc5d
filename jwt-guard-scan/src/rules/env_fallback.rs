//! `env-fallback`: a fixed value used when a secret-named variable is missing.

use super::*;
use crate::rule::RuleInfo;

pub(crate) const RULE: RuleInfo = RuleInfo {
    id: "env-fallback",
    title: "hardcoded JWT secret",
    summary: "A literal is used when a secret-named environment variable is missing.",
    fix: "fail when the variable is missing instead of falling back: JwtSecret::from_env()",
    fires_on: "a literal (or an empty default) used when a secret-named variable is missing: \
`unwrap_or`, `unwrap_or_else`, `match ... Err(_) =>`, dotenv, clap `default_value`",
    details: "a fixed value (or an empty default) used when a secret-named variable read by `var`/`var_os` (`std::env`, `dotenv`, `dotenvy`) is missing: `.unwrap_or(..)`, `.unwrap_or_else(|_| ..)` (also a closure block that prints a warning first), `.or(..)`, `.or_else(..)`, `.map_or(..)`, `.unwrap_or_default()`, `match .. { Err(_) => .. }`, `if let Ok(s) = .. { s } else { .. }`, clap/structopt `#[arg(env = \"JWT_SECRET\", default_value = \"..\")]` and confique `#[config(env = \"..\", default = \"..\")]`; each fixed arm of an `if`/`else` or `match` fallback, a repeat array (`vec![7u8; 32]`), non-ASCII and escaped literals",
    is_secret: true,
    keywords: &[],
    flagged: &[
        "fn s() -> String { std::env::var(\"JWT_SECRET\").unwrap_or(\"Xq7pLm2vRt9sWk4b\".into()) }",
        "fn s() -> String { env::var(\"APP_SECRET\").unwrap_or_default() }",
        "fn s() -> String { match env::var(\"JWT_SECRET\") { Ok(s) => s, Err(_) => \"Xq7pLm2vRt9sWk4b\".to_owned() } }",
    ],
    not_flagged: &[
        "fn s() -> String { std::env::var(\"JWT_SECRET\").expect(\"JWT_SECRET must be set\") }",
        "fn s() -> String { std::env::var(\"PORT\").unwrap_or(\"8080\".into()) }",
    ],
};

impl<'a> Rules<'a> {
    /// `env::var("JWT_SECRET")` followed by a fallback.
    pub(super) fn env_fallback(&mut self, i: usize) {
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
    pub(super) fn fallbacks(&mut self, var: &str, start: usize, close: usize) {
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
                        ..Value::default()
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
    pub(super) fn match_fallback(&mut self, var: &str, open: usize) {
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

    pub(super) fn push_fallback(&mut self, var: &str, v: &Value) {
        for arm in v.arms() {
            self.push_fallback_arm(var, &arm);
        }
    }

    fn push_fallback_arm(&mut self, var: &str, v: &Value) {
        let text = v.text.as_deref().unwrap_or("x");
        if !v.empty && !text.is_empty() && secret_named_not_a_secret(text) {
            return;
        }
        let msg = if v.empty || text.is_empty() {
            format!(
                "an empty secret is used when {} is not set",
                shown_name(var)
            )
        } else {
            format!(
                "this literal is used when {} is not set{}",
                shown_name(var),
                Self::through(v)
            )
        };
        self.push(Rule::EnvFallback, v, msg);
    }

    /// `#[arg(env = "JWT_SECRET", default_value = "..")]` (clap, structopt) and
    /// `#[config(env = "JWT_SECRET", default = "..")]` (confique): a default for the variable.
    pub(super) fn attribute_default(&mut self, i: usize) {
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
}
