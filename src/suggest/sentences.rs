//! A statement's text as a reader meets it: blocks under their headings, and the
//! sentences of each block.
//!
//! 1. Walk the Markdown's events into blocks (paragraphs, list items, table cells) and
//!    headings, with the text a reader sees: the text quotes are compared with.
//! 2. Take a short paragraph of one line with no closing punctuation as a heading too:
//!    text converted from PDF or Word often loses its heading styles, and bodies answer
//!    chapter by chapter under headings that name the chapter.
//! 3. Split each block into sentences, keeping abbreviations (`bl.a.`, `t.ex.`, `dnr.`)
//!    and numbers (`1.`, `4.3`) inside their sentence.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A block of text a reader sees, with the headings it stands under.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The headings above the block, outermost first.
    pub headings: Vec<String>,
    pub text: String,
}

/// The headings a plain-text line could be at most: longer lines are sentences.
const HEADING_WORDS: usize = 12;

/// The blocks of a Markdown text, in reading order. Headings are not blocks: a body's
/// position is in its sentences, and a heading gives them their context.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut blocks = Vec::new();
    // (level, text) of the headings in force.
    let mut headings: Vec<(u8, String)> = Vec::new();
    let mut current = String::new();
    let mut heading_level: Option<u8> = None;
    // Set inside a paragraph whose source has a line break: such a paragraph is never a heading.
    let mut broken = false;
    // The items of the list being read, with whether each is one line: a list of one
    // short item is a numbered heading (`1. En lärande tillsyn`), not a list.
    let mut list_depth = 0usize;
    let mut items: Vec<(String, bool)> = Vec::new();
    let path = |headings: &[(u8, String)]| headings.iter().map(|(_, text)| text.clone()).collect::<Vec<_>>();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut current, &path(&headings), &mut blocks);
                heading_level = Some(level as u8);
            }
            Event::End(TagEnd::Heading(_)) => {
                let level = heading_level.take().unwrap_or(6);
                headings.retain(|(above, _)| *above < level);
                let text = std::mem::take(&mut current).trim().to_owned();
                if !text.is_empty() {
                    headings.push((level, text));
                }
            }
            Event::Start(Tag::Paragraph) => broken = false,
            Event::End(TagEnd::Paragraph) if list_depth > 0 => {}
            Event::End(TagEnd::Paragraph) => {
                let text = current.trim();
                if heading_level.is_none() && !broken && looks_like_heading(text) {
                    // Below every Markdown heading: a plain line names a part of the chapter.
                    let level = 7;
                    headings.retain(|(above, _)| *above < level);
                    headings.push((level, text.to_owned()));
                    current.clear();
                } else {
                    flush(&mut current, &path(&headings), &mut blocks);
                }
            }
            Event::Start(Tag::List(_)) => {
                flush(&mut current, &path(&headings), &mut blocks);
                list_depth += 1;
                broken = false;
            }
            Event::End(TagEnd::Item) if list_depth == 1 => {
                items.push((current.trim().to_owned(), !broken));
                current.clear();
                broken = false;
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                if list_depth == 0 {
                    match items.as_slice() {
                        [(text, true)] if looks_like_heading(text) => {
                            let level = 7;
                            headings.retain(|(above, _)| *above < level);
                            headings.push((level, text.clone()));
                        }
                        _ => {
                            for (text, _) in std::mem::take(&mut items) {
                                current = text;
                                flush(&mut current, &path(&headings), &mut blocks);
                            }
                        }
                    }
                    items.clear();
                }
            }
            Event::Start(Tag::Item) | Event::End(TagEnd::Item) | Event::End(TagEnd::TableCell) | Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut current, &path(&headings), &mut blocks)
            }
            Event::Text(text) | Event::Code(text) => current.push_str(&text),
            Event::SoftBreak | Event::HardBreak => {
                broken = true;
                current.push(' ');
            }
            _ => {}
        }
    }
    flush(&mut current, &path(&headings), &mut blocks);
    blocks
}

