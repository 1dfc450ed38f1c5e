//! An archive's own pages, made over its consultations' models once each consultation
//! has rendered its own pages below its prefix ([`crate::routes::consultation`]).
//!
//! 1. Compile the theme's templates with the archive's site-wide values.
//! 2. The hub (consultations open, coming and closed), its pages by year and by issuer.
//! 3. An organisation's statements across every consultation.
//! 4. The site-wide feed, open data and DCAT catalogue, made by the code that makes a
//!    consultation's own.
//! 5. The archive's free pages, search page, 404 page, robots.txt and sitemap.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::feeds;
use super::views::{DateView, Linker};
use super::{ArchiveLink, Job, PageLink, SiteView, Templates, data, globals_of, page_context};
use crate::archive::Status;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::meta::{Date, PageMeta};
use crate::load::{Document, Theme};
use crate::markdown::{self, RawHtml};
use crate::model::Site;
use crate::routes::{self, PageKey, page_file, page_path};
use super::Input;

/// What an archive is besides its consultations: `content/_index.md` and the free pages
/// at the top of `content/`.
pub struct Hub {
    /// The archive's config.toml.
    pub config: Config,
    pub theme: Arc<Theme>,
    pub title: String,
    pub description: Option<String>,
    /// The intro, in Markdown.
    pub intro: String,
    pub pages: Vec<Arc<Document<PageMeta>>>,
    /// The day the archive is built: what is open, coming or closed is told against it.
    pub today: Date,
}

/// One consultation of an archive, built.
#[derive(Clone, Copy)]
pub struct ArchiveConsultation<'a> {
    pub slug: &'a str,
    pub site: &'a Site,
}

impl ArchiveConsultation<'_> {
    pub fn status(&self, today: Date) -> Status {
        let consultation = &self.site.consultation;
        match consultation.sent {
            Some(sent) if sent > today => Status::Coming,
            _ if consultation.deadline >= today => Status::Open,
            _ => Status::Closed,
        }
    }

    /// Newest first: by the day it was sent, else by its deadline.
    fn age_key(&self) -> std::cmp::Reverse<Date> {
        std::cmp::Reverse(self.site.consultation.sent.unwrap_or(self.site.consultation.deadline))
    }
}

#[derive(Serialize)]
struct ConsultationView<'a> {
    slug: &'a str,
    title: &'a str,
    issuer: &'a str,
    #[serde(skip)]
    issuer_slug: String,
    #[serde(skip)]
    year: u16,
    issuer_url: String,
    url: String,
    deadline: DateView,
    sent: Option<DateView>,
    status: &'static str,
    proposals: usize,
    statements: usize,
    positions: usize,
}

#[derive(Serialize)]
struct FilterLink {
    name: String,
    url: String,
    count: usize,
}

/// What an archive page read from each consultation, by the consultation's slug.
pub type ArchiveReads = Vec<(String, Vec<Input>)>;

