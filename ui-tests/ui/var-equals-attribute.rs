#[jwt_guard::jwt_secret_env(var = "JWT_SECRET=abc")]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
