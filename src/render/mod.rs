//! Rendering: the site model turned into the site's files, in memory.
//!
//! 1. Compile the templates once (the theme's, then the site's overrides).
//! 2. Render every document's Markdown once, marking quoted passages in statements.
//! 3. Render every page through its template, in parallel.
//! 4. Add the open-data files and the static files.
//!
//! Nothing here reads a file: the model holds everything.

mod data;
mod summary;
mod templates;
mod views;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Mark, RawHtml};
use crate::model::Site;
pub use templates::Templates;
use views::{Linker, PositionView, ProposalView, StatementView};

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

/// A page of the site, named by what it shows (ids, not positions in lists, so that a
/// key still means the same page after a rebuild).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageKey {
    Home,
    ProposalsIndex,
    Proposal(String),
    StatementsIndex,
    Statement(String),
    UpdatesIndex,
    Update(String),
    Free(String),
    NotFound,
}

/// Every page of a site.
pub fn all_pages(site: &Site) -> Vec<PageKey> {
    let mut keys = vec![PageKey::Home, PageKey::ProposalsIndex, PageKey::StatementsIndex, PageKey::UpdatesIndex, PageKey::NotFound];
    keys.extend(site.proposals.iter().map(|proposal| PageKey::Proposal(proposal.id.clone())));
    keys.extend(site.statements.iter().map(|statement| PageKey::Statement(statement.id.clone())));
    keys.extend(site.updates.iter().map(|update| PageKey::Update(update.id.clone())));
    keys.extend(site.pages.iter().map(|page| PageKey::Free(page.id.clone())));
    keys
}

/// Renders the whole site.
pub fn render(site: &Site) -> Result<Rendered, Vec<Diagnostic>> {
    let templates = Templates::compile(site)?;
    let mut rendered = Rendered::default();
    render_pages(site, &templates, &all_pages(site), &mut rendered)?;
    Ok(rendered)
}

/// Renders the given pages into `rendered`, with the data and static files, which
/// change with any content. Pages not named are left as they are.
pub fn render_pages(site: &Site, templates: &Templates, keys: &[PageKey], rendered: &mut Rendered) -> Result<(), Vec<Diagnostic>> {
    let linker = Linker::new(site);
    let index = Index::new(site);
    let pages: Vec<Result<(String, Vec<u8>), Diagnostic>> = keys
        .par_iter()
        .filter_map(|key| job(site, &index, &linker, templates, key))
        .map(|job| job.and_then(|job| templates.render(job.template, &job.context).map(|html| (job.output, html.into_bytes()))))
        .collect();
    let mut problems = Vec::new();
    for page in pages {
        match page {
            Ok((path, bytes)) => {
                rendered.files.insert(path, bytes.into());
            }
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(ToString::to_string);
        problems.dedup_by(|a, b| a.to_string() == b.to_string());
        return Err(problems);
    }
    rendered.files.insert("data/positions.json".to_owned(), data::positions_json(site).into());
    rendered.files.insert("data/positions.csv".to_owned(), data::positions_csv(site).into());
    rendered.files.insert("syntax.css".to_owned(), syntax_css());
    for file in &site.theme.static_files {
        rendered.files.insert(file.path.clone(), file.bytes.clone());
    }
    Ok(())
}

/// The output file of a page.
pub fn output_path(key: &PageKey) -> String {
    match key {
        PageKey::Home => "index.html".to_owned(),
        PageKey::ProposalsIndex => "forslag/index.html".to_owned(),
        PageKey::Proposal(id) => format!("forslag/{id}/index.html"),
        PageKey::StatementsIndex => "remissvar/index.html".to_owned(),
        PageKey::Statement(id) => format!("remissvar/{id}/index.html"),
        PageKey::UpdatesIndex => "aktuellt/index.html".to_owned(),
        PageKey::Update(id) => format!("aktuellt/{id}/index.html"),
        PageKey::Free(id) => format!("{id}/index.html"),
        PageKey::NotFound => "404.html".to_owned(),
    }
}

/// Ids to positions in the model's lists, built once per render.
struct Index<'a> {
    proposals: HashMap<&'a str, usize>,
    statements: HashMap<&'a str, usize>,
    updates: HashMap<&'a str, usize>,
    pages: HashMap<&'a str, usize>,
}

