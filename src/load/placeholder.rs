//! The `FYLL I` placeholders `remiss import` writes where it found no value. A draft may
//! keep them (each is listed as a warning, so `check` shows what is left to fill in);
//! a published statement may not: there each is an error at its line.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::vocabulary::PLACEHOLDER;

/// One problem for each front-matter line of `file` that holds a placeholder, a
/// warning when the statement is a draft.
pub fn check(file: &SourceFile, front_matter: Range<usize>, draft: bool) -> Vec<Diagnostic> {
    let text = &file.text[front_matter.clone()];
    let mut problems = Vec::new();
    let mut offset = front_matter.start;
    for line in text.split_inclusive('\n') {
        if let Some(at) = line.find(&format!("{PLACEHOLDER}:")) {
            let what = line[at..].trim_end().trim_end_matches(['"', ']', '\'']);
            let what = what.split(['"', '(']).next().unwrap_or(what).trim_end();
            let start = offset + at;
            let end = offset + line.trim_end().len();
            let problem = Diagnostic::at(file, start..end, format!("not filled in: `{what}`"));
            problems.push(if draft {
                problem
                    .with_help("remiss import found no value here: write it from the statement, or delete the line if the statement has none")
                    .as_warning()
            } else {
                problem.with_help("a published statement cannot hold a placeholder: write the value from the statement, or delete the line if it has none (or set `draft = true` until it is done)")
            });
        }
        offset += line.len();
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_is_a_warning_in_a_draft_and_an_error_when_published() {
        let text = "+++\ntitle = \"Socialnämnden\"\nreference = \"FYLL I: diarienummer\"  # not found\n# date = 2018-10-31  # FYLL I: beslutsdatum (not found)\n+++\nText\n";
        let file = SourceFile::new("content/statements/x.md", text);
        let front_matter = 4..text.rfind("+++").unwrap();
        let warnings = check(&file, front_matter.clone(), true);
        assert_eq!(warnings.len(), 2);
        assert!(warnings.iter().all(Diagnostic::is_warning));
        let errors = check(&file, front_matter, false);
        assert_eq!(errors[0].to_string(), "content/statements/x.md:3:14: not filled in: `FYLL I: diarienummer`");
        assert!(!errors[0].is_warning());
        assert_eq!(errors[1].message(), "not filled in: `FYLL I: beslutsdatum`");
    }
}
