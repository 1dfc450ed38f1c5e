//! The proposals × bodies overview, and the pages that narrow it down without a server
//! (or JavaScript): by area, by organisation, by stance; and the printable dossier.
//!
//! The table is the one thing in the site that is proposals × bodies by nature. It is
//! filled from each row's own positions, never by searching per cell, and a table that
//! would make a page too heavy for a phone is not drawn: the page links to the narrower
//! views instead.

use serde::Serialize;

use super::views::{Linker, PositionView, ProposalView, StatementView};
use super::{Job, PageKey, insert_content, output_path, page_context, summary};
use crate::load::meta::Stance;
use crate::markdown::{self, RawHtml};
use crate::model::{Organisation, Site};

/// The most cells a page's table may have (about 130 bytes each: 6,000 stay well
/// under a megabyte).
const MOST_CELLS: usize = 6_000;

/// The dossier is one page up to this many positions; beyond, one page per area.
const DOSSIER_ON_ONE_PAGE: usize = 1_500;

#[derive(Serialize)]
pub struct Overview<'a> {
    bodies: Vec<StatementView<'a>>,
    areas: Vec<OverviewArea<'a>>,
}

#[derive(Serialize)]
struct OverviewArea<'a> {
    id: &'a str,
    title: &'a str,
    rows: Vec<OverviewRow<'a>>,
}

#[derive(Serialize)]
struct OverviewRow<'a> {
    proposal: ProposalView<'a>,
    cells: Vec<Option<PositionView<'a>>>,
}

/// The table of some areas' proposals (rows) and some bodies (columns), or `None` when
/// it has too many cells for one page.
pub fn table<'a>(site: &'a Site, linker: &Linker<'a>, areas: &[usize], bodies: &[usize]) -> Option<Overview<'a>> {
    let rows: usize = areas.iter().map(|&area| site.areas[area].proposals.len()).sum();
    if rows * bodies.len() > MOST_CELLS {
        return None;
    }
    let mut column = vec![None; site.statements.len()];
    for (index, &body) in bodies.iter().enumerate() {
        column[body] = Some(index);
    }
    let areas = areas
        .iter()
        .map(|&area| {
            let area = &site.areas[area];
            let rows = area
                .proposals
                .iter()
                .map(|&proposal| {
                    let proposal = &site.proposals[proposal];
                    let mut cells: Vec<Option<PositionView>> = (0..bodies.len()).map(|_| None).collect();
                    for &position in &proposal.positions {
                        let position = &site.positions[position];
                        if let Some(index) = column[position.statement] {
                            cells[index] = Some(linker.position(position));
                        }
                    }
                    OverviewRow { proposal: linker.proposal(proposal), cells }
                })
                .collect();
            OverviewArea { id: &area.id, title: &area.title, rows }
        })
        .collect();
    Some(Overview { bodies: bodies.iter().map(|&body| linker.statement(&site.statements[body])).collect(), areas })
}

/// The whole table, for the home page.
pub fn full_table<'a>(site: &'a Site, linker: &Linker<'a>) -> Option<Overview<'a>> {
    let areas: Vec<usize> = (0..site.areas.len()).collect();
    let bodies: Vec<usize> = (0..site.statements.len()).collect();
    table(site, linker, &areas, &bodies)
}

/// Links to the narrower views, with what each holds.
#[derive(Serialize)]
pub struct Filters<'a> {
    areas: Vec<FilterLink<'a>>,
    organisations: Vec<FilterLink<'a>>,
    stances: Vec<FilterLink<'a>>,
}

#[derive(Serialize)]
struct FilterLink<'a> {
    /// A title, or a stance's key for the templates to name.
    name: &'a str,
    url: String,
    count: usize,
}

pub fn filters<'a>(site: &'a Site, linker: &Linker<'a>) -> Filters<'a> {
    let mut per_stance = [0; Stance::ALL.len()];
    for position in &site.positions {
        per_stance[Stance::ALL.iter().position(|stance| *stance == position.stance).unwrap_or(0)] += 1;
    }
    Filters {
        areas: site
            .areas
            .iter()
            .map(|area| FilterLink {
                name: &area.title,
                url: linker.link(&url_path(&PageKey::AreaOverview(area.id.clone()))),
                count: area.proposals.len(),
            })
            .collect(),
        organisations: site
            .organisations
            .iter()
            .map(|organisation| FilterLink {
                name: &organisation.name,
                url: linker.link(&url_path(&PageKey::Organisation(organisation.slug.clone()))),
                count: organisation.statements.len(),
            })
            .collect(),
        stances: Stance::ALL
            .iter()
            .zip(per_stance)
            .map(|(stance, count)| FilterLink {
                name: stance.key(),
                url: linker.link(&url_path(&PageKey::Stance(*stance))),
                count,
            })
            .collect(),
    }
}

/// A page's URL path inside the site: its output file without `index.html`.
pub fn url_path(key: &PageKey) -> String {
    let output = output_path(key);
    output.strip_suffix("index.html").map(str::to_owned).unwrap_or(output)
}

