//! The site model: every proposal, statement and position resolved and checked.
//!
//! 1. Drop drafts (unless building with `--drafts`).
//! 2. Order areas and proposals by weight; check that proposal ids are unique.
//! 3. Resolve statements: `part_of`, each position's proposal (or area), each quote's
//!    passage.
//! 4. Index positions both ways (proposal → positions, statement → positions, and so
//!    for areas), once, so that rendering never searches.
//!
//! The result is immutable; rendering reads it and nothing else. Its cross-references
//! are typed indices ([`ProposalIx`], [`StatementIx`] …) into [`List`]s.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, has_errors, suggestion};
use crate::load::meta::{ChangeMeta as Change, Date, ProposalKind, ReferralDocument, Stance};
use crate::load::{Document, Sources, StatementDocument, Text, Theme};
use crate::load::quote::Found;
use crate::routes::{self, RESERVED_PATHS};

mod ids;
pub use ids::{AreaIx, AreaPositionIx, Ix, List, PositionIx, ProposalIx, StatementIx};
use ids::run;

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub consultation: Consultation,
    pub areas: List<AreaIx, Area>,
    /// In reading order: by area, then by weight within the area.
    pub proposals: List<ProposalIx, Proposal>,
    /// Grouped by organisation; a statement's parts follow it.
    pub statements: List<StatementIx, Statement>,
    /// The organisations the statements come from, in the statements' order.
    pub organisations: Vec<Organisation>,
    pub positions: List<PositionIx, Position>,
    /// Positions on an area as a whole: kept apart from [`Site::positions`], so that
    /// nothing counts them as if the body had answered each of the area's proposals.
    pub area_positions: List<AreaPositionIx, AreaPosition>,
    /// Positions proposed by `remiss import` that no editor has confirmed yet: kept
    /// apart from [`Site::positions`] so that nothing published ever reads them, and
    /// kept at all so that the preview can show them to the editor.
    pub suggestions: Vec<SuggestedPosition>,
    /// The same for positions on an area as a whole.
    pub area_suggestions: Vec<SuggestedAreaPosition>,
    /// Newest first.
    pub updates: Vec<Update>,
    pub pages: Vec<Page>,
    pub theme: std::sync::Arc<Theme>,
    /// Problems that do not stop the build, for `build` and `check` to print.
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug)]
pub struct Consultation {
    pub title: String,
    pub issuer: String,
    pub deadline: Date,
    /// The day it was sent out for consultation, if given.
    pub sent: Option<Date>,
    pub reference: Option<String>,
    pub description: Option<String>,
    pub documents: Vec<ReferralDocument>,
    pub body: Text,
}

#[derive(Debug)]
pub struct Area {
    pub id: String,
    pub title: String,
    pub reports: Vec<String>,
    pub body: Text,
    pub proposals: Vec<ProposalIx>,
    /// In statement order.
    pub positions: Vec<AreaPositionIx>,
}

#[derive(Debug)]
pub struct Proposal {
    pub id: String,
    pub area: AreaIx,
    pub title: String,
    pub kind: ProposalKind,
    pub addressees: Vec<String>,
    pub report: Option<String>,
    pub body: Text,
    pub path: String,
    /// In statement order.
    pub positions: Vec<PositionIx>,
    /// Newest first.
    pub changes: Vec<Change>,
}

#[derive(Debug)]
pub struct Statement {
    pub id: String,
    pub title: String,
    pub organisation: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub reference: String,
    pub decision: Option<String>,
    pub prepared: Option<Date>,
    pub prepared_by: Option<String>,
    pub minutes: Option<String>,
    pub joint_with: Vec<String>,
    pub signed_by: Vec<String>,
    pub source: Option<String>,
    pub overall: Option<Stance>,
    pub body: Text,
    pub path: String,
    /// The statement this one was submitted inside.
    pub part_of: Option<StatementIx>,
    /// The statements submitted inside this one.
    pub parts: Vec<StatementIx>,
    /// In proposal order.
    pub positions: Vec<PositionIx>,
    /// In area order.
    pub area_positions: Vec<AreaPositionIx>,
    pub published: Option<Date>,
    /// Newest first.
    pub changes: Vec<Change>,
}

