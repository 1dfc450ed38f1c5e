//! Files for machines: Atom feeds (updates; new and changed statements), the sitemap,
//! robots.txt and the DCAT-AP-SE description of the open data.

use serde::Serialize;
use tera::Context;

use super::overview::url_path;
use super::{Job, PageKey, all_pages, output_path};
use crate::load::meta::Date;
use crate::model::Site;

#[derive(Serialize)]
struct Entry<'a> {
    title: String,
    url: String,
    /// RFC 3339, as Atom wants it.
    updated: String,
    summary: Option<&'a str>,
}

fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// A feed holds the latest entries only: readers poll it, and a national consultation's
/// thousands of statements would make every poll megabytes long.
const FEED_ENTRIES: usize = 200;

fn feed(site: &Site, key: PageKey, title: &str, page: &str, mut entries: Vec<(Date, Entry)>) -> Job {
    entries.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    entries.truncate(FEED_ENTRIES);
    // A feed with no entries is as old as the consultation's deadline.
    let updated = entries.first().map_or(site.consultation.deadline, |(date, _)| *date);
    let mut context = Context::new();
    context.insert("title", title);
    context.insert("url", &site.config.permalink(page));
    context.insert("self_url", &site.config.permalink(&output_path(&key)));
    context.insert("updated", &timestamp(updated));
    context.insert("entries", &entries.into_iter().map(|(_, entry)| entry).collect::<Vec<_>>());
    Job { output: output_path(&key), template: "atom.xml", context }
}

pub fn updates_feed(site: &Site) -> Job {
    let entries = site
        .updates
        .iter()
        .map(|update| {
            let entry = Entry {
                title: update.title.clone(),
                url: site.config.permalink(&update.path),
                updated: timestamp(update.date),
                summary: update.description.as_deref(),
            };
            (update.date, entry)
        })
        .collect();
    let title = ui_string(site, "updates", "title");
    feed(site, PageKey::UpdatesFeed, &format!("{title} – {}", site.config.title), "aktuellt/", entries)
}

/// New and changed statements: a statement's entry is dated by its last correction, or
/// else by its decision.
pub fn statements_feed(site: &Site) -> Job {
    let entries = site
        .statements
        .iter()
        .filter_map(|statement| {
            let date = statement.updated.or(statement.date)?;
            let entry = Entry {
                title: format!("{}, {}", statement.title, statement.organisation),
                url: site.config.permalink(&statement.path),
                updated: timestamp(date),
                summary: None,
            };
            Some((date, entry))
        })
        .collect();
    let title = ui_string(site, "statements", "title");
    feed(site, PageKey::StatementsFeed, &format!("{title} – {}", site.config.title), "remissvar/", entries)
}

fn ui_string<'a>(site: &'a Site, table: &str, key: &'a str) -> &'a str {
    site.theme.strings.get(table).and_then(|table| table.get(key)?.as_str()).unwrap_or(key)
}

pub fn sitemap(site: &Site) -> Job {
    let urls: Vec<String> = all_pages(site)
        .iter()
        .filter(|key| output_path(key).ends_with("index.html"))
        .map(|key| site.config.permalink(&url_path(key)))
        .collect();
    let mut context = Context::new();
    context.insert("urls", &urls);
    Job { output: output_path(&PageKey::Sitemap), template: "sitemap.xml", context }
}

pub fn robots(site: &Site) -> Job {
    let mut context = Context::new();
    context.insert("sitemap", &site.config.permalink(&output_path(&PageKey::Sitemap)));
    Job { output: output_path(&PageKey::Robots), template: "robots.txt", context }
}

/// The open data described in DCAT-AP-SE, the profile Sweden's data portal harvests.
pub fn catalog(site: &Site) -> Job {
    let config = &site.config;
    let mut context = Context::new();
    context.insert("catalog_url", &config.permalink(&output_path(&PageKey::Catalog)));
    context.insert("site_url", &config.permalink(""));
    context.insert("title", &site.consultation.title);
    context.insert("description", &site.consultation.description.as_deref().or(config.description.as_deref()).unwrap_or(&site.consultation.title));
    context.insert("issuer", &site.consultation.issuer);
    context.insert("publisher", &config.publisher.as_deref().unwrap_or(&config.title));
    context.insert("contact_email", &config.contact_email);
    context.insert("license", &config.data_license);
    context.insert("json_url", &config.permalink("data/positions.json"));
    context.insert("csv_url", &config.permalink("data/positions.csv"));
    let modified = site.statements.iter().filter_map(|statement| statement.updated.or(statement.date)).max();
    context.insert("modified", &modified.unwrap_or(site.consultation.deadline).to_string());
    Job { output: output_path(&PageKey::Catalog), template: "catalog.rdf", context }
}
