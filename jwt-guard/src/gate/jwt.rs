//! A configured gate's jsonwebtoken keys, and signing and verifying with them (feature
//! `jsonwebtoken`). The gate's public `encode`/`decode` delegate here; this module knows
//! nothing of the gate, so the two never import each other.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{DecodingKey, EncodingKey, Header, TokenData, Validation};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Algorithm, JwtSecret};

/// A configured gate's keys, built once (jsonwebtoken zeroizes them on drop).
pub(super) struct KeyRing {
    signing: EncodingKey,
    /// The current key, then the previous one.
    verifying: Vec<DecodingKey>,
}

impl KeyRing {
    pub(super) fn new(current: &JwtSecret, previous: Option<&JwtSecret>) -> Self {
        Self {
            signing: current.encoding_key(),
            verifying: std::iter::once(current)
                .chain(previous)
                .map(JwtSecret::decoding_key)
                .collect(),
        }
    }

    /// Signs `claims` with the current key, under `algorithm`.
    pub(super) fn encode<T: Serialize>(
        &self,
        algorithm: Algorithm,
        claims: &T,
    ) -> jsonwebtoken::errors::Result<String> {
        jsonwebtoken::encode(&Header::new(algorithm.into()), claims, &self.signing)
    }

    /// Verifies `token` under `validation` with `algorithm` only, by the current key, then
    /// the previous one.
    pub(super) fn decode<T: DeserializeOwned>(
        &self,
        algorithm: Algorithm,
        token: &str,
        validation: &Validation,
    ) -> jsonwebtoken::errors::Result<TokenData<T>> {
        let mut validation = validation.clone();
        validation.algorithms = vec![algorithm.into()];
        let mut last = None;
        for key in &self.verifying {
            match jsonwebtoken::decode(token, key, &validation) {
                Ok(data) => return Ok(data),
                // Perhaps signed with the previous secret: try the next key.
                Err(error) if *error.kind() == ErrorKind::InvalidSignature => last = Some(error),
                Err(error) => return Err(error),
            }
        }
        Err(last.unwrap_or_else(|| ErrorKind::InvalidSignature.into()))
    }
}