pub fn filters_page(site: &Site, linker: &Linker) -> Job {
    let mut context = page_context("oversikt/", "", None);
    context.insert("filters", &filters(site, linker));
    Job { output: output_path(&PageKey::Filters), template: "filters.html", context }
}

pub fn area_overview(site: &Site, linker: &Linker, area: usize) -> Job {
    let bodies: Vec<usize> = (0..site.statements.len()).collect();
    let key = PageKey::AreaOverview(site.areas[area].id.clone());
    let mut context = page_context(&url_path(&key), &site.areas[area].title, None);
    context.insert("overview", &table(site, linker, &[area], &bodies));
    context.insert("filters", &filters(site, linker));
    context.insert("heading", &site.areas[area].title);
    Job { output: output_path(&key), template: "overview.html", context }
}

pub fn organisation_overview(site: &Site, linker: &Linker, organisation: &Organisation) -> Job {
    let areas: Vec<usize> = (0..site.areas.len()).collect();
    let bodies: Vec<usize> = organisation.statements.clone().collect();
    let key = PageKey::Organisation(organisation.slug.clone());
    let mut context = page_context(&url_path(&key), &organisation.name, None);
    context.insert("overview", &table(site, linker, &areas, &bodies));
    context.insert("filters", &filters(site, linker));
    context.insert("heading", &organisation.name);
    context.insert(
        "bodies",
        &bodies.iter().map(|&body| linker.statement(&site.statements[body])).collect::<Vec<_>>(),
    );
    Job { output: output_path(&key), template: "overview.html", context }
}

/// A response to a proposal: who, and what they said.
#[derive(Serialize)]
pub struct Response<'a> {
    pub body: StatementView<'a>,
    pub position: PositionView<'a>,
}

/// Every position of one stance, under its proposal.
pub fn stance_page(site: &Site, linker: &Linker, stance: Stance) -> Job {
    #[derive(Serialize)]
    struct Group<'a> {
        proposal: ProposalView<'a>,
        responses: Vec<Response<'a>>,
    }
    let groups: Vec<Group> = site
        .proposals
        .iter()
        .filter_map(|proposal| {
            let responses: Vec<Response> = proposal
                .positions
                .iter()
                .map(|&position| &site.positions[position])
                .filter(|position| position.stance == stance)
                .map(|position| Response { body: linker.statement(&site.statements[position.statement]), position: linker.position(position) })
                .collect();
            (!responses.is_empty()).then(|| Group { proposal: linker.proposal(proposal), responses })
        })
        .collect();
    let key = PageKey::Stance(stance);
    let mut context = page_context(&url_path(&key), "", None);
    context.insert("stance", stance.key());
    context.insert("groups", &groups);
    context.insert("filters", &filters(site, linker));
    Job { output: output_path(&key), template: "stance.html", context }
}

/// The printable compilation of every proposal and every position under it, as a city
/// office writes by hand today: the whole consultation, or one area of a large one.
pub fn dossier(site: &Site, linker: &Linker, area: Option<usize>) -> Job {
    #[derive(Serialize)]
    struct Entry<'a> {
        proposal: ProposalView<'a>,
        content: String,
        summary: String,
        responses: Vec<Response<'a>>,
    }
    #[derive(Serialize)]
    struct Section<'a> {
        id: &'a str,
        title: &'a str,
        url: String,
        entries: Vec<Entry<'a>>,
    }
    let whole = area.is_none() && site.positions.len() <= DOSSIER_ON_ONE_PAGE;
    let one_area = area.is_some();
    let areas: Vec<usize> = match area {
        Some(area) => vec![area],
        None => (0..site.areas.len()).collect(),
    };
    let sections: Vec<Section> = areas
        .iter()
        .map(|&index| {
            let area = &site.areas[index];
            let entries = if whole || one_area {
                area.proposals
                    .iter()
                    .map(|&proposal| {
                        let proposal = &site.proposals[proposal];
                        Entry {
                            proposal: linker.proposal(proposal),
                            content: markdown::render(&proposal.body, &[], RawHtml::Sanitise).html,
                            summary: summary::proposal_summary(site, proposal),
                            responses: proposal
                                .positions
                                .iter()
                                .map(|&position| &site.positions[position])
                                .map(|position| Response {
                                    body: linker.statement(&site.statements[position.statement]),
                                    position: linker.position(position),
                                })
                                .collect(),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let url = linker.link(&url_path(&PageKey::AreaDossier(area.id.clone())));
            Section { id: &area.id, title: &area.title, url, entries }
        })
        .collect();
    let key = match area {
        Some(area) => PageKey::AreaDossier(site.areas[area].id.clone()),
        None => PageKey::Dossier,
    };
    let title = area.map_or("", |area| site.areas[area].title.as_str());
    let mut context = page_context(&url_path(&key), title, None);
    context.insert("sections", &sections);
    // A large consultation's dossier page is an index of the areas' dossiers.
    context.insert("complete", &(whole || one_area));
    insert_content(&mut context, markdown::render(&site.consultation.body, &[], RawHtml::Sanitise));
    Job { output: output_path(&key), template: "dossier.html", context }
}
