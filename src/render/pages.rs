//! The content pages: home, proposals, statements, updates, free pages.

use serde::Serialize;
use tera::Context;

use super::inputs::Input;
use super::overview::{self, Response};
use super::templates::Templates;
use super::views::{self, Linker, PositionView, ProposalView, StatementView};
use super::{Job, PageKey, insert_content, page_context, summary};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Mark, RawHtml};
use crate::model::{Ix, List, ProposalIx, Site, StatementIx};
use crate::routes::{self, page_file};

pub(super) fn home(site: &Site, linker: &Linker) -> Job {
    let consultation = &site.consultation;
    for input in [Input::Consultation, Input::Proposals, Input::Statements, Input::Organisations, Input::StanceTotals, Input::Updates] {
        linker.read(input);
    }
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
    context.insert("overview", &overview::full_table(site, linker));
    context.insert("filters", &overview::filters(site, linker, false));
    context.insert(
        "figures",
        &Figures {
            proposals: site.proposals.len(),
            statements: site.statements.len(),
            organisations: site.organisations.len(),
            positions: site.positions.len(),
        },
    );
    context.insert("updates", &site.updates.iter().take(3).map(|update| UpdateView::new(linker, update)).collect::<Vec<_>>());
    Job { output: page_file(&PageKey::Home), template: "index.html", context }
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

pub(super) fn proposals_index(site: &Site, linker: &Linker) -> Job {
    #[derive(Serialize)]
    struct AreaView<'a> {
        id: &'a str,
        title: &'a str,
        reports: &'a [String],
        content: String,
        proposals: Vec<ProposalView<'a>>,
    }
    linker.read(Input::Areas);
    linker.read(Input::Proposals);
    let areas: Vec<AreaView> = site
        .areas
        .iter()
        .map(|area| AreaView {
            id: linker.area(area).id,
            title: &area.title,
            reports: &area.reports,
            content: markdown::render(&area.body, &[], RawHtml::Sanitise).html,
            proposals: area.proposals.iter().map(|&proposal| linker.proposal_tallied(&site.proposals[proposal])).collect(),
        })
        .collect();
    let mut context = page_context(&routes::proposals(), "", None);
    context.insert("areas", &areas);
    Job { output: page_file(&PageKey::ProposalsIndex), template: "proposals.html", context }
}

/// Up to this many bodies without a position are named on a proposal page.
const NAMED_SILENT_BODIES: usize = 60;

#[derive(Serialize)]
struct SilentOrganisation<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

pub(super) fn proposal_page(site: &Site, linker: &Linker, index: ProposalIx) -> Job {
    let proposal = &site.proposals[index];
    // Who answered it or its area, and who did not; its neighbours.
    for input in [
        Input::PositionsOn(proposal.id.clone()),
        Input::AreaPositionsOn(site.areas[proposal.area].id.clone()),
        Input::Statements,
        Input::Organisations,
        Input::Proposals,
    ] {
        linker.read(input);
    }
    let mut has_position: List<StatementIx, bool> = vec![false; site.statements.len()].into();
    let responses: Vec<Response> = proposal
        .positions
        .iter()
        .map(|&position| {
            let position = &site.positions[position];
            has_position[position.statement] = true;
            Response { body: linker.statement(&site.statements[position.statement]), position: linker.position(position) }
        })
        .collect();
    // Shown apart: a body that spoke of the area as a whole did not answer each proposal.
    let area_responses: Vec<Response> = site.areas[proposal.area]
        .positions
        .iter()
        .map(|&position| {
            let position = &site.area_positions[position];
            has_position[position.statement] = true;
            Response { body: linker.statement(&site.statements[position.statement]), position: linker.area_position(position) }
        })
        .collect();
    // The bodies that have not stated a position are named one by one; in a large
    // consultation they are counted per organisation instead, so that the page stays
    // light (and proposal pages are not proposals × bodies in size).
    let silent_count = has_position.iter().filter(|has| !**has).count();
    let silent: Vec<StatementView> = if silent_count <= NAMED_SILENT_BODIES {
        site.statements
            .iter()
            .zip(has_position.iter())
            .filter(|(_, has)| !**has)
            .map(|(statement, _)| linker.statement(statement))
            .collect()
    } else {
        Vec::new()
    };
    let silent_organisations: Vec<SilentOrganisation> = if silent_count > NAMED_SILENT_BODIES {
        site.organisations
            .iter()
            .map(|organisation| SilentOrganisation {
                name: &organisation.name,
                url: linker.link(&routes::page_path(&PageKey::Organisation(organisation.slug.clone()))),
                count: has_position.run(organisation.statements.clone()).iter().filter(|has| !**has).count(),
            })
            .filter(|organisation| organisation.count > 0)
            .collect()
    } else {
        Vec::new()
    };
    let mut context = page_context(&proposal.path, &proposal.title, None);
    context.insert("proposal", &linker.proposal_tallied(proposal));
    insert_content(&mut context, markdown::render(&proposal.body, &[], RawHtml::Sanitise));
    context.insert("responses", &responses);
    context.insert("area_responses", &area_responses);
    context.insert("changes", &linker.changes(&proposal.changes));
    context.insert("summary", &summary::proposal_summary(site, linker, proposal));
    context.insert("silent_bodies", &silent);
    context.insert("silent_organisations", &silent_organisations);
    let neighbour = |index: Option<usize>| index.and_then(|index| site.proposals.get(index)).map(|p| linker.proposal(p));
    context.insert("previous", &neighbour(index.index().checked_sub(1)));
    context.insert("next", &neighbour(Some(index.index() + 1)));
    Job { output: page_file(&PageKey::Proposal(proposal.id.clone())), template: "proposal.html", context }
}

