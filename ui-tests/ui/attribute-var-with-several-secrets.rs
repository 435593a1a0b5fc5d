use jwt_guard::JwtSecret;

#[jwt_guard::jwt_secret_env(var = "APP_SECRET")]
struct Config {
    #[jwt_secret(var = "ACCESS_TOKEN_SECRET")]
    access: JwtSecret,
    #[jwt_secret(var = "REFRESH_TOKEN_SECRET")]
    refresh: JwtSecret,
}

fn main() {}
