//! A hand-written Rust lexer over bytes: tokens are spans into the source, never copies.
//!
//! It follows rustc's own lexer (`rustc_lexer`; the Rust Reference's lexical chapters are
//! the spec), and a differential test holds it to that on the registry cache and on mutated
//! inputs (`lexer/oracle_tests.rs`): a leading byte order mark is not part of the first
//! token, a shebang line is skipped, every Pattern_White_Space character is whitespace, and
//! literals, lifetimes, numbers and comments end where rustc ends them. One simplification,
//! on purpose: with no Unicode tables, every non-ASCII character that is not whitespace
//! counts as an identifier character (rustc takes only XID characters and rejects a file
//! holding any other outside literals and comments, so no compiling file differs).
//!
//! It is forgiving: anything it does not understand becomes a [`Kind::Punct`] or
//! [`Kind::Unknown`] token; an unterminated string or comment runs to the end of the file
//! and is reported through [`Lexed::problem`]. It never panics, whatever the bytes, and
//! never looks back, so it is linear in its input.

use crate::search;

/// What a token is. Literal kinds keep their prefix so the rules can tell `b"x"` from `"x"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An identifier or keyword, `r#raw` identifiers included, and a literal's suffix
    /// (`"x"suffix`: rustc keeps it in the literal token; here it is an identifier after it).
    Ident,
    /// `'a`, `'static`, `'r#raw`.
    Lifetime,
    /// `"..."`
    Str,
    /// `b"..."`
    ByteStr,
    /// `r"..."`, `r#"..."#`
    RawStr,
    /// `br"..."`, `br#"..."#`
    RawByteStr,
    /// `c"..."`, `cr"..."`, `cr#"..."#`
    CStr,
    /// `'x'`
    Char,
    /// `b'x'`
    Byte,
    /// `123`, `0x7f_u8`, `1.5e3`, `1.`
    Number,
    /// One byte of punctuation (multi-byte operators are adjacent tokens).
    Punct,
    /// What rustc lexes as one invalid token: a raw-string prefix whose hashes are not
    /// followed by a quote (`r##x`, `br#1`), up to and including the offending character.
    Unknown,
    LineComment,
    BlockComment,
}

impl Kind {
    /// A string-like literal that can carry a secret.
    pub(crate) fn is_string(self) -> bool {
        matches!(
            self,
            Kind::Str | Kind::ByteStr | Kind::RawStr | Kind::RawByteStr | Kind::CStr
        )
    }
}

/// A token: a byte span of the source and the 1-based line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) line: u32,
}

impl Token {
    pub(crate) fn text<'s>(&self, src: &'s [u8]) -> &'s [u8] {
        src.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

