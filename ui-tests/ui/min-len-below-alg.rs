#[jwt_guard::jwt_secret_env(alg = "HS512", min_len = 48)]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
