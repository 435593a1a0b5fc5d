//! Reads jwt-guard's policy file: `[package.metadata.jwt-guard]` in `Cargo.toml`
//! (inheriting `[workspace.metadata.jwt-guard]`), or a `jwt-guard.toml` beside it, into a
//! [`PolicyFile`] (format and rules: `jwt_guard_policy::file`). A file that does not parse,
//! an unknown key, a wrong type or an impossible value is an error naming its line.
//!
//! Its own crate so that what needs only the policy's types (the scanner) does not wait
//! for the TOML parser to compile: in a build script's cold build both compile side by side.
//! The TOML is read with `toml_parser` into a small tree of its own (`tree`), not with the
//! `toml` crate, to keep that compile short.
//!
//! Users depend on `jwt-guard`, which re-exports these as `jwt_guard::policy_file`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod find;
mod parse;
mod tree;

use std::path::Path;

use jwt_guard_policy::file::{PolicyFile, PolicyFileError};

/// The policy of the package in `dir` or the nearest directory above it holding a
/// `Cargo.toml` or a `jwt-guard.toml`, as cargo finds a manifest; the built-in policy
/// when there is none.
pub fn discover(dir: &Path) -> Result<PolicyFile, PolicyFileError> {
    find::discover(dir)
}

/// The policy declared by the manifest at `path`: a `Cargo.toml` (with its workspace)
/// or a `jwt-guard.toml`. A missing or unreadable file is an error.
pub fn from_path(path: &Path) -> Result<PolicyFile, PolicyFileError> {
    find::from_path(path)
}

#[cfg(test)]
mod tests;
