//! Fault injection for the build guard: special files at every path it opens, files that
//! vanish or turn into FIFOs while it runs, edits racing the scan. None may end in a
//! silent pass or a hang.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use jwt_guard::build::{CleanFiles, FileStamp, Guard, Report, ScanOptions, Walk, scan_paths_with};
use jwt_guard_tests::mkfifo;

const HARDCODED: &str = "pub const JWT_SECRET: &str = \"Fq2mWx7nRb4tLk9s\";\n";

fn package() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("src")).unwrap();
    fs::write(tmp.path().join("src/lib.rs"), "pub fn ok() {}\n").unwrap();
    fs::write(tmp.path().join("build.rs"), "fn main() {}\n").unwrap();
    tmp
}

/// Runs `scan` on another thread and fails the test if it does not finish in time.
fn within<T: Send + 'static>(scan: impl FnOnce() -> T + Send + 'static) -> T {
    jwt_guard_tests::within(jwt_guard_tests::DEADLINE, scan)
}

#[test]
fn a_special_file_at_any_scanned_path_fails_the_build() {
    for special in ["src/fifo.rs", "build.rs", "src/lib.rs", "extra"] {
        let tmp = package();
        let path = tmp.path().join(special);
        let _ = fs::remove_file(&path);
        mkfifo(&path);
        let root = tmp.path().to_path_buf();
        let guard = match special {
            "extra" => Guard::new().root(root).add_dir("extra"),
            _ => Guard::new().root(root),
        };
        let report = within(move || guard.run());
        assert!(!report.is_clean(), "{special}: {report:?}");
        assert!(
            report.warnings.iter().any(|w| w.message.contains("FIFO")),
            "{special}: {:?}",
            report.warnings
        );
    }
    let tmp = package();
    std::os::unix::fs::symlink("/dev/urandom", tmp.path().join("src/random.rs")).unwrap();
    let root = tmp.path().to_path_buf();
    let report = within(move || Guard::new().root(root).run());
    assert!(!report.is_clean());
}

/// A record of clean files that lets the test act at the moment the guard consults it,
/// which is after the walk listed the file and before the scan reads it.
struct OnLookup<F: Fn(&Path) + Sync>(F);

impl<F: Fn(&Path) + Sync> CleanFiles for OnLookup<F> {
    fn lookup(&self, path: &Path) -> Option<Vec<String>> {
        (self.0)(path);
        None
    }
    fn record(&mut self, _: &Path, _: FileStamp, _: &[String]) {}
    fn forget(&mut self, _: &Path) {}
}

fn scan_with(root: &Path, on_lookup: impl Fn(&Path) + Sync) -> Report {
    let mut record = OnLookup(on_lookup);
    let walk = Walk {
        clean_files: Some(&mut record),
        ..Walk::default()
    };
    scan_paths_with(&[root.join("src")], &ScanOptions::default(), walk)
}

#[test]
fn a_file_deleted_mid_walk_is_an_error() {
    let tmp = package();
    let victim = tmp.path().join("src/victim.rs");
    fs::write(&victim, HARDCODED).unwrap();
    let report = scan_with(tmp.path(), |path| {
        if path.ends_with("victim.rs") {
            fs::remove_file(path).unwrap();
        }
    });
    assert!(!report.is_clean());
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(report.warnings[0].path.ends_with("victim.rs"));
}

#[test]
fn a_fifo_swapped_in_after_the_walk_is_an_error_not_a_hang() {
    let tmp = package();
    fs::write(tmp.path().join("src/swapped.rs"), HARDCODED).unwrap();
    let root = tmp.path().to_path_buf();
    let report = within(move || {
        scan_with(&root, |path| {
            if path.ends_with("swapped.rs") {
                fs::remove_file(path).unwrap();
                mkfifo(path);
            }
        })
    });
    assert!(!report.is_clean());
    assert!(report.warnings.iter().any(|w| w.message.contains("FIFO")));
}

#[test]
fn a_file_flipping_between_fifo_and_source_never_hangs_or_passes_unread() {
    let tmp = package();
    let flipping = tmp.path().join("src/flip.rs");
    fs::write(&flipping, HARDCODED).unwrap();
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let flipper = {
        let (stop, path) = (stop.clone(), flipping.clone());
        std::thread::spawn(move || {
            // Renames replace the file atomically: the path always exists.
            let (fifo, source) = (path.with_extension("fifo"), path.with_extension("src"));
            while !stop.load(Ordering::Relaxed) {
                mkfifo(&fifo);
                fs::rename(&fifo, &path).unwrap();
                fs::write(&source, HARDCODED).unwrap();
                fs::rename(&source, &path).unwrap();
            }
        })
    };
    let root: PathBuf = tmp.path().to_path_buf();
    let outcomes = within(move || {
        (0..200)
            .map(|_| Guard::new().root(&root).run())
            .collect::<Vec<_>>()
    });
    stop.store(true, Ordering::Relaxed);
    flipper.join().unwrap();
    for report in outcomes {
        // Either the source was read and its secret found, or the file is an error.
        let found = report.findings.iter().any(|f| f.path.ends_with("flip.rs"));
        let failed = report.warnings.iter().any(|w| w.path.ends_with("flip.rs"));
        assert!(found || failed, "{report:?}");
        assert!(!report.is_clean());
    }
}
