#[jwt_guard::jwt_secret_env(alg = "RS256")]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
