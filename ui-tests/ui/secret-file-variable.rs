#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    jwt_secret_file: Option<std::path::PathBuf>,
}

fn main() {}
