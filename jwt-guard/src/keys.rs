//! jsonwebtoken integration (feature `jsonwebtoken`): keys from a [`JwtSecret`] and the
//! algorithm in jsonwebtoken's terms. [`AuthGate::encode`](crate::AuthGate::encode) and
//! [`AuthGate::decode`](crate::AuthGate::decode), which pin the algorithm and enforce its
//! key length, live with the gate (`gate/jwt.rs`).
//!
//! jsonwebtoken 11 needs a crypto backend and panics at run time without one; jwt-guard
//! enables `rust_crypto`, pure Rust, so nothing needs cmake or a C toolchain to build
//! (`aws_lc_rs` needs both). If your dependency tree also enables `aws_lc_rs`, both are
//! on and jsonwebtoken can no longer choose: install one at start-up with
//! `jsonwebtoken::crypto::CryptoProvider::install_default`.

use jsonwebtoken::{DecodingKey, EncodingKey};

use crate::{Algorithm, JwtSecret};

impl JwtSecret {
    /// The key that signs HMAC tokens. jsonwebtoken accepts any key length: sign through
    /// an [`AuthGate`](crate::AuthGate) to have HS384/HS512's longer minimum enforced.
    pub fn encoding_key(&self) -> EncodingKey {
        EncodingKey::from_secret(self.expose_secret())
    }

    /// The key that verifies HMAC tokens.
    pub fn decoding_key(&self) -> DecodingKey {
        DecodingKey::from_secret(self.expose_secret())
    }
}

impl From<Algorithm> for jsonwebtoken::Algorithm {
    fn from(alg: Algorithm) -> Self {
        match alg {
            Algorithm::HS256 => jsonwebtoken::Algorithm::HS256,
            Algorithm::HS384 => jsonwebtoken::Algorithm::HS384,
            Algorithm::HS512 => jsonwebtoken::Algorithm::HS512,
        }
    }
}
