//! `jwt-guard scan`: walk the given paths, scan every Rust file, print one report.
//!
//! Exit status: 0 clean, 1 findings, 2 usage or I/O errors (a missing path argument, a
//! bad `--exclude` glob, or — when nothing was found — a file that could not be scanned).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use ignore::overrides::{Override, OverrideBuilder};
use ignore::{DirEntry, WalkBuilder};
use jwt_guard_scan::{Report, ScanOptions, Warning, format, scan_file, scan_files};

/// Scan Rust sources for hardcoded JWT secrets.
///
/// Directories are walked honouring .gitignore and .ignore files, skipping hidden
/// entries, cargo `target/` directories and (unless --include-tests) `tests/` directories;
/// symbolic links are not followed.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 clean, 1 findings, 2 usage or I/O errors \
(including, when nothing was found, a file that could not be scanned)."
)]
pub(crate) struct ScanArgs {
    /// Files or directories to scan.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also scan test code: `tests/` directories, `#[cfg(test)]` items, `#[test]` functions.
    #[arg(long)]
    include_tests: bool,
    /// Skip files and directories matching this gitignore-style glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
}

const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

pub(crate) fn run(args: &ScanArgs) -> ExitCode {
    match scan(args) {
        Ok(report) => {
            if let Err(error) = print(&report, args.format) {
                eprintln!("jwt-guard: error: cannot write the report: {error}");
                return ExitCode::from(EXIT_ERROR);
            }
            exit_status(&report)
        }
        Err(message) => {
            eprintln!("jwt-guard: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn exit_status(report: &Report) -> ExitCode {
    if !report.findings.is_empty() {
        ExitCode::from(EXIT_FINDINGS)
    } else if !report.warnings.is_empty() {
        // Nothing found, but not everything could be read: not a clean bill of health.
        ExitCode::from(EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}

fn print(report: &Report, format: Format) -> io::Result<()> {
    let rendered = match format {
        Format::Human => report.render_human(),
        Format::Json => format::json(report),
        Format::Sarif => format::sarif(report),
    };
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{}", rendered.trim_end())?;
    stdout.flush()
}

/// Scans every path argument into one report, sorted by path and position.
fn scan(args: &ScanArgs) -> Result<Report, String> {
    if let Some(missing) = args.paths.iter().find(|path| !path.exists()) {
        return Err(format!(
            "`{}`: no such file or directory",
            missing.display()
        ));
    }
    let options = ScanOptions {
        include_tests: args.include_tests,
        ..ScanOptions::default()
    };
    let mut found = Found::default();
    for root in &args.paths {
        found.walk(root, excludes(root, &args.exclude)?, args.include_tests);
    }
    // The library scans on all cores and drops the files of `#[cfg(test)] mod x;` modules.
    let mut report = scan_files(&found.files, &options);
    for file in &found.explicit {
        report.merge(scan_file(file, &options));
    }
    report.warnings.extend(found.warnings);
    report
        .findings
        .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    report.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(report)
}

/// What the walk found: Rust files, files named on the command line, and entries it
/// could not walk.
#[derive(Debug, Default)]
struct Found {
    files: Vec<PathBuf>,
    explicit: Vec<PathBuf>,
    warnings: Vec<Warning>,
}

impl Found {
    /// Collects the Rust files under `root`, or `root` itself when it is a file.
    fn walk(&mut self, root: &Path, excludes: Override, include_tests: bool) {
        if root.is_file() {
            // An explicit file is scanned whatever its name or ignore rules say.
            self.explicit.push(display_path(root));
            return;
        }
        let walker = WalkBuilder::new(root)
            .require_git(false) // honour .gitignore in a tree that is not (yet) a repository
            .overrides(excludes)
            // The root itself is always walked: `scan tests` means it.
            .filter_entry(move |entry| {
                entry.depth() == 0
                    || !(is_cargo_target(entry) || (!include_tests && is_tests_dir(entry)))
            })
            .build();
        for entry in walker {
            match entry {
                Ok(entry) if is_rust_file(&entry) => self.files.push(display_path(entry.path())),
                Ok(_) => {}
                Err(error) => self.warnings.push(walk_warning(root, &error)),
            }
        }
    }
}

/// `--exclude` globs as ignore overrides rooted at `root` (a `!` makes a glob exclude).
fn excludes(root: &Path, globs: &[String]) -> Result<Override, String> {
    let mut builder = OverrideBuilder::new(root);
    for glob in globs {
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

fn is_rust_file(entry: &DirEntry) -> bool {
    entry.file_type().is_some_and(|kind| kind.is_file())
        && entry.path().extension().is_some_and(|ext| ext == "rs")
}

fn walk_warning(root: &Path, error: &ignore::Error) -> Warning {
    let path = error_path(error).map_or_else(|| root.to_path_buf(), Path::to_path_buf);
    Warning {
        path: display_path(&path),
        message: format!("not scanned: {}", error_cause(error)),
    }
}

/// The path an `ignore` error is about, if it names one.
fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

/// The error without the path it wraps (the warning already names the path).
fn error_cause(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_cause(err),
        other => other.to_string(),
    }
}

/// A cargo build directory: `target` holding cargo's `CACHEDIR.TAG` or `.rustc_info.json`,
/// or next to a `Cargo.toml`. A source module that happens to be called `target` is kept.
fn is_cargo_target(entry: &DirEntry) -> bool {
    let path = entry.path();
    is_dir_named(entry, "target")
        && (path.join("CACHEDIR.TAG").is_file()
            || path.join(".rustc_info.json").is_file()
            || path
                .parent()
                .is_some_and(|parent| parent.join("Cargo.toml").is_file()))
}

fn is_tests_dir(entry: &DirEntry) -> bool {
    is_dir_named(entry, "tests")
}

fn is_dir_named(entry: &DirEntry, name: &str) -> bool {
    entry.file_name() == name && entry.file_type().is_some_and(|kind| kind.is_dir())
}

/// The path as walked, without a leading `./`: `scan .` reports `src/auth.rs`.
fn display_path(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}
