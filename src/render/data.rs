//! The open-data files: every position as JSON and as CSV, with absolute URLs, so that
//! journalists and researchers can use them without the site.
//!
//! A position has a scope, the level the body stated it at: a proposal, an area as a
//! whole, or the consultation as a whole (a statement's `overall`, which has no quote).

use serde::Serialize;

use crate::load::meta::Date;
use crate::model::Site;

#[derive(Serialize)]
struct Dataset<'a> {
    consultation: Consultation<'a>,
    proposals: Vec<Proposal<'a>>,
    bodies: Vec<Body<'a>>,
    positions: Vec<Position<'a>>,
}

/// The site-wide dataset of an archive: every consultation's, each item naming its own.
#[derive(Serialize)]
struct ArchiveDataset<'a> {
    consultations: Vec<Consultation<'a>>,
    proposals: Vec<Proposal<'a>>,
    bodies: Vec<Body<'a>>,
    positions: Vec<Position<'a>>,
}

#[derive(Serialize)]
struct Consultation<'a> {
    /// In an archive's site-wide data, the consultation's slug (`content/remisser/<slug>/`).
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<&'a str>,
    title: &'a str,
    issuer: &'a str,
    deadline: Date,
    url: String,
}

#[derive(Serialize)]
struct Proposal<'a> {
    /// In an archive's site-wide data, the slug of the consultation it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    consultation: Option<&'a str>,
    id: &'a str,
    title: &'a str,
    kind: &'static str,
    area: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Body<'a> {
    /// In an archive's site-wide data, the slug of the consultation it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    consultation: Option<&'a str>,
    id: &'a str,
    name: &'a str,
    organisation: &'a str,
    part_of: Option<&'a str>,
    date: Option<Date>,
    overall: Option<&'static str>,
    url: String,
}

#[derive(Serialize)]
struct Position<'a> {
    /// In an archive's site-wide data, the slug of the consultation it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    consultation: Option<&'a str>,
    /// `proposal`, `area` or `consultation`.
    scope: &'static str,
    proposal: Option<&'a str>,
    /// The area of the proposal, or the area the position is on.
    area: Option<&'a str>,
    body: &'a str,
    stance: &'static str,
    quote: Option<&'a str>,
    url: String,
}

/// Every position: on proposals, then on areas, then on the whole consultation.
fn positions<'a>(site: &'a Site, consultation: Option<&'a str>) -> impl Iterator<Item = Position<'a>> {
    let on_proposals = site.positions.iter().map(move |position| {
        let proposal = &site.proposals[position.proposal];
        Position {
            consultation,
            scope: "proposal",
            proposal: Some(&proposal.id),
            area: Some(&site.areas[proposal.area].id),
            body: &site.statements[position.statement].id,
            stance: position.stance.key(),
            quote: Some(&position.quote),
            url: site.config.permalink(&site.position_path(position)),
        }
    });
    let on_areas = site.area_positions.iter().map(move |position| Position {
        consultation,
        scope: "area",
        proposal: None,
        area: Some(&site.areas[position.area].id),
        body: &site.statements[position.statement].id,
        stance: position.stance.key(),
        quote: Some(&position.quote),
        url: site.config.permalink(&site.area_position_path(position)),
    });
    let on_consultation = site.statements.iter().filter_map(move |statement| {
        Some(Position {
            consultation,
            scope: "consultation",
            proposal: None,
            area: None,
            body: &statement.id,
            stance: statement.overall?.key(),
            quote: None,
            url: site.config.permalink(&statement.path),
        })
    });
    on_proposals.chain(on_areas).chain(on_consultation)
}

fn consultation<'a>(site: &'a Site, slug: Option<&'a str>) -> Consultation<'a> {
    Consultation {
        slug,
        title: &site.consultation.title,
        issuer: &site.consultation.issuer,
        deadline: site.consultation.deadline,
        url: site.config.permalink(""),
    }
}

fn proposals<'a>(site: &'a Site, consultation: Option<&'a str>) -> impl Iterator<Item = Proposal<'a>> {
    site.proposals.iter().map(move |proposal| Proposal {
        consultation,
        id: &proposal.id,
        title: &proposal.title,
        kind: proposal.kind.key(),
        area: &site.areas[proposal.area].id,
        url: site.config.permalink(&proposal.path),
    })
}

fn bodies<'a>(site: &'a Site, consultation: Option<&'a str>) -> impl Iterator<Item = Body<'a>> {
    site.statements.iter().map(move |statement| Body {
        consultation,
        id: &statement.id,
        name: &statement.title,
        organisation: &statement.organisation,
        part_of: statement.part_of.map(|parent| site.statements[parent].id.as_str()),
        date: statement.date,
        overall: statement.overall.map(|stance| stance.key()),
        url: site.config.permalink(&statement.path),
    })
}

