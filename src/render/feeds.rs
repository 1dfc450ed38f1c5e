//! Files for machines: Atom feeds (updates; new and changed statements), the sitemap,
//! robots.txt and the DCAT-AP-SE description of the open data.

use serde::Serialize;
use tera::Context;

use super::inputs::Input;
use super::views::Linker;
use super::{Job, PageKey, all_pages};
use crate::load::meta::{ChangeMeta, Date};
use crate::markdown;
use crate::model::{Site, Statement};
use crate::routes::{self, page_file, page_path};

#[derive(Serialize)]
pub(super) struct Entry {
    title: String,
    url: String,
    /// RFC 3339, as Atom wants it.
    updated: String,
    /// When it first appeared, if that is known and differs from `updated`.
    published: Option<String>,
    summary: Option<String>,
}

fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// A feed holds the latest entries only: readers poll it, and a national consultation's
/// thousands of statements would make every poll megabytes long.
const FEED_ENTRIES: usize = 200;

fn feed(site: &Site, key: PageKey, title: &str, page: &str, entries: Vec<(Date, Entry)>) -> Job {
    // A feed with no entries is as old as the consultation's deadline.
    let context = atom(title, &site.config.permalink(page), &site.config.permalink(&page_file(&key)), site.consultation.deadline, entries);
    Job { output: page_file(&key), template: "atom.xml", context }
}

/// What `atom.xml` sees: the newest entries, the feed dated by the newest (or `empty`).
pub(super) fn atom(title: &str, url: &str, self_url: &str, empty: Date, mut entries: Vec<(Date, Entry)>) -> Context {
    entries.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    entries.truncate(FEED_ENTRIES);
    let updated = entries.first().map_or(empty, |(date, _)| *date);
    let mut context = Context::new();
    context.insert("title", title);
    context.insert("url", url);
    context.insert("self_url", self_url);
    context.insert("updated", &timestamp(updated));
    context.insert("entries", &entries.into_iter().map(|(_, entry)| entry).collect::<Vec<_>>());
    context
}

/// News, and the corrections to proposals and free pages (statements have a feed of
/// their own): a corrected page is an entry dated by its latest change note.
pub fn updates_feed(site: &Site, linker: &Linker) -> Job {
    for input in [Input::Consultation, Input::Updates, Input::Proposals, Input::Pages] {
        linker.read(input);
    }
    for update in &site.updates {
        linker.read(Input::Update(update.id.clone()));
    }
    for proposal in &site.proposals {
        linker.read(Input::Proposal(proposal.id.clone()));
    }
    for page in &site.pages {
        linker.read(Input::Page(page.id.clone()));
    }
    let mut entries: Vec<(Date, Entry)> = site
        .updates
        .iter()
        .map(|update| {
            // Without a description, the post's first paragraph says what it is about.
            let about = update.description.clone().or_else(|| markdown::passages(&update.body).into_iter().find(|passage| !passage.is_empty()));
            let latest = update.changes.first().filter(|change| change.date > update.date);
            let summary = match (latest, about) {
                (Some(change), Some(about)) => Some(format!("{} {about}", change_note(site, linker, change))),
                (Some(change), None) => Some(change_note(site, linker, change)),
                (None, about) => about,
            };
            let entry = Entry {
                title: update.title.clone(),
                url: site.config.permalink(&update.path),
                updated: timestamp(latest.map_or(update.date, |change| change.date)),
                published: latest.map(|_| timestamp(update.date)),
                summary,
            };
            (latest.map_or(update.date, |change| change.date), entry)
        })
        .collect();
    let corrected = site
        .proposals
        .iter()
        .map(|proposal| (&proposal.title, &proposal.path, &proposal.changes))
        .chain(site.pages.iter().map(|page| (&page.title, &page.path, &page.changes)));
    for (title, path, changes) in corrected {
        let Some(latest) = changes.first() else { continue };
        let entry = Entry {
            title: title.clone(),
            url: site.config.permalink(path),
            updated: timestamp(latest.date),
            published: None,
            summary: Some(change_note(site, linker, latest)),
        };
        entries.push((latest.date, entry));
    }
    let title = ui_string(site, "updates", "title");
    feed(site, PageKey::UpdatesFeed, &format!("{title} – {}", site.config.title), &routes::updates(), entries)
}

/// Every published statement, new or corrected. An entry is dated by the statement's
/// latest correction; before any, by its decision date, else by the day it was
/// published on the site (`published`), else by the consultation's deadline: the day
/// by which every answer was in.
pub fn statements_feed(site: &Site, linker: &Linker) -> Job {
    let title = ui_string(site, "statements", "title");
    feed(site, PageKey::StatementsFeed, &format!("{title} – {}", site.config.title), &routes::statements(), statement_entries(site, linker))
}

/// The statements feed's entries, by date.
pub(super) fn statement_entries(site: &Site, linker: &Linker) -> Vec<(Date, Entry)> {
    linker.read(Input::Consultation);
    linker.read(Input::Statements);
    site
        .statements
        .iter()
        .map(|statement| {
            let first = statement.date.or(statement.published).unwrap_or(site.consultation.deadline);
            let changed = statement.last_changed().filter(|changed| *changed > first);
            let date = changed.unwrap_or(first);
            let entry = Entry {
                title: format!("{}, {}", statement.title, statement.organisation),
                url: site.config.permalink(&statement.path),
                updated: timestamp(date),
                published: changed.map(|_| timestamp(first)),
                summary: Some(statement_summary(site, linker, statement)),
            };
            (date, entry)
        })
        .collect()
}

