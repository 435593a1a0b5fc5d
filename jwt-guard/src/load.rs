//! Loading a secret: from `VAR`, from the file named by `VAR_FILE` (Docker and Kubernetes
//! secrets), or from a systemd credential named `VAR`; then the policy; then a security
//! warning in the log when anything is wrong: an [`Error`], or a [`Warning`] about a
//! secret that still loads.
//!
//! Everything goes through a lookup closure, so tests never touch the process environment.

use std::ffi::OsString;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::FileProblem;
use crate::{Error, JwtSecret, SecretPolicy};

/// The variable read when none is named.
pub const DEFAULT_VAR: &str = "JWT_SECRET";
/// Secret files larger than this are refused (a secret is a few dozen bytes).
pub const MAX_SECRET_FILE_LEN: u64 = 64 * 1024;
/// The `log` target of security warnings, for filtering.
pub const LOG_TARGET: &str = "jwt_guard::security";

/// systemd's `LoadCredential=` hands credentials over as files in this directory.
const CREDENTIALS_DIRECTORY: &str = "CREDENTIALS_DIRECTORY";

impl SecretPolicy {
    /// Loads the secret from `var` or `{var}_FILE` through `lookup`, validates it, and
    /// logs a security warning (the variable and the rule ids, never the value) when it
    /// is missing or rejected, and one per [`Warning`].
    pub fn load(
        &self,
        var: &str,
        mut lookup: impl FnMut(&str) -> Option<OsString>,
    ) -> Result<JwtSecret, Error> {
        self.load_with_warnings(var, &mut lookup).0
    }

    /// [`load`](Self::load), and the warnings it logged (for [`crate::check_env`], whose
    /// report shows them).
    pub(crate) fn load_with_warnings(
        &self,
        var: &str,
        lookup: &mut dyn FnMut(&str) -> Option<OsString>,
    ) -> (Result<JwtSecret, Error>, Vec<Warning>) {
        let mut warnings = Vec::new();
        let result = self.load_quietly(var, lookup, &mut warnings);
        log_warnings(&warnings);
        if let Err(error) = &result {
            warn(error);
        }
        (result, warnings)
    }

    /// [`load`](Self::load) from the process environment.
    pub fn from_env(&self, var: &str) -> Result<JwtSecret, Error> {
        self.load(var, |name| std::env::var_os(name))
    }

    /// [`load`](Self::load) for a secret that may be absent (a rotation's previous
    /// secret): `None` when nothing is set, the same errors and warnings otherwise.
    pub(crate) fn load_optional(
        &self,
        var: &str,
        mut lookup: impl FnMut(&str) -> Option<OsString>,
    ) -> Result<Option<JwtSecret>, Error> {
        self.load_optional_with_warnings(var, &mut lookup).0
    }

    /// [`load_optional`](Self::load_optional), and the warnings it logged.
    pub(crate) fn load_optional_with_warnings(
        &self,
        var: &str,
        lookup: &mut dyn FnMut(&str) -> Option<OsString>,
    ) -> (Result<Option<JwtSecret>, Error>, Vec<Warning>) {
        let mut warnings = Vec::new();
        let result = self.load_quietly(var, lookup, &mut warnings);
        log_warnings(&warnings);
        let result = match result {
            Ok(secret) => Ok(Some(secret)),
            Err(Error::Missing { .. }) => Ok(None),
            Err(error) => {
                warn(&error);
                Err(error)
            }
        };
        (result, warnings)
    }

    fn load_quietly(
        &self,
        var: &str,
        lookup: &mut dyn FnMut(&str) -> Option<OsString>,
        warnings: &mut Vec<Warning>,
    ) -> Result<JwtSecret, Error> {
        let (source_var, bytes) = read_value(var, lookup, warnings)?;
        if bytes.is_empty() {
            return Err(Error::Empty { var: source_var });
        }
        self.secret(bytes.to_vec())
            .map_err(|rejection| Error::Rejected {
                var: source_var,
                rejection,
            })
    }
}

