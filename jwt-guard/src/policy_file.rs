//! The policy file at run time (feature `policy-file`): what `jwt-guard check-env` and
//! tests use to load a secret under exactly the policy `#[jwt_secret_env]` compiled in.
//!
//! The policy lives in the package's `Cargo.toml` (`[package.metadata.jwt-guard]`,
//! inheriting `[workspace.metadata.jwt-guard]`) or in a `jwt-guard.toml` beside it; see
//! [`PolicyFile`] for the format. A deployed service has no manifest: the macro reads it
//! at compile time, and the binary carries the policy in its code.
//!
//! ```no_run
//! use jwt_guard::policy_file::{from_path, secret_policy};
//!
//! let file = from_path("Cargo.toml".as_ref())?;
//! let (algorithm, policy) = secret_policy(&file, "JWT_SECRET");
//! let gate = jwt_guard::AuthGate::from_env_var("JWT_SECRET", algorithm, &policy);
//! # Ok::<(), jwt_guard::policy_file::PolicyFileError>(())
//! ```

pub use jwt_guard_policy::file::{
    Alg, Date, Exception, GuardRules, Location, PACKAGE_TABLE, PolicyFile, PolicyFileError,
    Problem, STANDALONE_FILE, SecretRequirement, SecretRule, WORKSPACE_TABLE,
};
pub use jwt_guard_policy_file::{discover, from_path};

use crate::{Algorithm, SecretPolicy};

/// The algorithm and policy `file` requires of the secret read from `var`: the same the
/// macro's generated loader applies (before any argument on the attribute tightens it).
pub fn secret_policy(file: &PolicyFile, var: &str) -> (Algorithm, SecretPolicy) {
    let required = file.requirement(var);
    let algorithm = algorithm(required.alg);
    let mut policy = SecretPolicy::default()
        .algorithm(algorithm)
        .min_len(required.min_len);
    for word in required.deny {
        policy = policy.deny_word(word);
    }
    (algorithm, policy)
}

/// The runtime's name for a policy file's algorithm.
pub fn algorithm(alg: Alg) -> Algorithm {
    match alg {
        Alg::HS256 => Algorithm::HS256,
        Alg::HS384 => Algorithm::HS384,
        Alg::HS512 => Algorithm::HS512,
    }
}
