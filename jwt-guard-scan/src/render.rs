//! Human output: rustc-style diagnostics, and a summary.
//!
//! Drawn here rather than with annotate-snippets, the renderer of rustc's format, which is
//! kept as this module's test oracle: the build guard compiles this crate into every build
//! script that uses it, and annotate-snippets with anstyle was a large part of its cold
//! build (bench/README.md). A finding is one span with one label, so the format needs
//! little of a general renderer: for lines of up to [`WIDTH`] columns the output is byte
//! for byte what annotate-snippets draws. Wider lines are shown around the highlight.

use std::ops::Range;

use unicode_width::UnicodeWidthChar;

use super::{Finding, Report, Rule, Warning};

/// Source lines wider than this many columns are cut to a window around the highlight.
const WIDTH: usize = 140;

/// rustc's terminal colours: bold bright red for the error and its marks, bold bright blue
/// for the gutter.
const RED: &str = "\x1b[1m\x1b[91m";
const BLUE: &str = "\x1b[1m\x1b[94m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Plain text, or with rustc's terminal colours (ANSI escapes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paint {
    Plain,
    Styled,
}

impl Paint {
    fn push(self, out: &mut String, style: &str, text: &str) {
        if self == Paint::Styled {
            out.push_str(style);
            out.push_str(text);
            out.push_str(RESET);
        } else {
            out.push_str(text);
        }
    }

    /// `error: <title>`; a title over several lines continues under its first line.
    fn title(self, out: &mut String, title: &str) {
        self.push(out, RED, "error");
        for (i, line) in printable(title).split('\n').enumerate() {
            if i == 0 {
                self.push(out, BOLD, &format!(": {line}"));
            } else {
                out.push_str("\n       ");
                self.push(out, BOLD, line);
            }
        }
    }
}

impl Finding {
    /// The rustc-style diagnostic for this finding (plain text, no colours).
    pub fn render(&self) -> String {
        self.render_with(Paint::Plain)
    }

    fn render_with(&self, paint: Paint) -> String {
        let title = format!("{} [{}]", self.rule.info().title, self.rule.as_str());
        let note = match crate::config::comment_syntax(&self.path) {
            Some(comment) => format!(
                "suppress with `{comment} jwt-guard: allow({}) <reason>` on this line or the line above",
                self.rule.as_str()
            ),
            None => "JSON has no comments: exclude the file (`--exclude`) or list a reviewed exception in jwt-guard.toml".to_owned(),
        };
        let lines = Lines::of(&self.masked_line, &self.highlight);
        let last_number = self.line + lines.end.line;
        let gutter = Gutter {
            width: last_number.to_string().len(),
            paint,
        };
        let mut out = String::new();
        paint.title(&mut out, &title);
        out.push('\n');
        out.push_str(&" ".repeat(gutter.width));
        paint.push(&mut out, BLUE, "--> ");
        out.push_str(&format!(
            "{}:{}:{}\n",
            shown(&self.path),
            self.line + lines.start.line,
            self.column
        ));
        gutter.blank(&mut out);
        out.push('\n');
        lines.draw(&mut out, &gutter, self.line, &printable(&self.message));
        gutter.blank(&mut out);
        gutter.note(&mut out, "help", self.rule.info().fix);
        if self.rule != Rule::InvalidSuppression {
            gutter.note(&mut out, "note", &note);
        }
        out
    }
}

/// The gutter left of the source: line numbers, `|`, and `=` before a help or note.
struct Gutter {
    width: usize,
    paint: Paint,
}

impl Gutter {
    fn blank(&self, out: &mut String) {
        out.push_str(&" ".repeat(self.width + 1));
        self.paint.push(out, BLUE, "|");
    }

    fn numbered(&self, out: &mut String, number: usize) {
        self.paint
            .push(out, BLUE, &format!("{number:>width$}", width = self.width));
        out.push(' ');
        self.paint.push(out, BLUE, "|");
    }

    /// The row standing for source lines left out of a long span.
    fn elided(&self, out: &mut String) {
        self.paint.push(out, BLUE, "...");
        out.push_str(&" ".repeat(self.width.saturating_sub(1)));
    }

    fn note(&self, out: &mut String, kind: &str, message: &str) {
        out.push('\n');
        out.push_str(&" ".repeat(self.width + 1));
        self.paint.push(out, BLUE, "= ");
        self.paint.push(out, BOLD, kind);
        out.push_str(": ");
        out.push_str(&printable(message));
    }
}

/// A position in the masked source: line (0-based, within it) and character.
#[derive(Debug, Clone, Copy)]
struct At {
    line: usize,
    char: usize,
}

/// The masked source cut into lines, and where the highlight starts and ends in them.
struct Lines<'a> {
    lines: Vec<&'a str>,
    start: At,
    end: At,
}

