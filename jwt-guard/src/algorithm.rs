//! The HMAC algorithms and their minimum key sizes.

use std::fmt;
use std::str::FromStr;

/// An HMAC JWT algorithm. Its key must be at least as long as its hash output
/// (RFC 7518 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// HMAC with SHA-256: keys of 32 bytes or more.
    HS256,
    /// HMAC with SHA-384: keys of 48 bytes or more.
    HS384,
    /// HMAC with SHA-512: keys of 64 bytes or more.
    HS512,
}

impl Algorithm {
    /// The minimum key length in bytes.
    pub fn min_key_len(self) -> usize {
        match self {
            Algorithm::HS256 => 32,
            Algorithm::HS384 => 48,
            Algorithm::HS512 => 64,
        }
    }

    /// The JOSE name: `HS256`, `HS384` or `HS512`.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not `HS256`, `HS384` or `HS512`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown algorithm `{0}`: expected HS256, HS384 or HS512")]
pub struct UnknownAlgorithm(String);

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "HS256" => Ok(Algorithm::HS256),
            "HS384" => Ok(Algorithm::HS384),
            "HS512" => Ok(Algorithm::HS512),
            other => Err(UnknownAlgorithm(other.to_owned())),
        }
    }
}
