//! An axum service whose JWT secret is guarded by jwt-guard.
//!
//! - `JWT_SECRET` (or `JWT_SECRET_FILE`, or the systemd credential) signs and verifies;
//!   `JWT_SECRET_PREVIOUS` also verifies during a rotation.
//! - Strict mode (the default) refuses to start without a valid secret. Degraded mode
//!   (`--degraded` or `AUTH_MODE=degraded`) starts, logs the warning, answers `/health`
//!   and rejects every authenticated request with 503 until restarted with a valid secret.
//! - Authenticated routes sit behind `jwt_guard::layer::AuthLayer` (see `routes.rs`).
//! - `--bind ADDR` (or `BIND_ADDR`, default `127.0.0.1:3000`); port 0 picks a free port.
//!   The bound address is printed on stdout once listening.
#![forbid(unsafe_code)]

mod options;
mod routes;

use std::process::ExitCode;
use std::sync::Arc;

use jwt_guard::{Algorithm, AuthGate, JwtSecret, jwt_secret_env};

use crate::options::{Mode, Options};

/// What tokens are signed with: the algorithm of the policy in Cargo.toml
/// (`[package.metadata.jwt-guard]`). A longer one raises the key length the loader and
/// the gate require (HS384: 48 bytes, HS512: 64).
const ALGORITHM: Algorithm = AuthConfig::JWT_ALGORITHM;

#[tokio::main]
async fn main() -> ExitCode {
    // jwt-guard warns through the `log` facade; RUST_LOG overrides the level.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let options = match Options::from_env_and_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}\n{}", options::USAGE);
            return ExitCode::from(2);
        }
    };
    let Some(gate) = auth_gate(options.mode) else {
        return ExitCode::FAILURE;
    };
    match serve(&options, gate).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot serve on {}: {error}", options.bind);
            ExitCode::FAILURE
        }
    }
}

/// The secrets, loaded and validated by `#[jwt_secret_env]` under the policy declared in
/// this package's Cargo.toml. The other options live in
/// [`Options`]: degraded mode still needs them when the secret is rejected.
#[jwt_secret_env]
struct AuthConfig {
    jwt_secret: JwtSecret,
    /// Set during a rotation: verifies tokens issued before it, signs none.
    #[jwt_secret(previous)]
    jwt_secret_previous: Option<JwtSecret>,
}

/// The gate, or `None` after printing why the service refuses to start (strict mode).
fn auth_gate(mode: Mode) -> Option<AuthGate> {
    let refusal = match (AuthConfig::from_env(), mode) {
        (Ok(config), Mode::Strict) => {
            let (current, previous) = (config.jwt_secret, config.jwt_secret_previous);
            match AuthGate::from_secrets(ALGORITHM, current, previous) {
                Ok(gate) => return Some(gate),
                Err(not_configured) => not_configured.to_string(),
            }
        }
        (Ok(config), Mode::Degraded) => {
            let (current, previous) = (config.jwt_secret, config.jwt_secret_previous);
            return Some(AuthGate::degraded_from_secrets(
                ALGORITHM, current, previous,
            ));
        }
        (Err(error), Mode::Degraded) => return Some(AuthGate::degraded(ALGORITHM, &error)),
        (Err(error), Mode::Strict) => error.with_causes(),
    };
    eprintln!("error: refusing to start: {refusal}");
    eprintln!("(to start anyway and reject every authenticated request, pass --degraded)");
    None
}

async fn serve(options: &Options, gate: AuthGate) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(&options.bind).await?;
    let address = listener.local_addr()?;
    // Tests and scripts wait for this line.
    println!("listening on http://{address}");
    log::info!("listening on http://{address}");
    axum::serve(listener, routes::router(Arc::new(gate))).await
}
