//! The scanner of jwt-guard: finds JWT secrets hardcoded in Rust source, and in deployment
//! and configuration files (`.env`, compose, Dockerfile, Kubernetes, Helm, systemd,
//! TOML/YAML/JSON/properties, Terraform and Nomad (HCL), CI workflows, shell scripts and
//! Procfiles: rule `config-secret`, see
//! `docs/rules.md`).
//!
//! Build scripts use it through `jwt_guard::build` (feature `build` of `jwt-guard`), which
//! adds the Cargo directives; the `jwt-guard` CLI uses it directly. As a library:
//!
//! ```
//! use std::path::Path;
//! use jwt_guard_scan::{ScanOptions, scan_source};
//!
//! let source = "fn keys() { EncodingKey::from_secret(b\"Dv7pLm2vRt9sWk4b\"); }";
//! let report = scan_source(Path::new("src/auth.rs"), source.as_bytes(), &ScanOptions::default());
//! assert_eq!(report.findings[0].rule.as_str(), "key-literal");
//! assert!(!report.render_human().contains("Dv7pLm2vRt9sWk4b"));
//! ```
//!
//! Data flows one way, one module per arrow: files (`walk`: [`scan_paths`],
//! [`scan_paths_with`]; `read`; `scan`: [`scan_file`], [`scan_source`]) -> `lexer` (a hand-written byte
//! lexer; tokens are spans into the source) -> `test_items` (drops test code) -> `rules`
//! (candidates) -> `suppress` -> [`Finding`]s redacted by `mask` -> [`Report`] -> `render`
//! ([`Report::render_human`]) and `format` (JSON, SARIF).
//!
//! # Features
//!
//! None is on by default, so a build script compiles the scanner alone:
//! - `json`: JSON and SARIF 2.1.0 reports (`format`);
//! - `verdict`: config findings also say whether start-up would refuse the value (adds
//!   SHA-256, for the known-secret digests);
//! - `policy-file`: the policy file's scope and exceptions (`policy`);
//! - `structured`: a YAML parser beside the line reader, for anchors, aliases and merge
//!   keys (without it, a value reached only through an alias is not seen);
//! - `fast-search`: memchr's vectorised searches instead of std's, for optimised builds
//!   (same findings; unoptimised, as a build script's dependencies are, no faster).
//!
//! The CLI turns all five on; `jwt_guard::build` without default features only
//! `policy-file`. The cost of each in a cold build is in the repository's `bench/README.md`.
//!
//! # Rules
//!
//! Each rule is declared once, in its own module, as a [`RuleInfo`] (id, title, help,
//! prefilter keywords, documentation, examples): see [`Rule::info`]. The repository's
//! `docs/rules.md` is generated from the declarations ([`rules_reference`]).
//!
//! A *fixed value* is a string-like literal (`".."`, `b".."`, `r#".."#`, `br".."`, `c".."`),
//! a byte array (`&[0x73, ..]`, `vec![..]`), `concat!` of literals, or such a value seen
//! through `&`, `.as_bytes()`, `.to_string()`, `.to_owned()`, `.into()`, `.to_vec()`,
//! `.repeat(n)`, `.as_ref()`, `.unwrap()`, `String::from`, `Some`/`Ok`, base64
//! `decode`/`encode` (`STANDARD.decode("..")`), `String::new()`/`Default::default()`
//! (empty), a closure or a block returning one, or an identifier bound to one by a
//! `let`/`const`/`static` in the same file (the finding then points at the literal).
//! Tokens are seen the same inside macro invocations and across line breaks.
//!
//! Secret-named: see the word rules in `names` (`JWT_SECRET`, `SECRET_KEY`, `APP_SECRET`,
//! `jwtSecret`, `signing_key`, `hmac_key`, `jwt_key` count; `JWT_SECRET_PATH`, `SECRET_VAR`,
//! `secret_len`, `api_key`, `keyboard` do not).
//!
//! Never flagged: the variable name itself (`env::var("JWT_SECRET")`,
//! `const VAR: &str = "JWT_SECRET"`), `expect`/`#[error]`/log messages, field
//! declarations, header names, paths and URLs, PEM blocks and other public keys, values
//! computed at run time, empty strings outside fallbacks, comments and doc comments,
//! test code unless [`ScanOptions::include_tests`]. Test code is `#[test]` functions
//! (`#[tokio::test]`, ...) and items under a `cfg` that holds only when `test` does
//! (`cfg(test)`, `cfg(all(test, unix))`); `cfg(any(test, debug_assertions))`,
//! `cfg(not(test))`, `cfg_attr(..)`, never-true and malformed predicates are scanned.
//!
//! # Values that cross functions and files
//!
//! A function of the scanned crate whose parameter reaches a key sink (directly, through a
//! `let` built from it, through a field its constructor stores and a method reads as
//! `self.field`, or through another such function: up to three hops in a file) is a sink
//! itself: `keys("dev-secret")`, `Keys::new(b"..")`, `JwtService::new("..".into())` flag
//! the literal. A parameterless function returning a fixed value is that value. Across the
//! files of one crate (the directory of the nearest `Cargo.toml`), the walker passes each
//! file's key functions and the SCREAMING_CASE consts it uses at a sink without defining
//! them to the crate's other files (two rounds): `const KEY` in `config.rs` used as
//! `from_secret(config::KEY)` in `auth.rs` is flagged in `config.rs`. A secret-named const
//! whose value looks like a variable name (`"MY_APP_SIGNING_SECRET"`) is a name when some
//! call of the crate reads it as one (`env::var(C)`, `config.get_string(C)`), and the
//! secret otherwise. Cost: only the crates whose files ask are read again.
//!
//! # Not supported (known gaps)
//!
//! See the "Known gaps" section of `docs/rules.md` (generated from
//! `rules::KNOWN_GAPS`).
//!
//! # Speed
//!
//! A file is lexed only if it mentions a word a finding needs (`secret`, `jwt`, `hmac`,
//! `signing`, a key constructor, `eyJ`), found with memchr's SIMD substring search (with
//! `fast-search`; std's otherwise); the lexer allocates one token vector per file and
//! never copies source text; files are scanned on all cores. Measured figures: `bench/README.md` in the repository.
//!
//! # Suppression
//!
//! `// jwt-guard: allow(rule-id) reason` on the finding's line or the line above silences
//! it (counted in [`Report::suppressed`]). A missing reason or an unknown rule is itself an
//! `invalid-suppression` error.
//!
//! # Redaction
//!
//! A [`Finding`] holds no character of any literal: `masked_line` replaces with `*` every
//! character of every literal on the shown line(s), flagged or not (test code's,
//! suppressed ones', those given to constructors no rule knows): string-likes, characters
//! and bytes inside their quotes, numbers whole (byte arrays are keys too). Its length in
//! characters is kept, so columns and the highlight stay right. Messages never quote
//! values (they may name the variable or binding). JSON and SARIF hold no source text.