/// An organisation (a city, a region, an agency) and its bodies' statements.
#[derive(Debug)]
pub struct Organisation {
    pub name: String,
    /// A URL part, unique among the site's organisations.
    pub slug: String,
    /// Its statements: a run of [`Site::statements`], which is sorted by organisation.
    pub statements: Range<StatementIx>,
}

#[derive(Debug)]
pub struct Position {
    pub proposal: ProposalIx,
    pub statement: StatementIx,
    pub stance: Stance,
    /// Verbatim from the statement, in its own characters (the editor's quote may
    /// differ in typography and whitespace).
    pub quote: String,
    /// The passages of the statement's text that hold the quote.
    pub passages: Range<usize>,
    /// Where the quote starts in its first passage's readable text and ends in its
    /// last one's (see [`crate::load::quote::Found`]): rendering marks those words.
    pub starts_at: usize,
    pub ends_at: usize,
    /// The id of the passage's anchor on the statement page.
    pub anchor: String,
}

/// A body's stance on an area (a chapter) as a whole, in its own words.
#[derive(Debug)]
pub struct AreaPosition {
    pub area: AreaIx,
    pub statement: StatementIx,
    pub stance: Stance,
    pub quote: String,
    pub passages: Range<usize>,
    pub starts_at: usize,
    pub ends_at: usize,
    pub anchor: String,
}

impl Position {
    fn new(proposal: ProposalIx, statement: StatementIx, stance: Stance, found: Found, anchor: String) -> Position {
        Position { proposal, statement, stance, quote: found.text, passages: found.passages, starts_at: found.start, ends_at: found.end, anchor }
    }
}

impl AreaPosition {
    fn new(area: AreaIx, statement: StatementIx, stance: Stance, found: Found, anchor: String) -> AreaPosition {
        AreaPosition { area, statement, stance, quote: found.text, passages: found.passages, starts_at: found.start, ends_at: found.end, anchor }
    }
}

/// A position on a proposal suggested by `remiss import` (`suggested = true`): not
/// published until an editor confirms it.
#[derive(Debug)]
pub struct SuggestedPosition {
    pub position: Position,
    /// How sure the suggestion is, from 0 to 1.
    pub confidence: f32,
}

/// A position on an area as a whole suggested by `remiss import`.
#[derive(Debug)]
pub struct SuggestedAreaPosition {
    pub position: AreaPosition,
    pub confidence: f32,
}

#[derive(Debug)]
pub struct Update {
    pub id: String,
    pub title: String,
    pub date: Date,
    pub description: Option<String>,
    pub body: Text,
    pub path: String,
    /// Newest first.
    pub changes: Vec<Change>,
}

#[derive(Debug)]
pub struct Page {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub body: Text,
    pub path: String,
    /// Newest first.
    pub changes: Vec<Change>,
}

impl Site {
    /// The link to a position's passage, from anywhere in the site.
    pub fn position_path(&self, position: &Position) -> String {
        routes::at(&self.statements[position.statement].path, &position.anchor)
    }

    /// The link to an area position's passage.
    pub fn area_position_path(&self, position: &AreaPosition) -> String {
        routes::at(&self.statements[position.statement].path, &position.anchor)
    }

    /// The remissinstans a statement belongs to, as the government counts them: the
    /// statement sent to the ministry, which others may have been submitted inside.
    pub fn answering_body(&self, mut statement: StatementIx) -> StatementIx {
        // `part_of` has no circles (the model reports them), but a bound costs nothing.
        for _ in 0..self.statements.len() {
            match self.statements[statement].part_of {
                Some(parent) => statement = parent,
                None => break,
            }
        }
        statement
    }
}

impl Organisation {
    pub fn statement_ids(&self) -> impl ExactSizeIterator<Item = StatementIx> + use<> {
        run(&self.statements)
    }
}

impl Statement {
    /// The date of the last correction: the newest change note, or `updated`.
    pub fn last_changed(&self) -> Option<Date> {
        self.changes.first().map(|change| change.date).max(self.updated)
    }
}

/// Change notes, newest first (a page shows the latest correction first).
fn newest_first(changes: &[Change]) -> Vec<Change> {
    let mut changes = changes.to_vec();
    changes.sort_by_key(|change| std::cmp::Reverse(change.date));
    changes
}

