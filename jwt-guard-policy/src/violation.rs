//! What a rejected secret broke. Nothing here ever holds the secret.

use std::fmt;

/// One broken rule. [`Violation::id`] is stable: match on it, log it, document it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// The secret is empty.
    Empty,
    /// Shorter than the policy's minimum.
    TooShort {
        /// The secret's length in bytes.
        len: usize,
        /// The minimum the policy requires.
        min: usize,
    },
    /// Contains a denied word (the word, never the secret).
    InsecureWord {
        /// The denied word that matched.
        word: String,
    },
    /// Appears in a public list of leaked or published secrets.
    KnownPublic,
    /// Repeats itself or uses too few distinct characters.
    LowDiversity,
    /// Starts or ends with whitespace (usually a copy-paste accident).
    SurroundingWhitespace,
    /// Contains a control character.
    ControlCharacter,
}

impl Violation {
    /// The stable rule id.
    pub fn id(&self) -> &'static str {
        match self {
            Violation::Empty => "empty",
            Violation::TooShort { .. } => "too-short",
            Violation::InsecureWord { .. } => "insecure-word",
            Violation::KnownPublic => "known-public",
            Violation::LowDiversity => "low-diversity",
            Violation::SurroundingWhitespace => "whitespace",
            Violation::ControlCharacter => "control-character",
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::Empty => f.write_str("empty"),
            Violation::TooShort { len, min } => {
                write!(f, "too short ({len} bytes, at least {min} required)")
            }
            Violation::InsecureWord { word } => write!(f, "contains the insecure word {word:?}"),
            Violation::KnownPublic => {
                f.write_str("a publicly known secret (published in docs, tutorials or samples)")
            }
            Violation::LowDiversity => {
                f.write_str("too predictable (repeats itself or uses few distinct characters)")
            }
            Violation::SurroundingWhitespace => f.write_str("starts or ends with whitespace"),
            Violation::ControlCharacter => f.write_str("contains a control character"),
        }
    }
}

/// Every rule a secret broke, in a fixed order. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    violations: Vec<Violation>,
}

impl Rejection {
    pub(crate) fn new(violations: Vec<Violation>) -> Self {
        debug_assert!(!violations.is_empty());
        Self { violations }
    }

    /// The broken rules.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The rule ids, comma-separated (for logs).
    pub fn ids(&self) -> String {
        let ids: Vec<&str> = self.violations.iter().map(Violation::id).collect();
        ids.join(", ")
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Rejection {}
