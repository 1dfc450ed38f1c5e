//! Suggested positions (issue 12 §3): positions `remiss import` proposes, with
//! `suggested = true`, are never published and are listed until an editor reviews them;
//! stances may be written in Swedish (§4).

use std::path::Path;

use remiss::config::Overrides;
use remiss::suggest::{self, Consultation, Suggestion, Target};

use crate::support::basic::UMEA;
use crate::support::{Report, Site, files_below};

/// Umeå's statement with a suggestion on a proposal it says nothing about in its
/// positions, and one on an area, quoting sentences the editors' positions do not.
fn umea_with_suggestions() -> String {
    UMEA.replace(
        "+++\nKommunen avstyrker förslaget.",
        "\n[[positions]]\nproposal = \"samordnad-tillsyn\"\nstance = \"tillstyrker\"\nquote = 'Tillsyn och lärande är olika uppdrag.'\nsuggested = true\nconfidence = 0.62\n\n[[area_positions]]\narea = \"styrning\"\nstance = \"supports\"\nquote = 'Kommunen tillstyrker däremot rekommendationen.'\nsuggested = true\nconfidence = 0.4\n+++\nKommunen avstyrker förslaget.",
    )
}

#[test]
fn a_suggested_position_changes_no_published_file() {
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA);
    site.build(&[]);
    let without = files_below(&site.path("public"));

    site.write("content/statements/umea-ks.md", umea_with_suggestions());
    let built = site.build(&[]);
    assert!(files_below(&site.path("public")) == without, "a suggestion changed the published site");

    // And, as a reader would look for it: not on the proposal's page, not marked on the
    // statement's page, not in the open data.
    let proposal = built.page("forslag/samordnad-tillsyn/");
    // Umeå is listed among the bodies that took no position on it, with no quote.
    assert!(proposal.links().iter().all(|link| !link.contains("umea-ks/#")), "{:?}", proposal.links());
    let statement = built.page("remissvar/umea-ks/");
    assert!(statement.by_id("svar-samordnad-tillsyn").is_none());
    assert!(statement.by_id("svar-omradet-styrning").is_none());
    assert!(statement.links().iter().all(|link| !link.contains("samordnad-tillsyn")), "{:?}", statement.links());
    let data = built.json("data/positions.json");
    let positions = data["positions"].as_array().expect("positions");
    assert!(positions.iter().all(|position| position["body"] != "umea-ks" || position["stance"] != "supports"), "{positions:#?}");
    assert!(!built.text("data/positions.csv").contains("Tillsyn och lärande är olika uppdrag"));
    assert!(!built.text("remissvar/atom.xml").contains("samordnad"));
}

#[test]
fn check_and_build_list_every_suggestion_to_review() {
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", umea_with_suggestions());
    for command in ["check", "build"] {
        let output = site.succeed(&[command]);
        let report = Report::parse(&String::from_utf8_lossy(&output.stderr));
        assert_eq!(
            report.headlines(),
            [
                "content/statements/umea-ks.md:12:12: warning: a suggested position on `samordnad-tillsyn` to review: tillstyrker (supports), confidence 0.62",
                "content/statements/umea-ks.md:19:8: warning: a suggested position on the area `styrning` as a whole to review: tillstyrker (supports), confidence 0.40",
            ],
            "{}",
            report.stderr
        );
        assert_eq!(
            report.problems[0].help.as_deref(),
            Some("it is not published: read the quote in the statement; if it is right, remove `suggested` and `confidence`, if not, remove the position")
        );
        assert_eq!(report.summary, "warning: 2 warnings; the site was built all the same");
    }
}

#[test]
fn confidence_without_suggested_is_an_error() {
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA.replace("quote = 'Kommunen avstyrker förslaget.'", "quote = 'Kommunen avstyrker förslaget.'\nconfidence = 0.9"));
    let report = site.fail(&["check"]);
    let problem = report.problem();
    assert_eq!(problem.headline, "content/statements/umea-ks.md:10:14: `confidence` on a position that is not suggested");
    assert!(problem.help.as_deref().is_some_and(|help| help.contains("suggested = true")), "{problem:?}");
}

