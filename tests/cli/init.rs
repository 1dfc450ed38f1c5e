//! `remiss init`: a new site that builds at once, and never over an existing one.

use std::path::Path;

use crate::support::{Site, files_below};

/// The ids (file stems) of the Markdown files in a folder, `_index.md` aside.
fn ids_in(folder: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()))
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
        .filter_map(|path| path.file_stem().map(|stem| stem.to_string_lossy().into_owned()))
        .filter(|stem| stem != "_index")
        .collect();
    ids.sort();
    ids
}

#[test]
fn init_creates_a_site_that_builds_and_checks() {
    let folder = Site::empty();
    let output = folder.succeed(&["init", "ny"]);
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let created = files_below(&folder.path("ny"));
    assert!(created.contains_key("config.toml") && created.contains_key("content/_index.md"), "{:?}", created.keys());
    assert_eq!(
        stdout,
        format!(
            "Created a consultation site in ny ({} files).\nBuild it with: remiss build --root ny\n",
            created.len()
        )
    );

    let built = folder.build(&["--root", "ny", "--output-dir", "ny/public"]);
    for page in [
        "index.html",
        "forslag/index.html",
        "remissvar/index.html",
        "aktuellt/index.html",
        "404.html",
        "data/positions.json",
    ] {
        assert!(built.has(page), "no {page}");
    }
    let mut proposals = Vec::new();
    for area in std::fs::read_dir(folder.path("ny/content/proposals")).expect("proposals") {
        proposals.extend(ids_in(&area.expect("an area").path()));
    }
    let statements = ids_in(&folder.path("ny/content/statements"));
    assert!(
        !proposals.is_empty() && !statements.is_empty(),
        "the scaffold shows at least one proposal and one statement"
    );
    for proposal in &proposals {
        assert!(built.has(&format!("forslag/{proposal}/index.html")), "no page for the proposal {proposal}");
    }
    for statement in &statements {
        assert!(built.has(&format!("remissvar/{statement}/index.html")), "no page for the statement {statement}");
    }
    let summary = format!("({} proposals, {} statements, ", proposals.len(), statements.len());
    assert!(built.stdout.contains(&summary), "{}", built.stdout);

    folder.succeed(&["check", "--root", "ny"]);
}

#[test]
fn init_fills_an_empty_folder() {
    let site = Site::empty();
    site.succeed(&["init", "."]);
    site.succeed(&["check"]);
}

#[test]
fn init_refuses_a_folder_that_holds_a_site() {
    let site = Site::basic();
    let before = files_below(site.root());
    let output = site.remiss(&["init", "."]).output().expect("remiss runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: . already holds a site (it has config.toml); choose an empty folder\n"
    );
    assert!(files_below(site.root()) == before, "init changed the site");

    // A content/ folder alone is a site too.
    let half = Site::empty();
    half.write("content/om.md", "+++\ntitle = \"Om\"\n+++\n");
    let output = half.remiss(&["init", "."]).output().expect("remiss runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: . already holds a site (it has content); choose an empty folder\n"
    );
    assert!(!half.path("config.toml").exists());
}
