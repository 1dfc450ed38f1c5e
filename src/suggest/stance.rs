//! The stance a sentence takes, read from how Swedish remissvar say it.
//!
//! 1. Find the cues: verbs and phrases of support (*tillstyrker, stödjer, välkomnar,
//!    ser positivt på, instämmer, ställer sig bakom, delar … uppfattning*), of doubt
//!    (*är tveksam till, ifrågasätter, ser risker*), of opposition (*avstyrker,
//!    motsätter sig*) and of no objection (*har inga invändningar*).
//! 2. Turn a cue negated close by (*inte, ej, icke*) into its opposite.
//! 3. Weigh hedges: *i huvudsak, delvis, försiktigt positiv, under förutsättning att*
//!    make support partial, and so does support followed by *men*/*dock* and a doubt.
//!
//! A sentence without a cue takes no stance: a body describing its own practice or
//! summing up the report has not taken a position (docs/READING.md, rules 3 and 4).

use crate::load::meta::Stance;

/// What a sentence says, if it takes a stance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub stance: Stance,
    /// How plainly the stance is said, from 0 to 1: *tillstyrker* is plainer than *bra*.
    pub strength: f32,
}

/// What a cue says before negation and hedges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Support,
    Partly,
    Doubt,
    Oppose,
    NoObjection,
}

/// A cue: the words it starts with (each matched as the start of a word, so that
/// inflections match), the cue, its strength, and whether it is a verb (a negated
/// verb of support opposes; a negated adjective of support only doubts).
struct Pattern {
    words: &'static [&'static str],
    cue: Cue,
    strength: f32,
    verb: bool,
}

const fn pattern(words: &'static [&'static str], cue: Cue, strength: f32, verb: bool) -> Pattern {
    Pattern { words, cue, strength, verb }
}

/// Words matched whole, not as a prefix: their prefixes are other words (`stöd` is
/// also a noun, `bra` starts `brand`).
const WHOLE: &[&str] = &["stöder", "stödjer", "bra", "delar", "emot", "oro", "ser", "står", "är"];

/// What `delar` must be followed by to be the verb of agreement (`delar … uppfattning`),
/// not the noun (`delar av styrningen`).
const SHARED_VIEWS: &[&str] = &["uppfattning", "syn", "synen", "synsätt", "bedömning", "slutsats", "analys", "ståndpunkt", "beskrivning", "problembild", "ambition", "intention", "utgångspunkt"];

