//! [`JwtSecret`]: the validated secret, zeroized on drop and never printed.

use std::fmt;

use zeroize::Zeroizing;

use crate::{Error, SecretPolicy};

/// A JWT signing secret that passed a [`SecretPolicy`].
///
/// The bytes live in memory that is zeroized when the value is dropped. `Debug` prints a
/// fixed placeholder (no length, no prefix); there is no `Display` (as in `secrecy`: a
/// secret is not something to show a user, so `format!("{secret}")` does not compile)
/// and no `Serialize`; the bytes are reached only through
/// [`expose_secret`](Self::expose_secret).
///
/// ```compile_fail,E0277
/// # let secret = jwt_guard::SecretPolicy::default().secret("Vq3x9LmT2pR8wZ4kN7bF1hJ6cY0sD5gQ").unwrap();
/// let shown = format!("{secret}"); // error: `JwtSecret` doesn't implement `std::fmt::Display`
/// ```
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
