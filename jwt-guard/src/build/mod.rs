//! The build-time guard: finds JWT secrets hardcoded in Rust source.
//!
//! Data flows one way: files -> [`lexer`] -> [`rules`] -> [`Finding`]s -> [`Report`]
//! -> rendering (human / cargo; JSON and SARIF in the CLI-facing `report` module).
//!
//! CONTRACT (shared by the scanner and the CLI work; keep these names and fields):

use std::path::PathBuf;

/// A guard rule. `as_str()` is the name users write in suppressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// A literal given to a JWT/HMAC key constructor.
    KeyLiteral,
    /// A literal used when a secret-named environment variable is missing.
    EnvFallback,
    /// `env!`/`option_env!` of a secret-named variable.
    BuildTimeEmbed,
    /// A literal bound to a secret-named const, static, let, field, key, ...
    SecretBinding,
    /// A literal that is itself a JWT.
    JwtLiteral,
}

impl Rule {
    /// Every rule, in a stable order.
    pub const ALL: [Rule; 5] = [
        Rule::KeyLiteral,
        Rule::EnvFallback,
        Rule::BuildTimeEmbed,
        Rule::SecretBinding,
        Rule::JwtLiteral,
    ];

    /// The stable id: `key-literal`, `env-fallback`, `build-time-embed`, `secret-binding`, `jwt-literal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::KeyLiteral => "key-literal",
            Rule::EnvFallback => "env-fallback",
            Rule::BuildTimeEmbed => "build-time-embed",
            Rule::SecretBinding => "secret-binding",
            Rule::JwtLiteral => "jwt-literal",
        }
    }
}

/// One hardcoded secret. Holds no character of the literal: only its position and a masked copy of its line.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The source line with the literal's characters masked (`*`, length preserved).
    pub masked_line: String,
    /// Character range of the literal (its quotes/prefix included) within `masked_line`, 0-based.
    pub highlight: std::ops::Range<usize>,
}

/// A file that could not be scanned (unreadable, not UTF-8, too large, a link loop, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file.
    pub path: PathBuf,
    /// Why it was not scanned.
    pub message: String,
}

/// The outcome of a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Files read and scanned.
    pub files_scanned: usize,
    /// Findings silenced by a `// jwt-guard: allow(rule) reason` comment.
    pub suppressed: usize,
    /// Hardcoded secrets found, not suppressed.
    pub findings: Vec<Finding>,
    /// Files that could not be scanned.
    pub warnings: Vec<Warning>,
}
