//! Which proposal (or area) a passage speaks of, by the words it shares with it.
//!
//! Each proposal is a vector of Swedish word stems from its title (counted double: the
//! title is how bodies name a proposal), its text and its addressees, each stem weighed
//! by how rare it is among the proposals (tf-idf): *statsbidrag* tells one proposal from
//! the others, *tillit* does not. A passage is compared by the cosine of its stems with
//! each proposal's, counting only stems the consultation uses, so that a long sentence
//! is not penalised for its other words. Swedish writes compounds as one word
//! (*tillsynsmyndighet*), so a stem that begins or ends another counts half.

use std::collections::HashMap;

use pagefind_stem::{Algorithm, Stemmer};

use super::stance::words;

/// Words that say nothing about which proposal a passage is on: Swedish function words,
/// and the words every remissvar uses of any proposal (*förslaget*, *delegationen*,
/// *nämnden*, the stance verbs). Lower case, matched whole.
const STOP_WORDS: &[&str] = &[
    "och", "att", "det", "som", "en", "ett", "i", "på", "är", "av", "för", "med", "till", "den", "de", "om", "inte", "har",
    "kan", "ska", "bör", "så", "men", "eller", "vara", "var", "vi", "man", "sig", "sin", "sitt", "sina", "denna", "detta",
    "dessa", "där", "då", "när", "även", "också", "samt", "mer", "mest", "mycket", "alla", "allt", "andra", "annat", "från",
    "under", "över", "vid", "efter", "genom", "mot", "utan", "inom", "mellan", "hur", "vad", "vilka", "vilken", "vilket",
    "blir", "bli", "har", "hade", "skulle", "kommer", "finns", "fanns", "få", "får", "göra", "görs", "gör", "ta", "tar",
    "dock", "därför", "redan", "bland", "annat", "exempel", "ex", "bl", "t", "s", "k", "a", "dvs", "ej", "icke", "något",
    "några", "någon", "ingen", "inga", "inget", "väl", "viss", "vissa", "sådan", "sådana", "egen", "egna", "eget",
    "förslag", "förslaget", "förslagen", "föreslår", "föreslagna", "föreslås", "rekommendation", "rekommendationen",
    "rekommendationer", "rekommendationerna", "rekommenderar", "delegationen", "delegationens", "utredningen",
    "utredningens", "betänkandet", "betänkandets", "nämnden", "nämndens", "förvaltningen", "förvaltningens", "kontoret",
    "kontorets", "styrelsen", "kommunstyrelsen", "tillstyrker", "avstyrker", "stödjer", "stöder", "stödja", "välkomnar",
    "positiv", "positivt", "positiva", "instämmer", "delar", "anser", "menar", "bedömer", "ser", "tveksam", "tveksamma",
    "ifrågasätter", "invändningar", "huvudsak", "delvis", "viktigt", "viktig", "bra", "ställer", "bakom", "också",
    // Who answers, not what about: `Kommunen tillstyrker …`.
    "kommunen", "kommunens", "regionen", "regionens", "staden", "stadens", "myndigheten", "myndighetens", "landstinget",
];

/// Stems (and their weight) of a text.
pub type Terms = HashMap<String, f32>;

/// A proposal's or an area's stems, weighed, with the vector's length.
#[derive(Debug)]
pub struct Document {
    terms: Terms,
    norm: f32,
    /// The title's stems, weighed by rarity: a passage that names a proposal uses them.
    title: Terms,
}

pub struct Index {
    stemmer: Stemmer,
    idf: HashMap<String, f32>,
    pub proposals: Vec<Document>,
    pub areas: Vec<Document>,
}

