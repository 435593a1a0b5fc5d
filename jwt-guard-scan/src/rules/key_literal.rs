//! `key-literal`: a fixed value given to a JWT/HMAC key constructor.

use super::sinks::{self, SINKS, When};
use super::*;
use crate::rule::RuleInfo;

pub(crate) const RULE: RuleInfo = RuleInfo {
    id: "key-literal",
    title: "hardcoded JWT secret",
    summary: "A literal is given to a JWT/HMAC key constructor.",
    fix: "load it at start-up instead: #[jwt_secret_env] or JwtSecret::from_env()",
    fires_on: "a literal given to a JWT/HMAC key constructor (`EncodingKey::from_secret`, \
`Hmac::new_from_slice`, jwt-simple, ring, josekit, ...), directly or through a \
`let`/`const`/`static`",
    details: "a fixed value given as the key argument of a sink of the table below (\"Key sinks\"): jsonwebtoken `EncodingKey`/`DecodingKey::from_secret`, `from_base64_secret`, `from_urlsafe_base64_secret` and the 1.x-6.x `encode`/`decode`, hmac `new_from_slice`/`new`/`new_varkey`, ring `hmac::Key::new`, jwt-simple, jwt-compact, josekit, biscuit, frank_jwt, jsonwebtokens, simple_jwt, jwts, and the middleware of jwt-authorizer, salvo-jwt-auth, axum-jwt-auth, actix-jwt-auth-middleware and rocket-jwt; through secret wrappers (`SecretString::from`, `Zeroizing::new`, `.expose_secret()`); a repeat array (`&[9u8; 32]`, `vec![0x5a; 48]`) and an array of integer literals or bounds (`[1, 2, 3]`, `[u8::MAX, u8::MIN]`) are constant key material; each fixed arm of an `if`/`else` or `match`; a literal given to the crate's own function whose parameter reaches a sink (`keys(\"..\")`, `Keys::new(b\"..\")`, a constructor storing it in a field read at the sink), a parameterless function returning one, `env::var(..).unwrap_or(\"..\")` of any variable at a sink, and a const of another file of the crate used at a sink (`from_secret(config::KEY)`, reported where the const is written)",
    is_secret: true,
    keywords: sinks::KEYWORDS,
    flagged: &[
        "fn k() { EncodingKey::from_secret(b\"Xq7pLm2vRt9sWk4b\"); }",
        "const K: &[u8] = b\"Xq7pLm2vRt9sWk4b\";\nfn k() { Hmac::<Sha256>::new_from_slice(K); }",
        "fn k() { HS256Key::from_bytes(b\"Xq7pLm2vRt9sWk4b\"); }",
        "fn k() { hmac::Key::new(hmac::HMAC_SHA256, b\"Xq7pLm2vRt9sWk4b\"); }",
        "fn k() { DecodingKey::from_urlsafe_base64_secret(\"WHE3cExtMnZSdDlzV2s0Yg\"); }",
        "fn keys(secret: &str) -> Keys { Keys { enc: EncodingKey::from_secret(secret.as_bytes()) } }\nfn main() { keys(\"Xq7pLm2vRt9sWk4b\"); }",
        "fn k() { EncodingKey::from_secret(&[9u8; 32]); }",
    ],
    not_flagged: &[
        "fn k(s: &[u8]) { EncodingKey::from_secret(s); }",
        "fn k() { EncodingKey::from_rsa_pem(include_bytes!(\"public.pem\")); }",
        "fn k() { Vec::new(); String::from_utf8(b\"abc\".to_vec()); }",
        "fn k() { jsonwebtoken::encode(&Header::default(), &claims, &EncodingKey::from_secret(s)); }",
        "fn keys(secret: &str) -> Keys { Keys { enc: EncodingKey::from_secret(secret.as_bytes()) } }\nfn main() { keys(&std::env::var(\"JWT_SECRET\").unwrap()); }",
        "fn k() { let mut key = [0u8; 32]; rng.fill(&mut key); EncodingKey::from_secret(&key); }",
    ],
};

impl<'a> Rules<'a> {
    /// The identifiers of the path before the method at `i`, nearest first:
    /// `hmac::Key::new` gives `Key`, `hmac`; `Hmac::<Sha256>::new` gives `Hmac`;
    /// `HS256.signer_from_bytes` gives `HS256`.
    pub(super) fn path_before(&self, i: usize) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut k = i;
        while k >= 1 && out.len() < 6 {
            if self.is_punct(k - 1, b'.') && k >= 2 {
                out.extend(self.ident(k - 2));
                break;
            }
            if !(k >= 3 && self.is_path_sep(k - 2)) {
                break;
            }
            let mut seg = k - 3;
            // `Type::<T>::method`: skip the turbofish back to its `::`.
            if self.is_punct(seg, b'>') {
                let mut depth = 0i32;
                let mut j = seg;
                while j > 0 && seg - j < 64 {
                    if self.is_punct(j, b'>') {
                        depth += 1;
                    } else if self.is_punct(j, b'<') {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    j -= 1;
                }
                if j < 3 || !self.is_path_sep(j - 2) {
                    break;
                }
                seg = j - 3;
            }
            let Some(name) = self.ident(seg) else { break };
            out.push(name);
            k = seg;
        }
        out
    }

    /// Whether the argument `(a, b)` names an identifier starting with `prefix`.
    fn names_in(&self, (a, b): (usize, usize), prefix: &str) -> bool {
        (a..b).any(|k| self.ident(k).is_some_and(|w| w.starts_with(prefix)))
    }

