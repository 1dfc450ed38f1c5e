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

#[derive(Serialize)]
struct Consultation<'a> {
    title: &'a str,
    issuer: &'a str,
    deadline: Date,
    url: String,
}

#[derive(Serialize)]
struct Proposal<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
    area: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Body<'a> {
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
fn positions(site: &Site) -> impl Iterator<Item = Position<'_>> {
    let on_proposals = site.positions.iter().map(|position| {
        let proposal = &site.proposals[position.proposal];
        Position {
            scope: "proposal",
            proposal: Some(&proposal.id),
            area: Some(&site.areas[proposal.area].id),
            body: &site.statements[position.statement].id,
            stance: position.stance.key(),
            quote: Some(&position.quote),
            url: site.config.permalink(&site.position_path(position)),
        }
    });
    let on_areas = site.area_positions.iter().map(|position| Position {
        scope: "area",
        proposal: None,
        area: Some(&site.areas[position.area].id),
        body: &site.statements[position.statement].id,
        stance: position.stance.key(),
        quote: Some(&position.quote),
        url: site.config.permalink(&site.area_position_path(position)),
    });
    let on_consultation = site.statements.iter().filter_map(|statement| {
        Some(Position {
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

pub fn positions_json(site: &Site) -> Vec<u8> {
    let config = &site.config;
    let dataset = Dataset {
        consultation: Consultation {
            title: &site.consultation.title,
            issuer: &site.consultation.issuer,
            deadline: site.consultation.deadline,
            url: config.permalink(""),
        },
        proposals: site
            .proposals
            .iter()
            .map(|proposal| Proposal {
                id: &proposal.id,
                title: &proposal.title,
                kind: proposal.kind.key(),
                area: &site.areas[proposal.area].id,
                url: config.permalink(&proposal.path),
            })
            .collect(),
        bodies: site
            .statements
            .iter()
            .map(|statement| Body {
                id: &statement.id,
                name: &statement.title,
                organisation: &statement.organisation,
                part_of: statement.part_of.map(|parent| site.statements[parent].id.as_str()),
                date: statement.date,
                overall: statement.overall.map(|stance| stance.key()),
                url: config.permalink(&statement.path),
            })
            .collect(),
        positions: positions(site).collect(),
    };
    let mut json = serde_json::to_vec_pretty(&dataset).expect("the dataset serialises: it holds only strings and numbers");
    json.push(b'\n');
    json
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
    for position in positions(site) {
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
