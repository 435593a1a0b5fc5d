//! Configuration text inside a Rust string literal (`r#"{"jwt_secret": ".."}"#`,
//! `"jwt_secret = '..'"`): read by the configuration readers
//! ([`crate::config::secrets_in_text`]) and reported as `config-secret` on the value's
//! own line.

use super::*;

impl<'a> Rules<'a> {
    pub(super) fn config_text(&mut self, i: usize) {
        let content = literal::content_range(&self.toks[i], self.src.as_bytes());
        let raw = self.src.as_bytes().get(content.clone()).unwrap_or_default();
        // Cheap test first: a key and a value need a separator and some length.
        if raw.len() < 12 || !raw.iter().any(|&b| b == b':' || b == b'=') {
            return;
        }
        let text = self.lit_text(i);
        // A JWT in the text is the `jwt-literal` rule's.
        if literal::contains_jwt(&text) {
            return;
        }
        // Where the text is the source's bytes (a raw string, or no escapes), each value
        // is pointed at on its own line; otherwise the literal is.
        let same_bytes = raw == text.as_bytes();
        for c in crate::config::secrets_in_text(&text) {
            let shift = |r: &Range<usize>| content.start + r.start..content.start + r.end;
            // The value itself where it can be found in the source (what a history
            // fingerprint groups by), else the whole literal.
            let (span, secret) = if same_bytes {
                (shift(&c.span), c.secret.iter().map(shift).collect())
            } else {
                (self.span(i, i), vec![content.clone()])
            };
            self.out.push(Candidate {
                rule: Rule::ConfigSecret,
                span,
                secret,
                message: c.message,
            });
        }
    }
}
