//! The one place a committed or staged file meets a scanner: picked by its path with the
//! decision the walker makes at HEAD ([`FileKind::of`]), so history, the index and the
//! working tree scan the same files (Rust, and deployment and configuration files).

use std::path::Path;

use gix::bstr::BStr;
use jwt_guard_scan::{FileKind, ScanOptions, SourceScan, may_hold_findings, scan_source_detailed};

/// The scanner for a path (`/`-separated, relative to the repository), or `None` for a
/// file no scanner reads; decided before the blob is read.
pub(crate) fn scanner_for(path: &BStr, options: &ScanOptions) -> Option<FileKind> {
    match gix::path::from_bstr(path) {
        Ok(path) => FileKind::of(&path, options),
        Err(_) => FileKind::of(&super::to_path(path), options),
    }
}

/// Scans one file's content with the scanner its path picks (`None`: a file without an
/// extension that is not a shell script, which no scanner reads). For each finding,
/// `secret` gets the flagged value's bytes (see [`scan_source_detailed`]) and keeps what
/// it makes of them.
pub(crate) fn scan_blob<T>(
    path: &Path,
    kind: FileKind,
    bytes: &[u8],
    options: &ScanOptions,
    secret: impl FnMut(&[u8]) -> T,
) -> Option<SourceScan<T>> {
    kind.reads(bytes)
        .then(|| scan_source_detailed(path, bytes, options, secret))
}

/// Whether `scan_blob` would find nothing in `bytes`, cheaply (without lexing): then only
/// what else a scan tells (a Rust file's out-of-line test modules) is missing, which a
/// caller that reads many files asks for only where it matters. The scanners share one
/// prefilter; text that is not UTF-8 (a UTF-16 config file, a Rust file's warning) is
/// read whole.
pub(crate) fn surely_clean(kind: FileKind, bytes: &[u8]) -> bool {
    !kind.reads(bytes) || (std::str::from_utf8(bytes).is_ok() && !may_hold_findings(bytes))
}