/// What a statement's entry says: its latest correction, if any, its stance on the
/// whole consultation, and how many proposals and areas it takes a position on.
fn statement_summary(site: &Site, linker: &Linker, statement: &Statement) -> String {
    let text = |key: &'static str| ui_string(site, "feeds", key);
    let mut sentences: Vec<String> = statement.changes.first().map(|latest| change_note(site, linker, latest)).into_iter().collect();
    if let Some(overall) = statement.overall {
        let stance = ui_string(site, "stance", overall.key()).to_lowercase();
        sentences.push(text("overall").replace("{stance}", &stance));
    }
    match statement.positions.len() {
        0 => {}
        count => sentences.push(text("proposals").replace("{count}", &count.to_string())),
    }
    match statement.area_positions.len() {
        0 => {}
        1 => sentences.push(text("areas_one").to_owned()),
        count => sentences.push(text("areas_many").replace("{count}", &count.to_string())),
    }
    if statement.positions.is_empty() && statement.area_positions.is_empty() {
        sentences.push(text("no_positions").to_owned());
    }
    sentences.join(" ")
}

/// "Ändrad 2 april 2026: <the note>".
fn change_note(site: &Site, linker: &Linker, change: &ChangeMeta) -> String {
    format!("{} {}: {}", ui_string(site, "feeds", "changed"), linker.date(change.date).text, change.note)
}

pub(super) fn ui_string<'a>(site: &'a Site, table: &str, key: &'a str) -> &'a str {
    site.theme.strings.get(table).and_then(|table| table.get(key)?.as_str()).unwrap_or(key)
}

pub fn sitemap(site: &Site, linker: &Linker) -> Job {
    let urls = sitemap_urls(site, linker);
    let mut context = Context::new();
    context.insert("urls", &urls);
    Job { output: page_file(&PageKey::Sitemap), template: "sitemap.xml", context }
}

/// The URL of every page of a site.
pub(super) fn sitemap_urls(site: &Site, linker: &Linker) -> Vec<String> {
    // Every page: the lists of what has one, and which stances are split by area.
    for input in [Input::Proposals, Input::Statements, Input::Updates, Input::Pages, Input::Areas, Input::Organisations, Input::StanceTotals] {
        linker.read(input);
    }
    all_pages(site)
        .iter()
        .map(page_path)
        .filter(|path| routes::is_folder(path))
        .map(|path| site.config.permalink(&path))
        .collect()
}

pub fn robots(site: &Site) -> Job {
    let mut context = Context::new();
    context.insert("sitemap", &site.config.permalink(&page_file(&PageKey::Sitemap)));
    Job { output: page_file(&PageKey::Robots), template: "robots.txt", context }
}

/// The open data described in DCAT-AP-SE, the profile Sweden's data portal harvests.
pub fn catalog(site: &Site, linker: &Linker) -> Job {
    let config = &site.config;
    let mut context = Context::new();
    context.insert("datasets", &[dataset(site, linker)]);
    context.insert("catalog_url", &config.permalink(&page_file(&PageKey::Catalog)));
    context.insert("site_url", &config.permalink(""));
    context.insert("title", &site.consultation.title);
    context.insert("description", &site.consultation.description.as_deref().or(config.description.as_deref()).unwrap_or(&site.consultation.title));
    // The publisher is whoever publishes the site and its data, named in config.toml;
    // without one, `check` warns and the catalogue names none rather than a wrong one
    // (the site's title is no organisation, the ministry asked for the answers).
    context.insert("publisher", &config.publisher);
    context.insert("contact_email", &config.contact_email);
    context.insert("license", &config.data_license);
    Job { output: page_file(&PageKey::Catalog), template: "catalog.rdf", context }
}

/// One consultation's positions as a DCAT dataset (`partials/dataset.rdf`).
#[derive(Serialize)]
pub(super) struct Dataset<'a> {
    about: String,
    title: &'a str,
    description: &'a str,
    publisher: Option<&'a str>,
    contact_email: Option<&'a str>,
    license: &'a str,
    modified: String,
    site_url: String,
    json_url: String,
    csv_url: String,
}

pub(super) fn dataset<'a>(site: &'a Site, linker: &Linker) -> Dataset<'a> {
    // The dataset is dated by the statements' latest change.
    linker.read(Input::Consultation);
    linker.read(Input::Statements);
    let config = &site.config;
    let modified = site.statements.iter().filter_map(|statement| statement.last_changed().or(statement.date)).max();
    Dataset {
        about: routes::at(&config.permalink(&page_file(&PageKey::Catalog)), "positions"),
        title: &site.consultation.title,
        description: site.consultation.description.as_deref().or(config.description.as_deref()).unwrap_or(&site.consultation.title),
        publisher: config.publisher.as_deref(),
        contact_email: config.contact_email.as_deref(),
        license: &config.data_license,
        modified: modified.unwrap_or(site.consultation.deadline).to_string(),
        site_url: config.permalink(""),
        json_url: config.permalink(routes::DATA_JSON),
        csv_url: config.permalink(routes::DATA_CSV),
    }
}
