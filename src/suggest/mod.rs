//! Suggested positions: the passages of a statement that take a position on a proposal
//! (or on an area as a whole), found for the editor to confirm.
//!
//! 1. Cut the statement into blocks under their headings, and the blocks into
//!    sentences ([`sentences`]).
//! 2. Keep the sentences that take a stance, read from how Swedish remissvar say it
//!    ([`stance`]): a sentence without a stance word is not a position.
//! 3. Find what each such sentence speaks of ([`matching`]): the proposals whose words it
//!    shares (rare words weigh most, words after *förslaget om* double), helped by the
//!    heading it stands under; when the sentence itself names nothing, the sentence
//!    before it in the same block, quoted with it.
//! 4. A sentence on the proposals together (*förslagen*, *rekommendationerna inom detta
//!    område*) is a position on the area its heading names, not on each proposal; on the
//!    whole report it is left to the editor (docs/READING.md, rule 2).
//! 5. Keep the best suggestion per proposal and per area.
//!
//! Every quote is one or two whole sentences of the text as a reader sees it (Markdown
//! markup aside), so that `remiss check` finds it.

mod matching;
mod sentences;
mod stance;

use std::collections::HashMap;

use crate::load::meta::Stance;
use crate::model::{Ix, Site};
use matching::{Index, Terms};

/// The proposals and areas of a consultation, as the engine reads them.
#[derive(Debug, Clone, Default)]
pub struct Consultation {
    pub proposals: Vec<ProposalText>,
    pub areas: Vec<AreaText>,
}

#[derive(Debug, Clone)]
pub struct ProposalText {
    pub id: String,
    /// Index into [`Consultation::areas`].
    pub area: usize,
    pub title: String,
    pub text: String,
    pub addressees: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct AreaText {
    pub id: String,
    pub title: String,
    pub text: String,
}

impl Consultation {
    pub fn from_site(site: &Site) -> Consultation {
        Consultation {
            proposals: site
                .proposals
                .iter()
                .map(|proposal| ProposalText {
                    id: proposal.id.clone(),
                    area: proposal.area.index(),
                    title: proposal.title.clone(),
                    text: proposal.body.to_string(),
                    addressees: proposal.addressees.clone(),
                })
                .collect(),
            areas: site.areas.iter().map(|area| AreaText { id: area.id.clone(), title: area.title.clone(), text: area.body.to_string() }).collect(),
        }
    }
}

/// What a suggestion is a position on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// A proposal's id.
    Proposal(String),
    /// An area's id: the body spoke of the area's proposals together.
    Area(String),
}

/// A position found in a statement, for the editor to confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub target: Target,
    pub stance: Stance,
    /// One or two whole sentences of the text, verbatim.
    pub quote: String,
    /// From 0 to 1.
    pub confidence: f32,
}

/// How close a sentence must come to a proposal to be taken as speaking of it.
const PROPOSAL_SIMILARITY: f32 = 0.22;
/// Another proposal named in the same sentence must come this close to the best one.
const ALSO_NAMED: f32 = 0.9;
/// How much of another proposal's title a passage must use to name it as well (with
/// a rare title word the best proposal's title lacks).
const NAMED_COVERAGE: f32 = 0.25;
/// How closely a heading must name a proposal for the stances under it to be on it.
const HEADING_NAMES: f32 = 0.45;
/// How close a heading must come to an area to be the area's chapter.
const AREA_SIMILARITY: f32 = 0.2;
/// How much a passage that uses a proposal's whole title counts, against the cosine.
const TITLE_WEIGHT: f32 = 0.7;
/// How much more a proposal of the chapter the heading names counts: bodies answer
/// chapter by chapter.
const CHAPTER_BOOST: f32 = 1.2;
/// How much the heading adds to a sentence's own words.
const HEADING_WEIGHT: f32 = 0.35;
/// Suggestions below this confidence are dropped as noise.
const MINIMUM_CONFIDENCE: f32 = 0.3;

