//! Rendering: the site model turned into the site's files, in memory.
//!
//! 1. Compile the templates once (the theme's, then the site's overrides).
//! 2. Render every document's Markdown once, marking quoted passages in statements.
//! 3. Render every page through its template, in parallel, noting what each page read
//!    from the model ([`inputs`]: a rebuild renders the pages whose inputs changed).
//! 4. Add the open-data files and the static files.
//!
//! An archive's own pages (hub, organisations across consultations, site-wide feed,
//! data and catalogue) are rendered over its consultations' models by [`render_archive`].
//!
//! Nothing here reads a file: the model holds everything.

mod archive;
mod data;
mod feeds;
pub mod inputs;
mod overview;
mod pages;
mod summary;
mod templates;
mod views;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::load::meta::Stance;
use crate::model::{AreaIx, ProposalIx, Site, StatementIx};
use crate::routes::{self, DATA_CSV, DATA_JSON, SEARCH_FOLDER, SYNTAX_CSS};
// Render's entry points take the pages to render by their keys.
pub use crate::routes::PageKey;
pub use archive::{ArchiveConsultation, ArchiveReads, Hub, render_archive};
pub use data::same_data;
pub use inputs::{Input, Record};
pub use templates::Templates;
use views::Linker;

/// The rendered site: output paths (relative, with `/`) and their bytes. The bytes are
/// shared, so that a preview server can keep a snapshot while the next build runs.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub files: BTreeMap<String, Arc<[u8]>>,
}

impl Rendered {
    /// The number of HTML pages.
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|path| path.ends_with(".html")).count()
    }
}

impl PageKey {
    /// Pages that sum up the whole consultation: any change to content can change them.
    pub fn summaries() -> Vec<PageKey> {
        let mut keys = vec![
            PageKey::Home,
            PageKey::ProposalsIndex,
            PageKey::StatementsIndex,
            PageKey::Filters,
            PageKey::Dossier,
            PageKey::StatementsFeed,
            PageKey::Sitemap,
            PageKey::Catalog,
        ];
        keys.extend(Stance::ALL.map(PageKey::Stance));
        keys
    }
}

/// Every page of a site.
pub fn all_pages(site: &Site) -> Vec<PageKey> {
    let mut keys = PageKey::summaries();
    keys.extend([PageKey::UpdatesIndex, PageKey::NotFound, PageKey::UpdatesFeed, PageKey::Robots]);
    if site.config.build_search_index {
        keys.push(PageKey::Search);
    }
    keys.extend(site.proposals.iter().map(|proposal| PageKey::Proposal(proposal.id.clone())));
    keys.extend(site.statements.iter().map(|statement| PageKey::Statement(statement.id.clone())));
    keys.extend(site.updates.iter().map(|update| PageKey::Update(update.id.clone())));
    keys.extend(site.pages.iter().map(|page| PageKey::Free(page.id.clone())));
    keys.extend(site.areas.iter().map(|area| PageKey::AreaOverview(area.id.clone())));
    keys.extend(site.areas.iter().map(|area| PageKey::AreaDossier(area.id.clone())));
    keys.extend(site.organisations.iter().map(|organisation| PageKey::Organisation(organisation.slug.clone())));
    for stance in Stance::ALL.into_iter().filter(|stance| overview::stance_is_split(site, *stance)) {
        keys.extend(site.areas.iter().map(|area| PageKey::StanceArea(stance, area.id.clone())));
    }
    keys
}

/// Whether to render the open-data files along with pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    Render,
    /// They would come out the same: the positions and names they hold are unchanged.
    Keep,
}

/// Renders the given pages into `rendered`, with the static files (and the data files,
/// unless kept), and notes in `record` what each page read. Pages not named are left as
/// they are.
pub fn render_pages(
    site: &Site,
    templates: &Templates,
    keys: &[PageKey],
    data: Data,
    rendered: &mut Rendered,
    record: &mut Record,
) -> Result<(), Vec<Diagnostic>> {
    let files = Mutex::new(Vec::new());
    let reads = Mutex::new(Vec::new());
    let result = render_each(
        site,
        templates,
        keys,
        data,
        |path, bytes| files.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push((path, bytes)),
        |key, inputs| reads.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push((key.clone(), inputs)),
    );
    // A failed render leaves the last record, as it leaves the last output.
    result?;
    for (key, inputs) in reads.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()) {
        record.note(key, inputs);
    }
    rendered.files.extend(files.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()));
    Ok(())
}

