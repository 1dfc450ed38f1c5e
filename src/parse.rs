//! TOML read into typed values, with every problem the editor has to fix reported at
//! once, each with its place in the file and what to do: the one way `config.toml` and
//! every front matter are read.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, SourceFile, suggestion};
use crate::vocabulary::Stance;

/// Parses the TOML at `range` of a file, reporting its first problem (for files whose
/// problems come one at a time: config.toml, UI strings).
pub fn parse_toml<T: DeserializeOwned>(file: &SourceFile, range: Range<usize>) -> Result<T, Diagnostic> {
    parse_toml_reporting_all(file, range).map_err(|mut problems| problems.swap_remove(0))
}

/// Parses the TOML at `range` of a file, reporting every problem: every syntax error the
/// parser recovers from, then every unknown field and wrong value. After a field's
/// problem the field is set aside and the rest read again, so that one run shows the
/// editor all there is to fix. Spans in the problems are relative to the file.
pub fn parse_toml_reporting_all<T: DeserializeOwned>(file: &SourceFile, range: Range<usize>) -> Result<T, Vec<Diagnostic>> {
    let text = &file.text[range.clone()];
    let problem = |error: &toml::de::Error| {
        let span = error.span().map_or(range.start..range.start, |span| range.start + span.start..range.start + span.end);
        let message = error.message().trim_end().to_owned();
        let help = help_for(&message);
        Diagnostic::at(file, span, message).with_help(help)
    };
    let (mut table, syntax) = toml::de::DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return Err(syntax.iter().map(|error| named_in_swedish(text, error).map_or_else(|| problem(error), |help| problem(error).with_help(help))).collect());
    }
    let mut problems = Vec::new();
    let mut set_aside: Vec<(String, Vec<Step>)> = Vec::new();
    loop {
        let error = match T::deserialize(toml::de::Deserializer::from(table.clone())) {
            Ok(meta) if problems.is_empty() => return Ok(meta),
            Ok(_) => return Err(problems),
            Err(error) => error,
        };
        let missing = error.message().strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
        if let Some(field) = missing {
            // A field set aside for its wrong value, or written under another name
            // (already told "did you mean"), is now missing: no second problem for it.
            // Set aside the table that holds it (a position) and read on.
            let told = problems.iter().any(|problem: &Diagnostic| problem.help_text() == Some(format!("did you mean `{field}`?").as_str()));
            match set_aside.iter().rposition(|(key, _)| key == field) {
                Some(index) => {
                    let (_, path) = set_aside.remove(index);
                    if !path.is_empty() && remove_path(table.get_mut(), &path) {
                        continue;
                    }
                }
                None if !told => problems.push(problem(&error)),
                None => {}
            }
            return Err(problems);
        }
        problems.push(problem(&error));
        let removed = error.span().and_then(|span| remove_at(table.get_mut(), span.start, &mut Vec::new()));
        match removed {
            Some(removed) if problems.len() < 100 => set_aside.push(removed),
            _ => return Err(problems),
        }
    }
}

/// One step down a TOML document: a key of a table or an item of an array.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Item(usize),
}

/// Removes the innermost key (with its value) written at `offset`; returns its name
/// and the path to the table it was in.
fn remove_at(table: &mut toml::de::DeTable<'_>, offset: usize, path: &mut Vec<Step>) -> Option<(String, Vec<Step>)> {
    let keys: Vec<String> = table.iter().map(|(key, _)| key.get_ref().to_string()).collect();
    for key in keys {
        let value = table.get_mut(key.as_str())?;
        path.push(Step::Key(key.clone()));
        let inner = match value.get_mut() {
            toml::de::DeValue::Table(inner) => remove_at(inner, offset, path),
            toml::de::DeValue::Array(items) => items.iter_mut().enumerate().find_map(|(index, item)| {
                path.push(Step::Item(index));
                let found = match item.get_mut() {
                    toml::de::DeValue::Table(inner) => remove_at(inner, offset, path),
                    _ => None,
                };
                path.pop();
                found
            }),
            _ => None,
        };
        path.pop();
        if inner.is_some() {
            return inner;
        }
    }
    let (key, _) = table.iter().find(|(key, value)| key.span().start <= offset && offset < value.span().end.max(key.span().end + 1))?;
    let key = key.get_ref().to_string();
    table.remove(key.as_str());
    Some((key, path.clone()))
}

