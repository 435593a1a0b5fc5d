//! [`AuthGate`]: signs and verifies only with a valid secret, and otherwise refuses every
//! request with [`NotConfigured`] instead of falling back to anything.
//!
//! # Strict or degraded
//!
//! A service can meet a missing or rejected secret in two ways, and the constructors'
//! names say which, as everywhere in the crate: a plain `load`, `from_env`,
//! `from_env_var`, `from_lookup` or `from_secrets` is strict and returns a `Result`; a
//! name with `degraded` never fails; `_or_exit` exits.
//!
//! - **Strict: refuse to start.** Load with [`AuthGate::load`], [`AuthGate::from_env`],
//!   [`JwtSecret::from_env`], [`SecretPolicy::from_env`] or `#[jwt_secret_env]` and exit
//!   on the error. The deploy fails loudly (crash loop, failed unit, red rollout) and
//!   nothing ever runs with a bad secret. Use it by default, and wherever an orchestrator
//!   keeps the old version serving until the new one is healthy (Kubernetes rolling
//!   updates, blue/green).
//! - **Degraded: start, but authenticate nobody.** [`AuthGate::load_degraded`],
//!   [`AuthGate::degraded_from_env`] and [`AuthGate::degraded_from_secrets`] never fail
//!   (nor does [`AuthGate::degraded`], given the error of a strict load): with a bad
//!   secret the gate logs a security warning (target [`LOG_TARGET`]) and answers every
//!   [`encode`](AuthGate::encode), [`decode`](AuthGate::decode) and
//!   [`signing_secret`](AuthGate::signing_secret) with [`AuthError::NotConfigured`] (map
//!   it to 503) until the process is restarted with a valid secret. Use it when the
//!   service has work that needs no authentication (health checks, public pages, a queue
//!   consumer) and being down costs more than being locked: the public part keeps
//!   running, the authenticated part fails closed.
//!
//! Both paths run the same loading and the same [`SecretPolicy`]; neither ever signs with
//! a fallback.
//!
//! # Rotation
//!
//! Besides `JWT_SECRET` the gate reads `JWT_SECRET_PREVIOUS` (for any variable `VAR`:
//! [`previous_var`]`(VAR)`, also as `VAR_PREVIOUS_FILE` or a systemd credential of that
//! name; with `#[jwt_secret_env]`, a `#[jwt_secret(previous)] Option<JwtSecret>` field
//! for [`AuthGate::from_secrets`]). The previous secret verifies tokens and never signs
//! one; it must pass the same policy, and a rejected one is treated like a rejected
//! current one (an error, or a gate left not configured). To rotate:
//!
//! 1. generate a new secret (`jwt-guard generate`);
//! 2. set `JWT_SECRET_PREVIOUS` to the old value and `JWT_SECRET` to the new one;
//! 3. restart every instance: new tokens are signed with the new secret, tokens already
//!    issued still verify;
//! 4. wait for the longest token lifetime (the largest `exp - iat` you issue);
//! 5. unset `JWT_SECRET_PREVIOUS` and restart again: the old secret is gone for good.
//!
//! After a leak, skip the waiting: set only the new secret and restart, so every token
//! signed with the leaked one stops verifying at once.

#[cfg(feature = "jsonwebtoken")]
mod jwt;

use std::ffi::OsString;
use std::fmt;

use crate::policy::Violation;
use crate::{Algorithm, Error, JwtSecret, LOG_TARGET, SecretPolicy};

/// The variable of the previous secret during a rotation: `{var}_PREVIOUS`.
pub fn previous_var(var: &str) -> String {
    format!("{var}_PREVIOUS")
}

/// Signs and verifies JWTs when its secret is valid; refuses everything when it is not.
///
/// See the [module documentation](self) for strict versus degraded mode and rotation.
pub struct AuthGate {
    algorithm: Algorithm,
    state: Result<SecretKeys, NotConfigured>,
}

/// The secrets of a configured gate, and (with `jsonwebtoken`) their keys, built once.
/// Sensitive: never printed (the gate's `Debug` shows only whether a previous one is set).
struct SecretKeys {
    current: JwtSecret,
    previous: Option<JwtSecret>,
    #[cfg(feature = "jsonwebtoken")]
    ring: jwt::KeyRing,
}

