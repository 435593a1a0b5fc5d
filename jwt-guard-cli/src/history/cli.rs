//! The command-line side of the git features: `scan --history`, `scan --staged`,
//! `scan --history --export-digests`, and `check-env --repo` / `--digests`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use jwt_guard::{Algorithm, SecretPolicy};
use jwt_guard_scan::Report;

use super::burnt::{self, Outcome, Wanted};
use super::digest::Hmac;
use super::policy::RepoPolicy;
use super::{committed, render, staged};
use crate::scan::{Format, ScanArgs, excludes, exit_status, print};

const EXIT_ERROR: u8 = 2;
/// The default largest blob searched by `check-env --repo` and `--export-digests`.
const MAX_BLOB_SIZE: u64 = 64 * 1024 * 1024;

/// `scan`'s git options.
#[derive(Debug, Args)]
pub(crate) struct GitArgs {
    /// Scan every blob ever committed, each distinct one once: those reachable from
    /// REV-RANGE (`main`, `v1.0..main`, `^old`; repeat for several) or, given alone,
    /// from every ref and HEAD. Each finding names the commit that brought it; secrets
    /// are grouped, and each must be rotated. Exit 1 when any secret was ever committed.
    #[arg(
        long,
        value_name = "REV-RANGE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "",
        action = clap::ArgAction::Append,
        conflicts_with = "staged"
    )]
    history: Option<Vec<String>>,
    /// Scan the files the index adds or changes relative to HEAD, as staged: for a
    /// pre-commit hook.
    #[arg(long)]
    staged: bool,
    /// With --history: also write the salted digest of every committed candidate value
    /// (every run of 16+ secret-like characters in any blob of any ref, and every flagged
    /// value) to FILE, for `check-env --digests FILE` where the repository is not at hand.
    #[arg(long, value_name = "FILE", requires = "history")]
    export_digests: Option<PathBuf>,
    /// With --export-digests: the largest blob read, in bytes; a larger one is an error.
    #[arg(long, value_name = "BYTES", default_value_t = MAX_BLOB_SIZE, requires = "export_digests")]
    max_blob_size: u64,
}

impl GitArgs {
    pub(crate) fn is_git(&self) -> bool {
        self.history.is_some() || self.staged
    }
}

fn fail(message: &str) -> ExitCode {
    // Nothing more can be said if stderr is gone too.
    let _ = writeln!(io::stderr(), "jwt-guard: error: {message}");
    ExitCode::from(EXIT_ERROR)
}

/// `scan --history` or `scan --staged`.
pub(crate) fn scan(args: &ScanArgs) -> ExitCode {
    let repo = match args.paths.as_slice() {
        [] => Path::new("."),
        [one] => one.as_path(),
        _ => return fail("--history and --staged take one repository path"),
    };
    let globs = match excludes(Path::new("."), &args.exclude) {
        Ok(globs) => globs,
        Err(message) => return fail(&message),
    };
    let policy = match RepoPolicy::discover(args, repo) {
        Ok(policy) => policy,
        Err(message) => return fail(&message),
    };
    let exclude = |path: &Path, is_dir: bool| {
        globs.matched(path, is_dir).is_ignore() || policy.excludes(path)
    };
    let options = &policy.options;
    if args.git.staged {
        return match staged::scan(repo, options, &exclude) {
            Ok(mut report) => {
                policy.apply(&mut report);
                written(print(&report, args.format), &report)
            }
            Err(message) => fail(&message),
        };
    }
    let revisions = args.git.history.clone().unwrap_or_default();
    if args.git.export_digests.is_some() && revisions.iter().any(|r| !r.is_empty()) {
        return fail("--export-digests covers every ref: use it with --history alone");
    }
    let salt_bytes = match args.git.export_digests {
        Some(_) => match random_salt() {
            Ok(salt) => Some(salt),
            Err(message) => return fail(&message),
        },
        None => None,
    };
    let salt = salt_bytes.as_ref().map(|bytes| Hmac::new(bytes));
    let history = committed::scan(&committed::Options {
        repo,
        revisions: &revisions,
        scan: options,
        exclude: &exclude,
        salt: salt.as_ref(),
    });
    let mut history = match history {
        Ok(history) => history,
        Err(message) => return fail(&message),
    };
    policy.apply_to_history(&mut history);
    if let (Some(file), Some(salt), Some(bytes)) = (&args.git.export_digests, &salt, &salt_bytes) {
        let exported = burnt::export(
            repo,
            file,
            salt,
            bytes,
            &history.slot_digests,
            args.git.max_blob_size,
        );
        match exported {
            Ok(count) => {
                let _ = writeln!(
                    io::stderr(),
                    "jwt-guard: {count} digests of committed values written to {}",
                    jwt_guard_scan::shown(file)
                );
            }
            Err(message) => return fail(&message),
        }
    }
    let rendered = match args.format {
        Format::Human => render::human(&history),
        Format::Json => render::json(&history),
        Format::Sarif => render::sarif(&history),
    };
    let mut stdout = io::stdout().lock();
    let result = writeln!(stdout, "{}", rendered.trim_end()).and_then(|()| stdout.flush());
    written(result, &history.report)
}