impl<'a> Lines<'a> {
    /// `highlight` counts characters of `text`, line breaks included.
    fn of(text: &'a str, highlight: &Range<usize>) -> Lines<'a> {
        let text = text.strip_suffix('\n').unwrap_or(text);
        let lines: Vec<&str> = text
            .split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line))
            .collect();
        let at = |wanted: usize| {
            let mut before = 0;
            for (i, line) in text.split('\n').enumerate() {
                let chars = line.chars().count();
                if wanted <= before + chars {
                    return At {
                        line: i,
                        char: wanted - before,
                    };
                }
                before += chars + 1;
            }
            let line = lines.len() - 1;
            At {
                line,
                char: lines[line].chars().count(),
            }
        };
        let start = at(highlight.start);
        let end = at(highlight.end.max(highlight.start));
        Lines { lines, start, end }
    }

    fn draw(&self, out: &mut String, gutter: &Gutter, first_number: usize, label: &str) {
        let paint = gutter.paint;
        let (start, end) = (self.start, self.end);
        let text = |out: &mut String, line: usize, window: &Window| {
            let shown = window.text(self.lines[line]);
            if !shown.is_empty() {
                out.push(' ');
                out.push_str(&shown);
            }
        };
        if start.line == end.line {
            let cells = Cells::of(self.lines[start.line]);
            let (from, to) = (cells.at(start.char), cells.at(end.char));
            let window = Window::around(cells.width(), from..to.max(from + 1));
            gutter.numbered(out, first_number + start.line);
            text(out, start.line, &window);
            out.push('\n');
            gutter.blank(out);
            out.push(' ');
            out.push_str(&" ".repeat(window.column(from)));
            let carets = window.column(to).saturating_sub(window.column(from)).max(1);
            paint.push(out, RED, &"^".repeat(carets));
            out.push(' ');
            paint.push(out, RED, label);
            out.push('\n');
            return;
        }
        // A span over several lines: a bar joins its start to its end, as rustc draws it.
        let first = Cells::of(self.lines[start.line]);
        let from = first.at(start.char);
        let first_window = Window::around(first.width(), from..from + 1);
        // As annotate-snippets decides it: the shown line's first characters, as many as
        // the start's column, are blank (a zero-width one counts for nothing).
        let opens_line = printable(self.lines[start.line])
            .chars()
            .take(from)
            .all(char::is_whitespace);
        gutter.numbered(out, first_number + start.line);
        out.push(' ');
        if opens_line {
            paint.push(out, RED, "/");
        } else {
            out.push(' ');
        }
        text(out, start.line, &first_window);
        out.push('\n');
        if !opens_line {
            gutter.blank(out);
            out.push(' ');
            let column = first_window.column(from);
            paint.push(out, RED, &format!(" {}^", "_".repeat(column + 1)));
            out.push('\n');
        }
        let drawn = self.drawn_lines();
        let mut previous = start.line;
        for &line in &drawn[1..] {
            if line - previous > 2 {
                gutter.elided(out);
                out.push(' ');
                paint.push(out, RED, "|");
                out.push('\n');
            }
            let from = if line - previous == 2 {
                previous + 1
            } else {
                line
            };
            for line in from..=line {
                let cells = Cells::of(self.lines[line]);
                let focus = if line == end.line {
                    let to = cells.at(end.char);
                    to.saturating_sub(1)..to.max(1)
                } else {
                    0..1
                };
                gutter.numbered(out, first_number + line);
                out.push(' ');
                paint.push(out, RED, "|");
                text(out, line, &Window::around(cells.width(), focus));
                out.push('\n');
            }
            previous = line;
        }
        let last = Cells::of(self.lines[end.line]);
        let to = last.at(end.char);
        let last_column = to.saturating_sub(1);
        let window = Window::around(last.width(), last_column..last_column + 1);
        gutter.blank(out);
        out.push(' ');
        paint.push(
            out,
            RED,
            &format!("|{}^", "_".repeat(window.column(last_column) + 1)),
        );
        out.push(' ');
        paint.push(out, RED, label);
        out.push('\n');
    }

    /// The lines of a span over several lines that are drawn, as rustc picks them: its
    /// first line, up to three more down to the last that holds more than blanks, a lone
    /// bracket or a comment, the line before its last when the one before that does, and
    /// its last. A gap of one line is drawn too; a longer one is `...`.
    fn drawn_lines(&self) -> Vec<usize> {
        let (start, end) = (self.start.line, self.end.line);
        let telling = |line: usize| {
            let text = self.lines[line].trim();
            let comment =
                text.starts_with("//") && !text.starts_with("///") && !text.starts_with("//!");
            !comment && !["", "{", "}", "(", ")", "[", "]"].contains(&text)
        };
        let middle = (start + 4).min(end);
        let until = (start..middle)
            .rev()
            .find(|&line| telling(line))
            .map_or(start, |line| line + 1);
        let mut drawn: Vec<usize> = (start..until.max(start + 1)).collect();
        if middle + 1 < end && telling(end - 1) {
            drawn.push(end - 1);
        }
        drawn.push(end);
        drawn
    }
}

/// The terminal columns of one source line as shown: where each character starts.
struct Cells {
    /// `starts[i]`: the column where character `i` starts; one more entry for the end.
    starts: Vec<usize>,
}

impl Cells {
    fn of(line: &str) -> Cells {
        let mut starts = Vec::with_capacity(line.len() + 1);
        let mut column = 0;
        for c in line.chars() {
            starts.push(column);
            column += shown_char(c).map_or(0, |(_, width)| width);
        }
        starts.push(column);
        Cells { starts }
    }

