//! Start-up options, from the command line and the environment.

/// How the service treats a missing or rejected secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Refuse to start.
    Strict,
    /// Start, and reject every authenticated request.
    Degraded,
}

#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) mode: Mode,
    pub(crate) bind: String,
}

pub(crate) const USAGE: &str = "usage: jwt-guard-example-service [--degraded] [--bind ADDR]\n\
    environment: JWT_SECRET or JWT_SECRET_FILE, JWT_SECRET_PREVIOUS, AUTH_MODE=strict|degraded, BIND_ADDR";

impl Options {
    pub(crate) fn from_env_and_args(args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mode = match std::env::var("AUTH_MODE").as_deref() {
            Err(_) | Ok("strict") => Mode::Strict,
            Ok("degraded") => Mode::Degraded,
            Ok(other) => {
                return Err(format!(
                    "AUTH_MODE must be strict or degraded, not {other:?}"
                ));
            }
        };
        let bind = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
        let mut options = Options { mode, bind };
        let mut args = args;
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--degraded" => options.mode = Mode::Degraded,
                "--bind" => options.bind = args.next().ok_or("--bind needs an address")?,
                other => return Err(format!("unexpected argument {other:?}")),
            }
        }
        Ok(options)
    }
}