impl<'a> Index<'a> {
    fn new(site: &'a Site) -> Index<'a> {
        fn by_id<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, usize> {
            items.iter().enumerate().map(|(index, item)| (id(item), index)).collect()
        }
        Index {
            proposals: by_id(&site.proposals, |proposal| &proposal.id),
            statements: by_id(&site.statements, |statement| &statement.id),
            updates: by_id(&site.updates, |update| &update.id),
            pages: by_id(&site.pages, |page| &page.id),
        }
    }
}

/// The job of rendering one page; `None` for a key the site no longer has.
fn job(site: &Site, index: &Index, linker: &Linker, templates: &Templates, key: &PageKey) -> Option<Result<Job, Diagnostic>> {
    let job = match key {
        PageKey::Home => home(site, linker),
        PageKey::ProposalsIndex => proposals_index(site, linker),
        PageKey::Proposal(id) => proposal_page(site, linker, *index.proposals.get(id.as_str())?),
        PageKey::StatementsIndex => statements_index(site, linker),
        PageKey::Statement(id) => {
            return Some(statement_page(site, linker, templates, *index.statements.get(id.as_str())?));
        }
        PageKey::UpdatesIndex => updates_index(site, linker),
        PageKey::Update(id) => {
            let update = &site.updates[*index.updates.get(id.as_str())?];
            let mut context = page_context(&update.path, &update.title, update.description.as_deref());
            context.insert("update", &UpdateView::new(linker, update));
            insert_content(&mut context, markdown::render(&update.body, &[], RawHtml::Sanitise));
            Job { output: output_path(key), template: "update.html", context }
        }
        PageKey::Free(id) => {
            let page = &site.pages[*index.pages.get(id.as_str())?];
            let page_html = if site.config.trust_html_in_pages { RawHtml::Trust } else { RawHtml::Sanitise };
            let mut context = page_context(&page.path, &page.title, page.description.as_deref());
            insert_content(&mut context, markdown::render(&page.body, &[], page_html));
            Job { output: output_path(key), template: "page.html", context }
        }
        PageKey::NotFound => {
            let mut context = page_context("404.html", "", None);
            context.insert("not_found", &true);
            Job { output: output_path(key), template: "404.html", context }
        }
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

fn home(site: &Site, linker: &Linker) -> Job {
    let consultation = &site.consultation;
    let mut context = page_context("", &consultation.title, consultation.description.as_deref());
    insert_content(&mut context, markdown::render(&consultation.body, &[], RawHtml::Sanitise));
    context.insert(
        "consultation",
        &ConsultationView {
            issuer: &consultation.issuer,
            deadline: linker.date(consultation.deadline),
            reference: consultation.reference.as_deref(),
            documents: &consultation.documents,
        },
    );
    context.insert("overview", &overview(site, linker));
    context.insert(
        "figures",
        &Figures {
            proposals: site.proposals.len(),
            statements: site.statements.len(),
            organisations: organisations(site).len(),
            positions: site.positions.len(),
        },
    );
    context.insert("updates", &site.updates.iter().take(3).map(|update| UpdateView::new(linker, update)).collect::<Vec<_>>());
    Job { output: output_path(&PageKey::Home), template: "index.html", context }
}

#[derive(Serialize)]
struct ConsultationView<'a> {
    issuer: &'a str,
    deadline: views::DateView,
    reference: Option<&'a str>,
    documents: &'a [crate::load::meta::ReferralDocument],
}

#[derive(Serialize)]
struct Figures {
    proposals: usize,
    statements: usize,
    organisations: usize,
    positions: usize,
}

/// The proposals × bodies table: one row per proposal, one cell per body, in the
/// statements' order. Filled from the positions in one pass: no per-cell search.
#[derive(Serialize)]
struct Overview<'a> {
    bodies: Vec<StatementView<'a>>,
    areas: Vec<OverviewArea<'a>>,
}

#[derive(Serialize)]
struct OverviewArea<'a> {
    title: &'a str,
    rows: Vec<OverviewRow<'a>>,
}

#[derive(Serialize)]
struct OverviewRow<'a> {
    proposal: ProposalView<'a>,
    cells: Vec<Option<PositionView<'a>>>,
}

