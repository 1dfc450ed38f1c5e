//! A synthetic consultation site of any size, for the benchmarks (`benches/build.rs`) and
//! for trying remiss on a large site (`benches/write_site.rs`, run as `--example synthetic`).
//!
//! [`write_site`] writes a complete site — `config.toml`, the consultation, 10 areas, `M`
//! proposals and `N` statements with `K` positions each — that `remiss check` accepts.
//! The same parameters always give the same bytes: the text comes from a small xorshift
//! generator seeded with `seed`, never from the clock or the file system.
//!
//! Statements are about as long as real ones (8 `##` sections, about 1,000 words, with a
//! bullet list, a table and a footnote). Each position quotes one sentence of a plain
//! paragraph of its own statement verbatim, as editors do. Bodies are grouped in
//! organisations of 5–20, and some bodies are `part_of` their organisation's first body.
//!
//! Included with `#[path = "../benches/synthetic.rs"] mod synthetic;`, so it uses std only.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// The number of areas (chapters) the proposals are spread over.
pub const AREAS: usize = 10;

/// Words for the running text: Swedish-looking, with å, ä and ö, and never a quote mark
/// (quotes are written as TOML literal strings), `*`, `_`, `#` or any other Markdown markup.
const NOUNS: &[&str] = &[
    "styrning",
    "tillsyn",
    "verksamheten",
    "kommunen",
    "regionen",
    "staten",
    "förvaltningen",
    "nämnden",
    "medarbetarna",
    "ledningen",
    "uppföljningen",
    "resurserna",
    "ersättningen",
    "välfärden",
    "omsorgen",
    "skolan",
    "vården",
    "brukaren",
    "eleven",
    "patienten",
    "förslaget",
    "utredningen",
    "delegationen",
    "myndigheten",
    "kvaliteten",
    "tilliten",
    "handlingsutrymmet",
    "statsbidragen",
    "kunskapen",
    "förtroendet",
    "samverkan",
    "ansvaret",
    "kostnaderna",
    "möjligheterna",
    "förutsättningarna",
    "lärandet",
    "dialogen",
    "ledarskapet",
    "kulturen",
    "målen",
    "indikatorerna",
    "rapporteringen",
    "granskningen",
    "förbättringsarbetet",
    "forskningen",
    "lärosätena",
    "huvudmännen",
    "professionerna",
    "äldreomsorgen",
    "hemtjänsten",
];
const VERBS: &[&str] = &[
    "stärker",
    "försvårar",
    "förutsätter",
    "påverkar",
    "främjar",
    "begränsar",
    "förbättrar",
    "kräver",
    "möjliggör",
    "underlättar",
    "ökar",
    "minskar",
    "förändrar",
    "säkerställer",
    "bidrar till",
    "leder till",
    "hänger samman med",
    "skapar",
    "bygger på",
    "präglar",
];
const ADJECTIVES: &[&str] = &[
    "tydlig",
    "långsiktig",
    "generell",
    "lokal",
    "statlig",
    "kommunal",
    "gemensam",
    "närmare",
    "större",
    "mindre",
    "bättre",
    "svårare",
    "särskild",
    "övergripande",
    "nödvändig",
    "väsentlig",
    "förebyggande",
    "verksamhetsnära",
    "sammanhållen",
    "ändamålsenlig",
    "lärande",
    "öppen",
];
const ADVERBS: &[&str] = &[
    "särskilt",
    "därför",
    "också",
    "dessutom",
    "däremot",
    "emellertid",
    "samtidigt",
    "i dag",
    "på sikt",
    "i första hand",
    "i praktiken",
    "i hög grad",
    "i viss mån",
    "över tid",
];
const CONNECTIVES: &[&str] = &["men", "och", "eftersom", "medan", "så att", "samtidigt som", "även om", "då"];
const SECTIONS: &[&str] = &[
    "Sammanfattning",
    "Bakgrund",
    "Förvaltningens synpunkter",
    "Styrning och ledning",
    "Ersättningsmodeller",
    "Statlig tillsyn",
    "Ekonomiska konsekvenser",
    "Kompetensförsörjning",
    "Uppföljning och analys",
    "Övriga synpunkter",
    "Samverkan",
    "Slutsatser",
    "Ärendet",
    "Beslutsunderlag",
    "Förslagets konsekvenser",
    "Jämställdhet och tillgänglighet",
];
const BODY_NAMES: &[&str] = &[
    "Kommunstyrelsen",
    "Socialnämnden",
    "Utbildningsnämnden",
    "Äldrenämnden",
    "Arbetsmarknadsnämnden",
    "Kulturnämnden",
    "Miljönämnden",
    "Stadsbyggnadsnämnden",
    "Fritidsnämnden",
    "Trafiknämnden",
    "Förskolenämnden",
    "Gymnasienämnden",
    "Överförmyndarnämnden",
    "Revisionskontoret",
    "Stadsledningskontoret",
    "Servicenämnden",
    "Funktionshindernämnden",
    "Exploateringsnämnden",
    "Valnämnden",
    "Östra stadsdelsnämnden",
];
const PLACE_START: &[&str] = &[
    "Öster", "Väster", "Norr", "Söder", "Ål", "Björk", "Gran", "Sjö", "Strö", "Malm", "Hög", "Lång", "Bä", "Fjäll",
    "Rönn", "Ek", "Lö", "Hä", "Kå", "Mö",
];
const PLACE_END: &[&str] = &[
    "åsa", "ås", "köping", "ärva", "by", "vik", "sjö", "löv", "hälla", "näs", "å", "backa", "ö", "fors", "dal", "holm",
    "lunda", "tuna",
];
const ORGANISATION_KINDS: &[&str] = &["kommun", "stad", "region"];
const ADDRESSEES: &[&str] = &[
    "Regeringen",
    "Kommuner och regioner",
    "Statskontoret",
    "Sveriges Kommuner och Regioner",
    "Skolinspektionen",
    "Inspektionen för vård och omsorg",
    "Huvudmännen",
    "Lärosätena",
];
const STANCES: [&str; 5] = ["supports", "partly", "no-objection", "doubtful", "opposes"];
/// How a body words each stance, in the same order as [`STANCES`].
const STANCE_WORDING: [&str; 5] =
    ["tillstyrker", "tillstyrker delvis", "har inga invändningar mot", "är tveksam till", "avstyrker"];