/// Checks and resolves loaded sources into a site, or reports every problem found.
pub fn resolve(config: Config, sources: Sources) -> Result<Site, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let drafts = config.drafts;
    let consultation = consultation(&sources, &mut problems);
    let draft_proposals = unpublished_drafts(
        sources.proposals.iter().map(|proposal| (proposal.document.id.as_str(), proposal.document.meta.draft)),
        drafts,
    );
    let (areas, proposals) = areas_and_proposals(&sources, drafts, &mut problems);
    // Proposals already reported (their area has no _index.md) are not reported again
    // as unknown wherever a position names them.
    let mut unreadable = sources.unreadable.clone();
    unreadable.extend(
        sources.proposals.iter().filter(|proposal| !sources.areas.iter().any(|area| area.id == proposal.area)).map(|proposal| proposal.document.id.clone()),
    );
    let statement_documents: Vec<&StatementDocument> =
        sources.statements.iter().map(|statement| &**statement).filter(|statement| drafts || !statement.document.meta.draft).collect();
    let draft_statements = unpublished_drafts(
        sources.statements.iter().map(|statement| (statement.document.id.as_str(), statement.document.meta.draft)),
        drafts,
    );
    let StatementsAndPositions { statements, positions, area_positions, suggestions, area_suggestions } = statements_and_positions(
        &statement_documents,
        &proposals,
        &areas,
        [&draft_proposals, &draft_statements],
        &unreadable,
        &mut problems,
    );
    let pages = pages(&sources, drafts, &mut problems);
    let updates = updates(&sources, drafts);
    problems.extend(catalogue_warnings(&config));

    let (Some(consultation), false) = (consultation, has_errors(&problems)) else {
        return Err(problems);
    };
    let mut site = Site {
        config,
        consultation,
        areas,
        proposals,
        organisations: organisations(&statements),
        statements,
        positions,
        area_positions,
        suggestions,
        area_suggestions,
        updates,
        pages,
        theme: sources.theme.clone(),
        warnings: problems,
    };
    index_positions(&mut site);
    Ok(site)
}

/// The data catalogue (DCAT-AP-SE) names who publishes the data and whom to ask about
/// it; without them the site is built, but the data portal cannot say whose data it is.
fn catalogue_warnings(config: &Config) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if config.publisher.as_deref().is_none_or(|publisher| publisher.trim().is_empty()) {
        warnings.push(
            Diagnostic::in_file("config.toml", "no `publisher`: the data catalogue (data/katalog.rdf) names no publisher")
                .with_help("add `publisher = \"…\"`: the organisation that publishes the site and its data, such as \"Malmö stad\"")
                .as_warning(),
        );
    }
    if config.contact_email.as_deref().is_none_or(|email| email.trim().is_empty()) {
        warnings.push(
            Diagnostic::in_file("config.toml", "no `contact_email`: the data catalogue (data/katalog.rdf) has no contact point")
                .with_help("add `contact_email = \"…\"`: where users of the open data can write, such as the registry's address")
                .as_warning(),
        );
    }
    warnings
}

/// The ids of drafts left out of this build, from (id, draft) pairs.
fn unpublished_drafts<'a>(documents: impl Iterator<Item = (&'a str, bool)>, drafts: bool) -> HashSet<&'a str> {
    documents.filter(|&(_, draft)| draft && !drafts).map(|(id, _)| id).collect()
}

fn consultation(sources: &Sources, problems: &mut Vec<Diagnostic>) -> Option<Consultation> {
    let Some(document) = &sources.consultation else {
        if sources.unreadable.contains(crate::load::CONSULTATION_ID) {
            return None; // its own problem is reported
        }
        problems.push(Diagnostic::in_file("content/_index.md", "the consultation's page is missing")
            .with_help("create content/_index.md with the consultation's title, issuer and deadline (see docs/content-model.md)"));
        return None;
    };
    let meta = &document.meta;
    Some(Consultation {
        title: meta.title.clone(),
        issuer: meta.issuer.clone(),
        deadline: meta.deadline,
        sent: meta.sent,
        reference: meta.reference.clone(),
        description: meta.description.clone(),
        documents: meta.documents.clone(),
        body: document.body_text(),
    })
}

