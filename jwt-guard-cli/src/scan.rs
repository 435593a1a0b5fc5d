//! `jwt-guard scan`: walk the given paths, scan every Rust file, print one report.
//!
//! Exit status: 0 clean, 1 findings, 2 usage or I/O errors (a missing path argument, a
//! bad `--exclude` glob, or — when nothing was found — a file that could not be scanned).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use ignore::overrides::{Override, OverrideBuilder};
use jwt_guard::policy_file::discover;
use jwt_guard_scan::policy::{self, Date, GuardRules, PolicyFile};
use jwt_guard_scan::{Exception, Report, ScanOptions, Walk, format, scan_paths_with, shown};

/// Scan Rust sources and deployment/configuration files for hardcoded JWT secrets.
///
/// Directories are walked whole, as a build script's guard walks them, following symbolic
/// links, skipping only cargo target directories (tagged with CACHEDIR.TAG),
/// version-control metadata (.git, .hg, .svn, .jj), --exclude globs and (unless
/// --include-tests) test code: a package's `tests/` and `#[cfg(test)]` modules.
/// .gitignore is not read for Rust files: an ignored source file still ships in the binary.
/// Configuration files (.env, compose, Dockerfile, Kubernetes, Helm, systemd, TOML, YAML,
/// JSON, CI workflows, shell scripts) are read too, except one git ignores and does not
/// track (a local .env). JSON has no comments: --exclude a JSON file to accept it.
///
/// Each path's policy file (`[package.metadata.jwt-guard]` of the nearest Cargo.toml at or
/// above it, its workspace's, or a jwt-guard.toml) adds its `guard` paths, excludes and
/// scope, and its reviewed exceptions, reported as suppressed with their reasons; a
/// malformed one is an error (exit 2).
///
/// With --history or --staged, PATH names a git repository (default: the current
/// directory) and what is scanned is its committed or staged content, read in-process.
/// The policy file found from PATH applies as at HEAD: its excludes (as paths in the
/// repository, in every commit), scope and exceptions. A bare repository has no work
/// tree, so no policy file is read: scan a clone to apply it.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 clean, 1 findings, 2 usage or I/O errors \
(including, when nothing was found, a file that could not be scanned)."
)]
pub(crate) struct ScanArgs {
    /// Files or directories to scan.
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
    /// Also scan test code: `tests/` directories, `#[cfg(test)]` items, `#[test]` functions.
    #[arg(long)]
    pub(crate) include_tests: bool,
    /// Skip files and directories matching this gitignore-style glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// The largest file scanned, in bytes; a larger one is an error (exit 2), not skipped.
    #[arg(long, value_name = "BYTES", default_value_t = ScanOptions::default().max_file_size)]
    pub(crate) max_file_size: u64,
    #[command(flatten)]
    pub(crate) git: crate::history::cli::GitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
    Sarif,
}

const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

