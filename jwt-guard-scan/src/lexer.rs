//! A hand-written Rust lexer over bytes: tokens are spans into the source, never copies.
//! As in rustc, a leading byte order mark is not part of the first token, a shebang line
//! is not code, and every Pattern_White_Space character is whitespace. With no Unicode
//! tables, every other non-ASCII character counts as an identifier character (rustc
//! takes only XID ones and rejects a file holding any other outside literals and
//! comments, so no compiling file differs).
//!
//! It is deliberately forgiving: anything it does not understand becomes a one-byte
//! [`Kind::Punct`] token, an unterminated literal or comment runs to the end of the file
//! and is reported through [`Lexed::problem`]. It never panics, whatever the bytes.

/// What a token is. Literal kinds keep their prefix so the rules can tell `b"x"` from `"x"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Ident,
    Lifetime,
    /// `"..."`
    Str,
    /// `b"..."`
    ByteStr,
    /// `r"..."`, `r#"..."#`
    RawStr,
    /// `br"..."`, `br#"..."#`
    RawByteStr,
    /// `c"..."`, `cr"..."`
    CStr,
    /// `'x'`
    Char,
    /// `b'x'`
    Byte,
    /// `123`, `0x7f_u8`, `1.5e3`
    Number,
    /// One byte of punctuation (multi-byte operators are adjacent tokens).
    Punct,
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
    start + memchr::memchr(b'\n', rest).unwrap_or(rest.len())
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
            i = memchr::memchr(b'\n', &src[i..]).map_or(src.len(), |n| i + n);
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
    while let Some(n) = memchr::memchr3(b'/', b'*', b'\n', src.get(pos..).unwrap_or_default()) {
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
                    self.pos = memchr::memchr(b'\n', &self.src[start..])
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
                    self.quoted(b'"', line);
                    self.push(Kind::Str, start, line);
                }
                b'\'' => self.quote_or_lifetime(),
                b'0'..=b'9' => {
                    self.number();
                    self.push(Kind::Number, start, line);
                }
                0x80.. if whitespace_len(self.src, start) > 0 => {
                    self.pos += whitespace_len(self.src, start);
                }
                _ if self.ident_start(start) => self.ident_or_prefixed(),
                _ => {
                    self.pos += 1;
                    self.push(Kind::Punct, start, line);
                }
            }
        }
    }

    /// Consumes a quoted body up to and including `close`, honouring backslash escapes.
    /// `pos` is just after the opening quote.
    fn quoted(&mut self, close: u8, line: u32) {
        while self.pos < self.src.len() {
            match memchr::memchr3(close, b'\\', b'\n', &self.src[self.pos..]) {
                None => break,
                Some(i) => {
                    let p = self.pos + i;
                    let b = self.src[p];
                    if b == b'\n' {
                        self.line += 1;
                        self.pos = p + 1;
                    } else if b == b'\\' {
                        // An escaped newline still counts as a line.
                        if self.at(p + 1) == b'\n' {
                            self.line += 1;
                        }
                        self.pos = (p + 2).min(self.src.len());
                    } else {
                        self.pos = p + 1;
                        return;
                    }
                }
            }
        }
        self.pos = self.src.len();
        self.problem(line, "unterminated literal");
    }

    /// A raw string body: `pos` is at the first `#` or `"` after the `r`.
    fn raw(&mut self, line: u32) {
        let hashes = self.src[self.pos..]
            .iter()
            .take_while(|&&b| b == b'#')
            .count();
        self.pos += hashes + 1; // the hashes and the opening quote (checked by the caller)
        while self.pos < self.src.len() {
            match memchr::memchr2(b'"', b'\n', &self.src[self.pos..]) {
                None => break,
                Some(i) => {
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
                        return;
                    }
                }
            }
        }
        self.pos = self.src.len();
        self.problem(line, "unterminated raw string");
    }

    /// True when a raw string starts at `i` (`#`* then `"`).
    fn raw_starts_at(&self, i: usize) -> bool {
        let hashes = self
            .src
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| b == b'#')
            .count();
        self.at(i + hashes) == b'"' && hashes < 256
    }

    fn ident_or_prefixed(&mut self) {
        let start = self.pos;
        let line = self.line;
        let b0 = self.src[start];
        let b1 = self.at(start + 1);
        match (b0, b1) {
            (b'b', b'"') => {
                self.pos += 2;
                self.quoted(b'"', line);
                return self.push(Kind::ByteStr, start, line);
            }
            (b'c', b'"') => {
                self.pos += 2;
                self.quoted(b'"', line);
                return self.push(Kind::CStr, start, line);
            }
            (b'b', b'\'') => {
                self.pos += 2;
                self.quoted(b'\'', line);
                return self.push(Kind::Byte, start, line);
            }
            (b'r', b'"') | (b'r', b'#') if self.raw_starts_at(start + 1) => {
                self.pos += 1;
                self.raw(line);
                return self.push(Kind::RawStr, start, line);
            }
            (b'b', b'r') | (b'c', b'r') if self.raw_starts_at(start + 2) => {
                self.pos += 2;
                self.raw(line);
                let kind = if b0 == b'b' {
                    Kind::RawByteStr
                } else {
                    Kind::CStr
                };
                return self.push(kind, start, line);
            }
            (b'r', b'#') if self.ident_start(start + 2) => self.pos += 2, // raw identifier
            _ => {}
        }
        self.pos = self.ident_end(self.pos);
        self.push(Kind::Ident, start, line);
    }

    /// `'a'`, `'\n'`, `'\u{1F600}'` are chars; `'a` and `'static` are lifetimes or labels.
    fn quote_or_lifetime(&mut self) {
        let start = self.pos;
        let line = self.line;
        let next = self.at(start + 1);
        if next == b'\\' {
            self.pos += 1;
            self.quoted(b'\'', line);
            return self.push(Kind::Char, start, line);
        }
        // Length of the UTF-8 character after the quote.
        let width = match next {
            0xF0..=0xF7 => 4,
            0xE0..=0xEF => 3,
            0xC0..=0xDF => 2,
            _ => 1,
        };
        if next != b'\n' && next != 0 && self.at(start + 1 + width) == b'\'' {
            self.pos = start + 2 + width;
            return self.push(Kind::Char, start, line);
        }
        self.pos += 1;
        if self.ident_start(start + 1) {
            self.pos = self.ident_end(self.pos);
            return self.push(Kind::Lifetime, start, line);
        }
        self.push(Kind::Punct, start, line);
    }

    /// Digits, suffixes, a fraction (`1.5`, not `1..2` or `1.max()`) and an exponent sign.
    fn number(&mut self) {
        let hex = self.at(self.pos) == b'0' && matches!(self.at(self.pos + 1), b'x' | b'X');
        loop {
            let b = self.at(self.pos);
            if b.is_ascii_alphanumeric() || b == b'_' {
                self.pos += 1;
                if !hex && (b == b'e' || b == b'E') && matches!(self.at(self.pos), b'+' | b'-') {
                    self.pos += 1;
                }
            } else if b == b'.' && self.at(self.pos + 1).is_ascii_digit() && !hex {
                self.pos += 1;
            } else {
                break;
            }
        }
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