/// The organisations, in the statements' order.
/// The statements index lists every statement up to this many (about 200 bytes each);
/// beyond, it lists the organisations, and each organisation's page its statements.
const STATEMENTS_LISTED: usize = 2_000;

pub(super) fn statements_index(site: &Site, linker: &Linker) -> Job {
    #[derive(Serialize)]
    struct Organisation<'a> {
        name: &'a str,
        /// Its bodies' positions on every proposal.
        url: String,
        /// How many statements it has; listed in `statements` unless they are too many.
        count: usize,
        statements: Vec<Entry<'a>>,
    }
    #[derive(Serialize)]
    struct Entry<'a> {
        statement: StatementView<'a>,
        parts: Vec<StatementView<'a>>,
    }
    linker.read(Input::Statements);
    linker.read(Input::Organisations);
    let listed = site.statements.len() <= STATEMENTS_LISTED;
    let organisations: Vec<Organisation> = site
        .organisations
        .iter()
        .map(|organisation| Organisation {
            name: &organisation.name,
            url: linker.link(&routes::page_path(&PageKey::Organisation(organisation.slug.clone()))),
            count: organisation.statement_ids().len(),
            statements: site.statements.run(organisation.statements.clone())
                .iter()
                .filter(|statement| listed && statement.part_of.is_none())
                .map(|statement| Entry {
                    statement: linker.statement(statement),
                    parts: statement.parts.iter().map(|&part| linker.statement(&site.statements[part])).collect(),
                })
                .collect(),
        })
        .collect();
    let mut context = page_context(&routes::statements(), "", None);
    context.insert("organisations", &organisations);
    context.insert("listed", &listed);
    Job { output: page_file(&PageKey::StatementsIndex), template: "statements.html", context }
}