pub(crate) fn run(args: &ScanArgs) -> ExitCode {
    if args.git.is_git() {
        return crate::history::cli::scan(args);
    }
    match scan(args) {
        Ok(report) => {
            if let Err(error) = print(&report, args.format) {
                let _ = writeln!(
                    io::stderr(),
                    "jwt-guard: error: cannot write the report: {error}"
                );
                return ExitCode::from(EXIT_ERROR);
            }
            exit_status(&report)
        }
        Err(message) => {
            // Nothing more can be said if stderr is gone too.
            let _ = writeln!(io::stderr(), "jwt-guard: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

pub(crate) fn exit_status(report: &Report) -> ExitCode {
    if !report.findings.is_empty() {
        ExitCode::from(EXIT_FINDINGS)
    } else if !report.warnings.is_empty() {
        // Nothing found, but not everything could be read: not a clean bill of health.
        ExitCode::from(EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}

pub(crate) fn print(report: &Report, format: Format) -> io::Result<()> {
    let rendered = match format {
        Format::Human => report.render_human(),
        Format::Json => format::json(report),
        Format::Sarif => format::sarif(report),
    };
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{}", rendered.trim_end())?;
    stdout.flush()
}

/// Scans every path argument into one report, sorted by path and position: the paths
/// under one policy file in one walk.
fn scan(args: &ScanArgs) -> Result<Report, String> {
    if let Some(missing) = args
        .paths
        .iter()
        .find(|path| path.symlink_metadata().is_err())
    {
        return Err(format!("`{}`: no such file or directory", shown(missing)));
    }
    let mut groups: Vec<(PolicyFile, Vec<PathBuf>)> = Vec::new();
    for path in &args.paths {
        let file = discover(policy_dir(path)).map_err(|error| error.to_string())?;
        match groups.iter_mut().find(|(known, _)| *known == file) {
            Some((_, paths)) => paths.push(path.clone()),
            None => groups.push((file, vec![path.clone()])),
        }
    }
    let mut report = Report::default();
    for (file, paths) in &groups {
        report.merge(scan_group(args, file, paths)?);
    }
    crate::public_jwt::mark_public_secrets(&mut report);
    for finding in report
        .findings
        .iter_mut()
        .chain(report.excepted.iter_mut().map(|e| &mut e.finding))
    {
        finding.path = display_path(&finding.path);
    }
    for warning in &mut report.warnings {
        warning.path = display_path(&warning.path);
    }
    report
        .findings
        .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    report.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(report)
}

/// Where the policy file of `path` is looked for: the directory itself, or a file's.
pub(crate) fn policy_dir(path: &Path) -> &Path {
    let dir = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(Path::new("."))
    };
    if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }
}

/// What one policy file and the command line make of a scan, shared by a scan of the
/// working tree and of git (`--history`, `--staged`).
pub(crate) struct Scope<'f> {
    /// Test code when the file or --include-tests says so; configuration files unless the
    /// file says `config-files = false`; --max-file-size when given, else the file's.
    pub(crate) options: ScanOptions,
    /// The file's `include`d and `exclude`d paths (absolute).
    pub(crate) rules: &'f GuardRules,
    /// The file's reviewed exceptions as of today (UTC): an expired one reports its
    /// finding again.
    pub(crate) exceptions: Vec<Exception>,
}

/// The scope `file` and `args` give; an exception naming an unknown rule is an error.
pub(crate) fn scope<'f>(args: &ScanArgs, file: &'f PolicyFile) -> Result<Scope<'f>, String> {
    let rules = policy::guard(file).map_err(|error| error.to_string())?;
    let exceptions =
        policy::exceptions(file, Date::today_utc()).map_err(|error| error.to_string())?;
    let max_file_size = match rules.max_file_size {
        Some(max) if args.max_file_size == ScanOptions::default().max_file_size => max,
        _ => args.max_file_size,
    };
    let options = ScanOptions::default()
        .include_tests(args.include_tests || rules.include_tests == Some(true))
        .config_files(rules.config_files != Some(false))
        .max_file_size(max_file_size);
    Ok(Scope {
        options,
        rules,
        exceptions,
    })
}

/// The paths under one policy file: its `include`d paths scanned too, its `exclude`d ones
/// left out, test code when it or --include-tests says so, and its exceptions applied.
fn scan_group(args: &ScanArgs, file: &PolicyFile, paths: &[PathBuf]) -> Result<Report, String> {
    let Scope {
        options,
        rules,
        exceptions,
    } = scope(args, file)?;
    let mut roots = paths.to_vec();
    roots.extend(rules.include.iter().cloned());
    let excluded_by_file = &rules.exclude;
    let roots = &roots;
    let excludes = roots
        .iter()
        .map(|root| excludes(root, &args.exclude))
        .collect::<Result<Vec<_>, _>>()?;
    let exclude = |path: &Path, is_dir: bool| {
        excludes
            .iter()
            .any(|globs| globs.matched(path, is_dir).is_ignore())
            || (!excluded_by_file.is_empty()
                && std::path::absolute(path)
                    .is_ok_and(|path| excluded_by_file.iter().any(|e| path.starts_with(e))))
    };
    let walk = Walk {
        exclude: Some(&exclude),
        ..Walk::default()
    };
    let mut report = scan_paths_with(roots, &options, walk);
    report.apply_exceptions(&exceptions);
    Ok(report)
}

/// `--exclude` globs as gitignore-style overrides rooted at `root` (a `!` makes a glob
/// exclude). An empty or blank glob is refused: an unset variable in `--exclude "$X"`
/// must not exclude everything.
pub(crate) fn excludes(root: &Path, globs: &[String]) -> Result<Override, String> {
    let mut builder = OverrideBuilder::new(root);
    for glob in globs {
        if glob.trim().is_empty() {
            return Err("--exclude needs a glob; an empty one would exclude everything".into());
        }
        builder
            .add(&format!("!{glob}"))
            .map_err(|error| format!("--exclude `{glob}`: {}", glob_error(&error)))?;
    }
    builder
        .build()
        .map_err(|error| format!("--exclude: {error}"))
}

/// A glob error without the `!` we prepended.
fn glob_error(error: &ignore::Error) -> String {
    match error {
        ignore::Error::Glob { err, .. } => err.clone(),
        other => other.to_string(),
    }
}

/// The path as walked, without a leading `./`: `scan .` reports `src/auth.rs`.
fn display_path(path: &Path) -> PathBuf {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => path.to_path_buf(),
    }
}
