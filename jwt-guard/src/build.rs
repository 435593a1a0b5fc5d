//! The build-script guard: fails `cargo build` when the package's source, or its committed
//! deployment and configuration files (`.env*`, `config/`, `*.toml`/`*.yaml`/`*.json`,
//! `Dockerfile`, compose files and manifests at the package root), hold a hardcoded JWT
//! secret. [`Guard::config_files`] turns the second part off; a git-ignored, untracked
//! `.env` is never read (that is where a local secret belongs).
//!
//! In `build.rs`, with `jwt-guard = { version = "0.1", default-features = false, features =
//! ["build"] }` in `[build-dependencies]` (without default features a build script does
//! not compile the runtime's proc macro, nor SHA-256: a config finding then does not say
//! whether start-up would also refuse the value, as `jwt-guard scan` does):
//!
//! ```no_run
//! jwt_guard::build::check();
//! ```
//!
//! Or, to choose what is scanned and decide yourself:
//!
//! ```no_run
//! let report = jwt_guard::build::Guard::new().include_tests(true).add_dir("examples").run();
//! if !report.is_clean() {
//!     eprintln!("{}", report.render_human());
//! }
//! ```
//!
//! [`Guard::check`] remembers the files it found clean (path, size, modification time) in
//! `$OUT_DIR`, so after an edit only changed files are rescanned. Cargo builds build
//! dependencies unoptimised; to make the first scan fast too:
//!
//! ```toml
//! [profile.dev.package.jwt-guard-scan]
//! opt-level = 3
//! ```
//!
//! With the feature `fast-search` (and memchr optimised too), the scanner searches with
//! memchr's vectorised code rather than std's: faster once optimised, no faster without.
//!
//! The package's policy file (`[package.metadata.jwt-guard]` in `Cargo.toml`, inheriting
//! the workspace's, or `jwt-guard.toml`) adds to what the builder sets: its
//! `guard.include` paths are scanned, its `guard.exclude` paths left out, test code is
//! scanned when `guard.include-tests = true`, its `guard.max-file-size` applies unless set
//! here, and its reviewed `exceptions` move the findings they cover to
//! [`Report::excepted`] until their `expires` date (UTC). A malformed file fails the build
//! with one error per problem, naming its line and key; the manifest is watched
//! (`cargo::rerun-if-changed`).
//!
//! This module is only the Cargo glue (directives, a record of clean files in
//! `$OUT_DIR`); the scanner itself, its rules and report formats are the
//! [`jwt_guard_scan`] crate, re-exported here.

pub use jwt_guard_scan::*;

use crate::clean_files::CleanFileRecord;
use jwt_guard_scan::policy::{Date, PolicyFileError};
use std::path::{Path, PathBuf};

/// Scans the package's `src/` and `build.rs` and fails the build on findings.
///
/// Prints `cargo::rerun-if-changed=` for what it scans (an unchanged crate is not
/// rescanned) and one `cargo::error=` per rendered line for each finding and for each
/// file it could not scan (Cargo 1.84+ then fails the build: what was not read is not
/// clean). Returns the report.
pub fn check() -> Report {
    Guard::new().check()
}

/// A configurable scan of a package.
///
/// ```no_run
/// // build.rs
/// let report = jwt_guard::build::Guard::new().include_tests(true).add_dir("examples").run();
/// assert!(report.findings.is_empty(), "{}", report.render_human());
/// ```
#[derive(Debug, Clone)]
pub struct Guard {
    root: Option<PathBuf>,
    /// `src/` and `build.rs`: scanned when they exist.
    defaults: Vec<PathBuf>,
    /// Added by the caller: must exist.
    added: Vec<PathBuf>,
    excluded: Vec<PathBuf>,
    options: ScanOptions,
}

/// Directories of the package scanned for configuration files by default (when they exist).
const CONFIG_DIRS: [&str; 1] = ["config"];

impl Default for Guard {
    fn default() -> Self {
        Self::new()
    }
}

