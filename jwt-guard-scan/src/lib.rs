//! The scanner of jwt-guard: finds JWT secrets hardcoded in Rust source.
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
//! [`scan_files`]; `scan`: [`scan_file`], [`scan_source`]) -> `lexer` (a hand-written byte
//! lexer; tokens are spans into the source) -> `test_items` (drops test code) -> `rules`
//! (candidates) -> `suppress` -> [`Finding`]s redacted by `mask` -> [`Report`] -> `render`
//! ([`Report::render_human`]) and `format` (JSON, SARIF).
//!
//! # Rules
//!
//! | rule | fires on |
//! |---|---|
//! | `key-literal` | a fixed value given to `EncodingKey`/`DecodingKey::from_secret`, `from_base64_secret`, `Hmac::new_from_slice`, `new_varkey`, jwt-simple `HS256Key::from_bytes` (and `HS384Key`, `HS512Key`, `Blake2bKey`), jwt-compact `Hs256Key::new`, josekit `signer_from_bytes`/`verifier_from_bytes`, jsonwebtokens `new_hmac` (second argument), biscuit `Secret::bytes_from_str`/`Secret::Bytes`, ring `hmac::Key::new(alg, key)`, and middleware that takes a jsonwebtoken-style `from_secret` |
//! | `env-fallback` | a fixed value (or an empty default) used when a secret-named variable read by `var`/`var_os` (`std::env`, `dotenv`, `dotenvy`) is missing: `.unwrap_or(..)`, `.unwrap_or_else(\|_\| ..)` (also a closure block that prints a warning first), `.or(..)`, `.or_else(..)`, `.map_or(..)`, `.unwrap_or_default()`, `match .. { Err(_) => .. }`, `if let Ok(s) = .. { s } else { .. }`, clap/structopt `#[arg(env = "JWT_SECRET", default_value = "..")]` and confique `#[config(env = "..", default = "..")]` |
//! | `build-time-embed` | `env!`/`option_env!` of a secret-named variable (an `option_env!(..).unwrap_or("..")` fallback is an `env-fallback` too), and `include_str!`/`include_bytes!` in any position above (a secret file baked into the binary) |
//! | `secret-binding` | a fixed value bound to a secret-named `let`/`const`/`static` (also `static ref` in `lazy_static!`, `LazyLock::new(\|\| ..)`, `Lazy::new`), struct field initialiser (so `impl Default`), assignment, builder or setter method call (`.jwt_secret(..)`, `.secret(..)`), function body (serde `fn default_jwt_secret()`), string key (`json!({"jwt_secret": ..})`, `insert("jwt_secret", ..)`, `"JWT_SECRET" => ..`) |
//! | `jwt-literal` | a string literal that is a JWT: three base64url segments, the first decoding to JSON with `"alg"` |
//! | `invalid-suppression` | a `jwt-guard:` comment without a reason, with an unknown rule, or malformed |
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
//! # Not supported (known gaps)
//!
//! - values flowing across files, through function parameters, struct fields read
//!   elsewhere, or `format!`;
//! - secrets in non-Rust files (`.env`, TOML, YAML), other than through `include_str!`/
//!   `include_bytes!` into a secret position;
//! - config-crate getters other than `var`/`var_os` (`config.get_string("jwt_secret")`),
//!   though `set_default("jwt_secret", "..")` is a `secret-binding`;
//! - key constructors of other crates or your own wrappers (`Keys::new(b"..")`), cookie
//!   `Key::from(..)`, frank_jwt `encode(.., &secret, ..)`;
//! - repeat arrays (`[0u8; 32]`) as keys, and `if`/`else` expressions as values;
//! - an out-of-line test module is looked for at its default path (`#[path]` is not followed).
//!
//! # Speed
//!
//! A file is lexed only if it mentions a word a finding needs (`secret`, `jwt`, `hmac`,
//! `signing`, a key constructor, `eyJ`), found with memchr's SIMD substring search; the
//! lexer allocates one token vector per file and never copies source text; files are
//! scanned on all cores. Measured figures: `bench/README.md` in the repository.
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

mod lexer;
mod literal;
mod mask;
mod names;
mod render;
mod rules;
mod scan;
mod suppress;
mod test_items;
mod walk;

pub use scan::{ScanOptions, scan_file, scan_source};
pub use walk::{CleanFiles, scan_files, scan_paths, scan_paths_cached};

#[cfg(feature = "json")]
pub mod format;

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
    /// A `jwt-guard:` suppression comment without a reason, or naming an unknown rule.
    InvalidSuppression,
}

impl Rule {
    /// Every rule, in a stable order.
    pub const ALL: [Rule; 6] = [
        Rule::KeyLiteral,
        Rule::EnvFallback,
        Rule::BuildTimeEmbed,
        Rule::SecretBinding,
        Rule::JwtLiteral,
        Rule::InvalidSuppression,
    ];

    /// The stable id: `key-literal`, `env-fallback`, `build-time-embed`, `secret-binding`,
    /// `jwt-literal`, `invalid-suppression`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::KeyLiteral => "key-literal",
            Rule::EnvFallback => "env-fallback",
            Rule::BuildTimeEmbed => "build-time-embed",
            Rule::SecretBinding => "secret-binding",
            Rule::JwtLiteral => "jwt-literal",
            Rule::InvalidSuppression => "invalid-suppression",
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
    /// The source line with the characters of every literal on it masked (`*`, length in
    /// characters preserved), not only the flagged one's. For a literal spanning several
    /// lines: all of them, joined by `\n`, each masked.
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

impl Report {
    /// Adds another report's counts, findings and warnings to this one.
    pub fn merge(&mut self, other: Report) {
        self.files_scanned += other.files_scanned;
        self.suppressed += other.suppressed;
        self.findings.extend(other.findings);
        self.warnings.extend(other.warnings);
    }

    /// True when there is no finding (warnings do not fail a scan).
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod tests;
