#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    #[jwt_secret(previous)]
    previous: Option<jwt_guard::JwtSecret>,
    #[jwt_secret(previous)]
    older: Option<jwt_guard::JwtSecret>,
}

fn main() {}
