//! The proposals × bodies overview, and the pages that narrow it down without a server
//! (or JavaScript): by area, by organisation, by stance; and the printable dossier.
//!
//! The table is the one thing in the site that is proposals × bodies by nature. It is
//! filled from each row's own positions, never by searching per cell, and a table that
//! would make a page too heavy for a phone is not drawn: the page links to the narrower
//! views instead.

use serde::Serialize;

use super::inputs::Input;
use super::views::{Linker, PositionView, ProposalView, StatementView};
use super::{Job, PageKey, insert_content, page_context, summary};
use crate::load::meta::Stance;
use crate::markdown::{self, RawHtml};
use crate::model::{AreaIx, List, Organisation, ProposalIx, Site, StatementIx};
use crate::routes::{self, page_file, page_path};

/// The most cells a page's table may have (about 130 bytes each: 6,000 stay well
/// under a megabyte).
const MOST_CELLS: usize = 6_000;

/// A page quotes at most this many positions (about 300 bytes each); a dossier or a
/// stance page with more is split by area, and an area with more still is summed up.
const QUOTES_ON_ONE_PAGE: usize = 1_500;

/// Organisations named in the narrowing links of every page; with more, only the
/// overview page lists them all (else each page would grow with the consultation).
const ORGANISATIONS_ON_EVERY_PAGE: usize = 40;

#[derive(Serialize)]
pub struct Overview<'a> {
    bodies: Vec<StatementView<'a>>,
    areas: Vec<OverviewArea<'a>>,
}

#[derive(Serialize)]
struct OverviewArea<'a> {
    id: &'a str,
    title: &'a str,
    /// The bodies' positions on the area as a whole, a row apart from the proposals'
    /// (empty when none of the table's bodies took one).
    area_cells: Vec<Option<PositionView<'a>>>,
    rows: Vec<OverviewRow<'a>>,
}

#[derive(Serialize)]
struct OverviewRow<'a> {
    proposal: ProposalView<'a>,
    cells: Vec<Option<PositionView<'a>>>,
}

/// Which proposals a table has a row for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// Every proposal of the areas: a proposal nobody answered is news too.
    All,
    /// Only the proposals one of the table's bodies took a position on, so that a
    /// table grows with the positions it shows, not with the consultation.
    Answered,
}

/// The table of some areas' proposals (rows) and some bodies (columns), or `None` when
/// it has too many cells for one page.
pub fn table<'a>(site: &'a Site, linker: &Linker<'a>, areas: &[AreaIx], bodies: &[StatementIx], rows: Rows) -> Option<Overview<'a>> {
    let mut column: List<StatementIx, Option<usize>> = vec![None; site.statements.len()].into();
    for (index, &body) in bodies.iter().enumerate() {
        column[body] = Some(index);
    }
    // Which proposals each area has, and who answered each.
    linker.read(Input::Proposals);
    for &area in areas {
        linker.read(Input::AreaPositionsOn(site.areas[area].id.clone()));
        for &proposal in &site.areas[area].proposals {
            linker.read(Input::PositionsOn(site.proposals[proposal].id.clone()));
        }
    }
    let answered = |proposal: ProposalIx| site.proposals[proposal].positions.iter().any(|&position| column[site.positions[position].statement].is_some());
    let shown: Vec<(AreaIx, Vec<ProposalIx>)> = areas
        .iter()
        .map(|&area| (area, site.areas[area].proposals.iter().copied().filter(|&proposal| rows == Rows::All || answered(proposal)).collect()))
        .collect();
    if shown.iter().map(|(_, proposals)| proposals.len()).sum::<usize>() * bodies.len() > MOST_CELLS {
        return None;
    }
    let areas = shown
        .into_iter()
        .map(|(area, proposals)| {
            let rows = proposals
                .into_iter()
                .map(|proposal| {
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
            let area = &site.areas[area];
            linker.read(Input::Area(area.id.clone()));
            let mut area_cells: Vec<Option<PositionView>> = Vec::new();
            for &position in &area.positions {
                let position = &site.area_positions[position];
                if let Some(index) = column[position.statement] {
                    area_cells.resize_with(bodies.len(), || None);
                    area_cells[index] = Some(linker.area_position(position));
                }
            }
            OverviewArea { id: &area.id, title: &area.title, area_cells, rows }
        })
        .collect();
    Some(Overview { bodies: bodies.iter().map(|&body| linker.statement(&site.statements[body])).collect(), areas })
}

/// The whole table, for the home page.
pub fn full_table<'a>(site: &'a Site, linker: &Linker<'a>) -> Option<Overview<'a>> {
    linker.read(Input::Statements);
    let areas: Vec<AreaIx> = site.areas.ids().collect();
    let bodies: Vec<StatementIx> = site.statements.ids().collect();
    table(site, linker, &areas, &bodies, Rows::All)
}

/// Links to the narrower views, with what each holds.
#[derive(Serialize)]
pub struct Filters<'a> {
    areas: Vec<FilterLink<'a>>,
    organisations: Vec<FilterLink<'a>>,
    /// How many organisations there are, when not all are listed.
    all_organisations: Option<usize>,
    stances: Vec<FilterLink<'a>>,
}

#[derive(Serialize)]
struct FilterLink<'a> {
    /// A title, or a stance's key for the templates to name.
    name: &'a str,
    url: String,
    count: usize,
}

