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
        Passages { joined, starts }
    }

    /// Where a quote lies: the passages it starts and ends in.
    pub fn locate(&self, quote: &str) -> Result<Range<usize>, String> {
        let quote = fold(quote);
        if quote.is_empty() {
            return Err("the quote is empty".to_owned());
        }
        let Some(offset) = self.joined.find(&quote) else {
            return Err(explain_miss(&self.joined, &quote));
        };
        let block_of = |offset: usize| self.starts[self.starts.partition_point(|&(start, _)| start <= offset) - 1].1;
        Ok(block_of(offset)..block_of(offset + quote.len() - 1) + 1)
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
        assert_eq!(passages().locate("ställer sig\n  positiv"), Ok(1..2));
    }

    #[test]
    fn finds_quote_across_passages() {
        assert_eq!(passages().locate("till förslaget. Men den är"), Ok(1..3));
    }

    #[test]
    fn a_quote_runs_across_an_empty_passage() {
        // Found by fuzzing: an empty list item between two sentences left a double space.
        let passages = Passages::new(["Ett.", "", "Två."].map(String::from).to_vec());
        assert_eq!(passages.locate("Ett. Två."), Ok(0..3));
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
}
