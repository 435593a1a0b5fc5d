//! Signing and verifying session tokens.

use std::env;

use crate::config::AuthConfig;
use crate::jwt::{DecodingKey, EncodingKey, decode, encode};

/// A constant secret: in every binary and in the git history, forever.
const JWT_SECRET: &str = "super-secret-dev-key";

/// Refresh tokens use their own key, kept as bytes.
static REFRESH_SIGNING_KEY: &[u8] = b"changeme-refresh-key";

pub fn issue_token(config: &AuthConfig, user: &str) -> String {
    // The key straight in the constructor: the most common shape of all.
    let key = EncodingKey::from_secret(b"dev-secret");
    let access = encode(&format!("{{\"sub\":\"{user}\"}}"), &key);

    // Through the constant above.
    let legacy = encode(user, &EncodingKey::from_secret(JWT_SECRET.as_bytes()));
    let refresh = encode(user, &EncodingKey::from_secret(REFRESH_SIGNING_KEY));
    let configured = encode(user, &EncodingKey::from_secret(config.jwt_secret.as_bytes()));
    format!("{access} {legacy} {refresh} {configured}")
}

pub fn verify(token: &str) -> bool {
    // A fallback "for local development" that ships to production when the variable is unset.
    let secret = env::var("JWT_SECRET").unwrap_or_else(|_| "dev-secret-change-me".to_string());
    decode(token, &DecodingKey::from_secret(secret.as_bytes()))
}

pub fn verify_admin(token: &str) -> bool {
    let secret = match env::var("ADMIN_JWT_SECRET") {
        Ok(value) => value,
        Err(_) => {
            eprintln!("ADMIN_JWT_SECRET is not set, using the default");
            "admin-default-secret".to_owned()
        }
    };
    // A secret split across lines does not hide it.
    let key = DecodingKey::from_secret(
        secret
            .as_bytes(),
    );
    decode(token, &key) && decode(token, &DecodingKey::from_secret("changeme".repeat(4).as_bytes()))
}

/// The secret baked in at compile time: whoever has the binary has the key.
pub fn embedded_secret() -> &'static str {
    option_env!("JWT_SECRET").unwrap_or("changeme-at-build-time")
}
