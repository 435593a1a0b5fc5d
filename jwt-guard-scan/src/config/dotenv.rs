//! `.env` files (`KEY=value`, `KEY = "value"`, `export KEY=value`, comments, multi-line
//! quoted values) and Java-style `.properties` (`a.b.c=value`, `a.b: value`).

use super::shell::LineIter;
use super::{Out, Slot};
use crate::search;
use std::ops::Range;

/// Reads every line of `src[range]`.
pub(crate) fn scan(
    src: &str,
    range: Range<usize>,
    parents: &[String],
    properties: bool,
    out: &mut Out,
) {
    let end = range.end;
    let mut lines = LineIter::new(src, range);
    while let Some(line) = lines.next() {
        let consumed = line_with(
            src,
            line.start..end,
            line.end,
            parents,
            properties,
            false,
            out,
        );
        // A quoted value over several lines: go on after it.
        while lines.pos() <= consumed && lines.next().is_some() {}
    }
}

/// One `KEY=value` / `key: value` / `key = "value"` line of text of unknown format.
pub(crate) fn line(src: &str, line: Range<usize>, parents: &[String], loose: bool, out: &mut Out) {
    line_with(src, line.clone(), line.end, parents, loose, loose, out);
}

/// Reads the assignment starting the line `src[line_start..line_end]`; a quoted value may
/// go on up to `limit`. Returns where the assignment ends.
fn line_with(
    src: &str,
    range: Range<usize>,
    line_end: usize,
    parents: &[String],
    colon: bool,
    loose: bool,
    out: &mut Out,
) -> usize {
    let bytes = src.as_bytes();
    let mut i = range.start;
    let skip_ws = |mut i: usize| {
        while i < line_end && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        i
    };
    i = skip_ws(i);
    if i >= line_end || matches!(bytes[i], b'#' | b'!' | b';') {
        return line_end;
    }
    if loose && src[i..line_end].starts_with("- ") {
        i = skip_ws(i + 2);
    }
    if src[i..line_end].starts_with("export ") {
        i = skip_ws(i + 7);
    }
    // The key, maybe quoted (`"JwtSecret": "..."` in a JSON-ish line).
    let (key, mut j) = if loose && i < line_end && (bytes[i] == b'"' || bytes[i] == b'\'') {
        let q = bytes[i];
        match search::memchr(q, &bytes[i + 1..line_end]) {
            Some(n) => (&src[i + 1..i + 1 + n], i + n + 2),
            None => return line_end,
        }
    } else {
        let start = i;
        while i < line_end
            && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'.' | b'-'))
        {
            i += 1;
        }
        (&src[start..i], i)
    };
    if key.is_empty() || key.len() > 120 {
        return line_end;
    }
    j = skip_ws(j);
    if j >= line_end {
        return line_end;
    }
    let sep_ok = bytes[j] == b'='
        || (colon && bytes[j] == b':' && bytes.get(j + 1).is_none_or(|b| b.is_ascii_whitespace()));
    if !sep_ok {
        return line_end;
    }
    j = skip_ws(j + 1);
    let keys: Vec<String> = if colon && !loose {
        parents
            .iter()
            .cloned()
            .chain(key.split('.').map(str::to_owned))
            .collect()
    } else {
        super::with(parents, key)
    };
    if j >= line_end {
        out.push(Slot::new(keys, j..j));
        return line_end;
    }
    let (value, end) = match bytes[j] {
        q @ (b'"' | b'\'') => {
            // The closing quote, maybe on a later line (up to the range's end).
            let mut k = j + 1;
            let mut close = None;
            while k < range.end {
                if q == b'"' && bytes[k] == b'\\' {
                    k += 2;
                    continue;
                }
                if bytes[k] == q {
                    close = Some(k);
                    break;
                }
                k += 1;
            }
            match close {
                Some(k) => (j + 1..k, k.max(line_end)),
                None => (j + 1..line_end, line_end),
            }
        }
        _ => {
            let text = &src[j..line_end];
            let cut = text
                .find(" #")
                .or_else(|| text.find("\t#"))
                .unwrap_or(text.len());
            let mut value = text[..cut].trim_end();
            if loose {
                value = value.trim_end_matches(',').trim_end();
            }
            (j..j + value.len(), line_end)
        }
    };
    out.push(Slot::new(keys, value));
    end
}