mod brackets;
mod config;
mod crate_flow;
mod exceptions;
mod lexer;
mod literal;
mod mask;
mod names;
mod read;
mod render;
mod rule;
mod rules;
mod scan;
mod search;
mod suppress;
mod test_items;
mod walk;

#[cfg(feature = "policy-file")]
pub use exceptions::policy;
pub use exceptions::{Covers, Excepted, Exception, fingerprint};
pub use read::{FileStamp, open_regular_file};
pub use render::shown;
pub use rule::{Rule, RuleInfo, rules_reference, rules_table};
pub use scan::{
    ScanOptions, SourceScan, may_hold_findings, scan_file, scan_source, scan_source_detailed,
};
pub use walk::{CleanFiles, Exclude, Walk, scan_paths, scan_paths_with};

#[cfg(feature = "json")]
pub mod format;

/// Which scanner reads a file, as its path says: the one decision walks, git history and
/// the index share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileKind {
    /// Rust source (`*.rs`).
    Rust,
    /// A deployment or configuration file by its name (see [`is_config_file_name`]).
    Config,
    /// A name without an extension: a shell script if its content starts with a shell
    /// shebang ([`FileKind::reads`]), otherwise not scanned.
    MaybeScript,
}

impl FileKind {
    /// The kind of file at `path`, or `None` for a file no scanner reads; configuration
    /// files only with [`ScanOptions::config_files`].
    pub fn of(path: &std::path::Path, options: &ScanOptions) -> Option<FileKind> {
        if path.extension().is_some_and(|e| e == "rs") {
            Some(FileKind::Rust)
        } else if !options.config_files {
            None
        } else if config::Format::of_path(path).is_some() {
            Some(FileKind::Config)
        } else if config::Format::may_be_script(path) {
            Some(FileKind::MaybeScript)
        } else {
            None
        }
    }

