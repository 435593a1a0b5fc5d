//! The one walker: what is scanned, for `build.rs` and the CLI alike.
//!
//! The rule is that no Rust file the compiler could be given escapes: a directory is
//! walked whole, following symbolic links, and only these are passed over:
//! - a cargo target directory: one holding cargo's `CACHEDIR.TAG`, or `$CARGO_TARGET_DIR`
//!   (a source module that happens to be called `target` is scanned);
//! - version-control metadata: `.git`, `.hg`, `.svn`, `.jj`;
//! - a package's integration tests (`tests/` beside a `Cargo.toml`) and the files of
//!   out-of-line test modules (`#[cfg(test)] mod tests;`), unless
//!   [`ScanOptions::include_tests`];
//! - what the caller excludes explicitly.
//!
//! Rust files and deployment/configuration files (`.env`, compose, Dockerfile, YAML, TOML,
//! JSON, systemd units, shell scripts: `config::Format`) are listed.
//! `.gitignore` is not read for Rust files: an ignored `src/local_secrets.rs` still ships in
//! the binary. It is for configuration files: a git-ignored, untracked `.env` is where a
//! local secret belongs (see `config::gitignore`; [`ScanOptions::config_gitignore`]).
//! A file reached twice (overlapping arguments, links) is scanned and reported once.
//! Paths named by the caller are always scanned; one that is neither a directory nor a
//! regular file, or cannot be read, is an error, as is every file of a walk that cannot
//! be read. Files are scanned on all cores; the report lists them in walk order whatever
//! the thread timing.

use super::crate_flow;
use super::read::{FileStamp, kind_of};
use super::scan::{ScanOptions, Scanned, scan_file_and_test_modules};
use super::{FileKind, Report, Warning};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A record of files found clean by an earlier scan (a build script keeps one between
/// runs), so that an unchanged file is not read again.
pub trait CleanFiles: Sync {
    /// The out-of-line test modules of `path` when it is known clean and unchanged.
    fn lookup(&self, path: &Path) -> Option<Vec<String>>;
    /// `path` was found clean as it was when `stamp` was taken (before it was read);
    /// `test_modules` are its `#[cfg(test)] mod x;` names.
    fn record(&mut self, path: &Path, stamp: FileStamp, test_modules: &[String]);
    /// `path` is not (or no longer) clean.
    fn forget(&mut self, path: &Path);
}

/// Called with each path a walk finds (and whether it is a directory): `true` leaves it out.
pub type Exclude<'a> = &'a dyn Fn(&Path, bool) -> bool;

/// Where and how to walk besides the [`ScanOptions`]: what the caller excludes, and a
/// record of clean files to consult and update.
#[derive(Default)]
pub struct Walk<'a> {
    /// Called with each path found in a directory (and whether it is a directory); `true`
    /// leaves it out. Paths named by the caller are never asked about.
    pub exclude: Option<Exclude<'a>>,
    /// Files known clean are not read again; files found clean are recorded.
    pub clean_files: Option<&'a mut dyn CleanFiles>,
}

impl std::fmt::Debug for Walk<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Walk")
            .field("exclude", &self.exclude.is_some())
            .field("clean_files", &self.clean_files.is_some())
            .finish()
    }
}

/// Scans files and directories (see the module docs for what a walk skips).
pub fn scan_paths(paths: &[PathBuf], options: &ScanOptions) -> Report {
    scan_paths_with(paths, options, Walk::default())
}

/// [`scan_paths`] with the caller's exclusions and record of clean files.
pub fn scan_paths_with(paths: &[PathBuf], options: &ScanOptions, walk: Walk<'_>) -> Report {
    let mut walker = Walker {
        options,
        exclude: walk.exclude,
        warnings: Vec::new(),
        visited_dirs: HashSet::new(),
        seen_files: HashSet::new(),
        files: Vec::new(),
        target_dir: std::env::var_os("CARGO_TARGET_DIR").and_then(|dir| fs::canonicalize(dir).ok()),
        gitignore: Default::default(),
    };
    for path in paths {
        walker.visit(path, true);
    }
    scan_found(walker.files, walker.warnings, options, walk.clean_files)
}

