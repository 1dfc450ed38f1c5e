//! The "Remissinstanserna" paragraph of a proposal page: the bodies' positions told in
//! plain language, the way a government bill summarises a consultation. The wording
//! lives in the theme's UI strings (`[summary]`); this module only chooses and fills it.
//!
//! It counts remissinstanser as the government does: the bodies that answered the
//! ministry. A statement submitted inside another (`part_of`) is named with the body
//! that sent it on, not counted as a remissinstans of its own. Positions on the
//! proposal, on its area as a whole and on the consultation as a whole are told apart.

use std::collections::HashMap;

use super::inputs::Input;
use super::views::Linker;
use crate::load::meta::Stance;
use crate::model::{List, Proposal, Site, Statement, StatementIx};

/// At most this many bodies are named for one stance; beyond it, some are named.
const NAMED_IN_FULL: usize = 3;
const NAMED_OF_MANY: usize = 2;

pub fn proposal_summary(site: &Site, linker: &Linker, proposal: &Proposal) -> String {
    // It names bodies, counts those that said nothing, and tells the stances taken on
    // the proposal and on its area.
    linker.read(Input::Statements);
    linker.read(Input::PositionsOn(proposal.id.clone()));
    linker.read(Input::AreaPositionsOn(site.areas[proposal.area].id.clone()));
    for &position in &proposal.positions {
        linker.read_position(&site.positions[position]);
    }
    for &position in &site.areas[proposal.area].positions {
        linker.read_area_position(&site.area_positions[position]);
    }
    let Some(strings) = site.theme.strings.get("summary").and_then(toml::Value::as_table) else {
        return String::new();
    };
    let summary = Summary { site, strings };
    let object = summary.text(proposal.kind.key());

    let on_proposal: Vec<(StatementIx, Stance)> =
        proposal.positions.iter().map(|&position| &site.positions[position]).map(|position| (position.statement, position.stance)).collect();
    let on_area: Vec<(StatementIx, Stance)> = site.areas[proposal.area]
        .positions
        .iter()
        .map(|&position| &site.area_positions[position])
        .map(|position| (position.statement, position.stance))
        .collect();

    let mut sentences = summary.stances(&on_proposal, object);
    if sentences.is_empty() {
        sentences.push(fill(summary.text("none"), &[("object", object)]));
    }
    sentences.extend(summary.stances(&on_area, summary.text("area")));

    // The remissinstanser that said nothing on the proposal or its area, and of them
    // those that took a stance on the consultation as a whole.
    let mut spoke: List<StatementIx, bool> = vec![false; site.statements.len()].into();
    for &(statement, _) in on_proposal.iter().chain(&on_area) {
        spoke[site.answering_body(statement)] = true;
    }
    let silent: Vec<StatementIx> =
        site.statements.ids().filter(|&statement| site.statements[statement].part_of.is_none() && !spoke[statement]).collect();
    if !on_proposal.is_empty() || !on_area.is_empty() {
        match silent.len() {
            0 => {}
            1 => sentences.push(summary.text("silent_one").to_owned()),
            count => sentences.push(fill(summary.text("silent_many"), &[("count", &summary.number(count))])),
        }
    }
    let overall: Vec<(StatementIx, Stance)> =
        silent.iter().filter_map(|&statement| Some((statement, site.statements[statement].overall?))).collect();
    sentences.extend(summary.stances(&overall, summary.text("consultation")));
    sentences.iter().map(|sentence| capitalise(sentence)).collect::<Vec<_>>().join(" ")
}

struct Summary<'a> {
    site: &'a Site,
    strings: &'a toml::Table,
}

/// A remissinstans that took a stance: itself, or through statements submitted inside
/// its answer, or both.
struct Answer<'a> {
    body: &'a Statement,
    /// Whether the body's own statement takes the stance.
    own: bool,
    /// The statements inside its answer that take the stance.
    parts: Vec<&'a Statement>,
}