/// The positions a statement's Markdown body takes, at most one per proposal and one per
/// area, in the order of the text.
pub fn suggest(body: &str, consultation: &Consultation) -> Vec<Suggestion> {
    let documents = |title: &str, text: String| (title.to_owned(), text);
    let proposals: Vec<(String, String)> = consultation
        .proposals
        .iter()
        .map(|proposal| documents(&proposal.title, format!("{} {}", proposal.text, proposal.addressees.join(" "))))
        .collect();
    let areas: Vec<(String, String)> = consultation
        .areas
        .iter()
        .enumerate()
        .map(|(index, area)| {
            let titles: Vec<&str> =
                consultation.proposals.iter().filter(|proposal| proposal.area == index).map(|proposal| proposal.title.as_str()).collect();
            documents(&area.title, format!("{} {}", area.text, titles.join(" ")))
        })
        .collect();
    let index = Index::new(&proposals, &areas);

    // (target, suggestion, order in the text)
    let mut best: HashMap<Target, (Suggestion, usize)> = HashMap::new();
    let mut order = 0;
    for block in sentences::blocks(body) {
        let heading = Heading::read(&index, consultation, &block.headings);
        let ranges = sentences::sentences(&block.text);
        for (at, range) in ranges.iter().enumerate() {
            order += 1;
            let sentence = &block.text[range.clone()];
            let Some(reading) = stance::read(sentence) else { continue };
            if reports_another(sentence) {
                continue;
            }
            let previous = at.checked_sub(1).map(|before| ranges[before].clone());
            for (target, quote, closeness) in targets(&index, consultation, &heading, &block.text, range.clone(), previous) {
                let confidence = (0.45 * closeness + 0.4 * reading.strength + 0.15).clamp(0.0, 0.99);
                if confidence < MINIMUM_CONFIDENCE {
                    continue;
                }
                let suggestion = Suggestion { target: target.clone(), stance: reading.stance, quote, confidence };
                match best.get(&target) {
                    Some((kept, _)) if kept.confidence >= confidence => {}
                    _ => {
                        best.insert(target, (suggestion, order));
                    }
                }
            }
        }
    }
    let mut suggestions: Vec<(Suggestion, usize)> = best.into_values().collect();
    suggestions.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.target.cmp(&b.0.target)));
    suggestions.into_iter().map(|(suggestion, _)| suggestion).collect()
}

/// What the headings above a block say: the area their chapter is, and their stems.
struct Heading {
    area: Option<usize>,
    /// The proposal the innermost heading names, with how closely: bodies that answer
    /// proposal by proposal write `Kommunen tillstyrker förslaget.` under its title.
    proposal: Option<(usize, f32)>,
    terms: Terms,
}

impl Heading {
    fn read(index: &Index, consultation: &Consultation, headings: &[String]) -> Heading {
        // The innermost headings name the part the block answers; the outer ones, the
        // document.
        let inner: Vec<&str> = headings.iter().rev().take(2).map(String::as_str).collect();
        let terms = index.terms(&inner.join(" "));
        let area = (0..consultation.areas.len())
            .map(|area| (area, Index::similarity(&terms, &index.areas[area])))
            .filter(|(_, similarity)| *similarity >= AREA_SIMILARITY)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(area, _)| area);
        let innermost = index.terms(headings.last().map_or("", String::as_str));
        let as_area = index.areas.iter().map(|area| Index::similarity(&innermost, area)).fold(0.0_f32, f32::max);
        let proposal = index
            .proposals
            .iter()
            .map(|proposal| Index::similarity(&innermost, proposal).max(TITLE_WEIGHT * Index::title_coverage(&innermost, proposal)))
            .enumerate()
            .filter(|(_, closeness)| *closeness >= HEADING_NAMES && *closeness > as_area)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        Heading { area, proposal, terms }
    }
}

