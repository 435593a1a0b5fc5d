//! Opening a file for reading without ever blocking: the one way jwt-guard opens what it
//! reads (scanned files, the policy file, a secret file).
//!
//! The path is opened non-blocking, so a FIFO without a writer cannot hang the open, and
//! without becoming the controlling terminal; then the *open handle* is checked, so a FIFO,
//! device or socket swapped in after a check of the path is refused, not waited on.
//! Neither flag changes how a regular file reads.

use std::fs::{File, Metadata, OpenOptions};
use std::path::Path;

/// Opens `path` for reading with `O_NONBLOCK` and `O_NOCTTY` (on Unix).
pub fn nonblocking(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(open_flags::NONBLOCK | open_flags::NOCTTY);
    }
    options.open(path)
}

/// Opens `path` without blocking and checks that the handle is a regular file. The error
/// is one line, `cannot open: ...` or `a FIFO (named pipe), not a regular file`.
pub fn regular_file(path: &Path) -> Result<(File, Metadata), String> {
    let file = nonblocking(path).map_err(|e| format!("cannot open: {}", message(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot inspect: {}", message(&e)))?;
    if !meta.is_file() {
        return Err(format!("{}, not a regular file", kind_of(&meta)));
    }
    Ok((file, meta))
}

/// An I/O error's text without the "(os error N)" suffix users do not need.
pub fn message(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// What a file that is not a regular one is, for an error message: `a directory`,
/// `a FIFO (named pipe)`, `a device`, `a socket` or `a special file`.
pub fn kind_of(meta: &Metadata) -> &'static str {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_declared_open_flags_are_libcs() {
        assert_eq!(open_flags::NONBLOCK, libc::O_NONBLOCK);
        assert_eq!(open_flags::NOCTTY, libc::O_NOCTTY);
    }

    #[cfg(unix)]
    #[test]
    fn only_a_regular_file_is_opened_and_nothing_blocks() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a.toml");
        std::fs::write(&file, "a = 1").unwrap();
        assert!(regular_file(&file).is_ok());
        let fifo = tmp.path().join("fifo.toml");
        jwt_guard_tests::mkfifo(&fifo);
        assert_eq!(
            regular_file(&fifo).unwrap_err(),
            "a FIFO (named pipe), not a regular file"
        );
        assert!(
            nonblocking(&fifo).is_ok(),
            "opening a FIFO must not wait for a writer"
        );
        assert_eq!(
            regular_file(Path::new("/dev/null")).unwrap_err(),
            "a device, not a regular file"
        );
        assert_eq!(
            regular_file(tmp.path()).unwrap_err(),
            "a directory, not a regular file"
        );
        let missing = regular_file(&tmp.path().join("missing")).unwrap_err();
        assert_eq!(missing, "cannot open: No such file or directory");
    }
}
