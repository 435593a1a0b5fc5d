//! TOML (`config/default.toml`, `Settings.toml`, `Rocket.toml`, `Cargo.toml`): tables and
//! arrays of tables, dotted and quoted keys, basic, literal and multi-line strings, inline
//! tables and arrays (through `flow`). Line-based and tolerant: a line it cannot read is
//! read as text of unknown format, and the file is read to its end.

use super::shell::{self, LineIter};
use super::{Out, Slot, flow};
use std::ops::Range;

/// Reads `src[range]` as TOML.
pub(crate) fn scan(src: &str, range: Range<usize>, parents: &[String], out: &mut Out) {
    let bytes = src.as_bytes();
    let lines: Vec<Range<usize>> = LineIter::new(src, range.clone()).collect();
    let mut table: Vec<String> = parents.to_vec();
    let mut n = 0;
    while n < lines.len() {
        let line = lines[n].clone();
        n += 1;
        let text = &src[line.clone()];
        let content = text.trim_start();
        let at = line.start + (text.len() - content.len());
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if content.starts_with('[') {
            let inner = content.trim_start_matches('[');
            let close = inner.find(']').unwrap_or(inner.len());
            table = parents.to_vec();
            table.extend(dotted(&inner[..close]));
            continue;
        }
        // `dotted.key = value`
        let Some(eq) = key_end(content) else {
            shell::text_of_unknown_format(src, line, &table, out);
            continue;
        };
        let mut keys = table.clone();
        keys.extend(dotted(&content[..eq]));
        let mut v = at + eq + 1;
        while v < line.end && (bytes[v] == b' ' || bytes[v] == b'\t') {
            v += 1;
        }
        if v >= line.end {
            continue;
        }
        let rest = &src[v..line.end];
        let last = range.end;
        let end = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
            let delim = &rest[..3];
            let start = v + 3;
            let close = src[start..last].find(delim).map_or(last, |i| start + i);
            // A line break right after the opening delimiter is not part of the value.
            let content_start = if src[start..close].starts_with('\n') {
                start + 1
            } else if src[start..close].starts_with("\r\n") {
                start + 2
            } else {
                start
            };
            out.push(Slot::new(keys, content_start..close));
            close + 3
        } else if rest.starts_with('"') || rest.starts_with('\'') {
            let q = rest.as_bytes()[0];
            let mut k = v + 1;
            let mut escaped = false;
            while k < line.end && bytes[k] != q {
                if q == b'"' && bytes[k] == b'\\' {
                    escaped = true;
                    k += 1;
                }
                k += 1;
            }
            let k = k.min(line.end);
            let mut slot = Slot::new(keys, v + 1..k);
            if escaped {
                slot.decoded = Some(src[v + 1..k].replace("\\\"", "\"").replace("\\\\", "\\"));
            }
            out.push(slot);
            k
        } else if rest.starts_with('{') || rest.starts_with('[') {
            flow::read(src, v..last, &keys, out)
        } else {
            let cut = rest.find('#').unwrap_or(rest.len());
            let value = rest[..cut].trim_end();
            out.push(Slot::new(keys, v..v + value.len()));
            line.end
        };
        while n < lines.len() && lines[n].start < end {
            n += 1;
        }
    }
}

/// Where a `key = ` ends (the `=`), if the line starts with a key.
fn key_end(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                let q = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += 1;
                }
                i += 1;
            }
            b'=' => return (i > 0).then_some(i),
            b if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' ' | b'\t') => {
                i += 1
            }
            _ => return None,
        }
    }
    None
}

/// `a."b.c".d` -> `a`, `b.c`, `d`.
fn dotted(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '.' => out.push(std::mem::take(&mut cur).trim().to_owned()),
            None => cur.push(c),
        }
    }
    out.push(cur.trim().to_owned());
    out.retain(|k| !k.is_empty());
    out
}
