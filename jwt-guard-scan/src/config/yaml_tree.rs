//! YAML read by a YAML 1.2 parser (yaml-rust2, feature `structured`), next to the line
//! reader: the shapes only a parser sees. A value reached through an alias or a merge key
//! (`jwt: *defaults`, `<<: *common`) is judged under the path where it is used; a complex
//! key (`? jwt_secret`), a value on the line after its key and a plain scalar over several
//! lines get their true path. Block scalars are left to the line reader, which reads them
//! as the format their key names.
//!
//! The parser stops at the first error (a Helm template's `{{ }}`, broken YAML): the line
//! reader has read the whole file anyway, so that loses only what needs a parser. When the
//! file uses aliases or merge keys, that loss is a warning.

use super::{How, Out, Slot, judge, yaml};
use crate::search;
use std::collections::HashMap;
use std::ops::Range;
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// At most this many values reached through aliases per file: aliases of aliases grow
/// exponentially ("billion laughs"), and a file past the limit is reported, not read.
const MAX_ALIAS_VALUES: usize = 100_000;

/// Why the parser's reading is incomplete.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Not YAML the parser accepts, at this 1-based line.
    Unparsed { line: usize },
    /// Aliases expand to more than [`MAX_ALIAS_VALUES`] values.
    TooManyAliases,
}

impl Problem {
    /// The warning for a file that needs the parser (it uses aliases or merge keys).
    pub(crate) fn message(&self) -> String {
        match self {
            Problem::Unparsed { line } => format!(
                "not valid YAML from line {line}: read line by line from there, so values \
                 reached through aliases or merge keys after it were not checked"
            ),
            Problem::TooManyAliases => format!(
                "its aliases expand to more than {MAX_ALIAS_VALUES} values: values reached \
                 through them were not all checked"
            ),
        }
    }
}

/// Whether the file uses an alias (`*name` as a value) or a merge key (`<<:`): what the
/// line reader cannot follow.
pub(crate) fn uses_aliases(src: &str) -> bool {
    let bytes = src.as_bytes();
    search::memmem::find(bytes, b"<<:").is_some()
        || search::memchr_iter(b'*', bytes).any(|at| {
            at > 0
                && matches!(bytes[at - 1], b' ' | b'\t' | b'[' | b',' | b'-')
                && bytes
                    .get(at + 1)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        })
}

/// An open collection.
struct Frame {
    /// A map's state; `None` for a sequence.
    map: Option<MapState>,
    anchor: Anchor,
    /// A collection used as a key (`? [a, b]`): read as the key "".
    is_key: bool,
    /// Whether it added its key to the path (a map's value does; a list item, the root
    /// or a key does not).
    named: bool,
}

struct MapState {
    /// The key whose value comes next.
    key: Option<String>,
    /// Whether the next node is a key.
    expects_key: bool,
}

/// A node being recorded for later aliases: its id, the first slot it produced, and the
/// length of the path it sits at.
#[derive(Clone, Copy)]
struct Anchor {
    id: usize,
    first_slot: usize,
    depth: usize,
}

/// Reads `src` (every document) and adds the slots the parser sees to `out`.
pub(crate) fn scan(src: &str, parents: &[String], out: &mut Out) -> Result<(), Problem> {
    let mut walk = Walk {
        src,
        offsets: Offsets::new(src),
        path: parents.to_vec(),
        parents: parents.len(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        slots: Vec::new(),
        aliased: 0,
        kind: String::new(),
        doc_first_slot: 0,
    };
    let mut parser = Parser::new_from_str(src);
    let result = loop {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => break Ok(()),
            Ok((event, mark)) => {
                if let Err(problem) = walk.event(event, mark) {
                    break Err(problem);
                }
            }
            Err(error) => {
                break Err(Problem::Unparsed {
                    line: error.marker().line(),
                });
            }
        }
    };
    walk.end_document();
    out.slots.extend(walk.slots);
    result
}

