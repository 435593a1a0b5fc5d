//! Reading one file without ever blocking, and the stamp of what was read.
//!
//! A path is opened as `jwt_guard_policy::open` opens everything jwt-guard reads
//! (non-blocking, then the *open handle* checked: only a regular file is read, so a FIFO,
//! device or socket swapped in after the walk saw a file is refused, not waited on). The
//! size limit is enforced on the bytes read, not on metadata, and the stamp (size,
//! modification time) is taken from the handle before reading, so a record of clean
//! files never vouches for content written after the read.

use std::io::Read;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// What a file looked like when it was read: enough to notice a later change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileStamp {
    /// Length in bytes.
    pub len: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub modified_ns: u128,
}

impl FileStamp {
    /// The stamp of `meta`, or `None` when the platform gives no modification time.
    pub fn of(meta: &std::fs::Metadata) -> Option<FileStamp> {
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(FileStamp {
            len: meta.len(),
            modified_ns: modified.as_nanos(),
        })
    }

    /// The stamp of the file at `path` now (following links), if it is a regular file.
    pub fn now(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        meta.is_file().then(|| FileStamp::of(&meta)).flatten()
    }
}

pub use jwt_guard_policy::open::regular_file as open_regular_file;
pub(crate) use jwt_guard_policy::open::{kind_of, message as plain};

/// Reads the regular file at `path`, at most `limit` bytes; with its stamp from before
/// the read. Errors are one line that never quotes the content.
pub(crate) fn read_limited(
    path: &Path,
    limit: u64,
) -> Result<(Vec<u8>, Option<FileStamp>), String> {
    let (file, meta) = open_regular_file(path)?;
    let stamp = FileStamp::of(&meta);
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {}", plain(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "larger than the {limit} byte limit (raise it, or exclude the file explicitly)"
        ));
    }
    Ok((bytes, stamp))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_a_file_within_the_limit_and_refuses_one_over_it() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.rs");
        std::fs::write(&path, "fn a() {}").unwrap();
        let (bytes, stamp) = read_limited(&path, 9).unwrap();
        assert_eq!(bytes, b"fn a() {}");
        assert_eq!(stamp, FileStamp::now(&path));
        let error = read_limited(&path, 8).unwrap_err();
        assert!(error.contains("larger than the 8 byte limit"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_without_blocking() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("fifo.rs");
        jwt_guard_tests::mkfifo(&fifo);
        let error = read_limited(&fifo, 1024).unwrap_err();
        assert!(error.contains("FIFO"), "{error}");
        let error = read_limited(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(error.contains("device"), "{error}");
        let error = read_limited(tmp.path(), 1024).unwrap_err();
        assert!(error.contains("directory"), "{error}");
        let socket = tmp.path().join("s.rs");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let error = read_limited(&socket, 1024).unwrap_err();
        assert!(
            error.contains("cannot open") || error.contains("socket"),
            "{error}"
        );
    }
}
