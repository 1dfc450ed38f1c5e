//! The built site as a reader finds it: proposals with every body's position, deep links
//! into the statements, the overview table, drafts, sub-path base URLs, minified pages.

use std::collections::{BTreeMap, BTreeSet};

use scraper::ElementRef;

use crate::support::basic::{self, BODIES, HTML_PAGES, HTML_PAGES_WITH_DRAFTS, POSITIONS, PROPOSALS};
use crate::support::{
    Page, Site, fold, has_class, href, next_element, notes_after, one, passage_blocks, previous_element,
    marked_words, quoted_passage, select, spoken_text, squeezed, text, text_without_notes,
};

/// `stance → count` of a `ul.counts` list; `none` counts the bodies that did not answer.
fn counts(list: ElementRef<'_>) -> BTreeMap<String, usize> {
    select(list, "li")
        .into_iter()
        .map(|item| {
            let stance = one(item, ".stance");
            let class = stance
                .value()
                .classes()
                .find_map(|class| class.strip_prefix("stance-"))
                .unwrap_or_else(|| panic!("no stance-… class: {}", stance.html()));
            let count = text(one(item, ".count")).parse().expect("a number");
            (class.to_owned(), count)
        })
        .collect()
}

fn expected_counts(proposal: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for position in POSITIONS.iter().filter(|position| position.proposal == proposal) {
        *counts.entry(position.stance.to_owned()).or_default() += 1;
    }
    let answered: usize = counts.values().sum();
    counts.insert("none".to_owned(), BODIES.len() - answered);
    counts
}

#[test]
fn proposal_pages_list_every_position_and_the_bodies_that_did_not_answer() {
    let built = Site::basic().build(&[]);
    for proposal in &PROPOSALS {
        let page = built.page(&format!("forslag/{}/", proposal.id));
        assert_eq!(text(page.one("main h1")), proposal.title);
        let positions: Vec<_> = POSITIONS.iter().filter(|position| position.proposal == proposal.id).collect();
        let responses = page.select("ol.responses > li.response");
        assert_eq!(responses.len(), positions.len(), "{}", page.file);
        for (response, position) in responses.into_iter().zip(&positions) {
            assert_eq!(href(one(response, "h3 a")), format!("/remissvar/{}/", position.body));
            assert_eq!(spoken_text(one(response, ".stance")), position.label());
            assert_eq!(text(one(response, "blockquote")), position.quote);
            assert!(
                select(response, "a[href]").into_iter().any(|link| href(link) == position.deep_link()),
                "{}: no link to {} in {}",
                page.file,
                position.deep_link(),
                response.html()
            );
        }
        if positions.is_empty() {
            let paragraphs: Vec<String> = page.select("main p").into_iter().map(text).collect();
            assert!(
                paragraphs.contains(&"Ingen remissinstans har tagit ställning till detta förslag.".to_owned()),
                "{paragraphs:?}"
            );
        }

        let silent: Vec<String> = BODIES
            .iter()
            .filter(|body| !positions.iter().any(|position| position.body == **body))
            .map(|body| format!("/remissvar/{body}/"))
            .collect();
        let listed: Vec<&str> = page.select("ul.silent li a").into_iter().map(href).collect();
        assert_eq!(listed, silent, "{}", page.file);
        let heading = previous_element(page.one("ul.silent")).expect("a heading before the list");
        assert_eq!((heading.value().name(), text(heading).as_str()), ("h3", "Har inte yttrat sig"));
        assert_eq!(counts(page.one("main ul.counts")), expected_counts(proposal.id), "{}", page.file);
    }
}

#[test]
fn every_deep_link_lands_on_a_quoted_passage_whose_note_links_back() {
    let built = Site::basic().build(&[]);
    for position in &POSITIONS {
        let page = built.page(&format!("remissvar/{}/", position.body));
        let blocks = passage_blocks(quoted_passage(&page, &format!("svar-{}", position.proposal)));
        let passage: Vec<String> = blocks.iter().map(|block| text_without_notes(*block)).collect();
        assert!(
            passage.join(" ").contains(position.quote),
            "{}: {:?} does not hold {:?}",
            page.file,
            passage,
            position.quote
        );

        let proposal_url = format!("/forslag/{}/", position.proposal);
        let notes = notes_after(&blocks);
        let note = notes
            .iter()
            .find(|note| select(**note, "a").into_iter().any(|link| href(link) == proposal_url))
            .unwrap_or_else(|| panic!("{}: no note after the passage links to {proposal_url}", page.file));
        assert_eq!(spoken_text(one(*note, ".stance")), position.label());
    }
}

#[test]
fn a_quote_across_two_paragraphs_marks_both() {
    let built = Site::basic().build(&[]);
    let page = built.page("remissvar/goteborg-ks/");
    let first = quoted_passage(&page, "svar-tillitsbaserad-ledning");
    let second = next_element(first).expect("a second paragraph");
    let note = next_element(second).expect("a note");
    let after = next_element(note).expect("the next heading");
    assert_eq!(
        [first, second, note, after].map(|element| (element.value().name().to_owned(), has_class(element, "quoted"))),
        [("p", true), ("p", true), ("p", false), ("h2", false)].map(|(name, quoted)| (name.to_owned(), quoted))
    );
    assert!(has_class(note, "passage-note"));
    assert_eq!(text(second), "Kommunstyrelsen tillstyrker därför rekommendationen delvis.");
    // What comes before the passage (the heading “Ärendet”) is not marked.
    assert!(!has_class(previous_element(first).expect("a heading"), "quoted"));
    // The marks hold the quote: the end of the first paragraph and all of the second.
    let quote = basic::position("tillitsbaserad-ledning", "goteborg-ks").expect("the position").quote;
    assert_eq!(marked_words(&page, "svar-tillitsbaserad-ledning"), ["Det kräver dock resurser.", "Kommunstyrelsen tillstyrker därför rekommendationen delvis."]);
    assert_eq!(squeezed(&marked_words(&page, "svar-tillitsbaserad-ledning").concat()), squeezed(quote));
    assert!(text(first).starts_with("Kommunstyrelsen delar delegationens bild"), "the rest of the paragraph is kept around the quote");
}

