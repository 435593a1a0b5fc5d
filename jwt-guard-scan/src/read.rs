//! Reading one file without ever blocking, and the stamp of what was read.
//!
//! A path is opened first (non-blocking, so a FIFO without a writer cannot hang the
//! open), then the *open handle* is checked: only a regular file is read, so a FIFO,
//! device or socket swapped in after the walk saw a file is refused, not waited on. The
//! size limit is enforced on the bytes read, not on metadata, and the stamp (size,
//! modification time) is taken from the handle before reading, so a record of clean
//! files never vouches for content written after the read.

use std::fs::{File, OpenOptions};
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

/// Opens `path` for reading without blocking on a FIFO, and checks that the handle is a
/// regular file.
pub fn open_regular_file(path: &Path) -> Result<(File, std::fs::Metadata), String> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(open_flags::NONBLOCK | open_flags::NOCTTY);
    }
    let file = options
        .open(path)
        .map_err(|e| format!("cannot open: {}", plain(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot inspect: {}", plain(&e)))?;
    if !meta.is_file() {
        return Err(format!("{}, not a regular file", kind_of(&meta)));
    }
    Ok((file, meta))
}

/// `O_NONBLOCK` and `O_NOCTTY` for `open(2)`. Where the kernel gives them one value on
/// every architecture listed, they are declared here, so a build script compiles no libc
/// for two integers; elsewhere they are libc's (Cargo.toml's libc dependency carries the
/// same cfg, negated). A test checks them against libc on the platform it runs on.
#[cfg(unix)]
mod open_flags {
    #[cfg(all(
        any(target_os = "linux", target_os = "android"),
        any(
            target_arch = "x86",
            target_arch = "x86_64",
            target_arch = "arm",
            target_arch = "aarch64",
            target_arch = "riscv64",
            target_arch = "powerpc64",
            target_arch = "s390x",
            target_arch = "loongarch64"
        )
    ))]
    mod values {
        pub(crate) const NONBLOCK: i32 = 0o4000;
        pub(crate) const NOCTTY: i32 = 0o400;
    }
    #[cfg(target_vendor = "apple")]
    mod values {
        pub(crate) const NONBLOCK: i32 = 0x4;
        pub(crate) const NOCTTY: i32 = 0x20000;
    }
    #[cfg(any(
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd",
        target_os = "dragonfly"
    ))]
    mod values {
        pub(crate) const NONBLOCK: i32 = 0x4;
        pub(crate) const NOCTTY: i32 = 0x8000;
    }
    #[cfg(not(any(
        all(
            any(target_os = "linux", target_os = "android"),
            any(
                target_arch = "x86",
                target_arch = "x86_64",
                target_arch = "arm",
                target_arch = "aarch64",
                target_arch = "riscv64",
                target_arch = "powerpc64",
                target_arch = "s390x",
                target_arch = "loongarch64"
            )
        ),
        target_vendor = "apple",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd",
        target_os = "dragonfly"
    )))]
    mod values {
        pub(crate) use libc::{O_NOCTTY as NOCTTY, O_NONBLOCK as NONBLOCK};
    }
    pub(super) use values::{NOCTTY, NONBLOCK};
}

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

/// An I/O error's text without the "(os error N)" suffix users do not need.
fn plain(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// What a non-regular file is, for an error message.
pub(crate) fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Makes a FIFO at `path`: for the tests of what must never block on one.
#[cfg(all(test, unix))]
pub(crate) fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
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
    fn the_declared_open_flags_are_libcs() {
        assert_eq!(open_flags::NONBLOCK, libc::O_NONBLOCK);
        assert_eq!(open_flags::NOCTTY, libc::O_NOCTTY);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_without_blocking() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("fifo.rs");
        mkfifo(&fifo);
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
