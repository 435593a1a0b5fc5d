//! Deployment and configuration files: `.env`, compose, Dockerfile, Kubernetes, Helm,
//! systemd, TOML/YAML/JSON/properties application config, CI workflows and shell scripts.
//!
//! Data flows one way, as for Rust: bytes -> a format's reader (one module per format,
//! each a tolerant line- or token-based reader that keeps byte positions and never
//! gives up on a file: a Helm template, broken YAML or a truncated JSON file is read to
//! its end) -> [`Slot`]s (a key path and the byte range of the value set there) ->
//! [`judge`] (is the slot secret-named, is the value a literal rather than a reference,
//! what would the policy say of it) -> suppressions (`# jwt-guard: allow(rule) reason`)
//! -> redacted [`Finding`]s.
//!
//! Which file is which format is decided by its name ([`Format::of_path`]), and for a
//! file without an extension by its content (a shell shebang).

mod dockerfile;
mod dotenv;
mod embedded;
mod flow;
pub(crate) mod gitignore;
mod hcl;
mod judge;
pub(crate) mod rule;
pub(crate) mod shell;
mod systemd;

#[cfg(test)]
mod tests;
mod toml;
mod yaml;
#[cfg(feature = "structured")]
mod yaml_tree;

use crate::rules::Candidate;
use crate::search;
use crate::{Finding, Report, Rule, ScanOptions, literal, suppress};
use std::ops::Range;
use std::path::{Path, PathBuf};

pub(crate) use embedded::secrets_in_text;
pub(crate) use judge::judge;

/// The formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `.env`, `.env.*`, `*.env`: `KEY=value` lines.
    Dotenv,
    /// Java-style `.properties`: `a.b.c=value`, `a.b: value`.
    Properties,
    /// YAML: compose, Kubernetes, Helm, CI workflows, application config.
    Yaml,
    /// TOML application config (and `Cargo.toml`).
    Toml,
    /// HCL: Terraform (`*.tf`, `*.tfvars`) and Nomad job files.
    Hcl,
    /// JSON (JSONC tolerated): `appsettings.json`, task definitions, ...
    Json,
    /// `Dockerfile`, `*.Dockerfile`, `Containerfile`.
    Dockerfile,
    /// systemd units, quadlets and drop-ins.
    Systemd,
    /// Shell scripts (`*.sh`, `.envrc`, a shell shebang).
    Shell,
}

/// Suffixes of template files, stripped before the format is decided:
/// `.env.example`, `config.toml.sample`, `docker-compose.yml.dist`.
const TEMPLATE_SUFFIXES: &[&str] = &["example", "sample", "template", "dist", "tmpl", "defaults"];

