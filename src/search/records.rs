//! What is searched: one record per page a citizen looks for (proposals, statements,
//! updates, free pages), made from the model, not from the written HTML.
//!
//! 1. A record holds the page's URL, its title (a statement's with its organisation)
//!    and its text: the Markdown body's passages, as the page shows them. The page's
//!    furniture (breadcrumbs, stances, "Till förslaget: …" notes, counts) is left out,
//!    so that snippets hold the body's words only.
//! 2. Headings and quoted passages are anchors: a search for a word in a quote offers
//!    the passage itself (`#svar-<proposal>`, `#svar-omradet-<area>`), under the
//!    proposal's or area's title, and a word under a heading offers that heading.
//!
//! The templates mark the same text with `data-pagefind-body`, so that Pagefind itself,
//! run over the written pages, indexes the same words (a test compares the two).

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::markdown;
use crate::load::{Document, meta::PageMeta};
use crate::model::Site;
use crate::routes::{self, PageKey};

/// A searchable page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// From the site's root, as Pagefind gives it: `/remissvar/malmo-asn/`.
    pub url: String,
    pub title: String,
    pub blocks: Vec<Block>,
    /// Pagefind's filters: name → values (in an archive, `remiss` → the consultation).
    pub filters: BTreeMap<String, Vec<String>>,
}

/// The filter an archive's search narrows by consultation; the templates name it too.
pub const CONSULTATION_FILTER: &str = "remiss";

/// A passage of a page's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub text: String,
    /// Pagefind's weight: 24 for running text, more for headings.
    pub weight: u8,
    pub anchor: Option<Anchor>,
}

/// Where a search result may land within its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub element: &'static str,
    pub id: String,
    /// The sub-result's title: a quote's proposal or area. A heading is titled by its text.
    pub title: Option<String>,
}

/// Pagefind's weights: running text 1, headings 7 (`h1`) down to 2 (`h6`), times 24.
fn weight(heading: Option<u8>) -> u8 {
    match heading {
        Some(level) => (8 - level.clamp(1, 6)) * 24,
        None => 24,
    }
}

/// The searchable pages of `site`, in the order `render` lists them.
pub fn records(site: &Site) -> Vec<Record> {
    let proposals = site.proposals.par_iter().map(|proposal| {
        record(PageKey::Proposal(proposal.id.clone()), proposal.title.clone(), &proposal.body, &[])
    });
    let statements = site.statements.par_iter().map(|statement| {
        // In the order `render` marks them: the first anchor of a passage is its id.
        let on_proposals = statement.positions.iter().map(|&at| {
            let position = &site.positions[at];
            (position.passages.start, position.anchor.as_str(), site.proposals[position.proposal].title.as_str())
        });
        let on_areas = statement.area_positions.iter().map(|&at| {
            let position = &site.area_positions[at];
            (position.passages.start, position.anchor.as_str(), site.areas[position.area].title.as_str())
        });
        let quotes: Vec<_> = on_proposals.chain(on_areas).collect();
        let title = format!("{}, {}", statement.title, statement.organisation);
        record(PageKey::Statement(statement.id.clone()), title, &statement.body, &quotes)
    });
    let updates = site
        .updates
        .par_iter()
        .map(|update| record(PageKey::Update(update.id.clone()), update.title.clone(), &update.body, &[]));
    let pages = site.pages.par_iter().map(|page| record(PageKey::Free(page.id.clone()), page.title.clone(), &page.body, &[]));
    let mut records: Vec<Record> = proposals.collect();
    records.par_extend(statements);
    records.par_extend(updates);
    records.par_extend(pages);
    records
}

/// `quotes`: each quoted passage's first block, anchor and title.
fn record(key: PageKey, title: String, body: &str, quotes: &[(usize, &str, &str)]) -> Record {
    let url = routes::link("", &routes::page_path(&key));
    let anchors: Vec<(usize, &str)> = quotes.iter().map(|&(block, id, _)| (block, id)).collect();
    let blocks = markdown::search_blocks(body, &anchors)
        .into_iter()
        .map(|block| {
            let quote = block.id.as_deref().and_then(|id| quotes.iter().find(|(_, anchor, _)| *anchor == id));
            let anchor = block.id.map(|id| Anchor {
                element: block.element,
                id,
                title: quote.map(|(_, _, title)| (*title).to_owned()),
            });
            Block { text: block.text, weight: weight(block.heading), anchor }
        })
        .collect();
    Record { url, title, blocks, filters: BTreeMap::new() }
}

/// The searchable pages of an archive: each consultation's, under its URL prefix
/// (`remisser/<slug>`) and with its title as the consultation filter, and the hub's free
/// pages.
pub fn archive_records(consultations: &[(String, &Site)], hub_pages: &[std::sync::Arc<Document<PageMeta>>]) -> Vec<Record> {
    let mut all: Vec<Record> = consultations
        .par_iter()
        .flat_map_iter(|(prefix, site)| {
            records(site).into_iter().map(move |mut record| {
                let path = record.url.strip_prefix('/').unwrap_or(&record.url);
                record.url = routes::link("", &routes::within(prefix, path));
                record.filters.insert(CONSULTATION_FILTER.to_owned(), vec![site.consultation.title.clone()]);
                record
            })
        })
        .collect();
    all.extend(hub_pages.iter().map(|page| record(PageKey::Free(page.id.clone()), page.meta.title.clone(), page.body(), &[])));
    all
}