/// Scans the files of a walk and assembles the report in walk order.
fn scan_found(
    files: Vec<File>,
    walk_warnings: Vec<Warning>,
    options: &ScanOptions,
    mut cache: Option<&mut dyn CleanFiles>,
) -> Report {
    let (mut scanned, mut warnings) = scan_all(&files, options, cache.as_deref());
    let paths: Vec<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    crate_flow::resolve(&paths, &mut scanned, options);
    if let Some(cache) = cache.as_mut() {
        for (file, done) in files.iter().zip(&scanned) {
            let report = &done.report;
            // A file another file's findings depend on is read every time.
            let clean = report.findings.is_empty()
                && report.warnings.is_empty()
                && report.suppressed == 0
                && done.facts.is_empty();
            match done.stamp {
                // Read now and clean: remember it as it was when read.
                Some(stamp) if clean => cache.record(&file.path, stamp, &done.test_modules),
                // Answered by the record: nothing to change.
                None if clean && report.files_scanned == 1 => {}
                _ => cache.forget(&file.path),
            }
        }
    }
    let mut test_code = TestCode::default();
    if !options.include_tests {
        for (file, done) in files.iter().zip(&scanned) {
            test_code.note(&file.path, &done.test_modules);
        }
    }
    let mut report = Report {
        warnings: walk_warnings,
        ..Report::default()
    };
    for (file, done) in files.iter().zip(scanned) {
        if file.explicit || !test_code.contains(&file.path) {
            report.merge(done.report);
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

/// Scans `files` on up to all cores; results come back in the order of `files`.
fn scan_all(
    files: &[File],
    options: &ScanOptions,
    cache: Option<&dyn CleanFiles>,
) -> (Vec<Scanned>, Vec<Warning>) {
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
            let cached = cache
                .and_then(|c| c.lookup(&file.path))
                .map(|test_modules| Scanned {
                    report: Report {
                        files_scanned: 1,
                        ..Report::default()
                    },
                    test_modules,
                    ..Scanned::default()
                });
            let result = cached.unwrap_or_else(|| scan_file_and_test_modules(&file.path, options));
            done.push((i, result));
        }
        done
    };
    let mut results: Vec<Option<Scanned>> = Vec::new();
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

/// The files of out-of-line test modules (`#[cfg(test)] mod tests;`), and the
/// directories of their own submodules: `mod helpers;` inside `tests.rs` is test code
/// too, and lives in `tests/`.
#[derive(Default)]
struct TestCode {
    files: HashSet<PathBuf>,
    dirs: HashSet<PathBuf>,
}

impl TestCode {
    /// Notes `path`'s test modules: next to a `mod.rs`/`lib.rs`/`main.rs`, else in the
    /// directory named after the declaring file.
    fn note(&mut self, path: &Path, modules: &[String]) {
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
            self.files.insert(dir.join(format!("{name}.rs")));
            self.dirs.insert(dir.join(name));
        }
    }

    fn contains(&self, path: &Path) -> bool {
        self.files.contains(path) || path.ancestors().skip(1).any(|dir| self.dirs.contains(dir))
    }
}

/// Version-control metadata directories: never source.
const VCS_DIRS: [&str; 4] = [".git", ".hg", ".svn", ".jj"];

struct Walker<'o> {
    options: &'o ScanOptions,
    exclude: Option<Exclude<'o>>,
    warnings: Vec<Warning>,
    /// Canonical directories already walked: reaching one again (a link) walks nothing new.
    visited_dirs: HashSet<PathBuf>,
    /// Files already listed, by identity: each is scanned and reported once.
    seen_files: HashSet<FileId>,
    files: Vec<File>,
    /// `$CARGO_TARGET_DIR`, canonical.
    target_dir: Option<PathBuf>,
    /// The `.gitignore` files read so far (configuration files only).
    gitignore: crate::config::gitignore::Gitignore,
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
                    "a broken symbolic link; not scanned".to_owned()
                } else {
                    format!("cannot read: {e}; not scanned")
                };
                return self.warn(path, what);
            }
        };
        if meta.is_dir() {
            if !explicit && (self.skipped_dir(path) || self.excluded(path, true)) {
                return;
            }
            self.walk_dir(path);
        } else if explicit {
            if meta.is_file() {
                self.push_file(path, &meta, true);
            } else {
                let what = format!("{}, not a regular file; not scanned", kind_of(&meta));
                self.warn(path, what);
            }
        } else if let Some(kind) = FileKind::of(path, self.options)
            && self.lists(path, kind, &meta)
        {
            self.push_file(path, &meta, false);
        }
    }

    /// Whether a file its path makes `kind` is listed: a special file with a Rust or
    /// configuration name too (reading it is the error), a file without an extension only
    /// when it is a regular file starting with a shell shebang; not one excluded, nor a
    /// configuration file git ignores and does not track (see `config::gitignore`).
    fn lists(&mut self, path: &Path, kind: FileKind, meta: &fs::Metadata) -> bool {
        let script = kind == FileKind::MaybeScript;
        if script && !(meta.is_file() && crate::config::starts_with_shebang(path)) {
            return false;
        }
        let ignored =
            kind != FileKind::Rust && self.options.config_gitignore && self.gitignore.ignores(path);
        !self.excluded(path, false) && !ignored
    }

    fn excluded(&self, path: &Path, is_dir: bool) -> bool {
        self.exclude.is_some_and(|exclude| exclude(path, is_dir))
    }

    fn push_file(&mut self, path: &Path, meta: &fs::Metadata, explicit: bool) {
        if self.seen_files.insert(FileId::of(path, meta)) {
            self.files.push(File {
                path: path.to_path_buf(),
                explicit,
            });
        }
    }

    fn skipped_dir(&self, path: &Path) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return false;
        };
        VCS_DIRS.contains(&name)
            || self.is_target_dir(path)
            || (name == "tests" && !self.options.include_tests && is_package_dir(path.parent()))
    }

    /// A cargo build directory: cargo tags it with `CACHEDIR.TAG`.
    fn is_target_dir(&self, path: &Path) -> bool {
        path.join("CACHEDIR.TAG").is_file()
            || self
                .target_dir
                .as_ref()
                .is_some_and(|target| fs::canonicalize(path).is_ok_and(|p| &p == target))
    }

    fn walk_dir(&mut self, dir: &Path) {
        match fs::canonicalize(dir) {
            Ok(canonical) => {
                if !self.visited_dirs.insert(canonical) {
                    return; // walked already, through another path or a link loop
                }
            }
            Err(e) => return self.warn(dir, format!("cannot resolve: {e}; not scanned")),
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
        // One directory's entries: no two are equal, so the unstable sort gives the one order
        // (and is less code than a stable one in every build script compiling the scanner).
        children.sort_unstable();
        for child in children {
            self.visit(&child, false);
        }
    }
}

