#[jwt_guard::jwt_secret_env(previous)]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
