//! Dockerfiles and Containerfiles: `ENV NAME=value` (several per line, quoted),
//! `ENV NAME value`, `ARG NAME=default`, continuation lines, comment lines inside them,
//! heredocs (`RUN <<EOF`, `COPY <<EOF /app/.env`) read as text of unknown format, and the
//! shell words of every other instruction (`RUN JWT_SECRET=abc ./migrate`). `ARG NAME`
//! without a default and `RUN --mount=type=secret` hold no value.

use super::shell::{self, LineIter};
use super::{How, Out, Slot, flow};
use std::ops::Range;

/// Reads a Dockerfile.
pub(crate) fn scan(src: &str, out: &mut Out) {
    let lines: Vec<Range<usize>> = LineIter::new(src, 0..src.len()).collect();
    let mut n = 0;
    while n < lines.len() {
        // One instruction: its lines, joined by trailing backslashes (comment lines inside
        // an instruction are dropped, as Docker does).
        let parts = shell::continued_line(src, &lines, &mut n, &["#"]);
        let Some(first) = parts.first() else { continue };
        let head = src[first.clone()].trim_start();
        let word_len = head.find(char::is_whitespace).unwrap_or(head.len());
        let instruction = head[..word_len].to_ascii_uppercase();
        let args_at = first.start + (src[first.clone()].len() - head.len()) + word_len;
        let mut args = parts.clone();
        args[0] = args_at..first.end;
        match instruction.as_str() {
            "ENV" => env(src, &args, out),
            "ARG" => {
                for part in &args {
                    let before = out.slots.len();
                    shell::assignments(src, part.clone(), &[], out);
                    for slot in &mut out.slots[before..] {
                        slot.how = How::BuildArg;
                    }
                }
            }
            _ => {
                for part in &args {
                    let text = src[part.clone()].trim_start();
                    if text.starts_with('[') {
                        let at = part.end - text.len();
                        flow::read(src, at..part.end, &[], out);
                    } else {
                        shell::assignments(src, part.clone(), &[], out);
                    }
                }
            }
        }
        // A heredoc: the lines after the instruction, up to its delimiter.
        let last = parts.last().cloned().unwrap_or(first.clone());
        if let Some(delimiter) = shell::heredoc_delimiter(&src[first.start..last.end]) {
            let start = lines.get(n).map_or(src.len(), |l| l.start);
            let mut end = start;
            while n < lines.len() {
                let body = lines[n].clone();
                n += 1;
                if src[body.clone()].trim() == delimiter {
                    break;
                }
                end = body.end;
            }
            shell::text_of_unknown_format(src, start..end, &[], out);
        }
    }
}

/// `ENV A=1 B="two words"` or the legacy `ENV NAME the rest of the line`.
fn env(src: &str, args: &[Range<usize>], out: &mut Out) {
    let Some(first) = args.first() else { return };
    let text = src[first.clone()].trim_start();
    let name_len = text
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(text.len());
    let legacy = !text[name_len..].starts_with('=') && name_len > 0;
    if legacy {
        let name_at = first.end - text.len();
        let value_start = name_at + name_len;
        let last = args.last().map_or(first.end, |a| a.end);
        let value = src[value_start..last].trim();
        if value.is_empty() {
            return;
        }
        let start = value_start + src[value_start..last].find(value).unwrap_or(0);
        let range = shell::unquote(src, start..start + value.len());
        let mut slot = Slot::new(vec![text[..name_len].to_owned()], range);
        slot.how = How::ImageEnv;
        out.push(slot);
        return;
    }
    for part in args {
        let before = out.slots.len();
        shell::assignments(src, part.clone(), &[], out);
        for slot in &mut out.slots[before..] {
            slot.how = How::ImageEnv;
        }
    }
}