/// xorshift64*: small, fast, and plenty for text that only has to look varied.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so that 0 and nearby seeds give unrelated streams.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// `count` distinct numbers from `0..n`, in random order (a partial Fisher–Yates).
    pub fn sample(&mut self, n: usize, count: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        let count = count.min(n);
        for i in 0..count {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(count);
        all
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A clause of 4–9 words: subject, verb, object, perhaps an adverb.
fn clause(rng: &mut Rng, words: &mut Vec<String>) {
    words.push(rng.pick(NOUNS).to_owned());
    words.push(rng.pick(VERBS).to_owned());
    if rng.chance(50) {
        words.push(rng.pick(ADVERBS).to_owned());
    }
    if rng.chance(60) {
        words.push("en".to_owned());
        words.push(rng.pick(ADJECTIVES).to_owned());
        words.push(rng.pick(&["styrning", "uppföljning", "tillsyn", "dialog", "ersättning", "samverkan"]).to_owned());
    } else {
        words.push(rng.pick(NOUNS).to_owned());
    }
}

/// One sentence of 8–25 words, ending with a full stop. Returns it and its word count.
fn sentence(rng: &mut Rng) -> (String, usize) {
    let mut words = Vec::new();
    clause(rng, &mut words);
    let clauses = rng.between(1, 3);
    for _ in 1..clauses {
        let last = words.len() - 1;
        words[last].push(',');
        words.push(rng.pick(CONNECTIVES).to_owned());
        clause(rng, &mut words);
    }
    if rng.chance(30) {
        words.push("för".to_owned());
        words.push(rng.pick(NOUNS).to_owned());
    }
    let count = words.iter().map(|word| word.split(' ').count()).sum();
    let mut text = capitalise(&words.join(" "));
    text.push('.');
    (text, count)
}

/// A paragraph of `sentences` sentences; returns the sentences (joined with one space).
fn sentences(rng: &mut Rng, count: usize, words: &mut usize) -> Vec<String> {
    (0..count)
        .map(|_| {
            let (text, n) = sentence(rng);
            *words += n;
            text
        })
        .collect()
}

/// A proposal's title, such as "Generell ersättning inom äldreomsorgen".
fn proposal_title(rng: &mut Rng) -> String {
    let head = rng.pick(&[
        "styrning",
        "tillsyn",
        "uppföljning",
        "ersättning",
        "samverkan",
        "forskning",
        "dialog",
        "ledning",
        "analys",
        "kompetens",
    ]);
    format!(
        "{} {} {} {}",
        capitalise(rng.pick(ADJECTIVES)),
        head,
        rng.pick(&["inom", "av", "för", "i"]),
        rng.pick(NOUNS)
    )
}

/// The organisation of group `group`: a made-up place name, unique per group.
fn organisation_name(rng: &mut Rng, group: usize) -> String {
    let place = format!("{}{}", rng.pick(PLACE_START), rng.pick(PLACE_END));
    let kind = rng.pick(ORGANISATION_KINDS);
    // Made-up names repeat; a number keeps each group's organisation its own.
    match kind {
        "region" => format!("Region {place} {}", group + 1),
        _ => format!("{place} {} {kind}", group + 1),
    }
}

/// A statement: front matter with its positions, then about 1,000 words of Markdown.
struct Statement {
    id: String,
    title: String,
    organisation: String,
    part_of: Option<String>,
}

fn statement_file(
    rng: &mut Rng,
    statement: &Statement,
    positions: &[(usize, usize)], // (proposal index, stance index)
    proposal_ids: &[String],
    proposal_titles: &[String],
) -> String {
    // The body: 8 sections of paragraphs. Section 3 has a bullet list, section 5 a table,
    // section 2 a footnote; the quoted sentences go into plain paragraphs.
    let mut section_names = SECTIONS.to_vec();
    let chosen = rng.sample(section_names.len(), 8);
    section_names = chosen.iter().map(|&i| SECTIONS[i]).collect();
    let mut words = 0usize;
    // paragraphs[section] = list of paragraphs, each a list of sentences.
    let mut paragraphs: Vec<Vec<Vec<String>>> = Vec::new();
    for _ in 0..8 {
        let count = rng.between(1, 2);
        let section = (0..count)
            .map(|_| {
                let n = rng.between(3, 6);
                sentences(rng, n, &mut words)
            })
            .collect();
        paragraphs.push(section);
    }
    // Each position's sentence goes into a random plain paragraph at a random place.
    let mut quotes = Vec::with_capacity(positions.len());
    for &(proposal, stance) in positions {
        let (tail, n) = sentence(rng);
        let tail = tail.trim_end_matches('.').to_lowercase();
        let quote = format!(
            "{} {} förslaget om {}, eftersom {}.",
            statement.title,
            STANCE_WORDING[stance],
            proposal_titles[proposal].to_lowercase(),
            tail
        );
        words += n + 8;
        let section = rng.below(8);
        let paragraph = rng.below(paragraphs[section].len());
        let sentences = &mut paragraphs[section][paragraph];
        let at = rng.below(sentences.len() + 1);
        sentences.insert(at, quote.clone());
        quotes.push(quote);
    }
    // Fill up to about 1,000 words with more plain paragraphs.
    while words < 940 {
        let section = rng.below(8);
        let n = rng.between(3, 5);
        let more = sentences(rng, n, &mut words);
        paragraphs[section].push(more);
    }

    let mut text = String::with_capacity(8 * 1024);
    text.push_str("+++\n");
    writeln!(text, "title = \"{}\"", statement.title).unwrap();
    writeln!(text, "organisation = \"{}\"", statement.organisation).unwrap();
    let (month, day) = (rng.between(8, 10), rng.between(1, 28));
    writeln!(text, "date = 2018-{month:02}-{day:02}").unwrap();
    writeln!(text, "reference = \"{}/{}-{}.{}\"", 2018, rng.between(100, 9999), rng.between(1, 9), rng.between(1, 9))
        .unwrap();
    writeln!(
        text,
        "decision = \"{} beslutar att avge remissvar i enlighet med förvaltningens förslag.\"",
        statement.title
    )
    .unwrap();
    writeln!(text, "minutes = \"§ {}\"", rng.between(1, 250)).unwrap();
    writeln!(
        text,
        "signed_by = [\"{} {}, ordförande\"]",
        rng.pick(&["Åsa", "Björn", "Märta", "Örjan", "Käthe", "Göran", "Ylva", "Sören"]),
        rng.pick(&["Lindström", "Öberg", "Åkesson", "Bäckman", "Sjögren", "Hägg", "Ström"])
    )
    .unwrap();
    if let Some(parent) = &statement.part_of {
        writeln!(text, "part_of = \"{parent}\"").unwrap();
    }
    writeln!(text, "overall = \"{}\"", STANCES[rng.below(5)]).unwrap();
    for (&(proposal, stance), quote) in positions.iter().zip(&quotes) {
        text.push_str("\n[[positions]]\n");
        writeln!(text, "proposal = \"{}\"", proposal_ids[proposal]).unwrap();
        writeln!(text, "stance = \"{}\"", STANCES[stance]).unwrap();
        debug_assert!(!quote.contains('\'') && !quote.contains('\n'));
        writeln!(text, "quote = '{quote}'").unwrap();
    }
    text.push_str("+++\n");

    for (index, (name, section)) in section_names.iter().zip(&paragraphs).enumerate() {
        writeln!(text, "## {name}\n").unwrap();
        for (number, paragraph) in section.iter().enumerate() {
            text.push_str(&paragraph.join(" "));
            if index == 1 && number == 0 {
                text.push_str(" Se även utredningens underlag.[^1]");
            }
            text.push_str("\n\n");
        }
        if index == 2 {
            text.push_str("Förvaltningen vill särskilt lyfta fram följande:\n\n");
            for _ in 0..rng.between(3, 5) {
                let (item, _) = sentence(rng);
                writeln!(text, "- {item}").unwrap();
            }
            text.push('\n');
        }
        if index == 4 {
            text.push_str("| Område | Bedömning | Kostnad (tkr) |\n| --- | --- | ---: |\n");
            for _ in 0..rng.between(3, 5) {
                writeln!(
                    text,
                    "| {} | {} | {} |",
                    capitalise(rng.pick(NOUNS)),
                    rng.pick(&["Tillstyrks", "Tillstyrks delvis", "Tveksam", "Avstyrks"]),
                    rng.between(100, 9_000)
                )
                .unwrap();
            }
            text.push('\n');
        }
    }
    let (note, _) = sentence(rng);
    writeln!(text, "[^1]: {note}").unwrap();
    text
}

/// Writes a synthetic site of `bodies` statements, `proposals` proposals and `positions`
/// positions per statement into `out` (created if missing; its `content/` is replaced).
///
/// Panics on an I/O error: this is a benchmark fixture, not a library.
pub fn write_site(out: &Path, bodies: usize, proposals: usize, positions: usize, seed: u64) {
    try_write_site(out, bodies, proposals, positions, seed)
        .unwrap_or_else(|error| panic!("cannot write the synthetic site to {}: {error}", out.display()));
}

/// A line that identifies what [`write_site`] wrote, including a hash of this file so that
/// a changed generator is not mistaken for the old one. Written to `out/synthetic.txt`.
pub fn stamp(bodies: usize, proposals: usize, positions: usize, seed: u64) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a
    for byte in include_str!("synthetic.rs").bytes() {
        hash = (hash ^ byte as u64).wrapping_mul(0x100_0000_01b3);
    }
    format!("bodies={bodies} proposals={proposals} positions={positions} seed={seed} generator={hash:016x}\n")
}

fn try_write_site(out: &Path, bodies: usize, proposals: usize, positions: usize, seed: u64) -> io::Result<()> {
    assert!(proposals > 0, "a site needs at least one proposal");
    let positions = positions.min(proposals);
    let mut rng = Rng::new(seed);
    let content = out.join("content");
    if content.exists() {
        fs::remove_dir_all(&content)?;
    }
    let _ = fs::remove_file(out.join("synthetic.txt"));
    fs::create_dir_all(content.join("statements"))?;

    fs::write(
        out.join("config.toml"),
        format!(
            "title = \"Remissvar: Syntetiska utredningen ({bodies} instanser)\"\n\
             base_url = \"https://example.org\"\n\
             default_language = \"sv\"\n\
             minify_html = false\n\
             description = \"En syntetisk remiss med {bodies} remissinstanser och {proposals} förslag, för prestandamätning.\"\n"
        ),
    )?;

    let mut intro = String::new();
    let mut words = 0;
    for _ in 0..3 {
        let n = rng.between(3, 5);
        intro.push_str(&sentences(&mut rng, n, &mut words).join(" "));
        intro.push_str("\n\n");
    }
    fs::write(
        content.join("_index.md"),
        format!(
            "+++\n\
             title = \"Syntetiska utredningens betänkande SOU 2099:1\"\n\
             issuer = \"Finansdepartementet\"\n\
             deadline = 2018-10-31\n\
             reference = \"Fi2099/00001\"\n\
             description = \"En påhittad remiss för att mäta hur remiss klarar stora webbplatser.\"\n\n\
             [[documents]]\n\
             title = \"Med syntetisk tillit växer handlingsutrymmet\"\n\
             reference = \"SOU 2099:1\"\n\
             +++\n{intro}"
        ),
    )?;

    // Areas and proposals: proposal i goes into area i % AREAS, so every area gets some.
    let area_ids: Vec<String> = (0..AREAS).map(|area| format!("omrade-{:02}", area + 1)).collect();
    for (area, id) in area_ids.iter().enumerate() {
        let folder = content.join("proposals").join(id);
        fs::create_dir_all(&folder)?;
        let title = capitalise(&format!("{} {} och {}", rng.pick(ADJECTIVES), rng.pick(NOUNS), rng.pick(NOUNS)));
        let (intro, _) = sentence(&mut rng);
        fs::write(
            folder.join("_index.md"),
            format!("+++\ntitle = \"{title}\"\nweight = {}\nreports = [\"SOU 2099:1\"]\n+++\n{intro}\n", area + 1),
        )?;
    }
    let proposal_ids: Vec<String> = (0..proposals).map(|i| format!("forslag-{:04}", i + 1)).collect();
    let mut proposal_titles = Vec::with_capacity(proposals);
    for (i, id) in proposal_ids.iter().enumerate() {
        let title = proposal_title(&mut rng);
        let kind = if rng.chance(60) { "forslag" } else { "rekommendation" };
        let count = rng.between(1, 3);
        let addressees: Vec<String> =
            rng.sample(ADDRESSEES.len(), count).into_iter().map(|a| format!("\"{}\"", ADDRESSEES[a])).collect();
        let mut body = String::new();
        for _ in 0..rng.between(1, 2) {
            let n = rng.between(2, 4);
            body.push_str(&sentences(&mut rng, n, &mut words).join(" "));
            body.push_str("\n\n");
        }
        fs::write(
            content.join("proposals").join(&area_ids[i % AREAS]).join(format!("{id}.md")),
            format!(
                "+++\ntitle = \"{title}\"\nkind = \"{kind}\"\naddressees = [{}]\nweight = {}\nreport = \"SOU 2099:1\"\n+++\n{body}",
                addressees.join(", "),
                i / AREAS + 1
            ),
        )?;
        proposal_titles.push(title);
    }

    // Statements, in organisations of 5–20 bodies. A third of the bodies after the first
    // are submitted inside the first (`part_of`).
    let mut index = 0;
    let mut group = 0;
    while index < bodies {
        let size = rng.between(5, 20).min(bodies - index);
        let organisation = organisation_name(&mut rng, group);
        let names = rng.sample(BODY_NAMES.len(), size);
        let first = format!("instans-{:05}", index + 1);
        for (member, &name) in names.iter().enumerate() {
            let id = format!("instans-{:05}", index + 1);
            let part_of = (member > 0 && rng.chance(33)).then(|| first.clone());
            let statement =
                Statement { id, title: BODY_NAMES[name].to_owned(), organisation: organisation.clone(), part_of };
            let chosen: Vec<(usize, usize)> =
                rng.sample(proposals, positions).into_iter().map(|proposal| (proposal, rng.below(5))).collect();
            let text = statement_file(&mut rng, &statement, &chosen, &proposal_ids, &proposal_titles);
            fs::write(content.join("statements").join(format!("{}.md", statement.id)), text)?;
            index += 1;
        }
        group += 1;
    }

    fs::write(out.join("synthetic.txt"), stamp(bodies, proposals, positions, seed))?;
    Ok(())
}

/// Whether `out` holds the site [`write_site`] would write for these parameters.
pub fn is_current(out: &Path, bodies: usize, proposals: usize, positions: usize, seed: u64) -> bool {
    fs::read_to_string(out.join("synthetic.txt")).is_ok_and(|found| found == stamp(bodies, proposals, positions, seed))
}
