//! What each page read from the model, so that a rebuild renders again exactly the pages
//! whose inputs changed, whatever their templates show.
//!
//! 1. While a page's context is made, each view over the model notes the [`Input`] it
//!    puts into the context (a template, the site's own included, may show any field of
//!    what its context holds: "read" means "put into the context").
//! 2. A [`Record`] keeps each page's inputs.
//! 3. A rebuild compares the old and the new model input by input ([`changed`]), each
//!    over every field it covers: the model's structs are taken apart without `..`, so a
//!    field added to the model does not compile until an input covers it.
//! 4. The pages that read a changed input are rendered again, with the pages new to the
//!    site.
//!
//! Inputs are named by ids, never by places in the model's lists, so that a page's
//! record still means the same after a rebuild in which nothing it read changed.
//!
//! A statement's text is an input of its own page alone, apart from how it is listed
//! elsewhere: the most common edit, to a statement's text, renders one page.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::PageKey;
use super::overview::stance_totals;
use super::views::tally;
use crate::load::meta::ChangeMeta;
use crate::model::{Area, AreaPosition, Consultation, Page, Position, Proposal, Site, Statement, Update};
use crate::vocabulary::{Date, ProposalKind, Stance};

/// A part of the model that a page can read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Input {
    /// Every field of the consultation (`_index.md`).
    Consultation,
    /// The areas' ids, in order.
    Areas,
    /// An area's title, reports and text.
    Area(String),
    /// The proposals' ids, in order, each with its area's.
    Proposals,
    /// Every field of a proposal but its positions.
    Proposal(String),
    /// How many positions of each stance a proposal has, how many bodies spoke of its
    /// area only, how many said nothing.
    Tally(String),
    /// Every statement's listing, and the statements' order.
    Statements,
    /// How a statement is listed: every field but its text and the details only its own
    /// page shows, with the proposals and areas it takes a position on.
    Statement(String),
    /// What only a statement's own page shows: its text, where its quotes lie in it,
    /// and its details (decision, who prepared and signed it, its source).
    StatementPage(String),
    /// Every organisation's name, slug and statements, in order.
    Organisations,
    /// An organisation's name and statements, by its slug: that it has none is read too.
    Organisation(String),
    /// The statements with a position on a proposal, in order.
    PositionsOn(String),
    /// The statements with a position on an area as a whole, in order.
    AreaPositionsOn(String),
    /// A statement's position on a proposal, by their ids: its stance, quote and anchor.
    Position(String, String),
    /// A statement's position on an area as a whole, by their ids.
    AreaPosition(String, String),
    /// Every position on a proposal and every [`Input::PositionsOn`].
    Positions,
    /// How many positions of each stance the consultation has.
    StanceTotals,
    /// How many proposals, statements and positions (on proposals and areas) it has.
    Counts,
    /// What its open-data files hold: proposals, bodies and positions, named.
    Data,
    /// The updates' ids, newest first.
    Updates,
    Update(String),
    /// The free pages' ids, in order.
    Pages,
    Page(String),
}

impl Input {
    /// The input that covers this one whole, if any: a page that read it needs no note
    /// of this one.
    fn whole(&self) -> Option<Input> {
        match self {
            Input::Statement(_) => Some(Input::Statements),
            Input::Position(..) | Input::PositionsOn(_) => Some(Input::Positions),
            Input::Organisation(_) => Some(Input::Organisations),
            _ => None,
        }
    }
}

/// The inputs one page has read so far.
#[derive(Default)]
pub struct Reads(HashSet<Input>);

impl Reads {
    pub fn note(&mut self, input: Input) {
        if input.whole().is_none_or(|whole| !self.0.contains(&whole)) {
            self.0.insert(input);
        }
    }

    /// The inputs, without those a whole read covers.
    pub fn into_inputs(self) -> Vec<Input> {
        let mut inputs: Vec<Input> =
            self.0.iter().filter(|input| input.whole().is_none_or(|whole| !self.0.contains(&whole))).cloned().collect();
        inputs.sort_unstable();
        inputs
    }
}

/// Which page read which inputs. An archive's own pages are named by their output
/// path, with a record per consultation of what they read from it.
pub struct Record<Page = PageKey> {
    inputs: HashMap<Page, Vec<Input>>,
}

