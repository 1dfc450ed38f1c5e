//! Splitting a content file into its `+++` TOML front matter and its Markdown body; the
//! TOML itself is read by [`crate::parse`].

use std::ops::Range;

use crate::diagnostic::{Diagnostic, SourceFile};

pub use crate::parse::{parse_toml, parse_toml_reporting_all};

/// Where the front matter's TOML and the Markdown body lie in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    pub front_matter: Range<usize>,
    pub body: Range<usize>,
}

const FENCE: &str = "+++";

/// Finds the `+++` fences. The opening fence must be the file's first line.
pub fn split(file: &SourceFile) -> Result<Parts, Diagnostic> {
    let text = &*file.text;
    let mut lines = line_ranges(text);
    let opening_is_fence = lines.next().is_some_and(|line| is_fence(&text[line]));
    if !opening_is_fence {
        return Err(Diagnostic::at(file, 0..text.find('\n').unwrap_or(text.len()), "missing front matter")
            .with_help("a content file starts with a line `+++`, then TOML fields such as `title = \"…\"`, then another `+++` line, then the Markdown text"));
    }
    let front_start = text.find('\n').map_or(text.len(), |i| i + 1);
    for line in lines {
        if is_fence(&text[line.clone()]) {
            let body_start = text[line.end..].find('\n').map_or(text.len(), |i| line.end + i + 1);
            return Ok(Parts { front_matter: front_start..line.start, body: body_start..text.len() });
        }
    }
    Err(Diagnostic::at(file, 0..FENCE.len(), "the front matter is never closed")
        .with_help("end the front matter with a line holding only `+++`"))
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == FENCE
}

/// The byte ranges of the lines, without their line endings.
fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = start..end;
        start = end + 1;
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/x.md", text)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let file = file("+++\ntitle = \"A\"\n+++\nBody\n");
        let parts = split(&file).unwrap();
        assert_eq!(&file.text[parts.front_matter], "title = \"A\"\n");
        assert_eq!(&file.text[parts.body], "Body\n");
    }

    #[test]
    fn accepts_crlf_line_endings() {
        let file = file("+++\r\ntitle = \"A\"\r\n+++\r\nBody\r\n");
        let parts = split(&file).unwrap();
        assert_eq!(&file.text[parts.body], "Body\r\n");
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert_eq!(split(&file("Body")).unwrap_err().message(), "missing front matter");
        assert_eq!(
            split(&file("+++\ntitle = 1\n")).unwrap_err().message(),
            "the front matter is never closed"
        );
    }
}