    /// Whether a file of this kind whose content starts with `head` is scanned (a
    /// `MaybeScript` only when it starts with a shell shebang).
    pub fn reads(self, head: &[u8]) -> bool {
        self != FileKind::MaybeScript || config::shell::is_shell_shebang(head)
    }
}

/// Whether `path`'s name makes it a deployment or configuration file the scanner reads
/// (`.env`, `docker-compose.yml`, `Dockerfile`, `config.toml`, `api.service`, ...).
pub fn is_config_file_name(path: &std::path::Path) -> bool {
    config::Format::of_path(path).is_some()
}

/// Whether git ignores `path` and does not track it (a local `.env`): such a configuration
/// file is where a local secret belongs, and walks leave it out.
pub fn is_git_ignored_untracked(path: &std::path::Path) -> bool {
    config::gitignore::Gitignore::default().ignores(path)
}

use std::path::PathBuf;

/// One hardcoded secret. Holds no character of the literal: only its position and a masked copy of its line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// The rule that fired.
    pub rule: Rule,
    /// The file's path as given to / walked by the scanner.
    pub path: PathBuf,
    /// 1-based line of the literal's first character.
    pub line: usize,
    /// 1-based column (in characters) of the literal's first character.
    pub column: usize,
    /// One line, says what the literal is used as; never quotes it.
    pub message: String,
    /// The source line with the characters of every literal on it masked (`*`, length in
    /// characters preserved), not only the flagged one's. For a literal spanning several
    /// lines: all of them, joined by `\n`, each masked.
    pub masked_line: String,
    /// Character range of the literal (its quotes/prefix included) within `masked_line`, 0-based.
    pub highlight: std::ops::Range<usize>,
}

/// A file that could not be scanned (unreadable, not UTF-8, too large, not a regular
/// file, ...). It fails the scan like a finding: what was not read is not clean.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Warning {
    /// The file.
    pub path: PathBuf,
    /// Why it was not scanned.
    pub message: String,
}

impl Warning {
    /// `path` could not be scanned, for this reason (which must not quote file content).
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Warning {
        Warning {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// The outcome of a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// Files read and scanned.
    pub files_scanned: usize,
    /// Findings silenced by a `// jwt-guard: allow(rule) reason` comment.
    pub suppressed: usize,
    /// Hardcoded secrets found, not suppressed.
    pub findings: Vec<Finding>,
    /// Files that could not be scanned; any makes the report not clean.
    pub warnings: Vec<Warning>,
    /// Findings covered by a reviewed exception of the policy file
    /// ([`Report::apply_exceptions`]), with its reason.
    pub excepted: Vec<Excepted>,
}

impl Report {
    /// Adds another report's counts, findings and warnings to this one.
    pub fn merge(&mut self, other: Report) {
        self.files_scanned += other.files_scanned;
        self.suppressed += other.suppressed;
        self.findings.extend(other.findings);
        self.warnings.extend(other.warnings);
        self.excepted.extend(other.excepted);
    }

    /// True when there is no finding and every file could be scanned: a file the
    /// scanner could not read is never taken for a clean one.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty() && self.warnings.is_empty()
    }
}

#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod tests;
