//! The statement's metadata as the document itself prints it: organisation, deciding
//! body, decision date, the date of the administration's statement, diarienummer,
//! protocol paragraph, signatories and the body it answers to. Every value keeps the
//! line it was read from, for the editor to confirm.

use std::collections::HashMap;

use crate::vocabulary::Date;

pub use crate::vocabulary::PLACEHOLDER;

/// Where a value was read.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A line of the draft's body (0-based), with the line's text.
    Body(usize, String),
    /// A running header or footer, removed from the body.
    Furniture(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    pub value: T,
    pub origin: Origin,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// The deciding body (a nämnd or styrelse): the statement's title.
    pub title: Option<Found<String>>,
    pub organisation: Option<Found<String>>,
    pub date: Option<Found<Date>>,
    /// The date of the administration's statement (tjänsteutlåtande).
    pub prepared: Option<Found<Date>>,
    pub reference: Option<Found<String>>,
    pub minutes: Option<Found<String>>,
    pub signed_by: Vec<Found<String>>,
    /// The body the statement is addressed to ("Till: Kommunstyrelsen").
    pub answers_to: Option<Found<String>>,
}

/// Finds the metadata in the body's lines and then in the removed page furniture.
pub fn find(body: &str, furniture: &[String]) -> Metadata {
    let mut lines: Vec<(Origin, String)> =
        body.lines().enumerate().map(|(index, line)| (Origin::Body(index, line.to_owned()), plain(line))).collect();
    let mut seen = std::collections::HashSet::new();
    for line in furniture {
        if seen.insert(line.as_str()) {
            lines.push((Origin::Furniture(line.clone()), plain(line)));
        }
    }
    let mut metadata = Metadata {
        reference: find_reference(&lines),
        minutes: find_minutes(&lines),
        organisation: find_organisation(&lines),
        signed_by: find_signatories(&lines),
        ..Metadata::default()
    };
    let (title, answers_to) = find_bodies(&lines);
    metadata.title = title;
    metadata.answers_to = answers_to;
    let (date, prepared) = find_dates(&lines);
    metadata.date = date;
    metadata.prepared = prepared;
    metadata
}

/// A line without its Markdown marks: the words as the document prints them.
fn plain(line: &str) -> String {
    let line = line.trim_start_matches(['#', '>', ' ']).trim_start_matches("- ");
    let mut out = String::with_capacity(line.len());
    let mut characters = line.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '\\' => out.extend(characters.next()),
            '*' => {}
            '|' => out.push(' '),
            character => out.push(character),
        }
    }
    out
}

/// The line before `index` when it is a label of one or two words (`Datum`, `Till`):
/// a letterhead prints a label above its value.
fn label_above(lines: &[(Origin, String)], index: usize) -> Option<&str> {
    let above = lines[..index].iter().rev().map(|(_, line)| line.trim()).find(|line| !line.is_empty())?;
    (above.split_whitespace().count() <= 2 && !above.ends_with('.')).then_some(above)
}

/// The next line with text after `index`.
fn next_text(lines: &[(Origin, String)], index: usize) -> Option<&(Origin, String)> {
    lines[index + 1..].iter().find(|(_, line)| !line.trim().is_empty())
}

fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

fn bare(word: &str) -> &str {
    word.trim_matches(|character: char| !character.is_alphanumeric() && character != '-' && character != '§')
}

// ---- dates -----------------------------------------------------------------------

const MONTHS: &[(&str, u8)] = &[
    ("januari", 1), ("jan", 1), ("februari", 2), ("feb", 2), ("mars", 3), ("mar", 3), ("april", 4), ("apr", 4),
    ("maj", 5), ("juni", 6), ("jun", 6), ("juli", 7), ("jul", 7), ("augusti", 8), ("aug", 8),
    ("september", 9), ("sept", 9), ("sep", 9), ("oktober", 10), ("okt", 10), ("november", 11), ("nov", 11),
    ("december", 12), ("dec", 12),
];

fn date(year: u32, month: u32, day: u32) -> Option<Date> {
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2100).contains(&year) && (1..=days).contains(&day)).then_some(Date { year: year as u16, month: month as u8, day: day as u8 })
}

