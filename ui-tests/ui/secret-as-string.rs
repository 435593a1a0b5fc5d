#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: String,
    port: u16,
}

fn main() {}
