#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: Option<jwt_guard::JwtSecret>,
}

fn main() {}