impl Guard {
    /// `src/` and `build.rs` of the package being built (`$CARGO_MANIFEST_DIR`, else the
    /// current directory).
    pub fn new() -> Self {
        Guard {
            root: None,
            defaults: vec![PathBuf::from("src"), PathBuf::from("build.rs")],
            added: Vec::new(),
            excluded: Vec::new(),
            options: ScanOptions::default(),
        }
    }

    /// The package directory the scanned paths are relative to.
    pub fn root(mut self, dir: impl Into<PathBuf>) -> Self {
        self.root = Some(dir.into());
        self
    }

    /// Also scan test code (`#[cfg(test)]`, `#[test]`, `tests/` directories).
    pub fn include_tests(mut self, yes: bool) -> Self {
        self.options.include_tests = yes;
        self
    }

    /// Also scan this directory (or file), relative to the package root. A path that
    /// does not exist is an error.
    pub fn add_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.added.push(dir.into());
        self
    }

    /// Whether to scan the package's committed deployment and configuration files too
    /// (default: yes): the configuration files at the package root (`.env*`, `*.toml`,
    /// `*.yaml`, `*.json`, `Dockerfile`, compose files, manifests, units), `config/`, and
    /// those under the scanned directories. A file git ignores and does not track (a local
    /// `.env`) is left out. Add more with [`add_dir`](Self::add_dir) (`deploy`, `k8s`, `helm`).
    pub fn config_files(mut self, yes: bool) -> Self {
        self.options.config_files = yes;
        self
    }

    /// Leave out this file or directory (relative to the package root), say a generated
    /// file over [`max_file_size`](Self::max_file_size) that holds no secret.
    pub fn exclude(mut self, path: impl Into<PathBuf>) -> Self {
        self.excluded.push(path.into());
        self
    }

    /// The largest file scanned (default 8 MiB); a larger one is an error, not skipped.
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.options.max_file_size = bytes;
        self
    }

    fn root_dir(&self) -> PathBuf {
        self.root.clone().unwrap_or_else(|| {
            std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from("."), PathBuf::from)
        })
    }

    /// The paths to scan, absolute: the defaults that exist, the package's configuration
    /// files (unless turned off), and every added one.
    fn targets(&self, root: &Path) -> Vec<PathBuf> {
        let defaults = self.defaults.iter().map(|t| root.join(t));
        let defaults = defaults.filter(|p| p.symlink_metadata().is_ok());
        let mut targets: Vec<PathBuf> = defaults.collect();
        if self.options.config_files {
            targets.extend(self.config_targets(root));
        }
        targets.extend(self.added.iter().map(|t| root.join(t)));
        targets
    }

    /// The configuration files at the package root and the config directories, sorted;
    /// not one git ignores and does not track, nor an excluded one.
    fn config_targets(&self, root: &Path) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| !p.is_dir() && is_config_file_name(p))
                    .collect()
            })
            .unwrap_or_default();
        found.extend(
            CONFIG_DIRS
                .iter()
                .map(|d| root.join(d))
                .filter(|d| d.is_dir()),
        );
        found.retain(|p| {
            !is_git_ignored_untracked(p)
                && !self.excluded.iter().any(|e| p.starts_with(root.join(e)))
        });
        found.sort();
        found
    }

    /// Scans and returns the report; prints nothing. Paths are relative to the root.
    pub fn run(&self) -> Report {
        let root = self.root_dir();
        match self.resolve(&root) {
            Ok(resolved) => resolved.guard.scan(None, &resolved.exceptions),
            Err(error) => policy_report(&error, &root),
        }
    }

    /// This guard with the package's policy file applied (see the module docs): its
    /// `include`d and `exclude`d paths added, test code scanned when it says so, its
    /// `max-file-size` unless set here; and its exceptions as of today (UTC).
    fn resolve(&self, root: &Path) -> Result<Resolved, PolicyFileError> {
        let file = jwt_guard_policy_file::discover(root)?;
        let rules = policy::guard(&file)?;
        let exceptions = policy::exceptions(&file, Date::today_utc())?;
        let mut guard = self.clone();
        guard.added.extend(rules.include.iter().cloned());
        guard.excluded.extend(rules.exclude.iter().cloned());
        if rules.include_tests == Some(true) {
            guard.options.include_tests = true;
        }
        if rules.config_files == Some(false) {
            guard.options.config_files = false;
        }
        if let Some(max) = rules.max_file_size
            && self.options.max_file_size == ScanOptions::default().max_file_size
        {
            guard.options.max_file_size = max;
        }
        Ok(Resolved {
            guard,
            exceptions,
            sources: file.sources,
        })
    }

    fn scan(
        &self,
        cache: Option<&mut (dyn CleanFiles + 'static)>,
        exceptions: &[Exception],
    ) -> Report {
        let root = self.root_dir();
        let excluded: Vec<PathBuf> = self.excluded.iter().map(|p| root.join(p)).collect();
        let exclude = |path: &Path, _is_dir: bool| excluded.iter().any(|e| path.starts_with(e));
        let walk = Walk {
            exclude: Some(&exclude),
            // Shortens the record's trait-object lifetime to the walk's.
            clean_files: match cache {
                Some(record) => Some(record),
                None => None,
            },
        };
        let mut report = scan_paths_with(&self.targets(&root), &self.options, walk);
        report.apply_exceptions(exceptions);
        for f in report
            .findings
            .iter_mut()
            .chain(report.excepted.iter_mut().map(|e| &mut e.finding))
        {
            if let Ok(rel) = f.path.strip_prefix(&root) {
                f.path = rel.to_path_buf();
            }
        }
        for w in &mut report.warnings {
            if let Ok(rel) = w.path.strip_prefix(&root) {
                w.path = rel.to_path_buf();
            }
        }
        report
    }

    /// Like [`Guard::run`], and prints the Cargo build-script directives (see [`check`]).
    ///
    /// In a build script (`$OUT_DIR` set) it remembers which files were clean, so the next
    /// run after an edit rescans only the files that changed.
    pub fn check(&self) -> Report {
        let root = self.root_dir();
        let resolved = match self.resolve(&root) {
            Ok(resolved) => resolved,
            Err(error) => {
                // No rerun-if-changed: cargo reruns the script on any change to the package.
                let report = policy_report(&error, &root);
                let mut lines = Vec::new();
                for warning in &report.warnings {
                    push_lines(&mut lines, "cargo::error=", &warning.render());
                }
                for line in lines {
                    println!("{line}");
                }
                return report;
            }
        };
        let guard = &resolved.guard;
        let store =
            std::env::var_os("OUT_DIR").map(|dir| PathBuf::from(dir).join("jwt-guard-clean-files"));
        let report = match &store {
            Some(store) => {
                let mut cache = CleanFileRecord::load(store, guard.cache_identity());
                let report = guard.scan(Some(&mut cache), &resolved.exceptions);
                cache.save(store);
                report
            }
            None => guard.scan(None, &resolved.exceptions),
        };
        for line in guard.directives(&root, &report, &resolved.sources) {
            println!("{line}");
        }
        report
    }

    /// What the cached results depend on: this guard's version and options, and the build
    /// script binary (rebuilt whenever jwt-guard's rules change).
    fn cache_identity(&self) -> String {
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        format!(
            "jwt-guard {} include_tests={} max_file_size={} config_files={} excluded={:?} exe={exe}",
            env!("CARGO_PKG_VERSION"),
            self.options.include_tests,
            self.options.max_file_size,
            self.options.config_files,
            self.excluded
        )
    }

    /// The build-script output for `report`, one directive per line; `sources` are the
    /// policy files read.
    fn directives(&self, root: &Path, report: &Report, sources: &[PathBuf]) -> Vec<String> {
        let mut out: Vec<String> = self
            .targets(root)
            .iter()
            .chain(sources)
            .filter_map(|p| p.to_str().filter(|p| !p.contains(['\n', '\r'])))
            .map(|p| format!("cargo::rerun-if-changed={p}"))
            .collect();
        for warning in &report.warnings {
            push_lines(&mut out, "cargo::error=", &warning.render());
        }
        for finding in &report.findings {
            push_lines(&mut out, "cargo::error=", &finding.render());
        }
        if !report.is_clean() {
            push_lines(&mut out, "cargo::error=", &report.summary());
        }
        out
    }
}

