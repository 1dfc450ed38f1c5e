//! Splitting a content file into its `+++` TOML front matter and its Markdown body,
//! and turning TOML errors into diagnostics that point at the offending line.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, SourceFile, suggestion};

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

/// Parses the TOML at `range` of a file. Spans in the error are made relative to the file.
pub fn parse_toml<T: DeserializeOwned>(file: &SourceFile, range: Range<usize>) -> Result<T, Diagnostic> {
    toml::from_str(&file.text[range.clone()]).map_err(|error| {
        let span = error
            .span()
            .map_or(range.start..range.start, |span| range.start + span.start..range.start + span.end);
        let message = error.message().trim_end().to_owned();
        let help = help_for(&message);
        Diagnostic::at(file, span, message).with_help(help)
    })
}

/// What to do about a TOML or serde message.
fn help_for(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if (message.starts_with("unknown field") || message.starts_with("unknown variant"))
        && let Some((word, expected)) = quoted.split_first()
    {
        return match suggestion(word, expected.iter().copied()).strip_prefix(": ") {
            Some(did_you_mean) => did_you_mean.to_owned(),
            None => format!("allowed here: {}", expected.join(", ")),
        };
    }
    if let (true, Some(field)) = (message.starts_with("missing field"), quoted.first()) {
        return format!("add the field `{field}` to the front matter");
    }
    if message.ends_with(crate::load::meta::UNSAFE_LINK) {
        return crate::load::meta::LINK_HELP.to_owned();
    }
    if message == crate::load::meta::INVISIBLE_ONLY {
        return "write visible text between the quotes (text copied from a PDF or a web page can bring characters that show as nothing)".to_owned();
    }
    if message == "the text is empty" {
        return "write the text between the quotes".to_owned();
    }
    if message.contains("date") || message.contains("datetime") {
        return "write a date as year-month-day without quotes, such as 2018-10-31".to_owned();
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        return "check the value's kind in docs/content-model.md: text goes in quotes, numbers and dates without, lists in [ ]"
            .to_owned();
    }
    "the front matter is TOML: one `key = value` a line, text in quotes (\"…\", or '…' when the text has \" in it), [[positions]] before each position".to_owned()
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

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        weight: Option<i64>,
    }

    #[test]
    fn unknown_field_gets_a_suggestion_and_a_line() {
        let file = file("+++\ntitle = \"A\"\nwieght = 2\n+++\n");
        let parts = split(&file).unwrap();
        let error = parse_toml::<Meta>(&file, parts.front_matter).unwrap_err();
        assert!(error.to_string().starts_with("content/x.md:3:1: unknown field `wieght`"), "{error}");
        assert_eq!(error.help_text(), Some("did you mean `weight`?"));
    }

    #[test]
    fn every_toml_problem_says_what_to_do() {
        for front_matter in ["title = 1\n", "title = \"A\"\nweight = \"x\"\n", "title = \"A\n", "wieght = 1\n"] {
            let file = file(&format!("+++\n{front_matter}+++\n"));
            let parts = split(&file).unwrap();
            let error = parse_toml::<Meta>(&file, parts.front_matter).unwrap_err();
            assert!(error.help_text().is_some_and(|help| !help.is_empty()), "{error}");
        }
    }
}
