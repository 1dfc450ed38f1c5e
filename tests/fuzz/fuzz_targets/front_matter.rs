//! Arbitrary bytes as a content file: the front matter is split off and parsed as every
//! kind of front matter, directly and through `load_file` at every place a content file
//! can lie. Errors are expected; a panic is a bug. Every error is also rendered the way
//! the command line shows it (a span that points outside the file would panic there).
#![no_main]

use libfuzzer_sys::fuzz_target;
use remiss::diagnostic::{Diagnostic, SourceFile, render_report};
use remiss::load::front_matter::{parse_toml_reporting_all, split};
use remiss::load::meta::{AreaMeta, ConsultationMeta, PageMeta, ProposalMeta, StatementMeta, UpdateMeta};
use remiss::load::{Entry, load_file};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Every place a content file can lie, one per kind of file.
const PLACES: [&str; 6] = [
    "content/_index.md",
    "content/proposals/omrade/_index.md",
    "content/proposals/omrade/forslag.md",
    "content/statements/instans.md",
    "content/updates/nyhet.md",
    "content/sida.md",
];

fn parse_as<M: DeserializeOwned>(file: &SourceFile) {
    let Ok(parts) = split(file) else { return };
    assert!(parts.front_matter.start <= parts.front_matter.end && parts.front_matter.end <= file.text.len());
    assert!(parts.body.start <= parts.body.end && parts.body.end <= file.text.len());
    assert!(file.text.is_char_boundary(parts.body.start) && file.text.is_char_boundary(parts.front_matter.end));
    if let Err(problems) = parse_toml_reporting_all::<M>(file, parts.front_matter) {
        assert!(!problems.is_empty(), "a failed parse with no problem");
        problems.into_iter().for_each(report);
    }
}

fn report(problem: Diagnostic) {
    let _ = problem.to_string();
    let _ = render_report(&[problem]);
}

fuzz_target!(|data: &[u8]| {
    // Directly, on text.
    if let Ok(text) = std::str::from_utf8(data) {
        let file = SourceFile::new("content/statements/instans.md", text);
        if let Err(problem) = split(&file) {
            report(problem);
        }
        parse_as::<ConsultationMeta>(&file);
        parse_as::<AreaMeta>(&file);
        parse_as::<ProposalMeta>(&file);
        parse_as::<StatementMeta>(&file);
        parse_as::<UpdateMeta>(&file);
        parse_as::<PageMeta>(&file);
    }
    // As files on disk (bytes, so invalid UTF-8, a byte-order mark and NULs are read too).
    let root = remiss_fuzz::scratch().join("front_matter");
    for place in PLACES {
        remiss_fuzz::write(&root, place, data);
        match load_file(&root, Path::new(place)) {
            Ok(Entry::Statement(statement)) => {
                assert_eq!(statement.quotes.len(), statement.document.meta.positions.len());
                let _ = statement.document.body();
            }
            Ok(_) => {}
            Err(unreadable) => unreadable.problems.into_iter().for_each(report),
        }
        std::fs::remove_file(root.join(place)).expect("scratch file");
    }
});
