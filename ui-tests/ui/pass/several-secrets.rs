// Several JwtSecret fields, each with its variable and, optionally, a stricter policy.
#![allow(dead_code)]
use jwt_guard::{JwtSecret, jwt_secret_env};

#[jwt_secret_env(deny = ["acme"])]
struct Tokens {
    #[jwt_secret(var = "ACCESS_TOKEN_SECRET")]
    access: JwtSecret,
    #[jwt_secret(var = "REFRESH_TOKEN_SECRET", alg = "HS512", min_len = 80, deny = ["refresh"])]
    refresh: JwtSecret,
}

fn main() {
    let _ = Tokens::from_env;
}