impl<Page> Default for Record<Page> {
    fn default() -> Self {
        Record { inputs: HashMap::new() }
    }
}

impl<Page: Clone + Eq + Ord + std::hash::Hash> Record<Page> {
    /// Puts a page's inputs in place of those it read before.
    pub fn note(&mut self, page: Page, inputs: Vec<Input>) {
        self.inputs.insert(page, inputs);
    }

    pub fn forget(&mut self, page: &Page) {
        self.inputs.remove(page);
    }

    pub fn has(&self, page: &Page) -> bool {
        self.inputs.contains_key(page)
    }

    pub fn pages(&self) -> impl Iterator<Item = &Page> {
        self.inputs.keys()
    }

    /// The pages that read any of the given inputs. A page's inputs are looked up only
    /// where their kind is among the changed ones: hashing every input of every page
    /// would cost more than the rest of a rebuild after an edit to a statement's text.
    pub fn readers(&self, changed: &HashSet<Input>) -> BTreeSet<Page> {
        let mut kinds: Vec<std::mem::Discriminant<Input>> = changed.iter().map(std::mem::discriminant).collect();
        kinds.dedup();
        self.inputs
            .iter()
            .filter(|(_, inputs)| inputs.iter().any(|input| kinds.contains(&std::mem::discriminant(input)) && changed.contains(input)))
            .map(|(page, _)| page.clone())
            .collect()
    }
}

/// The inputs whose values differ between two models of one site (or that only one has).
pub fn changed<'a>(old: &'a Site, new: &'a Site) -> HashSet<Input> {
    let mut changed = HashSet::new();
    // Most inputs are the same: their names are made only for those that differ.
    let mut differ = |input: &dyn Fn() -> Input, same: bool| {
        if !same {
            changed.insert(input());
        }
    };
    let sites = [old, new];
    differ(&|| Input::Consultation, consultation(&old.consultation) == consultation(&new.consultation));
    let [old_lists, new_lists] = sites.map(Lists::of);
    differ(&|| Input::Areas, old_lists.areas == new_lists.areas);
    differ(&|| Input::Proposals, old_lists.proposals == new_lists.proposals);
    differ(&|| Input::Updates, old_lists.updates == new_lists.updates);
    differ(&|| Input::Pages, old_lists.pages == new_lists.pages);
    let [old_organisations, new_organisations] = sites.map(organisations);
    differ(&|| Input::Organisations, old_organisations == new_organisations);
    if old_organisations != new_organisations {
        let by_slug = |organisations: Vec<(&'a str, &'a str, Vec<&'a str>)>| organisations.into_iter().map(|organisation| (organisation.1, organisation)).collect();
        for (slug, [old_organisation, new_organisation]) in paired_by(by_slug(old_organisations), by_slug(new_organisations)) {
            differ(&|| Input::Organisation(slug.to_owned()), old_organisation == new_organisation);
        }
    }
    differ(&|| Input::StanceTotals, stance_totals(old) == stance_totals(new));
    differ(&|| Input::Counts, counts(old) == counts(new));
    differ(&|| Input::Data, super::same_data(old, new));

    for (id, areas) in paired(&old.areas, &new.areas, |area| &area.id) {
        let [old_area, new_area] = [0, 1].map(|side| areas[side].map(|area| area_fields(sites[side], area)));
        differ(&|| Input::Area(id.to_owned()), old_area.as_ref().map(|area| &area.0) == new_area.as_ref().map(|area| &area.0));
        differ(&|| Input::AreaPositionsOn(id.to_owned()), old_area.map(|area| area.1) == new_area.map(|area| area.1));
    }
    let mut positions_changed = false;
    for (id, proposals) in paired(&old.proposals, &new.proposals, |proposal| &proposal.id) {
        let [old_proposal, new_proposal] = [0, 1].map(|side| proposals[side].map(|proposal| proposal_fields(sites[side], proposal)));
        differ(&|| Input::Proposal(id.to_owned()), old_proposal.as_ref().map(|proposal| &proposal.0) == new_proposal.as_ref().map(|proposal| &proposal.0));
        let same = old_proposal.map(|proposal| proposal.1) == new_proposal.map(|proposal| proposal.1);
        positions_changed |= !same;
        differ(&|| Input::PositionsOn(id.to_owned()), same);
        let [old_tally, new_tally] = [0, 1].map(|side| proposals[side].map(|proposal| tally(sites[side], proposal)));
        differ(&|| Input::Tally(id.to_owned()), old_tally == new_tally);
    }
    let mut listings_changed = old_lists.statements != new_lists.statements;
    for (id, statements) in paired(&old.statements, &new.statements, |statement| &statement.id) {
        let [old_shown, new_shown] = [0, 1].map(|side| statements[side].map(|statement| shown(sites[side], statement)));
        let same_listing = old_shown.as_ref().map(|shown| &shown.listing) == new_shown.as_ref().map(|shown| &shown.listing);
        listings_changed |= !same_listing;
        differ(&|| Input::Statement(id.to_owned()), same_listing);
        differ(&|| Input::StatementPage(id.to_owned()), old_shown.as_ref().map(|shown| &shown.page) == new_shown.as_ref().map(|shown| &shown.page));
        let [old_shown, new_shown] = [old_shown, new_shown].map(Option::unwrap_or_default);
        for (proposal, [old_position, new_position]) in paired_by(old_shown.positions, new_shown.positions) {
            positions_changed |= old_position != new_position;
            differ(&|| Input::Position(id.to_owned(), proposal.to_owned()), old_position == new_position);
        }
        for (area, [old_position, new_position]) in paired_by(old_shown.area_positions, new_shown.area_positions) {
            differ(&|| Input::AreaPosition(id.to_owned(), area.to_owned()), old_position == new_position);
        }
    }
    differ(&|| Input::Statements, !listings_changed);
    differ(&|| Input::Positions, !positions_changed);

    for (id, updates) in paired(&old.updates, &new.updates, |update| &update.id) {
        let [old_update, new_update] = updates.map(|update| update.map(update_fields));
        differ(&|| Input::Update(id.to_owned()), old_update == new_update);
    }
    for (id, pages) in paired(&old.pages, &new.pages, |page| &page.id) {
        let [old_page, new_page] = pages.map(|page| page.map(page_fields));
        differ(&|| Input::Page(id.to_owned()), old_page == new_page);
    }
    changed
}