fn areas_and_proposals(
    sources: &Sources,
    drafts: bool,
    problems: &mut Vec<Diagnostic>,
) -> (List<AreaIx, Area>, List<ProposalIx, Proposal>) {
    let mut area_documents: Vec<&Document<_>> = sources.areas.iter().map(|area| &**area).collect();
    area_documents.sort_by(|a, b| (a.meta.weight, &a.id).cmp(&(b.meta.weight, &b.id)));
    let mut areas: List<AreaIx, Area> = area_documents
        .iter()
        .map(|document| Area {
            id: document.id.clone(),
            title: document.meta.title.clone(),
            reports: document.meta.reports.clone(),
            body: document.body_text(),
            proposals: Vec::new(),
            positions: Vec::new(),
        })
        .collect::<Vec<_>>()
        .into();
    let area_index: HashMap<&str, AreaIx> = areas.enumerated().map(|(index, area)| (area.id.as_str(), index)).collect();

    let mut seen: HashMap<&str, &std::path::Path> = HashMap::new();
    let mut ordered = Vec::new();
    for proposal in &sources.proposals {
        let document = &proposal.document;
        if let Some(first) = seen.insert(&document.id, &document.file.path) {
            problems.push(Diagnostic::in_file(&document.file.path, format!(
                "the proposal id `{}` is already used by {}", document.id, first.display()
            )).with_help("proposal ids are file names and must be unique across areas: rename one of the files"));
            continue;
        }
        let Some(&area) = area_index.get(proposal.area.as_str()) else {
            problems.push(Diagnostic::in_file(&document.file.path, format!(
                "the area `{}` has no _index.md", proposal.area
            )).with_help(format!("create content/proposals/{}/_index.md with the area's title and weight", proposal.area)));
            continue;
        };
        if document.meta.draft && !drafts {
            continue;
        }
        ordered.push((area, document.meta.weight, document));
    }
    ordered.sort_by(|a, b| (a.0, a.1, &a.2.id).cmp(&(b.0, b.1, &b.2.id)));
    let proposals = ordered
        .into_iter()
        .enumerate()
        .map(|(index, (area, _, document))| {
            areas[area].proposals.push(ProposalIx::new(index));
            let meta = &document.meta;
            Proposal {
                id: document.id.clone(),
                area,
                title: meta.title.clone(),
                kind: meta.kind,
                addressees: meta.addressees.clone(),
                report: meta.report.clone(),
                body: document.body_text(),
                path: routes::proposal(&document.id),
                positions: Vec::new(),
                changes: newest_first(&meta.changes),
            }
        })
        .collect::<Vec<_>>()
        .into();
    (areas, proposals)
}

/// The statements with their positions, published and suggested.
struct StatementsAndPositions {
    statements: List<StatementIx, Statement>,
    positions: List<PositionIx, Position>,
    area_positions: List<AreaPositionIx, AreaPosition>,
    suggestions: Vec<SuggestedPosition>,
    area_suggestions: Vec<SuggestedAreaPosition>,
}

/// Whether a position is a suggestion, with its confidence; a `confidence` on a
/// position an editor wrote is reported, since it would say the position is unconfirmed.
fn suggestion_confidence(
    document: &Document<crate::load::meta::StatementMeta>,
    suggested: bool,
    confidence: Option<&toml::Spanned<f64>>,
    problems: &mut Vec<Diagnostic>,
) -> Option<f32> {
    if let Some(confidence) = confidence {
        let span = document.span_in_file(confidence.span());
        if !suggested {
            problems.push(Diagnostic::at(&document.file, span, "`confidence` on a position that is not suggested")
                .with_help("`confidence` belongs to a position `remiss import` suggested (`suggested = true`); once you have checked the position, remove both lines"));
        } else if !(0.0..=1.0).contains(confidence.get_ref()) {
            problems.push(Diagnostic::at(&document.file, span, format!("`confidence` is {}, not between 0 and 1", confidence.get_ref()))
                .with_help("a suggestion's confidence is a number from 0.0 to 1.0"));
        }
    }
    suggested.then(|| confidence.map_or(0.0, |confidence| confidence.get_ref().clamp(0.0, 1.0) as f32))
}

/// The warning that keeps a suggestion in front of the editor until it is reviewed.
fn suggestion_warning(document: &Document<crate::load::meta::StatementMeta>, span: Range<usize>, on: String, stance: Stance, confidence: f32) -> Diagnostic {
    Diagnostic::at(&document.file, span, format!(
        "a suggested position on {on} to review: {} ({}), confidence {confidence:.2}", stance.swedish(), stance.key()
    ))
    .with_help("it is not published: read the quote in the statement; if it is right, remove `suggested` and `confidence`, if not, remove the position")
    .as_warning()
}

