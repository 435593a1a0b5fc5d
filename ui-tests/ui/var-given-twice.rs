#[jwt_guard::jwt_secret_env(var = "APP_SECRET")]
struct Config {
    #[jwt_secret(var = "JWT_SECRET")]
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