struct Walk<'a> {
    src: &'a str,
    offsets: Offsets<'a>,
    /// Keys from the root to the current collection (list items add none).
    path: Vec<String>,
    parents: usize,
    stack: Vec<Frame>,
    /// Each anchor's slots, keys relative to the anchored node.
    anchors: HashMap<usize, Vec<Slot>>,
    slots: Vec<Slot>,
    aliased: usize,
    /// The current document's top-level `kind` (a Kubernetes `Secret` has base64 `data`).
    kind: String,
    doc_first_slot: usize,
}

impl Walk<'_> {
    fn event(&mut self, event: Event, mark: Marker) -> Result<(), Problem> {
        match event {
            Event::DocumentEnd => self.end_document(),
            Event::Scalar(value, style, anchor, tag) => {
                self.scalar(value, style, anchor, tag, mark)
            }
            Event::Alias(id) => {
                if self.take_key(String::new()) {
                    return Ok(());
                }
                self.alias(id)?;
                self.value_done();
            }
            Event::MappingStart(id, _) | Event::SequenceStart(id, _) => {
                let map = matches!(event, Event::MappingStart(..)).then_some(MapState {
                    key: None,
                    expects_key: true,
                });
                let is_key = self.take_key(String::new());
                let key = if is_key { None } else { self.value_key() };
                let named = key.is_some();
                self.path.extend(key);
                let anchor = self.anchor(id);
                self.stack.push(Frame {
                    map,
                    anchor,
                    is_key,
                    named,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                if frame.named {
                    self.path.pop();
                }
                self.record(frame.anchor);
                if !frame.is_key {
                    self.value_done();
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// In a map expecting a key: takes `key` as it and returns true.
    fn take_key(&mut self, key: String) -> bool {
        if let Some(map) = self.stack.last_mut().and_then(|f| f.map.as_mut())
            && map.expects_key
        {
            map.key = Some(key);
            map.expects_key = false;
            return true;
        }
        false
    }

    /// The key of the value that starts now (none in a sequence or at the root).
    fn value_key(&self) -> Option<String> {
        self.stack
            .last()
            .and_then(|f| f.map.as_ref())
            .and_then(|m| m.key.clone())
    }

    /// A value ended: its map expects a key again.
    fn value_done(&mut self) {
        if let Some(map) = self.stack.last_mut().and_then(|f| f.map.as_mut()) {
            map.key = None;
            map.expects_key = true;
        }
    }

    /// The path of a value that starts now: the open collections' keys, then its own.
    fn value_path(&self) -> Vec<String> {
        let mut keys = self.path.clone();
        keys.extend(self.value_key());
        keys
    }

    fn anchor(&self, id: usize) -> Anchor {
        Anchor {
            id,
            first_slot: self.slots.len(),
            depth: self.path.len(),
        }
    }

    /// Keeps the slots of an anchored node for its aliases.
    fn record(&mut self, anchor: Anchor) {
        if anchor.id == 0 {
            return;
        }
        let relative = self.slots[anchor.first_slot..]
            .iter()
            .map(|s| Slot {
                keys: s.keys[anchor.depth.min(s.keys.len())..].to_vec(),
                ..s.clone()
            })
            .collect();
        self.anchors.insert(anchor.id, relative);
    }

    fn scalar(
        &mut self,
        value: String,
        style: TScalarStyle,
        id: usize,
        tag: Option<Tag>,
        mark: Marker,
    ) {
        if self.take_key(value.clone()) {
            return;
        }
        let key = self.value_key();
        if self.path.len() == self.parents && key.as_deref() == Some("kind") {
            self.kind.clone_from(&value);
        }
        // Only a value whose own name (its key, or its list's) may be a secret's can be
        // judged one (an alias keeps the names inside what it repeats); an anchored scalar
        // takes its alias's name.
        let own = key.as_deref().or(self.path.last().map(String::as_str));
        let named = id != 0 || own.is_some_and(judge::may_name_a_secret);
        // A block scalar is the line reader's; a local tag (`!Ref`, `!vault`) resolves
        // elsewhere.
        let block = matches!(style, TScalarStyle::Literal | TScalarStyle::Folded);
        let keys = if named { self.value_path() } else { Vec::new() };
        let anchor = Anchor {
            id,
            first_slot: self.slots.len(),
            depth: keys.len(),
        };
        if named && !block && tag.as_ref().is_none_or(is_core) && !value.is_empty() {
            let value_range = self.range(&value, style, mark);
            let raw = self.src.get(value_range.clone()).unwrap_or_default();
            let mut slot = Slot::new(keys, value_range);
            if raw != value {
                slot.decoded = Some(value);
            }
            self.slots.push(slot);
        }
        self.record(anchor);
        self.value_done();
    }

    /// An alias: the anchored node's values again, under the alias's path (a merge key's
    /// under its map's).
    fn alias(&mut self, id: usize) -> Result<(), Problem> {
        let Some(anchored) = self.anchors.get(&id) else {
            return Ok(());
        };
        self.aliased += anchored.len();
        if self.aliased > MAX_ALIAS_VALUES {
            return Err(Problem::TooManyAliases);
        }
        let mut base = self.path.clone();
        base.extend(self.value_key().filter(|k| k != "<<"));
        for slot in anchored {
            let mut keys = base.clone();
            keys.extend(slot.keys.iter().cloned());
            self.slots.push(Slot {
                keys,
                ..slot.clone()
            });
        }
        Ok(())
    }

    /// The byte range of a scalar's text: its content, quotes excluded (a plain scalar over
    /// several lines: its first line).
    fn range(&mut self, value: &str, style: TScalarStyle, mark: Marker) -> Range<usize> {
        let start = self.offsets.byte_of(mark.index());
        let src = self.src;
        match style {
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
                if matches!(src.as_bytes().get(start), Some(b'"' | b'\'')) =>
            {
                yaml::quoted(src, start, src.len()).0
            }
            _ if src[start..].starts_with(value) => start..start + value.len(),
            _ => {
                start
                    ..search::memchr(b'\n', &src.as_bytes()[start..])
                        .map_or(src.len(), |i| start + i)
            }
        }
    }

    /// A document ended: a Kubernetes Secret's `data` values are base64.
    fn end_document(&mut self) {
        if self.kind == "Secret" {
            for slot in &mut self.slots[self.doc_first_slot..] {
                if slot.keys.get(self.parents).is_some_and(|k| k == "data") {
                    slot.how = How::Base64;
                }
            }
        }
        self.kind.clear();
        self.doc_first_slot = self.slots.len();
    }
}

/// `!!str`, `!!binary`: tags of the YAML core schema, which do not change where the value
/// comes from.
fn is_core(tag: &Tag) -> bool {
    tag.handle == "!!" || tag.handle.starts_with("tag:yaml.org,2002:")
}

/// The parser's positions count characters: their byte offsets, walking forward (events
/// come in order of position).
struct Offsets<'a> {
    src: &'a str,
    ascii: bool,
    char_index: usize,
    byte: usize,
}

impl<'a> Offsets<'a> {
    fn new(src: &'a str) -> Offsets<'a> {
        Offsets {
            src,
            ascii: src.is_ascii(),
            char_index: 0,
            byte: 0,
        }
    }

    fn byte_of(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.src.len());
        }
        if char_index < self.char_index {
            self.char_index = 0;
            self.byte = 0;
        }
        let rest = &self.src[self.byte..];
        let steps = char_index - self.char_index;
        self.byte += rest
            .char_indices()
            .nth(steps)
            .map_or(rest.len(), |(at, _)| at);
        self.char_index = char_index;
        self.byte
    }
}