fn statements_and_positions(
    documents: &[&StatementDocument],
    proposals: &List<ProposalIx, Proposal>,
    areas: &List<AreaIx, Area>,
    [draft_proposals, draft_statements]: [&HashSet<&str>; 2],
    unreadable: &HashSet<String>,
    problems: &mut Vec<Diagnostic>,
) -> StatementsAndPositions {
    let organisations = organisation_names(documents, problems);
    let order = statement_order(documents, &organisations, problems);
    let index_of: HashMap<&str, StatementIx> =
        order.iter().enumerate().map(|(index, &document)| (documents[document].document.id.as_str(), StatementIx::new(index))).collect();
    let proposal_index: HashMap<&str, ProposalIx> = proposals.enumerated().map(|(index, proposal)| (proposal.id.as_str(), index)).collect();

    let area_index: HashMap<&str, AreaIx> = areas.enumerated().map(|(index, area)| (area.id.as_str(), index)).collect();
    let mut statements = Vec::with_capacity(order.len());
    let mut positions = Vec::new();
    let mut area_positions = Vec::new();
    let mut suggestions = Vec::new();
    let mut area_suggestions = Vec::new();
    for (index, &document_index) in order.iter().enumerate() {
        let index = StatementIx::new(index);
        let statement = documents[document_index];
        let document = &statement.document;
        let meta = &document.meta;
        let mut addressed: HashMap<ProposalIx, Range<usize>> = HashMap::new();
        for (spanned, located) in meta.positions.iter().zip(&statement.quotes) {
            let position = spanned.get_ref();
            let proposal_id = position.proposal.get_ref();
            let at = |span: Range<usize>| document.span_in_file(span);
            let Some(&proposal) = proposal_index.get(proposal_id.as_str()) else {
                if unreadable.contains(proposal_id) {
                    continue; // its file's own problem is reported
                }
                let message = if draft_proposals.contains(proposal_id.as_str()) {
                    format!("the proposal `{proposal_id}` is a draft: it is not published, so no position can point to it")
                } else {
                    format!("unknown proposal `{proposal_id}`{}", suggestion(proposal_id, proposal_index.keys().copied()))
                };
                problems.push(Diagnostic::at(&document.file, at(position.proposal.span()), message)
                    .with_help("a position's `proposal` is the file name (without .md) of a proposal in content/proposals/<area>/"));
                continue;
            };
            let suggested = suggestion_confidence(document, position.suggested, position.confidence.as_ref(), problems);
            if let Some(confidence) = suggested {
                // A suggestion may stand beside an editor's position on the same
                // proposal: it is the editor's to weigh, and it is never published.
                if let Some(found) = quote_passages(document, &position.quote, located, problems) {
                    problems.push(suggestion_warning(document, at(position.proposal.span()), format!("`{proposal_id}`"), position.stance, confidence));
                    let position = Position::new(proposal, index, position.stance, found, routes::suggested_position_anchor(proposal_id));
                    suggestions.push(SuggestedPosition { position, confidence });
                }
                continue;
            }
            if let Some(first) = addressed.get(&proposal) {
                let (line, _) = document.file.line_column(at(first.clone()).start);
                problems.push(Diagnostic::at(&document.file, at(position.proposal.span()), format!(
                    "a second position on the proposal `{proposal_id}` (the first is on line {line})"
                )).with_help("a statement has one position per proposal: merge the two, quoting the passage that shows the stance"));
                continue;
            }
            addressed.insert(proposal, position.proposal.span());
            if let Some(found) = quote_passages(document, &position.quote, located, problems) {
                positions.push(Position::new(proposal, index, position.stance, found, routes::position_anchor(proposal_id)));
            }
        }
        let mut addressed_areas: HashMap<AreaIx, Range<usize>> = HashMap::new();
        for (spanned, located) in meta.area_positions.iter().zip(&statement.area_quotes) {
            let position = spanned.get_ref();
            let area_id = position.area.get_ref();
            let span = document.span_in_file(position.area.span());
            let Some(&area) = area_index.get(area_id.as_str()) else {
                problems.push(Diagnostic::at(&document.file, span, format!(
                    "unknown area `{area_id}`{}", suggestion(area_id, area_index.keys().copied())
                )).with_help("an area position's `area` is the folder name of an area in content/proposals/"));
                continue;
            };
            if let Some(confidence) = suggestion_confidence(document, position.suggested, position.confidence.as_ref(), problems) {
                if let Some(found) = quote_passages(document, &position.quote, located, problems) {
                    problems.push(suggestion_warning(document, span, format!("the area `{area_id}` as a whole"), position.stance, confidence));
                    let position = AreaPosition::new(area, index, position.stance, found, routes::suggested_area_position_anchor(area_id));
                    area_suggestions.push(SuggestedAreaPosition { position, confidence });
                }
                continue;
            }
            if let Some(first) = addressed_areas.insert(area, span.clone()) {
                let (line, _) = document.file.line_column(first.start);
                problems.push(Diagnostic::at(&document.file, span, format!(
                    "a second position on the area `{area_id}` (the first is on line {line})"
                )).with_help("a statement has one position per area: merge the two, quoting the passage that shows the stance"));
                continue;
            }
            if let Some(found) = quote_passages(document, &position.quote, located, problems) {
                area_positions.push(AreaPosition::new(area, index, position.stance, found, routes::area_position_anchor(area_id)));
            }
        }
        let part_of = meta.part_of.as_ref().and_then(|part_of| {
            let target = part_of.get_ref().as_str();
            let found = index_of.get(target).copied();
            if found.is_none() && draft_statements.contains(target) {
                problems.push(Diagnostic::at(&document.file, document.span_in_file(part_of.span()), format!(
                    "`part_of` names `{target}`, a draft: it is not published, so this statement cannot be shown inside it"
                )).with_help(format!("publish `{target}` (remove its `draft = true`), make this statement a draft too, or build with --drafts to preview both")));
            } else if found.is_none() && !unreadable.contains(target) {
                problems.push(Diagnostic::at(&document.file, document.span_in_file(part_of.span()), format!(
                    "`part_of` names `{target}`, which is not a statement{}", suggestion(target, index_of.keys().copied())
                )).with_help("`part_of` is the file name (without .md) of the statement this one was submitted inside"));
            }
            found
        });
        statements.push(Statement {
            id: document.id.clone(),
            title: meta.title.clone(),
            organisation: organisations[document_index].clone(),
            date: meta.date,
            updated: meta.updated,
            reference: meta.reference.clone(),
            decision: meta.decision.clone(),
            prepared: meta.prepared,
            prepared_by: meta.prepared_by.clone(),
            minutes: meta.minutes.clone(),
            joint_with: meta.joint_with.clone(),
            signed_by: meta.signed_by.clone(),
            source: meta.source.clone(),
            overall: meta.overall,
            body: document.body_text(),
            path: routes::statement(&document.id),
            part_of,
            parts: Vec::new(),
            positions: Vec::new(),
            area_positions: Vec::new(),
            published: meta.published,
            changes: newest_first(&meta.changes),
        });
    }
    StatementsAndPositions { statements: statements.into(), positions: positions.into(), area_positions: area_positions.into(), suggestions, area_suggestions }
}