    /// Which argument of the call at `i` is the key, if `i` names a key sink.
    pub(super) fn key_argument(&self, i: usize) -> Option<usize> {
        let name = self.text(i);
        let open = self.skip_turbofish(i + 1);
        let path = self.path_before(i);
        let args = || self.args(open).unwrap_or_default();
        SINKS
            .iter()
            .filter(|s| s.method.as_bytes() == name)
            .find(|s| match s.when {
                When::Always => true,
                When::Type(types) => path.first().is_some_and(|t| types.contains(t)),
                When::TypeLike(prefixes, suffix) => path.first().is_some_and(|t| {
                    prefixes.iter().any(|p| t.starts_with(p)) && t.ends_with(suffix)
                }),
                When::PathHas(segment) => path.contains(&segment),
                When::ArgNames(n, prefix) => {
                    args().get(n).is_some_and(|&arg| self.names_in(arg, prefix))
                }
                When::Turbofish(prefix) => open > i + 1 && self.names_in((i + 1, open), prefix),
                When::Attribute => {
                    // `#[jwt(..)]` or `#[rocket_jwt::jwt(..)]`
                    let mut k = i;
                    while k >= 3 && self.is_path_sep(k - 2) {
                        k -= 3;
                    }
                    k >= 2 && self.is_punct(k - 1, b'[') && self.is_punct(k - 2, b'#')
                }
            })
            .map(|s| s.key)
    }

    pub(super) fn key_constructor(&mut self, i: usize) {
        let open = self.skip_turbofish(i + 1);
        if !self.is_punct(open, b'(') {
            return;
        }
        let Some(n) = self.key_argument(i) else {
            return;
        };
        let Some(&(a, b)) = self
            .args(open)
            .and_then(|args| args.get(n).copied())
            .as_ref()
        else {
            return;
        };
        // `new(&Default::default())`: a type's default (zeros, as HMAC-DRBG starts), not
        // a value written in the source; an empty literal `b""` still counts.
        match self.value_exact(a, b) {
            Some(v) if !(v.empty && v.secret.is_empty()) => {
                for v in v.arms() {
                    let msg = format!(
                        "this literal is used as an HMAC signing key{}",
                        Self::through(&v)
                    );
                    self.push(Rule::KeyLiteral, &v, msg);
                }
            }
            Some(_) => {}
            None => self.ask_for_const(a, b),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::sinks::SINKS;
    use crate::{Rule, ScanOptions, scan_source};
    use std::path::Path;

    /// Every entry of the sink table flags its example, with the key where the entry says.
    #[test]
    fn every_sink_of_the_table_flags_its_key_argument() {
        for sink in SINKS {
            for (lit, secret) in [
                ("b\"Qv8rTn3wLs6yPk1d\"", "Qv8rTn3wLs6yPk1d"),
                ("\"Mz4hGc7xJb2nVf9q\"", "Mz4hGc7xJb2nVf9q"),
            ] {
                let call = sink.example.replace("KEY", lit);
                // A file calling a crate imports it.
                let krate = sink.krate.split(' ').next().unwrap().replace('-', "_");
                let src = if call.starts_with("#[") {
                    format!("use {krate}::*;\n{call}\nfn main() {{}}")
                } else {
                    format!("use {krate}::*;\nfn main() {{\n    let _ = {call};\n}}")
                };
                let report = scan_source(
                    Path::new("src/lib.rs"),
                    src.as_bytes(),
                    &ScanOptions::default(),
                );
                let rules: Vec<Rule> = report.findings.iter().map(|f| f.rule).collect();
                assert_eq!(
                    rules,
                    [Rule::KeyLiteral],
                    "{} {}: {src}",
                    sink.krate,
                    sink.call
                );
                assert!(!report.render_human().contains(secret), "{src}");
                let f = &report.findings[0];
                let flagged: String = f
                    .masked_line
                    .chars()
                    .skip(f.highlight.start)
                    .take(f.highlight.len())
                    .collect();
                assert!(flagged.contains("****"), "{}: {flagged}", sink.call);
            }
        }
    }

    /// The same calls with a runtime value in the key position, and calls of other
    /// crates sharing the method names, stay quiet.
    #[test]
    fn sink_look_alikes_are_quiet() {
        for src in [
            "fn f() { jsonwebtoken::encode(&Header::default(), &claims, &key)?; }",
            "fn f() { base64::encode(\"hello world\"); serde_json::from_slice(b\"{}\"); }",
            "fn f() { let k = Key::new(Algorithm::Aes, b\"not-an-hmac-key\"); }",
            "fn f() { let v = Vec::<u8>::new(); let h = HashMap::new(); }",
            "fn f() { decode(&token, \"x.y.z\"); encode(&claims, \"x\", other); }",
            "fn f() { let d = DateTime::from_slice(b\"2024-01-01\"); }",
            "#[derive(Debug)]\nstruct S; fn f() { jwt(\"not-an-attribute\"); }",
            "fn f(secret: &str) { frank_jwt::encode(header, &secret.to_string(), &payload, Algorithm::HS256); }",
        ] {
            let report = scan_source(
                Path::new("src/lib.rs"),
                src.as_bytes(),
                &ScanOptions::default(),
            );
            assert!(report.findings.is_empty(), "{src}: {:#?}", report.findings);
        }
    }
}
