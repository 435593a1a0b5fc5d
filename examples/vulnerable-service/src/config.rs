//! Configuration, with the secret defaulted in every place a default can hide.

use std::collections::HashMap;
use std::env;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct AuthConfig {
    pub issuer: String,
    #[serde(default = "default_jwt_secret")]
    pub jwt_secret: String,
    pub token_ttl_secs: u64,
}

fn default_jwt_secret() -> String {
    "dev-secret-from-serde-default".to_string()
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            issuer: "vulnerable-service".into(),
            jwt_secret: String::from("changeme-default-impl"),
            token_ttl_secs: 3600,
        }
    }
}

impl AuthConfig {
    pub fn load() -> Self {
        // Reading the variable is right; the empty default when it is missing is not.
        let jwt_secret = env::var("JWT_SECRET").unwrap_or_default();
        if jwt_secret.is_empty() {
            return Self::from_json(r#"{"issuer": "vulnerable-service", "token_ttl_secs": 900}"#);
        }
        AuthConfig { issuer: "vulnerable-service".into(), jwt_secret, token_ttl_secs: 900 }
    }

    fn from_json(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_default()
    }

    /// A test fixture that leaked into production code.
    pub fn staging() -> Self {
        AuthConfig {
            issuer: "staging".into(),
            jwt_secret: "staging-jwt-secret-123".into(),
            token_ttl_secs: 60,
        }
    }

    /// Settings as the admin UI shows them.
    pub fn as_map(&self) -> HashMap<&'static str, String> {
        let mut map = HashMap::new();
        map.insert("issuer", self.issuer.clone());
        map.insert("jwt_secret", "dev-secret-from-map".to_string());
        map
    }

    /// The same, as JSON for the health endpoint.
    pub fn as_json(&self) -> serde_json::Value {
        serde_json::json!({
            "issuer": self.issuer,
            "jwt_secret": "dev-secret-in-json",
        })
    }
}

/// A builder a middleware crate might offer.
#[derive(Default)]
pub struct AuthLayerBuilder {
    secret: Vec<u8>,
}

impl AuthLayerBuilder {
    pub fn jwt_secret(mut self, secret: &str) -> Self {
        self.secret = secret.as_bytes().to_vec();
        self
    }

    pub fn key_len(&self) -> usize {
        self.secret.len()
    }
}

pub fn auth_layer() -> AuthLayerBuilder {
    AuthLayerBuilder::default().jwt_secret("changeme-builder-secret")
}