fn written(result: io::Result<()>, report: &Report) -> ExitCode {
    match result {
        Ok(()) => exit_status(report),
        Err(error) => fail(&format!("cannot write the report: {error}")),
    }
}

fn random_salt() -> Result<[u8; 32], String> {
    let mut salt = [0u8; 32];
    getrandom::fill(&mut salt).map_err(|error| format!("no random salt: {error}"))?;
    Ok(salt)
}

/// `check-env`'s burnt-secret options.
#[derive(Debug, Args)]
pub(crate) struct BurntArgs {
    /// Also refuse a secret (and VAR_PREVIOUS) that appears, raw or base64-encoded, in
    /// any blob ever committed to the git repository at PATH: anyone with a clone can
    /// sign tokens with it. Neither the secret nor what it matched is printed.
    #[arg(long, value_name = "PATH", conflicts_with = "digests")]
    repo: Option<PathBuf>,
    /// The same check against a file written by `jwt-guard scan --history
    /// --export-digests FILE`, where the repository is not at hand (an init container).
    #[arg(long, value_name = "FILE")]
    digests: Option<PathBuf>,
    /// With --repo: the largest blob searched, in bytes; a larger one is not searched and
    /// makes the check fail (exit 2).
    #[arg(long, value_name = "BYTES", default_value_t = MAX_BLOB_SIZE)]
    max_blob_size: u64,
}

/// What the burnt check adds to `check-env`'s exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BurntCheck {
    NotAsked,
    Clean,
    Found,
    /// The check could not be completed.
    Error,
}

/// Loads VAR and VAR_PREVIOUS as start-up does and, when they load, looks for each in the
/// repository or the digests file; writes one line per secret to `out`.
pub(crate) fn check_env(
    args: &BurntArgs,
    var: &str,
    algorithm: Algorithm,
    policy: &SecretPolicy,
    out: &mut dyn Write,
) -> io::Result<BurntCheck> {
    if args.repo.is_none() && args.digests.is_none() {
        return Ok(BurntCheck::NotAsked);
    }
    let policy = policy.clone().algorithm(algorithm);
    let lookup = |name: &str| std::env::var_os(name);
    let current = policy.load(var, lookup);
    let previous_var = jwt_guard::previous_var(var);
    let previous = policy.load(&previous_var, lookup);
    let mut wanted = Vec::new();
    let mut lines = Vec::new();
    match &current {
        Ok(secret) => wanted.push(Wanted {
            var,
            value: secret.expose_secret(),
        }),
        Err(_) => lines.push(format!(
            "{var}: not checked against the history (it does not load)"
        )),
    }
    match &previous {
        Ok(secret) => wanted.push(Wanted {
            var: &previous_var,
            value: secret.expose_secret(),
        }),
        Err(jwt_guard::Error::Missing { .. }) => {}
        Err(_) => lines.push(format!(
            "{previous_var}: not checked against the history (it does not load)"
        )),
    }
    let outcome = if wanted.is_empty() {
        Ok(Outcome::default())
    } else if let Some(repo) = &args.repo {
        burnt::search_repo(repo, &wanted, args.max_blob_size)
    } else if let Some(file) = &args.digests {
        burnt::check_digests(file, &wanted)
    } else {
        Ok(Outcome::default())
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(message) => {
            writeln!(out, "error: the burnt check failed: {message}")?;
            return Ok(BurntCheck::Error);
        }
    };
    for line in lines.iter().chain(&outcome.lines) {
        writeln!(out, "{line}")?;
    }
    if outcome.burnt {
        let previous_burnt = outcome
            .lines
            .iter()
            .any(|l| l.starts_with(&previous_var) && l.contains("burnt"));
        if previous_burnt {
            writeln!(
                out,
                "  a committed secret must not stay as {previous_var}: tokens signed with it can be forged; unset it"
            )?;
        }
        writeln!(
            out,
            "burnt: a secret in use was committed; generate a new one (jwt-guard generate) and rotate"
        )?;
        Ok(BurntCheck::Found)
    } else if outcome.incomplete {
        Ok(BurntCheck::Error)
    } else {
        Ok(BurntCheck::Clean)
    }
}