/// The narrowing links; `every_organisation` lists all organisations however many.
pub fn filters<'a>(site: &'a Site, linker: &Linker<'a>, every_organisation: bool) -> Filters<'a> {
    let listed = if every_organisation { site.organisations.len() } else { ORGANISATIONS_ON_EVERY_PAGE };
    for input in [Input::Areas, Input::Proposals, Input::Organisations, Input::StanceTotals] {
        linker.read(input);
    }
    Filters {
        areas: site
            .areas
            .iter()
            .map(|area| FilterLink {
                name: linker.area(area).title,
                url: linker.link(&page_path(&PageKey::AreaOverview(area.id.clone()))),
                count: area.proposals.len(),
            })
            .collect(),
        organisations: site
            .organisations
            .iter()
            .take(listed)
            .map(|organisation| FilterLink {
                name: &organisation.name,
                url: linker.link(&page_path(&PageKey::Organisation(organisation.slug.clone()))),
                count: organisation.statement_ids().len(),
            })
            .collect(),
        all_organisations: (site.organisations.len() > listed).then_some(site.organisations.len()),
        stances: Stance::ALL
            .iter()
            .zip(stance_totals(site))
            .map(|(stance, count)| FilterLink {
                name: stance.key(),
                url: linker.link(&page_path(&PageKey::Stance(*stance))),
                count,
            })
            .collect(),
    }
}

/// How many positions of each stance the consultation has, in the vocabulary's order.
pub fn stance_totals(site: &Site) -> [usize; Stance::ALL.len()] {
    let mut totals = [0; Stance::ALL.len()];
    for position in site.positions.iter() {
        totals[Stance::ALL.iter().position(|stance| *stance == position.stance).unwrap_or(0)] += 1;
    }
    totals
}

pub fn filters_page(site: &Site, linker: &Linker) -> Job {
    let mut context = page_context(&routes::filters(), "", None);
    context.insert("filters", &filters(site, linker, true));
    Job { output: page_file(&PageKey::Filters), template: "filters.html", context }
}

pub fn area_overview(site: &Site, linker: &Linker, area: AreaIx) -> Job {
    linker.read(Input::Statements);
    linker.area(&site.areas[area]);
    let bodies: Vec<StatementIx> = site.statements.ids().collect();
    let key = PageKey::AreaOverview(site.areas[area].id.clone());
    let mut context = page_context(&page_path(&key), &site.areas[area].title, None);
    context.insert("overview", &table(site, linker, &[area], &bodies, Rows::All));
    context.insert("filters", &filters(site, linker, false));
    context.insert("heading", &site.areas[area].title);
    Job { output: page_file(&key), template: "overview.html", context }
}