/// Something wrong with a secret that does not stop it from loading: logged as a
/// security warning, and shown by [`crate::check_env`]. Like errors, warnings name the
/// variable and the path, never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// The secret file can be read by its group or by others (Unix).
    SharedFile {
        /// The `_FILE` variable (or the systemd credential) that named the file.
        file_var: String,
        /// The file, when it may be shown (as in [`Error::File`]).
        path: Option<PathBuf>,
        /// Its permission bits, such as `0o644`.
        mode: u32,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::SharedFile {
                file_var,
                path,
                mode,
            } => {
                match path {
                    Some(path) => write!(f, "secret file {} ({file_var})", path.display())?,
                    None => write!(f, "the secret file named by {file_var}")?,
                }
                write!(
                    f,
                    " is readable by group or others (mode {mode:03o}); restrict it with chmod 600"
                )
            }
        }
    }
}

fn log_warnings(warnings: &[Warning]) {
    for warning in warnings {
        log::warn!(target: LOG_TARGET, "{warning}");
    }
}

/// Logs why a secret could not be loaded.
fn warn(error: &Error) {
    match error {
        Error::Rejected { var, rejection } => log::warn!(
            target: LOG_TARGET,
            "JWT secret {var} rejected (rules: {}); authentication cannot work until it is replaced",
            rejection.ids()
        ),
        other => log::warn!(target: LOG_TARGET, "JWT secret unavailable: {}", other.with_causes()),
    }
}

/// The raw value, and the name of the variable it came from.
fn read_value(
    var: &str,
    lookup: &mut dyn FnMut(&str) -> Option<OsString>,
    warnings: &mut Vec<Warning>,
) -> Result<(String, Zeroizing<Vec<u8>>), Error> {
    let file_var = format!("{var}_FILE");
    match (lookup(var), lookup(&file_var)) {
        (Some(_), Some(_)) => Err(Error::Ambiguous {
            var: var.to_owned(),
            file_var,
        }),
        (Some(value), None) => match value.into_string() {
            Ok(text) => Ok((var.to_owned(), Zeroizing::new(text.into_bytes()))),
            Err(_) => Err(Error::NotUnicode {
                var: var.to_owned(),
            }),
        },
        (None, Some(path)) => {
            let bytes = read_secret_file(&file_var, Path::new(&path), warnings)?;
            Ok((file_var, bytes))
        }
        (None, None) => {
            let credential = lookup(CREDENTIALS_DIRECTORY)
                .map(|dir| PathBuf::from(dir).join(var))
                .filter(|path| path.exists());
            match credential {
                Some(path) => {
                    let name = format!("{CREDENTIALS_DIRECTORY}/{var}");
                    let bytes = read_secret_file(&name, &path, warnings)?;
                    Ok((name, bytes))
                }
                None => Err(Error::Missing {
                    var: var.to_owned(),
                }),
            }
        }
    }
}

/// Reads a secret file: a regular file of at most [`MAX_SECRET_FILE_LEN`] bytes of
/// UTF-8, one trailing newline (`\n` or `\r\n`) removed, as `echo secret > file` leaves
/// one.
///
/// Anything but a regular file is refused before it is read, so nothing here waits: a
/// FIFO with no writer would block `open` and `read` forever, a pipe from process
/// substitution (`<(...)`, `/dev/fd/N`) can be read only once and only while its writer
/// lives, a device may never end (`/dev/zero`) or be empty (`/dev/null`).
fn read_secret_file(
    file_var: &str,
    path: &Path,
    warnings: &mut Vec<Warning>,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let fail = |problem, source| file_error(file_var, path, problem, source);
    let unreadable = |error| fail(FileProblem::Unreadable, Some(error));
    if path.as_os_str().is_empty() {
        return Err(fail(FileProblem::EmptyPath, None));
    }
    // The type first, so a device is never opened (opening some has side effects) and a
    // socket (which cannot be opened) is named as one.
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if let Some(problem) = not_regular(&metadata.file_type()) {
        return Err(fail(problem, None));
    }
    // The path may have been replaced since: open without blocking, and check the type
    // of what was opened, not of the path.
    let file = jwt_guard_policy::open::nonblocking(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    if let Some(problem) = not_regular(&metadata.file_type()) {
        return Err(fail(problem, None));
    }
    warnings.extend(shared(file_var, path, &metadata));
    // Sized up front, so a secret file is read without reallocating (which would leave
    // copies of the secret behind in freed memory). The limit does not trust the
    // metadata: at most one byte more than the limit is read, whatever it says.
    let capacity = metadata.len().min(MAX_SECRET_FILE_LEN) + 1;
    let mut bytes = Zeroizing::new(Vec::with_capacity(usize::try_from(capacity).unwrap_or(0)));
    file.take(MAX_SECRET_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_SECRET_FILE_LEN {
        return Err(fail(FileProblem::TooLarge, None));
    }
    if std::str::from_utf8(&bytes).is_err() {
        return Err(fail(FileProblem::NotUnicode, None));
    }
    let trailing = if bytes.ends_with(b"\r\n") {
        2
    } else {
        usize::from(bytes.ends_with(b"\n"))
    };
    let len = bytes.len() - trailing;
    bytes.truncate(len);
    Ok(bytes)
}

/// Why a file of this type is not read, or `None` for a regular file.
fn not_regular(file_type: &std::fs::FileType) -> Option<FileProblem> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some(FileProblem::Directory);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some(FileProblem::Pipe);
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some(FileProblem::Device);
        }
        if file_type.is_socket() {
            return Some(FileProblem::Socket);
        }
    }
    Some(FileProblem::NotRegular)
}

