//! The guard rules: find literals by the role they play in the token stream.
//!
//! Each rule looks for a *sink* (a key constructor, an environment read with a fallback, a
//! secret-named binding, ...) and then parses the expression that flows into it with
//! [`Rules::value`], a small recursive parser that accepts only expressions whose value is
//! fixed in the source: literals, byte arrays, `vec![..]`, `concat!(..)`, conversions
//! (`.as_bytes()`, `.into()`, `String::from`, `.repeat(n)`, base64 `decode`), closures and
//! blocks returning such a value, and identifiers bound to one in the same file.

pub(crate) mod build_time_embed;
mod config_text;
pub(crate) mod env_fallback;
pub(crate) mod flow;
pub(crate) mod jwt_literal;
pub(crate) mod key_literal;
pub(crate) mod secret_binding;
pub(crate) mod sinks;
mod value;

use super::Rule;
use super::brackets::partners;
use super::lexer::{Kind, Token};
use super::literal;
use super::names::{is_env_var_name, is_key_like, is_obviously_not_a_secret, is_secret_name};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// A literal (or an empty default) found in a secret position, before suppression and rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) rule: Rule,
    /// Byte span to point at (the literal with its quotes and prefix).
    pub(crate) span: Range<usize>,
    /// Byte spans whose characters are secret and must be masked.
    pub(crate) secret: Vec<Range<usize>>,
    pub(crate) message: String,
}

/// Single-argument calls that pass a fixed value through.
const WRAPPERS: &[&str] = &[
    "from",
    "new",
    "from_utf8",
    "from_utf8_lossy",
    "decode",
    "decode_vec",
    "encode",
    "Some",
    "Ok",
    "Borrowed",
    "Owned",
    "from_static",
    "from_slice",
    "to_vec",
    "get_or_init",
    "from_str",
    "from_iter",
];

/// Methods that keep a fixed value fixed; their arguments (if any) do not matter.
const CONVERSIONS: &[&str] = &[
    "as_bytes",
    "as_ref",
    "to_string",
    "to_owned",
    "into",
    "to_vec",
    "into_bytes",
    "as_str",
    "clone",
    "repeat",
    "trim",
    "as_slice",
    "unwrap",
    "expect",
    "to_bytes",
    "as_deref",
    "into_boxed_str",
    "try_into",
    "expose_secret",
    "into_boxed_bytes",
    "into_boxed_slice",
    // A map built from a fixed list of entries keeps them.
    "iter",
    "into_iter",
    "cloned",
    "collect",
];

/// Longest block (in tokens) searched for a tail value: bounds the work on odd input.
const MAX_BLOCK_TOKENS: usize = 4096;

/// Zero-argument calls that produce an empty value.
const EMPTY_CONSTRUCTORS: &[&str] = &["new", "default"];

/// A fixed value found in the source.
#[derive(Debug, Clone, Default)]
struct Value {
    /// What to point at.
    span: Range<usize>,
    /// Secret characters (empty for an empty value).
    secret: Vec<Range<usize>>,
    /// The decoded text when the value is a single string literal.
    text: Option<String>,
    /// The identifier it was reached through, with the line of its binding.
    via: Option<String>,
    empty: bool,
    /// `include_str!`/`include_bytes!`: a file baked into the binary (nothing to mask).
    embedded: Option<&'static str>,
    /// A repeat array `[0u8; 32]`: a key only where nothing can fill it later (a key
    /// argument, a fallback, an immutable binding), a buffer elsewhere.
    repeat: bool,
    /// The other fixed arms of an `if`/`else` or `match` this value is one arm of: each is
    /// a literal of its own, reported on its own line.
    alts: Vec<Value>,
}

impl Value {
    /// This value and the other fixed arms of its `if`/`match`, each on its own.
    fn arms(&self) -> Vec<Value> {
        let mut first = self.clone();
        let alts = std::mem::take(&mut first.alts);
        let mut out = vec![first];
        for alt in alts {
            out.extend(alt.arms());
        }
        if let Some(via) = &self.via {
            for arm in &mut out {
                arm.via.get_or_insert_with(|| via.clone());
            }
        }
        out
    }
}