fn flush(current: &mut String, headings: &[String], blocks: &mut Vec<Block>) {
    let text = current.trim();
    if !text.is_empty() {
        blocks.push(Block { headings: headings.to_vec(), text: text.to_owned() });
    }
    current.clear();
}

/// A one-line paragraph of a few words that does not end as a sentence does, and starts
/// as a heading does (a capital or a section number).
fn looks_like_heading(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let starts = text.chars().next().is_some_and(|first| first.is_uppercase() || first.is_ascii_digit());
    // `En lärande tillsyn (SOU 2018:48)` is a heading; `(Se ovan.)` is not.
    let ends_as_sentence = text.trim_end_matches(')').ends_with(['.', ':', ';', ',', '!', '?']) && !text.ends_with("..");
    let holds_sentences = text.contains(". ") || text.contains("? ") || text.contains("! ");
    (1..=HEADING_WORDS).contains(&words) && starts && !ends_as_sentence && !holds_sentences
}

/// Abbreviations a sentence never ends with: the word before their point is followed
/// by more of the same sentence. Lower case, without their final point.
const ABBREVIATIONS: &[&str] = &[
    "bl.a", "t.ex", "s.k", "d.v.s", "dvs", "p.g.a", "pga", "fr.o.m", "t.o.m", "m.fl", "bl", "t", "s", "resp", "jfr", "dnr",
    "nr", "ca", "kap", "prop", "sid", "st", "enl", "kl", "tel", "f.d", "fd", "o", "ang", "avd", "bet", "dir", "fig",
    "tab", "uppl", "ff", "mom", "p", "pkt", "jmf", "t.ex.", "el", "inkl", "exkl", "ex", "e.d", "d.ä", "s.a.s", "u.p.a",
];

/// Abbreviations that end a sentence when a capital follows (`… och skola m.m. Nämnden …`).
const FINAL_ABBREVIATIONS: &[&str] = &["m.m", "osv", "o.s.v", "etc", "mm"];

/// The sentences of a block, as byte ranges without surrounding whitespace.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let characters: Vec<(usize, char)> = text.char_indices().collect();
    for (position, &(offset, character)) in characters.iter().enumerate() {
        if !matches!(character, '.' | '!' | '?') {
            continue;
        }
        // Closing quotation marks and brackets belong to the sentence they close.
        let mut end_index = position + 1;
        while let Some(&(_, next)) = characters.get(end_index) {
            if matches!(next, '"' | '”' | '’' | '»' | ')' | ']' | '\'') {
                end_index += 1;
            } else {
                break;
            }
        }
        let end = characters.get(end_index).map_or(text.len(), |&(at, _)| at);
        let Some(&(_, after)) = characters.get(end_index) else { continue };
        if !after.is_whitespace() {
            continue;
        }
        let next = characters[end_index..].iter().map(|&(_, next)| next).find(|next| !next.is_whitespace());
        let Some(next) = next else { continue };
        let opens = next.is_uppercase() || next.is_ascii_digit() || matches!(next, '"' | '”' | '“' | '»' | '«' | '–' | '—' | '-' | '(' | '*' | '•');
        if !opens || (character == '.' && !ends_sentence(&text[start..offset], next)) {
            continue;
        }
        push_trimmed(text, start..end, &mut sentences);
        start = end;
    }
    push_trimmed(text, start..text.len(), &mut sentences);
    sentences
}

