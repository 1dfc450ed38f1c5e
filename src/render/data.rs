//! The open-data files: every position as JSON and as CSV, with absolute URLs, so that
//! journalists and researchers can use them without the site.

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
    proposal: &'a str,
    body: &'a str,
    stance: &'static str,
    quote: &'a str,
    url: String,
}

fn positions(site: &Site) -> impl Iterator<Item = Position<'_>> {
    site.positions.iter().map(|position| Position {
        proposal: &site.proposals[position.proposal].id,
        body: &site.statements[position.statement].id,
        stance: position.stance.key(),
        quote: &position.quote,
        url: site.config.permalink(&site.position_path(position)),
    })
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
/// spreadsheet needs no lookups.
pub fn positions_csv(site: &Site) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = ["proposal", "proposal_title", "body", "body_name", "organisation", "stance", "quote", "url"];
    let mut rows: Vec<[String; 8]> = Vec::with_capacity(site.positions.len());
    for (position, model) in positions(site).zip(&site.positions) {
        let statement = &site.statements[model.statement];
        rows.push([
            position.proposal.to_owned(),
            site.proposals[model.proposal].title.clone(),
            position.body.to_owned(),
            statement.title.clone(),
            statement.organisation.clone(),
            position.stance.to_owned(),
            position.quote.to_owned(),
            position.url,
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
    old.config.base_url == new.config.base_url
        && (&old.consultation.title, &old.consultation.issuer, old.consultation.deadline)
            == (&new.consultation.title, &new.consultation.issuer, new.consultation.deadline)
        && same_proposals
        && same_bodies
        && same_positions
}
