#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    #[jwt_secret(previous)]
    jwt_secret_previous: Option<jwt_guard::JwtSecret>,
    #[env(var = "JWT_SECRET_PREVIOUS_FILE")]
    previous_path: Option<String>,
}

fn main() {}