/// Whether a sentence speaks of the proposals together (an area or the whole report)
/// rather than of one of them.
fn speaks_of_several(sentence: &str) -> bool {
    let words = stance::words(sentence);
    let plural = |word: &str| {
        matches!(word, "förslagen" | "rekommendationerna" | "ändringarna" | "förändringarna" | "åtgärderna" | "slutsatserna" | "bedömningarna" | "bedömningar")
    };
    words.iter().any(|word| plural(word))
        || words.windows(2).any(|pair| {
            matches!(
                (pair[0].as_str(), pair[1].as_str()),
                ("detta" | "det", "område" | "området" | "kapitel" | "kapitlet" | "avsnitt" | "avsnittet")
                    | ("inom", "området")
                    | ("förslag", "och")
                    | ("och", "förslag")
                    | ("rekommendationer", "inom")
                    | ("genomgående" | "generellt" | "överlag", _)
            )
        })
}

/// Whether a sentence reports what the report says (*Delegationen föreslår …*, *Utredningen
/// anser …*) without the body's own word on it (*…, vilket nämnden ställer sig positiv
/// till*): a summary of the report is not a position (docs/READING.md, rule 4).
fn reports_another(sentence: &str) -> bool {
    let words = stance::words(sentence);
    let reports = words.first().is_some_and(|first| matches!(first.as_str(), "delegationen" | "utredningen" | "betänkandet" | "regeringen" | "tillitsdelegationen"))
        && words.get(1).is_some_and(|verb| verb.starts_with("föresl") || verb.starts_with("anser") || verb.starts_with("menar") || verb.starts_with("bedöm") || verb.starts_with("rekommender"));
    let own_voice = words.iter().skip(2).any(|word| {
        matches!(word.as_str(), "vi" | "jag" | "vilket" | "kommunen" | "regionen" | "staden" | "myndigheten" | "styrelsen")
            || ["förvaltningen", "nämnden", "kontoret", "styrelsen"].iter().any(|body| word.ends_with(body))
    });
    reports && !own_voice
}

/// Whether a sentence refers to a proposal explicitly: `förslaget om …`,
/// `rekommendationen att …`, `förslag om …`.
fn refers_explicitly(sentence: &str) -> bool {
    let words = stance::words(sentence);
    words.windows(2).any(|pair| {
        (pair[0].starts_with("förslag") || pair[0].starts_with("rekommendation"))
            && matches!(pair[1].as_str(), "om" | "att" | "kring" | "till" | "gällande" | "avseende" | "rörande" | "angående")
    })
}

/// Whether a sentence names the report itself (*betänkandet*, *SOU 2018:47*): a stance on
/// it is on the whole consultation, whatever heading it stands under.
fn names_the_report(sentence: &str) -> bool {
    sentence.contains("SOU ") || stance::words(sentence).iter().any(|word| word.starts_with("betänkande") || word.starts_with("huvudbetänkande") || word.starts_with("delbetänkande") || word.starts_with("slutbetänkande"))
}

/// Whether a sentence speaks of the report's reasoning rather than of its proposals
/// (*slutsatserna*, *lärdomarna*, *principerna*, *problembeskrivningen*): a stance on
/// those is a stance on the report, not on a proposal.
fn speaks_of_the_report(sentence: &str) -> bool {
    stance::words(sentence).iter().any(|word| {
        ["slutsats", "lärdom", "princip", "huvudprincip", "problembeskrivning", "problembild", "betänkande", "överväganden", "resonemang"]
            .iter()
            .any(|stem| word.starts_with(stem))
    })
}

