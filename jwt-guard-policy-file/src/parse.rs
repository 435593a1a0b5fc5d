//! One `jwt-guard` table, read with the spans of its keys and values: every unknown key,
//! wrong type and impossible value becomes a [`Problem`] naming the file, line and key.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::tree::{self, Key, Spanned, Table, Value};

use jwt_guard_policy::file::{
    Alg, Date, Exception, GuardRules, Location, PolicyFileError, Problem, SecretRule,
    lexically_normal,
};

/// A parsed document and what problems reading it found.
pub(crate) struct Doc<'a> {
    pub(crate) file: PathBuf,
    text: &'a str,
    pub(crate) problems: Vec<Problem>,
}

/// A secret rule and where its `alg` and `min-len` are written, to point at a loosening.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleAt {
    pub(crate) rule: SecretRule,
    pub(crate) alg_at: Option<(Location, String)>,
    pub(crate) min_len_at: Option<(Location, String)>,
}

/// The guard's booleans and where they are written.
#[derive(Debug, Clone, Default)]
pub(crate) struct GuardAt {
    pub(crate) include_tests: Option<(Location, String)>,
    pub(crate) config_files: Option<(Location, String)>,
}

/// One file's `jwt-guard` table.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layer {
    pub(crate) defaults: RuleAt,
    pub(crate) secrets: Vec<(String, RuleAt)>,
    pub(crate) guard: GuardRules,
    pub(crate) guard_at: GuardAt,
    pub(crate) exceptions: Vec<Exception>,
}

const TOP_KEYS: &[&str] = &["alg", "min-len", "deny", "secrets", "guard", "exceptions"];
const SECRET_KEYS: &[&str] = &["alg", "min-len", "deny"];
const GUARD_KEYS: &[&str] = &[
    "include",
    "exclude",
    "include-tests",
    "config-files",
    "max-file-size",
];
const EXCEPTION_KEYS: &[&str] = &["path", "rule", "line", "fingerprint", "reason", "expires"];

impl<'a> Doc<'a> {
    /// Parses `text` as TOML; a syntax error is the one problem.
    pub(crate) fn parse(file: &Path, text: &'a str) -> Result<(Doc<'a>, Table), PolicyFileError> {
        let doc = Doc {
            file: file.to_path_buf(),
            text,
            problems: Vec::new(),
        };
        match tree::parse(text) {
            Ok(table) => Ok((doc, table)),
            Err(error) => {
                let location = doc.location(error.span);
                let message = format!("not valid TOML: {}", error.message);
                Err(PolicyFileError::single(location, None, message))
            }
        }
    }