/// A `let`/`const`/`static` in the file.
#[derive(Debug)]
struct Binding {
    at: usize,
    /// Index of the `}` closing the block of a `let` (`usize::MAX` for items).
    scope_end: usize,
    value: Option<Value>,
}

pub(crate) struct Rules<'a> {
    /// Valid UTF-8: the scanner only lexes files that are.
    src: &'a str,
    toks: &'a [Token],
    /// Index of the matching bracket for every `(`/`[`/`{` and `)`/`]`/`}` (or `usize::MAX`).
    partner: Vec<usize>,
    bindings: HashMap<&'a [u8], Vec<Binding>>,
    out: Vec<Candidate>,
    /// What the rest of the crate says (none for a file scanned alone).
    ctx: Option<&'a flow::Context>,
    /// The crate's functions whose parameter reaches a key sink: the context's and this file's.
    sink_fns: Vec<flow::SinkFn>,
    /// What this file tells the rest of the crate.
    facts: flow::Facts,
    /// `impl` blocks (braces and type), found when the file has a key sink.
    impls: Vec<(usize, usize, &'a str)>,
    /// Bodies of the file's functions without parameters, by name (built on first use).
    fn_bodies: std::cell::OnceCell<HashMap<&'a str, usize>>,
}

/// Runs every rule over `toks` (test items already removed) and returns the candidates,
/// one per literal (the first rule in [`Rule`] order wins).
#[cfg(test)]
pub(crate) fn run(src: &str, toks: &[Token]) -> Vec<Candidate> {
    run_with(src, toks, None).0
}

/// [`run`] with what the rest of the crate says, returning what this file tells it.
pub(crate) fn run_with<'a>(
    src: &'a str,
    toks: &'a [Token],
    ctx: Option<&'a flow::Context>,
) -> (Vec<Candidate>, flow::Facts) {
    let mut rules = Rules {
        src,
        toks,
        partner: partners(src.as_bytes(), toks),
        bindings: HashMap::new(),
        out: Vec::new(),
        ctx,
        sink_fns: ctx.map(|c| c.sink_fns.clone()).unwrap_or_default(),
        facts: flow::Facts::default(),
        impls: Vec::new(),
        fn_bodies: std::cell::OnceCell::new(),
    };
    rules.collect_bindings();
    rules.collect_flow();
    rules.wanted_consts();
    for i in 0..toks.len() {
        rules.at(i);
    }
    let mut facts = rules.facts;
    // A name-shaped value is a name when this file reads its const as one.
    let read_here: Vec<Range<usize>> = facts
        .conditional
        .iter()
        .filter(|(_, name)| facts.var_names.contains(name))
        .map(|(span, _)| span.clone())
        .collect();
    facts
        .conditional
        .retain(|(span, _)| !read_here.contains(span));
    let mut out = rules.out;
    out.retain(|c| !(c.rule == Rule::SecretBinding && read_here.contains(&c.span)));
    out.sort_by_key(|c| (c.span.start, c.rule));
    out.dedup_by_key(|c| c.span.start);
    // Only a finding that is still a name-shaped binding depends on other files.
    facts.conditional.retain(|(span, _)| {
        out.iter()
            .any(|c| c.span == *span && c.rule == Rule::SecretBinding)
    });
    (out, facts)
}

/// Cheap test before the real one: only names mentioning `secret` or `key` (any case) can
/// be secret-named. Runs on every identifier, so it avoids allocation and hashing.
fn maybe_secret_name(text: &[u8]) -> bool {
    text.iter().enumerate().any(|(i, &b)| match b | 0x20 {
        b'k' => text
            .get(i + 1..i + 3)
            .is_some_and(|r| r.eq_ignore_ascii_case(b"ey")),
        b's' => text
            .get(i + 1..i + 6)
            .is_some_and(|r| r.eq_ignore_ascii_case(b"ecret")),
        _ => false,
    })
}

