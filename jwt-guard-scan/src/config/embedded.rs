//! Configuration text held by a Rust string literal: `r#"{"jwt_secret": ".."}"#` given to
//! `serde_json::from_str`, `"jwt_secret = '..'"` to config-rs or figment, `.env` lines
//! in a test. The text is read by the configuration readers when its shape says which
//! format it is, and judged as a configuration file's slots are.

use super::{Out, Slot, dotenv, flow, judge, toml, yaml};
use crate::rules::Candidate;

/// The formats a literal's text may be, told apart by shape alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Json,
    Toml,
    Yaml,
    Dotenv,
}

impl Shape {
    fn describe(self) -> &'static str {
        match self {
            Shape::Json => "JSON text held by this string literal",
            Shape::Toml => "TOML text held by this string literal",
            Shape::Yaml => "YAML text held by this string literal",
            Shape::Dotenv => ".env text held by this string literal",
        }
    }
}

/// Secret values in `text` (a literal's decoded contents), with spans in `text`.
pub(crate) fn secrets_in_text(text: &str) -> Vec<Candidate> {
    let Some(shape) = shape_of(text) else {
        return Vec::new();
    };
    let mut out = Out::default();
    let whole = 0..text.len();
    match shape {
        Shape::Json => flow::scan(text, whole, &[], &mut out),
        Shape::Toml => toml::scan(text, whole, &[], &mut out),
        Shape::Yaml => yaml::scan(text, whole, &[], &mut out),
        Shape::Dotenv => dotenv::scan(text, whole, &[], false, &mut out),
    }
    out.slots
        .iter()
        .filter_map(|slot| judge(text, &under_secret_parent(slot), false, shape.describe()))
        .map(|(candidate, _)| candidate)
        .collect()
}

/// Keys that describe a value rather than hold one: a JSON schema, documentation.
const DESCRIBING: &[&str] = &[
    "type",
    "description",
    "title",
    "format",
    "pattern",
    "default",
    "example",
    "examples",
    "enum",
    "const",
    "minlength",
    "maxlength",
    "ref",
    "$ref",
    "comment",
    "$comment",
    "deprecated",
];

/// A value right under a secret-named map is one of its entries: `{"jwt_secrets":
/// {"2024": ".."}}` is judged as `jwt_secrets` itself (a key id -> secret map), unless
/// its key describes the value (`{"jwt_secret": {"type": "string"}}`).
fn under_secret_parent(slot: &Slot) -> Slot {
    let mut slot = slot.clone();
    if let [parents @ .., own] = slot.keys.as_slice()
        && !parents.is_empty()
        && judge::is_jwt_slot(parents)
        && !DESCRIBING.contains(&own.to_ascii_lowercase().as_str())
    {
        slot.keys.pop();
    }
    slot
}

/// The format `text` is written in, when every line of it says so; `None` for prose,
/// format strings, a single `key: value` line (a message as often as YAML) and code.
fn shape_of(text: &str) -> Option<Shape> {
    let t = text.trim();
    let bracketed = |open, close| t.starts_with(open) && t.ends_with(close);
    if (bracketed('{', '}') || bracketed('[', ']')) && t.contains('"') && t.contains(':') {
        return Some(Shape::Json);
    }
    let lines: Vec<&str> = t
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if lines.is_empty() {
        return None;
    }
    let all = |f: fn(&str) -> bool| lines.iter().all(|l| f(l));
    if all(is_dotenv_line) {
        return Some(Shape::Dotenv);
    }
    if all(is_toml_line) && lines.iter().any(|l| l.contains('=')) {
        return Some(Shape::Toml);
    }
    if lines.len() >= 2 && all(is_yaml_line) {
        return Some(Shape::Yaml);
    }
    None
}

/// `NAME=value`, `export NAME=value`.
fn is_dotenv_line(line: &str) -> bool {
    let line = line.strip_prefix("export ").unwrap_or(line);
    line.split_once('=').is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

/// A key made of name characters (dotted, quoted), as TOML and YAML write them.
fn is_key(key: &str) -> bool {
    let key = key.trim().trim_matches(['"', '\'']);
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// `[section]`, `key = "value"` (a TOML value: quoted, a number, a boolean, an array or
/// an inline table).
fn is_toml_line(line: &str) -> bool {
    if line.starts_with('[') && line.ends_with(']') {
        return true;
    }
    line.split_once('=').is_some_and(|(key, value)| {
        let value = value.trim();
        is_key(key)
            && (value.starts_with(['"', '\'', '[', '{'])
                || value.parse::<f64>().is_ok()
                || value == "true"
                || value == "false")
    })
}

/// `key: value`, `key:`, `- item`, `- key: value`.
fn is_yaml_line(line: &str) -> bool {
    let line = line.strip_prefix("- ").unwrap_or(line);
    if line.starts_with('-') {
        return true;
    }
    line.split_once(':')
        .is_some_and(|(key, rest)| is_key(key) && (rest.is_empty() || rest.starts_with(' ')))
}