/// Renders the given pages, the static files and (unless kept) the data files, handing
/// each file to `sink` as soon as it is made, and what each page read to `read`: in
/// parallel, in no particular order. A build can write pages as they come instead of
/// holding the whole site in memory.
pub fn render_each(
    site: &Site,
    templates: &Templates,
    keys: &[PageKey],
    data: Data,
    sink: impl Fn(String, Arc<[u8]>) + Sync,
    read: impl Fn(&PageKey, Vec<Input>) + Sync,
) -> Result<(), Vec<Diagnostic>> {
    let index = Index::new(site);
    let jobs = keys.par_iter().filter_map(|key| {
        let linker = Linker::new(site);
        let job = job(site, &index, &linker, templates, key)?;
        read(key, linker.into_reads());
        Some(job)
    });
    render_jobs(templates, jobs, &sink)?;
    let mut problems = Vec::new();
    if data == Data::Render {
        sink(DATA_JSON.to_owned(), data::positions_json(site).into());
        sink(DATA_CSV.to_owned(), data::positions_csv(site).into());
    }
    sink(SYNTAX_CSS.to_owned(), syntax_css());
    let generated = generated_files(site);
    // A static file where the site needs a folder (`static/forslag` beside `forslag/`)
    // would stop the whole output from being written.
    let folders: std::collections::HashSet<&str> =
        generated.iter().flat_map(|path| path.match_indices('/').map(move |(at, _)| &path[..at])).collect();
    for file in &site.theme.static_files {
        if folders.contains(file.path.as_str()) || file.path == SEARCH_FOLDER {
            problems.push(
                Diagnostic::in_file(&file.origin, format!("this file has the name of the folder `{}/`, which holds the site's own pages", file.path))
                    .with_help("rename or move the file, or put it in a folder of its own in static/"),
            );
            continue;
        }
        if generated.contains(&file.path) || file.path.starts_with(&routes::within(SEARCH_FOLDER, "")) {
            problems.push(
                Diagnostic::in_file(&file.origin, format!("this file would replace `{}`, which remiss makes itself", file.path))
                    .with_help("rename or move the file; the site's own pages, data and search index cannot be overridden from static/"),
            );
            continue;
        }
        sink(file.path.clone(), file.bytes.clone());
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// Renders each page's job through its template, handing the page to `sink`; the
/// problems of every page that failed, each told once.
fn render_jobs(
    templates: &Templates,
    jobs: impl ParallelIterator<Item = Result<Job, Diagnostic>>,
    sink: &(impl Fn(String, Arc<[u8]>) + Sync),
) -> Result<(), Vec<Diagnostic>> {
    let mut problems: Vec<Diagnostic> = jobs
        .filter_map(|job| match job.and_then(|job| templates.render(job.template, &job.context).map(|html| (job.output, html))) {
            Ok((path, html)) => {
                sink(path, html.into_bytes().into());
                None
            }
            Err(problem) => Some(problem),
        })
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    problems.sort_by_key(ToString::to_string);
    problems.dedup_by(|a, b| a.to_string() == b.to_string());
    Err(problems)
}

/// Every file remiss makes itself (but the search index, which has a folder of its own).
fn generated_files(site: &Site) -> std::collections::HashSet<String> {
    let mut files: std::collections::HashSet<String> = all_pages(site).iter().map(routes::page_file).collect();
    files.extend([DATA_JSON, DATA_CSV, SYNTAX_CSS].map(str::to_owned));
    files
}

/// Ids to positions in the model's lists, built once per render.
struct Index<'a> {
    proposals: HashMap<&'a str, ProposalIx>,
    statements: HashMap<&'a str, StatementIx>,
    updates: HashMap<&'a str, usize>,
    pages: HashMap<&'a str, usize>,
    areas: HashMap<&'a str, AreaIx>,
    organisations: HashMap<&'a str, usize>,
}

impl<'a> Index<'a> {
    fn new(site: &'a Site) -> Index<'a> {
        fn by_id<'a, I, T: 'a>(items: impl Iterator<Item = (I, &'a T)>, id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, I> {
            items.map(|(index, item)| (id(item), index)).collect()
        }
        Index {
            proposals: by_id(site.proposals.enumerated(), |proposal| &proposal.id),
            statements: by_id(site.statements.enumerated(), |statement| &statement.id),
            updates: by_id(site.updates.iter().enumerate(), |update| &update.id),
            pages: by_id(site.pages.iter().enumerate(), |page| &page.id),
            areas: by_id(site.areas.enumerated(), |area| &area.id),
            organisations: by_id(site.organisations.iter().enumerate(), |organisation| &organisation.slug),
        }
    }
}

/// The job of rendering one page; `None` for a key the site no longer has.
fn job(site: &Site, index: &Index, linker: &Linker, templates: &Templates, key: &PageKey) -> Option<Result<Job, Diagnostic>> {
    let job = match key {
        PageKey::Home => pages::home(site, linker),
        PageKey::ProposalsIndex => pages::proposals_index(site, linker),
        PageKey::Proposal(id) => pages::proposal_page(site, linker, *index.proposals.get(id.as_str())?),
        PageKey::StatementsIndex => pages::statements_index(site, linker),
        PageKey::Statement(id) => {
            return Some(pages::statement_page(site, linker, templates, *index.statements.get(id.as_str())?));
        }
        PageKey::UpdatesIndex => pages::updates_index(site, linker),
        PageKey::Update(id) => pages::update_page(site, linker, *index.updates.get(id.as_str())?),
        PageKey::Free(id) => pages::free_page(site, linker, *index.pages.get(id.as_str())?),
        PageKey::NotFound => pages::not_found(),
        PageKey::Filters => overview::filters_page(site, linker),
        PageKey::Search => pages::search_page(),
        PageKey::AreaOverview(id) => overview::area_overview(site, linker, *index.areas.get(id.as_str())?),
        PageKey::Organisation(slug) => {
            overview::organisation_overview(site, linker, &site.organisations[*index.organisations.get(slug.as_str())?])
        }
        PageKey::Stance(stance) => overview::stance_page(site, linker, *stance, None),
        PageKey::StanceArea(stance, id) => {
            // Only a stance with too many positions for one page has pages per area.
            let area = *index.areas.get(id.as_str()).filter(|_| overview::stance_is_split(site, *stance))?;
            overview::stance_page(site, linker, *stance, Some(area))
        }
        PageKey::Dossier => overview::dossier(site, linker, None),
        PageKey::AreaDossier(id) => overview::dossier(site, linker, Some(*index.areas.get(id.as_str())?)),
        PageKey::UpdatesFeed => feeds::updates_feed(site, linker),
        PageKey::StatementsFeed => feeds::statements_feed(site, linker),
        PageKey::Sitemap => feeds::sitemap(site, linker),
        PageKey::Robots => feeds::robots(site),
        PageKey::Catalog => feeds::catalog(site, linker),
    };
    Some(Ok(job))
}

/// The stylesheet for highlighted code, made once: it depends on nothing in the site.
fn syntax_css() -> Arc<[u8]> {
    static CSS: OnceLock<Arc<[u8]>> = OnceLock::new();
    CSS.get_or_init(|| markdown::highlight_css().into_bytes().into()).clone()
}

/// One page to render: where it goes, which template, what the template sees.
struct Job {
    output: String,
    template: &'static str,
    context: Context,
}

/// A page's rendered Markdown, and whether it needs the code stylesheet.
fn insert_content(context: &mut Context, html: markdown::Html) {
    context.insert("content", &html.html);
    context.insert("has_code", &html.has_code);
}

/// What every page's template sees besides the site-wide globals.
fn page_context(path: &str, title: &str, description: Option<&str>) -> Context {
    let mut context = Context::new();
    context.insert("path", path);
    context.insert("page_title", title);
    context.insert("description", &description);
    context
}

/// Site-wide values every template sees: the site, the UI strings, the footer's pages.
/// They are compiled into the templates: pages read them all.
pub fn globals(site: &Site) -> HashMap<&'static str, tera::Value> {
    let config = &site.config;
    let view = SiteView {
        title: &config.title,
        description: config.description.as_deref(),
        base_url: &config.base_url,
        base_path: &config.base_path,
        language: config.language.code(),
        consultation: &site.consultation.title,
        pages: site.pages.iter().map(|page| PageLink { title: page.title.clone(), url: config.link(&page.path), path: page.path.clone() }).collect(),
        search: config.build_search_index,
        // In an archive one index serves every consultation, at the archive's root.
        search_base: config.archive.as_ref().map_or(&config.base_path, |archive| &archive.base_path),
        archive: config.archive.as_ref().map(|archive| ArchiveLink { title: &archive.title, url: routes::link(&archive.base_path, "") }),
        hub: false,
    };
    globals_of(&view, &site.theme.strings)
}

fn globals_of(view: &SiteView, strings: &toml::Table) -> HashMap<&'static str, tera::Value> {
    HashMap::from([("site", tera::Value::from_serializable(view)), ("t", tera::Value::from_serializable(strings))])
}

/// What templates see as `site`.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    base_path: &'a str,
    language: &'static str,
    consultation: &'a str,
    pages: Vec<PageLink>,
    /// Whether the site has a search page.
    search: bool,
    /// The base path of the search index (`<search_base>/pagefind/`).
    search_base: &'a str,
    /// The archive a consultation is part of.
    archive: Option<ArchiveLink<'a>>,
    /// Whether the page is one of an archive's own (the hub, an organisation across
    /// consultations), which have no single consultation's menus.
    hub: bool,
}

#[derive(Serialize)]
struct ArchiveLink<'a> {
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct PageLink {
    title: String,
    url: String,
    path: String,
}
