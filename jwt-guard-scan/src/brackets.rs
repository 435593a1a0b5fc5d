//! Bracket matching over a token stream: a stage of its own, since both the test-code
//! stripping and the rules walk expressions by their brackets.

use super::lexer::{Kind, Token};

/// For every bracket token, the index of its partner (`usize::MAX` when unbalanced).
pub(crate) fn partners(src: &[u8], toks: &[Token]) -> Vec<usize> {
    let mut partner = vec![usize::MAX; toks.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != Kind::Punct {
            continue;
        }
        let b = src[t.start as usize];
        match b {
            b'(' | b'[' | b'{' => stack.push(i),
            b')' | b']' | b'}' => {
                let open = match b {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                // Unbalanced input: pop until the right kind, leaving the rest unmatched.
                while let Some(j) = stack.pop() {
                    if src[toks[j].start as usize] == open {
                        partner[j] = i;
                        partner[i] = j;
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    partner
}
