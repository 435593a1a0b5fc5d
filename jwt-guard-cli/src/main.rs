//! `jwt-guard`: the command line of jwt-guard. Thin: every subcommand parses its
//! arguments, calls the library and maps the outcome to an exit status.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check_env;
mod generate;
mod scan;

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
}

fn main() -> ExitCode {
    // clap exits with status 2 on a usage error, as `scan` does on its own errors.
    match Cli::parse().command {
        Command::Scan(args) => scan::run(&args),
        Command::CheckEnv(args) => check_env::run(&args),
        Command::Generate(args) => generate::run(&args),
    }
}
