//! A TOML document read into a small tree of tables, arrays and values, each key and value
//! with where it is written.
//!
//! Why not the `toml` crate's document tree: it brings `toml`, `toml_datetime` and
//! `serde_spanned` into every build that compiles the build guard, a large part of its cold
//! build (bench/README.md, "What the build guard costs a build"). The syntax is
//! `toml_parser`'s, the lexer and parser `toml` itself is built on: this module only turns
//! its events into tables and keeps the rules a document's tables follow (no key defined
//! twice, no table redefined, an inline table closed). Any error `toml_parser` reports, and
//! any of these rules broken, fails the whole document: never a partial table.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::ops::Range;

use toml_parser::decoder::ScalarKind;
use toml_parser::parser::{Event, EventKind, RecursionGuard, ValidateWhitespace};
use toml_parser::{Expected, ParseError, Source};

/// How deep arrays and tables may nest, and how many parts a key may have (as `toml`).
const MAX_DEPTH: u32 = 80;

/// A key or value and the bytes it is written on.
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    span: Range<usize>,
    value: T,
}

impl<T> Spanned<T> {
    pub(crate) fn new(span: Range<usize>, value: T) -> Self {
        Spanned { span, value }
    }

    pub(crate) fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub(crate) fn get_ref(&self) -> &T {
        &self.value
    }
}

/// A key, decoded: keys are equal and ordered by their name alone.
pub(crate) type Key = Spanned<String>;

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}
impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.value
    }
}

/// A table, its keys in order (as `toml` without `preserve_order` gives them).
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    entries: BTreeMap<Key, Spanned<Value>>,
    kind: Kind,
}

/// How a table came to be, which says what may add to it later.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Kind {
    /// The root, a `[header]`'s or an `[[array]]` item: only its own section adds keys.
    #[default]
    Defined,
    /// Named on the way to a header (`a` of `[a.b]`): a `[a]` may still define it.
    Implicit,
    /// Made by a dotted key (`a.b = 1`): more dotted keys may add to it, no header.
    Dotted,
    /// `{ ... }`: complete as written.
    Inline,
}

impl Table {
    pub(crate) fn get(&self, key: &str) -> Option<&Spanned<Value>> {
        self.entries.get(key)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Key, &Spanned<Value>)> {
        self.entries.iter()
    }

    fn with_kind(kind: Kind) -> Table {
        Table {
            entries: BTreeMap::new(),
            kind,
        }
    }
}

impl<'t> IntoIterator for &'t Table {
    type Item = (&'t Key, &'t Spanned<Value>);
    type IntoIter = std::collections::btree_map::Iter<'t, Key, Spanned<Value>>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

/// A TOML value.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// Decoded: escapes replaced, a multi-line string's first newline dropped.
    String(String),
    /// The digits as [`u64::from_str_radix`] reads them with `radix` (sign kept, `_` and
    /// `0x` dropped). Not range-checked: the reader says what range it wants.
    Integer {
        digits: String,
        radix: u32,
    },
    /// As written, without `_` (the policy reads no float: kept for the differential test).
    #[cfg_attr(not(test), allow(dead_code))]
    Float(String),
    Boolean(bool),
    Datetime(Datetime),
    /// `tables` when made by `[[headers]]`: only those take another `[[header]]`.
    Array {
        items: Vec<Spanned<Value>>,
        tables: bool,
    },
    Table(Table),
}

impl Value {
    /// The type's name in messages (`toml`'s names).
    pub(crate) fn type_str(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Integer { .. } => "integer",
            Value::Float(_) => "float",
            Value::Boolean(_) => "boolean",
            Value::Datetime(_) => "datetime",
            Value::Array { .. } => "array",
            Value::Table(_) => "table",
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }
}

