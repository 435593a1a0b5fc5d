//! HCL: Terraform (`*.tf`, `*.tfvars`), Nomad job files (`*.nomad`, `*.hcl`). Blocks
//! (`resource "a" "b" {`, `env {`), attributes (`name = "value"`), maps (`variables = {`),
//! heredocs (read as text of unknown format). A variable's `default` is the variable's
//! value; an `env { name = .. value = .. }` block is one variable. Only quoted strings are
//! values: anything else is an expression (`var.jwt_secret`, `random_password.jwt.result`).
//! Line-based and tolerant, like the other readers.

use super::shell::{self, LineIter};
use super::{Out, PairKey, Slot, flow, with};
use crate::names::is_key_like;
use std::ops::Range;

/// An open block or map: its keys, and a `name`/`value` pair seen in it.
struct Block {
    keys: Vec<String>,
    /// `variable "NAME" {`: its `default` is NAME's value.
    variable: bool,
    pair_name: Option<String>,
    pair_value: Option<Range<usize>>,
}

/// Reads `src[range]` as HCL.
pub(crate) fn scan(src: &str, range: Range<usize>, parents: &[String], out: &mut Out) {
    let lines: Vec<Range<usize>> = LineIter::new(src, range).collect();
    let mut stack: Vec<Block> = Vec::new();
    let keys = |stack: &[Block]| {
        stack
            .last()
            .map_or_else(|| parents.to_vec(), |b| b.keys.clone())
    };
    let mut n = 0;
    while n < lines.len() {
        let line = lines[n].clone();
        n += 1;
        let text = &src[line.clone()];
        let content = text.trim();
        let at = line.start + (text.len() - text.trim_start().len());
        if content.starts_with("/*") {
            while n < lines.len() && !src[lines[n - 1].clone()].contains("*/") {
                n += 1;
            }
            continue;
        }
        if content.is_empty() || content.starts_with('#') || content.starts_with("//") {
            continue;
        }
        if content.starts_with('}') {
            if let Some(block) = stack.pop()
                && let (Some(name), Some(value)) = (block.pair_name, block.pair_value)
            {
                out.push(Slot::new(with(&keys(&stack), &name), value));
            }
            continue;
        }
        // `name = value`
        let eq = content.find('=');
        let name = eq.map_or("", |eq| content[..eq].trim().trim_matches('"'));
        if let Some(eq) = eq
            && is_key_like(name)
        {
            let value = content[eq + 1..].trim_start();
            let v = at + eq + 1 + (content[eq + 1..].len() - value.len());
            if value.starts_with('{') && !value.contains('}') {
                stack.push(block(with(&keys(&stack), name), false));
            } else if value.starts_with('{') {
                flow::read(src, v..line.end, &with(&keys(&stack), name), out);
            } else if let Some(delimiter) = value
                .strip_prefix("<<")
                .map(|d| d.trim_start_matches('-').trim())
            {
                let start = n;
                while n < lines.len() && src[lines[n].clone()].trim() != delimiter {
                    n += 1;
                }
                if let (Some(first), Some(last)) = (lines.get(start), lines[start..n].last()) {
                    shell::text_of_unknown_format(
                        src,
                        first.start..last.end,
                        &with(&keys(&stack), name),
                        out,
                    );
                }
                n += 1;
            } else if let Some(string) = quoted(value) {
                let value = v + 1..v + 1 + string.len();
                let top = stack.last_mut();
                match (top, PairKey::of(name)) {
                    (Some(top), Some(PairKey::Name)) => top.pair_name = Some(string.to_owned()),
                    (Some(top), Some(PairKey::Value)) => top.pair_value = Some(value),
                    (Some(top), None) if top.variable && name == "default" => {
                        out.push(Slot::new(top.keys.clone(), value));
                    }
                    _ => out.push(Slot::new(with(&keys(&stack), name), value)),
                }
            }
            continue;
        }
        // `type "label" "label" {`
        if let Some(head) = content.strip_suffix('{') {
            let words: Vec<&str> = head
                .split_whitespace()
                .map(|w| w.trim_matches('"'))
                .collect();
            let mut block_keys = keys(&stack);
            block_keys.extend(words.iter().map(|w| (*w).to_owned()));
            stack.push(block(block_keys, words.first() == Some(&"variable")));
        }
    }
}

fn block(keys: Vec<String>, variable: bool) -> Block {
    Block {
        keys,
        variable,
        pair_name: None,
        pair_value: None,
    }
}

/// The text of a value that is one quoted string (`"abc"`, maybe followed by a comment or
/// a comma), without its quotes; `None` for any other expression.
fn quoted(value: &str) -> Option<&str> {
    let body = value.strip_prefix('"')?;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(&body[..i]),
            _ => escaped = false,
        }
    }
    None
}
