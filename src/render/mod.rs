//! Rendering: the site model turned into the site's files, in memory.
//!
//! 1. Compile the templates once (the theme's, then the site's overrides).
//! 2. Render every document's Markdown once, marking quoted passages in statements.
//! 3. Render every page through its template, in parallel.
//! 4. Add the open-data files and the static files.
//!
//! Nothing here reads a file: the model holds everything.

mod data;
mod templates;
mod views;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Mark};
use crate::model::Site;
use templates::Templates;
use views::{Linker, PositionView, ProposalView, StatementView};

/// The rendered site: output paths (relative, with `/`) and their bytes.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Rendered {
    /// The number of HTML pages.
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|path| path.ends_with(".html")).count()
    }
}

/// One page to render: where it goes, which template, what the template sees.
struct Job {
    output: String,
    template: &'static str,
    context: Context,
}

pub fn render(site: &Site) -> Result<Rendered, Vec<Diagnostic>> {
    let templates = Templates::compile(site)?;
    let linker = Linker::new(site);
    let statement_html = statement_bodies(site, &templates, &linker)?;

    let mut jobs = Vec::new();
    jobs.push(home(site, &linker));
    jobs.push(proposals_index(site, &linker));
    jobs.extend(proposal_pages(site, &linker));
    jobs.push(statements_index(site, &linker));
    jobs.extend(statement_pages(site, &linker, statement_html));
    jobs.push(updates_index(site, &linker));
    for update in &site.updates {
        let mut context = page_context(&update.path, &update.title, update.description.as_deref());
        context.insert("update", &UpdateView::new(&linker, update));
        insert_content(&mut context, markdown::render(&update.body, &[]));
        jobs.push(Job { output: index_file(&update.path), template: "update.html", context });
    }
    for page in &site.pages {
        let mut context = page_context(&page.path, &page.title, page.description.as_deref());
        insert_content(&mut context, markdown::render(&page.body, &[]));
        jobs.push(Job { output: index_file(&page.path), template: "page.html", context });
    }
    let mut not_found = page_context("404.html", "", None);
    not_found.insert("not_found", &true);
    jobs.push(Job { output: "404.html".to_owned(), template: "404.html", context: not_found });

    let pages: Vec<Result<(String, Vec<u8>), Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| templates.render(job.template, &job.context).map(|html| (job.output, html.into_bytes())))
        .collect();
    let mut rendered = Rendered::default();
    let mut problems = Vec::new();
    for page in pages {
        match page {
            Ok((path, bytes)) => {
                rendered.files.insert(path, bytes);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        problems.dedup_by(|a, b| a.to_string() == b.to_string());
        return Err(problems);
    }
    rendered.files.insert("data/positions.json".to_owned(), data::positions_json(site));
    rendered.files.insert("data/positions.csv".to_owned(), data::positions_csv(site));
    if rendered.files.values().any(|bytes| contains(bytes, b"<pre class=\"code\">")) {
        rendered.files.insert("syntax.css".to_owned(), markdown::highlight_css().into_bytes());
    }
    for file in &site.theme.static_files {
        rendered.files.insert(file.path.clone(), file.bytes.to_vec());
    }
    Ok(rendered)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// `forslag/x/` → `forslag/x/index.html`
fn index_file(path: &str) -> String {
    format!("{path}index.html")
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
    insert_content(&mut context, markdown::render(&consultation.body, &[]));
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
    Job { output: "index.html".to_owned(), template: "index.html", context }
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
            content: markdown::render(&area.body, &[]).html,
            proposals: area.proposals.iter().map(|&proposal| linker.proposal(&site.proposals[proposal])).collect(),
        })
        .collect();
    let mut context = page_context("forslag/", "", None);
    context.insert("areas", &areas);
    Job { output: "forslag/index.html".to_owned(), template: "proposals.html", context }
}

fn proposal_pages<'a>(site: &'a Site, linker: &'a Linker<'a>) -> impl Iterator<Item = Job> + 'a {
    #[derive(Serialize)]
    struct Response<'a> {
        body: StatementView<'a>,
        position: PositionView<'a>,
    }
    site.proposals.iter().enumerate().map(move |(index, proposal)| {
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
        insert_content(&mut context, markdown::render(&proposal.body, &[]));
        context.insert("responses", &responses);
        context.insert("silent_bodies", &silent);
        let neighbour = |index: Option<usize>| index.and_then(|index| site.proposals.get(index)).map(|p| linker.proposal(p));
        context.insert("previous", &neighbour(index.checked_sub(1)));
        context.insert("next", &neighbour(Some(index + 1)));
        Job { output: index_file(&proposal.path), template: "proposal.html", context }
    })
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
    Job { output: "remissvar/index.html".to_owned(), template: "statements.html", context }
}

/// Each statement's text, rendered once, with every quoted passage anchored and noted.
fn statement_bodies(site: &Site, templates: &Templates, linker: &Linker) -> Result<Vec<markdown::Html>, Vec<Diagnostic>> {
    site.statements
        .par_iter()
        .map(|statement| {
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
            Ok(markdown::render(&statement.body, &marks))
        })
        .collect::<Result<Vec<markdown::Html>, Diagnostic>>()
        .map_err(|problem| vec![problem])
}

fn statement_pages<'a>(site: &'a Site, linker: &'a Linker<'a>, bodies: Vec<markdown::Html>) -> impl Iterator<Item = Job> + 'a {
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
    site.statements.iter().zip(bodies).map(move |(statement, body)| {
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
        Job { output: index_file(&statement.path), template: "statement.html", context }
    })
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
    Job { output: "aktuellt/index.html".to_owned(), template: "updates.html", context }
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
