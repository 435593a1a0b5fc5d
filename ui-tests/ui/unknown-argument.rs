#[jwt_guard::jwt_secret_env(variable = "APP_SECRET")]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
