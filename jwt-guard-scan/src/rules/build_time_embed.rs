//! `build-time-embed`: `env!`/`option_env!` of a secret-named variable bakes its value
//! into the binary.

use super::*;
use crate::rule::RuleInfo;

pub(crate) const RULE: RuleInfo = RuleInfo {
    id: "build-time-embed",
    title: "hardcoded JWT secret",
    summary: "env!/option_env! bakes a secret-named variable into the binary at build time.",
    fix: "read the variable at run time instead: JwtSecret::from_env()",
    fires_on: "`env!`/`option_env!` of a secret-named variable",
    details: "`env!`/`option_env!` of a secret-named variable (an `option_env!(..).unwrap_or(\"..\")` fallback is an `env-fallback` too; also inside `concat!`), `dotenv!` of one (`dotenv_codegen`, `dotenvy_macro`: they read `.env` at compile time), `include_str!`/`include_bytes!` of a secret-named file (`jwt_secret.txt`, `secret.key`, `hmac.key`), and `include_str!`/`include_bytes!` in any position above (a secret file baked into the binary)",
    is_secret: true,
    keywords: &[],
    flagged: &[
        "const S: &str = env!(\"JWT_SECRET\");",
        "fn s() -> Option<&'static str> { option_env!(\"APP_SECRET\") }",
        "fn s() -> &'static str { dotenvy_macro::dotenv!(\"JWT_SECRET\") }",
        "static K: &[u8] = include_bytes!(\"../keys/jwt_secret.bin\");",
    ],
    not_flagged: &[
        "const V: &str = env!(\"CARGO_PKG_VERSION\");",
        "fn s() -> &'static str { dotenv!(\"DATABASE_URL\") }",
        "static K: &[u8] = include_bytes!(\"../keys/public_key.pem\");",
        "fn s() -> String { std::env::var(\"JWT_SECRET\").expect(\"set JWT_SECRET\") }",
    ],
};

impl<'a> Rules<'a> {
    /// `env!("JWT_SECRET")`, `option_env!("JWT_SECRET")`.
    pub(super) fn build_time_embed(&mut self, i: usize) {
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
                ..Value::default()
            };
            let msg = format!(
                "`{macro_name}!` bakes the value of {} into the binary at build time",
                shown_name(&var)
            );
            self.push(Rule::BuildTimeEmbed, &v, msg);
            // `option_env!("JWT_SECRET").unwrap_or("..")`: the fallback is a literal too.
            if self.is_punct(i + 4, b')') {
                self.fallbacks(&var, i, i + 4);
            }
        }
    }

    /// `include_str!("jwt_secret.txt")`, `include_bytes!("../secret.key")`: a file whose
    /// name says it holds a secret, baked into the binary wherever it goes.
    pub(super) fn included_secret_file(&mut self, i: usize) {
        if !(self.is_punct(i + 1, b'!')
            && self.is_punct(i + 2, b'(')
            && self.kind(i + 3).is_some_and(Kind::is_string)
            && self.partner(i + 2) == Some(i + 4))
        {
            return;
        }
        let path = self.lit_text(i + 3);
        let file = path.rsplit(['/', '\\']).next().unwrap_or_default();
        if !is_secret_name(file) {
            return;
        }
        let macro_name = String::from_utf8_lossy(self.text(i)).into_owned();
        let v = Value {
            span: self.span(i, i + 4),
            ..Value::default()
        };
        let msg =
            format!("`{macro_name}!` bakes a secret-named file into the binary at build time");
        self.push(Rule::BuildTimeEmbed, &v, msg);
    }
}
