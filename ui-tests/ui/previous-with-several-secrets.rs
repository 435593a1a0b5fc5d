#[jwt_guard::jwt_secret_env]
struct Config {
    #[jwt_secret(var = "ACCESS_SECRET")]
    access: jwt_guard::JwtSecret,
    #[jwt_secret(var = "REFRESH_SECRET")]
    refresh: jwt_guard::JwtSecret,
    #[jwt_secret(previous)]
    previous: Option<jwt_guard::JwtSecret>,
}

fn main() {}