/// The dates a line prints: `2018-09-26`, `25 oktober 2018`, `den 3 okt. 2018`.
pub fn dates_in(line: &str) -> Vec<Date> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    for start in 0..bytes.len().saturating_sub(9) {
        let candidate = &bytes[start..start + 10];
        let shape = candidate.iter().enumerate().all(|(index, byte)| if index == 4 || index == 7 { *byte == b'-' } else { byte.is_ascii_digit() });
        let alone = (start == 0 || !bytes[start - 1].is_ascii_digit()) && bytes.get(start + 10).is_none_or(|byte| !byte.is_ascii_digit());
        if shape && alone {
            let number = |range: std::ops::Range<usize>| std::str::from_utf8(&candidate[range]).ok().and_then(|text| text.parse::<u32>().ok());
            if let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10))
                && let Some(date) = date(year, month, day)
            {
                found.push(date);
            }
        }
    }
    let tokens = words(line);
    for window in tokens.windows(3) {
        let day = window[0].trim_end_matches('.').parse::<u32>().ok();
        let month_word = window[1].trim_end_matches([',', '.']).to_lowercase();
        let month = MONTHS.iter().find(|(name, _)| *name == month_word).map(|(_, month)| u32::from(*month));
        let year_word = window[2].trim_end_matches(|character: char| !character.is_ascii_digit());
        let year = (year_word.len() == 4).then(|| year_word.parse::<u32>().ok()).flatten();
        if let (Some(day), Some(month), Some(year)) = (day, month, year)
            && let Some(date) = date(year, month, day)
        {
            found.push(date);
        }
    }
    found
}

/// The decision date and the date of the administration's statement. A date on a line
/// that names a deadline (`Remisstid`, `senast`) is neither.
fn find_dates(lines: &[(Origin, String)]) -> (Option<Found<Date>>, Option<Found<Date>>) {
    let mut decision: Option<(u8, Found<Date>)> = None;
    let mut prepared = None;
    for (index, (origin, line)) in lines.iter().enumerate() {
        let dates = dates_in(line);
        let Some(first) = dates.first() else { continue };
        let lower = format!("{} {line}", label_above(lines, index).unwrap_or("")).to_lowercase();
        if ["remisstid", "senast", "sista dag", "svarsdatum", "inkommit", "betänkande", "sou "].iter().any(|word| lower.contains(word)) {
            continue;
        }
        let found = Found { value: *first, origin: origin.clone() };
        if ["tjänsteutlåtande", "tjänsteskrivelse", "handläggare", "förvaltningens förslag"].iter().any(|word| lower.contains(word)) {
            prepared.get_or_insert(found);
            continue;
        }
        let is_place_and_date = words(line).get(1).is_some_and(|word| *word == "den") && line.starts_with(char::is_uppercase);
        let score = if ["sammanträdesdatum", "beslutsdatum", "datum", "sammanträde", "justera", "protokoll", "beslut"].iter().any(|word| lower.contains(word)) || is_place_and_date {
            2
        } else {
            1
        };
        if decision.as_ref().is_none_or(|(best, _)| score > *best) {
            decision = Some((score, found));
        }
    }
    (decision.map(|(_, found)| found), prepared)
}

// ---- diarienummer, paragraph ---------------------------------------------------------

const REFERENCE_LABELS: &[&str] = &["diarienummer", "diarienr", "ärendenummer", "ärendenr", "ärende nr", "dnr"];

/// The diarienummer: the value after `Dnr`, `Diarienummer` or `Ärendenr`, on the same
/// line or the next (a letterhead prints label and value on two lines).
fn find_reference(lines: &[(Origin, String)]) -> Option<Found<String>> {
    for (index, (origin, line)) in lines.iter().enumerate() {
        let lower = line.to_lowercase();
        for label in REFERENCE_LABELS {
            let Some(at) = lower.find(label) else { continue };
            let before_ok = lower[..at].chars().next_back().is_none_or(|character| !character.is_alphanumeric());
            if !before_ok {
                continue;
            }
            let rest = line.get(at + label.len()..).unwrap_or("");
            let rest = rest.trim_start_matches(['.', ':', ' ', '\u{a0}']);
            if let Some(value) = reference_value(rest) {
                return Some(Found { value, origin: origin.clone() });
            }
            if rest.trim().is_empty()
                && let Some((next_origin, next)) = next_text(lines, index)
                && let Some(value) = reference_value(next)
            {
                return Some(Found { value, origin: next_origin.clone() });
            }
        }
    }
    None
}

fn reference_value(text: &str) -> Option<String> {
    let value: String = text.trim().chars().take_while(|character| !matches!(character, ')' | ',' | ';' | '(' | '·')).collect();
    let value = value.trim().trim_end_matches('.').trim();
    let words = value.split_whitespace().count();
    (value.chars().any(|character| character.is_ascii_digit()) && value.len() <= 40 && words <= 3).then(|| value.to_owned())
}

