#[jwt_guard::jwt_secret_env]
struct Config {
    #[jwt_secret(var = "APP_SECRET", default = "my-dev-secret")]
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
