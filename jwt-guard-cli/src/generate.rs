//! `jwt-guard generate`: print a new secret that passes the default policy, and nothing
//! else, so `export JWT_SECRET=$(jwt-guard generate)` works.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use jwt_guard::{Algorithm, SecretFormat};

/// Print a new random JWT secret (OS CSPRNG) that passes the default policy.
#[derive(Debug, Args)]
pub(crate) struct GenerateArgs {
    /// The algorithm the secret is for: HS256 draws 32 random bytes, HS384 48, HS512 64.
    #[arg(long, value_name = "HS256|HS384|HS512", default_value = "HS256")]
    alg: Algorithm,
    /// How the random bytes are written.
    #[arg(long, value_name = "base64|base64url|hex", default_value = "base64")]
    format: SecretFormat,
}

pub(crate) fn run(args: &GenerateArgs) -> ExitCode {
    let written = jwt_guard::generate(args.alg, args.format)
        .map_err(|error| error.to_string())
        .and_then(|secret| {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(secret.expose_secret())
                .and_then(|()| stdout.write_all(b"\n"))
                .and_then(|()| stdout.flush())
                .map_err(|error| format!("cannot write the secret: {error}"))
        });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => crate::fail(format_args!("{message}")),
    }
}
