//! [`generate`] (feature `generate`): a secret from the OS CSPRNG that always passes the
//! default policy, for `export JWT_SECRET=$(jwt-guard generate)`.

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use zeroize::Zeroizing;

use crate::{Algorithm, JwtSecret, SecretPolicy};

/// How the random bytes are written as text. The JWT key is that text, as it is when read
/// back from `JWT_SECRET`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecretFormat {
    /// Standard base64 with padding, as `openssl rand -base64` prints.
    #[default]
    Base64,
    /// URL-safe base64 without padding: no `+`, `/` or `=` to quote anywhere.
    Base64Url,
    /// Lower-case hexadecimal, as `openssl rand -hex` prints.
    Hex,
}

impl SecretFormat {
    /// The name on the command line: `base64`, `base64url` or `hex`.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretFormat::Base64 => "base64",
            SecretFormat::Base64Url => "base64url",
            SecretFormat::Hex => "hex",
        }
    }

    fn encode(self, bytes: &[u8]) -> Zeroizing<String> {
        Zeroizing::new(match self {
            SecretFormat::Base64 => STANDARD.encode(bytes),
            SecretFormat::Base64Url => URL_SAFE_NO_PAD.encode(bytes),
            SecretFormat::Hex => bytes.iter().map(|byte| format!("{byte:02x}")).collect(),
        })
    }
}

impl fmt::Display for SecretFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not `base64`, `base64url` or `hex`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}`: expected base64, base64url or hex")]
pub struct UnknownFormat(String);

impl FromStr for SecretFormat {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "base64" => Ok(SecretFormat::Base64),
            "base64url" => Ok(SecretFormat::Base64Url),
            "hex" => Ok(SecretFormat::Hex),
            other => Err(UnknownFormat(other.to_owned())),
        }
    }
}

/// Why no secret could be generated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// The OS random number generator failed.
    #[error("the OS random number generator failed: {0}")]
    Random(getrandom::Error),
    /// Every candidate was rejected: random bytes are not behaving randomly.
    #[error(
        "{ATTEMPTS} random secrets in a row were rejected; the OS random number generator looks broken"
    )]
    Exhausted,
}

/// Candidates tried before giving up. 0.27 % (HS256) to 0.51 % (HS512) of base64
/// candidates contain a denied word, next to none in hex (measured over 200,000 each);
/// 32 rejections in a row means the generator is broken, not unlucky.
const ATTEMPTS: usize = 32;

/// A new secret for `alg`: as many random bytes as its hash output (32, 48 or 64, the
/// full strength of the algorithm), encoded in `format`. Candidates containing a denied
/// word (1 in 200 to 1 in 370 in base64) are drawn again, so the result always passes the default policy
/// for `alg`.
pub fn generate(alg: Algorithm, format: SecretFormat) -> Result<JwtSecret, GenerateError> {
    let policy = SecretPolicy::for_algorithm(alg);
    let mut bytes = Zeroizing::new(vec![0u8; alg.min_key_len()]);
    for _ in 0..ATTEMPTS {
        getrandom::fill(&mut bytes).map_err(GenerateError::Random)?;
        let text = format.encode(&bytes);
        if let Ok(secret) = policy.secret(text.as_bytes()) {
            return Ok(secret);
        }
    }
    Err(GenerateError::Exhausted)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const FORMATS: [SecretFormat; 3] = [
        SecretFormat::Base64,
        SecretFormat::Base64Url,
        SecretFormat::Hex,
    ];
    const ALGORITHMS: [Algorithm; 3] = [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];

    fn text(secret: &JwtSecret) -> &str {
        std::str::from_utf8(secret.expose_secret()).unwrap()
    }

    #[test]
    fn every_secret_passes_the_policy_of_its_algorithm() {
        for alg in ALGORITHMS {
            for format in FORMATS {
                for _ in 0..200 {
                    let secret = generate(alg, format).unwrap();
                    SecretPolicy::for_algorithm(alg)
                        .check(secret.expose_secret())
                        .unwrap();
                }
            }
        }
    }

    #[test]
    fn lengths_carry_the_full_strength_of_the_algorithm() {
        // (alg, base64, base64url, hex) lengths for 32, 48 and 64 random bytes.
        for (alg, lens) in [
            (Algorithm::HS256, [44, 43, 64]),
            (Algorithm::HS384, [64, 64, 96]),
            (Algorithm::HS512, [88, 86, 128]),
        ] {
            for (format, len) in FORMATS.into_iter().zip(lens) {
                assert_eq!(generate(alg, format).unwrap().expose_secret().len(), len);
            }
        }
    }

    #[test]
    fn each_format_uses_its_alphabet() {
        let hex = generate(Algorithm::HS256, SecretFormat::Hex).unwrap();
        assert!(
            text(&hex)
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        let url = generate(Algorithm::HS256, SecretFormat::Base64Url).unwrap();
        assert!(
            text(&url)
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        let std = generate(Algorithm::HS256, SecretFormat::Base64).unwrap();
        STANDARD.decode(text(&std)).unwrap();
    }

    #[test]
    fn two_secrets_differ() {
        let a = generate(Algorithm::HS256, SecretFormat::Base64).unwrap();
        let b = generate(Algorithm::HS256, SecretFormat::Base64).unwrap();
        assert_ne!(a.expose_secret(), b.expose_secret());
    }

    #[test]
    fn formats_parse_by_name() {
        for format in FORMATS {
            assert_eq!(format.as_str().parse::<SecretFormat>().unwrap(), format);
        }
        let error = "base32".parse::<SecretFormat>().unwrap_err().to_string();
        assert_eq!(
            error,
            "unknown format `base32`: expected base64, base64url or hex"
        );
    }
}