/// Constructors follow one rule, as every loader of the crate does: a plain name
/// (`from_env`, `from_env_var`, `load`, `from_secrets`) is strict and returns the error;
/// a name with `degraded` never fails and gives a gate that refuses everything instead.
impl AuthGate {
    /// `JWT_SECRET` (and `JWT_SECRET_PREVIOUS`) from the process environment, for HS256,
    /// under the default policy. Strict: the error to refuse to start with.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_var(
            crate::DEFAULT_VAR,
            Algorithm::HS256,
            &SecretPolicy::default(),
        )
    }

    /// `var` (and [`previous_var`]`(var)`) from the process environment. Strict.
    pub fn from_env_var(
        var: &str,
        algorithm: Algorithm,
        policy: &SecretPolicy,
    ) -> Result<Self, Error> {
        Self::load(var, algorithm, policy, |name| std::env::var_os(name))
    }

    /// `var`, or its `_FILE`, and the optional previous secret, through `lookup`. The
    /// policy is raised to the key length `algorithm` needs. Strict: the error (every
    /// problem of both secrets) instead of a gate that refuses everything.
    pub fn load(
        var: &str,
        algorithm: Algorithm,
        policy: &SecretPolicy,
        mut lookup: impl FnMut(&str) -> Option<OsString>,
    ) -> Result<Self, Error> {
        let policy = policy.clone().algorithm(algorithm);
        let current = policy.load(var, &mut lookup);
        let previous = policy.load_optional(&previous_var(var), &mut lookup);
        match (current, previous) {
            // The policy already required the algorithm's key length.
            (Ok(current), Ok(previous)) => Ok(Self::with_secrets(algorithm, current, previous)),
            (Err(error), Ok(_)) | (Ok(_), Err(error)) => Err(error),
            (Err(current), Err(previous)) => Err(Error::Several(vec![current, previous])),
        }
    }

    /// A gate over secrets loaded elsewhere (a `#[jwt_secret_env]` config). Strict: a
    /// secret too short for `algorithm` is the error.
    pub fn from_secrets(
        algorithm: Algorithm,
        current: JwtSecret,
        previous: Option<JwtSecret>,
    ) -> Result<Self, NotConfigured> {
        let min = algorithm.min_key_len();
        for (role, secret) in [("current", Some(&current)), ("previous", previous.as_ref())] {
            let len = secret.map_or(min, |secret| secret.expose_secret().len());
            if len < min {
                let rule = Violation::TooShort { len, min };
                let reason = format!(
                    "the {role} JWT secret is rejected for {algorithm}: {rule} [{}]. {}",
                    rule.id(),
                    crate::GENERATE_HINT
                );
                return Err(NotConfigured { reason });
            }
        }
        Ok(Self::with_secrets(algorithm, current, previous))
    }

    /// [`from_env`](Self::from_env), degraded: never fails; a bad secret gives a gate that
    /// refuses everything.
    pub fn degraded_from_env() -> Self {
        Self::degraded_from_env_var(
            crate::DEFAULT_VAR,
            Algorithm::HS256,
            &SecretPolicy::default(),
        )
    }

    /// [`from_env_var`](Self::from_env_var), degraded.
    pub fn degraded_from_env_var(var: &str, algorithm: Algorithm, policy: &SecretPolicy) -> Self {
        Self::load_degraded(var, algorithm, policy, |name| std::env::var_os(name))
    }

    /// [`load`](Self::load), degraded: a bad secret gives a gate that refuses everything.
    pub fn load_degraded(
        var: &str,
        algorithm: Algorithm,
        policy: &SecretPolicy,
        lookup: impl FnMut(&str) -> Option<OsString>,
    ) -> Self {
        Self::load(var, algorithm, policy, lookup)
            .unwrap_or_else(|error| Self::degraded(algorithm, &error))
    }

    /// [`from_secrets`](Self::from_secrets), degraded: a secret too short for `algorithm`
    /// leaves the gate not configured.
    pub fn degraded_from_secrets(
        algorithm: Algorithm,
        current: JwtSecret,
        previous: Option<JwtSecret>,
    ) -> Self {
        Self::from_secrets(algorithm, current, previous)
            .unwrap_or_else(|not_configured| Self::refusing(algorithm, not_configured.reason))
    }

    /// A gate that refuses everything because the secret could not be loaded: the
    /// degraded answer to the error of a strict load.
    pub fn degraded(algorithm: Algorithm, error: &Error) -> Self {
        Self::refusing(algorithm, error.with_causes())
    }

    /// A configured gate over secrets long enough for `algorithm`.
    fn with_secrets(algorithm: Algorithm, current: JwtSecret, previous: Option<JwtSecret>) -> Self {
        if previous.is_some() {
            log::info!(
                target: LOG_TARGET,
                "rotation: the previous JWT secret verifies tokens until it is removed; it signs none"
            );
        }
        Self {
            algorithm,
            state: Ok(SecretKeys {
                #[cfg(feature = "jsonwebtoken")]
                ring: jwt::KeyRing::new(&current, previous.as_ref()),
                current,
                previous,
            }),
        }
    }

    fn refusing(algorithm: Algorithm, reason: String) -> Self {
        log::warn!(
            target: LOG_TARGET,
            "authentication is disabled: {reason}. Every token will be refused until the \
             service restarts with a valid secret"
        );
        Self {
            algorithm,
            state: Err(NotConfigured { reason }),
        }
    }

    /// The algorithm every token is signed and verified with.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Whether the gate can sign and verify.
    pub fn is_configured(&self) -> bool {
        self.state.is_ok()
    }

    /// The secret to sign with, never the previous one.
    pub fn signing_secret(&self) -> Result<&JwtSecret, NotConfigured> {
        self.secret_keys().map(|keys| &keys.current)
    }

    /// The secrets that verify a token: the current one, then the previous one.
    pub fn verification_secrets(&self) -> Result<Vec<&JwtSecret>, NotConfigured> {
        self.secret_keys().map(|keys| {
            std::iter::once(&keys.current)
                .chain(&keys.previous)
                .collect()
        })
    }

    fn secret_keys(&self) -> Result<&SecretKeys, NotConfigured> {
        self.state.as_ref().map_err(Clone::clone)
    }
}

