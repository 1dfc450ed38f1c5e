//! Plain text and Markdown, and the line rules every format shares: joining a
//! hyphenated line break, telling a page number from text.

use super::{Block, Document, ImportError};

/// Appends a line of a paragraph to the text before it, joining a word broken by a
/// hyphen at the line end (`hand-` + `lingsutrymmet`) unless the hyphen belongs to the
/// word (`Hässelby-` + `Vällingby`, `Arbetsmarknads-` + `och`, `EU-` + `länder`).
pub fn append_line(paragraph: &mut String, line: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    let trimmed_len = paragraph.trim_end().len();
    paragraph.truncate(trimmed_len);
    if paragraph.is_empty() {
        paragraph.push_str(line);
        return;
    }
    // A soft hyphen is only ever a place where a word may be broken.
    if paragraph.ends_with('\u{ad}') {
        paragraph.pop();
        paragraph.push_str(line);
        return;
    }
    if let Some(before) = paragraph.strip_suffix(['-', '\u{2010}']) {
        let left = before.rsplit(|character: char| !character.is_alphanumeric() && character != '-').next().unwrap_or("");
        let right = line.split(|character: char| !character.is_alphanumeric()).next().unwrap_or("");
        if breaks_word(left, right) {
            paragraph.pop();
            // `\u{2010}` is three bytes: pop removes the whole character either way.
            paragraph.push_str(line);
        } else if CONJUNCTIONS.contains(&right) {
            paragraph.push(' ');
            paragraph.push_str(line);
        } else {
            paragraph.push_str(line);
        }
        return;
    }
    paragraph.push(' ');
    paragraph.push_str(line);
}

/// Words after which a hyphen ends the first half of a shared compound:
/// "Arbetsmarknads- och socialnämnden".
const CONJUNCTIONS: &[&str] = &["och", "eller", "samt", "respektive", "resp", "till", "som", "men"];

/// Whether `left-` at a line end and `right` on the next line are one word broken in two.
fn breaks_word(left: &str, right: &str) -> bool {
    let Some(first) = right.chars().next() else { return false };
    // A capital after the hyphen starts a name or a word of its own: Hässelby-Vällingby.
    if !first.is_lowercase() {
        return false;
    }
    if left.is_empty() || CONJUNCTIONS.contains(&right) {
        return false;
    }
    // An abbreviation or a name before the hyphen (EU-länder, FoU-trainee, Malmö-): the
    // hyphen is part of the compound.
    let capitals = left.chars().filter(|character| character.is_uppercase()).count();
    if capitals > 1 || left.chars().any(|character| character.is_ascii_digit()) {
        return false;
    }
    // A word that already holds a hyphen (`kommun-och-`) keeps its own hyphens.
    !left.contains('-')
}

/// Whether a line is only a page number: `Sida 4 (6)`, `Sida 4 av 6`, `4 (6)`, `- 4 -`,
/// `4/6`, `4`.
pub fn is_page_number(line: &str) -> bool {
    let line = line.trim();
    let rest = line
        .strip_prefix("Sida")
        .or_else(|| line.strip_prefix("sida"))
        .or_else(|| line.strip_prefix("Sid"))
        .or_else(|| line.strip_prefix("Page"))
        .map_or(line, str::trim_start);
    let rest = rest.trim_matches(|character: char| matches!(character, '-' | '–' | '—' | ' '));
    let mut numbers = rest.split(|character: char| !character.is_ascii_digit()).filter(|part| !part.is_empty());
    let Some(first) = numbers.next() else { return false };
    let others: Vec<&str> = numbers.collect();
    if first.len() > 3 || others.len() > 1 || others.iter().any(|number| number.len() > 3) {
        return false;
    }
    let words: String = rest.chars().filter(|character| !character.is_ascii_digit()).collect();
    matches!(words.replace(' ', "").as_str(), "" | "()" | "/" | "av" | "of")
}

/// Decodes UTF-8 text, without a byte-order mark, naming the first bad line.
fn decode(bytes: &[u8], path: &str) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.replace("\r\n", "\n")),
        Err(error) => {
            let line = bytes[..error.valid_up_to()].iter().filter(|byte| **byte == b'\n').count() + 1;
            Err(ImportError::NotUtf8 { path: path.to_owned(), line })
        }
    }
}