/// The output of [`lex`]: code tokens and comments apart (comments only matter for suppressions).
#[derive(Debug, Default)]
pub(crate) struct Lexed {
    pub(crate) tokens: Vec<Token>,
    pub(crate) comments: Vec<Token>,
    /// The first problem met (unterminated literal or comment), with its line.
    pub(crate) problem: Option<(u32, &'static str)>,
}

/// Tokenizes `src`. Sources over 4 GiB are cut (callers enforce a far smaller size limit).
pub(crate) fn lex(src: &[u8]) -> Lexed {
    let src = &src[..src.len().min(u32::MAX as usize)];
    let mut lx = Lexer {
        src,
        pos: code_start(src),
        line: 1,
        out: Lexed {
            tokens: Vec::with_capacity(src.len() / 5),
            ..Lexed::default()
        },
    };
    lx.run();
    lx.out
}

/// Where the tokens start: after a leading byte order mark (rustc removes it before
/// lexing) and after a shebang line. A shebang is a first line starting with `#!` whose
/// next token, past whitespace and comments that are not doc comments, is not `[`
/// (`#![attr]`, `#! [attr]`, `#!/* c */[attr]` open an inner attribute).
fn code_start(src: &[u8]) -> usize {
    let start = if src.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let rest = &src[start..];
    if !rest.starts_with(b"#!") || first_after_trivia(rest, 2) == Some(b'[') {
        return start;
    }
    start + search::memchr(b'\n', rest).unwrap_or(rest.len())
}

/// The first byte at or after `i` that is not whitespace or part of a comment that is not
/// a doc comment (`//!`, `///` but not `////`, `/*!`, `/**` but not `/**/` or `/***`).
fn first_after_trivia(src: &[u8], mut i: usize) -> Option<u8> {
    let at = |i: usize| src.get(i).copied().unwrap_or(0);
    loop {
        let ws = whitespace_len(src, i);
        if ws > 0 {
            i += ws;
        } else if at(i) == b'/' && at(i + 1) == b'/' {
            if at(i + 2) == b'!' || (at(i + 2) == b'/' && at(i + 3) != b'/') {
                return Some(b'/');
            }
            i = search::memchr(b'\n', &src[i..]).map_or(src.len(), |n| i + n);
        } else if at(i) == b'/' && at(i + 1) == b'*' {
            if at(i + 2) == b'!' || (at(i + 2) == b'*' && !matches!(at(i + 3), b'*' | b'/')) {
                return Some(b'/');
            }
            i = block_comment_end(src, i).0;
        } else {
            return src.get(i).copied();
        }
    }
}

/// The length of the Pattern_White_Space character at `i`, or 0: tab, line feed, vertical
/// tab, form feed, carriage return, space, U+0085, U+200E, U+200F, U+2028, U+2029.
fn whitespace_len(src: &[u8], i: usize) -> usize {
    match src.get(i..).unwrap_or_default() {
        [b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ', ..] => 1,
        [0xC2, 0x85, ..] => 2,
        [0xE2, 0x80, 0x8E | 0x8F | 0xA8 | 0xA9, ..] => 3,
        _ => 0,
    }
}

/// The end of the block comment opening at `i` (nested comments included), the lines it
/// spans, and whether it is terminated (if not, it ends with the source).
fn block_comment_end(src: &[u8], i: usize) -> (usize, u32, bool) {
    let mut pos = i + 2;
    let mut depth = 1usize;
    let mut lines = 0;
    while let Some(n) = search::memchr3(b'/', b'*', b'\n', src.get(pos..).unwrap_or_default()) {
        let p = pos + n;
        match (src[p], src.get(p + 1).copied().unwrap_or(0)) {
            (b'\n', _) => {
                lines += 1;
                pos = p + 1;
            }
            (b'/', b'*') => {
                depth += 1;
                pos = p + 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                pos = p + 2;
                if depth == 0 {
                    return (pos, lines, true);
                }
            }
            _ => pos = p + 1,
        }
    }
    (src.len(), lines, false)
}

struct Lexer<'s> {
    src: &'s [u8],
    pos: usize,
    line: u32,
    out: Lexed,
}

impl Lexer<'_> {
    fn at(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    /// True when an identifier can start at `i`: `_`, an ASCII letter, or a non-ASCII
    /// character that is not whitespace.
    fn ident_start(&self, i: usize) -> bool {
        let b = self.at(i);
        b.is_ascii_alphabetic() || b == b'_' || (b >= 0x80 && whitespace_len(self.src, i) == 0)
    }

    /// The end of the identifier characters from `i` on. Non-ASCII characters are taken
    /// byte by byte: whitespace starts with a lead byte, never a continuation byte.
    fn ident_end(&self, mut i: usize) -> usize {
        while let Some(&b) = self.src.get(i) {
            if b.is_ascii_alphanumeric()
                || b == b'_'
                || (b >= 0x80 && whitespace_len(self.src, i) == 0)
            {
                i += 1;
            } else {
                break;
            }
        }
        i
    }

    /// The width of the character at `i` (1 for ASCII and for bytes that are not valid
    /// UTF-8): the lead byte and the continuation bytes that follow it.
    fn char_width(&self, i: usize) -> usize {
        let want = match self.at(i) {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return 1,
        };
        1 + (1..want)
            .take_while(|&k| matches!(self.at(i + k), 0x80..=0xBF))
            .count()
    }

    fn push(&mut self, kind: Kind, start: usize, line: u32) {
        let tok = Token {
            kind,
            start: start as u32,
            end: self.pos as u32,
            line,
        };
        if matches!(kind, Kind::LineComment | Kind::BlockComment) {
            self.out.comments.push(tok);
        } else {
            self.out.tokens.push(tok);
        }
    }

    fn problem(&mut self, line: u32, what: &'static str) {
        if self.out.problem.is_none() {
            self.out.problem = Some((line, what));
        }
    }

    fn run(&mut self) {
        while self.pos < self.src.len() {
            let b = self.src[self.pos];
            let start = self.pos;
            let line = self.line;
            match b {
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\r' | 0x0B | 0x0C => self.pos += 1,
                b'/' if self.at(start + 1) == b'/' => {
                    self.pos = search::memchr(b'\n', &self.src[start..])
                        .map_or(self.src.len(), |i| start + i);
                    self.push(Kind::LineComment, start, line);
                }
                b'/' if self.at(start + 1) == b'*' => {
                    let (end, lines, terminated) = block_comment_end(self.src, start);
                    self.pos = end;
                    self.line += lines;
                    if !terminated {
                        self.problem(line, "unterminated block comment");
                    }
                    self.push(Kind::BlockComment, start, line);
                }
                b'"' => {
                    self.pos += 1;
                    self.double_quoted(Kind::Str, start, line);
                }
                b'\'' => self.quote(),
                b'0'..=b'9' => {
                    self.number();
                    self.push(Kind::Number, start, line);
                }
                b'r' | b'b' | b'c' => self.prefixed(),
                0x80.. => match whitespace_len(self.src, start) {
                    0 => self.ident(),
                    n => self.pos += n,
                },
                _ if b.is_ascii_alphabetic() || b == b'_' => self.ident(),
                _ => {
                    self.pos += 1;
                    self.push(Kind::Punct, start, line);
                }
            }
        }
    }

    fn ident(&mut self) {
        let start = self.pos;
        self.pos = self.ident_end(start + 1);
        self.push(Kind::Ident, start, self.line);
    }

    /// A literal's suffix (`"x"suffix`, `'c'u8`): a plain identifier, no prefix read into it.
    fn suffix(&mut self) {
        if self.ident_start(self.pos) {
            self.ident();
        }
    }

    /// A quoted body up to and including the closing `"`, then the literal and its suffix.
    /// `pos` is just after the opening quote.
    fn double_quoted(&mut self, kind: Kind, start: usize, line: u32) {
        while let Some(i) = search::memchr3(b'"', b'\\', b'\n', &self.src[self.pos..]) {
            let p = self.pos + i;
            match self.src[p] {
                b'\n' => {
                    self.line += 1;
                    self.pos = p + 1;
                }
                b'\\' => {
                    // An escaped newline still counts as a line.
                    if self.at(p + 1) == b'\n' {
                        self.line += 1;
                    }
                    self.pos = (p + 2).min(self.src.len());
                }
                _ => {
                    self.pos = p + 1;
                    self.push(kind, start, line);
                    return self.suffix();
                }
            }
        }
        self.pos = self.src.len();
        self.problem(line, "unterminated literal");
        self.push(kind, start, line);
    }

    /// A char or byte body, `pos` just after the opening `'`. As in rustc, an unterminated
    /// one ends before a `/` or a line break (so it cannot swallow the code after it), and
    /// lexing goes on from there. True when terminated.
    fn single_quoted(&mut self) -> bool {
        let first = self.pos;
        let after = first + self.char_width(first);
        if first < self.src.len() && self.at(first) != b'\\' && self.at(after) == b'\'' {
            if self.at(first) == b'\n' {
                self.line += 1;
            }
            self.pos = after + 1;
            return true;
        }
        while let Some(&b) = self.src.get(self.pos) {
            match b {
                b'\'' => {
                    self.pos += 1;
                    return true;
                }
                b'/' => return false,
                b'\n' if self.at(self.pos + 1) != b'\'' => return false,
                b'\\' => {
                    if self.at(self.pos + 1) == b'\n' {
                        self.line += 1;
                    }
                    self.pos = (self.pos + 2).min(self.src.len());
                }
                _ => {
                    if b == b'\n' {
                        self.line += 1;
                    }
                    self.pos += 1;
                }
            }
        }
        false
    }

    /// `'a'`, `'\n'`, `'\u{1F600}'` are chars; `'a`, `'static` and `'r#a` are lifetimes or
    /// labels; `'ab'` is an (invalid) char, as in rustc.
    fn quote(&mut self) {
        let start = self.pos;
        let line = self.line;
        let first = start + 1;
        let second = first + self.char_width(first);
        let c1 = self.at(first);
        let lifetime = self.at(second) != b'\''
            && (self.ident_start(first) || (c1.is_ascii_digit() && first < self.src.len()));
        if !lifetime {
            self.pos = first;
            let terminated = self.single_quoted();
            self.push(Kind::Char, start, line);
            if terminated {
                self.suffix();
            }
            return;
        }
        if c1 == b'r' && self.at(first + 1) == b'#' && self.ident_start(first + 2) {
            self.pos = self.ident_end(first + 2);
            return self.push(Kind::Lifetime, start, line);
        }
        self.pos = self.ident_end(second);
        if self.at(self.pos) == b'\'' {
            self.pos += 1;
            return self.push(Kind::Char, start, line);
        }
        self.push(Kind::Lifetime, start, line);
    }

    /// At `r`, `b` or `c`: a raw identifier, a prefixed literal, or an identifier.
    fn prefixed(&mut self) {
        let start = self.pos;
        let line = self.line;
        let b0 = self.src[start];
        let b1 = self.at(start + 1);
        match (b0, b1) {
            (b'r', b'#') if self.ident_start(start + 2) => {
                self.pos = self.ident_end(start + 2);
                self.push(Kind::Ident, start, line);
            }
            (b'r', b'#' | b'"') => {
                self.pos += 1;
                self.raw(Kind::RawStr, start, line);
            }
            (b'b', b'\'') => {
                self.pos += 2;
                let terminated = self.single_quoted();
                self.push(Kind::Byte, start, line);
                if terminated {
                    self.suffix();
                }
            }
            (b'b' | b'c', b'"') => {
                self.pos += 2;
                let kind = if b0 == b'b' {
                    Kind::ByteStr
                } else {
                    Kind::CStr
                };
                self.double_quoted(kind, start, line);
            }
            (b'b' | b'c', b'r') if matches!(self.at(start + 2), b'#' | b'"') => {
                self.pos += 2;
                let kind = if b0 == b'b' {
                    Kind::RawByteStr
                } else {
                    Kind::CStr
                };
                self.raw(kind, start, line);
            }
            _ => self.ident(),
        }
    }

    /// A raw string from its hashes (`pos` just after the `r`). Hashes not followed by a
    /// quote make one [`Kind::Unknown`] token up to the offending character, as in rustc.
    fn raw(&mut self, kind: Kind, start: usize, line: u32) {
        let hashes = self.src[self.pos..]
            .iter()
            .take_while(|&&b| b == b'#')
            .count();
        self.pos += hashes;
        if self.at(self.pos) != b'"' {
            if self.pos < self.src.len() {
                if self.src[self.pos] == b'\n' {
                    self.line += 1;
                }
                self.pos += self.char_width(self.pos);
            }
            return self.push(Kind::Unknown, start, line);
        }
        self.pos += 1;
        while let Some(i) = search::memchr2(b'"', b'\n', &self.src[self.pos..]) {
            let p = self.pos + i;
            self.pos = p + 1;
            if self.src[p] == b'\n' {
                self.line += 1;
            } else if self.src[p + 1..]
                .iter()
                .take(hashes)
                .take_while(|&&b| b == b'#')
                .count()
                == hashes
            {
                self.pos += hashes;
                self.push(kind, start, line);
                return self.suffix();
            }
        }
        self.pos = self.src.len();
        self.problem(line, "unterminated raw string");
        self.push(kind, start, line);
    }

    /// A number as rustc reads one: `0b`/`0o`/`0x` and digits, then a fraction (`1.5`,
    /// `1.`, but not `1..2`, `1.max()`), an exponent (`1e-3`), and an identifier suffix.
    fn number(&mut self) {
        let first = self.src[self.pos];
        self.pos += 1;
        let mut digits = true;
        if first == b'0' {
            match self.at(self.pos) {
                b'b' | b'o' => {
                    self.pos += 1;
                    digits = self.digits(false);
                }
                b'x' => {
                    self.pos += 1;
                    digits = self.digits(true);
                }
                b'0'..=b'9' | b'_' => {
                    self.digits(false);
                }
                b'.' | b'e' | b'E' => {}
                _ => digits = false,
            }
        } else {
            self.digits(false);
        }
        if digits {
            match self.at(self.pos) {
                b'.' if self.at(self.pos + 1) != b'.' && !self.ident_start(self.pos + 1) => {
                    self.pos += 1;
                    if self.at(self.pos).is_ascii_digit() {
                        self.digits(false);
                        if matches!(self.at(self.pos), b'e' | b'E') {
                            self.pos += 1;
                            self.exponent();
                        }
                    }
                }
                b'e' | b'E' => {
                    self.pos += 1;
                    self.exponent();
                }
                _ => {}
            }
        }
        if self.ident_start(self.pos) {
            self.pos = self.ident_end(self.pos);
        }
    }

    /// Digits and underscores (hexadecimal digits with `hex`); true if there was a digit.
    fn digits(&mut self, hex: bool) -> bool {
        let mut any = false;
        loop {
            match self.at(self.pos) {
                b'_' => {}
                b'0'..=b'9' => any = true,
                b'a'..=b'f' | b'A'..=b'F' if hex => any = true,
                _ => return any,
            }
            self.pos += 1;
        }
    }

    fn exponent(&mut self) {
        if matches!(self.at(self.pos), b'+' | b'-') {
            self.pos += 1;
        }
        self.digits(false);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, String)> {
        let lexed = lex(src.as_bytes());
        lexed
            .tokens
            .iter()
            .map(|t| {
                (
                    t.kind,
                    String::from_utf8_lossy(t.text(src.as_bytes())).into_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn literal_kinds_are_told_apart() {
        let src = r####"a "s\"x" b"b" r#"r"#raw br##"x"#"## c"c" cr"x" 'c' b'\'' '\u{1F600}' 'a 'static 0x7f_u8 1.5e-3 1..2 r#type"####;
        let got = kinds(src);
        let want = [
            (Kind::Ident, "a"),
            (Kind::Str, r#""s\"x""#),
            (Kind::ByteStr, r#"b"b""#),
            (Kind::RawStr, r##"r#"r"#"##),
            (Kind::Ident, "raw"),
            (Kind::RawByteStr, r####"br##"x"#"##"####),
            (Kind::CStr, r#"c"c""#),
            (Kind::CStr, r#"cr"x""#),
            (Kind::Char, "'c'"),
            (Kind::Byte, r"b'\''"),
            (Kind::Char, r"'\u{1F600}'"),
            (Kind::Lifetime, "'a"),
            (Kind::Lifetime, "'static"),
            (Kind::Number, "0x7f_u8"),
            (Kind::Number, "1.5e-3"),
            (Kind::Number, "1"),
            (Kind::Punct, "."),
            (Kind::Punct, "."),
            (Kind::Number, "2"),
            (Kind::Ident, "r#type"),
        ];
        let want: Vec<(Kind, String)> = want.iter().map(|(k, s)| (*k, s.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn comments_are_kept_apart_and_nest() {
        let src = "a /* x /* y */ z */ b // c\n/// doc\nd";
        let lexed = lex(src.as_bytes());
        let toks: Vec<_> = lexed
            .tokens
            .iter()
            .map(|t| t.text(src.as_bytes()))
            .collect();
        assert_eq!(toks, [b"a".as_slice(), b"b", b"d"]);
        assert_eq!(lexed.comments.len(), 3);
        assert_eq!(lexed.tokens[2].line, 3);
        assert!(lexed.problem.is_none());
    }

    #[test]
    fn lines_count_through_multiline_literals() {
        let src = "\"a\nb\" r#\"\n\n\"# x";
        let lexed = lex(src.as_bytes());
        assert_eq!(lexed.tokens.last().unwrap().line, 4);
    }

    /// The tokens of `src` as `(kind, text)`, comments left out.
    fn texts(src: &str) -> Vec<(Kind, &str)> {
        lex(src.as_bytes())
            .tokens
            .iter()
            .map(|t| (t.kind, &src[t.start as usize..t.end as usize]))
            .collect()
    }

    const PATTERN_WHITE_SPACE: [&str; 11] = [
        "\t", "\n", "\u{b}", "\u{c}", "\r", " ", "\u{85}", "\u{200e}", "\u{200f}", "\u{2028}",
        "\u{2029}",
    ];

    #[test]
    fn every_pattern_white_space_character_is_whitespace() {
        for ws in PATTERN_WHITE_SPACE {
            for (src, want) in [
                (
                    format!("a{ws}b"),
                    vec![(Kind::Ident, "a"), (Kind::Ident, "b")],
                ),
                (
                    format!("é{ws}ü"),
                    vec![(Kind::Ident, "é"), (Kind::Ident, "ü")],
                ),
                (
                    format!("1.{ws}x"),
                    vec![(Kind::Number, "1."), (Kind::Ident, "x")],
                ),
                (
                    format!("'a{ws}'b"),
                    vec![(Kind::Lifetime, "'a"), (Kind::Lifetime, "'b")],
                ),
                (
                    format!("\"s\"{ws}x"),
                    vec![(Kind::Str, "\"s\""), (Kind::Ident, "x")],
                ),
                (
                    format!("={ws}\"s\""),
                    vec![(Kind::Punct, "="), (Kind::Str, "\"s\"")],
                ),
            ] {
                assert_eq!(texts(&src), want, "{src:?}");
            }
            // Only a line feed starts a line (rustc numbers lines the same way).
            let lexed = lex(format!("a{ws}b").as_bytes());
            assert_eq!(lexed.tokens[1].line, if ws == "\n" { 2 } else { 1 });
        }
    }

    #[test]
    fn look_alike_spaces_are_not_whitespace() {
        // Not Pattern_White_Space: rustc rejects them outside literals, so no compiling file
        // holds one there; here they stay identifier characters (no Unicode tables).
        for c in ["\u{a0}", "\u{200b}", "\u{3000}", "\u{feff}"] {
            let src = format!("a{c}b");
            assert_eq!(texts(&src), [(Kind::Ident, src.as_str())]);
        }
    }

    #[test]
    fn a_leading_byte_order_mark_is_skipped() {
        let src = "\u{feff}const X";
        assert_eq!(texts(src), [(Kind::Ident, "const"), (Kind::Ident, "X")]);
        assert_eq!(lex(src.as_bytes()).tokens[0].start, 3);
        // Only one, and only at the start.
        assert_eq!(texts("\u{feff}\u{feff}x"), [(Kind::Ident, "\u{feff}x")]);
        assert_eq!(
            texts("x \u{feff}y"),
            [(Kind::Ident, "x"), (Kind::Ident, "\u{feff}y")]
        );
    }

    #[test]
    fn shebang_lines_are_told_from_inner_attributes() {
        let shebang = [
            "#!/usr/bin/env run-cargo-script\nx",
            "#!\nx",
            "#!",
            "#! x",
            "#!x [",
            "#!/// doc\n[",
            "#!//! doc\n[",
            "#!/** doc */[",
            "#!/*! doc */[",
            "#! /* a */ /// doc\n[",
            "#!/* unterminated\n[",
            "\u{feff}#!/bin/x\nx",
            "\u{feff}#!",
        ];
        for src in shebang {
            let lexed = lex(src.as_bytes());
            let first_line = src.find('\n').unwrap_or(src.len());
            assert!(
                lexed
                    .tokens
                    .iter()
                    .chain(&lexed.comments)
                    .all(|t| t.start as usize > first_line),
                "{src:?} is a shebang"
            );
        }
        let attribute = [
            "#![a]",
            "#! [a]",
            "#!\n[a]",
            "#!\u{c}[a]",
            "#!\u{2028}[a]",
            "#!// c\n[a]",
            "#!//// c\n[a]",
            "#!/* c */[a]",
            "#!/* a /* b */ c */[a]",
            "#!/**/[a]",
            "#!/***/[a]",
            "#!/* a */ // b\n\t[a]",
            "\u{feff}#![a]",
            " #!/x",
            "x #!/y",
        ];
        for src in attribute {
            let toks = texts(src);
            assert!(toks.contains(&(Kind::Punct, "#")), "{src:?}: {toks:?}");
            assert!(toks.contains(&(Kind::Punct, "!")), "{src:?}: {toks:?}");
        }
    }

    #[test]
    fn chars_and_lifetimes_as_rustc_reads_them() {
        for (src, want) in [
            ("'ab'", vec![(Kind::Char, "'ab'")]),
            ("'1'", vec![(Kind::Char, "'1'")]),
            ("'12'", vec![(Kind::Char, "'12'")]),
            ("'1a", vec![(Kind::Lifetime, "'1a")]),
            ("'r#a", vec![(Kind::Lifetime, "'r#a")]),
            ("'r#", vec![(Kind::Lifetime, "'r"), (Kind::Punct, "#")]),
            ("'a#", vec![(Kind::Lifetime, "'a"), (Kind::Punct, "#")]),
            ("'''", vec![(Kind::Char, "'''")]),
            ("'\\''", vec![(Kind::Char, "'\\''")]),
            ("'é'", vec![(Kind::Char, "'é'")]),
            ("'é", vec![(Kind::Lifetime, "'é")]),
            ("'\n'", vec![(Kind::Char, "'\n'")]),
            // A suffix is an identifier after the literal.
            ("'c'u8", vec![(Kind::Char, "'c'"), (Kind::Ident, "u8")]),
            ("b'c'x", vec![(Kind::Byte, "b'c'"), (Kind::Ident, "x")]),
            // Unterminated: ends before `/` or a line break, and lexing goes on.
            (
                "'\\n;\n\"s\"",
                vec![(Kind::Char, "'\\n;"), (Kind::Str, "\"s\"")],
            ),
            (
                "b'ab // c\n\"s\"",
                vec![(Kind::Byte, "b'ab "), (Kind::Str, "\"s\"")],
            ),
            ("' '", vec![(Kind::Char, "' '")]),
            ("'", vec![(Kind::Char, "'")]),
        ] {
            assert_eq!(texts(src), want, "{src:?}");
        }
        // The line of what follows counts the line break a char holds.
        let lexed = lex(b"'\n' x");
        assert_eq!(lexed.tokens[1].line, 2);
    }

    #[test]
    fn numbers_as_rustc_reads_them() {
        for (src, want) in [
            ("1.", vec![(Kind::Number, "1.")]),
            ("0.;", vec![(Kind::Number, "0."), (Kind::Punct, ";")]),
            (
                "1.76.0",
                vec![
                    (Kind::Number, "1.76"),
                    (Kind::Punct, "."),
                    (Kind::Number, "0"),
                ],
            ),
            // An exponent sign only after `e` of a decimal mantissa, not of a suffix.
            ("1e+x", vec![(Kind::Number, "1e+x")]),
            (
                "1usize-x",
                vec![
                    (Kind::Number, "1usize"),
                    (Kind::Punct, "-"),
                    (Kind::Ident, "x"),
                ],
            ),
            ("0b1e+5", vec![(Kind::Number, "0b1e+5")]),
            (
                "0x1e+5",
                vec![
                    (Kind::Number, "0x1e"),
                    (Kind::Punct, "+"),
                    (Kind::Number, "5"),
                ],
            ),
            ("0x1.5", vec![(Kind::Number, "0x1.5")]),
            ("1.5e-3f64", vec![(Kind::Number, "1.5e-3f64")]),
            (
                "1.5.x",
                vec![
                    (Kind::Number, "1.5"),
                    (Kind::Punct, "."),
                    (Kind::Ident, "x"),
                ],
            ),
            (
                "2.max",
                vec![
                    (Kind::Number, "2"),
                    (Kind::Punct, "."),
                    (Kind::Ident, "max"),
                ],
            ),
            (
                "1._x",
                vec![(Kind::Number, "1"), (Kind::Punct, "."), (Kind::Ident, "_x")],
            ),
            ("0xg", vec![(Kind::Number, "0xg")]),
            ("1é", vec![(Kind::Number, "1é")]),
            (
                "t.0.1",
                vec![
                    (Kind::Ident, "t"),
                    (Kind::Punct, "."),
                    (Kind::Number, "0.1"),
                ],
            ),
        ] {
            assert_eq!(texts(src), want, "{src:?}");
        }
    }

    #[test]
    fn string_suffixes_and_raw_strings_as_rustc_reads_them() {
        for (src, want) in [
            (
                "\"a\"b\"c\"",
                vec![
                    (Kind::Str, "\"a\""),
                    (Kind::Ident, "b"),
                    (Kind::Str, "\"c\""),
                ],
            ),
            (
                "r\"a\"c\"d\"",
                vec![
                    (Kind::RawStr, "r\"a\""),
                    (Kind::Ident, "c"),
                    (Kind::Str, "\"d\""),
                ],
            ),
            ("r##x", vec![(Kind::Unknown, "r##x")]),
            ("br#1 y", vec![(Kind::Unknown, "br#1"), (Kind::Ident, "y")]),
            ("cr#", vec![(Kind::Unknown, "cr#")]),
            ("r#", vec![(Kind::Unknown, "r#")]),
            ("br", vec![(Kind::Ident, "br")]),
            ("rb\"x\"", vec![(Kind::Ident, "rb"), (Kind::Str, "\"x\"")]),
            ("c'x'", vec![(Kind::Ident, "c"), (Kind::Char, "'x'")]),
            (
                "k#x",
                vec![(Kind::Ident, "k"), (Kind::Punct, "#"), (Kind::Ident, "x")],
            ),
            (
                "#\"x\"#",
                vec![(Kind::Punct, "#"), (Kind::Str, "\"x\""), (Kind::Punct, "#")],
            ),
            ("cr##\"a\"#\"##", vec![(Kind::CStr, "cr##\"a\"#\"##")]),
        ] {
            assert_eq!(texts(src), want, "{src:?}");
        }
        // No limit of 255 hashes here (rustc lexes the whole literal, then rejects it).
        let hashes = "#".repeat(300);
        let src = format!("r{hashes}\"a\"#\"{hashes} x");
        assert_eq!(
            texts(&src),
            [(Kind::RawStr, &src[..src.len() - 2]), (Kind::Ident, "x")]
        );
    }

    #[test]
    fn adversarial_inputs_stay_linear() {
        // Each would be quadratic in a lexer that rescans after a failed guess.
        let n = 200_000;
        let inputs = [
            "'".repeat(n),
            "r#".repeat(n),
            "'a".repeat(n),
            "\"".repeat(n),
            "r".to_string() + &"#".repeat(n),
            "r".to_string() + &"#".repeat(n) + "\"" + &"\"#".repeat(n),
            "#!".to_string() + &"/**/".repeat(n),
            "/*".repeat(n),
            "1e+".repeat(n),
            "b'\\".repeat(n),
            "\u{2028}".repeat(n),
        ];
        let started = std::time::Instant::now();
        for input in &inputs {
            let lexed = lex(input.as_bytes());
            assert!(lexed.tokens.len() <= input.len());
        }
        // Linear: a few milliseconds each; quadratic would take minutes.
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn unterminated_things_are_reported_not_panicked_on() {
        for src in [
            "\"abc",
            "r#\"abc\"",
            "/* a /* b */",
            "b'",
            "'",
            "r#",
            "br",
            "0x",
            "'\\",
        ] {
            let lexed = lex(src.as_bytes());
            assert!(
                lexed.tokens.iter().all(|t| t.end as usize <= src.len()),
                "{src}"
            );
        }
        assert_eq!(lex(b"x \"abc").problem, Some((1, "unterminated literal")));
        assert_eq!(
            lex(b"/* a").problem,
            Some((1, "unterminated block comment"))
        );
    }
}

// Spelled out so the bench, which compiles this file in by its path, finds it too.
#[cfg(test)]
#[path = "lexer/oracle_tests.rs"]
mod oracle_tests;