impl Index {
    /// `proposals` and `areas` are (title, rest of the text) pairs.
    pub fn new(proposals: &[(String, String)], areas: &[(String, String)]) -> Index {
        let stemmer = Stemmer::create(Algorithm::Swedish);
        let title_stems = |title: &str| -> Vec<String> { stems(&stemmer, title) };
        let raw = |title: &str, text: &str| -> Terms {
            let mut terms = Terms::new();
            for stem in stems(&stemmer, text) {
                terms.entry(stem).or_insert(1.0);
            }
            for stem in stems(&stemmer, title) {
                terms.insert(stem, 2.0);
            }
            terms
        };
        let raw_proposals: Vec<Terms> = proposals.iter().map(|(title, text)| raw(title, text)).collect();
        let raw_areas: Vec<Terms> = areas.iter().map(|(title, text)| raw(title, text)).collect();
        let count = raw_proposals.len().max(1) as f32;
        let mut frequency: HashMap<&str, f32> = HashMap::new();
        for terms in &raw_proposals {
            for stem in terms.keys() {
                *frequency.entry(stem).or_default() += 1.0;
            }
        }
        // Stems only the areas use still name something: they count as rare.
        for terms in &raw_areas {
            for stem in terms.keys() {
                frequency.entry(stem).or_insert(0.5);
            }
        }
        let idf: HashMap<String, f32> =
            frequency.into_iter().map(|(stem, frequency)| (stem.to_owned(), ((count + 1.0) / (frequency + 0.5)).ln().max(0.0))).collect();
        let weigh = |terms: Terms, title: &str| {
            let terms: Terms = terms.into_iter().map(|(stem, weight)| {
                let rarity = idf.get(&stem).copied().unwrap_or(0.0);
                (stem, weight * rarity)
            }).collect();
            let norm = terms.values().map(|weight| weight * weight).sum::<f32>().sqrt();
            let title = title_stems(title).into_iter().map(|stem| {
                let rarity = idf.get(&stem).copied().unwrap_or(0.0);
                (stem, rarity)
            }).collect();
            Document { terms, norm, title }
        };
        let proposals = raw_proposals.into_iter().zip(proposals).map(|(terms, (title, _))| weigh(terms, title)).collect();
        let areas = raw_areas.into_iter().zip(areas).map(|(terms, (title, _))| weigh(terms, title)).collect();
        Index { stemmer, idf, proposals, areas }
    }

