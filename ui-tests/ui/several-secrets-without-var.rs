use jwt_guard::JwtSecret;

#[jwt_guard::jwt_secret_env]
struct Config {
    #[jwt_secret(var = "ACCESS_TOKEN_SECRET")]
    access: JwtSecret,
    refresh: JwtSecret,
}

fn main() {}
