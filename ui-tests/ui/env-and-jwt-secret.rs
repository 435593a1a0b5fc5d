#[jwt_guard::jwt_secret_env]
struct Config {
    #[jwt_secret(var = "APP_SECRET")]
    #[env(var = "APP_SECRET")]
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