#[test]
fn two_positions_quoting_one_paragraph_share_it() {
    let built = Site::basic().build(&[]);
    let page = built.page("remissvar/goteborg-socialnamnden/");
    let paragraph = quoted_passage(&page, "svar-generella-statsbidrag");
    assert_eq!(quoted_passage(&page, "svar-larande-tillsyn"), paragraph);
    // Each deep link lands on its own words.
    for (anchor, proposal) in [("svar-generella-statsbidrag", "generella-statsbidrag"), ("svar-larande-tillsyn", "larande-tillsyn")] {
        let target = page.by_id(anchor).expect("the anchor");
        assert_eq!(target.value().name(), "mark");
        let quote = basic::position(proposal, "goteborg-socialnamnden").expect("the position").quote;
        assert_eq!(marked_words(&page, anchor), [quote]);
    }
    let notes: Vec<String> =
        notes_after(&[paragraph]).into_iter().map(|note| href(one(note, "a")).to_owned()).collect();
    assert_eq!(notes, ["/forslag/generella-statsbidrag/", "/forslag/larande-tillsyn/"]);
}

#[test]
fn statement_pages_link_to_every_proposal_they_address() {
    let built = Site::basic().build(&[]);
    for body in BODIES {
        let page = built.page(&format!("remissvar/{body}/"));
        // In the proposals' order.
        let expected: Vec<_> = PROPOSALS.iter().filter_map(|proposal| basic::position(proposal.id, body)).collect();
        let items = page.select("ul.addressed > li");
        assert_eq!(items.len(), expected.len(), "{}", page.file);
        for (item, position) in items.into_iter().zip(expected) {
            let links: Vec<&str> = select(item, "a").into_iter().map(href).collect();
            let proposal_url = format!("/forslag/{}/", position.proposal);
            let anchor = format!("#svar-{}", position.proposal);
            assert_eq!(links, [proposal_url.as_str(), anchor.as_str()], "{}", page.file);
            assert_eq!(text(select(item, "a")[0]), basic::proposal_title(position.proposal));
            assert_eq!(spoken_text(one(item, ".stance")), position.label());
        }
    }
}

#[test]
fn statements_index_nests_parts_under_their_statement() {
    let built = Site::basic().build(&[]);
    let page = built.page("remissvar/");
    let organisations: Vec<String> = page.select("main section > h2").into_iter().map(text).collect();
    assert_eq!(organisations, ["Göteborgs stad", "Umeå kommun"]);
    let top: Vec<&str> = page.select("ul.statement-list > li > a").into_iter().map(href).collect();
    assert_eq!(top, ["/remissvar/goteborg-ks/", "/remissvar/umea-ks/"]);
    let city = page.select("ul.statement-list > li")[0];
    let parts: Vec<&str> = select(city, "li > ul > li > a").into_iter().map(href).collect();
    assert_eq!(parts, ["/remissvar/goteborg-socialnamnden/"]);

    // The part names what it was submitted inside, and the whole lists its part.
    let part = built.page("remissvar/goteborg-socialnamnden/");
    let term =
        part.select("dl.details dt").into_iter().find(|term| text(*term) == "Ingår i").expect("an “Ingår i” entry");
    assert_eq!(href(one(next_element(term).expect("its value"), "a")), "/remissvar/goteborg-ks/");
    let whole = built.page("remissvar/goteborg-ks/");
    let listed: Vec<&str> = whole.select("section[aria-labelledby=_delar] a").into_iter().map(href).collect();
    assert_eq!(listed, ["/remissvar/goteborg-socialnamnden/"]);
}

#[test]
fn an_organisation_table_has_a_row_only_for_proposals_its_bodies_answered() {
    let built = Site::basic().build(&[]);
    for (organisation, bodies) in [("goteborgs-stad", &BODIES[..2]), ("umea-kommun", &BODIES[2..])] {
        let page = built.page(&format!("organisationer/{organisation}/"));
        let table = page.one("table.overview");
        let answered: Vec<String> = PROPOSALS
            .iter()
            .filter(|proposal| bodies.iter().any(|body| basic::position(proposal.id, body).is_some()))
            .map(|proposal| format!("/forslag/{}/", proposal.id))
            .collect();
        let rows: Vec<&str> = select(table, "tbody th[scope=row] a").into_iter().map(href).collect();
        assert_eq!(rows, answered, "{organisation}");
        assert_eq!(select(table, "thead th a").len(), bodies.len(), "{organisation}");
        // The rest are counted, so that nothing seems missing.
        let note = text(one(page.one("main section"), "p:has(+ .scroll-hint)"));
        assert!(note.ends_with(&format!(": {}. Alla förslag", PROPOSALS.len() - answered.len())), "{note}");
    }
}

#[test]
fn home_overview_has_a_row_per_proposal_and_a_column_per_body() {
    let built = Site::basic().build(&[]);
    let page = built.page("");
    let figures: Vec<String> = page.select("ul.figures strong").into_iter().map(text).collect();
    assert_eq!(figures, ["4", "3", "2", "6"], "proposals, statements, organisations, positions");

    let table = page.one("table.overview");
    assert_eq!(
        text(one(table, "caption")),
        "Förslagen i rader, remissinstanserna i kolumner. En tom ruta: instansen har inte yttrat sig om förslaget."
    );
    let columns: Vec<&str> = select(table, "thead th a").into_iter().map(href).collect();
    let bodies: Vec<String> = BODIES.iter().map(|body| format!("/remissvar/{body}/")).collect();
    assert_eq!(columns, bodies);
    let areas: Vec<String> = select(table, "tr.area-row th").into_iter().map(text).collect();
    assert_eq!(areas, ["Styrning och ledning", "En lärande tillsyn"]);

    let rows = select(table, "tbody tr:not(.area-row)");
    assert_eq!(rows.len(), PROPOSALS.len());
    for (row, proposal) in rows.into_iter().zip(&PROPOSALS) {
        assert_eq!(href(one(row, "th[scope=row] a")), format!("/forslag/{}/", proposal.id));
        let cells = select(row, "td");
        assert_eq!(cells.len(), BODIES.len());
        for (cell, body) in cells.into_iter().zip(BODIES) {
            match basic::position(proposal.id, body) {
                Some(position) => {
                    let link = one(cell, "a");
                    assert_eq!(href(link), position.deep_link());
                    assert!(has_class(link, &format!("stance-{}", position.stance)), "{}", link.html());
                    assert_eq!(spoken_text(link), position.label());
                }
                None => {
                    // Empty: the caption says what an empty cell means.
                    assert_eq!(cell.inner_html(), "", "{}", cell.html());
                }
            }
        }
    }
}