/// What a stance sentence is a position on, with its quote and how close the match is
/// (0 to 1).
fn targets(
    index: &Index,
    consultation: &Consultation,
    heading: &Heading,
    block: &str,
    sentence: std::ops::Range<usize>,
    previous: Option<std::ops::Range<usize>>,
) -> Vec<(Target, String, f32)> {
    let text = &block[sentence.clone()];
    let own = index.terms(text);
    let scores = |terms: &Terms| -> Vec<f32> {
        index
            .proposals
            .iter()
            .zip(&consultation.proposals)
            .map(|(document, proposal)| {
                let own = Index::similarity(terms, document).max(TITLE_WEIGHT * Index::title_coverage(terms, document));
                let under = Index::similarity(&heading.terms, document);
                let in_chapter = heading.area == Some(proposal.area);
                // The heading helps a sentence that already points at the proposal; it
                // does not make every sentence below it a position on it.
                let helped = if own > 0.0 { own + HEADING_WEIGHT * under } else { 0.0 };
                helped * if in_chapter { CHAPTER_BOOST } else { 1.0 }
            })
            .collect()
    };
    let mut quote = text.to_owned();
    let mut ranked = scores(&own);
    let mut top = ranked.iter().copied().fold(0.0_f32, f32::max);
    // A stance on "detta" or "förslaget" after a sentence that says what it is: quote both.
    let refers_back = stance::words(text).iter().any(|word| matches!(word.as_str(), "denna" | "detta" | "dessa" | "sådan" | "sådana" | "sådant"));
    if (top < PROPOSAL_SIMILARITY || refers_back)
        && let Some(previous) = previous
    {
        let both = &block[previous.start..sentence.end];
        let with_previous: Vec<f32> = scores(&index.terms(both)).into_iter().map(|score| score * 0.9).collect();
        let top_both = with_previous.iter().copied().fold(0.0_f32, f32::max);
        if top_both >= PROPOSAL_SIMILARITY.max(top) && stance::read(&block[previous.clone()]).is_none() {
            quote = both.to_owned();
            ranked = with_previous;
            top = top_both;
        }
    }
    let of_report = speaks_of_the_report(text);
    let several = speaks_of_several(text) || of_report;
    let closeness = |score: f32| (score / 0.6).min(1.0);
    if top < PROPOSAL_SIMILARITY
        && !several
        && let Some((proposal, named)) = heading.proposal
    {
        return vec![(Target::Proposal(consultation.proposals[proposal].id.clone()), text.to_owned(), closeness(named) * 0.9)];
    }
    if several || top < PROPOSAL_SIMILARITY {
        // A position on the chapter: under its heading, or naming the area itself.
        let area = heading.area.filter(|_| !names_the_report(text)).or_else(|| {
            if of_report {
                return None; // the report's reasoning, outside any chapter: the whole report
            }
            let terms = index.terms(text);
            (0..consultation.areas.len())
                .map(|area| (area, Index::similarity(&terms, &index.areas[area])))
                .filter(|(_, similarity)| *similarity >= AREA_SIMILARITY * 1.5)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(area, _)| area)
        });
        // A sentence on several proposals that names one plainly is still about that one.
        let best = ranked.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(proposal, _)| proposal);
        // On the proposals together, a sentence speaks of one only by naming it
        // (`förslaget om …`), not by listing what the report weighed.
        let plainly_one = top >= PROPOSAL_SIMILARITY * 2.0
            && Index::title_coverage(&own, &index.proposals[best]) >= 0.5
            && refers_explicitly(text);
        if several && !plainly_one {
            return match area {
                Some(area) => vec![(Target::Area(consultation.areas[area].id.clone()), text.to_owned(), 0.7)],
                None => Vec::new(),
            };
        }
        if top < PROPOSAL_SIMILARITY {
            // `positiv till Tillitsdelegationens förslag` under a chapter's heading, naming
            // no proposal of it: the chapter's proposals together.
            let generic = stance::words(text).iter().any(|word| matches!(word.as_str(), "förslag" | "rekommendationer"));
            return match (generic && !names_the_report(text), heading.area) {
                (true, Some(area)) => vec![(Target::Area(consultation.areas[area].id.clone()), text.to_owned(), 0.6)],
                _ => Vec::new(),
            };
        }
    }
    let quoted_terms = index.terms(&quote);
    let best = ranked.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(proposal, _)| proposal);
    // `förslaget att …`, `rekommendationen om …`: the body speaks of one proposal.
    let words = stance::words(text);
    let one_named = words.iter().any(|word| matches!(word.as_str(), "förslaget" | "rekommendationen" | "lagändringen" | "ändringen"));
    ranked
        .iter()
        .enumerate()
        .filter(|(proposal, score)| {
            let document = &index.proposals[*proposal];
            // Another proposal is named too when the passage uses its title's words
            // (`förslag om policylabb, försöksverksamheter och frikommuner`).
            let named = Index::title_coverage(&quoted_terms, document) >= NAMED_COVERAGE && **score >= PROPOSAL_SIMILARITY;
            **score == top
                || (!one_named
                    && index.new_title_words(&quoted_terms, document, &index.proposals[best]) > 0
                    && (**score >= top * ALSO_NAMED || named))
        })
        .map(|(proposal, score)| (Target::Proposal(consultation.proposals[proposal].id.clone()), quote.clone(), closeness(*score)))
        .collect()
}

