//! YAML: compose files, Kubernetes manifests, Helm values and templates, CI workflows,
//! application config. A tolerant line reader that keeps the key path by indentation:
//! block maps and sequences, flow collections (through `flow`), quoted scalars over
//! several lines, block scalars (read for the format their key names: a ConfigMap's
//! `app.toml: |`, a workflow's `run: |` as shell), anchors (`&a`; an alias `*a` is a
//! reference), tags, several documents (`---`), Helm/Jinja template lines (`{{ ... }}`,
//! skipped) and lines it cannot make sense of (read as text of unknown format).
//!
//! A document whose `kind` is `Secret` has its top-level `data:` values decoded from
//! base64 before they are judged; `- name: X` / `value: Y` list items (Kubernetes `env`)
//! are the variable `X` set to `Y`.

use super::shell::{self, LineIter};
use super::{How, Out, PairKey, Slot, dotenv, flow, toml, with};
use crate::search;
use std::ops::Range;

struct Frame {
    /// Column of the key, or of the `-` of a list item.
    indent: usize,
    /// `None` for a list item.
    key: Option<String>,
    /// A list item's `name:` and `value:`.
    env_name: Option<String>,
    env_value: Option<Range<usize>>,
}

/// Reads the YAML documents of `src[range]`.
pub(crate) fn scan(src: &str, range: Range<usize>, parents: &[String], out: &mut Out) {
    let lines: Vec<Range<usize>> = LineIter::new(src, range).collect();
    let mut doc = Doc::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut n = 0;
    while n < lines.len() {
        let line = lines[n].clone();
        n += 1;
        let text = &src[line.clone()];
        let content = text.trim_start();
        let indent = text.len() - content.len();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if indent == 0
            && (content == "---"
                || content == "..."
                || content.starts_with("--- ")
                || content.starts_with("---\t"))
        {
            close(&mut stack, 0, true, parents, &mut doc);
            doc.finish(parents, out);
            continue;
        }
        if indent == 0 && content.starts_with('%') {
            continue;
        }
        if content.starts_with("{{") || content.starts_with("{%") {
            continue; // a Helm or Jinja template line
        }
        let mut col = indent;
        let mut dashed = false;
        // `- ` list items, maybe several on one line (`- - a`).
        while src[line.start + col..line.end].starts_with("- ")
            || &src[line.start + col..line.end] == "-"
        {
            close(&mut stack, col, dashed, parents, &mut doc);
            // A new item at this column ends the previous one.
            if stack
                .last()
                .is_some_and(|f| f.indent == col && f.key.is_none())
            {
                close(&mut stack, col, true, parents, &mut doc);
            }
            stack.push(Frame {
                indent: col,
                key: None,
                env_name: None,
                env_value: None,
            });
            dashed = true;
            col += 1;
            while src.as_bytes().get(line.start + col) == Some(&b' ') {
                col += 1;
            }
        }
        let at = line.start + col;
        if at >= line.end {
            continue;
        }
        let rest = &src[at..line.end];
        if rest.starts_with('{') || rest.starts_with('[') {
            let path = path_of(&stack, parents);
            let last = lines.last().map_or(at, |l| l.end);
            let end = flow::read(src, at..last, &path, &mut doc.out);
            // Unclosed: read the following lines as YAML again.
            while end < last && n < lines.len() && lines[n].start < end {
                n += 1;
            }
            continue;
        }
        let Some((key, value_at)) = key_of(src, at, line.end) else {
            // A list item's scalar, a plain scalar's continuation, or a line that is not
            // YAML (a template, a typo): read its words for `NAME=value`. Only the last
            // two may hide what a parser reads (a complex key, a value on its own line).
            out.unread_lines |= !dashed;
            let path = path_of(&stack, parents);
            // `secret:` then `- abc`: an item of a secret-named list is its value.
            if dashed && stack.iter().rev().nth(1).is_some_and(|f| f.key.is_some()) {
                let item = &src[at..line.end];
                let cut = item.find(" #").unwrap_or(item.len());
                let range = shell::unquote(src, at..at + item[..cut].trim_end().len());
                doc.out.push(Slot::new(path.clone(), range));
            }
            shell::assignments(src, at..line.end, &path, &mut doc.out);
            continue;
        };
        if !dashed {
            close(&mut stack, col, true, parents, &mut doc);
        }
        let path = path_of(&stack, parents);
        let keys = with(&path, &key);
        // The value: skip spaces, an anchor and a `!!str`-like tag.
        let mut v = value_at;
        let bytes = src.as_bytes();
        let skip_spaces = |mut v: usize| {
            while v < line.end && (bytes[v] == b' ' || bytes[v] == b'\t') {
                v += 1;
            }
            v
        };
        v = skip_spaces(v);
        if v < line.end && bytes[v] == b'&' {
            while v < line.end && !bytes[v].is_ascii_whitespace() {
                v += 1;
            }
            v = skip_spaces(v);
        }
        if src[v..line.end].starts_with("!!str") || src[v..line.end].starts_with("!!binary") {
            while v < line.end && !bytes[v].is_ascii_whitespace() {
                v += 1;
            }
            v = skip_spaces(v);
        }
        if path.len() == parents.len() && key == "kind" {
            doc.kind = src[v..line.end]
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
        }
        if path.len() == parents.len() + 1
            && path.last().is_some_and(|p| p == "metadata")
            && key == "name"
        {
            doc.name = src[v..line.end].trim().trim_matches(['"', '\'']).to_owned();
        }
        let value_text = &src[v..line.end];
        if value_text.is_empty() || value_text.starts_with('#') {
            stack.push(Frame {
                indent: col,
                key: Some(key),
                env_name: None,
                env_value: None,
            });
            continue;
        }
        let first = bytes[v];
        match first {
            b'|' | b'>' if is_block_indicator(value_text) => {
                // The block: following lines indented more than the key (or blank).
                let start = lines.get(n).map_or(line.end, |l| l.start);
                let mut end = start;
                while n < lines.len() {
                    let l = &src[lines[n].clone()];
                    let l_indent = l.len() - l.trim_start().len();
                    if !l.trim().is_empty() && l_indent <= col {
                        break;
                    }
                    end = lines[n].end;
                    n += 1;
                }
                block(src, start..end.max(start), &keys, &mut doc.out);
            }
            b'{' | b'[' => {
                let last = lines.last().map_or(v, |l| l.end);
                let end = flow::read(src, v..last, &keys, &mut doc.out);
                while end < last && n < lines.len() && lines[n].start < end {
                    n += 1;
                }
            }
            b'"' | b'\'' => {
                let last = lines.last().map_or(v, |l| l.end);
                let (content, decoded, end) = quoted(src, v, last);
                note(&mut stack, &key, src, content.clone());
                let mut slot = Slot::new(keys, content);
                slot.decoded = decoded;
                doc.out.push(slot);
                while n < lines.len() && lines[n].start < end {
                    n += 1;
                }
            }
            b'*' => {} // an alias: the value is where its anchor is
            b'!' => {} // a tag: `!Ref`, `!vault`, `!Sub` resolve elsewhere
            _ => {
                let cut = value_text.find(" #").unwrap_or(value_text.len());
                let value = value_text[..cut].trim_end();
                let range = v..v + value.len();
                note(&mut stack, &key, src, range.clone());
                doc.out.push(Slot::new(keys, range.clone()));
                shell::assignments(src, range, &path, &mut doc.out);
            }
        }
    }
    close(&mut stack, 0, true, parents, &mut doc);
    doc.finish(parents, out);
}

