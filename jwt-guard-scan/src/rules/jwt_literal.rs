//! `jwt-literal`: a literal that is itself a JWT.

use super::*;
use crate::rule::RuleInfo;
use crate::search;

pub(crate) const RULE: RuleInfo = RuleInfo {
    id: "jwt-literal",
    title: "hardcoded JWT",
    summary: "A literal is itself a JWT.",
    fix: "do not commit signed tokens: mint them at run time",
    fires_on: "a literal that is or holds a JWT",
    details: "a string literal that is or holds a JWT: three base64url segments, the first decoding to JSON with `\"alg\"`, alone or inside a longer text (`\"Bearer eyJ..\"` in `HeaderValue::from_static`, tonic `MetadataValue::from_static`, `format!(\"Bearer {}\", \"eyJ..\")`, a curl line in a raw string); the whole literal is reported and masked",
    is_secret: true,
    keywords: &["eyJ"],
    flagged: &[
        // jwt-guard: allow(jwt-literal) the rule's own example: a sample token, made-up signature
        "const T: &str = \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVz\";",
        // jwt-guard: allow(jwt-literal) the rule's own example: a sample token, made-up signature
        "fn h() { HeaderValue::from_static(\"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVz\"); }",
    ],
    not_flagged: &[
        "const T: &str = \"eyJub3RhIjoiand0In0\";",
        "const T: &str = \"a.b.c\";",
        "fn h() { HeaderValue::from_static(\"Bearer eyJhbGciOiJIUzI1NiJ9\"); }",
    ],
};

impl<'a> Rules<'a> {
    pub(super) fn jwt_literal(&mut self, i: usize) {
        let content = literal::content_range(&self.toks[i], self.src.as_bytes());
        let raw = self.src.as_bytes().get(content.clone()).unwrap_or_default();
        if search::memmem::find(raw, b"eyJ").is_none() {
            return;
        }
        if literal::contains_jwt(&self.lit_text(i)) {
            let v = Value {
                span: self.span(i, i),
                secret: vec![content],
                text: None,
                via: None,
                empty: false,
                embedded: None,
                ..Value::default()
            };
            self.push(
                Rule::JwtLiteral,
                &v,
                "this literal is a hardcoded JWT".to_owned(),
            );
        }
    }
}