fn overview<'a>(site: &'a Site, linker: &Linker<'a>) -> Overview<'a> {
    let bodies = site.statements.len();
    let mut cells: Vec<Option<PositionView>> = (0..site.proposals.len() * bodies).map(|_| None).collect();
    for position in &site.positions {
        cells[position.proposal * bodies + position.statement] = Some(linker.position(position));
    }
    let mut cells = cells.into_iter();
    let mut rows: Vec<OverviewRow> = site
        .proposals
        .iter()
        .map(|proposal| OverviewRow { proposal: linker.proposal(proposal), cells: cells.by_ref().take(bodies).collect() })
        .collect();
    let mut areas = Vec::with_capacity(site.areas.len());
    for area in site.areas.iter().rev() {
        let area_rows = rows.split_off(rows.len() - area.proposals.len());
        areas.push(OverviewArea { title: &area.title, rows: area_rows });
    }
    areas.reverse();
    Overview { bodies: site.statements.iter().map(|statement| linker.statement(statement)).collect(), areas }
}

fn proposals_index(site: &Site, linker: &Linker) -> Job {
    #[derive(Serialize)]
    struct AreaView<'a> {
        id: &'a str,
        title: &'a str,
        reports: &'a [String],
        content: String,
        proposals: Vec<ProposalView<'a>>,
    }
    let areas: Vec<AreaView> = site
        .areas
        .iter()
        .map(|area| AreaView {
            id: &area.id,
            title: &area.title,
            reports: &area.reports,
            content: markdown::render(&area.body, &[], RawHtml::Sanitise).html,
            proposals: area.proposals.iter().map(|&proposal| linker.proposal(&site.proposals[proposal])).collect(),
        })
        .collect();
    let mut context = page_context("forslag/", "", None);
    context.insert("areas", &areas);
    Job { output: output_path(&PageKey::ProposalsIndex), template: "proposals.html", context }
}

fn proposal_page(site: &Site, linker: &Linker, index: usize) -> Job {
    #[derive(Serialize)]
    struct Response<'a> {
        body: StatementView<'a>,
        position: PositionView<'a>,
    }
    let proposal = &site.proposals[index];
    let mut has_position = vec![false; site.statements.len()];
    let responses: Vec<Response> = proposal
        .positions
        .iter()
        .map(|&position| {
            let position = &site.positions[position];
            has_position[position.statement] = true;
            Response { body: linker.statement(&site.statements[position.statement]), position: linker.position(position) }
        })
        .collect();
    let silent: Vec<StatementView> = site
        .statements
        .iter()
        .zip(&has_position)
        .filter(|(_, has)| !**has)
        .map(|(statement, _)| linker.statement(statement))
        .collect();
    let mut context = page_context(&proposal.path, &proposal.title, None);
    context.insert("proposal", &linker.proposal(proposal));
    insert_content(&mut context, markdown::render(&proposal.body, &[], RawHtml::Sanitise));
    context.insert("responses", &responses);
    context.insert("summary", &summary::proposal_summary(site, proposal));
    context.insert("silent_bodies", &silent);
    let neighbour = |index: Option<usize>| index.and_then(|index| site.proposals.get(index)).map(|p| linker.proposal(p));
    context.insert("previous", &neighbour(index.checked_sub(1)));
    context.insert("next", &neighbour(Some(index + 1)));
    Job { output: output_path(&PageKey::Proposal(proposal.id.clone())), template: "proposal.html", context }
}

/// The organisations, in the statements' order.
fn organisations(site: &Site) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for statement in &site.statements {
        if names.last() != Some(&statement.organisation.as_str()) {
            names.push(&statement.organisation);
        }
    }
    names
}

fn statements_index(site: &Site, linker: &Linker) -> Job {
    #[derive(Serialize)]
    struct Organisation<'a> {
        name: &'a str,
        statements: Vec<Entry<'a>>,
    }
    #[derive(Serialize)]
    struct Entry<'a> {
        statement: StatementView<'a>,
        parts: Vec<StatementView<'a>>,
    }
    let organisations: Vec<Organisation> = organisations(site)
        .into_iter()
        .map(|name| Organisation {
            name,
            statements: site
                .statements
                .iter()
                .filter(|statement| statement.organisation == name && statement.part_of.is_none())
                .map(|statement| Entry {
                    statement: linker.statement(statement),
                    parts: statement.parts.iter().map(|&part| linker.statement(&site.statements[part])).collect(),
                })
                .collect(),
        })
        .collect();
    let mut context = page_context("remissvar/", "", None);
    context.insert("organisations", &organisations);
    Job { output: output_path(&PageKey::StatementsIndex), template: "statements.html", context }
}