/// Signing and verifying (feature `jsonwebtoken`): the algorithm is the gate's, and the
/// keys exist only when the secrets passed the policy and the algorithm's key length.
#[cfg(feature = "jsonwebtoken")]
impl AuthGate {
    /// Signs `claims` with the current secret, under the gate's algorithm.
    pub fn encode<T: serde::Serialize>(&self, claims: &T) -> Result<String, AuthError> {
        let keys = self.secret_keys()?;
        Ok(keys.ring.encode(self.algorithm, claims)?)
    }

    /// Verifies `token` under [`validation`](Self::validation): the gate's algorithm only,
    /// a valid signature by the current or previous secret, and an unexpired `exp`.
    pub fn decode<T: serde::de::DeserializeOwned>(
        &self,
        token: &str,
    ) -> Result<jsonwebtoken::TokenData<T>, AuthError> {
        self.decode_with(token, &self.validation())
    }

    /// Verifies `token` under `validation` (audience, issuer, leeway...). Its algorithm list
    /// is replaced by the gate's algorithm: a token may not choose how it is checked.
    pub fn decode_with<T: serde::de::DeserializeOwned>(
        &self,
        token: &str,
        validation: &jsonwebtoken::Validation,
    ) -> Result<jsonwebtoken::TokenData<T>, AuthError> {
        let keys = self.secret_keys()?;
        Ok(keys.ring.decode(self.algorithm, token, validation)?)
    }

    /// The default validation: the gate's algorithm, `exp` required and checked.
    pub fn validation(&self) -> jsonwebtoken::Validation {
        jwt::validation(self.algorithm)
    }
}

