//! `jwt-guard check-env`: load the secret from this environment exactly as the library
//! would at start-up and print every rule, passed or failed, never the value.
//!
//! Exit status: 0 valid, 1 invalid (or, with `--repo`/`--digests`, burnt: committed to
//! the repository), 2 usage, a repository or digests file that cannot be read, or the
//! report cannot be written. Meant for a pre-deploy step or an init container.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Args;
use jwt_guard::{Algorithm, SecretPolicy};

/// Check the JWT secret in this environment (VAR, VAR_FILE or a systemd credential).
#[derive(Debug, Args)]
pub(crate) struct CheckEnvArgs {
    /// The variable the service reads; VAR_FILE and VAR_PREVIOUS are checked too.
    #[arg(long, value_name = "NAME", default_value = jwt_guard::DEFAULT_VAR, value_parser = var_name)]
    var: String,
    /// The algorithm the service signs with: it sets the minimum length.
    #[arg(long, value_name = "HS256|HS384|HS512", default_value = "HS256")]
    alg: Algorithm,
    /// A minimum length in bytes above the algorithm's, as the service's policy sets it.
    #[arg(long, value_name = "BYTES")]
    min_len: Option<usize>,
    /// An extra denied word, as the service's policy sets it (repeatable).
    #[arg(long, value_name = "WORD")]
    deny: Vec<String>,
    #[command(flatten)]
    burnt: crate::history::cli::BurntArgs,
}

/// A name the environment can hold: not empty, no `=` (a usage error, exit 2).
fn var_name(name: &str) -> Result<String, String> {
    if name.is_empty() || name.contains(['=', '\0']) {
        Err("an environment variable name is not empty and holds no `=` or NUL".to_owned())
    } else {
        Ok(name.to_owned())
    }
}

pub(crate) fn run(args: &CheckEnvArgs) -> ExitCode {
    let mut policy = SecretPolicy::default().min_len(args.min_len.unwrap_or(0));
    for word in &args.deny {
        policy = policy.deny_word(word);
    }
    let report = jwt_guard::check_env(&args.var, args.alg, &policy, |name| std::env::var_os(name));
    let mut stdout = io::stdout().lock();
    if let Err(error) = write!(stdout, "{report}").and_then(|()| stdout.flush()) {
        return crate::fail(format_args!("cannot write the report: {error}"));
    }
    // `--repo` / `--digests`: was the secret ever committed?
    use crate::history::cli::{BurntCheck, check_env};
    let burnt = check_env(&args.burnt, &args.var, args.alg, &policy, &mut stdout)
        .and_then(|burnt| stdout.flush().map(|()| burnt));
    let burnt = match burnt {
        Ok(burnt) => burnt,
        Err(error) => return crate::fail(format_args!("cannot write the report: {error}")),
    };
    if !report.is_valid() || burnt == BurntCheck::Found {
        ExitCode::FAILURE
    } else if burnt == BurntCheck::Error {
        ExitCode::from(crate::EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}
