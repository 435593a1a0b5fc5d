#[jwt_guard::jwt_secret_env]
struct Config;

fn main() {}
