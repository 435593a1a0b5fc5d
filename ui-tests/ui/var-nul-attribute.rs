#[jwt_guard::jwt_secret_env(var = "JWT\0SECRET")]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
