//! `jwt-guard check-env`: load the secret from this environment exactly as the library
//! would at start-up and print every rule, passed or failed, never the value.
//!
//! Exit status: 0 valid, 1 invalid (or, with `--repo`/`--digests`, burnt: committed to
//! the repository), 2 usage, a malformed policy file, a repository or digests file that
//! cannot be read, or the report cannot be written. Meant for a pre-deploy step or an
//! init container.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use jwt_guard::policy_file::{PolicyFile, discover, from_path, secret_policy};
use jwt_guard::{Algorithm, SecretPolicy};

/// Check the JWT secret in this environment (VAR, VAR_FILE or a systemd credential).
///
/// The policy is the service's own: `[package.metadata.jwt-guard]` of its Cargo.toml (and
/// the workspace's), or a jwt-guard.toml, found from the current directory as cargo finds
/// a manifest, or named with --manifest-path. The flags may only tighten it.
#[derive(Debug, Args)]
pub(crate) struct CheckEnvArgs {
    /// The variable the service reads; VAR_FILE and VAR_PREVIOUS are checked too.
    /// Default: every secret the policy file declares, else JWT_SECRET.
    #[arg(long, value_name = "NAME", value_parser = var_name)]
    var: Option<String>,
    /// The algorithm the service signs with: it sets the minimum length. Default: the
    /// policy file's, else HS256.
    #[arg(long, value_name = "HS256|HS384|HS512")]
    alg: Option<Algorithm>,
    /// A minimum length in bytes above the algorithm's, as the service's policy sets it.
    #[arg(long, value_name = "BYTES")]
    min_len: Option<usize>,
    /// An extra denied word, as the service's policy sets it (repeatable).
    #[arg(long, value_name = "WORD")]
    deny: Vec<String>,
    /// The service's Cargo.toml or jwt-guard.toml holding its policy (default: found from
    /// the current directory upward, as cargo finds a manifest).
    #[arg(long, value_name = "PATH")]
    manifest_path: Option<PathBuf>,
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
    let file = match &args.manifest_path {
        Some(path) => from_path(path),
        None => match std::env::current_dir() {
            Ok(dir) => discover(&dir),
            Err(error) => {
                return crate::fail(format_args!("cannot read the current directory: {error}"));
            }
        },
    };
    let file = match file {
        Ok(file) => file,
        Err(error) => return crate::fail(format_args!("{error}")),
    };
    let vars: Vec<String> = match &args.var {
        Some(var) => vec![var.clone()],
        None if file.declared_vars().next().is_some() => {
            file.declared_vars().map(str::to_owned).collect()
        }
        None => vec![jwt_guard::DEFAULT_VAR.to_owned()],
    };
    let mut reports = Vec::new();
    let mut policies = Vec::new();
    for var in &vars {
        match policy_for(&file, var, args) {
            Ok((algorithm, policy)) => {
                reports.push(jwt_guard::check_env(var, algorithm, &policy, |name| {
                    std::env::var_os(name)
                }));
                policies.push((algorithm, policy));
            }
            Err(message) => return crate::fail(format_args!("{message}")),
        }
    }
    let mut stdout = io::stdout().lock();
    let mut written = Ok(());
    if let Some(origin) = file.origin().filter(|_| file.is_declared()) {
        written = writeln!(stdout, "policy: {}", origin.display());
    }
    for report in &reports {
        written = written.and_then(|()| write!(stdout, "{report}"));
    }
    if let Err(error) = written.and_then(|()| stdout.flush()) {
        return crate::fail(format_args!("cannot write the report: {error}"));
    }
    // `--repo` / `--digests`: was any checked secret ever committed?
    use crate::history::cli::{BurntCheck, check_env};
    let mut burnt_found = false;
    let mut burnt_error = false;
    for (var, (algorithm, policy)) in vars.iter().zip(&policies) {
        let burnt = check_env(&args.burnt, var, *algorithm, policy, &mut stdout)
            .and_then(|burnt| stdout.flush().map(|()| burnt));
        match burnt {
            Ok(BurntCheck::Found) => burnt_found = true,
            Ok(BurntCheck::Error) => burnt_error = true,
            Ok(_) => {}
            Err(error) => return crate::fail(format_args!("cannot write the report: {error}")),
        }
    }
    if !reports.iter().all(jwt_guard::EnvReport::is_valid) || burnt_found {
        ExitCode::FAILURE
    } else if burnt_error {
        ExitCode::from(crate::EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}

/// The file's algorithm and policy for `var`, tightened by the flags; a flag asking less
/// than a policy file declares is an error, as the macro's arguments are.
fn policy_for(
    file: &PolicyFile,
    var: &str,
    args: &CheckEnvArgs,
) -> Result<(Algorithm, SecretPolicy), String> {
    let (file_alg, mut policy) = secret_policy(file, var);
    let origin = file
        .origin()
        .map(|path| path.display().to_string())
        .unwrap_or_default();
    let declared = file.is_declared();
    let algorithm = match args.alg {
        Some(alg) if declared && alg.min_key_len() < file_alg.min_key_len() => {
            return Err(format!(
                "--alg {alg} is weaker than the {file_alg} the policy in {origin} requires for {var}; flags may only tighten it"
            ));
        }
        Some(alg) => alg,
        None => file_alg,
    };
    if let Some(min) = args.min_len {
        if declared && min < policy.required_len() {
            return Err(format!(
                "--min-len {min} is below the {} bytes the policy in {origin} requires for {var}; flags may only tighten it",
                policy.required_len()
            ));
        }
        policy = policy.min_len(min);
    }
    for word in &args.deny {
        policy = policy.deny_word(word);
    }
    Ok((algorithm, policy))
}
