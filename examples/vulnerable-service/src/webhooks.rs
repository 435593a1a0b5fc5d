//! Signing outgoing webhooks with an HMAC key.

/// The key as a byte array: still a literal, still in the binary ("dev-hmac").
const WEBHOOK_SECRET: [u8; 8] = [0x64, 0x65, 0x76, 0x2d, 0x68, 0x6d, 0x61, 0x63];

/// Where the real key should come from (a path, not a secret: not flagged).
pub const WEBHOOK_SECRET_FILE: &str = "/run/secrets/webhook";

pub fn sign(body: &[u8]) -> u64 {
    WEBHOOK_SECRET.iter().chain(body).fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
    })
}
