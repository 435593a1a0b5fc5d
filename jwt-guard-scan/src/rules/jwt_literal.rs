//! `jwt-literal`: a literal that is itself a JWT.

use super::*;

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