/// The passages a position's quote was found in, or the problem reported.
fn quote_passages(
    document: &Document<crate::load::meta::StatementMeta>,
    quote: &toml::Spanned<String>,
    located: &Result<crate::load::quote::Found, String>,
    problems: &mut Vec<Diagnostic>,
) -> Option<crate::load::quote::Found> {
    let span = document.span_in_file(quote.span());
    match located {
        Ok(found) => return Some(found.clone()),
        Err(_) if quote.get_ref().trim().is_empty() => problems.push(
            Diagnostic::at(&document.file, span, "the quote is empty")
                .with_help("copy the sentence(s) that show the stance from the statement's text"),
        ),
        Err(explanation) => problems.push(
            Diagnostic::at(&document.file, span, "the quote is not in the statement's text")
                .with_help(match crate::load::quote::invisible_characters(quote.get_ref()) {
                    Some(invisible) => format!("a quote must be verbatim (whitespace and Markdown markup aside): {explanation}; {invisible}"),
                    None => format!("a quote must be verbatim (whitespace and Markdown markup aside): {explanation}"),
                }),
        ),
    }
    None
}

/// The order statements are shown in: by organisation, each statement followed by the
/// statements submitted inside it. Reports `part_of` cycles.
fn statement_order(statements: &[&StatementDocument], organisations: &[String], problems: &mut Vec<Diagnostic>) -> Vec<usize> {
    let documents: Vec<&Document<_>> = statements.iter().map(|statement| &statement.document).collect();
    let by_id: HashMap<&str, usize> =
        documents.iter().enumerate().map(|(index, document)| (document.id.as_str(), index)).collect();
    let parent = |index: usize| {
        documents[index].meta.part_of.as_ref().and_then(|part_of| by_id.get(part_of.get_ref().as_str()).copied())
    };
    // The chain of statements from the outermost down to this one: the sort key.
    let mut keys = Vec::with_capacity(documents.len());
    for index in 0..documents.len() {
        let mut chain = vec![index];
        let mut current = index;
        while let Some(up) = parent(current) {
            if chain.contains(&up) {
                if up != index {
                    break; // it leads into a circle it is not part of: the circle's members say so
                }
                let document = documents[index];
                let span = document.meta.part_of.as_ref().map_or(0..0, |part_of| document.span_in_file(part_of.span()));
                problems.push(Diagnostic::at(&document.file, span, "`part_of` goes round in a circle")
                    .with_help("a statement cannot be submitted inside itself or inside one of its own parts"));
                break;
            }
            chain.push(up);
            current = up;
        }
        chain.reverse();
        let key: Vec<(Vec<u32>, Vec<u32>)> = chain
            .iter()
            .map(|&i| (collation_key(&organisations[i]), collation_key(&documents[i].meta.title)))
            .collect();
        keys.push(key);
    }
    let mut order: Vec<usize> = (0..documents.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then_with(|| documents[a].id.cmp(&documents[b].id)));
    order
}

