//! [`JwtSecret`]: the validated secret, zeroized on drop and never printed.

use std::fmt;

use zeroize::Zeroizing;

use crate::{Error, SecretPolicy};

/// A JWT signing secret that passed a [`SecretPolicy`].
///
/// The bytes live in memory that is zeroized when the value is dropped. `Debug` and
/// `Display` print a fixed placeholder (no length, no prefix), there is no `Serialize`,
/// and the bytes are reached only through [`expose_secret`](Self::expose_secret).
#[derive(Clone)]
pub struct JwtSecret {
    bytes: Zeroizing<Box<[u8]>>,
}

impl JwtSecret {
    /// Loads `JWT_SECRET` (or the file named by `JWT_SECRET_FILE`) from the process
    /// environment under the default policy.
    pub fn from_env() -> Result<Self, Error> {
        SecretPolicy::default().from_env(crate::DEFAULT_VAR)
    }

    /// [`from_env`](Self::from_env), or: log the error, print it to stderr and exit
    /// with status 1. For `main`, when the service must not start without a secret.
    pub fn from_env_or_exit() -> Self {
        Self::from_env().unwrap_or_else(|error| error.exit())
    }

    /// The secret bytes, for handing to a key constructor. Keep the borrow short.
    pub fn expose_secret(&self) -> &[u8] {
        &self.bytes
    }

    /// Wraps bytes that a policy has already accepted.
    pub(crate) fn new_unchecked(bytes: Box<[u8]>) -> Self {
        Self {
            bytes: Zeroizing::new(bytes),
        }
    }
}

impl fmt::Debug for JwtSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JwtSecret(<redacted>)")
    }
}

impl fmt::Display for JwtSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