    /// The column where character `char` starts (the line's end past its last).
    fn at(&self, char: usize) -> usize {
        self.starts[char.min(self.starts.len() - 1)]
    }

    fn width(&self) -> usize {
        self.starts[self.starts.len() - 1]
    }
}

/// The columns of a line that are shown: all of it, or for a line wider than [`WIDTH`]
/// a window around the highlight, with `...` where it is cut.
struct Window {
    from: usize,
    to: usize,
    width: usize,
}

impl Window {
    const MARK: &'static str = "...";
    /// Columns of text in a cut line: room for the gutter, both marks, and a short label.
    const ROOM: usize = WIDTH - 40;
    /// Columns shown before a highlight too long for the window.
    const LEAD: usize = 10;

    fn around(width: usize, focus: Range<usize>) -> Window {
        if width <= WIDTH {
            return Window {
                from: 0,
                to: width,
                width,
            };
        }
        let focus_width = focus.end.saturating_sub(focus.start);
        let from = if focus_width <= Self::ROOM {
            let slack = (Self::ROOM - focus_width) / 2;
            focus.start.saturating_sub(slack).min(width - Self::ROOM)
        } else {
            focus.start.saturating_sub(Self::LEAD)
        };
        // Cutting a few columns off the start would show `...` for no room gained.
        let from = if from <= Self::LEAD { 0 } else { from };
        Window {
            from,
            to: (from + Self::ROOM).min(width),
            width,
        }
    }

    /// Where column `column` of the line is drawn, past a leading `...` if the line is cut.
    fn column(&self, column: usize) -> usize {
        let mark = if self.from > 0 { Self::MARK.len() } else { 0 };
        mark + column.clamp(self.from, self.to) - self.from
    }

    fn text(&self, line: &str) -> String {
        let mut out = String::new();
        if self.from > 0 {
            out.push_str(Self::MARK);
        }
        let mut column = 0;
        for c in line.chars() {
            let Some((shown, width)) = shown_char(c) else {
                continue;
            };
            if column >= self.from && column + width <= self.to {
                out.push_str(&shown);
            }
            column += width;
        }
        if self.to < self.width {
            out.push_str(Self::MARK);
        }
        out
    }
}

/// How a character of a source line is drawn, and its width in columns; `None` for one
/// that is dropped. A tab is four spaces; a control character is shown as its Unicode
/// picture (`␛`, `␍`) or `�`, and so is a bidirectional override, so no line of the
/// source can move the cursor, restyle the terminal or reorder the text around it.
fn shown_char(c: char) -> Option<(String, usize)> {
    match c {
        '\t' => Some(("    ".to_owned(), 4)),
        '\u{200d}' => None,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => Some(('\u{fffd}'.to_string(), 1)),
        '\0'..='\x1f' => char::from_u32(0x2400 + u32::from(c)).map(|p| (p.to_string(), 1)),
        '\x7f' => Some(('\u{2421}'.to_string(), 1)),
        c if c.is_control() => Some(('\u{fffd}'.to_string(), 1)),
        c => Some((c.to_string(), c.width().unwrap_or(0))),
    }
}

/// `text` with every character as [`shown_char`] draws it, line breaks kept.
fn printable(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some("\n".to_owned()),
            c => shown_char(c).map(|(shown, _)| shown),
        })
        .collect()
}

impl Warning {
    /// `error: cannot scan <path>: <message>`.
    pub fn render(&self) -> String {
        self.render_with(Paint::Plain)
    }

    fn render_with(&self, paint: Paint) -> String {
        let mut out = String::new();
        paint.title(
            &mut out,
            &format!("cannot scan {}: {}", shown(&self.path), self.message),
        );
        out
    }
}

impl Report {
    /// Every finding and warning, rendered like rustc's diagnostics, then [`Report::summary`].
    pub fn render_human(&self) -> String {
        self.render_human_with(Paint::Plain)
    }

    /// [`Report::render_human`] with rustc's terminal colours (ANSI escapes).
    pub fn render_human_styled(&self) -> String {
        self.render_human_with(Paint::Styled)
    }

    fn render_human_with(&self, paint: Paint) -> String {
        let mut out = String::new();
        for finding in &self.findings {
            out.push_str(&finding.render_with(paint));
            out.push_str("\n\n");
        }
        for warning in &self.warnings {
            out.push_str(&warning.render_with(paint));
            out.push('\n');
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// `jwt-guard: 12 files scanned, 1 finding, 0 suppressed, 0 errors` (an error is a file
    /// that could not be scanned).
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "jwt-guard: {} scanned, {}, {} suppressed, {}",
            plural(self.files_scanned, "file"),
            plural(self.findings.len(), "finding"),
            self.suppressed,
            plural(self.warnings.len(), "error"),
        )
    }
}

/// A path as a terminal may show it: control characters (a line break, an ANSI escape)
/// are escaped, so a file name can neither forge an output line nor restyle the screen.
pub fn shown(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    if !text.chars().any(char::is_control) {
        return text;
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