/// Each statement's organisation as published: one organisation written in several
/// ways (composed or decomposed letters, other spaces, invisible characters, letter
/// case) is one organisation, named as the first file (by path) writes it. A warning
/// says where a spelling was changed, and where two organisations' names look alike
/// (the same but for accents and punctuation) without being the same.
fn organisation_names(documents: &[&StatementDocument], problems: &mut Vec<Diagnostic>) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let clean = |name: &str| -> String {
        let visible: String = name.nfc().filter(|character| crate::markdown::invisible_name(*character).is_none()).collect();
        visible.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let mut by_key: HashMap<String, (String, &std::path::Path)> = HashMap::new();
    let mut by_slug: HashMap<String, (String, &std::path::Path)> = HashMap::new();
    let mut looked_alike: HashSet<String> = HashSet::new();
    let mut names = Vec::with_capacity(documents.len());
    for statement in documents {
        let document = &statement.document;
        let written = &document.meta.organisation;
        let cleaned = clean(written);
        let (name, first) = by_key.entry(cleaned.to_lowercase()).or_insert_with(|| (cleaned.clone(), &document.file.path)).clone();
        if *written != name {
            let mut how = Vec::new();
            if written.nfc().collect::<String>() != *written {
                how.push("how its letters are encoded (Unicode normalisation)");
            }
            if written.chars().any(|character| crate::markdown::invisible_name(character).is_some()) {
                how.push("invisible characters");
            }
            if written.split_whitespace().collect::<Vec<_>>().join(" ") != *written {
                how.push("spaces");
            }
            if cleaned != name {
                how.push("letter case");
            }
            let like = if first == document.file.path { String::new() } else { format!(", as {} writes it", first.display()) };
            problems.push(organisation_problem(document, format!(
                "the organisation `{written}` is published as `{name}`{like}: they differ only in {}", how.join(" and ")
            )).with_help("write the organisation's name the same way in every statement").as_warning());
        }
        let slug = crate::slug::slugify(&name);
        let (other, other_path) = by_slug.entry(slug).or_insert_with(|| (name.clone(), &document.file.path)).clone();
        if other != name && looked_alike.insert(name.clone()) {
            problems.push(organisation_problem(document, format!(
                "the organisation `{name}` looks like `{other}` of {}, but is not the same name", other_path.display()
            )).with_help("if they are one organisation, write its name the same way in both; if not, the two get pages of their own").as_warning());
        }
        names.push(name);
    }
    names
}

/// A problem at a statement's `organisation`, pointing at its value where the value is
/// written as it reads (not with TOML escapes).
fn organisation_problem(document: &Document<crate::load::meta::StatementMeta>, message: String) -> Diagnostic {
    let written = &document.meta.organisation;
    let value = ["\"", "'"].iter().find_map(|quote| document.file.text.find(&format!("{quote}{written}{quote}")));
    match value {
        Some(start) => Diagnostic::at(&document.file, start..start + written.len() + 2, message),
        None => Diagnostic::in_file(&document.file.path, message),
    }
}

