#[jwt_guard::jwt_secret_env]
fn config() {}

fn main() {}