impl<'a> Rules<'a> {
    fn text(&self, i: usize) -> &'a [u8] {
        self.toks
            .get(i)
            .map_or(&[], |t| t.text(self.src.as_bytes()))
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn is_punct(&self, i: usize, c: u8) -> bool {
        self.kind(i) == Some(Kind::Punct) && self.text(i) == [c]
    }

    fn is_ident(&self, i: usize, name: &str) -> bool {
        self.kind(i) == Some(Kind::Ident) && self.text(i) == name.as_bytes()
    }

    fn ident(&self, i: usize) -> Option<&'a str> {
        if self.kind(i) == Some(Kind::Ident) {
            // Slicing the validated source: no second UTF-8 check per identifier.
            let t = self.toks.get(i)?;
            self.src.get(t.start as usize..t.end as usize)
        } else {
            None
        }
    }

    /// `::` at `i`.
    fn is_path_sep(&self, i: usize) -> bool {
        self.is_punct(i, b':') && self.is_punct(i + 1, b':') && self.adjacent(i)
    }

    /// Tokens `i` and `i + 1` touch (`=>`, `::`, `==`).
    fn adjacent(&self, i: usize) -> bool {
        match (self.toks.get(i), self.toks.get(i + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    fn partner(&self, i: usize) -> Option<usize> {
        self.partner.get(i).copied().filter(|&p| p != usize::MAX)
    }

    fn lit_text(&self, i: usize) -> Cow<'a, str> {
        literal::decode(&self.toks[i], self.src.as_bytes())
    }

    fn span(&self, from: usize, to_incl: usize) -> Range<usize> {
        let start = self.toks.get(from).map_or(0, |t| t.start as usize);
        let end = self.toks.get(to_incl).map_or(start, |t| t.end as usize);
        start..end.max(start)
    }

    /// Top-level argument starts of the call whose `(` is at `open`.
    fn args(&self, open: usize) -> Option<Vec<(usize, usize)>> {
        let close = self.partner(open)?;
        let mut out = Vec::new();
        let mut start = open + 1;
        let mut i = open + 1;
        while i < close {
            if let Some(p) = self.partner(i).filter(|&p| p > i) {
                i = p + 1;
                continue;
            }
            if self.is_punct(i, b',') {
                out.push((start, i));
                start = i + 1;
            }
            i += 1;
        }
        if start < close {
            out.push((start, close));
        }
        Some(out)
    }

    fn push(&mut self, rule: Rule, v: &Value, message: String) {
        let (rule, message) = match v.embedded {
            Some(mac) => (
                Rule::BuildTimeEmbed,
                format!(
                    "`{mac}!` bakes this file into the binary at build time, as a secret{}",
                    Self::through(v)
                ),
            ),
            None => (rule, message),
        };
        self.out.push(Candidate {
            rule,
            span: v.span.clone(),
            secret: v.secret.clone(),
            message,
        });
    }

    fn through(v: &Value) -> String {
        v.via
            .as_ref()
            .map_or(String::new(), |name| format!(" (through `{name}`)"))
    }

    /// Every rule that can start at token `i`.
    fn at(&mut self, i: usize) {
        let t = self.toks[i];
        match t.kind {
            Kind::Ident => {
                let name = self.text(i);
                match name {
                    _ if sinks::is_sink_method(name) => self.key_constructor(i),
                    b"var" | b"var_os" => self.env_fallback(i),
                    b"env" | b"option_env" | b"dotenv" => {
                        self.build_time_embed(i);
                        self.attribute_default(i);
                    }
                    b"include_str" | b"include_bytes" => self.included_secret_file(i),
                    b"let" | b"const" | b"static" => self.binding(i),
                    b"fn" => self.secret_fn(i),
                    _ if maybe_secret_name(name) => {
                        self.secret_field_or_method(i);
                        self.secret_collection_entry(i);
                        self.note_variable_name(i);
                    }
                    _ => {}
                }
                if !self.sink_fns.is_empty() {
                    self.flow_call(i);
                }
            }
            k if k.is_string() => {
                self.secret_key_literal(i);
                self.jwt_literal(i);
                self.config_text(i);
            }
            _ => {}
        }
    }
}

/// What the rules do not see, for the rules reference (Markdown list).
pub(crate) const KNOWN_GAPS: &str = "\
- a map of key material given to a parameter that is not named for a secret (`Keys::new(HashMap::from([(1, \"..\")]))` with `fn new(map: ..)`), a map filled in a loop or from another map, struct literals built at the call; flows through closures, trait objects and generic dispatch; a field read other than `self.field` of the type whose constructor stored it; a secret-named parameter followed more than one hop;
- more than three hops through the crate's own functions in one file, more than two rounds across files, flows across crates of a workspace (each crate is its own unit), and a parameterless function of another file returning the literal;
- a const used at a sink elsewhere is matched by its name, so two crates' files defining the same SCREAMING_CASE name in one crate are both reported;
- configuration text in a literal that is not whole (`format!` pieces, `concat!` of parts, a one-line `key: value` YAML text, which reads as a message as often), JSON built with `json!` under a key that is not secret-named, and a value inside an escaped (cooked) literal is reported on the literal's first line, not its own;
- JWTs and secrets in comments and doc comments (never flagged, on purpose);
- config-crate getters other than `var`/`var_os` as fallback sources (`config.get_string(\"jwt_secret\").unwrap_or(..)`), though `set_default(\"jwt_secret\", \"..\")` is a `secret-binding`;
- key sinks not in the table (poem-jwt, cookie `Key::from`, in-house crates outside the scan), and `include_str!` of a file whose name does not say secret;
- an out-of-line test module is looked for at its default path (`#[path]` is not followed).
";

/// A redaction mask, not a value: only mask characters (`****`, `xxxx`, `[hidden]`,
/// `<redacted>`, `...`), or a word such as redacted, hidden or masked, alone.
fn is_mask(text: &str) -> bool {
    let bracket = |c: char| matches!(c, '[' | ']' | '<' | '>' | '(' | ')' | '{' | '}');
    let trimmed = text.trim();
    let t = trimmed.trim_matches(bracket).trim();
    let bracketed = t.len() < trimmed.len();
    let lower = t.to_ascii_lowercase();
    let word = lower == "redacted"
        || (bracketed
            && matches!(
                lower.as_str(),
                "hidden" | "masked" | "omitted" | "elided" | "filtered" | "sensitive" | "secret"
            ));
    let mask_char = |c: char| matches!(c, '*' | '\u{2022}' | '.' | '\u{2026}' | '#' | '-' | '_');
    let only_mask_chars = !t.is_empty()
        && (t.chars().all(mask_char) || (t.len() >= 3 && t.chars().all(|c| c == 'x' || c == 'X')));
    word || only_mask_chars
}

/// A value in a secret position that is plainly something else: a path, a URL, a PEM
/// block, prose, or the *name* of a secret variable (`"JWT_SECRET"`, but not `"CHANGE_ME"`).
fn secret_named_not_a_secret(text: &str) -> bool {
    if is_env_var_name(text) {
        return is_secret_name(text);
    }
    is_obviously_not_a_secret(text)
}

/// A name from the source (a binding, a key, a variable) as a message may show it: as
/// written when it is shaped like a name (at most four words of ASCII letters and digits
/// joined by `_`, `-` or `.`, 40 characters), otherwise not at all, since a string key
/// long or odd enough could itself be the secret.
pub(crate) fn shown_name(name: &str) -> String {
    let words = name
        .split(['_', '-', '.'])
        .filter(|w| !w.is_empty())
        .count();
    let name_shaped = name.len() <= 40
        && words <= 4
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if name_shaped {
        format!("`{name}`")
    } else {
        "a name not shown (it could be the secret itself)".to_owned()
    }
}