impl Format {
    /// The format a file's name says, or `None` (maybe a shell script: see
    /// [`Format::may_be_script`]).
    pub(crate) fn of_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?;
        let lower = name.to_ascii_lowercase();
        // A Procfile's lines are `process: command` (Heroku, Dokku, foreman).
        if lower == ".envrc" || lower == "procfile" || lower.starts_with("procfile.") {
            return Some(Format::Shell);
        }
        if lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env") {
            return Some(Format::Dotenv);
        }
        if lower == "dockerfile"
            || lower == "containerfile"
            || lower.starts_with("dockerfile.")
            || lower.starts_with("containerfile.")
            || lower.ends_with(".dockerfile")
            || lower.ends_with(".containerfile")
        {
            return Some(Format::Dockerfile);
        }
        // `config.toml.example` is a TOML file; `.env.example` was caught above.
        let mut stem = lower.as_str();
        while let Some((head, ext)) = stem.rsplit_once('.') {
            if TEMPLATE_SUFFIXES.contains(&ext) && !head.is_empty() {
                stem = head;
            } else {
                break;
            }
        }
        let ext = stem.rsplit_once('.').map(|(_, ext)| ext)?;
        Some(match ext {
            "yml" | "yaml" => Format::Yaml,
            "toml" => Format::Toml,
            "tf" | "tfvars" | "hcl" | "nomad" => Format::Hcl,
            "json" | "jsonc" | "json5" => Format::Json,
            "properties" => Format::Properties,
            "service" | "container" | "pod" | "kube" => Format::Systemd,
            "conf" if in_dropin_dir(path) => Format::Systemd,
            "sh" | "bash" | "zsh" | "ksh" => Format::Shell,
            "env" => Format::Dotenv,
            _ => return None,
        })
    }

    /// A file without an extension: a script if its content starts with a shell shebang.
    pub(crate) fn may_be_script(path: &Path) -> bool {
        path.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| !n.contains('.') && !n.is_empty())
    }

    /// A name for messages: `a .env file`, `a compose file`, ...
    fn describe(self, path: &Path) -> &'static str {
        let lower = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        match self {
            Format::Dotenv => "a .env file",
            Format::Properties => "a properties file",
            Format::Yaml if lower.contains("compose") => "a compose file",
            Format::Yaml if is_ci_path(path) => "a CI workflow",
            Format::Yaml => "a YAML file",
            Format::Toml => "a TOML file",
            Format::Hcl => "a Terraform or HCL file",
            Format::Json => "a JSON file",
            Format::Dockerfile => "a Dockerfile",
            Format::Systemd => "a systemd unit",
            Format::Shell if lower.starts_with("procfile") => "a Procfile",
            Format::Shell => "a shell script",
        }
    }

    /// Whether `#` starts a comment that may hold a suppression.
    pub(crate) fn has_comments(self) -> bool {
        self != Format::Json
    }
}

/// `*.d/*.conf`: a systemd drop-in.
fn in_dropin_dir(path: &Path) -> bool {
    path.parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".d"))
}

fn is_ci_path(path: &Path) -> bool {
    let text = path.to_string_lossy();
    text.contains(".github/workflows") || text.ends_with(".gitlab-ci.yml")
}

/// A template a user copies (`.env.example`, `config.sample.toml`, `*.dist`): a value
/// that is an instruction (`<generate-me>`, `CHANGE_ME`, `your-secret-here`, empty) is
/// not a finding there; a value that works (`secret`) is.
pub(crate) fn is_template(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.to_ascii_lowercase()
        .split(['.', '-', '_'])
        .any(|part| TEMPLATE_SUFFIXES.contains(&part) && part != "defaults")
}

/// node-config's `custom-environment-variables.{json,yaml,toml,...}`: each value is the
/// name of the environment variable that sets that key, never the value itself.
fn names_variables(path: &Path) -> bool {
    path.file_stem()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case("custom-environment-variables"))
}

/// How a value is set, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    /// A key of a map, or an environment variable.
    Key,
    /// `ENV` in a Dockerfile: baked into every image layer.
    ImageEnv,
    /// `ARG NAME=default` in a Dockerfile: in the image history.
    BuildArg,
    /// The base64 `data:` of a Kubernetes Secret (decoded before judging).
    Base64,
    /// A `--name value` / `--name=value` command-line flag.
    Flag,
}

/// A value set in a named place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    /// The keys from the document's root to the value's own name (last).
    pub(crate) keys: Vec<String>,
    /// Byte range of the value's text in the file, quotes excluded.
    pub(crate) value: Range<usize>,
    /// The value when it differs from the file's bytes (escapes undone).
    pub(crate) decoded: Option<String>,
    pub(crate) how: How,
}

impl Slot {
    pub(crate) fn new(keys: Vec<String>, value: Range<usize>) -> Slot {
        Slot {
            keys,
            value,
            decoded: None,
            how: How::Key,
        }
    }
}

/// What a reader collects: slots, and spans that are plainly secret values
/// (every value of the file: masked on any shown line).
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub(crate) slots: Vec<Slot>,
    /// The YAML line reader met a line that is neither a key nor a list item: a
    /// continued value, a complex key (`? key`), or not YAML at all.
    pub(crate) unread_lines: bool,
}

impl Out {
    pub(crate) fn push(&mut self, slot: Slot) {
        self.slots.push(slot);
    }
}