/// An offset date-time, local date-time, local date or local time, checked (month 1 to 12,
/// a day the month has, hour to 23, ...).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Datetime {
    /// Year, month, day.
    pub(crate) date: Option<(u16, u8, u8)>,
    /// Hour, minute, second, nanosecond.
    pub(crate) time: Option<(u8, u8, Option<u8>, Option<u32>)>,
    /// `Z` is `Some(None)`; `+01:00` is `Some(Some(60))`.
    pub(crate) offset: Option<Option<i16>>,
}

/// Why a document is not valid TOML, and where. The message never quotes the document:
/// the text there could be a secret written by mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
}

impl From<ParseError> for SyntaxError {
    fn from(error: ParseError) -> Self {
        let span = error.unexpected().or(error.context());
        let mut message = error.description().to_owned();
        if let Some(expected) = error.expected().filter(|e| !e.is_empty()) {
            let names: Vec<String> = expected
                .iter()
                .map(|e| match e {
                    Expected::Literal("\n") => "a new line".to_owned(),
                    Expected::Literal(text) => format!("`{}`", text.escape_debug()),
                    Expected::Description(text) => (*text).to_owned(),
                    _ => "something else".to_owned(),
                })
                .collect();
            message.push_str(", expected ");
            message.push_str(&names.join(" or "));
        }
        SyntaxError {
            span: span.map_or(0..0, |s| s.start()..s.end()),
            message,
        }
    }
}

fn error(span: Range<usize>, message: impl Into<String>) -> SyntaxError {
    SyntaxError {
        span,
        message: message.into(),
    }
}

/// Parses `text` as a TOML document.
pub(crate) fn parse(text: &str) -> Result<Table, SyntaxError> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut events: Vec<Event> = Vec::with_capacity(tokens.len());
    let mut first: Option<ParseError> = None;
    {
        let mut whitespace = ValidateWhitespace::new(&mut events, source);
        let mut receiver = RecursionGuard::new(&mut whitespace, MAX_DEPTH);
        toml_parser::parser::parse_document(&tokens, &mut receiver, &mut first);
    }
    if let Some(first) = first {
        return Err(first.into());
    }
    let mut builder = Builder {
        source,
        events: &events,
        at: 0,
        root: Table::default(),
        section: Vec::new(),
    };
    builder.document()?;
    Ok(builder.root)
}

/// Builds the tree from `toml_parser`'s events.
struct Builder<'e, 's> {
    source: Source<'s>,
    events: &'e [Event],
    at: usize,
    root: Table,
    /// The keys of the last `[header]`: where key-values go.
    section: Vec<Key>,
}

