#[jwt_guard::jwt_secret_env]
enum Config {
    Secret(jwt_guard::JwtSecret),
}

fn main() {}