/// Renders the archive's own files for which `wanted` holds, handing each to `sink`
/// and what each page read to `read`; returns the path of every file the archive has.
/// Pages are left out before their context is made: a rebuild after an edit in one
/// consultation makes the few pages that read what changed.
pub fn render_archive(
    hub: &Hub,
    consultations: &[ArchiveConsultation],
    wanted: impl Fn(&str) -> bool,
    sink: impl Fn(String, Arc<[u8]>) + Sync,
    mut read: impl FnMut(String, ArchiveReads),
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let config = &hub.config;
    let view = SiteView {
        title: &config.title,
        description: config.description.as_deref().or(hub.description.as_deref()),
        base_url: &config.base_url,
        base_path: &config.base_path,
        language: config.language.code(),
        consultation: &hub.title,
        pages: hub
            .pages
            .iter()
            .map(|page| PageLink { title: page.meta.title.clone(), url: config.link(&routes::free_page(&page.id)), path: routes::free_page(&page.id) })
            .collect(),
        search: config.build_search_index,
        search_base: &config.base_path,
        archive: None::<ArchiveLink>,
        hub: true,
    };
    let mut consultations = consultations.to_vec();
    consultations.sort_by_key(|consultation| (consultation.age_key(), consultation.slug));
    let linkers: Vec<Linker> = consultations.iter().map(|consultation| Linker::new(consultation.site)).collect();
    let views: Vec<ConsultationView> =
        consultations.iter().zip(&linkers).map(|(consultation, linker)| consultation_view(hub, consultation, linker)).collect();
    // What each consultation's listing on a page of the hub reads from it.
    let from_each = |inputs: &[Input]| -> ArchiveReads {
        consultations.iter().map(|consultation| (consultation.slug.to_owned(), inputs.to_vec())).collect()
    };
    let listings = [Input::Consultation, Input::Counts];

    let mut outputs = Vec::new();
    let mut jobs = Vec::new();
    let mut add = |output: String, make: &mut dyn FnMut() -> (Job, ArchiveReads)| {
        if wanted(&output) {
            let (job, reads) = make();
            read(output.clone(), reads);
            jobs.push(job);
        }
        outputs.push(output);
    };
    add(routes::file(""), &mut || {
        let mut job = hub_page(hub, &views, None, "", String::new());
        job.context.insert("organisations", &organisation_links(hub, &consultations));
        (job, from_each(&[Input::Consultation, Input::Counts, Input::Organisations]))
    });
    let mut years: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
    let mut issuers: BTreeMap<String, (&str, Vec<usize>)> = BTreeMap::new();
    for (index, view) in views.iter().enumerate() {
        years.entry(view.year).or_default().push(index);
        issuers.entry(view.issuer_slug.clone()).or_insert((view.issuer, Vec::new())).1.push(index);
    }
    for (year, members) in &years {
        add(routes::file(&routes::year(*year)), &mut || {
            let shown: Vec<&ConsultationView> = members.iter().map(|&index| &views[index]).collect();
            (hub_page(hub, &views, Some(shown), &year.to_string(), routes::year(*year)), from_each(&listings))
        });
    }
    for (slug, (name, members)) in &issuers {
        add(routes::file(&routes::issuer(slug)), &mut || {
            let shown: Vec<&ConsultationView> = members.iter().map(|&index| &views[index]).collect();
            (hub_page(hub, &views, Some(shown), name, routes::issuer(slug)), from_each(&listings))
        });
    }
    for (slug, name) in organisations(&consultations) {
        add(routes::file(&routes::organisation(slug)), &mut || organisation_page(&consultations, &linkers, slug, name));
    }
    for page in &hub.pages {
        add(routes::file(&routes::free_page(&page.id)), &mut || (free_page(hub, page), Vec::new()));
    }
    add(routes::ARCHIVE_FEED.to_owned(), &mut || feed(hub, &consultations));
    add(page_file(&PageKey::Catalog), &mut || catalog(hub, &consultations));
    add(page_file(&PageKey::Sitemap), &mut || sitemap(hub, &consultations, &years, &issuers));
    add(page_file(&PageKey::Robots), &mut || {
        let mut robots = Context::new();
        robots.insert("sitemap", &config.permalink(&page_file(&PageKey::Sitemap)));
        (Job { output: page_file(&PageKey::Robots), template: "robots.txt", context: robots }, Vec::new())
    });
    add(page_file(&PageKey::NotFound), &mut || {
        let mut not_found = page_context(&page_path(&PageKey::NotFound), "", None);
        not_found.insert("not_found", &true);
        (Job { output: page_file(&PageKey::NotFound), template: "404.html", context: not_found }, Vec::new())
    });
    if config.build_search_index {
        add(page_file(&PageKey::Search), &mut || {
            let context = page_context(&page_path(&PageKey::Search), "", None);
            (Job { output: page_file(&PageKey::Search), template: "search.html", context }, Vec::new())
        });
    }

    if !jobs.is_empty() {
        let templates = Templates::compile_with(&hub.theme, globals_of(&view, &hub.theme.strings))?;
        super::render_jobs(&templates, jobs.into_par_iter().map(Ok), &sink)?;
    }
    if wanted(routes::DATA_JSON) {
        let data: Vec<(&str, &Site)> = consultations.iter().map(|consultation| (consultation.slug, consultation.site)).collect();
        sink(routes::DATA_JSON.to_owned(), data::archive_positions_json(&data).into());
        read(routes::DATA_JSON.to_owned(), from_each(&[Input::Consultation, Input::Data]));
    }
    outputs.push(routes::DATA_JSON.to_owned());
    // The theme's static files (stylesheet, scripts, icon) once at the root for the
    // archive's own pages; each consultation has its copy below its prefix.
    for file in &hub.theme.static_files {
        if wanted(&file.path) {
            sink(file.path.clone(), file.bytes.clone());
        }
        outputs.push(file.path.clone());
    }
    Ok(outputs)
}

fn consultation_view<'a>(hub: &Hub, consultation: &ArchiveConsultation<'a>, linker: &Linker) -> ConsultationView<'a> {
    let site = consultation.site;
    let meta = &site.consultation;
    let issuer_slug = crate::slug::slugify(&meta.issuer);
    ConsultationView {
        slug: consultation.slug,
        title: &meta.title,
        issuer: &meta.issuer,
        issuer_url: hub.config.link(&routes::issuer(&issuer_slug)),
        issuer_slug,
        year: meta.deadline.year,
        url: site.config.link(""),
        deadline: linker.date(meta.deadline),
        sent: meta.sent.map(|sent| linker.date(sent)),
        status: consultation.status(hub.today).key(),
        proposals: site.proposals.len(),
        statements: site.statements.len(),
        positions: site.positions.len() + site.area_positions.len(),
    }
}