/// Removes the table at the end of a path (a key of its parent, or an item of an array).
fn remove_path(table: &mut toml::de::DeTable<'_>, path: &[Step]) -> bool {
    match path {
        [Step::Key(key)] => table.remove(key.as_str()).is_some(),
        [Step::Key(key), Step::Item(index)] => match table.get_mut(key.as_str()).map(|value| value.get_mut()) {
            Some(toml::de::DeValue::Array(items)) => {
                let mut kept = toml::de::DeArray::new();
                for (at, item) in items.iter().enumerate() {
                    if at != *index {
                        kept.push(item.clone());
                    }
                }
                *items = kept;
                true
            }
            _ => false,
        },
        [Step::Key(key), Step::Item(index), rest @ ..] => match table.get_mut(key.as_str()).map(|value| value.get_mut()) {
            Some(toml::de::DeValue::Array(items)) => match items.get_mut(*index).map(|item| item.get_mut()) {
                Some(toml::de::DeValue::Table(inner)) => remove_path(inner, rest),
                _ => false,
            },
            _ => false,
        },
        [Step::Key(key), rest @ ..] => match table.get_mut(key.as_str()).map(|value| value.get_mut()) {
            Some(toml::de::DeValue::Table(inner)) => remove_path(inner, rest),
            _ => false,
        },
        _ => false,
    }
}

/// Names editors give fields, in Swedish and English, and the field each means. A
/// name is suggested only where its field is one of the file's kind.
const SYNONYMS: &[(&str, &[&str])] = &[
    ("reference", &["diarienummer", "diarienr", "dnr", "ärendenummer", "ärendenr", "arendenummer", "referens", "ref", "diary_number", "case_number"]),
    ("date", &["datum", "beslutsdatum", "decision_date", "date_of_decision"]),
    ("organisation", &["organization", "organisationen", "org", "kommun", "region", "myndighet", "remissinstans", "instans", "body"]),
    ("title", &["titel", "rubrik", "namn", "name", "heading", "nämnd", "namnd"]),
    ("stance", &["ställningstagande", "stallningstagande", "ståndpunkt", "standpunkt", "hållning", "hallning", "position", "opinion", "inställning", "installning"]),
    ("positions", &["ställningstaganden", "stallningstaganden", "position", "ståndpunkter", "standpunkter"]),
    ("quote", &["citat", "quotation", "utdrag", "excerpt", "text"]),
    ("proposal", &["förslag", "forslag", "förslaget", "forslaget"]),
    ("signed_by", &["undertecknad", "undertecknat", "undertecknare", "signatories", "signed", "signatures"]),
    ("decision", &["beslut", "beslutande", "beslutsfattare"]),
    ("prepared_by", &["handläggare", "handlaggare", "föredragande", "foredragande"]),
    ("prepared", &["tjänsteskrivelse", "tjansteskrivelse"]),
    ("minutes", &["protokoll", "paragraf", "protocol"]),
    ("part_of", &["del_av", "ingår_i", "ingar_i", "parent"]),
    ("source", &["källa", "kalla", "ursprung"]),
    ("description", &["beskrivning", "sammanfattning", "summary"]),
    ("deadline", &["sista_svarsdag", "svarsdatum", "sista_dag", "due", "due_date"]),
    ("issuer", &["avsändare", "avsandare", "utfärdare", "utfardare", "departement", "ministry"]),
    ("addressees", &["adressater", "mottagare", "recipients"]),
    ("kind", &["typ", "slag", "type"]),
    ("weight", &["vikt", "ordning", "order", "sortering"]),
    ("draft", &["utkast"]),
    ("area", &["område", "omrade"]),
    ("overall", &["helhet", "övergripande", "overgripande", "sammantaget", "overall_stance"]),
    ("joint_with", &["tillsammans_med", "gemensamt_med", "jointly_with"]),
    ("updated", &["uppdaterad", "ändrad", "andrad", "modified"]),
    ("documents", &["dokument", "handlingar"]),
    ("url", &["länk", "lank", "link", "href", "adress"]),
    ("reports", &["betänkanden", "betankanden", "rapporter"]),
];

