#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    #[env(var = "")]
    port: u16,
}

fn main() {}
