//! The `#[jwt_secret_env]` attribute of [jwt-guard](https://docs.rs/jwt-guard).
//! Use it through `jwt_guard::jwt_secret_env`; this crate is an implementation detail.
//!
//! ```ignore
//! use jwt_guard::{jwt_secret_env, JwtSecret};
//!
//! #[jwt_secret_env]                     // JWT_SECRET, default policy
//! pub struct AuthConfig {
//!     pub jwt_secret: JwtSecret,
//!     #[env(var = "PORT", default = "8080")]
//!     pub port: u16,
//! }
//!
//! let config = AuthConfig::from_env_or_exit();
//! ```
//!
//! # Generated functions
//!
//! - `pub fn from_env() -> Result<Self, jwt_guard::Error>` reads the process environment;
//! - `pub fn from_lookup(lookup: impl FnMut(&str) -> Option<OsString>) -> Result<Self, jwt_guard::Error>`
//!   reads through `lookup`, so tests need not change the environment;
//! - `pub fn from_env_or_exit() -> Self` logs the error as a security warning, prints
//!   it to stderr and exits with a non-zero status.
//!
//! Every field is loaded even after one fails: the error lists every missing,
//! unparsable or rejected variable (`Error::Several`), naming variables and rules,
//! never values.
//!
//! # Fields
//!
//! | field | variable | when unset |
//! |---|---|---|
//! | `JwtSecret`, the only one | `JWT_SECRET`, or `var` of the attribute | error |
//! | `JwtSecret`, one of several | `#[jwt_secret(var = "...")]`, required | error |
//! | `T: FromStr` with `#[env(var = "...", default = "...")]` | `var`, else the field name in `SCREAMING_SNAKE_CASE` | `default`, else error |
//! | `Option<T>`, `T: FromStr` | as above | `None` |
//! | `T: FromStr` without attribute | the field name in `SCREAMING_SNAKE_CASE` (`database_url` reads `DATABASE_URL`) | error |
//!
//! Every secret is validated by `SecretPolicy::default()` made stricter by the arguments.
//!
//! # Arguments
//!
//! `#[jwt_secret_env(var = "...", min_len = 64, alg = "HS512", deny = ["acme", ...])]`,
//! all optional:
//! - `var`: the variable of the struct's single `JwtSecret` field;
//! - `min_len`: minimum length in bytes, an integer literal of at least 32;
//! - `alg`: `"HS256"`, `"HS384"` or `"HS512"`, raising the minimum to 32, 48 or 64 bytes
//!   (RFC 7518 §3.2);
//! - `deny`: extra words no secret may contain, case-insensitively.
//!
//! `#[jwt_secret(..)]` on a `JwtSecret` field takes the same arguments; its policy
//! arguments add to the struct's. A `JwtSecret` never has a `default`: a hardcoded
//! fallback secret is what this crate exists to prevent.
//!
//! Mistakes are compile errors on the offending tokens, all reported at once: a
//! variable name that is empty or holds `=` or NUL, two fields reading one variable,
//! a JWT secret field typed `String`, `&str` or another plain text type, no
//! `JwtSecret` field, `default` on an `Option`, `#[env]` on a `JwtSecret`, and so on.
#![forbid(unsafe_code)]

mod errors;
mod expand;
mod parse;
mod validate;

use proc_macro::TokenStream;

/// Generates validated loading from the environment for a configuration struct; see the crate docs.
#[proc_macro_attribute]
pub fn jwt_secret_env(args: TokenStream, input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    expand::expand(args.into(), input.clone())
        .unwrap_or_else(|error| expand::fallback(error, input))
        .into()
}