/// The protocol paragraph, `§ 163`.
fn find_minutes(lines: &[(Origin, String)]) -> Option<Found<String>> {
    lines.iter().find_map(|(origin, line)| {
        let at = line.find('§')?;
        let number: String = line[at + '§'.len_utf8()..].trim_start().chars().take_while(char::is_ascii_digit).collect();
        (!number.is_empty()).then(|| Found { value: format!("§ {number}"), origin: origin.clone() })
    })
}

// ---- organisation and bodies -------------------------------------------------------------

/// Words that open a sentence rather than name a municipality (`Varje kommun`).
const NOT_NAMES: &[&str] = &["En", "Den", "Denna", "Varje", "Vår", "Er", "Hela", "Samma", "Annan", "Egen", "Sin", "Vilken", "Någon", "Ingen", "Alla", "The"];

/// `Malmö stad`, `Luleå kommun(s)`, `Region Skåne`: the one printed most often.
fn find_organisation(lines: &[(Origin, String)]) -> Option<Found<String>> {
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    let mut first: Vec<(String, Origin)> = Vec::new();
    for (index, (origin, line)) in lines.iter().enumerate() {
        let tokens = words(line);
        for (at, token) in tokens.iter().enumerate() {
            let word = bare(token);
            let name = match word {
                "stad" | "stads" | "kommun" | "kommuns" if at > 0 => {
                    let previous = bare(tokens[at - 1]);
                    let is_name = previous.chars().next().is_some_and(char::is_uppercase) && !NOT_NAMES.contains(&previous) && previous.chars().all(|character| character.is_alphabetic() || character == '-');
                    is_name.then(|| format!("{previous} {}", word.trim_end_matches('s')))
                }
                "Region" | "Landstinget" => tokens.get(at + 1).map(|next| bare(next)).filter(|next| next.chars().next().is_some_and(char::is_uppercase)).map(|next| format!("{word} {next}")),
                _ => None,
            };
            let Some(name) = name else { continue };
            let entry = counts.entry(name.clone()).or_insert((0, index));
            entry.0 += 1;
            if !first.iter().any(|(known, _)| *known == name) {
                first.push((name, origin.clone()));
            }
        }
    }
    let (name, _) = counts.into_iter().max_by_key(|(_, (count, index))| (*count, std::cmp::Reverse(*index)))?;
    let origin = first.into_iter().find(|(known, _)| *known == name)?.1;
    Some(Found { value: name, origin })
}

fn is_body_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    ["nämnden", "nämnd", "styrelsen", "styrelse"].iter().any(|end| lower.ends_with(end)) && lower.len() > 6
}

/// The bodies a line names: `Arbetsmarknads- och socialnämnden`, `Farsta
/// stadsdelsnämnd`, `Kommunstyrelsen`, each with the index of its last word.
fn bodies_in(tokens: &[&str]) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        let word = bare(token);
        if !is_body_word(word) {
            continue;
        }
        let mut start = at;
        if at >= 2 && bare(tokens[at - 1]) == "och" && tokens[at - 2].ends_with('-') {
            start = at - 2;
        } else if at >= 1 && word.to_lowercase().starts_with("stadsdels") && bare(tokens[at - 1]).starts_with(char::is_uppercase) {
            start = at - 1;
        }
        let mut phrase: Vec<&str> = tokens[start..at].to_vec();
        phrase.push(word);
        let phrase = phrase.join(" ");
        let mut characters = phrase.chars();
        let phrase = characters.next().map(|first| first.to_uppercase().chain(characters).collect::<String>()).unwrap_or_default();
        found.push((phrase, at));
    }
    found
}

