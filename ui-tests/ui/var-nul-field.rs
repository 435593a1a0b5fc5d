#[jwt_guard::jwt_secret_env]
struct Config {
    #[jwt_secret(var = "JWT_SECRET\0")]
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