/// Groups the (sorted) statements by organisation.
fn organisations(statements: &List<StatementIx, Statement>) -> Vec<Organisation> {
    let mut organisations: Vec<Organisation> = Vec::new();
    let mut slugs = HashSet::new();
    for (index, statement) in statements.enumerated() {
        let next = StatementIx::new(index.index() + 1);
        match organisations.last_mut() {
            Some(last) if last.name == statement.organisation => last.statements.end = next,
            _ => {
                // A name of punctuation alone (`???`) has no letters to make a URL part of.
                let base = match crate::slug::slugify(&statement.organisation) {
                    base if base.is_empty() => "organisation".to_owned(),
                    base => base,
                };
                let mut slug = base.clone();
                let mut n = 1;
                while !slugs.insert(slug.clone()) {
                    n += 1;
                    slug = format!("{base}-{n}");
                }
                organisations.push(Organisation { name: statement.organisation.clone(), slug, statements: index..next });
            }
        }
    }
    organisations
}

/// A sort key that puts å, ä and ö after z, as Swedish does.
fn collation_key(text: &str) -> Vec<u32> {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|character| match character {
            'å' => 'z' as u32 + 1,
            'ä' | 'æ' => 'z' as u32 + 2,
            'ö' | 'ø' => 'z' as u32 + 3,
            'é' | 'è' => 'e' as u32,
            other => other as u32,
        })
        .collect()
}

fn pages(sources: &Sources, drafts: bool, problems: &mut Vec<Diagnostic>) -> Vec<Page> {
    let mut pages: Vec<(i64, Page)> = Vec::new();
    for document in &sources.pages {
        if RESERVED_PATHS.contains(&document.id.as_str()) {
            problems.push(Diagnostic::in_file(&document.file.path, format!(
                "the page id `{}` is taken by a page remiss makes itself", document.id
            )).with_help(format!("rename the file; reserved names are {}", RESERVED_PATHS.join(", "))));
            continue;
        }
        if document.meta.draft && !drafts {
            continue;
        }
        pages.push((document.meta.weight, Page {
            id: document.id.clone(),
            title: document.meta.title.clone(),
            description: document.meta.description.clone(),
            body: document.body_text(),
            path: routes::free_page(&document.id),
            changes: newest_first(&document.meta.changes),
        }));
    }
    pages.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    pages.into_iter().map(|(_, page)| page).collect()
}

fn updates(sources: &Sources, drafts: bool) -> Vec<Update> {
    let mut updates: Vec<Update> = sources
        .updates
        .iter()
        .filter(|document| drafts || !document.meta.draft)
        .map(|document| Update {
            id: document.id.clone(),
            title: document.meta.title.clone(),
            date: document.meta.date,
            description: document.meta.description.clone(),
            body: document.body_text(),
            path: routes::update(&document.id),
            changes: newest_first(&document.meta.changes),
        })
        .collect();
    updates.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    updates
}

/// Fills the cross-references: positions per proposal and per statement, parts per statement.
fn index_positions(site: &mut Site) {
    for (index, position) in site.positions.enumerated() {
        site.proposals[position.proposal].positions.push(index);
        site.statements[position.statement].positions.push(index);
    }
    for (index, position) in site.area_positions.enumerated() {
        site.areas[position.area].positions.push(index);
        site.statements[position.statement].area_positions.push(index);
    }
    let positions = &site.positions;
    let area_positions = &site.area_positions;
    for statement in site.statements.iter_mut() {
        statement.positions.sort_by_key(|&position| positions[position].proposal);
        statement.area_positions.sort_by_key(|&position| area_positions[position].area);
    }
    for index in site.statements.ids() {
        if let Some(parent) = site.statements[index].part_of {
            site.statements[parent].parts.push(index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::collation_key;

    #[test]
    fn swedish_letters_sort_after_z() {
        let mut names = vec!["Äldrenämnden", "Åtta", "Östra", "Utbildningsnämnden", "Farsta"];
        names.sort_by_key(|name| collation_key(name));
        assert_eq!(names, ["Farsta", "Utbildningsnämnden", "Åtta", "Äldrenämnden", "Östra"]);
    }
}
