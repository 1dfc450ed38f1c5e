//! Words as Pagefind 1.6 indexes them (its `fossick/splitting.rs`), so that the
//! browser's half of Pagefind, which splits and stems a query the same way, finds them:
//!
//! 1. a word is a run of text between whitespace; it is indexed lower-cased, with only
//!    its letters and digits;
//! 2. diacritics are folded (`förslag` → `forslag`), and the word is also kept as written
//!    (a *variant*), so that a query typed with å, ä and ö ranks its own spelling first;
//! 3. the folded word is stemmed (Swedish, Snowball, through `pagefind_stem`);
//! 4. a word with punctuation inside or capitals after its first letter
//!    (`SOU 2018:47`, `e-tjänst`) is also indexed by its parts, at a share of its weight.
//!
//! Pagefind's rules for Chinese, Japanese and Thai (segmenting, bigrams) and for emoji
//! are left out: remiss's sites are Swedish or English.

use std::collections::HashSet;

use convert_case::{Case, Casing};
use pagefind_stem::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// One form under which a word is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexable {
    /// Folded and stemmed: the key in the index.
    pub stem: String,
    /// The word as written (lower-cased), when folding changed it.
    pub original: Option<String>,
    /// A part of a compound word (it counts for less).
    pub part: bool,
}

/// The stemmer of a language Pagefind ships a stemming search for, as Pagefind picks it.
pub fn stemmer(language: &str) -> Option<Stemmer> {
    match language.split('-').next().unwrap_or_default() {
        "sv" => Some(Stemmer::create(Algorithm::Swedish)),
        "en" => Some(Stemmer::create(Algorithm::English)),
        _ => None,
    }
}

/// The forms under which `raw` (a whitespace-free run of text) is indexed; none for
/// punctuation alone. See also [`dotted_tails`].
pub fn indexable(raw: &str, stemmer: Option<&Stemmer>) -> Vec<Indexable> {
    let mut forms = Vec::new();
    let normalized = normalize(raw);
    if !normalized.is_empty() {
        forms.push(stem(&normalized, stemmer, false));
    }
    let possibly_compound =
        raw.chars().any(|c| !c.is_alphanumeric()) || raw.chars().skip(1).any(char::is_uppercase);
    if !possibly_compound {
        return forms;
    }
    let parts = raw
        .replace(|c: char| c.is_ascii_punctuation(), " ")
        .to_case(Case::Lower)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !normalized.is_empty() && (parts.contains(char::is_whitespace) || !normalized.starts_with(&parts)) {
        for part in parts.split_whitespace().filter(|part| part.len() > 1) {
            let folded = fold_diacritics(part);
            let base = folded.as_deref().unwrap_or(part);
            let stemmed = stemmer.map_or_else(|| base.to_owned(), |stemmer| stemmer.stem(base).into_owned());
            forms.push(Indexable { stem: stemmed, original: folded.map(|_| part.to_owned()), part: true });
        }
    }
    forms
}

/// More forms for running text (Pagefind does not add them to titles): a word with dots
/// is also found by what follows a dot (`sysconfig.is_python_build` by `is_python_build`).
pub fn dotted_tails(raw: &str, stemmer: Option<&Stemmer>, existing: &[Indexable]) -> Vec<Indexable> {
    const MAX_TAIL_CHARS: usize = 64;
    let mut tails = Vec::new();
    if !raw.contains('.') {
        return tails;
    }
    let mut seen: HashSet<String> = existing.iter().map(|form| form.stem.clone()).collect();
    for (at, _) in raw.match_indices('.') {
        let rest = &raw[at + 1..];
        let tail = match rest.char_indices().nth(MAX_TAIL_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        let compound = tail.chars().any(|c| !c.is_alphanumeric()) || tail.chars().skip(1).any(char::is_uppercase);
        if !compound {
            continue;
        }
        let normalized = normalize(tail);
        if normalized.chars().count() < 2 {
            continue;
        }
        let form = stem(&normalized, stemmer, true);
        if seen.insert(form.stem.clone()) {
            tails.push(form);
        }
    }
    tails
}

fn normalize(raw: &str) -> String {
    let mut normalized = String::with_capacity(raw.len());
    for c in raw.chars().filter(|c| c.is_alphanumeric()) {
        normalized.extend(c.to_lowercase());
    }
    normalized
}

fn stem(normalized: &str, stemmer: Option<&Stemmer>, part: bool) -> Indexable {
    let folded = fold_diacritics(normalized);
    let base = folded.as_deref().unwrap_or(normalized);
    let stem = stemmer.map_or_else(|| base.to_owned(), |stemmer| stemmer.stem(base).into_owned());
    Indexable { stem, original: folded.map(|_| normalized.to_owned()), part }
}

/// `för` → `for`: what Pagefind's search does to a query as well. `None` when nothing
/// changes.
fn fold_diacritics(word: &str) -> Option<String> {
    use unicode_normalization::char::{decompose_canonical, is_combining_mark};
    let decomposes = |c: char| {
        let mut differs = false;
        decompose_canonical(c, |part| differs |= part != c);
        differs
    };
    if word.is_ascii() || !word.chars().any(|c| is_combining_mark(c) || decomposes(c)) {
        return None;
    }
    // Kana sound marks distinguish words: kept, and composed again, as Pagefind does.
    let kept = |c: &char| !is_combining_mark(*c) || matches!(*c, '\u{3099}' | '\u{309A}');
    let stripped: String = word.nfd().filter(kept).collect();
    let folded = if stripped.chars().any(|c| matches!(c, '\u{3099}' | '\u{309A}')) { stripped.nfc().collect() } else { stripped };
    (folded != word).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(raw: &str) -> Vec<(String, Option<String>, bool)> {
        let stemmer = stemmer("sv");
        indexable(raw, stemmer.as_ref()).into_iter().map(|form| (form.stem, form.original, form.part)).collect()
    }

    #[test]
    fn swedish_words_are_folded_then_stemmed() {
        assert_eq!(stems("Statsbidragen"), vec![("statsbidrag".to_owned(), None, false)]);
        assert_eq!(stems("äldreförvaltningen,"), vec![("aldreforvaltning".to_owned(), Some("äldreförvaltningen".to_owned()), false)]);
    }

    #[test]
    fn compound_words_are_also_indexed_by_their_parts() {
        assert_eq!(
            stems("2018:47"),
            vec![("201847".to_owned(), None, false), ("2018".to_owned(), None, true), ("47".to_owned(), None, true)]
        );
        assert_eq!(stems("–"), vec![]);
    }
}