/// The suggestions as TOML tables to append to a statement's front matter:
/// `[[positions]]` and `[[area_positions]]` with `suggested = true` and `confidence`.
/// Runs of whitespace in a quote are written as one space (the quote is compared so).
pub fn to_toml(suggestions: &[Suggestion]) -> String {
    let mut out = String::new();
    let ordered = suggestions
        .iter()
        .filter(|suggestion| matches!(suggestion.target, Target::Proposal(_)))
        .chain(suggestions.iter().filter(|suggestion| matches!(suggestion.target, Target::Area(_))));
    for suggestion in ordered {
        let (table, key, id) = match &suggestion.target {
            Target::Proposal(id) => ("positions", "proposal", id),
            Target::Area(id) => ("area_positions", "area", id),
        };
        let quote = suggestion.quote.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push_str(&format!(
            "\n[[{table}]]\n{key} = {}\nstance = \"{}\"\nquote = {}\nsuggested = true\nconfidence = {:.2}\n",
            toml::Value::String(id.clone()),
            suggestion.stance.key(),
            toml::Value::String(quote),
            suggestion.confidence,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consultation() -> Consultation {
        let proposal = |id: &str, area: usize, title: &str, text: &str| ProposalText {
            id: id.to_owned(),
            area,
            title: title.to_owned(),
            text: text.to_owned(),
            addressees: vec!["Regeringen".to_owned()],
        };
        Consultation {
            proposals: vec![
                proposal("generella-statsbidrag", 0, "Generella statsbidrag som huvudprincip", "Regeringen ska ha som huvudprincip att använda sig av generella statsbidrag."),
                proposal("nationell-konsultationsordning", 0, "En nationell konsultationsordning", "Regeringen ska inrätta en nationell konsultationsordning för dialog med kommunsektorn."),
                proposal("tillsynens-inriktning", 1, "Tillsynens inriktning", "Tillsynen ska vara situations- och verksamhetsanpassad och bidra till lärande."),
                proposal("vite-i-skollagen", 1, "Vite i skollagen", "Bestämmelserna om vite i skollagen ändras."),
            ],
            areas: vec![
                AreaText { id: "styrning".to_owned(), title: "Statens styrning av kommunsektorn".to_owned(), text: String::new() },
                AreaText { id: "tillsyn".to_owned(), title: "En lärande tillsyn".to_owned(), text: String::new() },
            ],
        }
    }

    const STATEMENT: &str = "## Sammanfattning\n\nKommunen tillstyrker förslaget om generella statsbidrag, t.ex. inom skolan. Riktade bidrag skapar administration.\n\n## Statens styrning av kommunsektorn\n\nKommunen har sedan länge en konsultationsordning med regionen. En nationell konsultationsordning för dialog med staten har prövats i Norge. Kommunen stödjer detta.\n\n## En lärande tillsyn\n\nKommunen är positiv till förslagen inom detta område.\n\nKommunen är dock tveksam till att vite i skollagen ändras.\n";

    #[test]
    fn finds_positions_on_proposals_and_areas() {
        let suggestions = suggest(STATEMENT, &consultation());
        let found: Vec<(Target, Stance)> = suggestions.iter().map(|suggestion| (suggestion.target.clone(), suggestion.stance)).collect();
        assert_eq!(
            found,
            [
                (Target::Proposal("generella-statsbidrag".to_owned()), Stance::Supports),
                (Target::Proposal("nationell-konsultationsordning".to_owned()), Stance::Supports),
                (Target::Area("tillsyn".to_owned()), Stance::Supports),
                (Target::Proposal("vite-i-skollagen".to_owned()), Stance::Doubtful),
            ]
        );
        assert_eq!(suggestions[1].quote, "En nationell konsultationsordning för dialog med staten har prövats i Norge. Kommunen stödjer detta.");
    }

    #[test]
    fn a_heading_that_names_a_proposal_gives_the_stances_under_it() {
        let body = "## Generella statsbidrag som huvudprincip\n\nKommunen tillstyrker förslaget.\n\n## Vite i skollagen\n\nKommunen avstyrker.";
        let found: Vec<(Target, Stance)> = suggest(body, &consultation()).into_iter().map(|suggestion| (suggestion.target, suggestion.stance)).collect();
        assert_eq!(
            found,
            [(Target::Proposal("generella-statsbidrag".to_owned()), Stance::Supports), (Target::Proposal("vite-i-skollagen".to_owned()), Stance::Opposes)]
        );
    }

    #[test]
    fn every_quote_is_verbatim() {
        let folded = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        for suggestion in suggest(STATEMENT, &consultation()) {
            assert!(folded(STATEMENT).contains(&folded(&suggestion.quote)), "{suggestion:?}");
            assert!((0.0..=1.0).contains(&suggestion.confidence));
        }
    }

    #[test]
    fn odd_input_gives_no_suggestion_and_no_panic() {
        let pieces = [
            "", "...", "# \n\n##", "Tillstyrker.", "förslaget om", "\u{0}\u{feff}?!", "1. 2. 3.", "Kommunen avstyrker", "\u{a0}.\u{a0}Å",
            "- ", "| a | b |\n|---|---|\n| Nämnden tillstyrker. | x |", "inte inte ej", "ﬁ “citat” — ", "\r\n\r\n", "(", ")", "t.ex.", "Ö.",
            STATEMENT,
        ];
        for first in pieces {
            for second in pieces {
                let body = format!("{first}{second}");
                for suggestion in suggest(&body, &consultation()).into_iter().chain(suggest(&body, &Consultation::default())) {
                    assert!((0.0..=1.0).contains(&suggestion.confidence));
                }
            }
        }
    }

    #[test]
    fn toml_appends_suggested_positions() {
        let suggestions = vec![
            Suggestion { target: Target::Area("tillsyn".to_owned()), stance: Stance::Partly, quote: "Vi är\n\"försiktigt\" positiva.".to_owned(), confidence: 0.5 },
            Suggestion { target: Target::Proposal("vite-i-skollagen".to_owned()), stance: Stance::Opposes, quote: "Kommunen avstyrker.".to_owned(), confidence: 0.876 },
        ];
        assert_eq!(
            to_toml(&suggestions),
            "\n[[positions]]\nproposal = \"vite-i-skollagen\"\nstance = \"opposes\"\nquote = \"Kommunen avstyrker.\"\nsuggested = true\nconfidence = 0.88\n\n[[area_positions]]\narea = \"tillsyn\"\nstance = \"partly\"\nquote = '\"försiktigt\" positiva.'\nsuggested = true\nconfidence = 0.50\n"
                .replace("'\"försiktigt\" positiva.'", "'Vi är \"försiktigt\" positiva.'")
        );
    }
}