/// `|`, `>`, `|-`, `>+2`, maybe with a comment after.
fn is_block_indicator(text: &str) -> bool {
    let head = text.split(" #").next().unwrap_or_default().trim_end();
    head.len() <= 4
        && head[1..]
            .bytes()
            .all(|b| b == b'-' || b == b'+' || b.is_ascii_digit())
}

/// A block scalar's content, read for the format its key names.
fn block(src: &str, range: Range<usize>, keys: &[String], out: &mut Out) {
    let text = &src[range.clone()];
    let trimmed = text.trim();
    if !trimmed.is_empty() && !trimmed.contains('\n') {
        let lead = text.len() - text.trim_start().len();
        out.push(Slot::new(
            keys.to_vec(),
            range.start + lead..range.start + lead + trimmed.len(),
        ));
    }
    let name = keys.last().map_or("", String::as_str).to_ascii_lowercase();
    let parents = &keys[..keys.len().saturating_sub(1)];
    if name.ends_with(".yaml") || name.ends_with(".yml") {
        scan(src, range, parents, out);
    } else if name.ends_with(".toml") {
        toml::scan(src, range, parents, out);
    } else if name.ends_with(".json") {
        flow::scan(src, range, parents, out);
    } else if name.ends_with(".properties") {
        dotenv::scan(src, range, parents, true, out);
    } else {
        shell::text_of_unknown_format(src, range, parents, out);
    }
}

