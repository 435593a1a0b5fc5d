struct Endpoints(Vec<String>);

#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    endpoints: Endpoints,
}

fn main() {}
