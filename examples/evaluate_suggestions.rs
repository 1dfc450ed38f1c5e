//! How well the suggestion engine reads the bundled consultation: runs it on the source
//! texts in `../shared/seeds/` (or the folder given as the first argument) against the
//! bundled site's proposals, and compares with the positions its editors wrote.
//!
//! ```sh
//! cargo run --example evaluate_suggestions [-- SEEDS_FOLDER [--verbose]]
//! ```
//!
//! Figures, not assertions: docs/IMPORT.md ("Suggested positions") records them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use remiss::config::Overrides;
use remiss::load::meta::Stance;
use remiss::model::Site;
use remiss::suggest::{self, Consultation, Target};

/// The seed files and the organisation whose answer each is (000 is an OCR copy of a
/// statement that 002 holds cleanly; 004 is the proposals).
const SEEDS: &[(&str, &str)] =
    &[("001_3774331c7b00ab68.txt", "Malmö stad"), ("002_82eee4cbdcb87aed.txt", "Stockholms stad"), ("003_693a76d1b47dd70f.txt", "Luleå kommun")];

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let verbose = arguments.iter().any(|argument| argument == "--verbose");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = arguments.iter().find(|argument| !argument.starts_with("--")).map_or_else(|| default_seeds(root), PathBuf::from);
    let site = match remiss::Session::open(root, Overrides::default()).load() {
        Ok((site, _)) => site,
        Err(problems) => {
            for problem in problems {
                eprintln!("{problem}");
            }
            return ExitCode::FAILURE;
        }
    };
    let consultation = Consultation::from_site(&site);
    let mut bodies: Vec<(String, String)> = Vec::new();
    for (file, organisation) in SEEDS {
        let text = match std::fs::read_to_string(seeds.join(file)) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("cannot read {}: {error}", seeds.join(file).display());
                return ExitCode::FAILURE;
            }
        };
        bodies.extend(cut_into_bodies(&site, organisation, &to_markdown(&text)));
    }

    let mut tally = Tally::default();
    let mut verbatim = (0, 0);
    for (statement, body) in &bodies {
        let suggestions = suggest::suggest(body, &consultation);
        // Found as `remiss check` finds a quote: in the text a reader sees.
        let passages = remiss::load::quote::Passages::new(remiss::markdown::passages(body));
        let is_verbatim = |quote: &str| passages.locate(quote).is_ok();
        verbatim.1 += suggestions.len();
        verbatim.0 += suggestions.iter().filter(|suggestion| is_verbatim(&suggestion.quote)).count();
        let suggested: BTreeMap<Target, Stance> = suggestions.iter().map(|suggestion| (suggestion.target.clone(), suggestion.stance)).collect();
        let written = editors_positions(&site, statement);
        tally.add(&suggested, &written);
        if verbose {
            println!("\n== {statement}");
            for suggestion in &suggestions {
                let mark = match written.get(&suggestion.target) {
                    Some(stance) if *stance == suggestion.stance => "ok   ",
                    Some(_) => "STANCE",
                    None => "extra",
                };
                println!("  {mark} {:?} {} {:.2}: {}", suggestion.target, suggestion.stance.key(), suggestion.confidence, suggestion.quote);
            }
            for (target, stance) in written.iter().filter(|(target, _)| !suggested.contains_key(*target)) {
                println!("  MISSED {target:?} {}: {}", stance.key(), editors_quote(&site, statement, target));
            }
            for suggestion in suggestions.iter().filter(|suggestion| !is_verbatim(&suggestion.quote)) {
                println!("  NOT VERBATIM: {}", suggestion.quote);
            }
        }
    }
    println!("bodies read: {} (from {})", bodies.len(), seeds.display());
    tally.print();
    println!("quotes verbatim in the text: {} of {}", verbatim.0, verbatim.1);
    ExitCode::SUCCESS
}

/// `../shared/seeds/` beside the repository (or beside a folder above it, for a worktree).
fn default_seeds(root: &Path) -> PathBuf {
    root.ancestors().skip(1).map(|folder| folder.join("shared/seeds")).find(|seeds| seeds.is_dir()).unwrap_or_else(|| root.join("../shared/seeds"))
}

/// The quote an editor wrote for a position.
fn editors_quote(site: &Site, statement: &str, target: &Target) -> String {
    let on_proposal = site.positions.iter().find(|position| {
        site.statements[position.statement].id == statement && matches!(target, Target::Proposal(id) if *id == site.proposals[position.proposal].id)
    });
    let on_area = site.area_positions.iter().find(|position| {
        site.statements[position.statement].id == statement && matches!(target, Target::Area(id) if *id == site.areas[position.area].id)
    });
    on_proposal.map(|position| position.quote.clone()).or_else(|| on_area.map(|position| position.quote.clone())).unwrap_or_default()
}

