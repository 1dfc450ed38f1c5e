//! Finding a position's quote among a statement's passages.

use std::ops::Range;

use crate::markdown::fold;

/// A quote of fewer words than this is published, with a warning: out of its sentence
/// it hardly says what the body said.
pub const SHORT_WORDS: usize = 3;

pub fn is_short(quote: &str) -> bool {
    (1..SHORT_WORDS).contains(&quote.split_whitespace().count())
}

/// A statement's passages, joined once so that all its quotes can be looked up.
pub struct Passages {
    joined: String,
    /// Where each passage with text starts in `joined`, and its index among all passages.
    starts: Vec<(usize, usize)>,
    /// `joined` with its typography plain (see [`plain`]): quotes are looked up here.
    plain: String,
    /// Where `plain` and `joined` stop running in step: (offset in `plain`, offset in
    /// `joined`) after each character whose plain form has another length.
    steps: Vec<(usize, usize)>,
}

/// A quote found in a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The passages it starts and ends in.
    pub passages: Range<usize>,
    /// Where it starts in its first passage's readable text, and ends in its last
    /// one's: byte offsets in the folded text ([`crate::markdown::passages`]), so that
    /// rendering marks the quoted words themselves without looking for them again.
    pub start: usize,
    pub end: usize,
    /// The statement's own words, as it writes them: a quote typed with other dashes,
    /// quotation marks or apostrophes is published in the statement's.
    pub text: String,
}

impl Passages {
    pub fn new(passages: Vec<String>) -> Passages {
        let mut joined = String::with_capacity(passages.iter().map(|passage| passage.len() + 1).sum());
        let mut starts = Vec::with_capacity(passages.len());
        // An empty passage (an empty list item or heading) adds no text: a quote runs
        // across it as a reader reads across it.
        for (index, passage) in passages.iter().enumerate().filter(|(_, passage)| !passage.is_empty()) {
            if !joined.is_empty() {
                joined.push(' ');
            }
            starts.push((joined.len(), index));
            joined.push_str(passage);
        }
        let mut plain_text = String::with_capacity(joined.len());
        let mut steps = Vec::new();
        for (offset, character) in joined.char_indices() {
            let before = plain_text.len();
            plain(character, &mut plain_text);
            if plain_text.len() - before != character.len_utf8() {
                steps.push((plain_text.len(), offset + character.len_utf8()));
            }
        }
        Passages { joined, starts, plain: plain_text, steps }
    }

    /// The offset in `joined` of an offset in `plain` (at a character's start).
    fn in_joined(&self, offset: usize) -> usize {
        match self.steps.partition_point(|&(plain, _)| plain <= offset) {
            0 => offset,
            after => {
                let (plain, joined) = self.steps[after - 1];
                joined + (offset - plain)
            }
        }
    }

    /// Where a quote lies: the passages it starts and ends in, and the statement's words.
    /// A quote is whole words: it never starts or ends inside a word of the text.
    pub fn locate(&self, quote: &str) -> Result<Found, String> {
        let (start, end) = self.find(quote)?;
        Ok(self.found(start, end))
    }

    /// The quote widened to the whole sentences it touches (within the passages it lies
    /// in): a selection made with a mouse often starts or ends inside a sentence.
    pub fn widen_to_sentences(&self, quote: &str) -> Result<Found, String> {
        let (start, end) = self.find(quote)?;
        let passage = self.starts.partition_point(|&(passage_start, _)| passage_start <= start) - 1;
        let passage_start = self.starts[passage].0;
        let last = self.starts.partition_point(|&(passage_start, _)| passage_start < end) - 1;
        let passage_end = self.starts.get(last + 1).map_or(self.joined.len(), |&(next, _)| next - 1);
        let before = &self.joined[passage_start..start];
        let start = sentence_ends(before).last().map_or(passage_start, |after| passage_start + after);
        let after = &self.joined[end..passage_end];
        let end = match after.trim_end().is_empty() {
            true => passage_end,
            false => sentence_ends(after).next().map_or(passage_end, |at| end + at).max(end),
        };
        let text = self.joined[start..end].trim();
        let start = start + (self.joined[start..end].len() - self.joined[start..end].trim_start().len());
        Ok(self.found(start, start + text.len()))
    }

    /// The quote's start and end in `joined`.
    fn find(&self, quote: &str) -> Result<(usize, usize), String> {
        let mut folded = String::with_capacity(quote.len());
        fold(quote).chars().for_each(|character| plain(character, &mut folded));
        if folded.is_empty() {
            return Err("the quote is empty".to_owned());
        }
        let whole_words = |start: usize, end: usize| {
            let word = |character: Option<char>| character.is_some_and(char::is_alphanumeric);
            let (first, last) = (folded.chars().next(), folded.chars().next_back());
            let starts_inside_a_word = word(self.plain[..start].chars().next_back()) && word(first);
            let ends_inside_a_word = word(self.plain[end..].chars().next()) && word(last);
            !starts_inside_a_word && !ends_inside_a_word
        };
        let Some(start) = self.plain.match_indices(&folded).map(|(start, _)| start).find(|&start| whole_words(start, start + folded.len()))
        else {
            return Err(match self.plain.find(&folded) {
                Some(_) => "the quote is found only inside longer words of the text; a quote is whole words".to_owned(),
                None => explain_miss(&self.plain, &folded),
            });
        };
        Ok((self.in_joined(start), self.in_joined(start + folded.len())))
    }