/// The ids of each list, in order (a proposal's with its area's).
struct Lists<'a> {
    areas: Vec<&'a str>,
    proposals: Vec<(&'a str, &'a str)>,
    statements: Vec<&'a str>,
    updates: Vec<&'a str>,
    pages: Vec<&'a str>,
}

impl<'a> Lists<'a> {
    fn of(site: &'a Site) -> Lists<'a> {
        Lists {
            areas: site.areas.iter().map(|area| area.id.as_str()).collect(),
            proposals: site.proposals.iter().map(|proposal| (proposal.id.as_str(), site.areas[proposal.area].id.as_str())).collect(),
            statements: site.statements.iter().map(|statement| statement.id.as_str()).collect(),
            updates: site.updates.iter().map(|update| update.id.as_str()).collect(),
            pages: site.pages.iter().map(|page| page.id.as_str()).collect(),
        }
    }
}

/// An area's own fields, and the statements with a position on it.
#[allow(clippy::type_complexity)]
fn area_fields<'a>(site: &'a Site, area: &'a Area) -> ((&'a String, &'a Vec<String>, &'a str), Vec<&'a str>) {
    let Area { id: _, title, reports, body, proposals: _, positions } = area;
    let on = positions.iter().map(|&position| site.statements[site.area_positions[position].statement].id.as_str()).collect();
    ((title, reports, &**body), on)
}

/// A proposal's own fields, and the statements with a position on it.
#[allow(clippy::type_complexity)]
fn proposal_fields<'a>(
    site: &'a Site,
    proposal: &'a Proposal,
) -> ((&'a str, &'a String, ProposalKind, &'a Vec<String>, &'a Option<String>, &'a str, &'a String, &'a Vec<ChangeMeta>), Vec<&'a str>) {
    let Proposal { id: _, area, title, kind, addressees, report, body, path, positions, changes } = proposal;
    let on = positions.iter().map(|&position| site.statements[site.positions[position].statement].id.as_str()).collect();
    ((site.areas[*area].id.as_str(), title, *kind, addressees, report, &**body, path, changes), on)
}

fn update_fields(update: &Update) -> impl PartialEq + '_ {
    let Update { id: _, title, date, description, body, path, changes } = update;
    (title, date, description, &**body, path, changes)
}

