//! [`Error`]: why a secret or a configuration could not be loaded. Every message names
//! the variable (and, for files, the path when it is one) and the rule; none holds the
//! value.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::policy::Rejection;

/// How to make a good secret, appended to every message about a bad or missing one.
pub const GENERATE_HINT: &str = "Generate one with: openssl rand -base64 48";

/// A secret or configuration value that could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Neither the variable nor its `_FILE` companion is set.
    #[error("{var} is not set. {GENERATE_HINT}")]
    Missing {
        /// The variable.
        var: String,
    },
    /// Set, but to the empty string (or an empty file).
    #[error("{var} is set but empty. {GENERATE_HINT}")]
    Empty {
        /// The variable.
        var: String,
    },
    /// The value is not valid UTF-8.
    #[error("{var} is not valid UTF-8")]
    NotUnicode {
        /// The variable.
        var: String,
    },
    /// The secret breaks the policy.
    #[error("{var} is rejected: {rejection}. {GENERATE_HINT}")]
    Rejected {
        /// The variable.
        var: String,
        /// Every broken rule.
        rejection: Rejection,
    },
    /// Both `VAR` and `VAR_FILE` are set: which one wins would be a guess.
    #[error("both {var} and {file_var} are set; set only one")]
    Ambiguous {
        /// The variable.
        var: String,
        /// Its `_FILE` companion.
        file_var: String,
    },
    /// The file named by `VAR_FILE` cannot be used.
    #[error("{}", FileMessage { file_var, path: path.as_deref(), problem: *problem })]
    File {
        /// The `_FILE` variable (or the systemd credential) that named the file.
        file_var: String,
        /// The file; `None` when the value is empty or is not shown because it may be the
        /// secret itself, set in the `_FILE` variable by mistake
        /// ([`FileProblem::NotAPath`]). Nothing else of such a value is kept.
        path: Option<PathBuf>,
        /// What is wrong with it.
        problem: FileProblem,
        /// The I/O error, when there is one.
        #[source]
        source: Option<std::io::Error>,
    },
    /// A non-secret configuration value that does not parse.
    #[error("failed to parse environment variable {var} into field `{field}`")]
    Parse {
        /// The variable.
        var: String,
        /// The struct field.
        field: String,
        /// The parser's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Every problem of a configuration struct, in field order.
    #[error("{}", Several(.0))]
    Several(Vec<Error>),
}

/// What is wrong with a secret file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileProblem {
    /// Cannot be opened or read.
    Unreadable,
    /// Is a directory.
    Directory,
    /// Larger than [`crate::MAX_SECRET_FILE_LEN`].
    TooLarge,
    /// Not valid UTF-8.
    NotUnicode,
    /// A pipe or FIFO (`mkfifo`, or process substitution: `<(...)` is `/dev/fd/N`): it
    /// can be read only once, and opening or reading it waits for a writer.
    Pipe,
    /// A character or block device (`/dev/null`, `/dev/stdin` on a terminal).
    Device,
    /// A Unix domain socket.
    Socket,
    /// Any other kind of file that is not a regular file.
    NotRegular,
    /// The `_FILE` variable is set to the empty string.
    EmptyPath,
    /// The value names nothing on disk and does not look like a path to a file: it may be
    /// the secret itself, set in `VAR_FILE` instead of `VAR`, so it is not shown.
    NotAPath {
        /// The length of the value in bytes.
        len: usize,
    },
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileProblem::Unreadable => "cannot be read",
            FileProblem::Directory => "is a directory, not a file",
            FileProblem::TooLarge => "is larger than 64 KiB: not a secret file",
            FileProblem::NotUnicode => "is not valid UTF-8",
            FileProblem::Pipe => {
                "is a pipe or FIFO, not a regular file (process substitution such as \
                 <(...) is not supported: write the secret to a file with mode 600)"
            }
            FileProblem::Device => "is a device, not a regular file",
            FileProblem::Socket => "is a socket, not a regular file",
            FileProblem::NotRegular => "is not a regular file",
            FileProblem::EmptyPath => "is empty",
            FileProblem::NotAPath { .. } => "does not name a readable file",
        })
    }
}

/// The message of [`Error::File`]: the path only when it may be shown.
struct FileMessage<'a> {
    file_var: &'a str,
    path: Option<&'a Path>,
    problem: FileProblem,
}

impl fmt::Display for FileMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file_var = self.file_var;
        match (self.path, self.problem) {
            (_, FileProblem::EmptyPath) => write!(
                f,
                "{file_var} is set but empty: set it to the path of the file that holds the secret"
            ),
            (_, FileProblem::NotAPath { len }) => {
                write!(
                    f,
                    "{file_var} is set to something that is not a readable file \
                     ({len} bytes, not shown in case it is the secret"
                )?;
                match file_var.strip_suffix("_FILE") {
                    Some(var) => write!(f, "; did you mean {var}?)"),
                    None => f.write_str(")"),
                }
            }
            (Some(path), problem) => {
                write!(f, "{file_var} names {}, which {problem}", path.display())
            }
            (None, problem) => write!(f, "{file_var} names a file that {problem}"),
        }
    }
}

impl Error {
    /// The variables this error is about (every one, for [`Error::Several`]).
    pub fn vars(&self) -> Vec<&str> {
        match self {
            Error::Missing { var }
            | Error::Empty { var }
            | Error::NotUnicode { var }
            | Error::Rejected { var, .. }
            | Error::Ambiguous { var, .. }
            | Error::Parse { var, .. } => vec![var.as_str()],
            Error::File { file_var, .. } => vec![file_var.as_str()],
            Error::Several(errors) => errors.iter().flat_map(Error::vars).collect(),
        }
    }

    /// For `main` when the service must not start: logs the error, prints it to stderr
    /// and exits with status 1.
    pub fn exit(&self) -> ! {
        // The details were logged as each value failed; the log gets a summary, the
        // terminal the whole message.
        log::error!(
            target: crate::LOG_TARGET,
            "refusing to start: invalid {}",
            self.vars().join(", ")
        );
        // Not `eprintln!`, which panics when stderr cannot be written: the status says it.
        let _ = writeln!(std::io::stderr().lock(), "error: {}", self.with_causes());
        std::process::exit(1)
    }

    /// The message with its chain of causes, `: `-separated, on one line.
    pub fn with_causes(&self) -> String {
        let mut line = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            line.push_str(": ");
            line.push_str(&cause.to_string());
            source = cause.source();
        }
        line
    }
}

/// Lists several errors, one per line, each with its causes.
struct Several<'a>(&'a [Error]);

impl fmt::Display for Several<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} configuration problems:", self.0.len())?;
        for error in self.0 {
            write!(f, "\n  - {}", error.with_causes())?;
        }
        Ok(())
    }
}