/// A statement's text, with every quoted passage anchored and noted.
fn statement_body(site: &Site, templates: &Templates, linker: &Linker, index: StatementIx) -> Result<markdown::Html, Diagnostic> {
    let statement = &site.statements[index];
    // A quote's mark: its note (the link to what it answers) and its label for screen
    // readers come from the kind's own partials.
    let mark = |kind: &str, context: Context, passages: &std::ops::Range<usize>, start: usize, end: usize, id: &str| -> Result<Mark, Diagnostic> {
        Ok(Mark {
            blocks: passages.clone(),
            start,
            end,
            id: id.to_owned(),
            label: templates.render(&format!("partials/{kind}passage_label.html"), &context)?,
            note: templates.render(&format!("partials/{kind}passage_note.html"), &context)?,
        })
    };
    let on_proposals = statement.positions.iter().map(|&position| {
        let position = &site.positions[position];
        let mut context = Context::new();
        context.insert("proposal", &linker.proposal(&site.proposals[position.proposal]));
        context.insert("position", &linker.position(position));
        mark("", context, &position.passages, position.starts_at, position.ends_at, &position.anchor)
    });
    let on_areas = statement.area_positions.iter().map(|&position| {
        let position = &site.area_positions[position];
        let mut context = Context::new();
        context.insert("area", &linker.area(&site.areas[position.area]));
        context.insert("position", &linker.area_position(position));
        mark("area_", context, &position.passages, position.starts_at, position.ends_at, &position.anchor)
    });
    let marks = on_proposals.chain(on_areas).collect::<Result<Vec<Mark>, Diagnostic>>()?;
    Ok(markdown::render(&statement.body, &marks, RawHtml::Sanitise))
}

pub(super) fn statement_page(site: &Site, linker: &Linker, templates: &Templates, index: StatementIx) -> Result<Job, Diagnostic> {
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
    linker.read(Input::StatementPage(statement.id.clone()));
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
    #[derive(Serialize)]
    struct AddressedArea<'a> {
        area: views::AreaLink<'a>,
        position: PositionView<'a>,
        anchor: &'a str,
    }
    let addressed_areas: Vec<AddressedArea> = statement
        .area_positions
        .iter()
        .map(|&position| {
            let position = &site.area_positions[position];
            AddressedArea { area: linker.area(&site.areas[position.area]), position: linker.area_position(position), anchor: &position.anchor }
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
    context.insert("addressed_areas", &addressed_areas);
    context.insert("changes", &linker.changes(&statement.changes));
    context.insert("parts", &parts);
    Ok(Job { output: page_file(&PageKey::Statement(statement.id.clone())), template: "statement.html", context })
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
        linker.read(Input::Update(update.id.clone()));
        UpdateView {
            title: &update.title,
            date: linker.date(update.date),
            description: update.description.as_deref(),
            url: linker.link(&update.path),
        }
    }
}

pub(super) fn update_page(site: &Site, linker: &Linker, index: usize) -> Job {
    let update = &site.updates[index];
    linker.read(Input::Update(update.id.clone()));
    let mut context = page_context(&update.path, &update.title, update.description.as_deref());
    context.insert("update", &UpdateView::new(linker, update));
    context.insert("changes", &linker.changes(&update.changes));
    insert_content(&mut context, markdown::render(&update.body, &[], RawHtml::Sanitise));
    Job { output: page_file(&PageKey::Update(update.id.clone())), template: "update.html", context }
}

pub(super) fn free_page(site: &Site, linker: &Linker, index: usize) -> Job {
    let page = &site.pages[index];
    linker.read(Input::Page(page.id.clone()));
    let raw_html = if site.config.trust_html_in_pages { RawHtml::Trust } else { RawHtml::Sanitise };
    let mut context = page_context(&page.path, &page.title, page.description.as_deref());
    context.insert("changes", &linker.changes(&page.changes));
    insert_content(&mut context, markdown::render(&page.body, &[], raw_html));
    Job { output: page_file(&PageKey::Free(page.id.clone())), template: "page.html", context }
}

pub(super) fn search_page() -> Job {
    let context = page_context(&routes::search(), "", None);
    Job { output: page_file(&PageKey::Search), template: "search.html", context }
}

pub(super) fn not_found() -> Job {
    let mut context = page_context(routes::NOT_FOUND, "", None);
    context.insert("not_found", &true);
    Job { output: page_file(&PageKey::NotFound), template: "404.html", context }
}

pub(super) fn updates_index(site: &Site, linker: &Linker) -> Job {
    linker.read(Input::Updates);
    let updates: Vec<UpdateView> = site.updates.iter().map(|update| UpdateView::new(linker, update)).collect();
    let mut context = page_context(&routes::updates(), "", None);
    context.insert("updates", &updates);
    Job { output: page_file(&PageKey::UpdatesIndex), template: "updates.html", context }
}

