//! Loading a secret: from `VAR`, from the file named by `VAR_FILE` (Docker and Kubernetes
//! secrets), or from a systemd credential named `VAR`; then the policy; then a security
//! warning in the log when anything is wrong.
//!
//! Everything goes through a lookup closure, so tests never touch the process environment.

use std::ffi::OsString;
use std::fs::File;
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
    /// is missing or rejected.
    pub fn load(
        &self,
        var: &str,
        mut lookup: impl FnMut(&str) -> Option<OsString>,
    ) -> Result<JwtSecret, Error> {
        let result = self.load_quietly(var, &mut lookup);
        if let Err(error) = &result {
            warn(error);
        }
        result
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
        match self.load_quietly(var, &mut lookup) {
            Ok(secret) => Ok(Some(secret)),
            Err(Error::Missing { .. }) => Ok(None),
            Err(error) => {
                warn(&error);
                Err(error)
            }
        }
    }

    fn load_quietly(
        &self,
        var: &str,
        lookup: &mut dyn FnMut(&str) -> Option<OsString>,
    ) -> Result<JwtSecret, Error> {
        let (source_var, bytes) = read_value(var, lookup)?;
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
            let bytes = read_secret_file(&file_var, Path::new(&path))?;
            Ok((file_var, bytes))
        }
        (None, None) => {
            let credential = lookup(CREDENTIALS_DIRECTORY)
                .map(|dir| PathBuf::from(dir).join(var))
                .filter(|path| path.exists());
            match credential {
                Some(path) => {
                    let name = format!("{CREDENTIALS_DIRECTORY}/{var}");
                    let bytes = read_secret_file(&name, &path)?;
                    Ok((name, bytes))
                }
                None => Err(Error::Missing {
                    var: var.to_owned(),
                }),
            }
        }
    }
}

/// Reads a secret file: at most [`MAX_SECRET_FILE_LEN`] bytes of UTF-8, one trailing
/// newline (`\n` or `\r\n`) removed, as `echo secret > file` leaves one.
fn read_secret_file(file_var: &str, path: &Path) -> Result<Zeroizing<Vec<u8>>, Error> {
    let fail = |problem, source| file_error(file_var, path, problem, source);
    if path.as_os_str().is_empty() {
        return Err(fail(FileProblem::EmptyPath, None));
    }
    let metadata = std::fs::metadata(path).map_err(|e| fail(FileProblem::Unreadable, Some(e)))?;
    if metadata.is_dir() {
        return Err(fail(FileProblem::Directory, None));
    }
    if metadata.len() > MAX_SECRET_FILE_LEN {
        return Err(fail(FileProblem::TooLarge, None));
    }
    warn_if_shared(file_var, path, &metadata);
    let mut bytes = Zeroizing::new(Vec::new());
    File::open(path)
        .and_then(|file| file.take(MAX_SECRET_FILE_LEN + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(FileProblem::Unreadable, Some(e)))?;
    // The file may have grown since the metadata was read.
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
fn warn_if_shared(file_var: &str, path: &Path, metadata: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    if metadata.permissions().mode() & 0o044 != 0 {
        log::warn!(
            target: LOG_TARGET,
            "secret file {} ({file_var}) is readable by group or others; restrict it with chmod 600",
            path.display()
        );
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_: &str, _: &Path, _: &std::fs::Metadata) {}
