#[jwt_guard::jwt_secret_env]
struct Config {
    jwt_secret: jwt_guard::JwtSecret,
    port: u16,
    #[env(var = "PORT")]
    admin_port: u16,
}

fn main() {}
