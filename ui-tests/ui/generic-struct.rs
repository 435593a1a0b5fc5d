#[jwt_guard::jwt_secret_env]
struct Config<T> {
    jwt_secret: jwt_guard::JwtSecret,
    extra: T,
}

fn main() {}