    /// A document that only collects problems found across files.
    pub(crate) fn detached() -> Doc<'static> {
        Doc {
            file: PathBuf::new(),
            text: "",
            problems: Vec::new(),
        }
    }

    pub(crate) fn location(&self, span: Range<usize>) -> Location {
        let before = self.text.get(..span.start).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location {
            file: self.file.clone(),
            line,
            column,
        }
    }

    pub(crate) fn problem(&mut self, span: Range<usize>, key: &str, message: impl Into<String>) {
        let location = self.location(span);
        self.problems.push(Problem {
            location,
            key: Some(key.to_owned()),
            message: message.into(),
        });
    }

    /// Reads the `jwt-guard` table at `value` (named `prefix` in messages) of a file in `dir`.
    pub(crate) fn layer(&mut self, value: &Spanned<Value>, prefix: &str, dir: &Path) -> Layer {
        let mut layer = Layer::default();
        let Some(table) = self.table(value, prefix) else {
            return layer;
        };
        for (key, value) in table {
            let name = key.get_ref().as_str();
            let full = join(prefix, name);
            match name {
                "alg" | "min-len" | "deny" => {}
                "secrets" => {
                    if let Some(secrets) = self.table(value, &full) {
                        for (var, rule) in secrets {
                            let var_name = var.get_ref().to_string();
                            let key = format!("{full}.{var_name}");
                            if var_name.is_empty() || var_name.contains(['=', '\0']) {
                                self.problem(var.span(), &key, "not an environment variable name: it is empty or holds `=` or NUL");
                                continue;
                            }
                            if let Some(rule_table) = self.table(rule, &key) {
                                let rule = self.rule(rule_table, &key, SECRET_KEYS);
                                layer.secrets.push((var_name, rule));
                            }
                        }
                    }
                }
                "guard" => {
                    if let Some(guard) = self.table(value, &full) {
                        self.guard(guard, &full, dir, &mut layer);
                    }
                }
                "exceptions" => self.exceptions(value, &full, dir, &mut layer.exceptions),
                // `rule` below reports unknown keys.
                _ => {}
            }
        }
        layer.defaults = self.rule(table, prefix, TOP_KEYS);
        for (var, rule) in &layer.secrets {
            self.not_looser(
                &layer.defaults,
                rule,
                &join(prefix, &format!("secrets.{var}")),
            );
        }
        layer
    }

    /// `alg`, `min-len` and `deny` of `table`; other keys are the caller's (`known`).
    fn rule(&mut self, table: &Table, prefix: &str, known: &[&str]) -> RuleAt {
        let mut at = RuleAt::default();
        for (key, value) in table {
            let name = key.get_ref().as_str();
            let full = join(prefix, name);
            match name {
                "alg" => {
                    let Some(text) = self.string(value, &full) else {
                        continue;
                    };
                    match Alg::from_name(text) {
                        Some(alg) => {
                            at.rule.alg = Some(alg);
                            at.alg_at = Some((self.location(value.span()), full));
                        }
                        None => self.problem(value.span(), &full, format!("unknown algorithm {text:?}; expected \"HS256\", \"HS384\" or \"HS512\"")),
                    }
                }
                "min-len" => {
                    let Some(min) = self.integer(value, &full) else {
                        continue;
                    };
                    let min = usize::try_from(min).unwrap_or(usize::MAX);
                    if min < jwt_guard_policy::MIN_LEN {
                        self.problem(value.span(), &full, format!("{min} is below the built-in minimum of {} bytes (RFC 7518 §3.2); a policy can only make the rules stricter", jwt_guard_policy::MIN_LEN));
                        continue;
                    }
                    at.rule.min_len = Some(min);
                    at.min_len_at = Some((self.location(value.span()), full));
                }
                "deny" => {
                    for (word, span) in self.strings(value, &full) {
                        if word.trim().is_empty() {
                            self.problem(span, &full, "an empty word would reject every secret");
                        } else if !at.rule.deny.contains(&word.to_lowercase()) {
                            at.rule.deny.push(word.to_lowercase());
                        }
                    }
                }
                _ if known.contains(&name) => {}
                _ => self.unknown(key, &full, name, known),
            }
        }
        if let (Some(alg), Some(min), Some((_, full))) =
            (at.rule.alg, at.rule.min_len, &at.min_len_at)
            && min < alg.min_len()
        {
            let span = table
                .iter()
                .find(|(k, _)| k.get_ref().as_str() == "min-len")
                .map_or(0..0, |(_, v)| v.span());
            let message = format!(
                "{min} is below the {} bytes `alg = \"{}\"` requires; raise it or remove it",
                alg.min_len(),
                alg.name()
            );
            let full = full.clone();
            self.problem(span, &full, message);
            at.rule.min_len = None;
            at.min_len_at = None;
        }
        at
    }

    /// Reports a rule `inner` that asks less than `outer` (a loosening).
    pub(crate) fn not_looser(&mut self, outer: &RuleAt, inner: &RuleAt, what: &str) {
        let outer_alg = outer.rule.alg.unwrap_or(Alg::HS256);
        if let (Some(alg), Some((location, key))) = (inner.rule.alg, &inner.alg_at)
            && alg < outer_alg
        {
            let message = format!(
                "{} is weaker than the {} required by {}; {what} may only tighten it",
                alg.name(),
                outer_alg.name(),
                describe(outer.alg_at.as_ref())
            );
            self.problems.push(Problem {
                location: location.clone(),
                key: Some(key.clone()),
                message,
            });
        }
        let outer_min = outer.rule.min_len.unwrap_or(0).max(outer_alg.min_len());
        if let (Some(min), Some((location, key))) = (inner.rule.min_len, &inner.min_len_at)
            && min < outer_min
        {
            let at = outer.min_len_at.as_ref().or(outer.alg_at.as_ref());
            let message = format!(
                "{min} is below the {outer_min} bytes required by {}; {what} may only tighten it",
                describe(at)
            );
            self.problems.push(Problem {
                location: location.clone(),
                key: Some(key.clone()),
                message,
            });
        }
    }

    fn guard(&mut self, table: &Table, prefix: &str, dir: &Path, layer: &mut Layer) {
        for (key, value) in table {
            let name = key.get_ref().as_str();
            let full = join(prefix, name);
            match name {
                "include" | "exclude" => {
                    for (path, span) in self.strings(value, &full) {
                        let Some(path) = self.path_in(dir, &path, span, &full) else {
                            continue;
                        };
                        let list = if name == "include" {
                            &mut layer.guard.include
                        } else {
                            &mut layer.guard.exclude
                        };
                        list.push(path);
                    }
                }
                "include-tests" | "config-files" => {
                    let Some(yes) = self.boolean(value, &full) else {
                        continue;
                    };
                    let at = Some((self.location(value.span()), full));
                    if name == "include-tests" {
                        layer.guard.include_tests = Some(yes);
                        layer.guard_at.include_tests = at;
                    } else {
                        layer.guard.config_files = Some(yes);
                        layer.guard_at.config_files = at;
                    }
                }
                "max-file-size" => {
                    let Some(bytes) = self.integer(value, &full) else {
                        continue;
                    };
                    if bytes == 0 {
                        self.problem(
                            value.span(),
                            &full,
                            "0 bytes would refuse every file; give a size in bytes",
                        );
                    } else {
                        layer.guard.max_file_size = Some(bytes);
                    }
                }
                _ => self.unknown(key, &full, name, GUARD_KEYS),
            }
        }
    }

    fn exceptions(
        &mut self,
        value: &Spanned<Value>,
        prefix: &str,
        dir: &Path,
        out: &mut Vec<Exception>,
    ) {
        let Value::Array { items, .. } = value.get_ref() else {
            let found = value.get_ref().type_str();
            self.problem(
                value.span(),
                prefix,
                format!("expected an array of tables (`[[{prefix}]]`), found {found}"),
            );
            return;
        };
        for (index, item) in items.iter().enumerate() {
            let full = format!("{prefix}[{index}]");
            let Some(table) = self.table(item, &full) else {
                continue;
            };
            if let Some(exception) = self.exception(table, item.span(), &full, dir) {
                out.push(exception);
            }
        }
    }

    fn exception(
        &mut self,
        table: &Table,
        span: Range<usize>,
        prefix: &str,
        dir: &Path,
    ) -> Option<Exception> {
        let before = self.problems.len();
        let (mut path, mut rule, mut line, mut fingerprint, mut reason, mut expires) =
            (None, None, None, None, None, None);
        let mut rule_at = None;
        for (key, value) in table {
            let name = key.get_ref().as_str();
            let full = join(prefix, name);
            match name {
                "path" => {
                    path = self
                        .string(value, &full)
                        .map(str::to_owned)
                        .and_then(|p| self.path_in(dir, &p, value.span(), &full))
                        .map(|p| (p, self.location(key.span())));
                }
                "rule" => {
                    rule = self.string(value, &full).map(str::to_owned);
                    rule_at = Some(self.location(value.span()));
                }
                "line" => match self.integer(value, &full) {
                    Some(0) => self.problem(value.span(), &full, "lines count from 1"),
                    Some(n) => line = usize::try_from(n).ok(),
                    None => {}
                },
                "fingerprint" => {
                    if let Some(text) = self.string(value, &full) {
                        if text.len() == 16
                            && text
                                .bytes()
                                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                        {
                            fingerprint = Some(text.to_owned());
                        } else {
                            self.problem(value.span(), &full, "a fingerprint is the 16 lower-case hex digits the JSON report shows for a finding");
                        }
                    }
                }
                "reason" => {
                    if let Some(text) = self.string(value, &full) {
                        if text.trim().is_empty() {
                            self.problem(
                                value.span(),
                                &full,
                                "an exception needs a reason a reviewer can check",
                            );
                        } else {
                            reason = Some(text.trim().to_owned());
                        }
                    }
                }
                "expires" => expires = self.date(value, &full),
                _ => self.unknown(key, &full, name, EXCEPTION_KEYS),
            }
        }
        for (missing, name) in [
            (path.is_none(), "path"),
            (rule.is_none(), "rule"),
            (reason.is_none(), "reason"),
        ] {
            let taken = table.iter().any(|(k, _)| k.get_ref().as_str() == name);
            if missing && !taken {
                self.problem(span.clone(), &format!("{prefix}.{name}"), "missing; an exception names a path, a rule, a line or fingerprint, and a reason");
            }
        }
        match (line, &fingerprint) {
            (Some(_), Some(_)) => self.problem(
                span.clone(),
                prefix,
                "give `line` or `fingerprint`, not both",
            ),
            (None, None)
                if !table
                    .iter()
                    .any(|(k, _)| matches!(k.get_ref().as_str(), "line" | "fingerprint")) =>
            {
                self.problem(span.clone(), &format!("{prefix}.line"), "missing; an exception covers one finding: give its `line` or its `fingerprint`");
            }
            _ => {}
        }
        if self.problems.len() > before {
            return None;
        }
        let (path, declared_at) = path?;
        Some(Exception {
            path,
            rule: rule?,
            line,
            fingerprint,
            reason: reason?,
            expires,
            declared_at,
            rule_at: rule_at?,
        })
    }

    fn date(&mut self, value: &Spanned<Value>, key: &str) -> Option<Date> {
        let date = match value.get_ref() {
            Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt
                .date
                .and_then(|(year, month, day)| Date::new(year, month, day)),
            Value::String(text) => Date::parse(text),
            _ => None,
        };
        if date.is_none() {
            self.problem(
                value.span(),
                key,
                "expected a date, like `2026-12-31` (the last day the exception holds, UTC)",
            );
        }
        date
    }

    /// A path written relative to the file's directory `dir`, joined to it with `.` and
    /// `..` resolved as written (lexically): `../shared` from `crates/api` is
    /// `crates/shared`, which is how the walk's paths name it, so it can be matched.
    fn path_in(
        &mut self,
        dir: &Path,
        path: &str,
        span: Range<usize>,
        key: &str,
    ) -> Option<PathBuf> {
        let p = Path::new(path);
        if path.trim().is_empty() {
            self.problem(span, key, "an empty path would match everything");
            None
        } else if p.is_absolute() {
            self.problem(
                span,
                key,
                "give a path relative to the directory of this file",
            );
            None
        } else {
            Some(lexically_normal(&dir.join(p)))
        }
    }

    pub(crate) fn table<'v>(&mut self, value: &'v Spanned<Value>, key: &str) -> Option<&'v Table> {
        match value.get_ref() {
            Value::Table(table) => Some(table),
            other => {
                self.problem(
                    value.span(),
                    key,
                    format!("expected a table, found {}", other.type_str()),
                );
                None
            }
        }
    }

    fn string<'v>(&mut self, value: &'v Spanned<Value>, key: &str) -> Option<&'v str> {
        match value.get_ref() {
            Value::String(text) => Some(text),
            other => {
                self.problem(
                    value.span(),
                    key,
                    format!("expected a string, found {}", other.type_str()),
                );
                None
            }
        }
    }

    fn boolean(&mut self, value: &Spanned<Value>, key: &str) -> Option<bool> {
        match value.get_ref() {
            Value::Boolean(yes) => Some(*yes),
            other => {
                self.problem(
                    value.span(),
                    key,
                    format!("expected true or false, found {}", other.type_str()),
                );
                None
            }
        }
    }

    /// A non-negative integer.
    fn integer(&mut self, value: &Spanned<Value>, key: &str) -> Option<u64> {
        match value.get_ref() {
            Value::Integer { digits, radix } => match u64::from_str_radix(digits, *radix) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.problem(
                        value.span(),
                        key,
                        "expected a whole number of bytes, 0 or more",
                    );
                    None
                }
            },
            other => {
                self.problem(
                    value.span(),
                    key,
                    format!(
                        "expected an integer without quotes, found {}",
                        other.type_str()
                    ),
                );
                None
            }
        }
    }

    /// An array of strings (or one string), each with its span.
    fn strings(&mut self, value: &Spanned<Value>, key: &str) -> Vec<(String, Range<usize>)> {
        match value.get_ref() {
            Value::String(text) => vec![(text.clone(), value.span())],
            Value::Array { items, .. } => items
                .iter()
                .filter_map(|item| {
                    self.string(item, key)
                        .map(|text| (text.to_owned(), item.span()))
                })
                .collect(),
            other => {
                self.problem(
                    value.span(),
                    key,
                    format!("expected an array of strings, found {}", other.type_str()),
                );
                Vec::new()
            }
        }
    }

    fn unknown(&mut self, key: &Key, full: &str, name: &str, known: &[&str]) {
        let hint = match known.iter().find(|k| k.replace('-', "_") == name) {
            Some(k) => format!("; did you mean `{k}`? (keys use dashes)"),
            None => String::new(),
        };
        let list = known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        self.problem(
            key.span(),
            full,
            format!("unknown key; expected one of {list}{hint}"),
        );
    }
}

/// `prefix.name`, or `name` in a stand-alone file.
fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

fn describe(at: Option<&(Location, String)>) -> String {
    match at {
        Some((location, key)) => format!("`{key}` ({location})"),
        None => "the built-in policy".to_owned(),
    }
}
