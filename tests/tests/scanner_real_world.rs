//! The scanner on one realistic service file that mixes hardcoded secrets with the code
//! around them that must stay quiet: every finding is expected, by rule and line.
#![allow(clippy::unwrap_used)]

use jwt_guard_scan::{Rule, ScanOptions, scan_source};
use std::path::Path;

const APP: &str = r####"//! A small service. Docs mention JWT_SECRET and `from_secret(b"in-docs")` harmlessly.
use jsonwebtoken::{DecodingKey, EncodingKey, Header};
use std::env;

const JWT_SECRET_VAR: &str = "JWT_SECRET";
const AUTH_HEADER: &str = "Authorization";
const SECRET_PATH: &str = "/run/secrets/jwt";
pub const DEFAULT_SIGNING_KEY: &str = "insecure-default-key-123";

lazy_static::lazy_static! {
    static ref SESSION_SECRET: String = "lazy-session-secret".to_string();
}

#[derive(serde::Deserialize)]
pub struct Config {
    pub port: u16,
    pub jwt_secret: String,
    #[serde(default = "default_jwt_secret")]
    pub refresh_secret: String,
}

fn default_jwt_secret() -> String {
    "serde-default-secret".into()
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 8080,
            jwt_secret: String::from("struct-default-secret"),
            refresh_secret: default_jwt_secret(),
        }
    }
}

pub fn load() -> Config {
    let secret = env::var(JWT_SECRET_VAR).unwrap_or_else(|_| {
        log::warn!("JWT_SECRET is not set, using a development secret");
        "fallback-dev-secret".to_owned()
    });
    let refresh = match env::var("REFRESH_SECRET") {
        Ok(v) => v,
        Err(_) => String::new(),
    };
    let port = env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);
    Config { port, jwt_secret: secret, refresh_secret: refresh }
}

pub fn keys(config: &Config) -> (EncodingKey, DecodingKey) {
    let key_id = "550e8400-e29b-41d4-a716-446655440000";
    let _ = (key_id, AUTH_HEADER, SECRET_PATH);
    let enc = EncodingKey::from_secret(config.jwt_secret.as_bytes());
    let dec = DecodingKey::from_secret(DEFAULT_SIGNING_KEY.as_bytes());
    (enc, dec)
}

pub fn legacy() -> EncodingKey {
    EncodingKey::from_secret(
        &[0x6c, 0x65, 0x67, 0x61, 0x63, 0x79],
    )
}

pub fn claims() -> serde_json::Value {
    serde_json::json!({
        "sub": "user-1",
        "jwt_secret": "json-body-secret",
        "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    })
}

pub fn fixture_key() -> EncodingKey {
    // jwt-guard: allow(key-literal) RFC 7515 appendix A.1 test vector, public
    EncodingKey::from_secret(b"rfc-7515-public-vector")
}

pub fn baked() -> &'static str {
    env!("APP_SECRET")
}

#[cfg(test)]
mod tests {
    const JWT_SECRET: &str = "test-only-secret";
}
"####;

/// The values hardcoded above, none of which may appear in any output.
const SECRETS: &[&str] = &[
    "insecure-default-key-123",
    "lazy-session-secret",
    "serde-default-secret",
    "struct-default-secret",
    "fallback-dev-secret",
    "json-body-secret",
    "c2lnbmF0dXJl",
];

#[test]
fn every_hardcoded_secret_is_found_and_nothing_else() {
    let report = scan_source(
        Path::new("src/app.rs"),
        APP.as_bytes(),
        &ScanOptions::default(),
    );
    let got: Vec<(Rule, usize)> = report.findings.iter().map(|f| (f.rule, f.line)).collect();
    let want = vec![
        (Rule::KeyLiteral, 8), // DEFAULT_SIGNING_KEY, used by DecodingKey::from_secret
        (Rule::SecretBinding, 11), // lazy_static SESSION_SECRET
        (Rule::SecretBinding, 23), // serde default function
        (Rule::SecretBinding, 30), // impl Default struct initialiser
        (Rule::EnvFallback, 39), // unwrap_or_else with a warning first
        (Rule::EnvFallback, 43), // Err(_) => String::new(): an empty fallback
        (Rule::KeyLiteral, 59), // byte array key across lines
        (Rule::SecretBinding, 66), // json! key
        (Rule::JwtLiteral, 67), // a signed token
        (Rule::BuildTimeEmbed, 77),
    ];
    assert_eq!(got, want, "{}", report.render_human());
    assert_eq!(report.suppressed, 1);
    assert!(report.warnings.is_empty());

    let mut outputs = vec![report.render_human(), format!("{report:?}")];
    outputs.extend(report.findings.iter().map(|f| f.render()));
    for secret in SECRETS {
        for out in &outputs {
            assert!(!out.contains(secret), "{secret} leaked:\n{out}");
        }
    }
}

#[test]
fn test_code_is_in_scope_on_request() {
    let options = ScanOptions::default().include_tests(true);
    let report = scan_source(Path::new("src/app.rs"), APP.as_bytes(), &options);
    let last = report.findings.last().unwrap();
    assert_eq!((last.rule, last.line), (Rule::SecretBinding, 82));
}
