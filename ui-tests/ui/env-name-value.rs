#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    #[env = "PORT"]
    port: u16,
}

fn main() {}
