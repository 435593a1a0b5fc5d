//! A service configured with `#[jwt_secret_env]`: it refuses to start when `JWT_SECRET`
//! is missing or weak, and says which variable and which rule, never the value.
//! Run by `tests/macro_process.rs` with a controlled environment.

use jwt_guard::{JwtSecret, jwt_secret_env};

#[jwt_secret_env]
#[derive(Debug)]
struct Config {
    jwt_secret: JwtSecret,
    #[env(var = "PORT", default = "8080")]
    port: u16,
    /// Optional: when unset, tokens carry no issuer.
    issuer: Option<String>,
}

fn main() {
    let config = Config::from_env_or_exit();
    // A real service would build its HMAC key here.
    let key: &[u8] = config.jwt_secret.expose_secret();
    let issuer = config.issuer.as_deref().unwrap_or("(none)");
    println!(
        "listening on port {} (issuer {issuer}, key loaded: {})",
        config.port,
        !key.is_empty()
    );
    println!("{config:?}");
}