fn page_fields(page: &Page) -> impl PartialEq + '_ {
    let Page { id: _, title, description, body, path, changes } = page;
    (title, description, &**body, path, changes)
}

/// The items of two lists paired by id, each side `None` where its list has none.
fn paired<'a, T>(old: &'a [T], new: &'a [T], id: impl Fn(&'a T) -> &'a String) -> Vec<(&'a str, [Option<&'a T>; 2])> {
    paired_by(old.iter().map(|item| (id(item).as_str(), item)).collect(), new.iter().map(|item| (id(item).as_str(), item)).collect())
}

fn paired_by<'a, T>(old: Vec<(&'a str, T)>, new: Vec<(&'a str, T)>) -> Vec<(&'a str, [Option<T>; 2])> {
    // A statement's few positions are paired without hashing: most rebuilds pair every
    // statement's.
    if old.len() <= 32 {
        let mut old: Vec<Option<(&str, T)>> = old.into_iter().map(Some).collect();
        let mut pairs: Vec<(&str, [Option<T>; 2])> = new
            .into_iter()
            .map(|(id, item)| {
                let before = old.iter_mut().find(|before| before.as_ref().is_some_and(|(other, _)| *other == id)).and_then(Option::take);
                (id, [before.map(|(_, item)| item), Some(item)])
            })
            .collect();
        pairs.extend(old.into_iter().flatten().map(|(id, item)| (id, [Some(item), None])));
        return pairs;
    }
    let mut pairs: HashMap<&str, [Option<T>; 2]> = HashMap::with_capacity(new.len());
    for (side, items) in [old, new].into_iter().enumerate() {
        for (id, item) in items {
            pairs.entry(id).or_insert_with(|| [None, None])[side] = Some(item);
        }
    }
    pairs.into_iter().collect()
}

fn consultation(consultation: &Consultation) -> impl PartialEq + '_ {
    let Consultation { title, issuer, deadline, sent, reference, description, documents, body } = consultation;
    (title, issuer, deadline, sent, reference, description, documents, &**body)
}

fn counts(site: &Site) -> [usize; 3] {
    [site.proposals.len(), site.statements.len(), site.positions.len() + site.area_positions.len()]
}

fn organisations(site: &Site) -> Vec<(&str, &str, Vec<&str>)> {
    site.organisations
        .iter()
        .map(|crate::model::Organisation { name, slug, statements }| {
            (name.as_str(), slug.as_str(), site.statements.run(statements.clone()).iter().map(|statement| statement.id.as_str()).collect())
        })
        .collect()
}

/// A statement's fields, shared out among its inputs.
#[derive(Default)]
struct Shown<'a> {
    listing: Listing<'a>,
    page: OwnPage<'a>,
    /// By proposal id.
    positions: Vec<(&'a str, ShownPosition<'a>)>,
    /// By area id.
    area_positions: Vec<(&'a str, ShownPosition<'a>)>,
}