/// A statement's text, with every quoted passage anchored and noted.
fn statement_body(site: &Site, templates: &Templates, linker: &Linker, index: usize) -> Result<markdown::Html, Diagnostic> {
    let statement = &site.statements[index];
    let marks = statement
        .positions
        .iter()
        .map(|&position| {
            let position = &site.positions[position];
            let mut context = Context::new();
            context.insert("proposal", &linker.proposal(&site.proposals[position.proposal]));
            context.insert("position", &linker.position(position));
            let note = templates.render("partials/passage_note.html", &context)?;
            Ok(Mark { blocks: position.passages.clone(), id: position.anchor.clone(), note })
        })
        .collect::<Result<Vec<Mark>, Diagnostic>>()?;
    Ok(markdown::render(&statement.body, &marks, RawHtml::Sanitise))
}

fn statement_page(site: &Site, linker: &Linker, templates: &Templates, index: usize) -> Result<Job, Diagnostic> {
    #[derive(Serialize)]
    struct Addressed<'a> {
        proposal: ProposalView<'a>,
        position: PositionView<'a>,
        anchor: &'a str,
    }
    #[derive(Serialize)]
    struct Details<'a> {
        decision: Option<&'a str>,
        prepared: Option<views::DateView>,
        prepared_by: Option<&'a str>,
        minutes: Option<&'a str>,
        joint_with: &'a [String],
        signed_by: &'a [String],
        source: Option<&'a str>,
    }
    let statement = &site.statements[index];
    let body = statement_body(site, templates, linker, index)?;
    let addressed: Vec<Addressed> = statement
        .positions
        .iter()
        .map(|&position| {
            let position = &site.positions[position];
            Addressed {
                proposal: linker.proposal(&site.proposals[position.proposal]),
                position: linker.position(position),
                anchor: &position.anchor,
            }
        })
        .collect();
    let details = Details {
        decision: statement.decision.as_deref(),
        prepared: statement.prepared.map(|date| linker.date(date)),
        prepared_by: statement.prepared_by.as_deref(),
        minutes: statement.minutes.as_deref(),
        joint_with: &statement.joint_with,
        signed_by: &statement.signed_by,
        source: statement.source.as_deref(),
    };
    let parts: Vec<StatementView> = statement.parts.iter().map(|&part| linker.statement(&site.statements[part])).collect();
    let mut context = page_context(&statement.path, &statement.title, None);
    context.insert("statement", &linker.statement(statement));
    context.insert("details", &details);
    insert_content(&mut context, body);
    context.insert("addressed", &addressed);
    context.insert("parts", &parts);
    Ok(Job { output: output_path(&PageKey::Statement(statement.id.clone())), template: "statement.html", context })
}

#[derive(Serialize)]
struct UpdateView<'a> {
    title: &'a str,
    date: views::DateView,
    description: Option<&'a str>,
    url: String,
}

impl<'a> UpdateView<'a> {
    fn new(linker: &Linker, update: &'a crate::model::Update) -> UpdateView<'a> {
        UpdateView {
            title: &update.title,
            date: linker.date(update.date),
            description: update.description.as_deref(),
            url: linker.link(&update.path),
        }
    }
}

fn updates_index(site: &Site, linker: &Linker) -> Job {
    let updates: Vec<UpdateView> = site.updates.iter().map(|update| UpdateView::new(linker, update)).collect();
    let mut context = page_context("aktuellt/", "", None);
    context.insert("updates", &updates);
    Job { output: output_path(&PageKey::UpdatesIndex), template: "updates.html", context }
}

/// Site-wide values every template sees: the site, the UI strings, the footer's pages.
fn globals(site: &Site) -> HashMap<&'static str, tera::Value> {
    #[derive(Serialize)]
    struct SiteView<'a> {
        title: &'a str,
        description: Option<&'a str>,
        base_url: &'a str,
        base_path: &'a str,
        language: &'static str,
        consultation: &'a str,
        pages: Vec<PageLink<'a>>,
    }
    #[derive(Serialize)]
    struct PageLink<'a> {
        title: &'a str,
        url: String,
        path: &'a str,
    }
    let config = &site.config;
    let view = SiteView {
        title: &config.title,
        description: config.description.as_deref(),
        base_url: &config.base_url,
        base_path: &config.base_path,
        language: config.language.code(),
        consultation: &site.consultation.title,
        pages: site.pages.iter().map(|page| PageLink { title: &page.title, url: config.link(&page.path), path: &page.path }).collect(),
    };
    HashMap::from([
        ("site", tera::Value::from_serializable(&view)),
        ("t", tera::Value::from_serializable(&site.theme.strings)),
    ])
}
