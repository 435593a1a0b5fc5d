//! Human output: rustc-style diagnostics rendered with annotate-snippets, and a summary.

use super::{Finding, Report, Rule, Warning};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

impl Finding {
    /// The rustc-style diagnostic for this finding (plain text, no colours).
    pub fn render(&self) -> String {
        self.render_with(&Renderer::plain())
    }

    fn render_with(&self, renderer: &Renderer) -> String {
        let chars = |n: usize| {
            self.masked_line
                .char_indices()
                .nth(n)
                .map_or(self.masked_line.len(), |(i, _)| i)
        };
        let span = chars(self.highlight.start)..chars(self.highlight.end);
        let path = shown(&self.path);
        let title = format!("{} [{}]", self.rule.info().title, self.rule.as_str());
        let note = match crate::config::comment_syntax(&self.path) {
            Some(comment) => format!(
                "suppress with `{comment} jwt-guard: allow({}) <reason>` on this line or the line above",
                self.rule.as_str()
            ),
            None => "JSON has no comments: exclude the file (`--exclude`) or list a reviewed exception in jwt-guard.toml".to_owned(),
        };
        let mut group = Level::ERROR.primary_title(title).element(
            Snippet::source(self.masked_line.as_str())
                .line_start(self.line)
                .path(path)
                .annotation(
                    AnnotationKind::Primary
                        .span(span)
                        .label(self.message.as_str()),
                ),
        );
        group = group.element(Level::HELP.message(self.rule.info().fix));
        if self.rule != Rule::InvalidSuppression {
            group = group.element(Level::NOTE.message(note));
        }
        renderer.render(&[group])
    }
}

impl Warning {
    /// `error: cannot scan <path>: <message>`.
    pub fn render(&self) -> String {
        self.render_with(&Renderer::plain())
    }

    fn render_with(&self, renderer: &Renderer) -> String {
        let title = format!("cannot scan {}: {}", shown(&self.path), self.message);
        renderer.render(&[Group::with_title(Level::ERROR.primary_title(title))])
    }
}

impl Report {
    /// Every finding and warning, rendered like rustc's diagnostics, then [`Report::summary`].
    pub fn render_human(&self) -> String {
        self.render_human_with(&Renderer::plain())
    }

    /// [`Report::render_human`] with rustc's terminal colours (ANSI escapes).
    pub fn render_human_styled(&self) -> String {
        self.render_human_with(&Renderer::styled())
    }

    fn render_human_with(&self, renderer: &Renderer) -> String {
        let mut out = String::new();
        for finding in &self.findings {
            out.push_str(&finding.render_with(renderer));
            out.push_str("\n\n");
        }
        for warning in &self.warnings {
            out.push_str(&warning.render_with(renderer));
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