pub fn organisation_overview(site: &Site, linker: &Linker, organisation: &Organisation) -> Job {
    linker.read(Input::Organisations);
    let areas: Vec<AreaIx> = site.areas.ids().collect();
    let bodies: Vec<StatementIx> = organisation.statement_ids().collect();
    let key = PageKey::Organisation(organisation.slug.clone());
    let mut context = page_context(&page_path(&key), &organisation.name, None);
    let overview = table(site, linker, &areas, &bodies, Rows::Answered);
    if let Some(overview) = &overview {
        let shown: usize = overview.areas.iter().map(|area| area.rows.len()).sum();
        context.insert("unanswered", &(site.proposals.len() - shown));
    }
    context.insert("overview", &overview);
    context.insert("filters", &filters(site, linker, false));
    context.insert("heading", &organisation.name);
    // In an archive, the organisation's page across every consultation.
    if let Some(archive) = &site.config.archive {
        context.insert("archive_organisation", &routes::link(&archive.base_path, &routes::organisation(&organisation.slug)));
    }
    context.insert(
        "bodies",
        &bodies.iter().map(|&body| linker.statement(&site.statements[body])).collect::<Vec<_>>(),
    );
    Job { output: page_file(&key), template: "overview.html", context }
}

/// A response to a proposal: who, and what they said.
#[derive(Serialize)]
pub struct Response<'a> {
    pub body: StatementView<'a>,
    pub position: PositionView<'a>,
}

