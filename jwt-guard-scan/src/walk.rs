//! A std-only directory walker feeding [`scan_file`].

use super::scan::{ScanOptions, scan_file_and_test_modules};
use super::{Report, Warning};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Scans files and directories. Directories are walked recursively for `*.rs` files, in
/// sorted order, skipping `target/`, hidden directories and (unless
/// [`ScanOptions::include_tests`]) directories named `tests` and the files of out-of-line
/// test modules (`#[cfg(test)] mod tests;` makes `tests.rs` or `tests/mod.rs` next to a
/// `mod.rs`/`lib.rs`/`main.rs`, or in the directory named after any other declaring file,
/// test code); symbolic links are followed once (a loop is a warning). Paths given
/// explicitly are always scanned. Files are scanned on all cores; the report lists them in
/// walk order whatever the thread timing.
pub fn scan_paths(paths: &[PathBuf], options: &ScanOptions) -> Report {
    scan_paths_cached(paths, options, None)
}

/// Scans a list of files found by the caller's own walk (say, one that honours
/// `.gitignore`): like the files [`scan_paths`] finds in a directory, they are scanned on
/// all cores and the files of out-of-line test modules are left out unless
/// [`ScanOptions::include_tests`].
pub fn scan_files(files: &[PathBuf], options: &ScanOptions) -> Report {
    let files: Vec<File> = files
        .iter()
        .map(|path| File {
            path: path.clone(),
            explicit: false,
        })
        .collect();
    scan_found(files, Vec::new(), options, None)
}

/// A record of files found clean by an earlier scan (a build script keeps one between
/// runs), so that an unchanged file is not read again.
pub trait CleanFiles: Sync {
    /// The out-of-line test modules of `path` when it is known clean and unchanged.
    fn lookup(&self, path: &Path) -> Option<Vec<String>>;
    /// `path` was scanned and is clean; `test_modules` are its `#[cfg(test)] mod x;` names.
    fn record(&mut self, path: &Path, test_modules: &[String]);
    /// `path` is not (or no longer) clean.
    fn forget(&mut self, path: &Path);
}

/// [`scan_paths`], skipping files `cache` knows clean and recording new clean ones.
pub fn scan_paths_cached(
    paths: &[PathBuf],
    options: &ScanOptions,
    cache: Option<&mut dyn CleanFiles>,
) -> Report {
    let mut walker = Walker {
        options,
        warnings: Vec::new(),
        visited: HashSet::new(),
        files: Vec::new(),
    };
    for path in paths {
        walker.visit(path, true);
    }
    scan_found(walker.files, walker.warnings, options, cache)
}

/// Scans the files of a walk and assembles the report in walk order.
fn scan_found(
    files: Vec<File>,
    walk_warnings: Vec<Warning>,
    options: &ScanOptions,
    mut cache: Option<&mut dyn CleanFiles>,
) -> Report {
    let (scanned, mut warnings) = scan_all(&files, options, cache.as_deref());
    if let Some(cache) = cache.as_mut() {
        for (file, (report, modules)) in files.iter().zip(&scanned) {
            let clean =
                report.findings.is_empty() && report.warnings.is_empty() && report.suppressed == 0;
            if clean && report.files_scanned == 1 {
                cache.record(&file.path, modules);
            } else {
                cache.forget(&file.path);
            }
        }
    }
    let mut test_files = HashSet::new();
    if !options.include_tests {
        for (file, (_, modules)) in files.iter().zip(&scanned) {
            note_test_modules(&file.path, modules, &mut test_files);
        }
    }
    let mut report = Report {
        warnings: walk_warnings,
        ..Report::default()
    };
    for (file, (file_report, _)) in files.iter().zip(scanned) {
        if file.explicit || !test_files.contains(&file.path) {
            report.merge(file_report);
        }
    }
    report.warnings.append(&mut warnings);
    report
}

/// A file found by the walk.
struct File {
    path: PathBuf,
    /// Named by the caller rather than found in a directory.
    explicit: bool,
}

type FileResult = (Report, Vec<String>);

/// Scans `files` on up to all cores; results come back in the order of `files`.
fn scan_all(
    files: &[File],
    options: &ScanOptions,
    cache: Option<&dyn CleanFiles>,
) -> (Vec<FileResult>, Vec<Warning>) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(files.len().div_ceil(8))
        .max(1);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(file) = files.get(i) else { break };
            let cached = cache.and_then(|c| c.lookup(&file.path)).map(|modules| {
                let report = Report {
                    files_scanned: 1,
                    ..Report::default()
                };
                (report, modules)
            });
            let result = cached.unwrap_or_else(|| scan_file_and_test_modules(&file.path, options));
            done.push((i, result));
        }
        done
    };
    let mut results: Vec<Option<FileResult>> = Vec::new();
    results.resize_with(files.len(), || None);
    let mut warnings = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        for handle in handles {
            match handle.join() {
                Ok(done) => {
                    for (i, result) in done {
                        results[i] = Some(result);
                    }
                }
                Err(_) => warnings.push(Warning {
                    path: PathBuf::new(),
                    message:
                        "internal error: a scanning thread stopped; some files were not scanned"
                            .into(),
                }),
            }
        }
    });
    let results = results.into_iter().map(Option::unwrap_or_default).collect();
    (results, warnings)
}

