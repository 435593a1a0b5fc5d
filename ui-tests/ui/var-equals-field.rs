#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    #[env(var = "PORT=8080")]
    port: u16,
}

fn main() {}