/// The keys a reader passes down: its parents' path plus `key`.
pub(crate) fn with(parents: &[String], key: &str) -> Vec<String> {
    let mut keys = parents.to_vec();
    keys.push(key.to_owned());
    keys
}

/// What a key of a list item that declares an environment variable holds: the variable's
/// name (Kubernetes and Compose JSON `name`, ECS `Name`, Render and GitLab `key`) or its
/// value (`value`, `Value`).
enum PairKey {
    Name,
    Value,
}

impl PairKey {
    fn of(key: &str) -> Option<PairKey> {
        match key {
            "name" | "Name" | "key" | "Key" => Some(PairKey::Name),
            "value" | "Value" => Some(PairKey::Value),
            _ => None,
        }
    }
}

/// Scans one configuration file's bytes; for each finding, what `secret` makes of the value
/// it flags (see [`crate::scan_source_detailed`]).
pub(crate) fn scan<T>(
    path: &Path,
    format: Format,
    bytes: &[u8],
    options: &ScanOptions,
    secret: &mut dyn FnMut(&[u8]) -> T,
) -> (Report, Vec<T>) {
    let _ = options;
    let mut report = Report {
        files_scanned: 1,
        ..Report::default()
    };
    let text = decode(bytes);
    let src: &str = &text;
    // The scanner's prefilter: secret names (a JWT word under which a generic `key`
    // counts among them) and every rule's keywords, this rule's included.
    if !crate::scan::may_hold_findings(src.as_bytes()) {
        return (report, Vec::new());
    }
    let mut out = Out::default();
    let whole = 0..src.len();
    match format {
        Format::Dotenv => dotenv::scan(src, whole, &[], false, &mut out),
        Format::Properties => dotenv::scan(src, whole, &[], true, &mut out),
        Format::Yaml => {
            yaml::scan(src, whole, &[], &mut out);
            structured_yaml(path, src, &mut out, &mut report);
        }
        Format::Toml => toml::scan(src, whole, &[], &mut out),
        Format::Hcl => hcl::scan(src, whole, &[], &mut out),
        Format::Json => flow::scan(src, whole, &[], &mut out),
        Format::Dockerfile => dockerfile::scan(src, &mut out),
        Format::Systemd => systemd::scan(src, &mut out),
        Format::Shell => shell::scan_script(src, whole, &[], &mut out),
    }
    let template = is_template(path);
    let judged: &[Slot] = if names_variables(path) {
        &[]
    } else {
        &out.slots
    };
    // Each candidate with the value it flags.
    let mut candidates: Vec<(Candidate, String)> = judged
        .iter()
        .filter_map(|slot| judge(src, slot, template, format.describe(path)))
        .collect();
    // Tokens anywhere, as in Rust literals.
    candidates.extend(literal::jwts_in(src).map(|span| {
        let candidate = Candidate {
            rule: Rule::JwtLiteral,
            span: span.clone(),
            secret: vec![span.clone()],
            message: "this value is a hardcoded JWT".to_owned(),
        };
        (candidate, src[span].to_owned())
    }));
    candidates.sort_by_key(|(c, _)| c.span.start);
    candidates.dedup_by(|(b, _), (a, _)| {
        a.span.start < b.span.end.max(a.span.end) && b.span.start < a.span.end
    });
    let (suppressions, invalid) = if format.has_comments() {
        suppressions(src)
    } else {
        (Vec::new(), Vec::new())
    };
    let lines = Lines::new(src);
    let mut secrets: Vec<Range<usize>> = out.slots.iter().map(|s| s.value.clone()).collect();
    for (c, _) in &candidates {
        secrets.extend(c.secret.iter().cloned());
    }
    let mut found = Vec::new();
    for (c, value) in &candidates {
        let line = lines.line_of(c.span.start);
        if suppressions.iter().any(|s| s.covers(c.rule, line as u32)) {
            report.suppressed += 1;
            continue;
        }
        found.push((
            finding(path, src, &lines, c, &secrets),
            secret(value.as_bytes()),
        ));
    }
    for c in &invalid {
        found.push((finding(path, src, &lines, c, &secrets), secret(&[])));
    }
    let values = crate::scan::in_source_order(&mut report, found);
    (report, values)
}