/// The positions editors wrote for a statement, on proposals and on areas.
fn editors_positions(site: &Site, statement: &str) -> BTreeMap<Target, Stance> {
    let on_proposals = site.positions.iter().filter(|position| site.statements[position.statement].id == statement).map(|position| {
        (Target::Proposal(site.proposals[position.proposal].id.clone()), position.stance)
    });
    let on_areas = site.area_positions.iter().filter(|position| site.statements[position.statement].id == statement).map(|position| {
        (Target::Area(site.areas[position.area].id.clone()), position.stance)
    });
    on_proposals.chain(on_areas).collect()
}

#[derive(Default)]
struct Tally {
    /// [proposals, areas]: suggested, written, matched, stance right.
    counts: [[usize; 4]; 2],
}

impl Tally {
    fn add(&mut self, suggested: &BTreeMap<Target, Stance>, written: &BTreeMap<Target, Stance>) {
        for (level, counts) in self.counts.iter_mut().enumerate() {
            let at_level = |target: &Target| matches!((level, target), (0, Target::Proposal(_)) | (1, Target::Area(_)));
            let suggested_here: BTreeSet<&Target> = suggested.keys().filter(|target| at_level(target)).collect();
            let written_here: BTreeSet<&Target> = written.keys().filter(|target| at_level(target)).collect();
            counts[0] += suggested_here.len();
            counts[1] += written_here.len();
            for target in suggested_here.intersection(&written_here) {
                counts[2] += 1;
                if suggested.get(*target) == written.get(*target) {
                    counts[3] += 1;
                }
            }
        }
    }

    fn print(&self) {
        let percent = |part: usize, whole: usize| if whole == 0 { "–".to_owned() } else { format!("{:.0} %", 100.0 * part as f64 / whole as f64) };
        for (name, [suggested, written, matched, right]) in ["positions on proposals", "positions on areas"].iter().zip(self.counts) {
            println!(
                "{name}: editors {written}, suggested {suggested}, matched {matched}; precision {}, recall {}, stance right {} ({right} of {matched})",
                percent(matched, suggested),
                percent(matched, written),
                percent(right, matched),
            );
        }
    }
}

/// Plain text as `remiss import` makes it Markdown, in short: hyphenated line breaks
/// joined, the lines of a paragraph joined, a short line without a closing point kept as
/// a line of its own (a heading), page numbers dropped.
fn to_markdown(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for (at, line) in lines.iter().enumerate() {
        let is_page_number = !line.is_empty() && line.chars().all(|character| character.is_ascii_digit());
        if line.is_empty() || is_page_number || (line.starts_with("Sida ") && line.ends_with(')')) {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous_ended = current.is_empty() || current.ends_with(['.', ':', '!', '?']);
        let next_starts = lines.get(at + 1).is_none_or(|next| next.is_empty() || next.chars().next().is_some_and(char::is_uppercase));
        let short = line.chars().count() <= 60 && !line.contains(". ") && !line.ends_with(['.', ',', ':', ';']) && !line.ends_with('-');
        if previous_ended && next_starts && short && line.chars().next().is_some_and(char::is_uppercase) {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            paragraphs.push((*line).to_owned());
            continue;
        }
        match current.strip_suffix('-') {
            // `hand-` + `lingsutrymmet`: one word; `Hässelby-` + `Vällingby` keeps its hyphen.
            Some(before) if line.chars().next().is_some_and(char::is_lowercase) => current = format!("{before}{line}"),
            Some(_) => current.push_str(line),
            None if current.is_empty() => current.push_str(line),
            None => {
                current.push(' ');
                current.push_str(line);
            }
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n") + "\n"
}

/// An organisation's file cut into its statements: a line holding only a statement's
/// title opens that statement's part; what comes before the first such line is the
/// answer of the statement the others are part of.
fn cut_into_bodies(site: &Site, organisation: &str, markdown: &str) -> Vec<(String, String)> {
    let statements: Vec<&remiss::model::Statement> = site.statements.iter().filter(|statement| statement.organisation == organisation).collect();
    let [only] = statements.as_slice() else {
        let paragraphs: Vec<&str> = markdown.split("\n\n").collect();
        let mut starts: Vec<(usize, &str)> = statements
            .iter()
            .filter(|statement| statement.part_of.is_some())
            .filter_map(|statement| paragraphs.iter().position(|paragraph| paragraph.trim() == statement.title).map(|at| (at, statement.id.as_str())))
            .collect();
        starts.sort();
        let outer = statements.iter().find(|statement| statement.part_of.is_none()).map_or("", |statement| statement.id.as_str());
        let mut bodies = vec![(outer.to_owned(), paragraphs[..starts.first().map_or(paragraphs.len(), |(at, _)| *at)].join("\n\n"))];
        for (index, (at, id)) in starts.iter().enumerate() {
            let end = starts.get(index + 1).map_or(paragraphs.len(), |(next, _)| *next);
            bodies.push(((*id).to_owned(), paragraphs[*at..end].join("\n\n")));
        }
        return bodies;
    };
    vec![(only.id.clone(), markdown.to_owned())]
}