const PATTERNS: &[Pattern] = &[
    pattern(&["tillstyrk"], Cue::Support, 1.0, true),
    pattern(&["stödjer"], Cue::Support, 0.9, true),
    pattern(&["stöder"], Cue::Support, 0.9, true),
    pattern(&["understödj"], Cue::Support, 0.8, true),
    pattern(&["välkomn"], Cue::Support, 0.9, true),
    pattern(&["välkomm"], Cue::Support, 0.8, false),
    pattern(&["ser", "positivt"], Cue::Support, 0.9, false),
    pattern(&["ser", "mycket", "positivt"], Cue::Support, 0.9, false),
    pattern(&["positiv"], Cue::Support, 0.8, false),
    pattern(&["instämmer"], Cue::Support, 0.9, true),
    pattern(&["ställer", "sig", "bakom"], Cue::Support, 0.9, true),
    pattern(&["står", "bakom"], Cue::Support, 0.8, true),
    pattern(&["ansluter", "sig", "till"], Cue::Support, 0.8, true),
    pattern(&["bifall"], Cue::Support, 0.8, true),
    pattern(&["delar"], Cue::Support, 0.6, true),
    pattern(&["bra"], Cue::Support, 0.5, false),
    pattern(&["angeläg"], Cue::Support, 0.5, false),
    // Evaluative words: weaker than a stance verb, but a body that calls a proposal
    // valuable or reasonable has said what it thinks of it.
    pattern(&["intressant"], Cue::Support, 0.5, false),
    pattern(&["värdefull"], Cue::Support, 0.6, false),
    pattern(&["rimlig"], Cue::Support, 0.6, false),
    pattern(&["lämplig"], Cue::Support, 0.5, false),
    pattern(&["central", "betydelse"], Cue::Support, 0.5, false),
    pattern(&["grundläggande"], Cue::Support, 0.5, false),
    pattern(&["i", "huvudsak"], Cue::Partly, 0.8, false),
    pattern(&["huvudsaklig"], Cue::Partly, 0.7, false),
    pattern(&["delvis"], Cue::Partly, 0.8, false),
    pattern(&["försiktigt", "positiv"], Cue::Partly, 0.9, false),
    pattern(&["med", "reservation"], Cue::Partly, 0.9, false),
    pattern(&["med", "vissa", "reservation"], Cue::Partly, 0.9, false),
    pattern(&["med", "förbehåll"], Cue::Partly, 0.9, false),
    pattern(&["under", "förutsättning", "att"], Cue::Partly, 0.8, false),
    pattern(&["tveksam"], Cue::Doubt, 0.9, false),
    pattern(&["ifrågasätt"], Cue::Doubt, 0.9, true),
    pattern(&["frågande"], Cue::Doubt, 0.8, false),
    pattern(&["skeptisk"], Cue::Doubt, 0.9, false),
    pattern(&["betänklig"], Cue::Doubt, 0.8, false),
    pattern(&["oro"], Cue::Doubt, 0.6, false),
    pattern(&["oroad"], Cue::Doubt, 0.7, false),
    pattern(&["avstyrk"], Cue::Oppose, 1.0, true),
    pattern(&["motsätter", "sig"], Cue::Oppose, 0.9, true),
    pattern(&["avvisar"], Cue::Oppose, 0.8, true),
    pattern(&["är", "emot"], Cue::Oppose, 0.7, false),
    pattern(&["inga", "invändning"], Cue::NoObjection, 1.0, false),
    pattern(&["ingen", "invändning"], Cue::NoObjection, 1.0, false),
    pattern(&["inget", "att", "invända"], Cue::NoObjection, 1.0, false),
    pattern(&["inget", "att", "erinra"], Cue::NoObjection, 1.0, false),
    pattern(&["ingen", "erinran"], Cue::NoObjection, 1.0, false),
    pattern(&["inga", "synpunkter"], Cue::NoObjection, 0.7, false),
];

const NEGATIONS: &[&str] = &["inte", "ej", "icke", "aldrig"];

/// Words before an adjective of stance that make it say what the body thinks (`är
/// positiv`, `ser positivt`, `mycket bra`), not describe a noun (`positiva effekter`,
/// `bra möten`).
const PREDICATIVE_BEFORE: &[&str] = &[
    "är", "vore", "var", "vara", "varit", "blir", "bli", "finner", "anser", "mycket", "särskilt", "också", "ser", "sig", "bedöms",
    "anses", "det", "därför", "mer", "väldigt", "synnerligen", "helt", "också", "genomgående", "positivt", "positiv",
];
/// Words after an adjective of stance that tie it to what it judges (`positiv till`).
const PREDICATIVE_AFTER: &[&str] = &["till", "på", "att", "med", "över", "inför", "i", "och"];