/// Adds what the YAML parser sees beyond the line reader (feature `structured`): values
/// reached through aliases and merge keys, complex keys, values on the line after their
/// key. A slot the line reader already has (same place, same path) is not repeated. When
/// the parser gives up on a file that uses aliases, the report says so.
#[cfg(feature = "structured")]
fn structured_yaml(path: &Path, src: &str, out: &mut Out, report: &mut Report) {
    // Only what the line reader could not follow needs the parser (it costs as much
    // again as the line reader): aliases and merge keys, and lines it did not read.
    let aliases = yaml_tree::uses_aliases(src);
    if !out.unread_lines && !aliases {
        return;
    }
    let mut parsed = Out::default();
    let result = yaml_tree::scan(src, &[], &mut parsed);
    if !parsed.slots.is_empty() {
        let seen: std::collections::HashSet<(usize, &[String])> = out
            .slots
            .iter()
            .map(|s| (s.value.start, s.keys.as_slice()))
            .collect();
        let new: Vec<Slot> = parsed
            .slots
            .into_iter()
            .filter(|s| !seen.contains(&(s.value.start, s.keys.as_slice())))
            .collect();
        out.slots.extend(new);
    }
    if let Err(problem) = result
        && aliases
    {
        report
            .warnings
            .push(crate::Warning::new(path, problem.message()));
    }
}

/// Without the parser, the line reader's reading is all there is.
#[cfg(not(feature = "structured"))]
fn structured_yaml(_: &Path, _: &str, _: &mut Out, _: &mut Report) {}

/// The file as text: UTF-8 (a BOM dropped: positions count from after it), UTF-16 with a
/// BOM decoded, anything else read lossily (an invalid byte becomes U+FFFD: the keys and
/// values around it are still read).
fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        Cow::Owned(String::from_utf16_lossy(&units))
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest),
        _ => String::from_utf8_lossy(bytes),
    }
}

/// `# jwt-guard: allow(rule) reason` (also after `//` or `;`) anywhere on a line.
fn suppressions(src: &str) -> (Vec<suppress::Suppression>, Vec<Candidate>) {
    let mut valid = Vec::new();
    let mut invalid = Vec::new();
    let bytes = src.as_bytes();
    for at in search::memmem::find_iter(bytes, b"jwt-guard:") {
        // Only in a comment: `#`, `//` or `;` before it on its line.
        let line_start = search::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let before = src[line_start..at].trim_end();
        let comment_at = before
            .strip_suffix('#')
            .or_else(|| before.strip_suffix("//"))
            .or_else(|| before.strip_suffix(';'))
            .map(|head| line_start + head.len());
        let Some(comment_at) = comment_at else {
            continue;
        };
        let line_end = search::memchr(b'\n', &bytes[at..]).map_or(src.len(), |i| at + i);
        let rest = src[at + "jwt-guard:".len()..line_end].trim();
        if !rest.starts_with("allow") {
            continue;
        }
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        match suppress::parse_allow(rest) {
            Ok(rules) => valid.push(suppress::Suppression {
                line: line as u32,
                rules,
            }),
            Err(problem) => invalid.push(Candidate {
                rule: Rule::InvalidSuppression,
                span: comment_at..line_end.min(src.len()),
                secret: Vec::new(),
                message: problem,
            }),
        }
    }
    (valid, invalid)
}

/// Line starts, for offsets -> 1-based lines.
struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Lines {
    fn new(src: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(search::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1));
        Lines {
            starts,
            len: src.len(),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    fn start_of(&self, line: usize) -> usize {
        self.starts.get(line - 1).copied().unwrap_or(self.len)
    }

    fn end_of(&self, src: &str, line: usize) -> usize {
        let end = self.starts.get(line).map_or(self.len, |&next| next - 1);
        let start = self.start_of(line);
        if end > start && src.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end.max(start)
        }
    }
}

/// Longest shown line, in characters: a minified JSON file is one line.
const MAX_SHOWN: usize = 160;