impl fmt::Debug for AuthGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("AuthGate");
        debug.field("algorithm", &self.algorithm);
        match &self.state {
            Ok(keys) => debug.field("previous", &keys.previous.is_some()),
            Err(not_configured) => debug.field("not_configured", &not_configured.reason),
        };
        debug.finish_non_exhaustive()
    }
}

/// The gate has no valid secret: a degraded gate answers this to everything until the
/// service restarts with one, and [`AuthGate::from_secrets`] returns it. The reason names
/// the variable (or the secret's role) and the rules, never the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("authentication is not configured: {reason}")]
pub struct NotConfigured {
    reason: String,
}

impl NotConfigured {
    /// Why the secret could not be loaded.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Why a gate refused to sign or verify.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The gate has no valid secret (a server problem: answer 503).
    #[error(transparent)]
    NotConfigured(#[from] NotConfigured),
    /// The token is malformed, forged, expired or uses another algorithm (answer 401).
    #[cfg(feature = "jsonwebtoken")]
    #[error("invalid token: {0}")]
    Token(#[from] jsonwebtoken::errors::Error),
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::testutil::{CURRENT, LONG, PREVIOUS, capture_logs, env, gate, leaks, logged};

    /// Long enough, but a password with a pattern: rejected as low-diversity.
    const WEAK: &str = "abcabcabcabcabcabcabcabcabcabcabcabc";

    fn not_configured(gate: &AuthGate) -> NotConfigured {
        gate.signing_secret().unwrap_err()
    }

    #[test]
    fn a_valid_secret_signs_and_verifies() {
        let gate = gate(Algorithm::HS256, &[("JWT_SECRET", CURRENT)]);
        assert!(gate.is_configured());
        assert_eq!(
            gate.signing_secret().unwrap().expose_secret(),
            CURRENT.as_bytes()
        );
        let verifying = gate.verification_secrets().unwrap();
        assert_eq!(verifying.len(), 1);
        assert_eq!(verifying[0].expose_secret(), CURRENT.as_bytes());
    }

    #[test]
    fn strict_loading_returns_the_error_instead() {
        let vars = [("JWT_SECRET", CURRENT), ("JWT_SECRET_PREVIOUS", WEAK)];
        let policy = SecretPolicy::default();
        let error =
            AuthGate::load("JWT_SECRET", Algorithm::HS256, &policy, env(&vars)).unwrap_err();
        assert!(matches!(&error, Error::Rejected { var, .. } if var == "JWT_SECRET_PREVIOUS"));
        let gate = AuthGate::load("JWT_SECRET", Algorithm::HS256, &policy, env(&vars[..1]));
        assert!(gate.unwrap().is_configured());
    }

    #[test]
    fn a_missing_secret_refuses_everything() {
        let gate = gate(Algorithm::HS256, &[]);
        assert!(!gate.is_configured());
        let error = not_configured(&gate);
        assert!(error.reason().contains("JWT_SECRET is not set"), "{error}");
        assert_eq!(gate.verification_secrets().unwrap_err(), error);
    }

    #[test]
    fn a_rejected_secret_refuses_everything_and_never_shows_it() {
        let gate = gate(Algorithm::HS256, &[("JWT_SECRET", WEAK)]);
        let error = not_configured(&gate);
        assert!(
            error.to_string().contains("JWT_SECRET is rejected"),
            "{error}"
        );
        assert!(error.reason().contains("too predictable"), "{error}");
        for text in [error.to_string(), format!("{error:?}"), format!("{gate:?}")] {
            assert!(!leaks(WEAK, &text), "{text}");
        }
    }

    #[test]
    fn construction_logs_a_security_warning() {
        capture_logs();
        let _gate = AuthGate::load_degraded(
            "GATE_LOG_PROBE",
            Algorithm::HS256,
            &SecretPolicy::default(),
            env(&[("GATE_LOG_PROBE", WEAK)]),
        );
        let lines = logged("GATE_LOG_PROBE");
        let warning = lines
            .iter()
            .find(|line| line.contains("authentication is disabled"))
            .unwrap_or_else(|| panic!("no gate warning in {lines:?}"));
        assert!(warning.starts_with("WARN jwt_guard::security"), "{warning}");
        assert!(lines.iter().all(|line| !leaks(WEAK, line)), "{lines:?}");
    }

    #[test]
    fn the_previous_secret_verifies_but_never_signs() {
        let gate = gate(
            Algorithm::HS256,
            &[("JWT_SECRET", CURRENT), ("JWT_SECRET_PREVIOUS", PREVIOUS)],
        );
        assert_eq!(
            gate.signing_secret().unwrap().expose_secret(),
            CURRENT.as_bytes()
        );
        let verifying: Vec<&[u8]> = gate
            .verification_secrets()
            .unwrap()
            .into_iter()
            .map(JwtSecret::expose_secret)
            .collect();
        assert_eq!(verifying, [CURRENT.as_bytes(), PREVIOUS.as_bytes()]);
    }

    #[test]
    fn a_rejected_previous_secret_is_a_configuration_error() {
        let gate = gate(
            Algorithm::HS256,
            &[("JWT_SECRET", CURRENT), ("JWT_SECRET_PREVIOUS", WEAK)],
        );
        let error = not_configured(&gate);
        assert!(
            error
                .reason()
                .starts_with("JWT_SECRET_PREVIOUS is rejected"),
            "{error}"
        );
        assert!(!leaks(WEAK, &error.to_string()));
    }

    #[test]
    fn both_rejected_reports_both() {
        let gate = gate(
            Algorithm::HS256,
            &[("JWT_SECRET", WEAK), ("JWT_SECRET_PREVIOUS", "short")],
        );
        let reason = not_configured(&gate).reason().to_owned();
        assert!(reason.contains("2 configuration problems"), "{reason}");
        assert!(reason.contains("JWT_SECRET is rejected"), "{reason}");
        assert!(
            reason.contains("JWT_SECRET_PREVIOUS is rejected"),
            "{reason}"
        );
    }

    #[test]
    fn the_previous_secret_can_come_from_a_file() {
        let path = std::env::temp_dir().join(format!("jwt-guard-gate-{}", std::process::id()));
        std::fs::write(&path, format!("{PREVIOUS}\n")).unwrap();
        let gate = gate(
            Algorithm::HS256,
            &[
                ("JWT_SECRET", CURRENT),
                ("JWT_SECRET_PREVIOUS_FILE", path.to_str().unwrap()),
            ],
        );
        std::fs::remove_file(&path).unwrap();
        let verifying = gate.verification_secrets().unwrap();
        assert_eq!(verifying[1].expose_secret(), PREVIOUS.as_bytes());
    }

    #[test]
    fn the_algorithm_raises_the_minimum_length() {
        let gate = gate(Algorithm::HS512, &[("JWT_SECRET", CURRENT)]);
        let reason = not_configured(&gate).reason().to_owned();
        assert!(
            reason.contains("too short (44 bytes, at least 64 required)"),
            "{reason}"
        );
        assert!(crate::testutil::gate(Algorithm::HS512, &[("JWT_SECRET", LONG)]).is_configured());
    }

    #[test]
    fn secrets_loaded_elsewhere_are_checked_against_the_algorithm() {
        let policy = SecretPolicy::default();
        let current = policy.secret(LONG).unwrap();
        let short_previous = policy.secret(PREVIOUS).unwrap();
        let gate = AuthGate::degraded_from_secrets(
            Algorithm::HS512,
            current.clone(),
            Some(short_previous.clone()),
        );
        let reason = not_configured(&gate).reason().to_owned();
        assert!(
            reason.starts_with("the previous JWT secret is rejected for HS512"),
            "{reason}"
        );
        assert!(!leaks(PREVIOUS, &reason));
        let strict =
            AuthGate::from_secrets(Algorithm::HS512, current.clone(), Some(short_previous));
        assert_eq!(strict.unwrap_err().reason(), reason);
        assert!(
            AuthGate::degraded_from_secrets(Algorithm::HS512, current.clone(), None)
                .is_configured()
        );
        assert!(
            AuthGate::from_secrets(Algorithm::HS512, current, None)
                .unwrap()
                .is_configured()
        );
    }
}