/// The deciding body (named most, and as the one that decides) and the body the
/// statement is addressed to (`Till: Kommunstyrelsen`).
fn find_bodies(lines: &[(Origin, String)]) -> (Option<Found<String>>, Option<Found<String>>) {
    let mut scores: HashMap<String, (usize, usize, Origin)> = HashMap::new();
    let mut answers_to = None;
    for (index, (origin, line)) in lines.iter().enumerate() {
        let tokens = words(line);
        for (body, at) in bodies_in(&tokens) {
            let start = at + 1 - body.split_whitespace().count();
            let before = match start.checked_sub(1) {
                Some(previous) => Some(bare(tokens[previous]).to_lowercase()),
                None => label_above(lines, index).map(|label| bare(label).to_lowercase()),
            };
            if before.as_deref() == Some("till") {
                answers_to.get_or_insert(Found { value: body, origin: origin.clone() });
                continue;
            }
            let after = tokens.get(at + 1).map(|next| bare(next).to_lowercase()).unwrap_or_default();
            let decides = ["beslutar", "beslutade", "beslut", "godkänner", "lämnar", "avger", "yttrande", "anser", "tillstyrker", "välkomnar"].contains(&after.as_str());
            let key = body.to_lowercase();
            let entry = scores.entry(key).or_insert((0, index, origin.clone()));
            entry.0 += if decides { 3 } else { 1 };
        }
    }
    let title = scores.into_iter().max_by_key(|(_, (score, index, _))| (*score, std::cmp::Reverse(*index))).map(|(key, (_, _, origin))| {
        let line = match &origin {
            Origin::Body(_, line) | Origin::Furniture(line) => plain(line),
        };
        let shown = bodies_in(&words(&line)).into_iter().map(|(body, _)| body).find(|body| body.to_lowercase() == key).unwrap_or(key);
        Found { value: shown, origin }
    });
    (title, answers_to)
}

// ---- signatories -------------------------------------------------------------------------

const ROLES: &[&str] = &[
    "ordförande", "vice ordförande", "förvaltningsdirektör", "förvaltningschef", "stadsdelsdirektör", "avdelningschef",
    "sekreterare", "nämndsekreterare", "kommundirektör", "stadsdirektör", "borgarråd", "handläggare", "direktör",
    "skolchef", "socialchef", "justerare", "kanslichef", "enhetschef",
];

fn role_of(text: &str) -> Option<String> {
    let lower = text.trim().trim_end_matches('.').to_lowercase();
    let lower = lower.strip_prefix("tf.").or_else(|| lower.strip_prefix("tf ")).map_or(lower.clone(), |rest| format!("tf. {}", rest.trim()));
    let core = lower.strip_prefix("tf. ").unwrap_or(&lower);
    (ROLES.contains(&core) || ROLES.iter().any(|role| core.ends_with(role) && core.split_whitespace().count() == 1)).then_some(lower)
}

/// A line that is only a person's name: two to four capitalised words.
fn is_name(text: &str) -> bool {
    let tokens = words(text.trim());
    (2..=4).contains(&tokens.len())
        && tokens.iter().all(|token| {
            token.chars().next().is_some_and(char::is_uppercase) && token.chars().all(|character| character.is_alphabetic() || character == '-')
        })
        && role_of(text).is_none()
        && !tokens.iter().any(|token| is_body_word(token) || ["Stad", "Kommun", "Region"].contains(token))
}

