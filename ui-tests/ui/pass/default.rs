// The example: one JwtSecret read from JWT_SECRET, a defaulted port.
#![allow(dead_code)]
use jwt_guard::{JwtSecret, jwt_secret_env};

#[jwt_secret_env]
#[derive(Debug)]
pub struct AuthConfig {
    pub jwt_secret: JwtSecret,
    #[env(var = "PORT", default = "8080")]
    pub port: u16,
}

fn main() {
    let _: fn() -> Result<AuthConfig, jwt_guard::Error> = AuthConfig::from_env;
    let _: fn() -> AuthConfig = AuthConfig::from_env_or_exit;
    let error = AuthConfig::from_lookup(|_| None).err();
    assert!(matches!(error, Some(jwt_guard::Error::Missing { .. })));
}
