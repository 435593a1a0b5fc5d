#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    #[jwt_secret(previous)]
    jwt_secret_previous: jwt_guard::JwtSecret,
}

fn main() {}
