#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    #[env(default = "info")]
    log_level: Option<String>,
}

fn main() {}
