const SECRET_VAR: &str = "APP_SECRET";

#[jwt_guard::jwt_secret_env(var = SECRET_VAR)]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
}

fn main() {}
