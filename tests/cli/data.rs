//! The open-data files: `data/positions.json` and `data/positions.csv`.

use serde_json::{Value, json};

use crate::support::Site;
use crate::support::basic::{BODIES, POSITIONS, PROPOSALS};

#[test]
fn json_holds_the_consultation_proposals_bodies_and_positions() {
    let built = Site::basic().build(&[]);
    let data = built.json("data/positions.json");
    let mut keys: Vec<&str> = data.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["bodies", "consultation", "positions", "proposals"]);

    assert_eq!(
        data["consultation"],
        json!({
            "title": "Samverkansutredningens betänkande SOU 2024:12",
            "issuer": "Socialdepartementet",
            "deadline": "2024-10-31",
            "url": "https://example.org/",
        })
    );

    let proposals: Vec<Value> = PROPOSALS
        .iter()
        .map(|proposal| {
            json!({
                "id": proposal.id,
                "title": proposal.title,
                "kind": proposal.kind,
                "area": proposal.area,
                "url": format!("https://example.org/forslag/{}/", proposal.id),
            })
        })
        .collect();
    assert_eq!(data["proposals"], Value::Array(proposals));

    let bodies = data["bodies"].as_array().expect("a list of bodies");
    let ids: Vec<&str> = bodies.iter().map(|body| body["id"].as_str().expect("an id")).collect();
    assert_eq!(ids, BODIES);
    assert_eq!(
        bodies[1],
        json!({
            "id": "goteborg-socialnamnden",
            "name": "Socialnämnden Centrum",
            "organisation": "Göteborgs stad",
            "part_of": "goteborg-ks",
            "date": "2024-09-02",
            "overall": null,
            "url": "https://example.org/remissvar/goteborg-socialnamnden/",
        })
    );
    let summary: Vec<(&str, &str, Option<&str>, &str)> = bodies
        .iter()
        .map(|body| {
            (
                body["name"].as_str().expect("a name"),
                body["organisation"].as_str().expect("an organisation"),
                body["part_of"].as_str(),
                body["date"].as_str().expect("a date"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Kommunstyrelsen", "Göteborgs stad", None, "2024-09-18"),
            ("Socialnämnden Centrum", "Göteborgs stad", Some("goteborg-ks"), "2024-09-02"),
            ("Kommunstyrelsen", "Umeå kommun", None, "2024-10-01"),
        ]
    );

    // Positions on proposals first, then the statements' stances on the whole consultation.
    let area = |proposal: &str| PROPOSALS.iter().find(|known| known.id == proposal).expect("a proposal").area;
    let mut positions: Vec<Value> = POSITIONS
        .iter()
        .map(|position| {
            json!({
                "scope": "proposal",
                "proposal": position.proposal,
                "area": area(position.proposal),
                "body": position.body,
                "stance": position.stance,
                "quote": position.quote,
                "url": format!("https://example.org{}", position.deep_link()),
            })
        })
        .collect();
    for (body, stance) in [("goteborg-ks", "partly"), ("umea-ks", "doubtful")] {
        positions.push(json!({
            "scope": "consultation",
            "proposal": null,
            "area": null,
            "body": body,
            "stance": stance,
            "quote": null,
            "url": format!("https://example.org/remissvar/{body}/"),
        }));
    }
    assert_eq!(data["positions"], Value::Array(positions));
}

#[test]
fn csv_has_a_header_and_one_row_per_position() {
    let built = Site::basic().build(&[]);
    let text = built.text("data/positions.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        ["proposal", "proposal_title", "body", "body_name", "organisation", "stance", "quote", "url", "scope", "area"]
    );

    let rows: Vec<csv::StringRecord> = reader.records().map(|row| row.expect("a well-formed row")).collect();
    let (rows, overall): (Vec<_>, Vec<_>) = rows.into_iter().partition(|row| &row[8] == "proposal");
    assert_eq!(rows.len(), POSITIONS.len());
    // The stances on the whole consultation have no proposal, area or quote.
    assert_eq!(
        overall.iter().map(|row| (&row[0], &row[2], &row[5], &row[6], &row[8], &row[9])).collect::<Vec<_>>(),
        [("", "goteborg-ks", "partly", "", "consultation", ""), ("", "umea-ks", "doubtful", "", "consultation", "")]
    );
    for (row, position) in rows.iter().zip(&POSITIONS) {
        let title = PROPOSALS.iter().find(|proposal| proposal.id == position.proposal).expect("a proposal").title;
        let url = format!("https://example.org{}", position.deep_link());
        assert_eq!(&row[0], position.proposal);
        assert_eq!(&row[1], title);
        assert_eq!(&row[2], position.body);
        assert_eq!(&row[5], position.stance);
        assert_eq!(&row[6], position.quote);
        assert_eq!(&row[7], url);
    }
    assert_eq!(
        rows.iter().map(|row| (&row[3], &row[4])).collect::<Vec<_>>(),
        [
            ("Kommunstyrelsen", "Göteborgs stad"),
            ("Kommunstyrelsen", "Göteborgs stad"),
            ("Socialnämnden Centrum", "Göteborgs stad"),
            ("Socialnämnden Centrum", "Göteborgs stad"),
            ("Kommunstyrelsen", "Umeå kommun"),
            ("Kommunstyrelsen", "Umeå kommun"),
        ]
    );
    // The quote with a comma and double quotes is one field, quoted as RFC 4180 says.
    assert!(
        text.contains(
            r#","Umeå kommun avstyrker förslaget, eftersom ""lärande"" och ""granskning"" är olika uppdrag.","#
        ),
        "{text}"
    );
}

#[test]
fn a_position_on_an_area_is_carried_with_its_scope() {
    let built = crate::site::site_with_an_area_position().build(&[]);
    let data = built.json("data/positions.json");
    let on_areas: Vec<&Value> =
        data["positions"].as_array().expect("positions").iter().filter(|position| position["scope"] == "area").collect();
    assert_eq!(
        on_areas,
        [&json!({
            "scope": "area",
            "proposal": null,
            "area": "tillsyn",
            "body": "umea-ks",
            "stance": "doubtful",
            "quote": "Kommunen är tveksam till förslagen om tillsyn som helhet.",
            "url": "https://example.org/remissvar/umea-ks/#svar-omradet-tillsyn",
        })]
    );
    let text = built.text("data/positions.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|row| row.expect("a well-formed row")).collect();
    let row = rows.iter().find(|row| &row[8] == "area").expect("the area position's row");
    assert_eq!(
        row.iter().collect::<Vec<_>>(),
        [
            "",
            "",
            "umea-ks",
            "Kommunstyrelsen",
            "Umeå kommun",
            "doubtful",
            "Kommunen är tveksam till förslagen om tillsyn som helhet.",
            "https://example.org/remissvar/umea-ks/#svar-omradet-tillsyn",
            "area",
            "tillsyn",
        ]
    );
}
