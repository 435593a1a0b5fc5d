//! The one place a committed file meets a scanner: picked by its path, as the walker
//! picks files at HEAD. Config-file scanning plugs in here when it lands: a new
//! [`Scanner`] variant, a path test in [`scanner_for`], an arm in [`scan_blob`].

use std::path::Path;

use gix::bstr::BStr;
use jwt_guard_scan::{ScanOptions, SourceScan, may_hold_findings, scan_source_detailed};

/// Which scanner reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Scanner {
    /// Rust source: `*.rs`.
    Rust,
}

/// The scanner for a path (`/`-separated, relative to the repository), or `None` for a
/// file no scanner reads.
pub(crate) fn scanner_for(path: &BStr) -> Option<Scanner> {
    path.ends_with(b".rs").then_some(Scanner::Rust)
}

/// Scans one file's content with the scanner its path picks (`None`: none reads it).
/// For each finding, `secret` gets the flagged value's bytes (see
/// [`scan_source_detailed`]) and keeps what it makes of them.
pub(crate) fn scan_blob<T>(
    path: &Path,
    scanner: Scanner,
    bytes: &[u8],
    options: &ScanOptions,
    secret: impl FnMut(&[u8]) -> T,
) -> SourceScan<T> {
    match scanner {
        Scanner::Rust => scan_source_detailed(path, bytes, options, secret),
    }
}

/// Whether `scan_blob` would find nothing in `bytes`, cheaply (without lexing): then only
/// what else a scan tells (a Rust file's out-of-line test modules) is missing, which a
/// caller that reads many files asks for only where it matters.
pub(crate) fn surely_clean(scanner: Scanner, bytes: &[u8]) -> bool {
    match scanner {
        // Not UTF-8 is a warning the scanner gives.
        Scanner::Rust => std::str::from_utf8(bytes).is_ok() && !may_hold_findings(bytes),
    }
}