#[test]
fn proposals_index_groups_by_area_and_counts_positions() {
    let built = Site::basic().build(&[]);
    let page = built.page("forslag/");
    let areas = page.select("section.area");
    let area_ids: Vec<&str> = areas.iter().map(|area| one(*area, "h2").value().id().expect("an id")).collect();
    // Prefixed, so that no heading in an area's text can take the same id.
    assert_eq!(area_ids, ["omrade_styrning", "omrade_tillsyn"]);
    for area in areas {
        let area_id = one(area, "h2").value().id().and_then(|id| id.strip_prefix("omrade_")).expect("an area id");
        let listed: Vec<&str> = select(area, "ol.proposal-list > li h3 a").into_iter().map(href).collect();
        let expected: Vec<String> = PROPOSALS
            .iter()
            .filter(|proposal| proposal.area == area_id)
            .map(|proposal| format!("/forslag/{}/", proposal.id))
            .collect();
        assert_eq!(listed, expected);
    }
    for item in page.select("ol.proposal-list > li") {
        let url = href(one(item, "h3 a"));
        let id = url.trim_start_matches("/forslag/").trim_end_matches('/');
        assert_eq!(counts(one(item, "ul.counts")), expected_counts(id), "{url}");
    }
}

/// Lower-case ASCII letters, digits and the punctuation of paths and fragments.
fn is_url_safe(text: &str) -> bool {
    text.chars()
        .all(|character| character.is_ascii_lowercase() || character.is_ascii_digit() || "/#.-_".contains(character))
}

#[test]
fn urls_and_ids_are_lower_case_ascii_with_swedish_letters_folded() {
    let built = Site::basic().build(&[]);
    for file in built.files().keys() {
        assert!(is_url_safe(file), "output file {file}");
    }
    for page in built.pages() {
        for link in page.links().into_iter().filter(|link| link.starts_with(['/', '#'])) {
            assert!(is_url_safe(&link), "{}: link {link}", page.file);
        }
        for id in page.ids() {
            assert!(is_url_safe(&id), "{}: id {id}", page.file);
        }
    }
    // “Ärendet” and “Överväganden”.
    let page = built.page("remissvar/goteborg-ks/");
    let headings: Vec<&str> =
        page.select(".statement-text .prose h2").into_iter().filter_map(|h2| h2.value().id()).collect();
    assert_eq!(headings, ["sammanfattning", "arendet", "overvaganden"]);
    let page = built.page("remissvar/goteborg-socialnamnden/");
    assert_eq!(page.one(".statement-text .prose h2").value().id(), Some("namndens-synpunkter"));
}

#[test]
fn ids_are_unique_on_every_page() {
    let built = Site::basic().build(&["--drafts"]);
    for page in built.pages() {
        let mut seen = BTreeSet::new();
        for id in page.ids() {
            assert!(seen.insert(id.clone()), "{}: the id `{id}` is used twice", page.file);
        }
    }
}

#[test]
fn headings_in_a_statement_do_not_take_the_pages_own_ids() {
    // Bug: a statement whose text has the heading “Ställningstaganden” or “Remissvaret”
    // got the ids `stallningstaganden` and `remissvaret`, which the statement page's own
    // sections use (and point to with aria-labelledby): each id was on the page twice.
    let site = Site::basic();
    let statement = site.read("content/statements/umea-ks.md");
    site.write(
        "content/statements/umea-ks.md",
        format!("{statement}\n## Ställningstaganden\n\nSe ovan.\n\n## Remissvaret\n\nKommunstyrelsen har beslutat om remissvaret.\n"),
    );
    let built = site.build(&[]);
    let page = built.page("remissvar/umea-ks/");
    let mut seen = BTreeSet::new();
    for id in page.ids() {
        assert!(seen.insert(id.clone()), "{}: the id `{id}` is used twice", page.file);
    }
    for section in page.select("[aria-labelledby]") {
        let label = section.value().attr("aria-labelledby").expect("a label");
        let labelling = page.by_id(label).expect("the labelling element");
        assert!(
            section.descendent_elements().any(|element| element == labelling),
            "{}: #{label} is not inside the section it labels",
            page.file
        );
    }
}

const DRAFTS: [&str; 2] = ["vite-i-skollagen", "orebro-ks"];

#[test]
fn drafts_are_left_out_by_default() {
    let site = Site::basic();
    let built = site.build(&[]);
    assert!(
        built.stdout.starts_with(&format!("Built {HTML_PAGES} pages (4 proposals, 3 statements, 6 positions) in ")),
        "{}",
        built.stdout
    );
    assert!(!built.has("forslag/vite-i-skollagen/index.html"));
    assert!(!built.has("remissvar/orebro-ks/index.html"));
    for page in built.pages() {
        for link in page.links() {
            assert!(!DRAFTS.iter().any(|draft| link.contains(draft)), "{} links to a draft: {link}", page.file);
        }
    }
    for data in ["data/positions.json", "data/positions.csv"] {
        let text = built.text(data);
        assert!(!DRAFTS.iter().any(|draft| text.contains(draft)), "{data} names a draft");
    }
    // `check` leaves them out too.
    let output = site.succeed(&["check"]);
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .starts_with(&format!("Checked {HTML_PAGES} pages (4 proposals, 3 statements, 6 positions)"))
    );
}

#[test]
fn drafts_are_built_with_the_drafts_flag() {
    let site = Site::basic();
    let built = site.build(&["--drafts"]);
    assert!(
        built.stdout.starts_with(&format!("Built {HTML_PAGES_WITH_DRAFTS} pages (5 proposals, 4 statements, 8 positions) in ")),
        "{}",
        built.stdout
    );

    // The draft statement's position on the draft proposal, both ways.
    let proposal = built.page("forslag/vite-i-skollagen/");
    let response = proposal.one("ol.responses > li.response");
    assert_eq!(href(one(response, "h3 a")), "/remissvar/orebro-ks/");
    assert_eq!(text(one(response, "blockquote")), "Kommunen avstyrker en översyn av vitet.");
    let statement = built.page("remissvar/orebro-ks/");
    quoted_passage(&statement, "svar-vite-i-skollagen");
    quoted_passage(&statement, "svar-generella-statsbidrag");

    let home = built.page("");
    let table = home.one("table.overview");
    assert_eq!(select(table, "thead th a").len(), 4);
    assert_eq!(select(table, "tbody tr:not(.area-row)").len(), 5);
    let json = built.json("data/positions.json");
    let on_proposals = json["positions"].as_array().expect("positions").iter().filter(|position| position["scope"] == "proposal");
    assert_eq!(on_proposals.count(), 8);
    let output = site.succeed(&["check", "--drafts"]);
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .starts_with(&format!("Checked {HTML_PAGES_WITH_DRAFTS} pages (5 proposals, 4 statements, 8 positions)"))
    );
}