impl<'a> Summary<'a> {
    fn text(&self, key: &str) -> &'a str {
        self.strings.get(key).and_then(toml::Value::as_str).unwrap_or_default()
    }

    fn number(&self, count: usize) -> String {
        self.strings
            .get("numbers")
            .and_then(|numbers| numbers.as_array()?.get(count)?.as_str().map(str::to_owned))
            .unwrap_or_else(|| count.to_string())
    }

    /// One sentence per stance taken among the given (statement, stance) pairs.
    fn stances(&self, positions: &[(StatementIx, Stance)], object: &str) -> Vec<String> {
        let mut sentences = Vec::new();
        for stance in Stance::ALL {
            let answers = self.answers(positions.iter().filter(|(_, taken)| *taken == stance).map(|(statement, _)| *statement));
            let Some(forms) = self.strings.get(stance.key()).and_then(toml::Value::as_table) else { continue };
            let (form, named) = match answers.len() {
                0 => continue,
                1 => ("one", 1),
                count if count <= NAMED_IN_FULL => ("few", count),
                _ => ("many", NAMED_OF_MANY),
            };
            // The verb agrees with who is named: several parts speaking for one body are
            // several subjects. Swedish adjectives agree with the noun too: "kontoret är
            // tveksamt", "nämnden är tveksam"; a name ending in -et is a neuter noun in
            // its definite form.
            let form = match (form, &answers[0]) {
                ("one", answer) if !answer.own && answer.parts.len() > 1 => "few",
                ("one", answer) if forms.contains_key("one_neuter") => {
                    let subject = if answer.own { answer.body } else { answer.parts[0] };
                    if subject.title.ends_with("et") { "one_neuter" } else { "one" }
                }
                (form, _) => form,
            };
            let names: Vec<String> = answers.iter().take(named).map(|answer| self.name(answer)).collect();
            let sentence = forms.get(form).and_then(toml::Value::as_str).unwrap_or_default();
            sentences.push(fill(sentence, &[
                ("names", &list(&names, self.text("and"))),
                ("count", &self.number(answers.len())),
                ("object", object),
            ]));
        }
        sentences
    }

    /// Groups statements by the remissinstans they belong to, in the statements' order.
    fn answers(&self, statements: impl Iterator<Item = StatementIx>) -> Vec<Answer<'a>> {
        let mut answers: Vec<Answer> = Vec::new();
        let mut index_of: HashMap<StatementIx, usize> = HashMap::new();
        for statement in statements {
            let body = self.site.answering_body(statement);
            let index = *index_of.entry(body).or_insert_with(|| {
                answers.push(Answer { body: &self.site.statements[body], own: false, parts: Vec::new() });
                answers.len() - 1
            });
            if statement == body {
                answers[index].own = true;
            } else {
                answers[index].parts.push(&self.site.statements[statement]);
            }
        }
        answers
    }

    /// "Socialnämnden i Malmö stad", "Kommunstyrelsen i Stockholms stad (med
    /// Äldrenämnden)", "Stadsledningskontoret i Stockholms stad (i svaret från
    /// Kommunstyrelsen)".
    fn name(&self, answer: &Answer) -> String {
        let body = answer.body;
        let name = fill(self.text("name"), &[("title", &body.title), ("organisation", &body.organisation)]);
        let parts: Vec<String> = answer.parts.iter().map(|part| part.title.clone()).collect();
        let parts = if parts.len() <= NAMED_IN_FULL {
            list(&parts, self.text("and"))
        } else {
            fill(self.text("parts_many"), &[("count", &self.number(parts.len()))])
        };
        match (answer.own, answer.parts.is_empty()) {
            (true, true) => name,
            (true, false) => fill(self.text("with_parts"), &[("name", &name), ("parts", &parts)]),
            (false, _) => fill(
                self.text("parts_only"),
                &[("parts", &parts), ("organisation", &body.organisation), ("body", &body.title)],
            ),
        }
    }
}

/// Fills a UI string's `{placeholders}` in one pass: a value is never read again, so a
/// body named "{organisation}" is named just so.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut filled = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let key = &after[..close];
            values.iter().find(|(name, _)| *name == key).map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                filled.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                filled.push('{');
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
}

/// "A", "A och B", "A, B och C".
fn list(names: &[String], and: &str) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

fn capitalise(sentence: &str) -> String {
    let mut characters = sentence.chars();
    characters.next().map_or_else(String::new, |first| first.to_uppercase().chain(characters).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_prose() {
        let names = |names: &[&str]| names.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>();
        assert_eq!(list(&names(&["A"]), "och"), "A");
        assert_eq!(list(&names(&["A", "B"]), "och"), "A och B");
        assert_eq!(list(&names(&["A", "B", "C"]), "och"), "A, B och C");
        assert_eq!(capitalise("sex remissinstanser"), "Sex remissinstanser");
        assert_eq!(capitalise("åtta"), "Åtta");
    }

    #[test]
    fn a_value_is_never_filled_in_again() {
        // Issue 11 §2: a body named `{count}` or `{object}` had the placeholders' values
        // put into its name.
        let values = [("names", "Nämnden {count} {object}"), ("count", "två"), ("object", "förslaget")];
        assert_eq!(fill("{names} och {count} stödjer {object}.", &values), "Nämnden {count} {object} och två stödjer förslaget.");
        assert_eq!(fill("{okänd} {", &values), "{okänd} {");
    }
}