impl Builder<'_, '_> {
    fn document(&mut self) -> Result<(), SyntaxError> {
        loop {
            self.skip(true);
            let Some(event) = self.next() else {
                return Ok(());
            };
            match event.kind() {
                EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                    let array = event.kind() == EventKind::ArrayTableOpen;
                    self.skip(false);
                    let path = self.key()?;
                    self.skip(false);
                    let close = self.expect(if array {
                        EventKind::ArrayTableClose
                    } else {
                        EventKind::StdTableClose
                    })?;
                    let span = event.span().start()..close.span().end();
                    header(&mut self.root, &path, span, array)?;
                    self.section = path;
                }
                EventKind::SimpleKey => {
                    self.at -= 1;
                    let (path, value) = self.key_value()?;
                    let mut table = &mut self.root;
                    for key in &self.section {
                        table = descend(table, key)?;
                    }
                    insert_dotted(table, path, value)?;
                }
                _ => return Err(self.unexpected(event)),
            }
        }
    }

    /// `key = value`, the key's parts and the value.
    fn key_value(&mut self) -> Result<(Vec<Key>, Spanned<Value>), SyntaxError> {
        let path = self.key()?;
        self.skip(false);
        self.expect(EventKind::KeyValSep)?;
        self.skip(false);
        Ok((path, self.value()?))
    }

    /// A key's parts: `a`, `a.b`, `a."b.c"`.
    fn key(&mut self) -> Result<Vec<Key>, SyntaxError> {
        let mut path = Vec::new();
        loop {
            let event = self.expect(EventKind::SimpleKey)?;
            let raw = self.raw(event)?;
            let mut name = String::new();
            let mut failed = None;
            raw.decode_key(&mut name, &mut failed);
            if let Some(failed) = failed {
                return Err(failed.into());
            }
            path.push(Spanned::new(event.span().start()..event.span().end(), name));
            if path.len() >= MAX_DEPTH as usize {
                return Err(error(
                    event.span().start()..event.span().end(),
                    "a key of too many parts",
                ));
            }
            self.skip(false);
            if self.peek() != Some(EventKind::KeySep) {
                return Ok(path);
            }
            self.at += 1;
            self.skip(false);
        }
    }

    fn value(&mut self) -> Result<Spanned<Value>, SyntaxError> {
        let Some(open) = self.next() else {
            return Err(self.unexpected_end());
        };
        let start = open.span().start();
        match open.kind() {
            EventKind::Scalar => self.scalar(open),
            EventKind::ArrayOpen => {
                let mut items = Vec::new();
                loop {
                    self.skip(true);
                    let Some(event) = self.next() else {
                        return Err(self.unexpected_end());
                    };
                    match event.kind() {
                        EventKind::ArrayClose => {
                            let value = Value::Array {
                                items,
                                tables: false,
                            };
                            return Ok(Spanned::new(start..event.span().end(), value));
                        }
                        EventKind::ValueSep => {}
                        _ => {
                            self.at -= 1;
                            items.push(self.value()?);
                        }
                    }
                }
            }
            EventKind::InlineTableOpen => {
                let mut table = Table::with_kind(Kind::Inline);
                loop {
                    self.skip(true);
                    let Some(event) = self.next() else {
                        return Err(self.unexpected_end());
                    };
                    match event.kind() {
                        EventKind::InlineTableClose => {
                            let value = Value::Table(table);
                            return Ok(Spanned::new(start..event.span().end(), value));
                        }
                        EventKind::ValueSep => {}
                        EventKind::SimpleKey => {
                            self.at -= 1;
                            let (path, value) = self.key_value()?;
                            insert_dotted(&mut table, path, value)?;
                        }
                        _ => return Err(self.unexpected(event)),
                    }
                }
            }
            _ => Err(self.unexpected(open)),
        }
    }

    fn scalar(&self, event: Event) -> Result<Spanned<Value>, SyntaxError> {
        let span = event.span().start()..event.span().end();
        let raw = self.raw(event)?;
        let mut text = String::new();
        let mut failed = None;
        let kind = raw.decode_scalar(&mut text, &mut failed);
        if let Some(failed) = failed {
            return Err(failed.into());
        }
        let value = match kind {
            ScalarKind::String => Value::String(text),
            ScalarKind::Boolean(yes) => Value::Boolean(yes),
            ScalarKind::Float => Value::Float(text),
            ScalarKind::Integer(radix) => Value::Integer {
                digits: text,
                radix: radix.value(),
            },
            ScalarKind::DateTime => match datetime(&text) {
                Some(datetime) => Value::Datetime(datetime),
                None => return Err(error(span, "invalid date-time")),
            },
        };
        Ok(Spanned::new(span, value))
    }

    fn raw(&self, event: Event) -> Result<toml_parser::Raw<'_>, SyntaxError> {
        self.source
            .get(event)
            .ok_or_else(|| error(event.span().start()..event.span().end(), "invalid input"))
    }

    fn next(&mut self) -> Option<Event> {
        let event = self.events.get(self.at).copied();
        self.at += 1;
        event
    }

    fn peek(&self) -> Option<EventKind> {
        self.events.get(self.at).map(Event::kind)
    }

    /// Skips spaces, and comments and new lines too with `lines`.
    fn skip(&mut self, lines: bool) {
        while let Some(kind) = self.peek() {
            match kind {
                EventKind::Whitespace => {}
                EventKind::Comment | EventKind::Newline if lines => {}
                _ => return,
            }
            self.at += 1;
        }
    }

    fn expect(&mut self, kind: EventKind) -> Result<Event, SyntaxError> {
        match self.next() {
            Some(event) if event.kind() == kind => Ok(event),
            Some(event) => Err(self.unexpected(event)),
            None => Err(self.unexpected_end()),
        }
    }

    fn unexpected(&self, event: Event) -> SyntaxError {
        let message = format!("unexpected {}", event.kind().description());
        error(event.span().start()..event.span().end(), message)
    }

    fn unexpected_end(&self) -> SyntaxError {
        let end = self.source.input().len();
        error(end..end, "unexpected end of the document")
    }
}

