#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    #[jwt_secret(previous, var = "OLD_JWT_SECRET", min_len = 48)]
    jwt_secret_previous: Option<jwt_guard::JwtSecret>,
}

fn main() {}