/// The hub, or (with `shown`) its page of one year or one issuer.
fn hub_page(hub: &Hub, all: &[ConsultationView], shown: Option<Vec<&ConsultationView>>, heading: &str, path: String) -> Job {
    let config = &hub.config;
    let is_hub = shown.is_none();
    let shown: Vec<&ConsultationView> = shown.unwrap_or_else(|| all.iter().collect());
    let mut context = page_context(&path, if is_hub { "" } else { heading }, None);
    context.insert("heading", if is_hub { hub.title.as_str() } else { heading });
    if is_hub {
        context.insert("content", &markdown::render(&hub.intro, &[], RawHtml::Sanitise).html);
    }
    for status in [Status::Open, Status::Coming, Status::Closed] {
        let members: Vec<&&ConsultationView> = shown.iter().filter(|view| view.status == status.key()).collect();
        context.insert(status.key(), &members);
    }
    let mut years: BTreeMap<u16, usize> = BTreeMap::new();
    let mut issuers: BTreeMap<String, (&str, usize)> = BTreeMap::new();
    for view in all {
        *years.entry(view.year).or_default() += 1;
        issuers.entry(view.issuer_slug.clone()).or_insert((view.issuer, 0)).1 += 1;
    }
    let years: Vec<FilterLink> = years
        .iter()
        .rev()
        .map(|(year, count)| FilterLink { name: year.to_string(), url: config.link(&routes::year(*year)), count: *count })
        .collect();
    let issuers: Vec<FilterLink> = issuers
        .iter()
        .map(|(slug, (name, count))| FilterLink { name: (*name).to_owned(), url: config.link(&routes::issuer(slug)), count: *count })
        .collect();
    context.insert("years", &years);
    context.insert("issuers", &issuers);
    context.insert("is_hub", &is_hub);
    Job { output: routes::file(&path), template: "archive.html", context }
}

/// Every organisation that answered a consultation, by name, with how many it answered.
fn organisation_links(hub: &Hub, consultations: &[ArchiveConsultation]) -> Vec<FilterLink> {
    let mut organisations: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    for consultation in consultations {
        for organisation in &consultation.site.organisations {
            organisations.entry(&organisation.slug).or_insert((&organisation.name, 0)).1 += 1;
        }
    }
    let mut links: Vec<FilterLink> = organisations
        .into_iter()
        .map(|(slug, (name, count))| FilterLink { name: name.to_owned(), url: hub.config.link(&routes::organisation(slug)), count })
        .collect();
    links.sort_by_key(|link| link.name.to_lowercase());
    links
}

/// Every organisation's slug and name, by slug, across the consultations.
fn organisations<'a>(consultations: &[ArchiveConsultation<'a>]) -> BTreeMap<&'a str, &'a str> {
    let mut organisations = BTreeMap::new();
    for consultation in consultations {
        for organisation in &consultation.site.organisations {
            organisations.entry(organisation.slug.as_str()).or_insert(organisation.name.as_str());
        }
    }
    organisations
}

/// `/organisationer/<organisation>/`: every statement of one organisation in every
/// consultation, with its positions. Organisations are matched by the slug each
/// consultation's model gives their normalised name.
fn organisation_page(consultations: &[ArchiveConsultation], linkers: &[Linker], slug: &str, name: &str) -> (Job, ArchiveReads) {
    #[derive(Serialize)]
    struct Answer<'a> {
        consultation: &'a str,
        consultation_url: String,
        statements: Vec<StatementEntry<'a>>,
    }
    #[derive(Serialize)]
    struct StatementEntry<'a> {
        title: &'a str,
        url: String,
        date: Option<DateView>,
        overall: Option<&'static str>,
        positions: Vec<PositionEntry<'a>>,
    }
    #[derive(Serialize)]
    struct PositionEntry<'a> {
        proposal: &'a str,
        proposal_url: String,
        stance: &'static str,
        url: String,
    }
    let mut answers = Vec::new();
    let mut reads = Vec::new();
    for (consultation, linker) in consultations.iter().zip(linkers) {
        let site = consultation.site;
        // That the organisation has no statement in a consultation is read too: one
        // added there shows here.
        let mut read = vec![Input::Organisation(slug.to_owned())];
        if let Some(organisation) = site.organisations.iter().find(|organisation| organisation.slug == slug) {
            read.push(Input::Consultation);
            let statements = site.statements
                .run(organisation.statements.clone())
                .iter()
                .map(|statement| {
                    read.push(Input::Statement(statement.id.clone()));
                    StatementEntry {
                        title: &statement.title,
                        url: linker.link(&statement.path),
                        date: statement.date.map(|date| linker.date(date)),
                        overall: statement.overall.map(|stance| stance.key()),
                        positions: statement
                            .positions
                            .iter()
                            .map(|&position| {
                                let position = &site.positions[position];
                                let proposal = &site.proposals[position.proposal];
                                read.push(Input::Position(statement.id.clone(), proposal.id.clone()));
                                read.push(Input::Proposal(proposal.id.clone()));
                                PositionEntry {
                                    proposal: &proposal.title,
                                    proposal_url: linker.link(&proposal.path),
                                    stance: position.stance.key(),
                                    url: linker.link(&site.position_path(position)),
                                }
                            })
                            .collect(),
                    }
                })
                .collect();
            answers.push(Answer { consultation: &site.consultation.title, consultation_url: linker.link(""), statements });
        }
        reads.push((consultation.slug.to_owned(), read));
    }
    let path = routes::organisation(slug);
    let mut context = page_context(&path, name, None);
    context.insert("answers", &answers);
    (Job { output: routes::file(&path), template: "archive-organisation.html", context }, reads)
}

