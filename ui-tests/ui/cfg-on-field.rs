#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    #[cfg(unix)]
    metrics_port: u16,
}

fn main() {}