/// A redacted finding: the line shown with every value read on it masked (and, to be
/// sure, everything after the line's first `=` or `:` and inside quotes).
fn finding(
    path: &Path,
    src: &str,
    lines: &Lines,
    c: &Candidate,
    secrets: &[Range<usize>],
) -> Finding {
    let start = c.span.start.min(src.len());
    let end = c.span.end.clamp(start, src.len());
    let line = lines.line_of(start);
    let region = lines.start_of(line)..lines.end_of(src, line);
    let text = src.get(region.clone()).unwrap_or_default();
    let after_separator = text
        .find(['=', ':'])
        .map_or(usize::MAX, |i| region.start + i + 1);
    let mut quote: Option<char> = None;
    let mut chars: Vec<char> = Vec::new();
    let mut highlight = 0..0;
    let mut found_start = false;
    for (offset, ch) in text.char_indices() {
        let at = region.start + offset;
        if at >= start && !found_start {
            highlight.start = chars.len();
            found_start = true;
        }
        if at < end {
            highlight.end = chars.len() + 1;
        }
        let in_quotes = quote.is_some() && Some(ch) != quote;
        match quote {
            Some(q) if q == ch => quote = None,
            None if ch == '"' || ch == '\'' => quote = Some(ch),
            _ => {}
        }
        let masked = (in_quotes && c.rule != Rule::InvalidSuppression)
            || (at >= after_separator && !ch.is_whitespace() && c.rule != Rule::InvalidSuppression)
            || secrets.iter().any(|r| r.contains(&at));
        chars.push(if masked && !ch.is_whitespace() {
            '*'
        } else {
            ch
        });
    }
    if !found_start {
        highlight = chars.len()..chars.len();
    }
    highlight.end = highlight.end.max(highlight.start);
    let column = highlight.start + 1;
    // A long line is shown around the highlight only.
    let (chars, highlight) = if chars.len() > MAX_SHOWN {
        let from = highlight.start.saturating_sub(40);
        let to = (highlight.end + 40).min(chars.len()).max(from);
        let mut shown: Vec<char> = Vec::new();
        if from > 0 {
            shown.push('…');
        }
        let shift = shown.len();
        shown.extend(&chars[from..to]);
        if to < chars.len() {
            shown.push('…');
        }
        (
            shown,
            highlight.start - from + shift..highlight.end - from + shift,
        )
    } else {
        (chars, highlight)
    };
    Finding {
        rule: c.rule,
        path: PathBuf::from(path),
        line,
        column,
        message: c.message.clone(),
        masked_line: chars.into_iter().collect(),
        highlight,
    }
}

/// The suppression comment syntax of `path`, for notes: `#`, `//` or none (JSON).
pub(crate) fn comment_syntax(path: &Path) -> Option<&'static str> {
    match Format::of_path(path) {
        None if path.extension().is_none() && Format::may_be_script(path) => Some("#"),
        None => Some("//"),
        Some(Format::Json) => None,
        Some(_) => Some("#"),
    }
}

#[cfg(test)]
/// For the rule declarations' examples: `# file: NAME` on an example's first line says
/// which file it is; anything else is Rust.
pub(crate) fn example_path(example: &str) -> PathBuf {
    example
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# file: "))
        .map_or_else(|| PathBuf::from("example.rs"), |n| PathBuf::from(n.trim()))
}

/// The file's format when it is scanned as configuration (by name, or a shebang).
pub(crate) fn format_of(path: &Path, bytes: &[u8]) -> Option<Format> {
    if let Some(format) = Format::of_path(path) {
        return Some(format);
    }
    if path.extension().is_none() && shell::is_shell_shebang(bytes) {
        return Some(Format::Shell);
    }
    None
}

/// Whether the regular file at `path` starts with a shell shebang (reads its first bytes).
pub(crate) fn starts_with_shebang(path: &Path) -> bool {
    use std::io::Read;
    let Ok((file, _)) = crate::read::open_regular_file(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(128);
    file.take(128).read_to_end(&mut head).is_ok() && shell::is_shell_shebang(&head)
}
