#[jwt_guard::jwt_secret_env(min_len = 48, min_len = 64)]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
