//! `key-literal`: a fixed value given to a JWT/HMAC key constructor.

use super::*;

impl<'a> Rules<'a> {
    /// Which argument of the call at `i` is the key, if `i` names a key constructor.
    pub(super) fn key_argument(&self, i: usize) -> Option<usize> {
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

    pub(super) fn key_constructor(&mut self, i: usize) {
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
}
