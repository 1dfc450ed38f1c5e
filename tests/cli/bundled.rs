//! The consultation bundled at the repository's root (config.toml + content/): it must
//! check clean, its counts must match its files, and every quote must be marked.

use std::path::{Path, PathBuf};

use crate::support::{Site, fold, has_class, marked_words, passage_blocks, quoted_passage, repository, squeezed, text, text_without_notes};

/// A content file's front matter, parsed.
fn front_matter(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let text = text.replace("\r\n", "\n");
    let rest = text.strip_prefix("+++\n").unwrap_or_else(|| panic!("{}: no front matter", path.display()));
    let end = rest.find("\n+++").unwrap_or_else(|| panic!("{}: the front matter is never closed", path.display()));
    toml::from_str(&rest[..end + 1]).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn is_draft(front_matter: &toml::Table) -> bool {
    front_matter.get("draft").and_then(toml::Value::as_bool) == Some(true)
}

fn markdown_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()))
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
        .collect();
    files.sort();
    files
}

/// A published statement of the bundled site: its id, its positions' (proposal, quote)
/// and its positions on areas (area, quote).
struct Statement {
    id: String,
    positions: Vec<(String, String)>,
    area_positions: Vec<(String, String)>,
}

/// A statement's tables of positions, as (what they are on, quote).
fn tables(front_matter: &toml::Table, name: &str, on: &str) -> Vec<(String, String)> {
    front_matter
        .get(name)
        .and_then(toml::Value::as_array)
        .map(|positions| {
            positions
                .iter()
                .map(|position| {
                    let field = |name: &str| position[name].as_str().expect("a string field").to_owned();
                    (field(on), field("quote"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn bundled_statements() -> Vec<Statement> {
    markdown_files(&repository().join("content/statements"))
        .into_iter()
        .map(|path| (path.file_stem().expect("a stem").to_string_lossy().into_owned(), front_matter(&path)))
        .filter(|(_, front_matter)| !is_draft(front_matter))
        .map(|(id, front_matter)| Statement {
            id,
            positions: tables(&front_matter, "positions", "proposal"),
            area_positions: tables(&front_matter, "area_positions", "area"),
        })
        .collect()
}

#[test]
fn bundled_site_checks_clean_with_counts_matching_its_files() {
    let content = repository().join("content");
    let mut proposals = 0;
    for area in std::fs::read_dir(content.join("proposals")).expect("content/proposals") {
        let area = area.expect("an area").path();
        if area.is_dir() {
            proposals += markdown_files(&area)
                .iter()
                .filter(|path| !path.ends_with("_index.md") && !is_draft(&front_matter(path)))
                .count();
        }
    }
    let statements = bundled_statements();
    let positions: usize = statements.iter().map(|statement| statement.positions.len()).sum();
    assert!(proposals > 0 && positions > 0);

    // Run from an empty folder, so that nothing can be written into the repository.
    let folder = Site::empty();
    let root = repository().to_str().expect("a UTF-8 path");
    let output = folder.succeed(&["check", "--root", root]);
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let counts = format!(" pages ({proposals} proposals, {} statements, {positions} positions) and ", statements.len());
    assert!(stdout.starts_with("Checked ") && stdout.contains(&counts), "expected{counts}got {stdout}");
    let mut lines = stdout.lines();
    assert!(lines.next().is_some_and(|summary| summary.ends_with(" ms: no problems")), "{stdout}");
    // The external links are listed (the site's sources at regeringen.se), not fetched.
    let external: Vec<&str> = lines.collect();
    assert!(!external.is_empty() && external.iter().all(|line| line.starts_with("  external, not fetched: https://")), "{stdout}");
}

/// The bundled site built from an empty folder (nothing is written into the repository).
pub fn build_bundled() -> crate::support::Built {
    let folder = Site::empty();
    let root = repository().to_str().expect("a UTF-8 path");
    let output = folder.path("public");
    folder.build(&["--root", root, "--output-dir", output.to_str().expect("a UTF-8 path")])
}

/// A statement's quotes, each with the anchor of its passage on the statement's page.
fn anchored_quotes(statement: &Statement) -> impl Iterator<Item = (String, &String)> + '_ {
    let anchors = statement.positions.iter().map(|(proposal, quote)| (format!("svar-{proposal}"), quote));
    let area_anchors = statement.area_positions.iter().map(|(area, quote)| (format!("svar-omradet-{area}"), quote));
    anchors.chain(area_anchors)
}

#[test]
fn bundled_site_marks_every_quote_on_its_statement_page() {
    let built = build_bundled();
    let mut checked = 0;
    for statement in bundled_statements() {
        let page = built.page(&format!("remissvar/{}/", statement.id));
        for (anchor, quote) in anchored_quotes(&statement) {
            let blocks = passage_blocks(quoted_passage(&page, &anchor));
            let passage: Vec<String> = blocks.iter().map(|block| text_without_notes(*block)).collect();
            assert!(
                passage.join(" ").contains(&fold(quote)),
                "{}: the passage marked {anchor} does not hold the quote.\nquote: {quote}\npassage: {passage:?}",
                page.file
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

#[test]
fn every_deep_link_of_the_bundled_site_lands_on_a_mark_holding_just_the_quote() {
    // Issue 14 §2: 32 of 47 deep links landed on a whole paragraph, up to seven lines.
    let built = build_bundled();
    let mut checked = 0;
    for statement in bundled_statements() {
        let page = built.page(&format!("remissvar/{}/", statement.id));
        for (anchor, quote) in anchored_quotes(&statement) {
            let target = page.by_id(&anchor).expect("the anchor");
            assert_eq!(target.value().name(), "mark", "{}: #{anchor} is not a mark: {}", page.file, target.html());
            assert!(has_class(target, "quote"));
            // A screen reader hears what the mark is before the quote.
            let label = target.first_child().and_then(scraper::ElementRef::wrap).filter(|label| has_class(*label, "visually-hidden")).map(text).unwrap_or_default();
            assert!(label.starts_with("Citerat i ställningstagandet till"), "{}: #{anchor} is labelled «{label}»", page.file);
            let words = marked_words(&page, &anchor);
            assert!(
                squeezed(quote).starts_with(&squeezed(&words[0])) && !words[0].trim().is_empty(),
                "{}: #{anchor} holds «{}», which does not start the quote «{quote}»",
                page.file,
                words[0]
            );
            assert_eq!(squeezed(&words.concat()), squeezed(quote), "{}: the marks of #{anchor} hold other words than the quote", page.file);
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} quotes");
}

#[test]
fn bundled_statements_feed_has_an_entry_for_every_published_statement() {
    // Regression: Luleå's protocol extract has no decision date and dropped out of the feed.
    let built = build_bundled();
    let feed = scraper::Html::parse_document(&built.text("remissvar/atom.xml"));
    let mut ids: Vec<String> =
        feed.select(&crate::support::selector("entry > id")).map(|id| id.text().collect::<String>()).collect();
    ids.sort();
    let base_url = front_matter_of_config()["base_url"].as_str().expect("a base_url").trim_end_matches('/').to_owned();
    let mut expected: Vec<String> =
        bundled_statements().iter().map(|statement| format!("{base_url}/remissvar/{}/", statement.id)).collect();
    expected.sort();
    assert_eq!(ids, expected);
}

fn front_matter_of_config() -> toml::Table {
    let text = std::fs::read_to_string(repository().join("config.toml")).expect("config.toml");
    toml::from_str(&text).expect("config.toml parses")
}
