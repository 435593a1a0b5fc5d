#[jwt_guard::jwt_secret_env]
struct Config(jwt_guard::JwtSecret, u16);

fn main() {}