/// Every position of one stance, under its proposal: on one page, or for a large
/// consultation on one page per area (`area`), linked from the stance's page.
pub fn stance_page(site: &Site, linker: &Linker, stance: Stance, area: Option<AreaIx>) -> Job {
    #[derive(Serialize)]
    struct Group<'a> {
        proposal: ProposalView<'a>,
        responses: Vec<Response<'a>>,
    }
    #[derive(Serialize)]
    struct AreaLink<'a> {
        title: &'a str,
        url: String,
        count: usize,
    }
    // Which positions have the stance: every one is looked at.
    linker.read(Input::Positions);
    linker.read(Input::Proposals);
    let of_stance = |proposal: ProposalIx| {
        site.proposals[proposal].positions.iter().map(|&position| &site.positions[position]).filter(move |position| position.stance == stance)
    };
    let split = area.is_none() && stance_is_split(site, stance);
    let proposals: Vec<ProposalIx> = match area {
        Some(area) => site.areas[area].proposals.clone(),
        None if split => Vec::new(),
        None => site.proposals.ids().collect(),
    };
    let groups: Vec<Group> = proposals
        .into_iter()
        .filter_map(|proposal| {
            let responses: Vec<Response> = of_stance(proposal)
                .map(|position| Response { body: linker.statement(&site.statements[position.statement]), position: linker.position(position) })
                .collect();
            (!responses.is_empty()).then(|| Group { proposal: linker.proposal(&site.proposals[proposal]), responses })
        })
        .collect();
    let areas: Vec<AreaLink> = if split {
        site.areas
            .iter()
            .map(|area| AreaLink {
                title: linker.area(area).title,
                url: linker.link(&page_path(&PageKey::StanceArea(stance, area.id.clone()))),
                count: area.proposals.iter().map(|&proposal| of_stance(proposal).count()).sum(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let key = match area {
        Some(area) => PageKey::StanceArea(stance, site.areas[area].id.clone()),
        None => PageKey::Stance(stance),
    };
    let title = area.map_or("", |area| linker.area(&site.areas[area]).title);
    let mut context = page_context(&page_path(&key), title, None);
    context.insert("stance", stance.key());
    context.insert("groups", &groups);
    context.insert("areas", &areas);
    context.insert("filters", &filters(site, linker, false));
    Job { output: page_file(&key), template: "stance.html", context }
}

/// Whether a stance's positions are too many to quote on one page.
pub fn stance_is_split(site: &Site, stance: Stance) -> bool {
    site.positions.iter().filter(|position| position.stance == stance).count() > QUOTES_ON_ONE_PAGE
}

/// The printable compilation of every proposal and every position under it, as a city
/// office writes by hand today: the whole consultation, or one area of a large one.
pub fn dossier(site: &Site, linker: &Linker, area: Option<AreaIx>) -> Job {
    #[derive(Serialize)]
    struct Entry<'a> {
        proposal: ProposalView<'a>,
        content: String,
        summary: String,
        responses: Vec<Response<'a>>,
        /// Its positions are too many to quote here: the proposal's page has them.
        summed_up: bool,
    }
    #[derive(Serialize)]
    struct Section<'a> {
        id: &'a str,
        title: &'a str,
        url: String,
        /// The positions on the area as a whole, before its proposals.
        area_responses: Vec<Response<'a>>,
        entries: Vec<Entry<'a>>,
    }
    // Which of the areas' proposals have how many positions (and so whether it quotes
    // every position: the positions on proposals are counted below).
    linker.read(Input::Proposals);
    linker.read(Input::Areas);
    linker.read(Input::Consultation);
    let whole = area.is_none() && site.positions.len() <= QUOTES_ON_ONE_PAGE;
    let one_area = area.is_some();
    let areas: Vec<AreaIx> = match area {
        Some(area) => vec![area],
        None => site.areas.ids().collect(),
    };
    let sections: Vec<Section> = areas
        .iter()
        .map(|&index| {
            let area = &site.areas[index];
            linker.read(Input::Area(area.id.clone()));
            linker.read(Input::AreaPositionsOn(area.id.clone()));
            for &proposal in &area.proposals {
                linker.read(Input::PositionsOn(site.proposals[proposal].id.clone()));
            }
            let quoted: usize = area.proposals.iter().map(|&proposal| site.proposals[proposal].positions.len()).sum();
            let summed_up = quoted > QUOTES_ON_ONE_PAGE;
            let entries = if whole || one_area {
                area.proposals
                    .iter()
                    .map(|&proposal| {
                        let proposal = &site.proposals[proposal];
                        Entry {
                            proposal: linker.proposal(proposal),
                            content: markdown::render(&proposal.body, &[], RawHtml::Sanitise).html,
                            summary: summary::proposal_summary(site, linker, proposal),
                            responses: proposal
                                .positions
                                .iter()
                                .filter(|_| !summed_up)
                                .map(|&position| &site.positions[position])
                                .map(|position| Response {
                                    body: linker.statement(&site.statements[position.statement]),
                                    position: linker.position(position),
                                })
                                .collect(),
                            summed_up,
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let area_responses = area
                .positions
                .iter()
                .filter(|_| whole || one_area)
                .map(|&position| &site.area_positions[position])
                .map(|position| Response {
                    body: linker.statement(&site.statements[position.statement]),
                    position: linker.area_position(position),
                })
                .collect();
            let url = linker.link(&page_path(&PageKey::AreaDossier(area.id.clone())));
            Section { id: &area.id, title: &area.title, url, area_responses, entries }
        })
        .collect();
    let key = match area {
        Some(area) => PageKey::AreaDossier(site.areas[area].id.clone()),
        None => PageKey::Dossier,
    };
    let title = area.map_or("", |area| site.areas[area].title.as_str());
    let mut context = page_context(&page_path(&key), title, None);
    context.insert("sections", &sections);
    // A large consultation's dossier page is an index of the areas' dossiers.
    context.insert("complete", &(whole || one_area));
    insert_content(&mut context, markdown::render(&site.consultation.body, &[], RawHtml::Sanitise));
    Job { output: page_file(&key), template: "dossier.html", context }
}
