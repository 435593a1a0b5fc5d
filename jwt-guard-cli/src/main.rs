//! `jwt-guard`: the command line of jwt-guard. Thin: every subcommand parses its
//! arguments, calls the library and maps the outcome to an exit status.
//!
//! Output goes through `io::Write` handles, never `print!`: a write that fails (a full
//! disk, a closed pipe) is an error with exit status 2, not a panic.
#![forbid(unsafe_code)]

use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod audit_token;
mod check_env;
mod generate;
mod history;
mod hmac_search;
mod jwt_token;
mod known_secrets;
mod public_jwt;
mod scan;

/// The exit status of an error that is neither a finding nor a rejected secret.
const EXIT_ERROR: u8 = 2;

/// Refuse weak or hardcoded JWT secrets.
#[derive(Debug, Parser)]
#[command(name = "jwt-guard", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Scan(scan::ScanArgs),
    CheckEnv(check_env::CheckEnvArgs),
    Generate(generate::GenerateArgs),
    AuditToken(audit_token::AuditTokenArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage(&error),
    };
    match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::CheckEnv(args) => check_env::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::AuditToken(args) => audit_token::run(&args),
    }
}

/// Help, version or a usage error, as clap prints them: status 0 for help and version,
/// 2 for a usage error, and 2 when the text cannot be written.
fn usage(error: &clap::Error) -> ExitCode {
    let written = error.print().and_then(|()| {
        if error.use_stderr() {
            io::stderr().flush()
        } else {
            io::stdout().flush()
        }
    });
    match written {
        Ok(()) if error.exit_code() == 0 => ExitCode::SUCCESS,
        Ok(()) => ExitCode::from(EXIT_ERROR),
        Err(write_error) => fail(format_args!("cannot write the help: {write_error}")),
    }
}

/// Writes `jwt-guard: error: {message}` to stderr and returns exit status 2. When even
/// stderr cannot be written, the status is all that is left.
pub(crate) fn fail(message: fmt::Arguments<'_>) -> ExitCode {
    let _ = writeln!(io::stderr().lock(), "jwt-guard: error: {message}");
    ExitCode::from(EXIT_ERROR)
}