    /// The weighed stems of a passage; stems in `boosted` (words that follow an explicit
    /// reference such as *förslaget om*) count double.
    pub fn terms(&self, text: &str) -> Terms {
        let mut terms = Terms::new();
        let all = words(text);
        let mut boost_until = 0;
        for (at, word) in all.iter().enumerate() {
            // `förslaget om generella statsbidrag`, `rekommendationen att …`: what follows
            // names the proposal.
            if (word.starts_with("förslag") || word.starts_with("rekommendation"))
                && all.get(at + 1).is_some_and(|next| matches!(next.as_str(), "om" | "att" | "kring" | "till" | "gällande" | "avseende" | "rörande" | "angående"))
            {
                boost_until = at + 10;
            }
            let Some(stem) = stem(&self.stemmer, word) else { continue };
            let Some(&rarity) = self.idf.get(&stem) else {
                // A word the consultation never uses cannot name a proposal; a compound of
                // one of its words can (`tillsynsmyndigheten`).
                continue;
            };
            let weight = rarity * if at < boost_until { 2.0 } else { 1.0 };
            let entry = terms.entry(stem).or_insert(0.0);
            *entry = entry.max(weight);
        }
        // Compounds: a word of the passage not used by the consultation that is made of
        // one of its stems (`tillsynsmyndighet`), or one of whose compounds it is
        // (`frikommun` of `frikommunförsök`), counts half.
        for word in &all {
            let Some(stem) = stem(&self.stemmer, word) else { continue };
            if self.idf.contains_key(&stem) || stem.chars().count() < 6 {
                continue;
            }
            let long = stem.chars().count() >= 8;
            if let Some((part, &rarity)) = self
                .idf
                .iter()
                .filter(|(part, _)| {
                    (long && part.chars().count() >= 5 && (stem.ends_with(part.as_str()) || stem.starts_with(part.as_str())))
                        || (long && part.starts_with(stem.as_str()))
                })
                .max_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.0.cmp(b.0)))
            {
                let entry = terms.entry(part.clone()).or_insert(0.0);
                *entry = entry.max(rarity * 0.5);
            }
        }
        terms
    }

    /// How closely a passage's stems match a document's: the cosine of the two vectors.
    pub fn similarity(terms: &Terms, document: &Document) -> f32 {
        let norm = terms.values().map(|weight| weight * weight).sum::<f32>().sqrt();
        if norm == 0.0 || document.norm == 0.0 {
            return 0.0;
        }
        let dot: f32 = terms.iter().filter_map(|(stem, weight)| document.terms.get(stem).map(|other| weight * other)).sum();
        dot / (norm * document.norm)
    }

    /// How much of a document's title a passage uses, from 0 to 1, rare words weighing
    /// most: a passage that names a proposal among others (*förslagen om policylabb,
    /// försöksverksamheter och frikommuner*) covers its title though its cosine is low.
    pub fn title_coverage(terms: &Terms, document: &Document) -> f32 {
        let whole: f32 = document.title.values().map(|rarity| rarity * rarity).sum();
        if whole == 0.0 {
            return 0.0;
        }
        let covered: f32 = document.title.iter().filter(|(stem, _)| terms.contains_key(*stem)).map(|(_, rarity)| rarity * rarity).sum();
        covered / whole
    }

    /// The rare stems of a document's title that a passage uses and another document's
    /// title does not have: what shows that a passage names this proposal as well as
    /// the other, rather than the other in words they share.
    pub fn new_title_words(&self, terms: &Terms, document: &Document, besides: &Document) -> usize {
        let threshold = self.idf.values().copied().fold(0.0_f32, f32::max) * 0.5;
        document
            .title
            .keys()
            .filter(|stem| terms.contains_key(*stem) && !besides.title.contains_key(*stem))
            .filter(|stem| self.idf.get(*stem).is_some_and(|&rarity| rarity >= threshold))
            .count()
    }

}

/// The stems of a text's words, without stop words and one- or two-letter words.
fn stems(stemmer: &Stemmer, text: &str) -> Vec<String> {
    words(text).iter().filter_map(|word| stem(stemmer, word)).collect()
}

fn stem(stemmer: &Stemmer, word: &str) -> Option<String> {
    if word.chars().count() < 3 || STOP_WORDS.contains(&word) || word.chars().all(|character| character.is_ascii_digit()) {
        return None;
    }
    Some(stemmer.stem(word).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_words_and_compounds_find_their_proposal() {
        let proposals = vec![
            ("Generella statsbidrag som huvudprincip".to_owned(), "Regeringen ska ha som huvudprincip att använda sig av generella statsbidrag.".to_owned()),
            ("Tillsynens inriktning".to_owned(), "Tillsynen ska vara situationsanpassad och bidra till lärande.".to_owned()),
            ("Ett nationellt policylabb".to_owned(), "Regeringen ska inrätta ett nationellt policylabb.".to_owned()),
        ];
        let index = Index::new(&proposals, &[]);
        let best = |text: &str| {
            let terms = index.terms(text);
            (0..proposals.len()).max_by(|&a, &b| Index::similarity(&terms, &index.proposals[a]).total_cmp(&Index::similarity(&terms, &index.proposals[b]))).unwrap_or(0)
        };
        assert_eq!(best("Nämnden välkomnar att statsbidragen blir generella."), 0);
        assert_eq!(best("En lärande tillsyn behövs, och tillsynsmyndigheten bör anpassa sig."), 1);
        assert_eq!(best("Förslaget om ett policylabb är bra."), 2);
        assert_eq!(Index::similarity(&index.terms(""), &index.proposals[0]), 0.0);
    }
}