#[test]
fn swedish_stance_words_are_read_and_a_wrong_one_is_told_both() {
    // Issue 12 §4: `tillstyrker` was refused as a stance, though the site shows it.
    let site = Site::basic();
    site.write("content/statements/umea-ks.md", UMEA.replace("stance = \"opposes\"", "stance = \"Avstyrker\"").replace("reference = \"KS-2024/789\"\n", "reference = \"KS-2024/789\"\noverall = \"tveksam\"\n"));
    let built = site.build(&[]);
    let data = built.json("data/positions.json");
    let umea: Vec<&serde_json::Value> = data["positions"].as_array().expect("positions").iter().filter(|position| position["body"] == "umea-ks").collect();
    assert_eq!(umea[0]["stance"], "opposes");
    let body = data["bodies"].as_array().expect("bodies").iter().find(|body| body["id"] == "umea-ks").cloned().expect("umea-ks");
    assert_eq!(body["overall"], "doubtful");

    site.write("content/statements/umea-ks.md", UMEA.replace("stance = \"opposes\"", "stance = \"tilstyrker  delvis\""));
    let report = site.fail(&["check"]);
    let problem = report.problem();
    assert_eq!(problem.headline, "content/statements/umea-ks.md:8:10: unknown stance `tilstyrker  delvis`");
    assert_eq!(
        problem.help.as_deref(),
        Some("did you mean `tillstyrker delvis` (or `partly`)? a stance is one of `tillstyrker` (supports), `tillstyrker delvis` (partly), `inga invändningar` (no-objection), `tveksam` (doubtful), `avstyrker` (opposes)")
    );
}

/// The statement text the engine reads: what follows the front matter.
fn body_of(text: &str) -> &str {
    text.splitn(3, "+++\n").nth(2).unwrap_or("")
}

/// The statement's file with the suggestions appended to its front matter.
fn with_suggestions(text: &str, suggestions: &[Suggestion]) -> String {
    let closing = text[3..].find("+++\n").map_or(text.len(), |at| at + 3);
    format!("{}{}{}", &text[..closing], suggest::to_toml(suggestions), &text[closing..])
}

#[test]
fn suggestions_quote_the_text_verbatim_and_the_site_checks_and_publishes_none() {
    let site = Site::basic();
    site.write(
        "content/statements/umea-ks.md",
        "+++\ntitle = \"Kommunstyrelsen\"\norganisation = \"Umeå kommun\"\nreference = \"KS-2024/789\"\n+++\n## Styrning\n\nKommunen tillstyrker förslaget om generella statsbidrag, bl.a. för att riktade bidrag skapar administration. Kommunen har inga invändningar mot rekommendationen om tillitsbaserad ledning.\n\n## Tillsyn\n\nKommunen är positiv till förslagen inom detta område. Kommunen är dock tveksam till en samordnad tillsyn av äldreomsorgen, eftersom ansvaret blir otydligt.\n",
    );
    let published = site.build(&[]).json("data/positions.json");

    let model = remiss::build(site.root(), &Overrides::default()).unwrap_or_else(|problems| panic!("{problems:#?}"));
    let consultation = Consultation::from_site(&model.site);
    let folded = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut suggested = 0;
    for entry in std::fs::read_dir(site.path("content/statements")).expect("the statements") {
        let path = entry.expect("a statement").path();
        let text = std::fs::read_to_string(&path).expect("a statement's text");
        if text.contains("draft = true") {
            continue; // not built, so not checked
        }
        let suggestions = suggest::suggest(body_of(&text), &consultation);
        for suggestion in &suggestions {
            assert!(folded(body_of(&text)).contains(&folded(&suggestion.quote)), "not verbatim in {}: {suggestion:?}", path.display());
        }
        suggested += suggestions.len();
        if path.file_name() == Some(Path::new("umea-ks.md").as_os_str()) {
            let found: Vec<(&Target, &str)> = suggestions.iter().map(|suggestion| (&suggestion.target, suggestion.stance.key())).collect();
            assert_eq!(
                found,
                [
                    (&Target::Proposal("generella-statsbidrag".to_owned()), "supports"),
                    (&Target::Proposal("tillitsbaserad-ledning".to_owned()), "no-objection"),
                    (&Target::Area("tillsyn".to_owned()), "supports"),
                    (&Target::Proposal("samordnad-tillsyn".to_owned()), "doubtful"),
                ]
            );
        }
        std::fs::write(&path, with_suggestions(&text, &suggestions)).expect("the statement written");
    }
    assert!(suggested >= 4);

    let output = site.succeed(&["check"]);
    let report = Report::parse(&String::from_utf8_lossy(&output.stderr));
    let to_review = report.headlines().iter().filter(|headline| headline.contains("a suggested position on")).count();
    assert_eq!(to_review, suggested, "{}", report.stderr);
    assert_eq!(site.build(&[]).json("data/positions.json"), published, "a suggestion was published");
}
