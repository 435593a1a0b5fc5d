#[jwt_guard::jwt_secret_env]
struct Config {
    port: u16,
    database_url: String,
}

fn main() {}
