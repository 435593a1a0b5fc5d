// A rotation's previous secret, with the default variable and with the attribute's.
#![allow(dead_code)]
use jwt_guard::{JwtSecret, jwt_secret_env};

#[jwt_secret_env]
struct Default {
    jwt_secret: JwtSecret,
    #[jwt_secret(previous)]
    jwt_secret_previous: Option<JwtSecret>,
}

#[jwt_secret_env(var = "APP_KEY", alg = "HS512")]
struct Named {
    #[jwt_secret(deny = "acme")]
    key: JwtSecret,
    #[jwt_secret(previous)]
    old_key: Option<JwtSecret>,
    port: u16,
}

fn main() {
    let _ = (Default::from_env, Named::from_env);
}