/// The default validation: `algorithm`, `exp` required and checked.
pub(super) fn validation(algorithm: Algorithm) -> Validation {
    Validation::new(algorithm.into())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jsonwebtoken::get_current_timestamp;
    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::AuthError;
    use crate::testutil::{CURRENT, LONG, PREVIOUS, gate};

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Claims {
        sub: String,
        exp: u64,
    }

    fn claims() -> Claims {
        Claims {
            sub: "ada".into(),
            exp: get_current_timestamp() + 600,
        }
    }

    /// A token signed directly with jsonwebtoken, as another service would.
    fn signed_with(secret: &str, alg: jsonwebtoken::Algorithm) -> String {
        let key = EncodingKey::from_secret(secret.as_bytes());
        jsonwebtoken::encode(&Header::new(alg), &claims(), &key).unwrap()
    }

    fn kind(error: AuthError) -> ErrorKind {
        match error {
            AuthError::Token(error) => error.into_kind(),
            other => panic!("expected a token error, got {other}"),
        }
    }

    #[test]
    fn round_trip_for_every_algorithm() {
        for (alg, secret) in [
            (Algorithm::HS256, CURRENT),
            (Algorithm::HS384, LONG),
            (Algorithm::HS512, LONG),
        ] {
            let gate = gate(alg, &[("JWT_SECRET", secret)]);
            let token = gate.encode(&claims()).unwrap();
            let header = jsonwebtoken::decode_header(&token).unwrap();
            assert_eq!(header.alg, alg.into());
            assert_eq!(gate.decode::<Claims>(&token).unwrap().claims.sub, "ada");
        }
    }

    #[test]
    fn tokens_verify_with_a_plain_decoding_key() {
        let gate = gate(Algorithm::HS256, &[("JWT_SECRET", CURRENT)]);
        let token = gate.encode(&claims()).unwrap();
        let secret = gate.signing_secret().unwrap();
        let validation = Validation::new(jsonwebtoken::Algorithm::HS256);
        jsonwebtoken::decode::<Claims>(&token, &secret.decoding_key(), &validation).unwrap();
    }

    #[test]
    fn a_gate_without_a_secret_neither_signs_nor_verifies() {
        let gate = gate(Algorithm::HS256, &[("JWT_SECRET", "hunter2")]);
        let token = signed_with("hunter2", jsonwebtoken::Algorithm::HS256);
        assert!(matches!(
            gate.encode(&claims()),
            Err(AuthError::NotConfigured(_))
        ));
        assert!(matches!(
            gate.decode::<Claims>(&token),
            Err(AuthError::NotConfigured(_))
        ));
    }

    #[test]
    fn a_key_too_short_for_the_algorithm_is_refused() {
        // jsonwebtoken alone signs HS512 with a 44-byte key; the gate does not.
        let gate = gate(Algorithm::HS512, &[("JWT_SECRET", CURRENT)]);
        assert!(matches!(
            gate.encode(&claims()),
            Err(AuthError::NotConfigured(_))
        ));
    }

    #[test]
    fn the_algorithm_is_pinned() {
        let gate = gate(Algorithm::HS256, &[("JWT_SECRET", LONG)]);
        // Same secret, another HMAC: refused before the signature is checked.
        let hs512 = signed_with(LONG, jsonwebtoken::Algorithm::HS512);
        assert_eq!(
            kind(gate.decode::<Claims>(&hs512).unwrap_err()),
            ErrorKind::InvalidAlgorithm
        );
        // A validation asking for HS512 does not widen the gate.
        let validation = Validation::new(jsonwebtoken::Algorithm::HS512);
        let error = gate.decode_with::<Claims>(&hs512, &validation).unwrap_err();
        assert_eq!(kind(error), ErrorKind::InvalidAlgorithm);
        // alg "none", unsigned.
        let none = format!(
            "{}.{}.",
            b64(r#"{"alg":"none","typ":"JWT"}"#),
            b64(r#"{"sub":"ada","exp":9999999999}"#)
        );
        assert!(matches!(
            gate.decode::<Claims>(&none),
            Err(AuthError::Token(_))
        ));
    }

    fn b64(json: &str) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    #[test]
    fn forged_and_expired_tokens_are_refused() {
        let gate = gate(Algorithm::HS256, &[("JWT_SECRET", CURRENT)]);
        let forged = signed_with(PREVIOUS, jsonwebtoken::Algorithm::HS256);
        assert_eq!(
            kind(gate.decode::<Claims>(&forged).unwrap_err()),
            ErrorKind::InvalidSignature
        );
        let key = EncodingKey::from_secret(CURRENT.as_bytes());
        let old = Claims {
            sub: "ada".into(),
            exp: 1,
        };
        let expired = jsonwebtoken::encode(&Header::default(), &old, &key).unwrap();
        assert_eq!(
            kind(gate.decode::<Claims>(&expired).unwrap_err()),
            ErrorKind::ExpiredSignature
        );
    }

    #[test]
    fn rotation_verifies_old_tokens_and_signs_new_ones_with_the_current_secret() {
        let before = gate(Algorithm::HS256, &[("JWT_SECRET", PREVIOUS)]);
        let old_token = before.encode(&claims()).unwrap();
        let during = gate(
            Algorithm::HS256,
            &[("JWT_SECRET", CURRENT), ("JWT_SECRET_PREVIOUS", PREVIOUS)],
        );
        assert_eq!(
            during.decode::<Claims>(&old_token).unwrap().claims.sub,
            "ada"
        );
        let new_token = during.encode(&claims()).unwrap();
        // Signed with the current secret: the old secret alone does not verify it.
        assert_eq!(
            kind(before.decode::<Claims>(&new_token).unwrap_err()),
            ErrorKind::InvalidSignature
        );
        let after = gate(Algorithm::HS256, &[("JWT_SECRET", CURRENT)]);
        after.decode::<Claims>(&new_token).unwrap();
        assert_eq!(
            kind(after.decode::<Claims>(&old_token).unwrap_err()),
            ErrorKind::InvalidSignature
        );
    }
}
