//! jwt-guard: refuse weak or hardcoded JWT secrets.
//!
//! - At start-up, [`JwtSecret`] and `#[jwt_secret_env]` load the secret from the
//!   environment and refuse a missing, short, patterned or publicly known one, with an
//!   error that names the variable and the rule, never the value.
//! - At run time, [`AuthGate`] signs and verifies only with a valid secret and refuses
//!   every token otherwise (degraded mode, see [`gate`]); feature `jsonwebtoken` gives it
//!   `encode`/`decode` and gives [`JwtSecret`] jsonwebtoken keys.
//! - At build time (feature `build`), [`build`] fails `cargo build` when the crate's
//!   source holds a literal that looks like a JWT secret.
//!
//! ```
//! use std::ffi::OsString;
//! use jwt_guard::{Error, SecretPolicy};
//!
//! // In `main`: `let secret = JwtSecret::from_env_or_exit();`. In tests, a lookup closure
//! // stands in for the process environment.
//! let env = |value: &'static str| move |name: &str| (name == "JWT_SECRET").then(|| OsString::from(value));
//!
//! let secret = SecretPolicy::default().load("JWT_SECRET", env("Vq3x9LmT2pR8wZ4kN7bF1hJ6cY0sD5gQ"))?;
//! assert_eq!(format!("{secret:?}"), "JwtSecret(<redacted>)");
//!
//! let error = SecretPolicy::default().load("JWT_SECRET", env("my-dev-secret")).unwrap_err();
//! assert!(error.to_string().starts_with("JWT_SECRET is rejected: too short (13 bytes, at least 32 required)"));
//! # Ok::<(), Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// The crate docs above link the runtime's items, absent from a light build guard's docs.
#![cfg_attr(not(feature = "runtime"), allow(rustdoc::broken_intra_doc_links))]

#[cfg(feature = "runtime")]
mod algorithm;
#[cfg(feature = "runtime")]
mod check;
#[cfg(feature = "runtime")]
mod error;
#[cfg(feature = "runtime")]
pub mod gate;
#[cfg(feature = "generate")]
mod generate;
#[cfg(feature = "jsonwebtoken")]
mod keys;
#[cfg(feature = "runtime")]
mod load;
#[cfg(feature = "runtime")]
mod policy;
#[cfg(feature = "policy-file")]
pub mod policy_file;
#[cfg(feature = "runtime")]
mod secret;
#[cfg(feature = "serde")]
mod serde;
#[cfg(test)]
mod testutil;

#[cfg(feature = "runtime")]
pub use check::{EnvReport, SecretReport, check_env};
#[cfg(feature = "runtime")]
pub use error::{Error, FileProblem, GENERATE_HINT};
#[cfg(feature = "runtime")]
pub use gate::{AuthError, AuthGate, NotConfigured, previous_var};
#[cfg(feature = "generate")]
pub use generate::{GenerateError, SecretFormat, UnknownFormat, generate};
#[cfg(feature = "runtime")]
pub use load::{DEFAULT_VAR, LOG_TARGET, MAX_SECRET_FILE_LEN, Warning};
#[cfg(feature = "runtime")]
pub use policy::{Algorithm, INSECURE_WORDS, Rejection, SecretPolicy, UnknownAlgorithm, Violation};
#[cfg(feature = "runtime")]
pub use secret::JwtSecret;

#[cfg(feature = "macros")]
pub use jwt_guard_macros::jwt_secret_env;

#[cfg(feature = "build")]
pub mod build;
#[cfg(feature = "build")]
mod clean_files;

#[cfg(feature = "runtime")]
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

#[cfg(feature = "tower")]
pub mod layer;
