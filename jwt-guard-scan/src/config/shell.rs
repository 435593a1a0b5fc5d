//! Shell words: `export JWT_SECRET=abc`, `JWT_SECRET=abc cargo run`, `docker run -e
//! JWT_SECRET=abc`, `--jwt-secret abc`, `echo "JWT_SECRET=abc" >> .env`; scripts with
//! heredocs that write another format. Also what other readers use on command lines
//! (`RUN`, `ExecStart=`, a CI `run:`) and on text of unknown format.

use super::judge::is_jwt_slot;
use super::{How, Out, Slot, dotenv, with};
use crate::search;
use std::ops::Range;

/// A shell shebang: `#!/bin/sh`, `#!/usr/bin/env bash`, ...
pub(crate) fn is_shell_shebang(bytes: &[u8]) -> bool {
    let Some(rest) = bytes.strip_prefix(b"#!") else {
        return false;
    };
    let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut words = line.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let program = if first.ends_with("/env") {
        words.find(|w| !w.starts_with('-')).unwrap_or_default()
    } else {
        first
    };
    let program = program.rsplit('/').next().unwrap_or_default();
    matches!(
        program,
        "sh" | "bash" | "zsh" | "ksh" | "dash" | "ash" | "mksh"
    )
}

/// A word of a command line: its byte range (quotes included).
fn words(src: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = range.start;
    let end = range.end.min(bytes.len());
    while i < end {
        let b = bytes[i];
        if b.is_ascii_whitespace()
            || matches!(b, b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' | b'`')
        {
            i += 1;
            continue;
        }
        if b == b'#' {
            // A comment runs to the end of the line.
            i = search::memchr(b'\n', &bytes[i..end]).map_or(end, |n| i + n);
            continue;
        }
        let start = i;
        let mut quote = None;
        while i < end {
            let c = bytes[i];
            // `$(..)` and `${..}` belong to the word, whatever they hold.
            if quote != Some(b'\'')
                && c == b'$'
                && matches!(bytes.get(i + 1), Some(b'(') | Some(b'{'))
            {
                let (open, close) = if bytes[i + 1] == b'(' {
                    (b'(', b')')
                } else {
                    (b'{', b'}')
                };
                let mut depth = 0usize;
                i += 1;
                while i < end {
                    if bytes[i] == open {
                        depth += 1;
                    } else if bytes[i] == close {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            match quote {
                Some(q) if c == q => quote = None,
                Some(b'"') if c == b'\\' => i += 1,
                Some(_) => {}
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None if c == b'\\' => i += 1,
                None if c.is_ascii_whitespace()
                    || matches!(c, b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' | b'`') =>
                {
                    break;
                }
                None => {}
            }
            i += 1;
        }
        out.push(start..i.min(end));
    }
    out
}

/// Strips one pair of matching quotes around `range`.
pub(crate) fn unquote(src: &str, range: Range<usize>) -> Range<usize> {
    let text = &src[range.clone()];
    if text.len() >= 2
        && ((text.starts_with('"') && text.ends_with('"'))
            || (text.starts_with('\'') && text.ends_with('\'')))
    {
        range.start + 1..range.end - 1
    } else {
        range
    }
}

/// A name of an environment variable or a flag: `JWT_SECRET`, `jwt.secret`, `jwt-secret`.
fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 80
        && text
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The assignments and secret flags among the shell words of `src[range]`.
pub(crate) fn assignments(src: &str, range: Range<usize>, parents: &[String], out: &mut Out) {
    assignments_depth(src, range, parents, out, 0);
}

fn assignments_depth(src: &str, range: Range<usize>, parents: &[String], out: &mut Out, depth: u8) {
    if depth > 3
        || !src.is_char_boundary(range.start)
        || !src.is_char_boundary(range.end.min(src.len()))
    {
        return;
    }
    let words = words(src, range);
    for (n, word) in words.iter().enumerate() {
        let inner = unquote(src, word.clone());
        let text = &src[inner.clone()];
        if inner != *word {
            // A quoted word holding a command or an assignment: `"JWT_SECRET=abc ./app"`.
            if text.contains('=') || text.contains(' ') {
                assignments_depth(src, inner, parents, out, depth + 1);
            }
            continue;
        }
        if let Some(eq) = text.find('=') {
            let name = text[..eq].trim_start_matches('-');
            if is_name(name) && !text[..eq].contains(['"', '\'']) {
                let value = unquote(src, inner.start + eq + 1..inner.end);
                let mut slot = Slot::new(with(parents, name), value.clone());
                if text.starts_with('-') {
                    slot.how = How::Flag;
                    // A flag whose value is an assignment: `docker run --env=JWT_SECRET=..`,
                    // `kubectl create secret --from-literal=JWT_SECRET=..`.
                    let assigned = &src[value.clone()];
                    if let Some(eq) = assigned.find('=')
                        && is_name(&assigned[..eq])
                    {
                        let inner_value = unquote(src, value.start + eq + 1..value.end);
                        out.push(Slot::new(with(parents, &assigned[..eq]), inner_value));
                    }
                }
                out.push(slot);
            }
        } else if let Some(flag) = text.strip_prefix("--")
            && is_name(flag)
            && is_jwt_slot(&[flag.to_owned()])
            && let Some(next) = words.get(n + 1)
            && !src[next.clone()].starts_with('-')
        {
            let mut slot = Slot::new(vec![flag.to_owned()], unquote(src, next.clone()));
            slot.how = How::Flag;
            out.push(slot);
        }
    }
}

