//! The `#[jwt_secret_env]` attribute of [jwt-guard](https://docs.rs/jwt-guard); see
//! [`jwt_secret_env`]. Use it through `jwt_guard::jwt_secret_env`: this crate is an
//! implementation detail, and its expansions call `jwt_guard::__private`.
//!
//! The pipeline: `parse` reads the arguments, `validate` checks them and the struct
//! (with `types` telling a `JwtSecret` or an `Option<T>` apart) into the intermediate
//! form of `ir`, a plan collecting every mistake; `expand` generates the functions.
#![forbid(unsafe_code)]

mod errors;
mod expand;
mod ir;
mod names;
mod parse;
mod policy_file;
mod types;
mod validate;

use proc_macro::TokenStream;

/// Generates validated loading from the environment for a configuration struct.
///
/// ```no_run
/// use jwt_guard::{JwtSecret, jwt_secret_env};
///
/// #[jwt_secret_env] // JWT_SECRET, default policy
/// #[derive(Debug)] // safe: a JwtSecret prints as `JwtSecret(<redacted>)`
/// pub struct AuthConfig {
///     pub jwt_secret: JwtSecret,
///     #[env(var = "PORT", default = "8080")]
///     pub port: u16,
/// }
///
/// let config = AuthConfig::from_env_or_exit();
/// ```
///
/// # Generated functions
///
/// - `pub fn from_env() -> Result<Self, jwt_guard::Error>` reads the process environment.
/// - `pub fn from_lookup(lookup: impl FnMut(&str) -> Option<OsString>) -> Result<Self, jwt_guard::Error>`
///   reads through `lookup` (a variable's name to its value, `None` when unset), so
///   tests need not change the process environment.
/// - `pub fn from_env_or_exit() -> Self` logs the error as a security warning, prints
///   it to stderr and exits with status 1.
///
/// Every field is loaded even after one fails: the error lists every missing,
/// unparsable or rejected variable (`Error::Several`, in field order), naming the
/// variables and the rules, never the values.
///
/// ```
/// # use jwt_guard::{JwtSecret, jwt_secret_env};
/// # use std::collections::HashMap;
/// #[jwt_secret_env]
/// struct Config {
///     jwt_secret: JwtSecret,
///     port: u16,
/// }
///
/// let vars = HashMap::from([("JWT_SECRET", "changeme"), ("PORT", "eighty")]);
/// let error = Config::from_lookup(|name| vars.get(name).map(Into::into)).err().unwrap();
/// assert_eq!(error.vars(), ["JWT_SECRET", "PORT"]);
/// assert!(error.to_string().starts_with("2 configuration problems:"));
/// ```
///
/// - `pub const JWT_ALGORITHM: Algorithm` (a single secret): the algorithm its policy
///   names, to give `AuthGate`.
///
/// # The policy file
///
/// The package's declared policy (`[package.metadata.jwt-guard]` of its `Cargo.toml`,
/// inheriting `[workspace.metadata.jwt-guard]`, or a `jwt-guard.toml` beside it; see the
/// README) is read at compile time and comes first; the arguments below may tighten it.
/// An argument asking less than the file, a secret variable the file does not list under
/// `secrets` when it lists any, and a malformed file (naming its line and key) are
/// compile errors on the attribute. The expansion `include_bytes!`es every file read, so
/// editing the policy rebuilds the crate.
///
/// # Fields
///
/// | field | variable | when unset |
/// |---|---|---|
/// | the only `JwtSecret` | `JWT_SECRET`, or the attribute's `var` | error |
/// | one of several `JwtSecret`s | its `#[jwt_secret(var = "...")]`, required | error |
/// | `T: FromStr`, `#[env(var = "...", default = "...")]` (both optional) | `var`, else the field name in `SCREAMING_SNAKE_CASE` | `default`, else error |
/// | `Option<T>`, `T: FromStr` | the same | `None` |
/// | `Option<JwtSecret>` with `#[jwt_secret(previous)]` | `{VAR}_PREVIOUS` of the single secret, under its policy | `None` |
/// | `T: FromStr` without attribute | the field name in `SCREAMING_SNAKE_CASE`: `database_url` reads `DATABASE_URL` | error |
///
/// A secret is also read from the file named by `{VAR}_FILE`, as `SecretPolicy::load`
/// does; that variable is taken too. `default` takes a string, number or bool literal.
///
/// During a rotation, `#[jwt_secret(previous)]` marks the field of the previous secret:
/// it verifies tokens issued before the rotation and signs none (hand both fields to
/// `AuthGate::from_secrets`). It takes no other argument; a rejected previous secret is
/// an error like a rejected current one.
///
/// ```
/// # use jwt_guard::{JwtSecret, jwt_secret_env};
/// #[jwt_secret_env]
/// struct AuthConfig {
///     jwt_secret: JwtSecret,
///     #[jwt_secret(previous)] // JWT_SECRET_PREVIOUS, or JWT_SECRET_PREVIOUS_FILE
///     jwt_secret_previous: Option<JwtSecret>,
/// }
/// ```
///
/// # Arguments
///
/// `#[jwt_secret_env(var = "...", min_len = 64, alg = "HS512", deny = ["acme", ...])]`,
/// all optional, each at most once:
/// - `var`: the variable of the struct's single `JwtSecret` field;
/// - `min_len`: the minimum length in bytes, an integer literal of at least 32;
/// - `alg`: `"HS256"`, `"HS384"` or `"HS512"`, raising the minimum to 32, 48 or 64 bytes
///   (RFC 7518 §3.2);
/// - `deny`: extra words no secret may contain, case-insensitively (a list, or one string).
///
/// Each secret is checked by `SecretPolicy::default()` made stricter by these. On a
/// `JwtSecret` field, `#[jwt_secret(..)]` takes the same arguments; its policy
/// arguments add to the struct's. A secret never has a `default`: a hardcoded
/// fallback secret is what jwt-guard exists to prevent.
///
/// # Compile errors
///
/// Mistakes are errors on the offending tokens, all reported in one compile: not a
/// struct with named fields, generics, an unknown, repeated, mistyped or non-literal
/// argument, `min_len` below 32 or below `alg`'s minimum, an unknown `alg`, an empty
/// `deny` word, a `default` for a secret, a variable name that is empty or holds `=`
/// or NUL, two fields reading one variable, a field named like a JWT secret
/// (`jwt_secret`, `hmac_key`, `signing_secret`, `secret`...) typed `String`, `&str` or
/// another plain text type, no `JwtSecret` field, several without their `var`, an
/// `Option<JwtSecret>`, `#[env]` on a `JwtSecret`, `#[jwt_secret]` on another field,
/// `default` on an `Option`, and `#[cfg]` on a field.
#[proc_macro_attribute]
pub fn jwt_secret_env(args: TokenStream, input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    expand::expand(args.into(), input.clone())
        .unwrap_or_else(|error| expand::fallback(error, input))
        .into()
}