    fn found(&self, start: usize, end: usize) -> Found {
        // The passage an offset lies in: where it starts in `joined`, and its index.
        let passage_of = |offset: usize| self.starts[self.starts.partition_point(|&(start, _)| start <= offset) - 1];
        let ((first_start, first), (last_start, last)) = (passage_of(start), passage_of(end.max(start + 1) - 1));
        Found {
            passages: first..last + 1,
            start: start - first_start,
            end: end - last_start,
            text: self.joined[start..end].to_owned(),
        }
    }
}

/// The offsets just after each sentence's end in `text`: a `.`, `!` or `?` (with any
/// closing quotation marks or brackets) followed by a space and a capital letter or a
/// digit, or by the end. Abbreviations such as "bl.a. att" are followed by a small
/// letter, so they do not end a sentence.
fn sentence_ends(text: &str) -> impl DoubleEndedIterator<Item = usize> + '_ {
    let characters: Vec<(usize, char)> = text.char_indices().collect();
    let mut ends = Vec::new();
    for (index, &(_, character)) in characters.iter().enumerate() {
        if !matches!(character, '.' | '!' | '?') {
            continue;
        }
        let mut next = index + 1;
        while characters.get(next).is_some_and(|&(_, c)| matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']')) {
            next += 1;
        }
        let after = characters.get(next).map_or(text.len(), |&(at, _)| at);
        match (characters.get(next), characters.get(next + 1)) {
            (None, _) => ends.push(after),
            (Some(&(_, space)), Some(&(_, first))) if space.is_whitespace() && (first.is_uppercase() || first.is_ascii_digit() || "\"”»–-".contains(first)) => {
                ends.push(after);
            }
            _ => {}
        }
    }
    ends.into_iter()
}

/// A character as quotes are compared: typography that a quote typed on a keyboard
/// writes otherwise is made plain (dashes to `-`, curly and angle quotation marks to
/// `"`, apostrophes to `'`, ligatures to their letters), and invisible characters such
/// as soft hyphens are dropped.
fn plain(character: char, into: &mut String) {
    // Most characters are printable ASCII, which none of the rules below changes.
    if character.is_ascii_graphic() || character == ' ' {
        into.push(character);
        return;
    }
    match character {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => into.push('-'),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' | '\u{2033}' | '\u{FF02}' => into.push('"'),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2039}' | '\u{203A}' | '\u{FF07}' | '\u{02BC}' => into.push('\''),
        '\u{FB00}' => into.push_str("ff"),
        '\u{FB01}' => into.push_str("fi"),
        '\u{FB02}' => into.push_str("fl"),
        '\u{FB03}' => into.push_str("ffi"),
        '\u{FB04}' => into.push_str("ffl"),
        '\u{FB05}' | '\u{FB06}' => into.push_str("st"),
        character if crate::markdown::invisible_name(character).is_some() => {}
        character => into.push(character),
    }
}

/// Says how far the quote matches the text, so the editor can see the difference.
fn explain_miss(text: &str, quote: &str) -> String {
    let boundaries: Vec<usize> = quote.char_indices().map(|(i, _)| i).chain([quote.len()]).collect();
    // The longest prefix of the quote found in the text; a prefix of a found prefix is
    // found too, so a binary search over the prefix lengths finds it.
    let matched = boundaries.partition_point(|&end| text.contains(&quote[..end])) - 1;
    let matched_len = boundaries[matched];
    if matched < 12 {
        return "no passage of the statement begins like this quote".to_owned();
    }
    let prefix = &quote[..matched_len];
    let at = text.find(prefix).unwrap_or(0) + matched_len;
    format!(
        "the quote follows the statement up to «…{}», then the statement reads «{}» where the quote has «{}»",
        tail(prefix, 30),
        head(&text[at..], 30),
        head(&quote[matched_len..], 30),
    )
}

/// The invisible characters of a quote, by name and position, for a quote that is not
/// found: the text compared drops them, but the editor should know they are there.
pub fn invisible_characters(quote: &str) -> Option<String> {
    let named: Vec<String> = quote
        .chars()
        .enumerate()
        .filter_map(|(position, character)| {
            let name = crate::markdown::invisible_name(character)?;
            Some(format!("a {name} (U+{:04X}) at character {}", character as u32, position + 1))
        })
        .collect();
    (!named.is_empty()).then(|| format!("the quote holds invisible characters: {}", named.join(", ")))
}

