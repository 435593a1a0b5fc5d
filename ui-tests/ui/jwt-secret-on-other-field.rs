#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    #[jwt_secret(var = "PORT")]
    port: u16,
}

fn main() {}