fn pretty_json(dataset: &impl Serialize) -> Vec<u8> {
    let mut json = serde_json::to_vec_pretty(dataset).expect("the dataset serialises: it holds only strings and numbers");
    json.push(b'\n');
    json
}

pub fn positions_json(site: &Site) -> Vec<u8> {
    pretty_json(&Dataset {
        consultation: consultation(site, None),
        proposals: proposals(site, None).collect(),
        bodies: bodies(site, None).collect(),
        positions: positions(site, None).collect(),
    })
}

/// The site-wide `data/positions.json` of an archive: each consultation's data, every
/// proposal, body and position naming its consultation's slug (ids are unique within a
/// consultation only).
pub fn archive_positions_json(consultations: &[(&str, &Site)]) -> Vec<u8> {
    pretty_json(&ArchiveDataset {
        consultations: consultations.iter().map(|&(slug, site)| consultation(site, Some(slug))).collect(),
        proposals: consultations.iter().flat_map(|&(slug, site)| proposals(site, Some(slug))).collect(),
        bodies: consultations.iter().flat_map(|&(slug, site)| bodies(site, Some(slug))).collect(),
        positions: consultations.iter().flat_map(|&(slug, site)| positions(site, Some(slug))).collect(),
    })
}

/// One row per position; the proposal's and body's names are repeated so that a
/// spreadsheet needs no lookups. The scope and area come last, so that the columns of
/// files made before positions had scopes keep their places.
pub fn positions_csv(site: &Site) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = ["proposal", "proposal_title", "body", "body_name", "organisation", "stance", "quote", "url", "scope", "area"];
    let proposal_titles: std::collections::HashMap<&str, &str> =
        site.proposals.iter().map(|proposal| (proposal.id.as_str(), proposal.title.as_str())).collect();
    let body_names: std::collections::HashMap<&str, (&str, &str)> =
        site.statements.iter().map(|statement| (statement.id.as_str(), (statement.title.as_str(), statement.organisation.as_str()))).collect();
    let mut rows: Vec<[String; 10]> = Vec::with_capacity(site.positions.len());
    for position in positions(site, None) {
        let (body_name, organisation) = body_names.get(position.body).copied().unwrap_or_default();
        rows.push([
            position.proposal.unwrap_or_default().to_owned(),
            position.proposal.and_then(|proposal| proposal_titles.get(proposal)).copied().unwrap_or_default().to_owned(),
            position.body.to_owned(),
            body_name.to_owned(),
            organisation.to_owned(),
            position.stance.to_owned(),
            position.quote.unwrap_or_default().to_owned(),
            position.url,
            position.scope.to_owned(),
            position.area.unwrap_or_default().to_owned(),
        ]);
    }
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(header);
    for row in &rows {
        let _ = writer.write_record(row);
    }
    writer.into_inner().unwrap_or_default()
}

/// Whether two builds' data files would be the same: the same proposals, bodies and
/// positions, named the same. Much cheaper than writing the files to compare them.
pub fn same_data(old: &Site, new: &Site) -> bool {
    fn same<T>(old: &[T], new: &[T], same_item: impl Fn(&T, &T) -> bool) -> bool {
        old.len() == new.len() && old.iter().zip(new).all(|(old, new)| same_item(old, new))
    }
    let same_proposals = same(&old.proposals, &new.proposals, |a, b| {
        (&a.id, &a.title, a.kind) == (&b.id, &b.title, b.kind) && old.areas[a.area].id == new.areas[b.area].id
    });
    let same_bodies = same(&old.statements, &new.statements, |a, b| {
        (&a.id, &a.title, &a.organisation, a.part_of, a.date, a.overall)
            == (&b.id, &b.title, &b.organisation, b.part_of, b.date, b.overall)
    });
    let same_positions = same(&old.positions, &new.positions, |a, b| {
        (a.proposal, a.statement, a.stance, &a.quote, &a.anchor) == (b.proposal, b.statement, b.stance, &b.quote, &b.anchor)
    });
    let same_area_positions = same(&old.area_positions, &new.area_positions, |a, b| {
        (a.area, a.statement, a.stance, &a.quote, &a.anchor) == (b.area, b.statement, b.stance, &b.quote, &b.anchor)
    });
    let same_areas = same(&old.areas, &new.areas, |a, b| a.id == b.id);
    old.config.base_url == new.config.base_url
        && (&old.consultation.title, &old.consultation.issuer, old.consultation.deadline)
            == (&new.consultation.title, &new.consultation.issuer, new.consultation.deadline)
        && same_proposals
        && same_bodies
        && same_positions
        && same_area_positions
        && same_areas
}
