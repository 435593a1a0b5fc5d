//! TEMPORARY stand-in for the scanner API (`jwt_guard::build::{ScanOptions, scan_file}`,
//! `Report::render_human`) until the `scanner` branch is merged; it finds nothing.

use std::path::Path;

use jwt_guard::build::{Report, Warning};

#[derive(Debug, Default)]
pub(crate) struct ScanOptions {
    pub(crate) include_tests: bool,
    /// Present only so the CLI fills options with `..Default::default()`, as with the real type.
    pub(crate) _more: (),
}

pub(crate) fn scan_file(path: &Path, options: &ScanOptions) -> Report {
    let _ = options.include_tests;
    match std::fs::read(path) {
        Ok(bytes) if std::str::from_utf8(&bytes).is_ok() => Report {
            files_scanned: 1,
            ..Report::default()
        },
        Ok(_) => warn(path, "not valid UTF-8".into()),
        Err(error) => warn(path, format!("cannot read: {error}")),
    }
}

fn warn(path: &Path, message: String) -> Report {
    Report {
        warnings: vec![Warning {
            path: path.to_path_buf(),
            message,
        }],
        ..Report::default()
    }
}

pub(crate) fn render_human(report: &Report) -> String {
    format!(
        "{} files scanned, {} findings",
        report.files_scanned,
        report.findings.len()
    )
}
