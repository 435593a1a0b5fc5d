//! The policy file: `[package.metadata.jwt-guard]` in `Cargo.toml` (inheriting
//! `[workspace.metadata.jwt-guard]`), or a `jwt-guard.toml` beside it. One reviewed
//! declaration read by `#[jwt_secret_env]`, the build guard and the CLI.
//!
//! ```toml
//! [package.metadata.jwt-guard]
//! alg = "HS512"                 # every secret: the algorithm (sets the minimum length)
//! min-len = 64                  # bytes; never below 32 nor below the algorithm's
//! deny = ["acme"]               # extra words no secret may contain
//!
//! [package.metadata.jwt-guard.secrets.AUTH_KEY]   # a secret's variable; its own
//! min-len = 80                                     # alg / min-len / deny tighten the above
//!
//! [package.metadata.jwt-guard.guard]
//! include = ["examples"]        # scanned besides src/ and build.rs
//! exclude = ["src/generated.rs"]
//! include-tests = false
//! config-files = false
//! max-file-size = 8388608
//!
//! [[package.metadata.jwt-guard.exceptions]]
//! path = "src/fixtures.rs"
//! rule = "secret-binding"
//! line = 12                      # or: fingerprint = "…" (from the JSON report)
//! reason = "public RFC 7515 test vector"
//! expires = 2026-12-31           # optional; a TOML date or "YYYY-MM-DD", UTC
//! ```
//!
//! Rules: a policy is only ever stricter than the built-in one (a `min-len` below 32 is
//! an error, not an override); a package inherits its workspace's policy and may only
//! tighten it (a longer minimum, a stronger algorithm, more words, more paths scanned);
//! a secret's own table may only tighten the table above it. Unknown keys, wrong types
//! and impossible values are errors naming the file, the line and the key.
//!
//! This module holds the policy's types; the crate `jwt-guard-policy-file` reads them
//! from the files (with a TOML parser). Apart, so the scanner, which takes only the
//! guard's scope and exceptions, starts compiling without waiting for the parser.

mod date;

pub use date::Date;

use std::fmt;
use std::path::{Path, PathBuf};

/// The table in `Cargo.toml` holding a package's policy.
pub const PACKAGE_TABLE: &str = "package.metadata.jwt-guard";
/// The table in a workspace's root `Cargo.toml` that its packages inherit.
pub const WORKSPACE_TABLE: &str = "workspace.metadata.jwt-guard";
/// The stand-alone policy file, beside (or instead of) a `Cargo.toml`.
pub const STANDALONE_FILE: &str = "jwt-guard.toml";

/// An HMAC algorithm of a policy, and the key length it needs (RFC 7518 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Alg {
    /// HMAC-SHA-256: 32-byte keys.
    HS256,
    /// HMAC-SHA-384: 48-byte keys.
    HS384,
    /// HMAC-SHA-512: 64-byte keys.
    HS512,
}

impl Alg {
    /// Every algorithm, weakest first.
    pub const ALL: [Alg; 3] = [Alg::HS256, Alg::HS384, Alg::HS512];

    /// `"HS256"`, `"HS384"` or `"HS512"`.
    pub fn name(self) -> &'static str {
        match self {
            Alg::HS256 => "HS256",
            Alg::HS384 => "HS384",
            Alg::HS512 => "HS512",
        }
    }

    /// The shortest key it accepts, in bytes.
    pub fn min_len(self) -> usize {
        match self {
            Alg::HS256 => 32,
            Alg::HS384 => 48,
            Alg::HS512 => 64,
        }
    }

    /// The algorithm named `name` (exact, upper-case).
    pub fn from_name(name: &str) -> Option<Alg> {
        Self::ALL.into_iter().find(|alg| alg.name() == name)
    }
}

/// Where something is declared: a file, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem is the file as a whole.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file.display())
        } else {
            write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
        }
    }
}

/// One problem of a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where it is.
    pub location: Location,
    /// The key, in full (`package.metadata.jwt-guard.min-len`), when there is one.
    pub key: Option<String>,
    /// What is wrong, one line.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{}: `{key}`: {}", self.location, self.message),
            None => write!(f, "{}: {}", self.location, self.message),
        }
    }
}

/// Every problem found in the policy files: none of them is ever ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFileError {
    problems: Vec<Problem>,
}

impl PolicyFileError {
    /// Every problem of `problems` (not empty).
    pub fn new(problems: Vec<Problem>) -> Self {
        PolicyFileError { problems }
    }

    /// One problem.
    pub fn single(location: Location, key: Option<String>, message: impl Into<String>) -> Self {
        Self::new(vec![Problem {
            location,
            key,
            message: message.into(),
        }])
    }

    /// The problems, in file order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for PolicyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "invalid jwt-guard policy: {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyFileError {}

/// A policy's requirements for secrets: the table itself or a secret's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretRule {
    /// `alg`.
    pub alg: Option<Alg>,
    /// `min-len`, in bytes.
    pub min_len: Option<usize>,
    /// `deny`, lower-cased.
    pub deny: Vec<String>,
}

