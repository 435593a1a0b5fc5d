//! Keyed hashes: the per-run fingerprint of a secret, and the salted digests of every
//! committed candidate value (the file `check-env --digests` reads).
//!
//! HMAC-SHA-256 (RFC 2104) over `sha2`, already a dependency of the runtime crate.

use std::fmt;

use sha2::{Digest, Sha256};

const BLOCK: usize = 64;

/// HMAC-SHA-256 with its key absorbed once, so each message costs two hash passes.
#[derive(Clone)]
pub(crate) struct Hmac {
    inner: Sha256,
    outer: Sha256,
}

impl fmt::Debug for Hmac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hmac(<key>)")
    }
}

impl Hmac {
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut block = [0u8; BLOCK];
        if key.len() > BLOCK {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let pad = |byte: u8| {
            let mut hasher = Sha256::new();
            hasher.update(block.map(|b| b ^ byte));
            hasher
        };
        Hmac {
            inner: pad(0x36),
            outer: pad(0x5c),
        }
    }

    /// A key of 32 bytes from the operating system's CSPRNG.
    pub(crate) fn random() -> Result<Self, String> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|error| format!("no random key: {error}"))?;
        Ok(Hmac::new(&key))
    }

    pub(crate) fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut inner = self.inner.clone();
        inner.update(message);
        let mut outer = self.outer.clone();
        outer.update(inner.finalize());
        outer.finalize().into()
    }

    /// A secret's fingerprint: stable within one run (one key), meaningless outside it.
    pub(crate) fn fingerprint(&self, secret: &[u8]) -> Fingerprint {
        let mac = self.mac(secret);
        let mut short = [0u8; 8];
        short.copy_from_slice(&mac[..8]);
        Fingerprint(short)
    }

    /// The 128-bit digest stored in a digests file.
    pub(crate) fn digest(&self, value: &[u8]) -> [u8; 16] {
        let mac = self.mac(value);
        let mut short = [0u8; 16];
        short.copy_from_slice(&mac[..16]);
        short
    }
}

/// A secret's name in one report: the first 64 bits of HMAC-SHA-256 under a key drawn
/// for the run and never stored, so equal secrets share it within the report and nobody
/// can test a guess against it afterwards (a plain hash of a weak secret could be).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Fingerprint([u8; 8]);

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.as_bytes();
    if text.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (i, pair) in text.chunks_exact(2).enumerate() {
        let pair = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

/// Bytes that can be part of a committed candidate value: printable ASCII other than
/// whitespace, quotes, brackets and list separators.
fn secret_like(byte: u8) -> bool {
    byte.is_ascii_graphic() && !b"\"'`,;()[]{}<>".contains(&byte)
}

/// The shortest candidate value: a policy-passing secret is 32 bytes or more, and a
/// weaker one of 16 is still worth catching.
pub(crate) const MIN_TOKEN: usize = 16;

/// Every candidate value of `bytes`: each maximal run of 16 or more secret-like bytes,
/// and what follows each `=` or `:` in it (`JWT_SECRET=value`, `key:value`) when that is
/// 16 or more.
pub(crate) fn tokens(bytes: &[u8], mut each: impl FnMut(&[u8])) {
    let mut start = None;
    for (i, &byte) in bytes.iter().chain(std::iter::once(&b' ')).enumerate() {
        match (secret_like(byte), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let run = &bytes[s..i];
                if run.len() >= MIN_TOKEN {
                    each(run);
                    for (j, &b) in run.iter().enumerate() {
                        if (b == b'=' || b == b':') && run.len() - j > MIN_TOKEN {
                            each(&run[j + 1..]);
                        }
                    }
                }
                start = None;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = Hmac::new(b"Jefe").mac(b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let long_key = [0xaa_u8; 131];
        let mac =
            Hmac::new(&long_key).mac(b"Test Using Larger Than Block-Size Key - Hash Key First");
        assert_eq!(
            hex(&mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn fingerprints_depend_on_the_run_key() {
        let (a, b) = (Hmac::random().unwrap(), Hmac::random().unwrap());
        assert_eq!(a.fingerprint(b"x"), a.fingerprint(b"x"));
        assert_ne!(a.fingerprint(b"x"), b.fingerprint(b"x"));
        assert_eq!(format!("{}", a.fingerprint(b"x")).len(), 16);
    }

    #[test]
    fn tokens_are_long_runs_and_assigned_values() {
        let mut found = Vec::new();
        tokens(
            b"JWT_SECRET=Zq8Wm3Vx9Tr5Yh2Nb7Lp4 short \"in-quotes-0123456789\"x",
            |t| found.push(String::from_utf8_lossy(t).into_owned()),
        );
        assert_eq!(
            found,
            [
                "JWT_SECRET=Zq8Wm3Vx9Tr5Yh2Nb7Lp4",
                "Zq8Wm3Vx9Tr5Yh2Nb7Lp4",
                "in-quotes-0123456789"
            ]
        );
        assert_eq!(unhex::<2>("0aff"), Some([0x0a, 0xff]));
        assert_eq!(unhex::<2>("0aZf"), None);
    }
}