/// An [`Error::File`] that shows the path only when it is one (see [`may_show`]); otherwise
/// the problem becomes [`FileProblem::NotAPath`] and nothing of the value but its length
/// is kept.
fn file_error(
    file_var: &str,
    path: &Path,
    problem: FileProblem,
    source: Option<std::io::Error>,
) -> Error {
    let (path, problem) = match problem {
        FileProblem::EmptyPath => (None, problem),
        _ if may_show(path) => (Some(path.to_owned()), problem),
        _ => (
            None,
            FileProblem::NotAPath {
                len: path.as_os_str().len(),
            },
        ),
    };
    Error::File {
        file_var: file_var.to_owned(),
        path,
        problem,
        source,
    }
}

/// Whether the value of a `_FILE` variable may appear in a message. Putting the secret
/// itself in `VAR_FILE` instead of `VAR` is a common mistake, and a random secret can
/// hold `/` (base64 does), so a value is shown only when it is evidently a path:
/// - it names something that exists (a file, a directory, a dangling symlink), or
/// - it is absolute and its parent is an existing directory other than the root (a
///   typo in the file name of `/run/secrets/jwt`);
///
/// and never when it holds a control character (`$(cat file)` keeps a newline, and a
/// path is no place for one).
fn may_show(path: &Path) -> bool {
    if path.to_string_lossy().chars().any(char::is_control) {
        return false;
    }
    if std::fs::symlink_metadata(path).is_ok() {
        return true;
    }
    path.is_absolute()
        && path
            .parent()
            .is_some_and(|parent| parent.parent().is_some() && parent.is_dir())
}

/// A secret file others can read is a secret shared with them.
#[cfg(unix)]
fn shared(file_var: &str, path: &Path, metadata: &std::fs::Metadata) -> Option<Warning> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o7777;
    (mode & 0o044 != 0).then(|| Warning::SharedFile {
        file_var: file_var.to_owned(),
        path: may_show(path).then(|| path.to_owned()),
        mode,
    })
}

#[cfg(not(unix))]
fn shared(_: &str, _: &Path, _: &std::fs::Metadata) -> Option<Warning> {
    None
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// What the loader does after the path's type was checked, should the path have
    /// become a FIFO since: opening it must not wait for a writer, and the handle must
    /// say what it is.
    #[test]
    fn a_fifo_opens_without_blocking_and_is_recognised_on_the_handle() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        jwt_guard_tests::mkfifo(&fifo);
        let kind = jwt_guard_tests::within(jwt_guard_tests::DEADLINE, move || {
            jwt_guard_policy::open::nonblocking(&fifo)
                .and_then(|file| file.metadata())
                .map(|metadata| not_regular(&metadata.file_type()))
                .unwrap()
        });
        assert_eq!(kind, Some(FileProblem::Pipe));
    }
}
