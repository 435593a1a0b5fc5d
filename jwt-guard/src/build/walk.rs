//! A std-only directory walker feeding [`scan_file`].

use super::scan::{ScanOptions, scan_file};
use super::{Report, Warning};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Scans files and directories. Directories are walked recursively for `*.rs` files, in
/// sorted order, skipping `target/`, hidden directories and (unless
/// [`ScanOptions::include_tests`]) directories named `tests`; symbolic links are followed
/// once (a loop is a warning). Paths given explicitly are always scanned.
pub fn scan_paths(paths: &[PathBuf], options: &ScanOptions) -> Report {
    let mut walker = Walker {
        options,
        report: Report::default(),
        visited: HashSet::new(),
    };
    for path in paths {
        walker.visit(path, true);
    }
    walker.report
}

struct Walker<'o> {
    options: &'o ScanOptions,
    report: Report,
    /// Canonical directories already walked: a symlink back to one is a loop.
    visited: HashSet<PathBuf>,
}

impl Walker<'_> {
    fn warn(&mut self, path: &Path, message: String) {
        self.report.warnings.push(Warning {
            path: path.to_path_buf(),
            message,
        });
    }

    fn visit(&mut self, path: &Path, explicit: bool) {
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                let broken_link =
                    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
                let what = if broken_link {
                    "broken symbolic link".to_owned()
                } else {
                    format!("cannot read: {e}")
                };
                return self.warn(path, what);
            }
        };
        if meta.is_dir() {
            if !explicit && self.skipped_dir(path) {
                return;
            }
            self.walk_dir(path);
        } else if explicit || path.extension().is_some_and(|e| e == "rs") {
            let report = scan_file(path, self.options);
            self.report.merge(report);
        }
    }

    fn skipped_dir(&self, path: &Path) -> bool {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        name == "target"
            || name.starts_with('.')
            || (name == "tests" && !self.options.include_tests)
    }

    fn walk_dir(&mut self, dir: &Path) {
        match fs::canonicalize(dir) {
            Ok(canonical) => {
                if !self.visited.insert(canonical) {
                    return self.warn(
                        dir,
                        "directory already scanned (a symbolic link loop?); skipped".into(),
                    );
                }
            }
            Err(e) => return self.warn(dir, format!("cannot resolve: {e}")),
        }
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.warn(dir, format!("cannot list directory: {e}")),
        };
        let mut children = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => children.push(entry.path()),
                Err(e) => self.warn(dir, format!("cannot list directory entry: {e}")),
            }
        }
        children.sort();
        for child in children {
            self.visit(&child, false);
        }
    }
}