/// A guard with the policy file applied, and what it read.
struct Resolved {
    guard: Guard,
    exceptions: Vec<Exception>,
    sources: Vec<PathBuf>,
}

/// A malformed policy file fails the build like a file that cannot be scanned: one error
/// per problem, naming the line and the key.
fn policy_report(error: &PolicyFileError, root: &Path) -> Report {
    let warnings = error
        .problems()
        .iter()
        .map(|problem| {
            let location = &problem.location;
            let path = location
                .file
                .strip_prefix(root)
                .map_or_else(|_| location.file.clone(), Path::to_path_buf);
            let at = if location.line == 0 {
                String::new()
            } else {
                format!(" at line {}, column {}", location.line, location.column)
            };
            let key = problem
                .key
                .as_ref()
                .map_or_else(String::new, |key| format!(": `{key}`"));
            Warning::new(
                path,
                format!("invalid jwt-guard policy{at}{key}: {}", problem.message),
            )
        })
        .collect();
    let mut report = Report::default();
    report.warnings = warnings;
    report
}

/// One directive per line of `text`, so nothing in it (a file name with a line break) can
/// start a directive of its own. Cargo shows each as its own line; blank ones stay visible.
fn push_lines(out: &mut Vec<String>, directive: &str, text: &str) {
    for line in text.split(['\n', '\r']) {
        out.push(format!(
            "{directive}{}",
            if line.is_empty() { " " } else { line }
        ));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::fs;

    fn package() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("src")).unwrap();
        fs::create_dir_all(root.join("examples")).unwrap();
        fs::write(
            root.join("build.rs"),
            "fn main() { jwt_guard::build::check(); }\n",
        )
        .unwrap();
        fs::write(root.join("src/lib.rs"), "pub fn k() { EncodingKey::from_secret(b\"guard-secret-1\"); }\n#[cfg(test)]\nmod t { const JWT_SECRET: &str = \"guard-secret-2\"; }\n").unwrap();
        fs::write(
            root.join("examples/demo.rs"),
            "const APP_SECRET: &str = \"guard-secret-3\";\n",
        )
        .unwrap();
        tmp
    }

    #[test]
    fn guard_scans_src_and_build_rs_with_relative_paths() {
        let tmp = package();
        let report = Guard::new().root(tmp.path()).run();
        assert_eq!(report.files_scanned, 2);
        let found: Vec<(String, usize)> = report
            .findings
            .iter()
            .map(|f| (f.path.display().to_string(), f.line))
            .collect();
        assert_eq!(found, [("src/lib.rs".to_owned(), 1)]);
    }

    #[test]
    fn guard_scans_the_package_s_config_files_unless_turned_off() {
        let tmp = package();
        let root = tmp.path();
        fs::create_dir_all(root.join("config")).unwrap();
        fs::create_dir_all(root.join("deploy")).unwrap();
        fs::write(
            root.join("config/default.toml"),
            "[jwt]\nsecret = \"guard-cfg-1\"\n",
        )
        .unwrap();
        fs::write(
            root.join("docker-compose.yml"),
            "services:\n  a:\n    environment:\n      JWT_SECRET: guard-cfg-2\n",
        )
        .unwrap();
        fs::write(
            root.join("deploy/k8s.yaml"),
            "env:\n  - name: JWT_SECRET\n    value: guard-cfg-3\n",
        )
        .unwrap();
        // A local, git-ignored, untracked .env is where a secret belongs.
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::write(root.join(".gitignore"), ".env\n").unwrap();
        fs::write(root.join(".env"), "JWT_SECRET=guard-cfg-4\n").unwrap();
        let found = |report: &Report| {
            let mut found: Vec<String> = report
                .findings
                .iter()
                .map(|f| format!("{}:{}", f.path.display(), f.line))
                .collect();
            found.sort();
            found
        };
        let guard = Guard::new().root(root);
        let report = guard.run();
        assert_eq!(
            found(&report),
            [
                "config/default.toml:2",
                "docker-compose.yml:4",
                "src/lib.rs:1"
            ]
        );
        let directives = guard.directives(root, &report, &[]).join("\n");
        assert!(
            directives.contains("rerun-if-changed") && directives.contains("docker-compose.yml")
        );
        assert!(!directives.contains("guard-cfg"), "{directives}");
        let report = Guard::new().root(root).add_dir("deploy").run();
        assert!(found(&report).contains(&"deploy/k8s.yaml:3".to_owned()));
        let report = Guard::new().root(root).config_files(false).run();
        assert_eq!(found(&report), ["src/lib.rs:1"]);
    }

    #[test]
    fn guard_options_add_dirs_and_tests() {
        let tmp = package();
        let report = Guard::new()
            .root(tmp.path())
            .include_tests(true)
            .add_dir("examples")
            .run();
        let mut found: Vec<String> = report
            .findings
            .iter()
            .map(|f| format!("{}:{}", f.path.display(), f.line))
            .collect();
        found.sort();
        assert_eq!(
            found,
            ["examples/demo.rs:1", "src/lib.rs:1", "src/lib.rs:3"]
        );
    }

    #[test]
    fn directives_rerun_on_scanned_paths_and_error_per_rendered_line() {
        let tmp = package();
        let guard = Guard::new().root(tmp.path());
        let report = guard.run();
        let lines = guard.directives(tmp.path(), &report, &[]);
        assert!(lines.iter().all(|l| l.starts_with("cargo::")));
        let reruns: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with("cargo::rerun-if-changed="))
            .collect();
        assert_eq!(reruns.len(), 2, "src and build.rs: {reruns:?}");
        let errors: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("cargo::error="))
            .collect();
        let rendered = report.findings[0].render();
        assert_eq!(errors.len(), rendered.lines().count() + 1);
        assert_eq!(errors[0], "error: hardcoded JWT secret [key-literal]");
        assert!(
            errors
                .last()
                .unwrap()
                .starts_with("jwt-guard: 2 files scanned, 1 finding")
        );
        assert!(lines.iter().all(|l| !l.contains("guard-sec")));
    }

    /// Issue 7: no directive prints a test-only literal shown on a finding's line, and
    /// code a debug build compiles (`cfg(any(test, debug_assertions))`) fails the build.
    #[test]
    fn directives_mask_every_literal_of_a_shown_line() {
        let tmp = package();
        fs::write(
            tmp.path().join("src/lib.rs"),
            "#[cfg(test)] const JWT_SECRET: &str = \"Te1aQw9zXcVbNm\"; const APP_SECRET: &str = \"Te2bRt8yVbNmQa\";\n#[cfg(any(test, debug_assertions))]\npub const SECRET_KEY: &str = \"Dv7pLm2vRt9sWk4bNz8c\";\n",
        )
        .unwrap();
        for include_tests in [false, true] {
            let guard = Guard::new().root(tmp.path()).include_tests(include_tests);
            let report = guard.run();
            let lines: Vec<usize> = report.findings.iter().map(|f| f.line).collect();
            let want: &[usize] = if include_tests { &[1, 1, 3] } else { &[1, 3] };
            assert_eq!(lines, want);
            let directives = guard.directives(tmp.path(), &report, &[]).join("\n");
            assert!(directives.contains("cargo::error="), "{directives}");
            for secret in ["Te1aQw9zXcVbNm", "Te2bRt8yVbNmQa", "Dv7pLm2vRt9sWk4bNz8c"] {
                for window in secret.as_bytes().windows(8) {
                    let window = std::str::from_utf8(window).unwrap();
                    assert!(!directives.contains(window), "{window} in:\n{directives}");
                }
            }
        }
    }

    #[test]
    fn what_cannot_be_scanned_fails_the_build() {
        let tmp = package();
        fs::write(tmp.path().join("src/lib.rs"), "pub fn k() {}\n").unwrap();
        fs::write(tmp.path().join("src/big.rs"), "x".repeat(100)).unwrap();
        // An added path that does not exist, and a file over the limit.
        let guard = Guard::new()
            .root(tmp.path())
            .add_dir("missing")
            .max_file_size(99);
        let report = guard.run();
        assert!(report.findings.is_empty());
        assert!(!report.is_clean());
        let lines = guard.directives(tmp.path(), &report, &[]);
        let errors: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("cargo::error="))
            .collect();
        assert!(
            errors.iter().any(|l| l.contains("cannot scan missing")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|l| l.contains("cannot scan src/big.rs")),
            "{errors:?}"
        );
        assert!(lines.iter().all(|l| !l.starts_with("cargo::warning")));
        // Excluded explicitly, the generated file is left out and the build passes.
        let guard = Guard::new()
            .root(tmp.path())
            .max_file_size(99)
            .exclude("src/big.rs");
        assert!(guard.run().is_clean());
    }

    #[test]
    fn the_cache_skips_unchanged_clean_files_and_rescans_changed_ones() {
        let tmp = package();
        let lib = tmp.path().join("src/lib.rs");
        fs::write(&lib, "pub fn k() { /* clean, for now. */ }\n\n").unwrap();
        let guard = Guard::new().root(tmp.path());
        let store = tmp.path().join("cache");
        let mut cache = CleanFileRecord::load(&store, guard.cache_identity());
        assert!(guard.scan(Some(&mut cache), &[]).is_clean());
        cache.save(&store);

        // Same size and modification time: the cache answers, the file is not read.
        let mtime = fs::metadata(&lib).unwrap().modified().unwrap();
        fs::write(&lib, "const JWT_SECRET:&str=\"cache-sec-01\";\n").unwrap();
        fs::File::options()
            .write(true)
            .open(&lib)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let mut cache = CleanFileRecord::load(&store, guard.cache_identity());
        let report = guard.scan(Some(&mut cache), &[]);
        assert!(report.is_clean());
        assert_eq!(report.files_scanned, 2);
        assert_eq!(
            guard.run().findings.len(),
            1,
            "without the cache the secret is seen"
        );

        // A real edit changes the stamp: rescanned and found, and no longer cached as clean.
        fs::write(&lib, "const JWT_SECRET: &str = \"cache-sec-02\";\n").unwrap();
        assert_eq!(guard.scan(Some(&mut cache), &[]).findings.len(), 1);
        assert_eq!(cache.lookup(&lib), None);
    }

    #[test]
    fn odd_file_names_cannot_inject_directives() {
        let tmp = package();
        let odd = tmp.path().join("src/x\ncargo::rustc-link-arg=-evil.rs");
        fs::write(&odd, b"\xff not utf-8").unwrap();
        let guard = Guard::new().root(tmp.path());
        let report = guard.run();
        assert_eq!(report.warnings.len(), 1);
        let lines = guard.directives(tmp.path(), &report, &[]);
        assert!(
            lines
                .iter()
                .all(|l| l.starts_with("cargo::rerun-if-changed=")
                    || l.starts_with("cargo::warning=")
                    || l.starts_with("cargo::error=")),
            "{lines:#?}"
        );
    }

    /// The package's `[package.metadata.jwt-guard]` sets the scope and the exceptions.
    #[test]
    fn the_policy_file_sets_scope_and_exceptions() {
        let tmp = package();
        let manifest = "[package]\nname = \"p\"\nversion = \"0.1.0\"\n\n\
            [package.metadata.jwt-guard.guard]\ninclude = [\"examples\"]\ninclude-tests = true\n\n\
            [[package.metadata.jwt-guard.exceptions]]\npath = \"src/lib.rs\"\nrule = \"key-literal\"\nline = 1\nreason = \"a fixture\"\n\n\
            [[package.metadata.jwt-guard.exceptions]]\npath = \"examples/demo.rs\"\nrule = \"secret-binding\"\nline = 1\nreason = \"was a fixture\"\nexpires = 2020-01-01\n";
        fs::write(tmp.path().join("Cargo.toml"), manifest).unwrap();
        let report = Guard::new().root(tmp.path()).run();
        let found: Vec<String> = report
            .findings
            .iter()
            .map(|f| format!("{}:{}", f.path.display(), f.line))
            .collect();
        assert_eq!(found, ["src/lib.rs:3", "examples/demo.rs:1"]);
        assert!(report.findings[1].message.contains("expired on 2020-01-01"));
        assert_eq!(report.excepted.len(), 1);
        assert_eq!(report.excepted[0].finding.path, Path::new("src/lib.rs"));
        assert_eq!(report.excepted[0].reason, "a fixture");
        // The manifest is watched, so an edit to the policy reruns the guard.
        let resolved = Guard::new().root(tmp.path()).resolve(tmp.path()).unwrap();
        let lines = resolved
            .guard
            .directives(tmp.path(), &report, &resolved.sources);
        let watched = format!(
            "cargo::rerun-if-changed={}",
            tmp.path().join("Cargo.toml").display()
        );
        assert!(lines.contains(&watched), "{lines:#?}");

        // Excluded by the file, the directory is not scanned: build.rs and the manifest
        // (a configuration file) are.
        let manifest = "[package]\nname = \"p\"\nversion = \"0.1.0\"\n[package.metadata.jwt-guard]\nguard.exclude = [\"src\"]\n";
        fs::write(tmp.path().join("Cargo.toml"), manifest).unwrap();
        let report = Guard::new().root(tmp.path()).run();
        assert!(report.is_clean() && report.files_scanned == 2, "{report:?}");
    }

    #[test]
    fn a_malformed_policy_file_fails_the_build() {
        let tmp = package();
        let manifest = "[package]\nname = \"p\"\nversion = \"0.1.0\"\n[package.metadata.jwt-guard]\nmin-len = 16\n\
            [[package.metadata.jwt-guard.exceptions]]\npath = \"src/lib.rs\"\nrule = \"no-such-rule\"\nline = 1\nreason = \"r\"\n";
        fs::write(tmp.path().join("Cargo.toml"), manifest).unwrap();
        let report = Guard::new().root(tmp.path()).run();
        assert!(!report.is_clean());
        assert_eq!(report.files_scanned, 0);
        let messages: Vec<String> = report.warnings.iter().map(Warning::render).collect();
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(messages[0].contains("cannot scan Cargo.toml: invalid jwt-guard policy at line 5, column 11: `package.metadata.jwt-guard.min-len`: 16 is below the built-in minimum"), "{messages:#?}");
        // Once the file parses, a rule the scanner does not know is the error.
        let manifest = manifest.replace("min-len = 16", "min-len = 40");
        fs::write(tmp.path().join("Cargo.toml"), manifest).unwrap();
        let report = Guard::new().root(tmp.path()).run();
        let message = report.warnings[0].render();
        assert!(
            message.contains("at line 8, column 8: `rule`: unknown rule \"no-such-rule\""),
            "{message}"
        );
    }

    #[test]
    fn a_clean_package_prints_no_error() {
        let tmp = package();
        fs::write(tmp.path().join("src/lib.rs"), "pub fn k() {}\n").unwrap();
        let guard = Guard::new().root(tmp.path());
        let report = guard.run();
        assert!(report.is_clean());
        assert!(
            guard
                .directives(tmp.path(), &report, &[])
                .iter()
                .all(|l| !l.starts_with("cargo::error"))
        );
    }
}
