// Every kind of non-secret field.
#![allow(dead_code)]
use jwt_guard::{JwtSecret, jwt_secret_env};
use std::net::IpAddr;
use std::path::PathBuf;

#[jwt_secret_env]
pub(crate) struct Config {
    /// Doc comments and other attributes stay on the fields.
    #[allow(dead_code)]
    jwt_secret: JwtSecret,
    #[env(var = "PORT", default = "8080")]
    port: u16,
    #[env(default = 30)]
    timeout_secs: u64,
    #[env(default = 0.5)]
    sample_rate: f64,
    #[env(default = false)]
    debug: bool,
    #[env(var = "BIND")]
    bind: IpAddr,
    database_url: String,
    log_dir: Option<PathBuf>,
    #[env(var = "ISSUER")]
    issuer: Option<String>,
    #[env]
    workers: usize,
    r#type: String,
    client_secret: String,
    jwt_key_id: String,
    api_key: Option<String>,
}

fn main() {
    let _ = Config::from_env;
}
