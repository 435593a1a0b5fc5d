#[jwt_guard::jwt_secret_env(var)]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
