// Fields named like the generated code's locals, and user types named `Option` and
// `Result` in scope, do not confuse the expansion.
#![allow(dead_code)]
use jwt_guard::{JwtSecret, jwt_secret_env};

struct Result;
enum Option {}

#[jwt_secret_env]
struct Config {
    jwt_secret: JwtSecret,
    lookup: u8,
    errors: u8,
    field0: u8,
    name: String,
}

fn main() {
    let _ = Config::from_env;
}