/// A quoted scalar at `v` (maybe over several lines): content range, decoded text when
/// escapes change it, and where it ends.
pub(crate) fn quoted(src: &str, v: usize, limit: usize) -> (Range<usize>, Option<String>, usize) {
    let bytes = src.as_bytes();
    let q = bytes[v];
    let mut k = v + 1;
    let mut escaped = false;
    while k < limit {
        if q == b'"' && bytes[k] == b'\\' {
            escaped = true;
            k += 2;
            continue;
        }
        if bytes[k] == q {
            if q == b'\'' && bytes.get(k + 1) == Some(&b'\'') {
                escaped = true;
                k += 2;
                continue;
            }
            break;
        }
        k += 1;
    }
    let k = k.min(limit);
    let content = v + 1..k;
    let raw = &src[content.clone()];
    let decoded = escaped.then(|| {
        if q == b'\'' {
            raw.replace("''", "'")
        } else {
            unescape(raw)
        }
    });
    (content, decoded, k + 1)
}

/// YAML double-quoted escapes that matter for a value's text.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The key at `at` (`key:`, `"key":`, `'key':`) and where its value starts.
fn key_of(src: &str, at: usize, end: usize) -> Option<(String, usize)> {
    let bytes = src.as_bytes();
    let first = *bytes.get(at)?;
    if first == b'"' || first == b'\'' {
        let close = search::memchr(first, &bytes[at + 1..end])? + at + 1;
        let after = close + 1;
        let colon = after + bytes[after..end].iter().take_while(|b| **b == b' ').count();
        if bytes.get(colon) == Some(&b':')
            && bytes
                .get(colon + 1)
                .is_none_or(|b| *b == b' ' || *b == b'\t')
            && colon < end
        {
            return Some((src[at + 1..close].to_owned(), colon + 1));
        }
        return None;
    }
    if matches!(
        first,
        b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b'?'
    ) {
        return None;
    }
    let mut k = at;
    while k < end {
        if bytes[k] == b':' && (k + 1 == end || bytes[k + 1] == b' ' || bytes[k + 1] == b'\t') {
            let key = src[at..k].trim_end();
            if key.is_empty() || key.contains(" #") {
                return None;
            }
            return Some((key.to_owned(), k + 1));
        }
        if bytes[k] == b'#' && k > at && bytes[k - 1] == b' ' {
            return None;
        }
        k += 1;
    }
    None
}

/// Remembers a list item's `name:` (or `key:`) and `value:`.
fn note(stack: &mut [Frame], key: &str, src: &str, value: Range<usize>) {
    if let Some(frame) = stack.last_mut().filter(|f| f.key.is_none()) {
        match PairKey::of(key) {
            Some(PairKey::Name) => frame.env_name = Some(src[value].trim().to_owned()),
            Some(PairKey::Value) => frame.env_value = Some(value),
            None => {}
        }
    }
}

/// The keys of the open maps.
fn path_of(stack: &[Frame], parents: &[String]) -> Vec<String> {
    let mut path = parents.to_vec();
    path.extend(stack.iter().filter_map(|f| f.key.clone()));
    path
}

/// Closes the frames at column `col` and deeper (`inclusive`) or only deeper.
fn close(stack: &mut Vec<Frame>, col: usize, inclusive: bool, parents: &[String], doc: &mut Doc) {
    while let Some(top) = stack.last() {
        let closes = if inclusive {
            top.indent >= col
        } else {
            top.indent > col
        };
        if !closes {
            break;
        }
        let Some(frame) = stack.pop() else { break };
        if let (Some(name), Some(value)) = (frame.env_name, frame.env_value) {
            let keys = with(&path_of(stack, parents), &name);
            doc.out.push(Slot::new(keys, value));
        }
    }
}

/// One document's slots, until its `kind` is known.
#[derive(Default)]
struct Doc {
    kind: String,
    /// `metadata.name`.
    name: String,
    out: Out,
}

impl Doc {
    fn finish(&mut self, parents: &[String], out: &mut Out) {
        let secret = self.kind == "Secret";
        // A Secret named for the JWT secret (`jwt-secret`): each entry is that secret
        // (`JWT_SALT`), unless its own name says it is something else (`..._FILE`).
        let jwt_named = secret
            && jwt_guard_policy::names::classify(&self.name)
                == jwt_guard_policy::names::NameKind::JwtSecret;
        for mut slot in std::mem::take(&mut self.out.slots) {
            let section = slot.keys.get(parents.len()).map(String::as_str);
            if secret && section == Some("data") {
                slot.how = How::Base64;
            }
            if jwt_named
                && matches!(section, Some("data" | "stringData"))
                && let Some(own) = slot.keys.last()
            {
                let joined = format!("{}.{own}", self.name);
                if jwt_guard_policy::names::is_secret_name(&joined) {
                    slot.keys = vec![joined];
                }
            }
            out.push(slot);
        }
        self.kind.clear();
        self.name.clear();
    }
}