/// The field a word names in another language or by another name, if it is one of
/// `expected`.
fn synonym<'a>(word: &str, expected: &[&'a str]) -> Option<&'a str> {
    let word: String = word.to_lowercase().chars().map(|character| if matches!(character, '-' | ' ') { '_' } else { character }).collect();
    SYNONYMS
        .iter()
        .filter(|(_, names)| names.contains(&word.as_str()))
        .find_map(|(field, _)| expected.iter().find(|candidate| *candidate == field).copied())
}

/// A key TOML cannot read unquoted (`ställningstagande = …`: å, ä and ö are not
/// allowed) that names a field: what to write instead.
fn named_in_swedish(text: &str, error: &toml::de::Error) -> Option<String> {
    let start = error.span()?.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
    let key = text[line_start..].split(['=', '\n']).next()?.trim().trim_matches(['"', '\'']);
    let fields: Vec<&str> = SYNONYMS.iter().map(|(field, _)| *field).collect();
    let field = synonym(key, &fields)?;
    Some(format!("did you mean `{field}`? (field names are written in English, with a–z, digits and `_`)"))
}

/// What to do about a TOML or serde message.
fn help_for(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let (true, Some((word, expected))) = (message.starts_with("unknown field"), quoted.split_first())
        && let Some(field) = synonym(word, expected)
    {
        return format!("did you mean `{field}`?");
    }
    if (message.starts_with("unknown field") || message.starts_with("unknown variant"))
        && let Some((word, expected)) = quoted.split_first()
    {
        return match suggestion(word, expected.iter().copied()).strip_prefix(": ") {
            Some(did_you_mean) => did_you_mean.to_owned(),
            None => format!("allowed here: {}", expected.join(", ")),
        };
    }
    if let (true, Some(written)) = (message.starts_with(crate::vocabulary::UNKNOWN_STANCE), quoted.first()) {
        return stance_help(written);
    }
    if let (true, Some(field)) = (message.starts_with("missing field"), quoted.first()) {
        return format!("add the field `{field}` to the front matter");
    }
    if message.ends_with(crate::vocabulary::UNSAFE_LINK) {
        return crate::vocabulary::LINK_HELP.to_owned();
    }
    if message == crate::vocabulary::INVISIBLE_ONLY {
        return "write visible text between the quotes (text copied from a PDF or a web page can bring characters that show as nothing)".to_owned();
    }
    if message == "the text is empty" {
        return "write the text between the quotes".to_owned();
    }
    if message.contains("date") || message.contains("datetime") {
        return "write a date as year-month-day without quotes, such as 2018-10-31".to_owned();
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        return "check the value's kind in docs/content-model.md: text goes in quotes, numbers and dates without, lists in [ ]"
            .to_owned();
    }
    "the front matter is TOML: one `key = value` a line, text in quotes (\"…\", or '…' when the text has \" in it), [[positions]] before each position".to_owned()
}