/// Adds the table of `[path]` (or an item to the array of `[[path]]`), written at `span`.
fn header(
    root: &mut Table,
    path: &[Key],
    span: Range<usize>,
    array: bool,
) -> Result<(), SyntaxError> {
    let Some((last, parents)) = path.split_last() else {
        return Err(error(span, "a table header without a name"));
    };
    let mut table = root;
    for key in parents {
        table = descend(table, key)?;
    }
    let new = || Spanned::new(span.clone(), Value::Table(Table::default()));
    match table.entries.entry(last.clone()) {
        Entry::Vacant(entry) => {
            let value = if array {
                let items = vec![new()];
                Spanned::new(
                    span.clone(),
                    Value::Array {
                        items,
                        tables: true,
                    },
                )
            } else {
                new()
            };
            entry.insert(value);
        }
        Entry::Occupied(mut entry) => {
            if array {
                let Value::Array {
                    items,
                    tables: true,
                } = &mut entry.get_mut().value
                else {
                    return Err(duplicate(last));
                };
                items.push(new());
            } else {
                if !matches!(&entry.get().value, Value::Table(t) if t.kind == Kind::Implicit) {
                    return Err(duplicate(last));
                }
                // Defined now, by this header: its keys so far are its sub-tables.
                let (_, old) = entry.remove_entry();
                let Value::Table(mut defined) = old.value else {
                    return Err(duplicate(last));
                };
                defined.kind = Kind::Defined;
                let value = Spanned::new(span, Value::Table(defined));
                table.entries.insert(last.clone(), value);
            }
        }
    }
    Ok(())
}

/// The table `key` names in `table`, made (implicitly) when missing, as a header's path
/// walks to its table: through any table but an inline one, into the last item of an
/// array of tables.
fn descend<'t>(table: &'t mut Table, key: &Key) -> Result<&'t mut Table, SyntaxError> {
    let value = table.entries.entry(key.clone()).or_insert_with(|| {
        Spanned::new(key.span(), Value::Table(Table::with_kind(Kind::Implicit)))
    });
    let found = value.value.type_str();
    match &mut value.value {
        Value::Table(inner) if inner.kind != Kind::Inline => Ok(inner),
        Value::Array {
            items,
            tables: true,
        } => match items.last_mut().map(|item| &mut item.value) {
            Some(Value::Table(inner)) => Ok(inner),
            _ => Err(duplicate(key)),
        },
        Value::Table(_) => Err(error(key.span(), "cannot add to an inline table")),
        _ => Err(error(
            key.span(),
            format!("cannot add a table to a value of type {found}"),
        )),
    }
}

/// Adds `a.b.c = value` to `table`: `a` and `b` made, or tables dotted keys made.
fn insert_dotted(
    mut table: &mut Table,
    mut path: Vec<Key>,
    value: Spanned<Value>,
) -> Result<(), SyntaxError> {
    let Some(last) = path.pop() else {
        return Err(error(value.span(), "a value without a key"));
    };
    for key in &path {
        let entry = table.entries.entry(key.clone()).or_insert_with(|| {
            Spanned::new(key.span(), Value::Table(Table::with_kind(Kind::Dotted)))
        });
        table = match &mut entry.value {
            Value::Table(inner) if matches!(inner.kind, Kind::Implicit | Kind::Dotted) => {
                inner.kind = Kind::Dotted;
                inner
            }
            _ => return Err(duplicate(key)),
        };
    }
    if table.entries.contains_key(last.get_ref().as_str()) {
        return Err(duplicate(&last));
    }
    table.entries.insert(last, value);
    Ok(())
}