/// Remembers where the files of `path`'s out-of-line test modules are: next to a
/// `mod.rs`/`lib.rs`/`main.rs`, else in the directory named after the declaring file.
fn note_test_modules(path: &Path, modules: &[String], test_files: &mut HashSet<PathBuf>) {
    if modules.is_empty() {
        return;
    }
    let Some(parent) = path.parent() else { return };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let dir = if matches!(stem.as_ref(), "mod" | "lib" | "main") {
        parent.to_path_buf()
    } else {
        parent.join(stem.as_ref())
    };
    for name in modules {
        test_files.insert(dir.join(format!("{name}.rs")));
        test_files.insert(dir.join(name).join("mod.rs"));
    }
}

struct Walker<'o> {
    options: &'o ScanOptions,
    warnings: Vec<Warning>,
    /// Canonical directories already walked: a symlink back to one is a loop.
    visited: HashSet<PathBuf>,
    files: Vec<File>,
}

impl Walker<'_> {
    fn warn(&mut self, path: &Path, message: String) {
        self.warnings.push(Warning {
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
            self.files.push(File {
                path: path.to_path_buf(),
                explicit,
            });
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const HARDCODED: &str = "const JWT_SECRET: &str = \"walker-secret-1\";\n";

    fn tree() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for dir in ["src/nested", "target/debug", ".git", "tests", "examples"] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        for file in [
            "src/lib.rs",
            "src/nested/deep.rs",
            "target/debug/gen.rs",
            ".git/hook.rs",
            "tests/it.rs",
            "examples/demo.rs",
        ] {
            fs::write(root.join(file), HARDCODED).unwrap();
        }
        fs::write(root.join("src/README.md"), HARDCODED).unwrap();
        tmp
    }

    fn scanned(report: &Report, root: &Path) -> Vec<String> {
        let mut paths: Vec<String> = report
            .findings
            .iter()
            .map(|f| f.path.strip_prefix(root).unwrap().display().to_string())
            .collect();
        paths.sort();
        paths
    }

    #[test]
    fn walks_rust_files_skipping_target_hidden_and_tests() {
        let tmp = tree();
        let report = scan_paths(&[tmp.path().to_path_buf()], &ScanOptions::default());
        assert_eq!(
            scanned(&report, tmp.path()),
            ["examples/demo.rs", "src/lib.rs", "src/nested/deep.rs"]
        );
        assert_eq!(report.files_scanned, 3);
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        let opts = ScanOptions {
            include_tests: true,
            ..ScanOptions::default()
        };
        let report = scan_paths(&[tmp.path().to_path_buf()], &opts);
        assert!(scanned(&report, tmp.path()).contains(&"tests/it.rs".to_owned()));
        // Given explicitly, even a skipped directory is scanned.
        let report = scan_paths(&[tmp.path().join("tests")], &ScanOptions::default());
        assert_eq!(report.findings.len(), 1);
    }

    #[test]
    fn files_of_out_of_line_test_modules_are_test_code() {
        let tmp = tree();
        let root = tmp.path();
        fs::write(
            root.join("src/lib.rs"),
            "#[cfg(test)]\nmod unit;\nmod outer;\n",
        )
        .unwrap();
        fs::write(root.join("src/unit.rs"), HARDCODED).unwrap();
        fs::write(
            root.join("src/outer.rs"),
            "#[cfg(test)]\nmod inner_tests;\n",
        )
        .unwrap();
        fs::create_dir_all(root.join("src/outer/inner_tests")).unwrap();
        fs::write(root.join("src/outer/inner_tests/mod.rs"), HARDCODED).unwrap();
        let report = scan_paths(&[root.join("src")], &ScanOptions::default());
        assert_eq!(scanned(&report, root), ["src/nested/deep.rs"]);
        let opts = ScanOptions {
            include_tests: true,
            ..ScanOptions::default()
        };
        let report = scan_paths(&[root.join("src")], &opts);
        let listed = [
            root.join("src/lib.rs"),
            root.join("src/unit.rs"),
            root.join("src/outer.rs"),
            root.join("src/outer/inner_tests/mod.rs"),
        ];
        let from_list = scan_files(&listed, &ScanOptions::default());
        assert!(from_list.findings.is_empty(), "{:?}", from_list.findings);
        assert_eq!(from_list.files_scanned, 2);
        assert_eq!(
            scanned(&report, root),
            [
                "src/nested/deep.rs",
                "src/outer/inner_tests/mod.rs",
                "src/unit.rs"
            ]
        );
    }

    #[test]
    fn bad_files_warn_and_the_scan_goes_on() {
        let tmp = tree();
        let root = tmp.path();
        fs::write(root.join("src/latin1.rs"), b"// caf\xe9\n").unwrap();
        fs::write(root.join("src/big.rs"), "x".repeat(2048)).unwrap();
        std::os::unix::fs::symlink(root.join("missing.rs"), root.join("src/broken.rs")).unwrap();
        std::os::unix::fs::symlink(root.join("src"), root.join("src/nested/loop")).unwrap();
        let opts = ScanOptions {
            max_file_size: 1024,
            ..ScanOptions::default()
        };
        let report = scan_paths(&[root.to_path_buf(), root.join("nope")], &opts);
        let mut warned: Vec<String> = report
            .warnings
            .iter()
            .map(|w| w.path.strip_prefix(root).unwrap().display().to_string())
            .collect();
        warned.sort();
        assert_eq!(
            warned,
            [
                "nope",
                "src/big.rs",
                "src/broken.rs",
                "src/latin1.rs",
                "src/nested/loop"
            ]
        );
        assert!(report.warnings.iter().all(|w| !w.message.is_empty()));
        assert_eq!(
            scanned(&report, root),
            ["examples/demo.rs", "src/lib.rs", "src/nested/deep.rs"]
        );
    }
}
