//! Cargo integration: [`check`] for `build.rs`, and [`Guard`] for callers who decide themselves.

use super::Report;
use super::scan::ScanOptions;
use super::walk::scan_paths;
use std::path::{Path, PathBuf};

/// Scans the package's `src/` and `build.rs` and fails the build on findings.
///
/// Prints `cargo::rerun-if-changed=` for what it scans (an unchanged crate is not
/// rescanned), one `cargo::error=` per rendered line for each finding (Cargo 1.84+ then
/// fails the build) and one `cargo::warning=` per warning. Returns the report.
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
    targets: Vec<PathBuf>,
    options: ScanOptions,
}

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
            targets: vec![PathBuf::from("src"), PathBuf::from("build.rs")],
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

    /// Also scan this directory (or file), relative to the package root.
    pub fn add_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.targets.push(dir.into());
        self
    }

    /// Skip files larger than this (with a warning).
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.options.max_file_size = bytes;
        self
    }

    fn root_dir(&self) -> PathBuf {
        self.root.clone().unwrap_or_else(|| {
            std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from("."), PathBuf::from)
        })
    }

    /// The existing paths to scan, absolute.
    fn existing_targets(&self, root: &Path) -> Vec<PathBuf> {
        self.targets
            .iter()
            .map(|t| root.join(t))
            .filter(|p| p.exists())
            .collect()
    }

    /// Scans and returns the report; prints nothing. Paths are relative to the root.
    pub fn run(&self) -> Report {
        let root = self.root_dir();
        let mut report = scan_paths(&self.existing_targets(&root), &self.options);
        for f in &mut report.findings {
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
    pub fn check(&self) -> Report {
        let root = self.root_dir();
        let report = self.run();
        for line in self.directives(&root, &report) {
            println!("{line}");
        }
        report
    }

    /// The build-script output for `report`, one directive per line.
    fn directives(&self, root: &Path, report: &Report) -> Vec<String> {
        let mut out: Vec<String> = self
            .existing_targets(root)
            .iter()
            .map(|p| format!("cargo::rerun-if-changed={}", p.display()))
            .collect();
        for warning in &report.warnings {
            out.push(format!(
                "cargo::warning={}: {}",
                warning.path.display(),
                warning.message
            ));
        }
        for finding in &report.findings {
            for line in finding.render().lines() {
                // Cargo shows each directive as its own `error:` line; keep blank ones visible.
                out.push(format!(
                    "cargo::error={}",
                    if line.is_empty() { " " } else { line }
                ));
            }
        }
        if !report.findings.is_empty() {
            out.push(format!("cargo::error={}", report.summary()));
        }
        out
    }
}
