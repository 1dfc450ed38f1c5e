//! What templates see: small serialisable views over the site model, with links made.
//! Each view notes what it puts into a page's context in the page's [`Reads`].

use std::cell::RefCell;

use serde::Serialize;

use super::inputs::{Input, Reads};
use crate::load::meta::{ChangeMeta, Date, Stance};
use crate::model::{Area, AreaPosition, Position, Proposal, Site, Statement};

/// Links and labels shared by every view of one page, and what the page has read.
pub struct Linker<'a> {
    pub site: &'a Site,
    months: Vec<String>,
    reads: RefCell<Reads>,
}

impl<'a> Linker<'a> {
    pub fn new(site: &'a Site) -> Linker<'a> {
        let months = site
            .theme
            .strings
            .get("months")
            .and_then(|months| months.as_array())
            .map(|months| months.iter().filter_map(|month| month.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        Linker { site, months, reads: RefCell::default() }
    }

    /// Notes that the page reads `input` (views note what they show themselves).
    pub fn read(&self, input: Input) {
        self.reads.borrow_mut().note(input);
    }

    /// What the page has read.
    pub fn into_reads(self) -> Vec<Input> {
        self.reads.into_inner().into_inputs()
    }

    pub fn link(&self, path: &str) -> String {
        self.site.config.link(path)
    }

    pub fn date(&self, date: Date) -> DateView {
        let text = match self.months.get(usize::from(date.month).wrapping_sub(1)) {
            Some(month) if self.months.len() == 12 => format!("{} {} {}", date.day, month, date.year),
            _ => date.to_string(),
        };
        DateView { iso: date.to_string(), text }
    }

    /// A proposal named and linked, as every page names it.
    pub fn proposal(&self, proposal: &'a Proposal) -> ProposalView<'a> {
        self.read(Input::Proposal(proposal.id.clone()));
        ProposalView {
            id: &proposal.id,
            title: &proposal.title,
            kind: proposal.kind.key(),
            addressees: &proposal.addressees,
            report: proposal.report.as_deref(),
            url: self.link(&proposal.path),
            area: self.area(&self.site.areas[proposal.area]),
            tally: None,
        }
    }

    /// A proposal with how the bodies answered it, counted: for its own page and the
    /// list of proposals. Elsewhere a proposal is only named, so that a changed stance
    /// does not render again every page that names the proposal.
    pub fn proposal_tallied(&self, proposal: &'a Proposal) -> ProposalView<'a> {
        self.read(Input::Tally(proposal.id.clone()));
        ProposalView { tally: Some(tally(self.site, proposal)), ..self.proposal(proposal) }
    }

    pub fn area(&self, area: &'a Area) -> AreaLink<'a> {
        self.read(Input::Area(area.id.clone()));
        AreaLink { id: &area.id, title: &area.title, url: self.link(&crate::routes::area_section(&area.id)) }
    }

    /// The change notes of a page, for the "last changed · see all changes" disclosure.
    pub fn changes(&self, changes: &'a [ChangeMeta]) -> Option<ChangesView<'a>> {
        let latest = changes.first()?;
        Some(ChangesView {
            latest: self.date(latest.date),
            all: changes.iter().map(|change| ChangeView { date: self.date(change.date), note: &change.note }).collect(),
        })
    }

    pub fn statement(&self, statement: &'a Statement) -> StatementView<'a> {
        self.read(Input::Statement(statement.id.clone()));
        let part_of = statement.part_of.map(|parent| {
            let parent = &self.site.statements[parent];
            self.read(Input::Statement(parent.id.clone()));
            StatementLink { id: &parent.id, title: &parent.title, url: self.link(&parent.path) }
        });
        StatementView {
            id: &statement.id,
            title: &statement.title,
            organisation: &statement.organisation,
            date: statement.date.map(|date| self.date(date)),
            updated: statement.last_changed().map(|date| self.date(date)),
            reference: &statement.reference,
            url: self.link(&statement.path),
            part_of,
            overall: statement.overall.map(Stance::key),
            positions: statement.positions.len() + statement.area_positions.len(),
        }
    }

    /// Notes that the page reads a position (its stance, its quote, its link).
    pub fn read_position(&self, position: &Position) {
        let statement = &self.site.statements[position.statement];
        self.read(Input::Position(statement.id.clone(), self.site.proposals[position.proposal].id.clone()));
        // Its link names the statement's page.
        self.read(Input::Statement(statement.id.clone()));
    }

    pub fn read_area_position(&self, position: &AreaPosition) {
        let statement = &self.site.statements[position.statement];
        self.read(Input::AreaPosition(statement.id.clone(), self.site.areas[position.area].id.clone()));
        self.read(Input::Statement(statement.id.clone()));
    }

    pub fn position(&self, position: &'a Position) -> PositionView<'a> {
        self.read_position(position);
        self.position_at(position.stance, &position.quote, &self.site.position_path(position))
    }

    pub fn area_position(&self, position: &'a AreaPosition) -> PositionView<'a> {
        self.read_area_position(position);
        self.position_at(position.stance, &position.quote, &self.site.area_position_path(position))
    }

    fn position_at(&self, stance: Stance, quote: &'a str, path: &str) -> PositionView<'a> {
        PositionView { stance: stance.key(), quote, url: self.link(path), permalink: self.site.config.permalink(path) }
    }
}

#[derive(Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct AreaLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct StatementLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct ProposalView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub kind: &'static str,
    pub addressees: &'a [String],
    pub report: Option<&'a str>,
    pub url: String,
    pub area: AreaLink<'a>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub tally: Option<Tally>,
}

/// How the bodies answered a proposal, counted.
#[derive(Serialize, PartialEq)]
pub struct Tally {
    pub counts: StanceCounts,
    /// How many bodies have stated a position on neither it nor its area as a whole.
    pub silent: usize,
    /// How many bodies have stated a position on its area as a whole, not on it.
    pub on_area: usize,
}

pub fn tally(site: &Site, proposal: &Proposal) -> Tally {
    let mut counts = StanceCounts::default();
    for &position in &proposal.positions {
        counts.add(site.positions[position].stance);
    }
    // Bodies that spoke of the area as a whole but not of this proposal.
    let on_area = site.areas[proposal.area]
        .positions
        .iter()
        .filter(|&&position| {
            let statement = site.area_positions[position].statement;
            !proposal.positions.iter().any(|&own| site.positions[own].statement == statement)
        })
        .count();
    Tally { counts, silent: site.statements.len() - proposal.positions.len() - on_area, on_area }
}

#[derive(Serialize)]
pub struct ChangesView<'a> {
    pub latest: DateView,
    /// Newest first.
    pub all: Vec<ChangeView<'a>>,
}

#[derive(Serialize)]
pub struct ChangeView<'a> {
    pub date: DateView,
    pub note: &'a str,
}

/// How many positions of each stance, in the vocabulary's order.
#[derive(Serialize, Default, PartialEq)]
pub struct StanceCounts {
    pub supports: usize,
    pub partly: usize,
    #[serde(rename = "no-objection")]
    pub no_objection: usize,
    pub doubtful: usize,
    pub opposes: usize,
}

impl StanceCounts {
    fn add(&mut self, stance: Stance) {
        *match stance {
            Stance::Supports => &mut self.supports,
            Stance::Partly => &mut self.partly,
            Stance::NoObjection => &mut self.no_objection,
            Stance::Doubtful => &mut self.doubtful,
            Stance::Opposes => &mut self.opposes,
        } += 1;
    }
}

#[derive(Serialize)]
pub struct StatementView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub organisation: &'a str,
    pub date: Option<DateView>,
    pub updated: Option<DateView>,
    pub reference: &'a str,
    pub url: String,
    pub part_of: Option<StatementLink<'a>>,
    pub overall: Option<&'static str>,
    /// How many positions it takes.
    pub positions: usize,
}

#[derive(Serialize)]
pub struct PositionView<'a> {
    pub stance: &'static str,
    pub quote: &'a str,
    /// The deep link to the quoted passage.
    pub url: String,
    /// The same, as an absolute URL.
    pub permalink: String,
}