#[test]
fn base_url_with_a_sub_path_prefixes_every_internal_link() {
    let site = Site::basic();
    let built = site.build(&["--base-url", "https://example.org/sub"]);
    let mut checked = 0;
    for page in built.pages() {
        for link in page.links() {
            if link.starts_with('#') {
                continue; // within the page
            }
            if link.contains("://") {
                assert!(
                    !link.starts_with("https://example.org") || link.starts_with("https://example.org/sub/"),
                    "{}: {link}",
                    page.file
                );
            } else {
                assert!(link.starts_with("/sub/"), "{}: {link}", page.file);
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links");
    let page = built.page("forslag/larande-tillsyn/");
    assert_eq!(
        page.one("link[rel=canonical]").value().attr("href"),
        Some("https://example.org/sub/forslag/larande-tillsyn/")
    );
    assert_eq!(
        page.select("blockquote").into_iter().filter_map(|quote| quote.value().attr("cite")).collect::<Vec<_>>(),
        [
            "https://example.org/sub/remissvar/goteborg-socialnamnden/#svar-larande-tillsyn",
            "https://example.org/sub/remissvar/umea-ks/#svar-larande-tillsyn"
        ]
    );
    let json = built.json("data/positions.json");
    assert_eq!(json["consultation"]["url"], "https://example.org/sub/");
    assert_eq!(
        json["positions"][0]["url"],
        "https://example.org/sub/remissvar/goteborg-ks/#svar-generella-statsbidrag"
    );

    // A trailing slash makes no difference.
    let slashed = site.build(&["--base-url", "https://example.org/sub/", "--output-dir", "slashed"]);
    assert_eq!(slashed.files(), built.files());

    // `check` has no --base-url: it checks the base URL of config.toml.
    site.replace("config.toml", "base_url = \"https://example.org\"", "base_url = \"https://example.org/sub\"");
    let output = site.succeed(&["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with(&format!("Checked {HTML_PAGES} pages (4 proposals, 3 statements, 6 positions) and "))
            && stdout.contains(": no problems"),
        "{stdout}"
    );
}

/// The text nodes of an element, whitespace folded, blank ones left out.
fn text_pieces(element: ElementRef<'_>) -> Vec<String> {
    element.text().map(fold).filter(|piece| !piece.is_empty()).collect()
}

#[test]
fn minified_and_readable_pages_hold_the_same_links_ids_and_text() {
    let site = Site::basic();
    let readable = site.build(&["--output-dir", "readable"]);
    site.replace("config.toml", "minify_html = false", "minify_html = true");
    let minified = site.build(&["--output-dir", "minified"]);

    let readable_files = readable.files();
    let minified_files = minified.files();
    assert_eq!(readable_files.keys().collect::<Vec<_>>(), minified_files.keys().collect::<Vec<_>>());
    // The search index is made from the model, not from the pages as written.
    let index = |files: &BTreeMap<String, Vec<u8>>| files.iter().filter(|(path, _)| path.starts_with("pagefind/")).map(|(_, bytes)| bytes.clone()).collect::<Vec<_>>();
    assert!(index(&readable_files) == index(&minified_files), "minifying changed the search index");
    let size = |files: &BTreeMap<String, Vec<u8>>| files.values().map(Vec::len).sum::<usize>();
    assert!(size(&minified_files) < size(&readable_files), "minifying made nothing smaller");

    for (readable, minified) in readable.pages().into_iter().zip(minified.pages()) {
        assert_eq!(readable.file, minified.file);
        for page in [&readable, &minified] {
            assert!(page.html.errors.is_empty(), "{}: {:?}", page.file, page.html.errors);
            page.one("main");
            page.one("head title");
        }
        assert_eq!(readable.links(), minified.links(), "{}", readable.file);
        assert_eq!(readable.ids(), minified.ids(), "{}", readable.file);
        // Minifying drops the whitespace between blocks, so compare the text piece by piece.
        assert_eq!(text_pieces(readable.one("main")), text_pieces(minified.one("main")), "{}", readable.file);
        assert_eq!(text(readable.one("title")), text(minified.one("title")), "{}", readable.file);
    }
}

#[test]
fn proposal_page_main_snapshot() {
    let built = Site::basic().build(&[]);
    let file = "forslag/larande-tillsyn/index.html";
    let html = built.text(file);
    Page::parse(file, &html).one("main");
    // Exactly as written (the fixture has minify_html = false): nothing normalised.
    let start = html.find("<main").expect("a <main>");
    let end = html.rfind("</main>").expect("a </main>") + "</main>".len();
    insta::assert_snapshot!("proposal_main", &html[start..end]);
}

#[test]
fn statement_page_main_snapshot() {
    // The marks of a quote across two paragraphs, with their label and note.
    let built = Site::basic().build(&[]);
    let file = "remissvar/goteborg-ks/index.html";
    let html = built.text(file);
    let start = html.find("<main").expect("a <main>");
    let end = html.rfind("</main>").expect("a </main>") + "</main>".len();
    insta::assert_snapshot!("statement_main", &html[start..end]);
}

#[test]
fn proposal_pages_summarise_the_positions_in_plain_swedish() {
    let built = Site::basic().build(&[]);
    let summary = |proposal: &str| text(built.page(&format!("forslag/{proposal}/")).one("section.summary p"));
    // Socialnämnden Centrum answered inside Göteborg's answer: two remissinstanser in all.
    assert_eq!(
        summary("generella-statsbidrag"),
        "Kommunstyrelsen i Göteborgs stad tillstyrker förslaget. \
         Socialnämnden Centrum i Göteborgs stad (i svaret från Kommunstyrelsen) är tveksam till förslaget. \
         En remissinstans har inte yttrat sig. \
         Kommunstyrelsen i Umeå kommun är tveksam till remissen som helhet."
    );
    assert_eq!(
        summary("tillitsbaserad-ledning"),
        "Kommunstyrelsen i Göteborgs stad tillstyrker rekommendationen delvis. \
         Kommunstyrelsen i Umeå kommun har inga invändningar mot rekommendationen."
    );
    assert_eq!(
        summary("samordnad-tillsyn"),
        "Ingen remissinstans har tagit ställning till förslaget. \
         Kommunstyrelsen i Göteborgs stad tillstyrker remissen som helhet delvis. \
         Kommunstyrelsen i Umeå kommun är tveksam till remissen som helhet."
    );
}

#[test]
fn the_summary_counts_in_words_and_names_a_few_of_many() {
    // Five bodies support one proposal: the count is a word, two of them are named.
    let site = Site::basic();
    for (index, name) in ["Ett", "Två", "Tre", "Fyra", "Fem"].iter().enumerate() {
        site.write(
            &format!("content/statements/extra-{index}.md"),
            format!(
                "+++\ntitle = \"Nämnd {name}\"\norganisation = \"Extra kommun\"\nreference = \"{index}\"\n\n\
                 [[positions]]\nproposal = \"samordnad-tillsyn\"\nstance = \"supports\"\nquote = 'Vi tillstyrker.'\n+++\nVi tillstyrker.\n"
            ),
        );
    }
    let built = site.build(&[]);
    let summary = text(built.page("forslag/samordnad-tillsyn/").one("section.summary p"));
    assert_eq!(
        summary,
        "Fem remissinstanser tillstyrker förslaget, bland dem Nämnd Ett i Extra kommun och Nämnd Fem i Extra kommun. \
         Två har inte yttrat sig. \
         Kommunstyrelsen i Göteborgs stad tillstyrker remissen som helhet delvis. \
         Kommunstyrelsen i Umeå kommun är tveksam till remissen som helhet."
    );
}

#[test]
fn built_pages_load_nothing_from_elsewhere_and_carry_no_preview_script() {
    // No tracking, no third-party requests: every script, stylesheet, image and frame
    // comes from the site itself; and the live-reload script is for `serve` only.
    let built = Site::basic().build(&[]);
    for page in built.pages() {
        for element in page.select("script[src], link[rel=stylesheet], img, iframe, source, video, audio") {
            let url = element.value().attr("src").or_else(|| element.value().attr("href")).unwrap_or_default();
            assert!(url.starts_with('/') && !url.starts_with("//"), "{} loads {url} from elsewhere", page.file);
        }
        let html = page.html.html();
        assert!(!html.contains("__remiss"), "{} carries the preview's live-reload script", page.file);
    }
    for (path, bytes) in built.files() {
        if path.ends_with(".css") && !path.starts_with("pagefind/") {
            let css = String::from_utf8(bytes).expect("UTF-8 CSS");
            assert!(!css.contains("@import") && !css.contains("url(http"), "{path} loads from elsewhere");
        }
    }
}

#[test]
fn a_statement_cannot_publish_script() {
    // Found by fuzzing (tests/fuzz/regressions/markdown): Markdown links, autolinks and
    // heading attributes reached the page as `javascript:` links and `onclick` handlers.
    let site = Site::basic();
    let statement = "content/statements/umea-ks.md";
    let original = site.read(statement);
    site.write(
        statement,
        format!(
            "{original}\n[läs](javascript:alert(1)) <javascript:alert(2)> ![bild](javascript:alert(3))\n\n\
             ## Rubrik {{onclick=alert(4)}}\n\n<script>alert(5)</script>\n\n<style>\n\nSista stycket.\n"
        ),
    );
    let built = site.build(&[]);
    let page = built.page("remissvar/umea-ks/");
    for element in page.select("[href], [src]") {
        let url = element.value().attr("href").or_else(|| element.value().attr("src")).unwrap_or_default();
        assert!(!url.to_lowercase().contains("javascript"), "{url}");
    }
    assert!(page.select("main script, main style, [onclick]").is_empty(), "script reached the page");
    // Nothing after the unclosed <style> is lost.
    assert!(text(page.one("main")).contains("Sista stycket."));
}

#[test]
fn feeds_sitemap_robots_and_the_data_catalogue_describe_the_site() {
    let built = Site::basic().build(&[]);
    let xml = |path: &str| scraper::Html::parse_document(&built.text(path));
    let texts = |document: &scraper::Html, css: &str| -> Vec<String> {
        document.select(&crate::support::selector(css)).map(|element| element.text().collect::<String>()).collect()
    };

    let updates = xml("aktuellt/atom.xml");
    assert_eq!(texts(&updates, "entry > title").len(), 1);
    assert!(texts(&updates, "entry > id")[0].starts_with("https://example.org/aktuellt/"));

    // Statements with a date, newest first.
    let statements = xml("remissvar/atom.xml");
    let updated = texts(&statements, "entry > updated");
    assert!(!updated.is_empty() && updated.windows(2).all(|pair| pair[0] >= pair[1]), "{updated:?}");

    let sitemap = xml("sitemap.xml");
    let urls = texts(&sitemap, "url > loc");
    for page in ["https://example.org/", "https://example.org/forslag/generella-statsbidrag/", "https://example.org/remissvar/umea-ks/"] {
        assert!(urls.iter().any(|url| url == page), "{page} is not in the sitemap");
    }
    assert!(!urls.iter().any(|url| url.contains("404")));
    assert!(built.text("robots.txt").contains("Sitemap: https://example.org/sitemap.xml"));

    let catalogue = built.text("data/katalog.rdf");
    for part in ["dcat:Catalog", "dcat:Dataset", "https://example.org/data/positions.json", "https://example.org/data/positions.csv", "publicdomain/zero"] {
        assert!(catalogue.contains(part), "the catalogue lacks {part}");
    }
}

#[test]
fn a_site_can_do_without_the_search_index() {
    let site = Site::basic();
    site.replace("config.toml", "minify_html = false", "minify_html = false\nbuild_search_index = false");
    let built = site.build(&[]);
    assert!(!built.has("pagefind/pagefind-entry.json"));
    assert!(!built.has("sok/index.html"));
    for page in built.pages() {
        assert!(page.links().iter().all(|link| !link.contains("/sok/")), "{} links to the search page", page.file);
        assert!(!page.html.html().contains("pagefind-ui"), "{} loads the search script", page.file);
    }
    site.succeed(&["check"]);
}

#[test]
fn a_statements_index_too_long_for_one_page_lists_organisations_whose_pages_list_their_statements() {
    let site = Site::basic();
    // Past 2,000 statements the index would pass a megabyte or so.
    for index in 0..2_000 {
        site.write(
            &format!("content/statements/extra-{index}.md"),
            format!("+++\ntitle = \"Nämnd {index}\"\norganisation = \"Kommun {}\"\nreference = \"{index}\"\n+++\nText.\n", index / 100),
        );
    }
    let built = site.build(&[]);
    let index = built.page("remissvar/");
    assert!(index.select("a[href^='/remissvar/extra-']").is_empty(), "the index still lists every statement");
    let organisations: Vec<&str> = index.select("main ul.statement-list > li > a").into_iter().map(href).collect();
    assert_eq!(organisations.len(), 2 + 20, "{organisations:?}");
    assert!(organisations.contains(&"/organisationer/kommun-7/"));
    let organisation = built.page("organisationer/kommun-7/");
    let bodies: BTreeSet<&str> = organisation.select("main a[href^='/remissvar/extra-']").into_iter().map(href).collect();
    assert_eq!(bodies.len(), 100);
    assert!(bodies.contains("/remissvar/extra-742/"));
}

/// Umeå's statement with a position on the area `tillsyn` as a whole, in a sentence of
/// its own, and nothing said on `samordnad-tillsyn`.
pub(crate) fn site_with_an_area_position() -> Site {
    let site = Site::basic();
    site.replace(
        "content/statements/umea-ks.md",
        "+++\n## Yttrande",
        "\n[[area_positions]]\narea = \"tillsyn\"\nstance = \"doubtful\"\n\
         quote = 'Kommunen är tveksam till förslagen om tillsyn som helhet.'\n+++\n## Yttrande\n\n\
         Kommunen är tveksam till förslagen om tillsyn som helhet.",
    );
    site
}

const AREA_LINK: &str = "/remissvar/umea-ks/#svar-omradet-tillsyn";

#[test]
fn a_position_on_an_area_shows_apart_on_each_of_its_proposals_and_is_not_an_answer_to_them() {
    let built = site_with_an_area_position().build(&[]);
    for proposal in ["larande-tillsyn", "samordnad-tillsyn"] {
        let page = built.page(&format!("forslag/{proposal}/"));
        let section = page.one("section.area-positions");
        assert!(text(one(section, "h2")).starts_with("Om området som helhet:"), "{}", page.file);
        let response = one(section, "li#omradet_umea-ks");
        assert_eq!(spoken_text(one(response, ".stance")), "Tveksam");
        assert_eq!(text(one(response, "blockquote")), "Kommunen är tveksam till förslagen om tillsyn som helhet.");
        assert!(select(response, "a[href]").into_iter().any(|link| href(link) == AREA_LINK), "{}", response.html());
    }
    // Not among the answers to a proposal it did not name, nor among the silent bodies.
    let page = built.page("forslag/samordnad-tillsyn/");
    assert!(page.select("section[aria-labelledby=_stallningstaganden] li.response").is_empty());
    let silent: Vec<String> = page.select("ul.silent li").into_iter().map(text).collect();
    assert!(!silent.iter().any(|body| body.contains("Umeå")), "{silent:?}");
    let counted = counts(page.one("ul.counts"));
    assert_eq!(counted.get("area"), Some(&1), "{counted:?}");
    assert_eq!(counted.get("none"), Some(&(BODIES.len() - 1)), "{counted:?}");
    // Its own words on a proposal of the area stay a position on that proposal.
    let page = built.page("forslag/larande-tillsyn/");
    assert!(page.by_id("instans_umea-ks").is_some());
    // Proposals of other areas do not show it.
    assert!(built.page("forslag/generella-statsbidrag/").select("section.area-positions").is_empty());
}

#[test]
fn a_statement_page_lists_and_marks_its_position_on_an_area() {
    let built = site_with_an_area_position().build(&[]);
    let page = built.page("remissvar/umea-ks/");
    let listed = page.one("ul.addressed-areas li");
    assert_eq!(text(listed), "Om området En lärande tillsyn som helhet: ? Tveksam Till citatet: En lärande tillsyn");
    assert_eq!(href(one(listed, "a[href^='#']")), "#svar-omradet-tillsyn");
    let blocks = passage_blocks(quoted_passage(&page, "svar-omradet-tillsyn"));
    assert_eq!(text_without_notes(blocks[0]), "Kommunen är tveksam till förslagen om tillsyn som helhet.");
    let note = notes_after(&blocks);
    assert!(note.iter().any(|note| text(*note).starts_with("Om området En lärande tillsyn som helhet")), "{note:?}");
    // Its entry in the statements feed counts it apart.
    let feed = built.text("remissvar/atom.xml");
    assert!(
        feed.contains("<summary>Hållning till remissen som helhet: tveksam. Tar ställning till 2 förslag. Tar ställning till ett område som helhet.</summary>"),
        "{feed}"
    );
}

#[test]
fn the_overview_draws_a_position_on_an_area_in_a_row_of_its_own() {
    let built = site_with_an_area_position().build(&[]);
    let page = built.page("");
    let rows = page.select("table.overview tr.area-positions-row");
    assert_eq!(rows.len(), 1, "one area has an area position");
    let cells = select(rows[0], "a.cell-area");
    assert_eq!(cells.iter().map(|cell| href(*cell)).collect::<Vec<_>>(), [AREA_LINK]);
    // The proposals' own rows do not carry it: Umeå's cell for samordnad-tillsyn is empty.
    let links: Vec<&str> = page.select("table.overview a.cell").into_iter().map(href).collect();
    assert_eq!(links.iter().filter(|link| link.contains("#svar-omradet-")).count(), 1, "{links:?}");
}

#[test]
fn a_position_on_an_unknown_area_or_a_second_one_on_an_area_is_an_error() {
    let site = site_with_an_area_position();
    site.replace("content/statements/umea-ks.md", "area = \"tillsyn\"", "area = \"tilsyn\"");
    let report = site.fail(&["build"]);
    let problem = report.problem();
    assert!(problem.headline.starts_with("content/statements/umea-ks.md:"), "{}", problem.headline);
    assert!(problem.headline.ends_with("unknown area `tilsyn`: did you mean `tillsyn`?"), "{}", problem.headline);

    let site = site_with_an_area_position();
    site.replace(
        "content/statements/umea-ks.md",
        "\n+++\n## Yttrande",
        "\n\n[[area_positions]]\narea = \"tillsyn\"\nstance = \"opposes\"\nquote = 'Kommunen avstyrker förslaget'\n+++\n## Yttrande",
    );
    let report = site.fail(&["build"]);
    assert!(report.problem().headline.contains("a second position on the area `tillsyn` (the first is on line "), "{}", report.stderr);
}

#[test]
fn the_summary_counts_positions_on_the_area_and_on_the_whole_consultation_apart() {
    let built = site_with_an_area_position().build(&[]);
    let summary = |proposal: &str| text(built.page(&format!("forslag/{proposal}/")).one("section.summary p"));
    // Göteborg's answer says nothing on the proposal or its area: its stance on the
    // whole consultation is told, apart.
    assert_eq!(
        summary("samordnad-tillsyn"),
        "Ingen remissinstans har tagit ställning till förslaget. \
         Kommunstyrelsen i Umeå kommun är tveksam till förslagen inom området som helhet. \
         En remissinstans har inte yttrat sig. \
         Kommunstyrelsen i Göteborgs stad tillstyrker remissen som helhet delvis."
    );
}

#[test]
fn the_summary_counts_a_committee_inside_another_answer_with_that_answer() {
    // Two committees answered inside Göteborg's, one with the same stance as the city:
    // Göteborg is one remissinstans, named with them, and Umeå the other.
    let site = Site::basic();
    site.replace("content/statements/goteborg-socialnamnden.md", "stance = \"doubtful\"", "stance = \"supports\"");
    site.write(
        "content/statements/goteborg-aldrenamnden.md",
        "+++\ntitle = \"Äldrenämnden\"\norganisation = \"Göteborgs stad\"\nreference = \"ÄN 1\"\npart_of = \"goteborg-ks\"\n\n\
         [[positions]]\nproposal = \"generella-statsbidrag\"\nstance = \"supports\"\nquote = 'Nämnden tillstyrker.'\n+++\nNämnden tillstyrker.\n",
    );
    let built = site.build(&[]);
    let summary = text(built.page("forslag/generella-statsbidrag/").one("section.summary p"));
    assert_eq!(
        summary,
        "Kommunstyrelsen i Göteborgs stad (med Socialnämnden Centrum och Äldrenämnden) tillstyrker förslaget. \
         En remissinstans har inte yttrat sig. \
         Kommunstyrelsen i Umeå kommun är tveksam till remissen som helhet."
    );
    // A committee whose answering body took no position is named with it, not counted.
    let summary = text(built.page("forslag/larande-tillsyn/").one("section.summary p"));
    assert_eq!(
        summary,
        "Socialnämnden Centrum i Göteborgs stad (i svaret från Kommunstyrelsen) tillstyrker förslaget. \
         Kommunstyrelsen i Umeå kommun avstyrker förslaget."
    );

    // More committees than are named: counted, and still one remissinstans.
    for name in ["Ett", "Två", "Tre", "Fyra"] {
        site.write(
            &format!("content/statements/goteborg-{}.md", name.to_lowercase().replace('å', "a")),
            format!(
                "+++\ntitle = \"Nämnd {name}\"\norganisation = \"Göteborgs stad\"\nreference = \"{name}\"\npart_of = \"goteborg-ks\"\n\n\
                 [[positions]]\nproposal = \"samordnad-tillsyn\"\nstance = \"supports\"\nquote = 'Nämnden tillstyrker förslaget.'\n+++\nNämnden tillstyrker förslaget.\n"
            ),
        );
    }
    let built = site.build(&[]);
    let summary = text(built.page("forslag/samordnad-tillsyn/").one("section.summary p"));
    assert_eq!(
        summary,
        "Fyra nämnder och förvaltningar i Göteborgs stad (i svaret från Kommunstyrelsen) tillstyrker förslaget. \
         En remissinstans har inte yttrat sig. \
         Kommunstyrelsen i Umeå kommun är tveksam till remissen som helhet."
    );
}

#[test]
fn change_notes_show_the_last_change_and_every_note_on_statements_proposals_and_pages() {
    let site = Site::basic();
    let notes = "\n[[changes]]\ndate = 2026-03-01\nnote = \"Första rättelsen.\"\n\n\
                 [[changes]]\ndate = 2026-04-02\nnote = \"Citatet rättat.\"\n+++\n";
    for file in [
        "content/statements/umea-ks.md",
        "content/proposals/tillsyn/larande-tillsyn.md",
        "content/om-webbplatsen.md",
        "content/updates/remissvaren-publicerade.md",
    ] {
        let text_of = site.read(file);
        let end = text_of[4..].find("\n+++\n").expect("front matter") + 4;
        site.write(file, format!("{}{notes}{}", &text_of[..end], &text_of[end + 5..]));
    }
    let built = site.build(&[]);
    for url in ["remissvar/umea-ks/", "forslag/larande-tillsyn/", "om-webbplatsen/", "aktuellt/remissvaren-publicerade/"] {
        let page = built.page(url);
        let changes = page.one(".changes");
        assert_eq!(text(one(changes, "p")), "Senast ändrad 2 april 2026", "{url}");
        assert_eq!(one(changes, "p time").value().attr("datetime"), Some("2026-04-02"));
        assert_eq!(text(one(changes, "details summary")), "Visa alla ändringar");
        let listed: Vec<String> = select(changes, "details li").into_iter().map(text).collect();
        assert_eq!(listed, ["2 april 2026: Citatet rättat.", "1 mars 2026: Första rättelsen."], "{url}");
    }
    // Carried to the feeds as updated entries, with the note.
    let feed = scraper::Html::parse_document(&built.text("remissvar/atom.xml"));
    let entry = feed
        .select(&crate::support::selector("entry"))
        .find(|entry| entry.html().contains("/remissvar/umea-ks/"))
        .expect("Umeå's entry");
    assert_eq!(text(one(entry, "updated")), "2026-04-02T00:00:00Z");
    assert_eq!(text(one(entry, "published")), "2024-10-01T00:00:00Z");
    assert!(text(one(entry, "summary")).starts_with("Ändrat 2 april 2026: Citatet rättat."), "{}", entry.html());
    let news = scraper::Html::parse_document(&built.text("aktuellt/atom.xml"));
    for url in [
        "https://example.org/forslag/larande-tillsyn/",
        "https://example.org/om-webbplatsen/",
        "https://example.org/aktuellt/remissvaren-publicerade/",
    ] {
        let entry = news
            .select(&crate::support::selector("entry"))
            .find(|entry| text(one(*entry, "id")) == url)
            .unwrap_or_else(|| panic!("no news entry for {url}"));
        assert_eq!(text(one(entry, "updated")), "2026-04-02T00:00:00Z");
        assert!(text(one(entry, "summary")).starts_with("Ändrat 2 april 2026: Citatet rättat."), "{}", entry.html());
    }
}

#[test]
fn every_statement_has_an_entry_in_the_statements_feed_with_a_summary() {
    // Regression: a statement without a decision date dropped out of the feed.
    let site = Site::basic();
    site.replace("content/statements/umea-ks.md", "date = 2024-10-01\n", "");
    site.replace("content/statements/goteborg-socialnamnden.md", "date = 2024-09-02\n", "published = 2024-11-20\n");
    let built = site.build(&[]);
    let feed = scraper::Html::parse_document(&built.text("remissvar/atom.xml"));
    let entries: Vec<ElementRef> = feed.select(&crate::support::selector("entry")).collect();
    let ids: BTreeSet<String> = entries.iter().map(|entry| text(one(*entry, "id"))).collect();
    let expected: BTreeSet<String> = BODIES.iter().map(|body| format!("https://example.org/remissvar/{body}/")).collect();
    assert_eq!(ids, expected);
    let updated = |body: &str| {
        let entry = entries.iter().find(|entry| text(one(**entry, "id")).contains(body)).expect("an entry");
        text(one(*entry, "updated"))
    };
    // Without a decision date: the day it was published, else the consultation's deadline.
    assert_eq!(updated("goteborg-socialnamnden"), "2024-11-20T00:00:00Z");
    assert_eq!(updated("umea-ks"), "2024-10-31T00:00:00Z");
    let summary = |body: &str| {
        let entry = entries.iter().find(|entry| text(one(**entry, "id")).contains(body)).expect("an entry");
        text(one(*entry, "summary"))
    };
    assert_eq!(summary("goteborg-ks"), "Hållning till remissen som helhet: tillstyrker delvis. Tar ställning till 2 förslag.");
    assert_eq!(summary("goteborg-socialnamnden"), "Tar ställning till 2 förslag.");
}

#[test]
fn the_catalogue_names_the_publisher_as_an_organisation_with_a_contact_point() {
    let site = Site::basic();
    site.replace("config.toml", "publisher = \"Samverkanskommunen\"", "publisher = \"Göteborgs stad, stadsledningskontoret\"");
    let catalogue = site.build(&[]).text("data/katalog.rdf");
    let document = scraper::Html::parse_document(&catalogue);
    let names: Vec<String> = document
        .select(&crate::support::selector("dcterms\\:publisher > foaf\\:Organization > foaf\\:name"))
        .map(|name| name.text().collect())
        .collect();
    assert_eq!(names, ["Göteborgs stad, stadsledningskontoret"; 2], "{catalogue}");
    let contact = document
        .select(&crate::support::selector("dcat\\:contactPoint > vcard\\:Organization > vcard\\:hasEmail"))
        .map(|email| email.value().attr("rdf:resource").unwrap_or_default().to_owned())
        .collect::<Vec<_>>();
    assert_eq!(contact, ["mailto:registrator@example.org"], "{catalogue}");
    // The ministry asked for the answers; it did not make the dataset.
    assert!(!catalogue.contains("dcterms:creator") && !catalogue.contains("Socialdepartementet"), "{catalogue}");

    // Without a publisher or a contact, `check` warns and the site is built; the site's
    // title is not passed off as a publisher.
    let site = Site::basic();
    site.replace("config.toml", "publisher = \"Samverkanskommunen\"\ncontact_email = \"registrator@example.org\"\n", "");
    let output = site.succeed(&["check"]);
    let report = crate::support::Report::parse(&String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        report.headlines(),
        [
            "config.toml: warning: no `publisher`: the data catalogue (data/katalog.rdf) names no publisher",
            "config.toml: warning: no `contact_email`: the data catalogue (data/katalog.rdf) has no contact point",
        ]
    );
    assert!(report.problems[0].help.as_deref().is_some_and(|help| help.starts_with("add `publisher = ")), "{}", report.stderr);
    let catalogue = site.build(&[]).text("data/katalog.rdf");
    assert!(!catalogue.contains("dcterms:publisher") && !catalogue.contains("contactPoint"), "{catalogue}");
    assert!(!catalogue.contains("foaf:Agent") && !catalogue.contains("Remissvar: Samverkansutredningen</foaf:name>"), "{catalogue}");
}

#[test]
fn the_dossier_quotes_a_position_on_an_area_once_under_the_area() {
    let built = site_with_an_area_position().build(&[]);
    let page = built.page("remissammanstallning/");
    let section = page.one("section.dossier-area-positions");
    assert_eq!(text(one(section, "h3")), "Om området som helhet");
    assert_eq!(text(one(section, "blockquote")), "Kommunen är tveksam till förslagen om tillsyn som helhet.");
    assert_eq!(page.select("blockquote").into_iter().filter(|quote| text(*quote).contains("som helhet")).count(), 1);
}

#[test]
fn the_dossier_opens_with_a_table_of_contents_of_its_areas_and_proposals() {
    let built = site_with_an_area_position().build(&[]);
    let page = built.page("remissammanstallning/");
    let contents = page.one("nav.toc");
    assert_eq!(text(one(contents, "h2")), "Innehåll");
    let links: Vec<&str> = select(contents, "a").into_iter().map(href).collect();
    assert_eq!(
        links,
        [
            "#omrade_styrning",
            "#forslag_generella-statsbidrag",
            "#forslag_tillitsbaserad-ledning",
            "#omrade_tillsyn",
            "#omradet_tillsyn",
            "#forslag_larande-tillsyn",
            "#forslag_samordnad-tillsyn",
        ]
    );
    // Every entry leads somewhere on the page.
    for link in links {
        assert!(page.by_id(&link[1..]).is_some(), "no {link} on the page");
    }
}

#[test]
fn every_page_has_the_sites_icon() {
    // Issue 14 §2: every visit asked for a favicon that was not there.
    let built = Site::basic().build(&[]);
    assert!(built.text("favicon.svg").starts_with("<svg"), "the icon is an SVG file");
    for page in built.pages() {
        assert_eq!(href(page.one("head link[rel=icon]")), "/favicon.svg", "{}", page.file);
    }
}

#[test]
fn stance_pages_have_swedish_urls() {
    let built = Site::basic().build(&[]);
    for slug in ["tillstyrker", "tillstyrker-delvis", "inga-invandningar", "tveksam", "avstyrker"] {
        assert!(built.has(&format!("stallningstaganden/{slug}/index.html")), "no /stallningstaganden/{slug}/");
    }
    let links: Vec<String> = built.page("oversikt/").links();
    assert!(links.contains(&"/stallningstaganden/tveksam/".to_owned()), "{links:?}");
    assert!(!built.has("stallningstaganden/doubtful/index.html"));
}

#[test]
fn the_overviews_counts_say_what_they_count() {
    let built = Site::basic().build(&[]);
    let page = built.page("oversikt/");
    let counts: Vec<String> = page.select("nav.filters .meta").into_iter().map(text).collect();
    assert!(counts.contains(&"(2 förslag)".to_owned()), "{counts:?}");
    assert!(counts.contains(&"(2 remissinstanser)".to_owned()) && counts.contains(&"(1 remissinstans)".to_owned()), "{counts:?}");
    assert!(counts.contains(&"(1 ställningstagande)".to_owned()), "{counts:?}");
    assert!(counts.iter().all(|count| count.chars().any(char::is_alphabetic)), "{counts:?}");
}

#[test]
fn a_news_entry_without_a_description_is_summed_up_by_its_first_paragraph() {
    let site = Site::basic();
    site.replace(
        "content/updates/remissvaren-publicerade.md",
        "description = \"Nu kan du läsa remissvaren från Göteborgs stad och Umeå kommun.\"\n",
        "",
    );
    let feed = scraper::Html::parse_document(&site.build(&[]).text("aktuellt/atom.xml"));
    let summaries: Vec<String> = feed.select(&crate::support::selector("entry > summary")).map(|summary| summary.text().collect()).collect();
    assert_eq!(summaries, ["Nu finns remissvaren på webbplatsen."]);
}
