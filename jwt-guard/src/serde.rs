//! `impl Deserialize for JwtSecret` (feature `serde`), so figment, config-rs and envy
//! users get the default policy too. Errors name the rules, never the value: serde's
//! usual "invalid value: string \"...\"" would print the secret, so every path here
//! builds its own message.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use zeroize::Zeroizing;

use crate::{GENERATE_HINT, JwtSecret, SecretPolicy};

impl<'de> Deserialize<'de> for JwtSecret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Self-describing formats (JSON, TOML, figment, config-rs) answer `deserialize_str`
        // on a number with an error that prints it: `deserialize_any` reaches our visitor.
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(SecretVisitor)
        } else {
            deserializer.deserialize_str(SecretVisitor)
        }
    }
}

struct SecretVisitor;

impl SecretVisitor {
    fn check<E: de::Error>(bytes: Vec<u8>) -> Result<JwtSecret, E> {
        SecretPolicy::default().secret(bytes).map_err(|rejection| {
            E::custom(format_args!(
                "JWT secret rejected (rules: {}): {rejection}. {GENERATE_HINT}",
                rejection.ids()
            ))
        })
    }

    /// A secret of the wrong type, named without its value.
    fn not_a_string<E: de::Error>() -> Result<JwtSecret, E> {
        Err(E::custom("a JWT secret must be a string"))
    }
}

impl Visitor<'_> for SecretVisitor {
    type Value = JwtSecret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JWT secret string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<JwtSecret, E> {
        Self::check(value.as_bytes().to_vec())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<JwtSecret, E> {
        Self::check(Zeroizing::new(value).as_bytes().to_vec())
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<JwtSecret, E> {
        Self::check(value.to_vec())
    }

    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<JwtSecret, E> {
        Self::check(value)
    }

    // serde's defaults for these print the value in the error.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<JwtSecret, E> {
        Self::not_a_string()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<JwtSecret, E> {
        Self::not_a_string()
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<JwtSecret, E> {
        Self::not_a_string()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<JwtSecret, E> {
        Self::not_a_string()
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<JwtSecret, E> {
        Self::not_a_string()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<JwtSecret, E> {
        Self::not_a_string()
    }

    fn visit_char<E: de::Error>(self, _: char) -> Result<JwtSecret, E> {
        Self::not_a_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde::Deserialize;

    use crate::JwtSecret;
    use crate::testutil::{CURRENT, leaks};

    #[derive(Debug, Deserialize)]
    struct Config {
        #[allow(dead_code)]
        jwt_secret: JwtSecret,
    }

    fn load(json: &str) -> Result<Config, serde_json::Error> {
        serde_json::from_str(json)
    }

    fn every_rendering(error: &serde_json::Error) -> [String; 2] {
        [error.to_string(), format!("{error:?}")]
    }

    #[test]
    fn a_good_secret_deserializes() {
        let config = load(&format!(r#"{{"jwt_secret": "{CURRENT}"}}"#)).unwrap();
        assert_eq!(config.jwt_secret.expose_secret(), CURRENT.as_bytes());
        let escaped = format!(r#"{{"jwt_secret": "{}\u0041"}}"#, &CURRENT[..40]);
        let config = load(&escaped).unwrap();
        assert_eq!(
            config.jwt_secret.expose_secret(),
            format!("{}A", &CURRENT[..40]).as_bytes()
        );
    }

    #[test]
    fn a_weak_secret_names_the_rules_never_the_value() {
        let weak = "Zq8Wm3Vx-changeme-Tr5Yh2Nb";
        let error = load(&format!(r#"{{"jwt_secret": "{weak}"}}"#)).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("rules: too-short, insecure-word"),
            "{message}"
        );
        assert!(message.contains("Generate one with"), "{message}");
        // The denied word itself is public; the rest of the secret must not show.
        for text in every_rendering(&error) {
            assert!(!leaks("Zq8Wm3Vx-", &text), "{text}");
            assert!(!leaks("-Tr5Yh2Nb", &text), "{text}");
        }
    }

    #[test]
    fn a_publicly_known_secret_is_rejected() {
        let known = "a-string-secret-at-least-256-bits-long";
        let error = load(&format!(r#"{{"jwt_secret": "{known}"}}"#)).unwrap_err();
        assert!(error.to_string().contains("known-public"), "{error}");
    }

    #[test]
    fn a_non_string_is_refused_without_its_value() {
        for (json, value) in [
            (r#"{"jwt_secret": 98127345}"#, "98127"),
            (r#"{"jwt_secret": 9812.7345}"#, "9812"),
            (r#"{"jwt_secret": true}"#, "true"),
        ] {
            let error = load(json).unwrap_err();
            for text in every_rendering(&error) {
                assert!(text.contains("must be a string"), "{text}");
                assert!(!text.contains(value), "{text}");
            }
        }
    }

    #[test]
    fn from_an_owned_string() {
        let value = serde_json::Value::String(CURRENT.to_owned());
        let secret = JwtSecret::deserialize(value).unwrap();
        assert_eq!(secret.expose_secret(), CURRENT.as_bytes());
        let weak = serde_json::Value::String("x".repeat(40));
        let error = JwtSecret::deserialize(weak).unwrap_err().to_string();
        assert!(error.contains("low-diversity"), "{error}");
        assert!(!error.contains("xxxxx"), "{error}");
    }
}