/// The lower-case words of a sentence, letters and digits only.
pub fn words(sentence: &str) -> Vec<String> {
    sentence
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn matches_word(word: &str, pattern: &str) -> bool {
    if WHOLE.contains(&pattern) { word == pattern } else { word.starts_with(pattern) }
}

/// The stance a sentence takes, if it takes one.
pub fn read(sentence: &str) -> Option<Reading> {
    let words = words(sentence);
    // (cue, strength, at, negated)
    let mut cues: Vec<(Cue, f32, usize, bool)> = Vec::new();
    let mut covered = vec![false; words.len()];
    // Longer patterns first, so that `försiktigt positiv` is not read as `positiv`.
    let mut patterns: Vec<&Pattern> = PATTERNS.iter().collect();
    patterns.sort_by_key(|pattern| std::cmp::Reverse(pattern.words.len()));
    for pattern in patterns {
        let length = pattern.words.len();
        for at in 0..words.len().saturating_sub(length - 1) {
            if covered[at..at + length].iter().any(|&taken| taken) {
                continue;
            }
            if !pattern.words.iter().zip(&words[at..]).all(|(expected, word)| matches_word(word, expected)) {
                continue;
            }
            // A one-word adjective of stance needs to be said of something.
            if length == 1 && !pattern.verb && pattern.cue == Cue::Support {
                // `som är angelägna för verksamheterna` describes a noun, as an attribute does.
                let relative = at >= 2 && words[at - 2] == "som";
                let before = !relative && words[at.saturating_sub(2)..at].iter().any(|word| PREDICATIVE_BEFORE.contains(&word.as_str()));
                let after = words.get(at + 1).is_none_or(|word| PREDICATIVE_AFTER.contains(&word.as_str()));
                let opens = at == 0;
                if !(before || after || opens) {
                    continue;
                }
            }
            // `en dialog som stödjer utvecklingsarbetet`: a relative clause says what
            // something does, not what the body thinks.
            if length == 1 && at >= 1 && words[at - 1] == "som" {
                continue;
            }
            if pattern.words == ["delar"]
                && !words[at + 1..(at + 6).min(words.len())].iter().any(|word| SHARED_VIEWS.iter().any(|view| word == view || (view.len() > 3 && word.starts_with(view))))
            {
                continue;
            }
            covered[at..at + length].iter_mut().for_each(|taken| *taken = true);
            // Swedish puts `inte` after the finite verb (`stödjer inte`) and before an
            // adjective (`inte positiv`): look a word or two either way.
            let near = at.saturating_sub(2)..(at + length + 2).min(words.len());
            let negated = words[near].iter().any(|word| NEGATIONS.contains(&word.as_str()));
            let cue = match (pattern.cue, negated) {
                (Cue::Support, true) if pattern.verb => Cue::Oppose,
                (Cue::Support, true) => Cue::Doubt,
                (Cue::Doubt, true) => Cue::Support,
                (Cue::Oppose, true) => Cue::NoObjection,
                (cue, _) => cue,
            };
            // `inga invändningar` holds its own negation.
            let negated = negated && pattern.cue != Cue::NoObjection;
            cues.push((cue, pattern.strength * if negated { 0.8 } else { 1.0 }, at, negated));
        }
    }
    // `i huvudsak`, `delvis`, `under förutsättning att` qualify a stance said next to
    // them (`instämmer i huvudsak`); elsewhere they qualify the matter (`riktade
    // statsbidrag ska i huvudsak undvikas`, `har i huvudsak följande lydelse`).
    let supports_at: Vec<usize> = cues.iter().filter(|(cue, ..)| *cue == Cue::Support).map(|(_, _, at, _)| *at).collect();
    cues.retain(|(cue, strength, at, _)| {
        *cue != Cue::Partly || *strength >= 0.9 || supports_at.iter().any(|support| support.abs_diff(*at) <= 3)
    });
    if cues.is_empty() {
        return None;
    }
    let strongest = |wanted: Cue| cues.iter().filter(|(cue, ..)| *cue == wanted).map(|(_, strength, ..)| *strength).fold(None, |best: Option<f32>, strength| Some(best.map_or(strength, |best| best.max(strength))));
    let support = strongest(Cue::Support);
    let partly = strongest(Cue::Partly);
    let doubt = strongest(Cue::Doubt);
    let oppose = strongest(Cue::Oppose);
    let no_objection = strongest(Cue::NoObjection);
    let contrast = words.iter().any(|word| matches!(word.as_str(), "men" | "dock" | "samtidigt"));
    let reading = |stance, strength: f32| Some(Reading { stance, strength: strength.clamp(0.0, 1.0) });
    if let Some(strength) = oppose {
        // The plainest words decide: `avstyrker` outweighs a `bra` elsewhere in the sentence.
        if support.is_none_or(|support| strength >= support) {
            return reading(Stance::Opposes, strength);
        }
    }
    if let Some(strength) = no_objection
        && support.is_none_or(|support| strength >= support)
    {
        return reading(Stance::NoObjection, strength);
    }
    match (support, partly, doubt) {
        (Some(support), Some(partly), _) => reading(Stance::Partly, support.max(partly)),
        (Some(support), None, Some(doubt)) if contrast => reading(Stance::Partly, support.min(doubt)),
        (Some(support), None, Some(doubt)) if doubt > support => reading(Stance::Doubtful, doubt * 0.8),
        (Some(support), None, _) => reading(Stance::Supports, if contrast { support * 0.85 } else { support }),
        (None, Some(partly), _) => reading(Stance::Partly, partly * 0.8),
        (None, None, Some(doubt)) => reading(Stance::Doubtful, doubt),
        (None, None, None) => oppose.map_or_else(|| reading(Stance::Supports, 0.3), |strength| reading(Stance::Opposes, strength)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stance(sentence: &str) -> Option<Stance> {
        read(sentence).map(|reading| reading.stance)
    }

    #[test]
    fn reads_the_stances_of_remissvar() {
        for (sentence, expected) in [
            ("Kommunen tillstyrker förslaget.", Some(Stance::Supports)),
            ("Nämnden stödjer förslaget om ett nationellt policylabb.", Some(Stance::Supports)),
            ("Förvaltningen välkomnar förslaget.", Some(Stance::Supports)),
            ("Kontoret ser positivt på att staten utvecklar sin styrning.", Some(Stance::Supports)),
            ("Regionen instämmer i huvudsak i utredningens förslag.", Some(Stance::Partly)),
            ("Vi är försiktigt positiva till förslagen.", Some(Stance::Partly)),
            ("Kommunen tillstyrker under förutsättning att staten finansierar reformen.", Some(Stance::Partly)),
            ("Förvaltningen är positiv till förslaget men tveksam till tidplanen.", Some(Stance::Partly)),
            ("Myndigheten har inga invändningar mot förslaget.", Some(Stance::NoObjection)),
            ("Nämnden är tveksam till förslaget.", Some(Stance::Doubtful)),
            ("Kommunen ifrågasätter om en ny myndighet behövs.", Some(Stance::Doubtful)),
            ("Kommunen avstyrker förslaget.", Some(Stance::Opposes)),
            ("Nämnden stödjer inte förslaget.", Some(Stance::Opposes)),
            ("Förvaltningen är inte tveksam till förslaget.", Some(Stance::Supports)),
            ("Staden har olika mötesplatser för innovation.", None),
            ("Tjänsteutlåtandet har i huvudsak följande lydelse.", None),
            ("Nämnden delar uppfattningen att riktade statsbidrag i huvudsak ska undvikas.", Some(Stance::Supports)),
            ("Projekten har haft positiva effekter på arbetsmiljön.", None),
            ("Medborgaren ska uppleva bra möten.", None),
            ("Forskningen bör fokusera på problem som är angelägna för verksamheterna.", None),
            ("Positivt är också fokus på medborgaren.", Some(Stance::Supports)),
            ("Förslaget om en inventering är välkommet.", Some(Stance::Supports)),
            ("Det är inte lämpligt att ta bort bestämmelsen.", Some(Stance::Doubtful)),
            ("Kontoret delar delegationens uppfattning om tillsynen.", Some(Stance::Supports)),
            ("Delar av styrningen tar emot synpunkter.", None),
            ("Stödmaterialet tas fram av förvaltningen.", None),
            ("Det gäller att stödja cheferna i deras roll.", None),
            ("Analysen ger en dialog som stödjer utvecklingsarbetet.", None),
        ] {
            assert_eq!(stance(sentence), expected, "{sentence}");
        }
    }
}