/// A "did you mean" for a misspelt stance, naming it both ways (the Swedish word and
/// the English code mean the same), then every stance that may be written.
fn stance_help(written: &str) -> String {
    let folded = crate::slug::slugify(written).replace('-', " ");
    let folded_words: Vec<(String, Stance)> = Stance::ALL
        .into_iter()
        .flat_map(|stance| [(stance.key().replace('-', " "), stance), (crate::slug::slugify(stance.swedish()).replace('-', " "), stance)])
        .collect();
    let closest = crate::diagnostic::did_you_mean(&folded, folded_words.iter().map(|(word, _)| word.as_str()))
        .and_then(|word| folded_words.iter().find(|(candidate, _)| candidate == word))
        .map(|(_, stance)| *stance);
    let all = Stance::ALL.map(|stance| format!("`{}` ({})", stance.swedish(), stance.key())).join(", ");
    match closest {
        Some(stance) => format!("did you mean `{}` (or `{}`)? a stance is one of {all}", stance.swedish(), stance.key()),
        None => format!("a stance is one of {all}, in Swedish or as the English code"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::front_matter::split;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/x.md", text)
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        weight: Option<i64>,
    }

    #[test]
    fn unknown_field_gets_a_suggestion_and_a_line() {
        let file = file("+++\ntitle = \"A\"\nwieght = 2\n+++\n");
        let parts = split(&file).unwrap();
        let error = parse_toml::<Meta>(&file, parts.front_matter).unwrap_err();
        assert!(error.to_string().starts_with("content/x.md:3:1: unknown field `wieght`"), "{error}");
        assert_eq!(error.help_text(), Some("did you mean `weight`?"));
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct WithPositions {
        title: String,
        #[serde(default)]
        positions: Vec<Position>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Position {
        proposal: String,
        weight: i64,
    }

    #[test]
    fn every_unknown_field_and_wrong_value_is_reported() {
        // Issue 11 §5: only the first front-matter problem of a file was reported.
        let file = file("+++\ntitel = \"A\"\nwieght = 2\n\n[[positions]]\nproposal = 1\nweight = 2\n\n[[positions]]\nproposal = \"b\"\nweight = \"x\"\ncitat = 'c'\n+++\n");
        let parts = split(&file).unwrap();
        let problems = parse_toml_reporting_all::<WithPositions>(&file, parts.front_matter).unwrap_err();
        let mut headlines: Vec<String> = problems.iter().map(|problem| problem.to_string()).collect();
        headlines.sort();
        assert_eq!(headlines.len(), 5, "{headlines:#?}");
        for start in ["content/x.md:2:1: unknown field `titel`", "content/x.md:3:1: unknown field `wieght`", "content/x.md:6:12: invalid type: integer `1`, expected a string", "content/x.md:11:10: invalid type: string \"x\", expected i64", "content/x.md:12:1: unknown field `citat`"] {
            assert!(headlines.iter().any(|headline| headline.starts_with(start)), "{start}: {headlines:#?}");
        }
    }

    #[test]
    fn swedish_and_english_field_names_suggest_the_field() {
        // Issue 12 §4: `diarienummer` was not found to be `reference`.
        let expected = ["title", "organisation", "date", "reference", "positions"];
        for (word, field) in [("diarienummer", "reference"), ("Datum", "date"), ("organization", "organisation"), ("titel", "title"), ("Ställningstaganden", "positions")] {
            assert_eq!(synonym(word, &expected), Some(field), "{word}");
        }
        assert_eq!(synonym("citat", &expected), None, "`quote` is not a field of this kind");
        assert_eq!(synonym("citat", &["proposal", "stance", "quote"]), Some("quote"));
        assert_eq!(synonym("ställningstagande", &["proposal", "stance", "quote"]), Some("stance"));
    }

    #[test]
    fn a_misspelt_stance_is_told_both_words() {
        assert_eq!(
            stance_help("tilstyrker"),
            "did you mean `tillstyrker` (or `supports`)? a stance is one of `tillstyrker` (supports), `tillstyrker delvis` (partly), `inga invändningar` (no-objection), `tveksam` (doubtful), `avstyrker` (opposes)"
        );
        assert!(stance_help("opose").starts_with("did you mean `avstyrker` (or `opposes`)?"));
        assert!(stance_help("xyzzy-plugh").starts_with("a stance is one of"));
    }

    #[test]
    fn every_toml_problem_says_what_to_do() {
        for front_matter in ["title = 1\n", "title = \"A\"\nweight = \"x\"\n", "title = \"A\n", "wieght = 1\n"] {
            let file = file(&format!("+++\n{front_matter}+++\n"));
            let parts = split(&file).unwrap();
            let error = parse_toml::<Meta>(&file, parts.front_matter).unwrap_err();
            assert!(error.help_text().is_some_and(|help| !help.is_empty()), "{error}");
        }
    }
}