/// A directory holding a `Cargo.toml`: its `tests/` are integration tests.
fn is_package_dir(dir: Option<&Path>) -> bool {
    dir.is_some_and(|dir| dir.join("Cargo.toml").is_file())
}

/// What makes two paths the same file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[allow(dead_code)] // the only variant off Unix
    Path(PathBuf),
}

impl FileId {
    fn of(path: &Path, meta: &fs::Metadata) -> FileId {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = path;
            FileId::Inode(meta.dev(), meta.ino())
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            FileId::Path(fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
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
        for dir in [
            "src/nested",
            "src/target",
            "src/tests",
            "target/debug",
            ".git",
            ".hidden",
            "tests",
            "examples",
        ] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        fs::write(root.join("Cargo.toml"), "[package]\n").unwrap();
        fs::write(
            root.join("target/CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n",
        )
        .unwrap();
        for file in [
            "src/lib.rs",
            "src/nested/deep.rs",
            "src/target/mod.rs",
            "src/tests/mod.rs",
            "target/debug/gen.rs",
            ".git/hook.rs",
            ".hidden/module.rs",
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

    fn errors(report: &Report, root: &Path) -> Vec<String> {
        let mut paths: Vec<String> = report
            .warnings
            .iter()
            .map(|w| w.path.strip_prefix(root).unwrap().display().to_string())
            .collect();
        paths.sort();
        paths
    }

    #[test]
    fn walks_every_rust_file_but_cargo_targets_vcs_metadata_and_integration_tests() {
        let tmp = tree();
        let report = scan_paths(&[tmp.path().to_path_buf()], &ScanOptions::default());
        assert_eq!(
            scanned(&report, tmp.path()),
            [
                ".hidden/module.rs",
                "examples/demo.rs",
                "src/lib.rs",
                "src/nested/deep.rs",
                "src/target/mod.rs",
                "src/tests/mod.rs",
            ]
        );
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
        let report = scan_paths(&[tmp.path().join("target")], &ScanOptions::default());
        assert_eq!(report.findings.len(), 1);
    }

    #[test]
    fn a_directory_named_target_without_cargo_s_tag_is_source() {
        let tmp = tree();
        fs::remove_file(tmp.path().join("target/CACHEDIR.TAG")).unwrap();
        let report = scan_paths(&[tmp.path().to_path_buf()], &ScanOptions::default());
        assert!(scanned(&report, tmp.path()).contains(&"target/debug/gen.rs".to_owned()));
    }

    #[test]
    fn files_of_out_of_line_test_modules_are_test_code() {
        let tmp = tree();
        let root = tmp.path();
        fs::remove_dir_all(root.join("src/target")).unwrap();
        fs::remove_dir_all(root.join("src/tests")).unwrap();
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
        fs::write(root.join("src/outer/inner_tests/mod.rs"), "mod shapes;\n").unwrap();
        // A submodule of a test module (declared without a cfg) is test code too.
        fs::write(root.join("src/outer/inner_tests/shapes.rs"), HARDCODED).unwrap();
        fs::create_dir_all(root.join("src/unit")).unwrap();
        fs::write(root.join("src/unit/deeper.rs"), HARDCODED).unwrap();
        let report = scan_paths(&[root.join("src")], &ScanOptions::default());
        assert_eq!(scanned(&report, root), ["src/nested/deep.rs"]);
        let opts = ScanOptions {
            include_tests: true,
            ..ScanOptions::default()
        };
        let report = scan_paths(&[root.join("src")], &opts);
        assert_eq!(
            scanned(&report, root),
            [
                "src/nested/deep.rs",
                "src/outer/inner_tests/shapes.rs",
                "src/unit.rs",
                "src/unit/deeper.rs"
            ]
        );
        // Named explicitly, a test module's file is scanned.
        let report = scan_paths(&[root.join("src/unit.rs")], &ScanOptions::default());
        assert_eq!(scanned(&report, root), ["src/unit.rs"]);
    }

    #[cfg(unix)]
    #[test]
    fn files_that_cannot_be_read_are_errors_and_the_scan_goes_on() {
        let tmp = tree();
        let root = tmp.path();
        fs::write(root.join("src/latin1.rs"), b"// caf\xe9\n").unwrap();
        fs::write(root.join("src/big.rs"), "x".repeat(2048)).unwrap();
        std::os::unix::fs::symlink(root.join("missing.rs"), root.join("src/broken.rs")).unwrap();
        // A loop walks nothing twice and is no error: all it holds was scanned.
        std::os::unix::fs::symlink(root.join("src"), root.join("src/nested/loop")).unwrap();
        let opts = ScanOptions {
            max_file_size: 1024,
            ..ScanOptions::default()
        };
        let report = scan_paths(&[root.to_path_buf(), root.join("nope")], &opts);
        assert_eq!(
            errors(&report, root),
            ["nope", "src/big.rs", "src/broken.rs", "src/latin1.rs"]
        );
        assert!(!report.is_clean());
        assert!(
            report
                .warnings
                .iter()
                .all(|w| w.message.ends_with("not scanned"))
        );
        assert!(scanned(&report, root).contains(&"src/lib.rs".to_owned()));
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_errors_never_a_hang_or_a_silent_pass() {
        let tmp = tree();
        let root = tmp.path();
        let fifo = root.join("src/fifo.rs");
        jwt_guard_tests::mkfifo(&fifo);
        let _socket = std::os::unix::net::UnixListener::bind(root.join("src/socket.rs")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("src/zero.rs")).unwrap();
        let report = scan_paths(&[root.join("src")], &ScanOptions::default());
        assert_eq!(
            errors(&report, root),
            ["src/fifo.rs", "src/socket.rs", "src/zero.rs"]
        );
        // Named explicitly: a FIFO, a device, whatever their names.
        let fifo2 = root.join("pipe");
        jwt_guard_tests::mkfifo(&fifo2);
        let report = scan_paths(
            &[fifo2, PathBuf::from("/dev/zero")],
            &ScanOptions::default(),
        );
        assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
        assert!(!report.is_clean());
        assert_eq!(report.files_scanned, 0);
    }

    #[test]
    fn a_file_reached_twice_is_scanned_and_reported_once() {
        let tmp = tree();
        let root = tmp.path();
        let src = root.join("src");
        let paths = [
            src.clone(),
            src.join("lib.rs"),
            root.join(".").join("src"),
            src.join("nested"),
        ];
        let report = scan_paths(&paths, &ScanOptions::default());
        let once = scan_paths(&[src], &ScanOptions::default());
        assert_eq!(report.findings.len(), once.findings.len());
        assert_eq!(report.files_scanned, once.files_scanned);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("src/lib.rs"), root.join("examples/link.rs"))
                .unwrap();
            let report = scan_paths(
                &[root.join("examples"), root.join("src")],
                &ScanOptions::default(),
            );
            assert_eq!(
                report.findings.len(),
                1 + once.findings.len(),
                "demo.rs + src, the link once"
            );
        }
    }

    #[test]
    fn the_caller_s_exclusions_apply_to_what_a_walk_finds() {
        let tmp = tree();
        let root = tmp.path();
        let nested = root.join("src/nested");
        let exclude = |path: &Path, is_dir: bool| is_dir && path == nested;
        let walk = Walk {
            exclude: Some(&exclude),
            ..Walk::default()
        };
        let report = scan_paths_with(&[root.join("src")], &ScanOptions::default(), walk);
        assert!(!scanned(&report, root).contains(&"src/nested/deep.rs".to_owned()));
        assert!(scanned(&report, root).contains(&"src/lib.rs".to_owned()));
        let walk = Walk {
            exclude: Some(&exclude),
            ..Walk::default()
        };
        let report = scan_paths_with(std::slice::from_ref(&nested), &ScanOptions::default(), walk);
        assert_eq!(
            report.findings.len(),
            1,
            "a path named by the caller is scanned"
        );
    }

    /// A record that lets a test edit a file between its read and its record.
    struct EditBeforeRecord {
        inner: std::collections::HashMap<PathBuf, (FileStamp, Vec<String>)>,
        edit: Option<(PathBuf, &'static str)>,
    }

    impl CleanFiles for EditBeforeRecord {
        fn lookup(&self, path: &Path) -> Option<Vec<String>> {
            let (stamp, modules) = self.inner.get(path)?;
            (FileStamp::now(path)? == *stamp).then(|| modules.clone())
        }
        fn record(&mut self, path: &Path, stamp: FileStamp, test_modules: &[String]) {
            if let Some((file, text)) = self.edit.take() {
                fs::write(&file, text).unwrap();
            }
            self.inner
                .insert(path.to_path_buf(), (stamp, test_modules.to_vec()));
        }
        fn forget(&mut self, path: &Path) {
            self.inner.remove(path);
        }
    }

    #[test]
    fn an_edit_saved_between_read_and_record_is_not_recorded_clean() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("lib.rs");
        fs::write(&file, "pub fn clean() {}\n").unwrap();
        let mut record = EditBeforeRecord {
            inner: Default::default(),
            edit: Some((
                file.clone(),
                "const JWT_SECRET: &str = \"race-secret-01\";\n",
            )),
        };
        let walk = Walk {
            clean_files: Some(&mut record),
            ..Walk::default()
        };
        let first = scan_paths_with(std::slice::from_ref(&file), &ScanOptions::default(), walk);
        assert!(first.is_clean(), "the read saw the clean version");
        let walk = Walk {
            clean_files: Some(&mut record),
            ..Walk::default()
        };
        let second = scan_paths_with(&[file], &ScanOptions::default(), walk);
        assert_eq!(
            second.findings.len(),
            1,
            "the edit is scanned, not vouched for"
        );
    }
}