fn head(text: &str, chars: usize) -> &str {
    text.char_indices().nth(chars).map_or(text, |(i, _)| &text[..i])
}

fn tail(text: &str, chars: usize) -> &str {
    let count = text.chars().count();
    text.char_indices().nth(count.saturating_sub(chars)).map_or(text, |(i, _)| &text[i..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passages() -> Passages {
        Passages::new(
            ["Ärendet", "Nämnden ställer sig positiv till förslaget.", "Men den är tveksam till tidplanen."]
                .map(String::from)
                .to_vec(),
        )
    }

    #[test]
    fn finds_quote_within_one_passage() {
        assert_eq!(passages().locate("ställer sig\n  positiv").map(|found| found.passages), Ok(1..2));
    }

    #[test]
    fn tells_where_the_quote_lies_in_its_first_and_last_passage() {
        let found = passages().locate("positiv till förslaget. Men den").unwrap();
        assert_eq!((found.passages, found.start, found.end), (1..3, "Nämnden ställer sig ".len(), "Men den".len()));
        let found = passages().locate("tidplanen").unwrap();
        assert_eq!((found.start, found.end), ("Men den är tveksam till ".len(), "Men den är tveksam till tidplanen".len()));
    }

    #[test]
    fn finds_quote_across_passages() {
        assert_eq!(passages().locate("till förslaget. Men den är").map(|found| found.passages), Ok(1..3));
    }

    #[test]
    fn a_quote_runs_across_an_empty_passage() {
        // Found by fuzzing: an empty list item between two sentences left a double space.
        let passages = Passages::new(["Ett.", "", "Två."].map(String::from).to_vec());
        assert_eq!(passages.locate("Ett. Två.").map(|found| found.passages), Ok(0..3));
    }

    #[test]
    fn a_quote_is_whole_words() {
        // Issue 11 §4: a one-letter quote matched inside a word.
        assert_eq!(passages().locate("a").unwrap_err(), "the quote is found only inside longer words of the text; a quote is whole words");
        assert_eq!(passages().locate("ositiv till").unwrap_err(), "the quote is found only inside longer words of the text; a quote is whole words");
        assert_eq!(passages().locate("positiv").map(|found| found.text), Ok("positiv".to_owned()));
    }

    #[test]
    fn typography_differs_and_the_statements_own_characters_are_kept() {
        // Issue 12 §4: a quote with `-` where the text has `–` was not found.
        let text = "Nämnden – som ”tillstyrker” – vill ha ﬂexibla regler, enligt SKR’s för\u{ad}slag.";
        let passages = Passages::new(vec![text.to_owned()]);
        let found = passages.locate("Nämnden - som \"tillstyrker\" - vill ha flexibla regler, enligt SKR's förslag.").unwrap();
        assert_eq!(found.text, text);
        assert_eq!(passages.locate("som «tillstyrker» — vill").unwrap().text, "som ”tillstyrker” – vill");
    }

    #[test]
    fn invisible_characters_are_named_with_their_position() {
        assert_eq!(
            invisible_characters("för\u{ad}slag\u{200b}"),
            Some("the quote holds invisible characters: a soft hyphen (U+00AD) at character 4, a zero-width space (U+200B) at character 9".to_owned())
        );
        assert_eq!(invisible_characters("förslag"), None);
    }

    #[test]
    fn explains_where_a_quote_differs() {
        let error = passages().locate("Nämnden ställer sig negativ till förslaget.").unwrap_err();
        assert_eq!(
            error,
            "the quote follows the statement up to «…Nämnden ställer sig », then the statement reads «positiv till förslaget. Men de» where the quote has «negativ till förslaget.»"
        );
        assert_eq!(
            passages().locate("Helt annan text").unwrap_err(),
            "no passage of the statement begins like this quote"
        );
    }

    #[test]
    fn a_selection_widens_to_the_sentences_it_touches() {
        let passages = Passages::new(vec![
            "Nämnden tillstyrker förslaget. Det bör bl.a. gälla skolan. Kostnaderna är oklara!".to_owned(),
            "Ett annat stycke.".to_owned(),
        ]);
        let widened = passages.widen_to_sentences("bör bl.a. gälla").expect("found");
        assert_eq!(widened.text, "Det bör bl.a. gälla skolan.");
        let widened = passages.widen_to_sentences("förslaget. Det bör").expect("found");
        assert_eq!(widened.text, "Nämnden tillstyrker förslaget. Det bör bl.a. gälla skolan.");
        let widened = passages.widen_to_sentences("oklara").expect("found");
        assert_eq!(widened.text, "Kostnaderna är oklara!");
        assert_eq!(widened.passages, 0..1);
        assert!(passages.widen_to_sentences("finns inte här alls").is_err());
    }
}