/// Whether a point after `before` (the sentence so far) ends the sentence, when `next`
/// is the first character after it.
fn ends_sentence(before: &str, next: char) -> bool {
    // After the last space or bracket (a no-break space is two bytes long).
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, character)| character.is_whitespace() || *character == '(')
        .map_or(0, |(at, character)| at + character.len_utf8());
    let word = &before[word_start..];
    let lower = word.to_lowercase();
    if lower.is_empty() {
        return true;
    }
    if FINAL_ABBREVIATIONS.contains(&lower.as_str()) {
        return !next.is_ascii_digit();
    }
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return false;
    }
    // An initial (`A. Svensson`) or a list number opening the sentence (`1. Remissen …`).
    let single_capital = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    let list_number = word_start == before.trim_start().len().abs_diff(before.len()) && word.len() <= 3 && word.chars().all(|character| character.is_ascii_digit());
    !(single_capital || list_number)
}

fn push_trimmed(text: &str, range: Range<usize>, sentences: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let leading = slice.len() - slice.trim_start().len();
    let trailing = slice.len() - slice.trim_end().len();
    if leading + trailing < slice.len() {
        sentences.push(range.start + leading..range.end - trailing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|range| &text[range]).collect()
    }

    #[test]
    fn abbreviations_and_numbers_stay_inside_their_sentence() {
        assert_eq!(
            split("Nämnden har bl.a. tagit del av s.k. tillitsbaserad styrning, t.ex. i skolan. Dnr. 1.7.1-390/2018 gäller. Se kap. 4 i SOU 2018:47. Förvaltningen tillstyrker."),
            [
                "Nämnden har bl.a. tagit del av s.k. tillitsbaserad styrning, t.ex. i skolan.",
                "Dnr. 1.7.1-390/2018 gäller.",
                "Se kap. 4 i SOU 2018:47.",
                "Förvaltningen tillstyrker.",
            ]
        );
        assert_eq!(split("1. Remissen besvaras. 2. Paragrafen justeras."), ["1. Remissen besvaras.", "2. Paragrafen justeras."]);
        assert_eq!(split("Vård, skola m.m. Nämnden är positiv!  Varför? (Se ovan.) Slut"), ["Vård, skola m.m.", "Nämnden är positiv!", "Varför?", "(Se ovan.)", "Slut"]);
        assert_eq!(split("Enligt A. Svensson är det bra. Det ”är klart.” Sedan"), ["Enligt A. Svensson är det bra.", "Det ”är klart.”", "Sedan"]);
        assert_eq!(split(""), Vec::<&str>::new());
        assert_eq!(split("Det är klart.\u{a0}Nämnden\u{a0}t.ex. tillstyrker. Å."), ["Det är klart.", "Nämnden\u{a0}t.ex. tillstyrker.", "Å."]);
        assert_eq!(split(" . "), ["."]);
    }

    #[test]
    fn blocks_know_their_headings() {
        let numbered = blocks("1. En lärande tillsyn\n\nNämnden är positiv.\n\n1. ett\n2. två\n");
        assert_eq!(numbered[0], Block { headings: vec!["En lärande tillsyn".to_owned()], text: "Nämnden är positiv.".to_owned() });
        assert_eq!(numbered.len(), 3);
        let blocks = blocks("# Yttrande\n\n## 1 Styrning\n\nNämnden tillstyrker.\nMer text.\n\nEn lärande tillsyn\n\nFörvaltningen är positiv.\n\n- punkt ett\n- punkt två\n\n## 2 Tillsyn\n\nSlut.");
        let seen: Vec<(Vec<&str>, &str)> = blocks.iter().map(|block| (block.headings.iter().map(String::as_str).collect(), block.text.as_str())).collect();
        assert_eq!(
            seen,
            [
                (vec!["Yttrande", "1 Styrning"], "Nämnden tillstyrker. Mer text."),
                (vec!["Yttrande", "1 Styrning", "En lärande tillsyn"], "Förvaltningen är positiv."),
                (vec!["Yttrande", "1 Styrning", "En lärande tillsyn"], "punkt ett"),
                (vec!["Yttrande", "1 Styrning", "En lärande tillsyn"], "punkt två"),
                (vec!["Yttrande", "2 Tillsyn"], "Slut."),
            ]
        );
    }
}
