#[jwt_guard::jwt_secret_env(deny = ["acme", ""])]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