#[derive(PartialEq, Default)]
struct Listing<'a> {
    names: (&'a str, &'a str, &'a str, &'a str, &'a str),
    dates: [Option<Date>; 3],
    part_of: Option<&'a str>,
    parts: Vec<&'a str>,
    overall: Option<Stance>,
    changes: &'a [ChangeMeta],
    /// The proposals, then the areas, it takes a position on.
    answers: [Vec<&'a str>; 2],
}

#[derive(PartialEq, Default)]
struct OwnPage<'a> {
    text: Option<&'a crate::load::Text>,
    details: (Option<&'a str>, Option<Date>, Option<&'a str>, Option<&'a str>),
    names: (&'a [String], &'a [String], Option<&'a str>),
    /// Where each position's quote lies in the text (proposals', then areas').
    placements: Vec<Placement<'a>>,
}

/// A position's passages, where its quote starts and ends.
type Placement<'a> = (&'a std::ops::Range<usize>, usize, usize);
/// A position's stance, quote and anchor.
type ShownPosition<'a> = (Stance, &'a str, &'a str);

fn shown<'a>(site: &'a Site, statement: &'a Statement) -> Shown<'a> {
    let Statement {
        id,
        title,
        organisation,
        date,
        updated,
        reference,
        decision,
        prepared,
        prepared_by,
        minutes,
        joint_with,
        signed_by,
        source,
        overall,
        body,
        path,
        part_of,
        parts,
        positions,
        area_positions,
        published,
        changes,
    } = statement;
    let id_of = |index: crate::model::StatementIx| site.statements[index].id.as_str();
    let mut placements = Vec::new();
    let positions: Vec<(&str, ShownPosition)> = positions
        .iter()
        .map(|&position| {
            let Position { proposal, statement: _, stance, quote, passages, starts_at, ends_at, anchor } = &site.positions[position];
            placements.push((passages, *starts_at, *ends_at));
            (site.proposals[*proposal].id.as_str(), (*stance, quote.as_str(), anchor.as_str()))
        })
        .collect();
    let area_positions: Vec<(&str, ShownPosition)> = area_positions
        .iter()
        .map(|&position| {
            let AreaPosition { area, statement: _, stance, quote, passages, starts_at, ends_at, anchor } = &site.area_positions[position];
            placements.push((passages, *starts_at, *ends_at));
            (site.areas[*area].id.as_str(), (*stance, quote.as_str(), anchor.as_str()))
        })
        .collect();
    Shown {
        listing: Listing {
            names: (id, title, organisation, reference, path),
            dates: [*date, *updated, *published],
            part_of: part_of.map(id_of),
            parts: parts.iter().map(|&part| id_of(part)).collect(),
            overall: *overall,
            changes,
            answers: [positions.iter().map(|(id, _)| *id).collect(), area_positions.iter().map(|(id, _)| *id).collect()],
        },
        page: OwnPage {
            text: Some(body),
            details: (decision.as_deref(), *prepared, prepared_by.as_deref(), minutes.as_deref()),
            names: (joint_with, signed_by, source.as_deref()),
            placements,
        },
        positions,
        area_positions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_read_covers_its_parts() {
        let mut reads = Reads::default();
        reads.note(Input::Statement("a".to_owned()));
        reads.note(Input::Statements);
        reads.note(Input::Statement("b".to_owned()));
        reads.note(Input::Position("a".to_owned(), "p".to_owned()));
        assert_eq!(reads.into_inputs(), [Input::Statements, Input::Position("a".to_owned(), "p".to_owned())]);
    }

    #[test]
    fn items_are_paired_by_id_whatever_their_order() {
        let mut pairs = paired_by(vec![("a", 1), ("b", 2), ("c", 3)], vec![("c", 30), ("a", 10), ("d", 40)]);
        pairs.sort_unstable_by_key(|(id, _)| *id);
        assert_eq!(pairs, [("a", [Some(1), Some(10)]), ("b", [Some(2), None]), ("c", [Some(3), Some(30)]), ("d", [None, Some(40)])]);
    }

    #[test]
    fn a_record_finds_the_readers_of_an_input_and_forgets_what_a_page_no_longer_reads() {
        let mut record = Record::default();
        let (home, proposal) = (PageKey::Home, PageKey::Proposal("p".to_owned()));
        record.note(home.clone(), vec![Input::Statements, Input::Proposals]);
        record.note(proposal.clone(), vec![Input::Proposal("p".to_owned()), Input::Proposals]);
        let changed = |inputs: &[Input]| inputs.iter().cloned().collect::<HashSet<Input>>();
        assert_eq!(record.readers(&changed(&[Input::Proposals])), BTreeSet::from([home.clone(), proposal.clone()]));
        record.note(proposal.clone(), vec![Input::Proposal("p".to_owned())]);
        assert_eq!(record.readers(&changed(&[Input::Proposals])), BTreeSet::from([home]));
        record.forget(&proposal);
        assert!(record.readers(&changed(&[Input::Proposal("p".to_owned())])).is_empty());
    }
}