fn free_page(hub: &Hub, page: &Document<PageMeta>) -> Job {
    let raw_html = if hub.config.trust_html_in_pages { RawHtml::Trust } else { RawHtml::Sanitise };
    let path = routes::free_page(&page.id);
    let mut context = page_context(&path, &page.meta.title, page.meta.description.as_deref());
    super::insert_content(&mut context, markdown::render(page.body(), &[], raw_html));
    context.insert("searchable", &true);
    Job { output: routes::file(&path), template: "page.html", context }
}

/// `/atom.xml`: every consultation's statements feed in one.
fn feed(hub: &Hub, consultations: &[ArchiveConsultation]) -> (Job, ArchiveReads) {
    let (entries, reads) = over_each(consultations, feeds::statement_entries);
    let entries = entries.into_iter().flatten().collect();
    let config = &hub.config;
    let empty = consultations.iter().map(|consultation| consultation.site.consultation.deadline).max().unwrap_or(hub.today);
    let context = feeds::atom(&config.title, &config.permalink(""), &config.permalink(routes::ARCHIVE_FEED), empty, entries);
    (Job { output: routes::ARCHIVE_FEED.to_owned(), template: "atom.xml", context }, reads)
}

/// `/data/katalog.rdf`: one catalogue, a dataset per consultation.
fn catalog(hub: &Hub, consultations: &[ArchiveConsultation]) -> (Job, ArchiveReads) {
    let config = &hub.config;
    let mut context = Context::new();
    context.insert("catalog_url", &config.permalink(&page_file(&PageKey::Catalog)));
    context.insert("site_url", &config.permalink(""));
    context.insert("description", &hub.description.as_deref().or(config.description.as_deref()).unwrap_or(&hub.title));
    context.insert("publisher", &config.publisher);
    context.insert("license", &config.data_license);
    let (datasets, reads) = over_each(consultations, feeds::dataset);
    context.insert("datasets", &datasets);
    (Job { output: page_file(&PageKey::Catalog), template: "catalog.rdf", context }, reads)
}

fn sitemap(
    hub: &Hub,
    consultations: &[ArchiveConsultation],
    years: &BTreeMap<u16, Vec<usize>>,
    issuers: &BTreeMap<String, (&str, Vec<usize>)>,
) -> (Job, ArchiveReads) {
    let config = &hub.config;
    let mut urls = vec![config.permalink("")];
    urls.extend(years.keys().map(|year| config.permalink(&routes::year(*year))));
    urls.extend(issuers.keys().map(|slug| config.permalink(&routes::issuer(slug))));
    urls.extend(hub.pages.iter().map(|page| config.permalink(&routes::free_page(&page.id))));
    urls.extend(organisations(consultations).keys().map(|slug| config.permalink(&routes::organisation(slug))));
    let (pages, reads) = over_each(consultations, |site, linker| {
        // Its year and issuer, and its organisations, have pages of the archive's own.
        linker.read(Input::Consultation);
        linker.read(Input::Organisations);
        feeds::sitemap_urls(site, linker)
    });
    urls.extend(pages.into_iter().flatten());
    let mut context = Context::new();
    context.insert("urls", &urls);
    (Job { output: page_file(&PageKey::Sitemap), template: "sitemap.xml", context }, reads)
}

/// What `each` makes of every consultation, with a linker of its own that notes what it
/// read there.
fn over_each<'a, T>(consultations: &[ArchiveConsultation<'a>], each: impl Fn(&'a Site, &Linker) -> T) -> (Vec<T>, ArchiveReads) {
    consultations
        .iter()
        .map(|consultation| {
            let linker = Linker::new(consultation.site);
            let made = each(consultation.site, &linker);
            (made, (consultation.slug.to_owned(), linker.into_reads()))
        })
        .unzip()
}
