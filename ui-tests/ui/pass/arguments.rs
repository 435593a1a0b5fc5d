// Every attribute argument, together and alone.
#![allow(dead_code)]
use jwt_guard::{JwtSecret, jwt_secret_env};

#[jwt_secret_env(var = "APP_JWT_SECRET", min_len = 64, alg = "HS512", deny = ["acme", "Initech"])]
struct All {
    secret: JwtSecret,
}

#[jwt_secret_env(var = "APP_JWT_SECRET")]
struct Var {
    secret: JwtSecret,
}

#[jwt_secret_env(min_len = 40)]
struct MinLen {
    secret: JwtSecret,
}

#[jwt_secret_env(alg = "HS384")]
struct Alg {
    secret: JwtSecret,
}

#[jwt_secret_env(deny = "acme")]
struct DenyOne {
    secret: JwtSecret,
}

#[jwt_secret_env(deny = [],)]
struct DenyNone {
    secret: JwtSecret,
}

fn main() {
    let _ = (All::from_env, Var::from_env, MinLen::from_env, Alg::from_env, DenyOne::from_env, DenyNone::from_env);
}
