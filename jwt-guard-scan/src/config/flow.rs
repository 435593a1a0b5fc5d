//! JSON (comments tolerated) and the flow collections of YAML and TOML (`{ jwt: { secret:
//! abc } }`, `{ secret = "abc" }`, `[a, b]`): a tolerant tokenizer that keeps the key path.
//! Unbalanced brackets or stray tokens never stop it: it reads to the end of its range.
//!
//! A map with a `name` and a `value` (Kubernetes or ECS `env`, Azure app settings) is the
//! variable `name` set to `value`; a string in a list is read for `NAME=value`.

use super::{Out, PairKey, Slot, shell, with};
use crate::search;
use std::ops::Range;

/// Reads a whole JSON file.
pub(crate) fn scan(src: &str, range: Range<usize>, parents: &[String], out: &mut Out) {
    read(src, range, parents, out);
}

enum Frame {
    Map {
        key: Option<String>,
        /// `name`/`value` members: (name text, value slot).
        env_name: Option<String>,
        env_value: Option<Range<usize>>,
    },
    List,
}

/// Reads `src[range]`, starting at an opening bracket or anywhere in a JSON document;
/// returns where the outermost collection closed (or the range's end).
pub(crate) fn read(src: &str, range: Range<usize>, parents: &[String], out: &mut Out) -> usize {
    let bytes = src.as_bytes();
    let end = range.end.min(bytes.len());
    let mut i = range.start;
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = parents.to_vec();
    let mut started = false;
    while i < end {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => i += 1,
            b'#' => i = line_end(bytes, i, end),
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = line_end(bytes, i, end),
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = search::memmem::find(&bytes[i + 2..end], b"*/").map_or(end, |n| i + 2 + n + 2);
            }
            b'{' | b'[' => {
                started = true;
                let name = pending_key(&mut stack);
                path.push(name.clone().unwrap_or_default());
                stack.push(if b == b'{' {
                    Frame::Map {
                        key: None,
                        env_name: None,
                        env_value: None,
                    }
                } else {
                    Frame::List
                });
                i += 1;
            }
            b'}' | b']' => {
                i += 1;
                if let Some(frame) = stack.pop() {
                    path.pop();
                    if let Frame::Map {
                        env_name: Some(env_name),
                        env_value: Some(value),
                        ..
                    } = frame
                    {
                        let keys = with(&clean(&path), &env_name);
                        out.push(Slot::new(keys, value));
                    }
                }
                if started && stack.is_empty() {
                    return i;
                }
            }
            b':' | b'=' => {
                i += 1;
            }
            _ => {
                // A scalar: quoted, or plain up to a delimiter.
                let (value, next, text) = scalar(src, i, end);
                i = next.max(i + 1);
                let after = skip_space(bytes, i, end);
                let is_key = matches!(bytes.get(after), Some(b':') | Some(b'='))
                    && matches!(stack.last(), Some(Frame::Map { key: None, .. }));
                match stack.last_mut() {
                    Some(Frame::Map { key, .. }) if is_key => {
                        *key = Some(text);
                        i = after + 1;
                    }
                    Some(Frame::Map {
                        key,
                        env_name,
                        env_value,
                        ..
                    }) => {
                        let Some(k) = key.take() else { continue };
                        match PairKey::of(&k) {
                            Some(PairKey::Name) => *env_name = Some(text.clone()),
                            Some(PairKey::Value) => *env_value = Some(value.clone()),
                            None => {}
                        }
                        out.push(Slot::new(with(&clean(&path), &k), value.clone()));
                        shell::assignments(src, value, &clean(&path), out);
                    }
                    Some(Frame::List) => {
                        // `"secret": ["abc"]` (Keycloak): an item is a value of the list's key.
                        if path.last().is_some_and(|k| !k.is_empty()) {
                            out.push(Slot::new(clean(&path), value.clone()));
                        }
                        shell::assignments(src, value, &clean(&path), out);
                    }
                    None => {
                        if started {
                            return i;
                        }
                    }
                }
            }
        }
    }
    end
}

/// The key a new collection is the value of (taken from the enclosing map).
fn pending_key(stack: &mut [Frame]) -> Option<String> {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => key.take(),
        Some(Frame::List) | None => None,
    }
}

/// The path without the empty names of list items and roots.
fn clean(path: &[String]) -> Vec<String> {
    path.iter().filter(|k| !k.is_empty()).cloned().collect()
}

fn line_end(bytes: &[u8], i: usize, end: usize) -> usize {
    search::memchr(b'\n', &bytes[i..end]).map_or(end, |n| i + n)
}

fn skip_space(bytes: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// A scalar at `i`: its content range (quotes excluded), where it ends, its text.
fn scalar(src: &str, i: usize, end: usize) -> (Range<usize>, usize, String) {
    let bytes = src.as_bytes();
    let q = bytes[i];
    if q == b'"' || q == b'\'' {
        let mut k = i + 1;
        while k < end {
            if q == b'"' && bytes[k] == b'\\' {
                k += 2;
                continue;
            }
            if bytes[k] == q {
                if q == b'\'' && bytes.get(k + 1) == Some(&b'\'') {
                    k += 2;
                    continue;
                }
                break;
            }
            if bytes[k] == b'\n' && q == b'\'' {
                // An unterminated quote ends at its line, so one typo does not swallow the file.
                break;
            }
            k += 1;
        }
        let k = k.min(end);
        let text = src.get(i + 1..k).unwrap_or_default().to_owned();
        return (i + 1..k, (k + 1).min(end), text);
    }
    let mut k = i;
    while k < end {
        let c = bytes[k];
        if matches!(c, b',' | b'{' | b'}' | b'[' | b']' | b'\n' | b'=')
            || (c == b':'
                && bytes
                    .get(k + 1)
                    .is_none_or(|n| n.is_ascii_whitespace() || matches!(n, b',' | b'}' | b']')))
            || (c == b'#' && k > i && bytes[k - 1] == b' ')
        {
            break;
        }
        k += 1;
    }
    let text = src[i..k].trim_end();
    let range = i..i + text.len();
    (range, k, text.to_owned())
}
