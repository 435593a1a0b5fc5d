#[jwt_guard::jwt_secret_env]
struct Config {
    #[env(default = "my-dev-secret")]
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
