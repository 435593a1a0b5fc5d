//! `jwt-literal`: a literal that is itself a JWT.

use super::*;
use crate::rule::RuleInfo;

pub(crate) const RULE: RuleInfo = RuleInfo {
    id: "jwt-literal",
    title: "hardcoded JWT",
    summary: "A literal is itself a JWT.",
    fix: "do not commit signed tokens: mint them at run time",
    fires_on: "a literal that is a JWT",
    details: "a string literal that is a JWT: three base64url segments, the first decoding to JSON with `\"alg\"`",
    is_secret: true,
    keywords: &["eyJ"],
    flagged: &["const T: &str = \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVz\";"],
    not_flagged: &[
        "const T: &str = \"eyJub3RhIjoiand0In0\";",
        "const T: &str = \"a.b.c\";",
    ],
};

impl<'a> Rules<'a> {
    pub(super) fn jwt_literal(&mut self, i: usize) {
        let content = literal::content_range(&self.toks[i], self.src.as_bytes());
        if !self
            .src
            .get(content.clone())
            .is_some_and(|c| c.starts_with("eyJ"))
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
