#[jwt_guard::jwt_secret_env]
struct Config {
    #[env(var = "JWT_SECRET")]
    signing_key: &'static str,
}

fn main() {}
