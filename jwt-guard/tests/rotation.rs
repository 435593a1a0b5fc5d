//! Rotation through `#[jwt_secret_env]`: `#[jwt_secret(previous)]` reads `{VAR}_PREVIOUS`
//! (or its `_FILE`) under the secret's policy, and feeds an `AuthGate` that verifies with
//! it and never signs with it.
#![allow(clippy::unwrap_used)]

use jwt_guard_tests::env as vars;

use jwt_guard::{Algorithm, AuthGate, Error, JwtSecret, jwt_secret_env};

const CURRENT: &str = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";
const PREVIOUS: &str = "RPGlOcyMYWYSDfirIW5GXTN8Oj055Y5lNKmKycgzZ1U6";
const LONG: &str = "CblNgUKf289pgxDGALNfeuLmBztNV1JgFJRAf3ZWgdb6NDbl2E24tMS2BCM95LOnm6sLIQ";

#[jwt_secret_env]
struct AuthConfig {
    jwt_secret: JwtSecret,
    #[jwt_secret(previous)]
    jwt_secret_previous: Option<JwtSecret>,
}

#[jwt_secret_env(var = "APP_KEY", alg = "HS512")]
struct StrictConfig {
    key: JwtSecret,
    #[jwt_secret(previous)]
    old_key: Option<JwtSecret>,
    port: Option<u16>,
}

#[test]
fn the_previous_secret_is_optional() {
    let config = AuthConfig::from_lookup(vars(&[("JWT_SECRET", CURRENT)])).unwrap();
    assert!(config.jwt_secret_previous.is_none());
}

#[test]
fn the_previous_secret_reads_var_previous() {
    let config = AuthConfig::from_lookup(vars(&[
        ("JWT_SECRET", CURRENT),
        ("JWT_SECRET_PREVIOUS", PREVIOUS),
    ]))
    .unwrap();
    let previous = config.jwt_secret_previous.unwrap();
    assert_eq!(previous.expose_secret(), PREVIOUS.as_bytes());
}

#[test]
fn the_previous_secret_reads_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("previous");
    std::fs::write(&path, format!("{PREVIOUS}\n")).unwrap();
    let config = AuthConfig::from_lookup(vars(&[
        ("JWT_SECRET", CURRENT),
        ("JWT_SECRET_PREVIOUS_FILE", path.to_str().unwrap()),
    ]))
    .unwrap();
    assert_eq!(
        config.jwt_secret_previous.unwrap().expose_secret(),
        PREVIOUS.as_bytes()
    );
}

#[test]
fn a_rejected_previous_secret_is_an_error_naming_it() {
    let error = AuthConfig::from_lookup(vars(&[
        ("JWT_SECRET", CURRENT),
        ("JWT_SECRET_PREVIOUS", "hunter2-hunter2"),
    ]))
    .err()
    .unwrap();
    assert!(matches!(&error, Error::Rejected { var, .. } if var == "JWT_SECRET_PREVIOUS"));
    assert!(!error.to_string().contains("hunter2"), "{error}");
}

#[test]
fn the_previous_secret_follows_the_secrets_variable_and_policy() {
    // 44 bytes: enough for the default policy, too short for HS512.
    let error =
        StrictConfig::from_lookup(vars(&[("APP_KEY", LONG), ("APP_KEY_PREVIOUS", CURRENT)]))
            .err()
            .unwrap();
    assert_eq!(error.vars(), ["APP_KEY_PREVIOUS"]);
    assert!(
        error.to_string().contains("at least 64 required"),
        "{error}"
    );
    let config = StrictConfig::from_lookup(vars(&[("APP_KEY", LONG)])).unwrap();
    assert!(config.old_key.is_none() && config.port.is_none());
    assert_eq!(config.key.expose_secret(), LONG.as_bytes());
}

#[test]
fn both_secrets_feed_a_gate_that_signs_only_with_the_current_one() {
    let config = AuthConfig::from_lookup(vars(&[
        ("JWT_SECRET", CURRENT),
        ("JWT_SECRET_PREVIOUS", PREVIOUS),
    ]))
    .unwrap();
    let gate = AuthGate::from_secrets(
        Algorithm::HS256,
        config.jwt_secret,
        config.jwt_secret_previous,
    )
    .unwrap();
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