/// What a secret must satisfy under a policy file, every layer applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRequirement {
    /// The algorithm the secret signs with (HS256 unless a layer says otherwise).
    pub alg: Alg,
    /// The minimum length in bytes: at least 32 and at least `alg`'s.
    pub min_len: usize,
    /// Extra denied words, lower-cased, without repeats.
    pub deny: Vec<String>,
}

impl Default for SecretRequirement {
    fn default() -> Self {
        SecretRequirement {
            alg: Alg::HS256,
            min_len: crate::MIN_LEN,
            deny: Vec::new(),
        }
    }
}

impl SecretRequirement {
    /// Also requires `rule`: the stronger algorithm, the longer minimum, every word.
    pub fn tighten(&mut self, rule: &SecretRule) {
        if let Some(alg) = rule.alg {
            self.alg = self.alg.max(alg);
        }
        self.min_len = self
            .min_len
            .max(rule.min_len.unwrap_or(0))
            .max(self.alg.min_len());
        for word in &rule.deny {
            if !self.deny.contains(word) {
                self.deny.push(word.clone());
            }
        }
    }
}

/// What the build guard and `jwt-guard scan` take from the policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuardRules {
    /// `include`: paths scanned besides `src/` and `build.rs`, joined to the directory of
    /// the file declaring them.
    pub include: Vec<PathBuf>,
    /// `exclude`: paths left out, joined likewise.
    pub exclude: Vec<PathBuf>,
    /// `include-tests`: scan test code too.
    pub include_tests: Option<bool>,
    /// `config-files`: scan configuration and deployment files too.
    pub config_files: Option<bool>,
    /// `max-file-size`, in bytes.
    pub max_file_size: Option<u64>,
}

/// `path` without `.` components and with each `..` taking away the component before it
/// (none above the root): a policy file's path as written, so paths reaching one place by
/// different routes are one path.
pub fn lexically_normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    out
}

/// A reviewed exception: one finding the guard reports as suppressed, with its reason,
/// until `expires`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// The file, joined to the directory of the policy declaring the exception.
    pub path: PathBuf,
    /// The rule id, as written (the scanner checks it names a rule).
    pub rule: String,
    /// The finding's line, or
    pub line: Option<usize>,
    /// the finding's fingerprint (as the JSON report shows it).
    pub fingerprint: Option<String>,
    /// Why it is accepted.
    pub reason: String,
    /// The last day it holds (UTC); from the next day on the finding is reported again.
    pub expires: Option<Date>,
    /// Where it is declared (its `path` key).
    pub declared_at: Location,
    /// Where its `rule` is written, for an error about an unknown rule.
    pub rule_at: Location,
}

impl Exception {
    /// Whether it no longer holds on `today`.
    pub fn is_expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|last_day| today > last_day)
    }
}

/// A package's policy: what its files declare, every layer merged. The default (no file
/// declares anything) is the built-in policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyFile {
    /// Every file read, package first (for `cargo::rerun-if-changed` and the macro's
    /// `include_bytes!`).
    pub sources: Vec<PathBuf>,
    /// The package (or workspace) directory: what relative paths are relative to.
    pub dir: PathBuf,
    /// The rule for every secret, workspace then package.
    pub defaults: SecretRule,
    /// Each declared secret's own rule, by variable, in declaration order.
    pub secrets: Vec<(String, SecretRule)>,
    /// The guard's scope.
    pub guard: GuardRules,
    /// Reviewed exceptions, workspace's and package's.
    pub exceptions: Vec<Exception>,
}

impl PolicyFile {
    /// Whether any file declared a policy (a `Cargo.toml` without the table does not).
    pub fn is_declared(&self) -> bool {
        *self
            != PolicyFile {
                sources: self.sources.clone(),
                dir: self.dir.clone(),
                ..PolicyFile::default()
            }
    }

    /// The requirement for the secret read from `var`: the defaults, then its own table.
    pub fn requirement(&self, var: &str) -> SecretRequirement {
        let mut requirement = SecretRequirement::default();
        requirement.tighten(&self.defaults);
        for (_, rule) in self.secrets.iter().filter(|(name, _)| name == var) {
            requirement.tighten(rule);
        }
        requirement
    }

    /// The variables declared under `secrets`, each once, in declaration order.
    pub fn declared_vars(&self) -> impl Iterator<Item = &str> {
        let mut seen: Vec<&str> = Vec::new();
        self.secrets.iter().filter_map(move |(var, _)| {
            let new = !seen.contains(&var.as_str());
            new.then(|| {
                seen.push(var);
                var.as_str()
            })
        })
    }

    /// The file the package's policy is read from, for messages.
    pub fn origin(&self) -> Option<&Path> {
        self.sources.first().map(PathBuf::as_path)
    }
}
