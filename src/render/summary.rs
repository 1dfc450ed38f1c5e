//! The "Remissinstanserna" paragraph of a proposal page: the bodies' positions told in
//! plain language, the way a government bill summarises a consultation. The wording
//! lives in the theme's UI strings (`[summary]`); this module only chooses and fills it.

use crate::load::meta::Stance;
use crate::model::{Proposal, Site, Statement};

/// At most this many bodies are named for one stance; beyond it, some are named.
const NAMED_IN_FULL: usize = 3;
const NAMED_OF_MANY: usize = 2;

pub fn proposal_summary(site: &Site, proposal: &Proposal) -> String {
    let Some(strings) = site.theme.strings.get("summary").and_then(toml::Value::as_table) else {
        return String::new();
    };
    let text = |key: &str| strings.get(key).and_then(toml::Value::as_str).unwrap_or_default();
    let object = text(proposal.kind.key());
    let number = |count: usize| {
        strings
            .get("numbers")
            .and_then(|numbers| numbers.as_array()?.get(count)?.as_str().map(str::to_owned))
            .unwrap_or_else(|| count.to_string())
    };
    let name = |statement: &Statement| {
        fill(text("name"), &[("title", &statement.title), ("organisation", &statement.organisation)])
    };

    let mut sentences = Vec::new();
    for stance in Stance::ALL {
        let bodies: Vec<&Statement> = proposal
            .positions
            .iter()
            .map(|&position| &site.positions[position])
            .filter(|position| position.stance == stance)
            .map(|position| &site.statements[position.statement])
            .collect();
        let Some(forms) = strings.get(stance.key()).and_then(toml::Value::as_table) else { continue };
        let (form, named) = match bodies.len() {
            0 => continue,
            1 => ("one", 1),
            count if count <= NAMED_IN_FULL => ("few", count),
            _ => ("many", NAMED_OF_MANY),
        };
        let names: Vec<String> = bodies.iter().take(named).map(|body| name(body)).collect();
        // Swedish adjectives agree with the noun: "kontoret är tveksamt", "nämnden är
        // tveksam". A name ending in -et is a neuter noun in its definite form.
        let form = match form {
            "one" if bodies[0].title.ends_with("et") && forms.contains_key("one_neuter") => "one_neuter",
            form => form,
        };
        let sentence = forms.get(form).and_then(toml::Value::as_str).unwrap_or_default();
        sentences.push(fill(
            sentence,
            &[("names", &list(&names, text("and"))), ("count", &number(bodies.len())), ("object", object)],
        ));
    }
    let silent = site.statements.len() - proposal.positions.len();
    if sentences.is_empty() {
        sentences.push(fill(text("none"), &[("object", object)]));
    } else if silent == 1 {
        sentences.push(text("silent_one").to_owned());
    } else if silent > 1 {
        sentences.push(fill(text("silent_many"), &[("count", &number(silent))]));
    }
    sentences.iter().map(|sentence| capitalise(sentence)).collect::<Vec<_>>().join(" ")
}

/// Fills a UI string's `{placeholders}` in one pass over the string, so that a value
/// is never read again: a body named `{count}` is printed as it is named.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut filled = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let value = values.iter().find(|(name, _)| *name == &after[..close])?.1;
            Some((value, close))
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