/// A heredoc's delimiter on this line: `<<EOF`, `<<-'EOF'`, `<< "END"`.
pub(crate) fn heredoc_delimiter(line: &str) -> Option<String> {
    let at = line.find("<<")?;
    let rest = line[at + 2..].trim_start_matches(['-', '~']).trim_start();
    if rest.starts_with('<') {
        return None; // `<<<` here-string
    }
    let rest = rest.trim_start_matches(['\'', '"']);
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// A shell script: each line's words; a heredoc's body read as text of unknown format.
pub(crate) fn scan_script(src: &str, range: Range<usize>, parents: &[String], out: &mut Out) {
    let mut lines = LineIter::new(src, range);
    while let Some(line) = lines.next() {
        let text = &src[line.clone()];
        if text.trim_start().starts_with('#') {
            continue;
        }
        assignments(src, line.clone(), parents, out);
        if let Some(delimiter) = heredoc_delimiter(text) {
            let body_start = lines.pos();
            let mut body_end = body_start;
            for body in lines.by_ref() {
                if src[body.clone()].trim() == delimiter {
                    break;
                }
                body_end = body.end;
            }
            text_of_unknown_format(src, body_start..body_end, parents, out);
        }
    }
}

/// Text whose format is not known (a heredoc, a YAML block scalar, an inline script):
/// each line read as a `.env`/YAML/TOML-style `key: value` or `KEY=value`, and as shell words.
pub(crate) fn text_of_unknown_format(
    src: &str,
    range: Range<usize>,
    parents: &[String],
    out: &mut Out,
) {
    for line in LineIter::new(src, range) {
        let text = &src[line.clone()];
        let trimmed = text.trim_start();
        if trimmed.starts_with('#') || trimmed.starts_with("//") {
            continue;
        }
        dotenv::line(src, line.clone(), parents, true, out);
        assignments(src, line, parents, out);
    }
}

/// Lines of `src[range]`, without their line break (nor a `\r` before it).
pub(crate) struct LineIter<'s> {
    src: &'s str,
    at: usize,
    end: usize,
}

impl<'s> LineIter<'s> {
    pub(crate) fn new(src: &'s str, range: Range<usize>) -> Self {
        LineIter {
            src,
            at: range.start,
            end: range.end.min(src.len()),
        }
    }

    /// Where the next line starts.
    pub(crate) fn pos(&self) -> usize {
        self.at
    }
}

impl Iterator for LineIter<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if self.at >= self.end {
            return None;
        }
        let bytes = &self.src.as_bytes()[self.at..self.end];
        let len = search::memchr(b'\n', bytes).unwrap_or(bytes.len());
        let start = self.at;
        let mut end = start + len;
        self.at = end + 1;
        if end > start && self.src.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Some(start..end)
    }
}
/// The next logical line from `lines[*n]` on: its physical lines joined by trailing
/// backslashes (each part without its backslash), comment lines inside it dropped and a
/// comment line before it skipped, as Docker and systemd read them. Advances `n`; empty
/// when a comment line came first.
pub(super) fn continued_line(
    src: &str,
    lines: &[Range<usize>],
    n: &mut usize,
    comment_markers: &[&str],
) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    while *n < lines.len() {
        let line = lines[*n].clone();
        *n += 1;
        let text = &src[line.clone()];
        let trimmed = text.trim_start();
        if comment_markers.iter().any(|m| trimmed.starts_with(m)) {
            if parts.is_empty() {
                break;
            }
            continue;
        }
        let continued = text.trim_end().ends_with('\\');
        let end = if continued {
            line.start + text.trim_end().len() - 1
        } else {
            line.end
        };
        parts.push(line.start..end);
        if !continued {
            break;
        }
    }
    parts
}
