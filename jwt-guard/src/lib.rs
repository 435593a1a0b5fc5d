//! jwt-guard: refuse weak or hardcoded JWT secrets.
#![forbid(unsafe_code)]

pub use jwt_guard_macros::jwt_secret_env;

#[cfg(feature = "build")]
pub mod build;
