//! Problems found in a site's files, reported to the editor who can fix them.
//!
//! A [`Diagnostic`] names the file, the line and column where there is one, what is
//! wrong and what to do about it. It implements [`miette::Diagnostic`], so the command
//! line shows the offending line with a caret under it.
//!
//! A diagnostic is an error unless made a [`Severity::Warning`] with
//! [`Diagnostic::as_warning`]: a warning is printed by `build` and `check` like an error
//! (file, line, help) but does not stop the build. Stages collect both kinds in one list;
//! [`has_errors`] decides whether the build goes on.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file's text, kept so that diagnostics can point into it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the editor knows it: relative to the site's root.
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> SourceFile {
        SourceFile { path: path.into(), text: text.into() }
    }

    /// The byte offset of a 1-based line and column (in characters).
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let line_start: usize = self.text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
        let rest = &self.text[line_start.min(self.text.len())..];
        line_start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i)
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        line_column(&self.text, offset)
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Whether a problem stops the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// The site is not built: the editor must fix it first.
    #[default]
    Error,
    /// The site is built, and the editor is told (e.g. something published that they
    /// may not have meant).
    Warning,
}

/// Whether any of the problems stops the build (the others are warnings).
pub fn has_errors(problems: &[Diagnostic]) -> bool {
    problems.iter().any(|problem| problem.severity == Severity::Error)
}

/// One problem in one file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    severity: Severity,
    path: PathBuf,
    /// 1-based line and column.
    location: Option<(usize, usize)>,
    snippet: Option<(miette::NamedSource<Arc<str>>, miette::SourceSpan)>,
    message: String,
    help: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (or directory), with no place inside it.
    pub fn in_file(path: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            location: None,
            snippet: None,
            message: message.into(),
            help: None,
        }
    }

    /// A problem at a byte range of a file.
    pub fn at(file: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let start = floor_char_boundary(&file.text, span.start.min(file.text.len()));
        let end = floor_char_boundary(&file.text, span.end.clamp(start, file.text.len()));
        let name = file.path.display().to_string();
        Diagnostic {
            severity: Severity::Error,
            path: file.path.clone(),
            location: Some(file.line_column(start)),
            snippet: Some((
                miette::NamedSource::new(name, file.text.clone()),
                (start..end).into(),
            )),
            message: message.into(),
            help: None,
        }
    }

    /// A problem at a known line and column, without the file's text at hand.
    pub fn at_line(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic { location: Some((line, column)), ..Diagnostic::in_file(path, message) }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Makes this problem a warning: reported, but the site is built.
    pub fn as_warning(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self
    }

    pub fn severity(&self) -> Severity {
        self.severity
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The 1-based line, where the problem has one.
    pub fn line(&self) -> Option<usize> {
        self.location.map(|(line, _)| line)
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// `path:line:column`, or the path alone.
    pub fn location(&self) -> String {
        match self.location {
            Some((line, column)) => format!("{}:{line}:{column}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    pub fn help_text(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Error => write!(f, "{}: {}", self.location(), self.message),
            Severity::Warning => write!(f, "{}: warning: {}", self.location(), self.message),
        }
    }
}

/// Every problem with the source line it points at (coloured on a terminal).
pub fn render_report(problems: &[Diagnostic]) -> String {
    use std::io::IsTerminal;
    let theme = if std::io::stderr().is_terminal() {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    // Unwrapped, so that each problem's headline stays one line to read or search.
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_wrap_lines(false);
    let mut text = String::new();
    for problem in problems {
        let _ = handler.render_report(&mut text, problem);
        text.push('\n');
    }
    text
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet.as_ref().map(|(source, _)| source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let (_, span) = self.snippet.as_ref()?;
        Some(Box::new(std::iter::once(miette::LabeledSpan::new_with_span(
            Some("here".to_owned()),
            *span,
        ))))
    }
}

/// The candidate closest to a misspelt word, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Formats " (did you mean `x`?)" or nothing.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates)
        .map(|candidate| format!(": did you mean `{candidate}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("a.md", "ett\nåtta ord\n");
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(4), (2, 1));
        // "åt" is three bytes; the column counts characters.
        assert_eq!(file.line_column(7), (2, 3));
        assert_eq!(file.offset(2, 3), 7);
        assert_eq!(file.offset(1, 1), 0);
    }

    #[test]
    fn display_names_file_line_and_column() {
        let file = SourceFile::new("content/x.md", "+++\ntitle = 1\n+++\n");
        let diagnostic = Diagnostic::at(&file, 12..13, "wrong type");
        assert_eq!(diagnostic.to_string(), "content/x.md:2:9: wrong type");
    }

    #[test]
    fn a_warning_says_so_and_does_not_stop_the_build() {
        let file = SourceFile::new("content/x.md", "+++\ntitle = 1\n+++\n");
        let warning = Diagnostic::at(&file, 12..13, "short quote").as_warning();
        assert_eq!(warning.to_string(), "content/x.md:2:9: warning: short quote");
        assert!(!has_errors(std::slice::from_ref(&warning)));
        assert!(has_errors(&[warning, Diagnostic::in_file("content/y.md", "broken")]));
        let report = render_report(&[Diagnostic::in_file("content/x.md", "short quote").as_warning()]);
        assert!(report.contains('⚠'), "{report}");
    }

    #[test]
    fn suggests_close_words_only() {
        let words = ["generella-statsbidrag", "konsultationsordning"];
        assert_eq!(did_you_mean("generela-statsbidrag", words), Some("generella-statsbidrag"));
        assert_eq!(did_you_mean("tillsyn", words), None);
    }
}