fn title_case(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_owned();
    }
    name.split(' ')
        .map(|word| {
            word.split('-')
                .map(|part| {
                    let mut characters = part.chars();
                    characters.next().map(|first| first.to_uppercase().chain(characters.flat_map(char::to_lowercase)).collect::<String>()).unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Sedat Arif, ordförande` on one line, a role line beside a name line, or a name in
/// capitals under a place and date (`Stockholm den 25 oktober 2018`).
fn find_signatories(lines: &[(Origin, String)]) -> Vec<Found<String>> {
    let mut found: Vec<Found<String>> = Vec::new();
    let mut used = std::collections::HashSet::new();
    let nonempty: Vec<usize> = (0..lines.len()).filter(|index| !lines[*index].1.trim().is_empty()).collect();
    for (position, index) in nonempty.iter().enumerate() {
        let (origin, line) = &lines[*index];
        // "…: Anna Nilsson, sekreterare."
        for (comma, _) in line.match_indices(", ") {
            let left_tokens = words(&line[..comma]);
            let right = line[comma + 2..].split([',', '.', ';']).next().unwrap_or("");
            let Some(role) = role_of(right) else { continue };
            let name: Vec<&str> = left_tokens.iter().rev().take_while(|token| token.chars().next().is_some_and(char::is_uppercase) && !token.ends_with(':')).copied().collect::<Vec<_>>().into_iter().rev().collect();
            let name = name.join(" ");
            if is_name(&name) {
                found.push(Found { value: format!("{}, {role}", title_case(&name)), origin: origin.clone() });
                used.insert(*index);
            }
        }
        if let Some(role) = role_of(line) {
            let neighbours = [nonempty.get(position + 1), position.checked_sub(1).and_then(|previous| nonempty.get(previous))];
            if let Some(name_index) = neighbours.into_iter().flatten().find(|neighbour| is_name(&lines[**neighbour].1) && !used.contains(*neighbour)) {
                used.insert(*name_index);
                found.push(Found { value: format!("{}, {role}", title_case(lines[*name_index].1.trim())), origin: lines[*name_index].0.clone() });
            }
        }
    }
    for (position, index) in nonempty.iter().enumerate() {
        let line = &lines[*index].1;
        let place_and_date = words(line).get(1).is_some_and(|word| *word == "den") && !dates_in(line).is_empty();
        if !place_and_date {
            continue;
        }
        if let Some(next) = nonempty.get(position + 1)
            && is_name(&lines[*next].1)
            && !lines[*next].1.chars().any(char::is_lowercase)
            && !used.contains(next)
        {
            used.insert(*next);
            found.push(Found { value: title_case(lines[*next].1.trim()), origin: lines[*next].0.clone() });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn swedish_dates_are_read() {
        assert_eq!(dates_in("Stockholm den 25 oktober 2018"), vec![day(2018, 10, 25)]);
        assert_eq!(dates_in("Datum 2018-09-26"), vec![day(2018, 9, 26)]);
        assert_eq!(dates_in("beslutat den 3 okt. 2018 och"), vec![day(2018, 10, 3)]);
        assert_eq!(dates_in("Sammanträdesdatum: 1 sept 2018"), vec![day(2018, 9, 1)]);
        assert_eq!(dates_in("Dnr 1.7.1-390/2018, SOU 2018:47, 31 februari 2018, 2018-13-01"), vec![]);
    }

    #[test]
    fn the_metadata_of_a_letterhead_is_found_with_its_lines() {
        let body = "Malmö stad\n\nDatum\n\n2018-09-26\n\nDiarienummer\n\nASN-2018-12455\n\nTill\n\nKommunstyrelsen\n\nArbetsmarknads- och socialnämnden beslutar att lämna följande yttrande:\n\nRemisstid den 31 oktober 2018\n\nOrdförande\n\nSedat Arif\n\nFörvaltningsdirektör\n\nBritt-Marie Pettersson\n";
        let metadata = find(body, &[]);
        let value = |found: &Option<Found<String>>| found.as_ref().map(|found| found.value.clone());
        assert_eq!(value(&metadata.organisation).as_deref(), Some("Malmö stad"));
        assert_eq!(value(&metadata.title).as_deref(), Some("Arbetsmarknads- och socialnämnden"));
        assert_eq!(value(&metadata.reference).as_deref(), Some("ASN-2018-12455"));
        assert_eq!(value(&metadata.answers_to).as_deref(), Some("Kommunstyrelsen"));
        assert_eq!(metadata.date.as_ref().map(|found| found.value), Some(day(2018, 9, 26)));
        assert_eq!(metadata.date.as_ref().map(|found| found.origin.clone()), Some(Origin::Body(4, "2018-09-26".into())));
        let signed: Vec<String> = metadata.signed_by.iter().map(|found| found.value.clone()).collect();
        assert_eq!(signed, ["Sedat Arif, ordförande", "Britt-Marie Pettersson, förvaltningsdirektör"]);
    }

    #[test]
    fn a_reference_in_a_running_header_and_a_name_in_capitals() {
        let body = "Socialförvaltningen tjänsteutlåtande 2018-09-04\n\nSocialnämnden godkänner förvaltningens tjänsteutlåtande.\n\nStockholm den 25 oktober 2018\n\nANNA KÖNIG JERLMYR\n\nLuleå kommuns remissvar. Vid protokollet: Anna Nilsson, sekreterare.\n";
        let metadata = find(body, &["Dnr 1.7.1-390/2018".to_owned()]);
        assert_eq!(metadata.reference.map(|found| (found.value, found.origin)), Some(("1.7.1-390/2018".into(), Origin::Furniture("Dnr 1.7.1-390/2018".into()))));
        assert_eq!(metadata.prepared.map(|found| found.value), Some(day(2018, 9, 4)));
        assert_eq!(metadata.date.map(|found| found.value), Some(day(2018, 10, 25)));
        assert_eq!(metadata.organisation.map(|found| found.value).as_deref(), Some("Luleå kommun"));
        let signed: Vec<String> = metadata.signed_by.iter().map(|found| found.value.clone()).collect();
        assert_eq!(signed, ["Anna Nilsson, sekreterare", "Anna König Jerlmyr"]);
    }
}
