#[jwt_guard::jwt_secret_env]
union Config {
    port: u16,
}

fn main() {}