fn duplicate(key: &Key) -> SyntaxError {
    error(key.span(), "duplicate key")
}

/// A TOML date-time (RFC 3339 as TOML takes it: `T`, `t` or a space between date and time,
/// seconds optional), checked; `None` when it is not one.
fn datetime(text: &str) -> Option<Datetime> {
    let mut rest = text.as_bytes();
    let mut out = Datetime::default();
    let first = digits(&mut rest);
    let time_next = match rest.first() {
        Some(b'-') => {
            rest = &rest[1..];
            let month = digits(&mut rest);
            take(&mut rest, b'-')?;
            let day = digits(&mut rest);
            let (year, month, day) = (
                number(first, 4)? as u16,
                number(month, 2)? as u8,
                number(day, 2)? as u8,
            );
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                1..=12 => 31,
                _ => return None,
            };
            if !(1..=days).contains(&day) {
                return None;
            }
            out.date = Some((year, month, day));
            match rest.first() {
                None => false,
                Some(b'T' | b't' | b' ') => {
                    rest = &rest[1..];
                    true
                }
                Some(_) => return None,
            }
        }
        Some(b':') => {
            rest = text.as_bytes();
            true
        }
        _ => return None,
    };
    if time_next {
        let hour = number(digits(&mut rest), 2)?;
        take(&mut rest, b':')?;
        let minute = number(digits(&mut rest), 2)?;
        let mut second = None;
        let mut nanosecond = None;
        if take(&mut rest, b':').is_some() {
            second = Some(number(digits(&mut rest), 2)?);
            if take(&mut rest, b'.').is_some() {
                let fraction = digits(&mut rest);
                if fraction.is_empty() {
                    return None;
                }
                // Nanoseconds: the first nine digits.
                let nanos = (0..9).fold(0u32, |n, i| {
                    n * 10 + fraction.get(i).map_or(0, |d| u32::from(d - b'0'))
                });
                nanosecond = Some(nanos);
            }
        }
        if hour > 23 || minute > 59 || second.unwrap_or(0) > 60 {
            return None;
        }
        out.time = Some((
            hour as u8,
            minute as u8,
            second.map(|s| s as u8),
            nanosecond,
        ));
        if out.date.is_some() {
            match rest.first() {
                Some(b'Z' | b'z') => {
                    rest = &rest[1..];
                    out.offset = Some(None);
                }
                Some(&sign @ (b'+' | b'-')) => {
                    rest = &rest[1..];
                    let hours = number(digits(&mut rest), 2)?;
                    take(&mut rest, b':')?;
                    let minutes = number(digits(&mut rest), 2)?;
                    if hours > 23 || minutes > 59 {
                        return None;
                    }
                    let total = (hours * 60 + minutes) as i16;
                    out.offset = Some(Some(if sign == b'-' { -total } else { total }));
                }
                _ => {}
            }
        }
    }
    rest.is_empty().then_some(out)
}

/// The ASCII digits at the start of `rest`, taken off it.
fn digits<'a>(rest: &mut &'a [u8]) -> &'a [u8] {
    let end = rest
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(rest.len());
    let (digits, after) = rest.split_at(end);
    *rest = after;
    digits
}

/// `digits` as a number when it has exactly `len` of them.
fn number(digits: &[u8], len: usize) -> Option<u32> {
    (digits.len() == len).then(|| digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

/// Takes `byte` off the start of `rest`.
fn take(rest: &mut &[u8], byte: u8) -> Option<()> {
    let (first, after) = rest.split_first()?;
    (*first == byte).then(|| *rest = after)
}

#[cfg(test)]
#[path = "tree_tests.rs"]
mod tests;
