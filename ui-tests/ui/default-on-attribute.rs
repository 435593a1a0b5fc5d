#[jwt_guard::jwt_secret_env(default = "my-dev-secret")]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
