//! Stand-ins for jsonwebtoken's key types, so the demo builds offline without a crypto
//! backend. The shapes of the calls are the real ones.

pub struct EncodingKey(Vec<u8>);
pub struct DecodingKey(Vec<u8>);

impl EncodingKey {
    pub fn from_secret(secret: &[u8]) -> Self {
        EncodingKey(secret.to_vec())
    }
}

impl DecodingKey {
    pub fn from_secret(secret: &[u8]) -> Self {
        DecodingKey(secret.to_vec())
    }
}

/// Not a real signature: a checksum so the demo has something to print.
pub fn encode(claims: &str, key: &EncodingKey) -> String {
    let sum: u32 = key.0.iter().chain(claims.as_bytes()).map(|&b| u32::from(b)).sum();
    format!("{claims}.{sum:x}")
}

pub fn decode(token: &str, key: &DecodingKey) -> bool {
    !key.0.is_empty() && token.contains('.')
}