/// Plain text (the shape of a PDF copied out as text): paragraphs between blank lines,
/// lines within a paragraph joined, page numbers removed, a short line alone before a
/// long paragraph taken as a heading.
pub fn read_text(bytes: &[u8], path: &str) -> Result<Document, ImportError> {
    let text = decode(bytes, path)?;
    let mut document = Document::default();
    let mut chunks: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.split(['\n', '\u{c}']) {
        if is_page_number(line) {
            document.furniture.push(line.trim().to_owned());
            continue;
        }
        // A line of dots or underscores is where a signature goes, not text.
        if line.trim().len() >= 3 && line.trim().chars().all(|character| matches!(character, '.' | '_' | '…' | ' ')) {
            continue;
        }
        if line.trim().is_empty() {
            if !current.is_empty() {
                chunks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    let joined: Vec<Vec<&str>> = chunks;
    for (index, lines) in joined.iter().enumerate() {
        if lines.iter().all(|line| list_marker(line).is_some()) {
            for line in lines {
                let (number, rest) = list_marker(line).unwrap_or((None, line));
                document.blocks.push(Block::Item(number, rest.trim().to_owned()));
            }
            continue;
        }
        // Short lines that do not run on (a letterhead, a signature block, an address)
        // are kept apart: joined, "ANNA KÖNIG JERLMYR Bilagor" would be one line.
        let block_of_short_lines = lines.len() > 1 && lines.iter().all(|line| line.trim().chars().count() < 60 && !line.trim_end().ends_with('-'));
        if block_of_short_lines {
            for line in lines {
                document.blocks.push(match list_marker(line) {
                    Some((number, rest)) => Block::Item(number, rest.trim().to_owned()),
                    None => Block::Paragraph(line.trim().to_owned()),
                });
            }
            continue;
        }
        let next_is_long = joined.get(index + 1).is_some_and(|next| next.iter().map(|line| line.len()).sum::<usize>() > 80);
        // A heading written straight under the last line of a paragraph, with no blank
        // line between (a text copied out of a PDF often has them so): a short last
        // line after a finished sentence, before a long paragraph.
        let next_is_a_paragraph = joined.get(index + 1).is_some_and(|next| next.iter().map(|line| line.len()).sum::<usize>() > 40);
        let (lines, heading) = match lines.split_last() {
            Some((last, before))
                if !before.is_empty()
                    && next_is_a_paragraph
                    && looks_like_heading(last)
                    && before.last().is_some_and(|line| line.trim_end().ends_with('.')) =>
            {
                (before, Some(last.trim().to_owned()))
            }
            _ => (lines.as_slice(), None),
        };
        let mut paragraph = String::new();
        for line in lines {
            append_line(&mut paragraph, line);
        }
        if lines.len() == 1 && heading.is_none() && looks_like_heading(&paragraph) && next_is_long {
            document.blocks.push(Block::Heading(1, paragraph));
        } else {
            document.blocks.push(Block::Paragraph(paragraph));
        }
        document.blocks.extend(heading.map(|heading| Block::Heading(1, heading)));
    }
    Ok(document)
}

/// Markdown is kept as written; a front matter it may carry is left out (the draft
/// gets its own).
pub fn read_markdown(bytes: &[u8], path: &str) -> Result<Document, ImportError> {
    let text = decode(bytes, path)?;
    let body = match text.strip_prefix("+++\n").and_then(|rest| rest.find("\n+++").map(|end| &rest[end + 4..])) {
        Some(body) => body.trim_start_matches(|character| character != '\n').trim_start_matches('\n'),
        None => text.as_str(),
    };
    let blocks = body.split("\n\n").map(|chunk| chunk.trim_matches('\n')).filter(|chunk| !chunk.trim().is_empty()).map(|chunk| Block::Raw(chunk.to_owned())).collect();
    Ok(Document { blocks, ..Document::default() })
}

/// The list marker a line starts with, and the rest: `- `, `• `, `– `, `1. `, `1) `.
pub fn list_marker(line: &str) -> Option<(Option<u32>, &str)> {
    let line = line.trim_start();
    for bullet in ["- ", "• ", "– ", "* ", "\u{f0b7} ", "o "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some((None, rest));
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &line[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return line[..digits].parse().ok().map(|number| (Some(number), rest));
        }
    }
    None
}

/// A short line that ends without a full stop and starts with a capital or a number.
pub fn looks_like_heading(line: &str) -> bool {
    let line = line.trim();
    let first = line.chars().next();
    line.len() < 90
        && line.split_whitespace().count() <= 12
        && !line.ends_with(['.', ',', ':', ';', '-', ')'])
        && !line.ends_with(|character: char| character.is_ascii_digit())
        && first.is_some_and(|character| character.is_uppercase() || character.is_ascii_digit())
        && line.chars().any(char::is_alphabetic)
        && !line.chars().any(|character| character == '@')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(lines: &[&str]) -> String {
        let mut paragraph = String::new();
        for line in lines {
            append_line(&mut paragraph, line);
        }
        paragraph
    }

    #[test]
    fn a_heading_under_a_paragraph_without_a_blank_line_is_split_off() {
        let text = "Förvaltningen föreslår att nämnden överlämnar tjänsteutlåtandet\ntill kommunstyrelsen som svar på remissen.\n Äldrenämnden \n\n\
                    Äldrenämnden beslutade vid sitt sammanträde den 18 september 2018 att godkänna förvaltningens förslag till svar.\n";
        let document = read_text(text.as_bytes(), "x.txt").unwrap();
        assert!(matches!(&document.blocks[..], [Block::Paragraph(_), Block::Heading(1, heading), Block::Paragraph(_)] if heading == "Äldrenämnden"), "{:?}", document.blocks);
    }

    #[test]
    fn a_hyphenated_line_break_is_joined() {
        assert_eq!(joined(&["Med tillit växer hand-", "lingsutrymmet (SOU 2018:47)"]), "Med tillit växer handlingsutrymmet (SOU 2018:47)");
        assert_eq!(joined(&["styrningen av kommun-", "sektorn"]), "styrningen av kommunsektorn");
        assert_eq!(joined(&["en soft\u{ad}", "hyphen"]), "en softhyphen");
        assert_eq!(joined(&["två", "rader"]), "två rader");
    }

    #[test]
    fn a_hyphen_that_belongs_to_the_word_is_kept() {
        assert_eq!(joined(&["stadsdelsnämnderna i Hässelby-", "Vällingby och Farsta"]), "stadsdelsnämnderna i Hässelby-Vällingby och Farsta");
        assert_eq!(joined(&["Arbetsmarknads-", "och socialnämnden"]), "Arbetsmarknads- och socialnämnden");
        assert_eq!(joined(&["ett FoU-", "trainee program"]), "ett FoU-trainee program");
        assert_eq!(joined(&["åren 2018-", "2019"]), "åren 2018-2019");
        assert_eq!(joined(&["ett stycke som slutar med ett tankstreck -", "och går vidare"]), "ett stycke som slutar med ett tankstreck - och går vidare");
    }

    #[test]
    fn page_numbers_are_told_from_text() {
        for line in ["Sida 4 (6)", "4 (6)", "- 4 -", "4", "Sida 4 av 6", "4/6", " 12 "] {
            assert!(is_page_number(line), "{line}");
        }
        for line in ["2018", "4 kap.", "Dnr 1.7.1-390/2018", "Sidan visar", "SOU 2018:47", "1. En tillitsbaserad styrning"] {
            assert!(!is_page_number(line), "{line}");
        }
    }

    #[test]
    fn text_paragraphs_headings_and_lists() {
        let text = "Sammanfattning\n\nStockholm den 25 oktober 2018\n\nANNA KÖNIG JERLMYR\nBilagor\n\n..........\n\nYttrande\n\nNämnden välkomnar förslaget om generella statsbidrag, som bör öka tilliten mellan stat och kom-\nmun i hela landet.\n\nSida 2 (6)\n\n- Första punkten\n- Andra punkten\n";
        let document = read_text(text.as_bytes(), "x.txt").unwrap();
        assert_eq!(document.blocks, vec![
            Block::Paragraph("Sammanfattning".into()),
            Block::Paragraph("Stockholm den 25 oktober 2018".into()),
            Block::Paragraph("ANNA KÖNIG JERLMYR".into()),
            Block::Paragraph("Bilagor".into()),
            Block::Heading(1, "Yttrande".into()),
            Block::Paragraph("Nämnden välkomnar förslaget om generella statsbidrag, som bör öka tilliten mellan stat och kommun i hela landet.".into()),
            Block::Item(None, "Första punkten".into()),
            Block::Item(None, "Andra punkten".into()),
        ]);
        assert_eq!(document.furniture, vec!["Sida 2 (6)"]);
    }

    #[test]
    fn text_that_is_not_utf8_names_its_line() {
        let error = read_text(b"rad ett\nr\xe4d tv\xe5\n", "svar.txt").unwrap_err();
        assert_eq!(error.to_string(), "svar.txt:2: this file is not UTF-8 text; save it as UTF-8 (in an editor: \"Save as\", encoding UTF-8), then import it again");
    }
}
