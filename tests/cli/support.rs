//! What the tests share: a site in a temporary folder, the `remiss` command run on it,
//! the pages it built (parsed with scraper) and the problems it reported (parsed from
//! stderr).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::rc::Rc;

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;
use unicode_normalization::UnicodeNormalization;

/// The repository's own folder (where Cargo.toml, the bundled site and the fixtures are).
pub fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temporary folder, deleted when the test ends.
pub struct Site {
    // Kept for its Drop: the folder lives as long as the site and what was built in it.
    folder: Rc<TempDir>,
    root: PathBuf,
}

impl Site {
    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        copy_folder(&repository().join("tests/fixtures").join(name), &site.root);
        site
    }

    /// A copy of `tests/fixtures/basic/`: the site most tests use. Without `--drafts` it
    /// has 4 proposals in 2 areas, 3 statements (one `part_of` another) and 6 positions.
    pub fn basic() -> Site {
        Site::fixture("basic")
    }

    /// An empty folder.
    pub fn empty() -> Site {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let root = folder.path().join("site");
        std::fs::create_dir(&root).expect("the site's folder");
        Site { folder: Rc::new(folder), root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Writes a file of the site, creating its folder if needed.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("the file's folder");
        std::fs::write(&path, contents).unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
    }

    pub fn read(&self, relative: &str) -> String {
        let path = self.path(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
    }

    pub fn remove(&self, relative: &str) {
        let path = self.path(relative);
        std::fs::remove_file(&path).unwrap_or_else(|error| panic!("cannot remove {}: {error}", path.display()));
    }

    /// Replaces text that occurs exactly once in a file, so that a change to the fixture
    /// that makes the edit miss fails loudly instead of testing nothing.
    pub fn replace(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert_eq!(text.matches(from).count(), 1, "`{from}` should occur once in {relative}:\n{text}");
        self.write(relative, text.replacen(from, to, 1));
    }

    /// `remiss <args>`, run in the site's folder.
    pub fn remiss(&self, args: &[&str]) -> Command {
        let mut command = Command::cargo_bin("remiss").expect("the remiss binary");
        command.current_dir(&self.root).args(args);
        command
    }

    /// Runs `remiss build <args>`, which must succeed, and returns the output folder
    /// (`public/` unless `args` hold `--output-dir`).
    pub fn build(&self, args: &[&str]) -> Built {
        let output = self.succeed(&[&["build"], args].concat());
        let folder = args
            .iter()
            .position(|arg| *arg == "--output-dir" || *arg == "-o")
            .map_or_else(|| self.path("public"), |at| self.root.join(args[at + 1]));
        Built {
            folder,
            stdout: String::from_utf8(output.stdout).expect("UTF-8 on stdout"),
            _site: Rc::clone(&self.folder),
        }
    }

    /// Runs `remiss <args>`, which must exit with 0.
    pub fn succeed(&self, args: &[&str]) -> Output {
        let output = self.remiss(args).output().expect("remiss runs");
        assert!(
            output.status.success(),
            "remiss {} failed ({}):\n{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// Runs `remiss <args>`, which must exit with 1 (content or template errors), and
    /// returns the problems it reported.
    pub fn fail(&self, args: &[&str]) -> Report {
        let output = self.remiss(args).output().expect("remiss runs");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8 on stderr");
        assert_eq!(output.status.code(), Some(1), "remiss {} should exit with 1; stderr:\n{stderr}", args.join(" "));
        assert!(
            output.stdout.is_empty(),
            "nothing on stdout when a build fails: {:?}",
            String::from_utf8_lossy(&output.stdout)
        );
        Report::parse(&stderr)
    }
}

pub fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder to copy into");
    for entry in std::fs::read_dir(from).unwrap_or_else(|error| panic!("cannot read {}: {error}", from.display())) {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copied file");
        }
    }
}

/// Every file below a folder, as (path relative to it with `/`, bytes): to compare trees.
pub fn files_below(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in
            std::fs::read_dir(&current).unwrap_or_else(|error| panic!("cannot read {}: {error}", current.display()))
        {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(folder).expect("below the folder");
                let name = relative.iter().map(|part| part.to_string_lossy()).collect::<Vec<_>>().join("/");
                files.insert(name, std::fs::read(&path).expect("a readable file"));
            }
        }
    }
    files
}

/// A site built on disk.
pub struct Built {
    pub folder: PathBuf,
    pub stdout: String,
    /// Keeps the temporary folder alive: `Site::basic().build(&[])` is enough.
    _site: Rc<TempDir>,
}

impl Built {
    /// The page at a URL path inside the site: `""` is the home page, `forslag/x/` is
    /// `forslag/x/index.html`.
    pub fn page(&self, url_path: &str) -> Page {
        let file = if url_path.is_empty() || url_path.ends_with('/') {
            format!("{url_path}index.html")
        } else {
            url_path.to_owned()
        };
        Page::parse(&file, &self.text(&file))
    }

    pub fn text(&self, relative: &str) -> String {
        let path = self.folder.join(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
    }

    pub fn has(&self, relative: &str) -> bool {
        self.folder.join(relative).is_file()
    }

    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        files_below(&self.folder)
    }

    /// Every HTML page, parsed.
    pub fn pages(&self) -> Vec<Page> {
        self.files()
            .into_iter()
            .filter(|(path, _)| path.ends_with(".html"))
            .map(|(path, bytes)| Page::parse(&path, &String::from_utf8(bytes).expect("UTF-8 pages")))
            .collect()
    }

    pub fn json(&self, relative: &str) -> serde_json::Value {
        serde_json::from_str(&self.text(relative)).unwrap_or_else(|error| panic!("{relative} is not JSON: {error}"))
    }
}

/// One HTML page, parsed.
pub struct Page {
    /// Its file, relative to the output folder.
    pub file: String,
    pub html: Html,
}

impl Page {
    pub fn parse(file: &str, text: &str) -> Page {
        Page { file: file.to_owned(), html: Html::parse_document(text) }
    }

    pub fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        self.html.select(&selector(css)).collect()
    }

    /// The one element that matches.
    pub fn one(&self, css: &str) -> ElementRef<'_> {
        let found = self.select(css);
        assert_eq!(found.len(), 1, "{}: expected one `{css}`, found {}", self.file, found.len());
        found[0]
    }

    pub fn by_id(&self, id: &str) -> Option<ElementRef<'_>> {
        self.html.root_element().descendent_elements().find(|element| element.value().id() == Some(id))
    }

    /// Every link target on the page: `href` and `src` attributes.
    pub fn links(&self) -> Vec<String> {
        self.select("[href], [src]")
            .into_iter()
            .filter_map(|element| element.value().attr("href").or_else(|| element.value().attr("src")))
            .map(str::to_owned)
            .collect()
    }

    pub fn ids(&self) -> Vec<String> {
        self.select("[id]").into_iter().filter_map(|element| element.value().id()).map(str::to_owned).collect()
    }
}

pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|error| panic!("bad selector `{css}`: {error:?}"))
}

/// The elements below `element` that match.
pub fn select<'a>(element: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    element.select(&selector(css)).collect()
}

/// The one element below `element` that matches.
pub fn one<'a>(element: ElementRef<'a>, css: &str) -> ElementRef<'a> {
    let found = select(element, css);
    assert_eq!(found.len(), 1, "expected one `{css}` in {}, found {}", element.html(), found.len());
    found[0]
}

/// Text as remiss compares quotes: Unicode-normalised (NFC), runs of whitespace folded
/// to one space.
pub fn fold(text: &str) -> String {
    text.nfc().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An element's text, whitespace folded.
pub fn text(element: ElementRef<'_>) -> String {
    fold(&element.text().collect::<String>())
}

/// The text a screen reader reads: without `aria-hidden` parts (the stance symbols).
pub fn spoken_text(element: ElementRef<'_>) -> String {
    let mut spoken = String::new();
    for node in element.descendants() {
        let hidden = std::iter::once(node)
            .chain(node.ancestors())
            .filter_map(ElementRef::wrap)
            .take_while(|ancestor| *ancestor != element)
            .any(|ancestor| ancestor.value().attr("aria-hidden") == Some("true"));
        if let (Some(text), false) = (node.value().as_text(), hidden) {
            spoken.push_str(text);
        }
    }
    fold(&spoken)
}

pub fn has_class(element: ElementRef<'_>, class: &str) -> bool {
    element.value().classes().any(|name| name == class)
}

pub fn href(element: ElementRef<'_>) -> &str {
    element.value().attr("href").unwrap_or_else(|| panic!("no href on {}", element.html()))
}

pub fn next_element(element: ElementRef<'_>) -> Option<ElementRef<'_>> {
    element.next_siblings().find_map(ElementRef::wrap)
}

pub fn previous_element(element: ElementRef<'_>) -> Option<ElementRef<'_>> {
    element.prev_siblings().find_map(ElementRef::wrap)
}

/// The passage a deep link lands on: the block with the class `quoted` that holds the
/// element with the anchor's id (the quote's first mark), or that element itself when
/// the block is marked whole (a table, raw HTML).
pub fn quoted_passage<'a>(page: &'a Page, anchor: &str) -> ElementRef<'a> {
    let target = page.by_id(anchor).unwrap_or_else(|| panic!("{}: no element with id `{anchor}`", page.file));
    std::iter::once(target)
        .chain(target.ancestors().filter_map(ElementRef::wrap))
        .find(|element| has_class(*element, "quoted"))
        .unwrap_or_else(|| panic!("{}: `#{anchor}` is in no quoted passage: {}", page.file, target.html()))
}

/// The words a deep link's marks hold: the text of every `<mark>` of the quote, in
/// order, without their labels for screen readers, and whether each has one.
pub fn marked_words(page: &Page, anchor: &str) -> Vec<String> {
    page.select(&format!("mark[data-quote=\"{anchor}\"]"))
        .into_iter()
        .map(|mark| {
            let mut words = String::new();
            for node in mark.descendants() {
                let label = node.ancestors().filter_map(ElementRef::wrap).take_while(|element| *element != mark).any(|element| has_class(element, "visually-hidden"));
                if let (Some(text), false) = (node.value().as_text(), label) {
                    words.push_str(text);
                }
            }
            words
        })
        .collect()
}

/// Text without any whitespace: to compare words cut into runs by markup.
pub fn squeezed(text: &str) -> String {
    fold(text).chars().filter(|character| !character.is_whitespace()).collect()
}

/// The blocks of a passage: the first and the quoted blocks right after it.
pub fn passage_blocks(first: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut blocks = vec![first];
    while let Some(next) = next_element(*blocks.last().expect("a block")).filter(|next| has_class(*next, "quoted")) {
        blocks.push(next);
    }
    blocks
}

/// A block's text without the notes remiss adds to it (a list item holds its note), nor
/// the labels of its marks for screen readers.
pub fn text_without_notes(block: ElementRef<'_>) -> String {
    let mut collected = String::new();
    for node in block.descendants() {
        let in_note = node
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|element| has_class(element, "passage-note") || has_class(element, "visually-hidden"));
        if let (Some(text), false) = (node.value().as_text(), in_note) {
            collected.push_str(text);
        }
    }
    fold(&collected)
}

/// The notes after a passage: inside its last block (a list item) or right after it.
pub fn notes_after<'a>(blocks: &[ElementRef<'a>]) -> Vec<ElementRef<'a>> {
    let last = *blocks.last().expect("a block");
    let mut notes = select(last, ".passage-note");
    let mut next = next_element(last);
    while let Some(note) = next.filter(|element| has_class(*element, "passage-note")) {
        notes.push(note);
        next = next_element(note);
    }
    notes
}

/// One problem as printed on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `path:line:column: message` (or `path: message` for a problem with a whole file).
    pub headline: String,
    pub help: Option<String>,
    /// The lines of the source excerpt under the headline, as printed.
    pub excerpt: Vec<String>,
}

/// What a failed run printed on stderr.
#[derive(Debug)]
pub struct Report {
    pub problems: Vec<Problem>,
    /// The last line: `error: found N problems; …` (or `warning: N warnings; …`).
    pub summary: String,
    pub stderr: String,
}

impl Report {
    /// Parses miette's report, printed without colours when stderr is not a terminal:
    ///
    /// ```text
    ///   × content/x.md:3:1: unknown field `wieght`, expected one of …
    ///   │ …the headline, continued when it is longer than a line
    ///    ╭─[content/x.md:3:1]
    ///  3 │ wieght = 2
    ///    ╰────
    ///   help: did you mean `weight`?
    ///         …the help, continued
    /// ```
    pub fn parse(stderr: &str) -> Report {
        #[derive(PartialEq)]
        enum In {
            Headline,
            Excerpt,
            Help,
        }
        let mut problems: Vec<Problem> = Vec::new();
        let mut summary = String::new();
        let mut state = In::Excerpt;
        for line in stderr.lines() {
            // A warning (`⚠`) is parsed as a problem: its headline says `warning:`.
            if let Some(headline) = line.strip_prefix("  × ").or_else(|| line.strip_prefix("  ⚠ ")) {
                problems.push(Problem { headline: headline.to_owned(), help: None, excerpt: Vec::new() });
                state = In::Headline;
            } else if line.starts_with("error: ") || line.starts_with("warning: ") {
                summary = line.to_owned();
            } else if let Some(problem) = problems.last_mut() {
                if let (In::Headline, Some(more)) = (&state, line.strip_prefix("  │ ")) {
                    problem.headline.push(' ');
                    problem.headline.push_str(more.trim());
                } else if let Some(help) = line.strip_prefix("  help: ") {
                    problem.help = Some(help.to_owned());
                    state = In::Help;
                } else if let (In::Help, Some(more)) = (&state, line.strip_prefix("        ")) {
                    let help = problem.help.as_mut().expect("a help line");
                    help.push(' ');
                    help.push_str(more.trim());
                } else if !line.trim().is_empty() {
                    problem.excerpt.push(line.to_owned());
                    state = In::Excerpt;
                }
            }
        }
        Report { problems, summary, stderr: stderr.to_owned() }
    }

    pub fn headlines(&self) -> Vec<&str> {
        self.problems.iter().map(|problem| problem.headline.as_str()).collect()
    }

    /// The only problem reported.
    pub fn problem(&self) -> &Problem {
        assert_eq!(self.problems.len(), 1, "expected one problem:\n{}", self.stderr);
        assert!(self.summary.starts_with("error: found 1 problem;"), "{}", self.summary);
        &self.problems[0]
    }
}

/// What `tests/fixtures/basic/` holds, so that tests can say what they expect without
/// repeating the fixture. Drafts (`vite-i-skollagen`, `orebro-ks`) are not listed.
pub mod basic {
    /// `content/statements/umea-ks.md` written out in full, for tests that break it:
    /// line 7 is the position's `proposal`, line 8 its `stance`, line 9 its `quote`.
    pub const UMEA: &str = "+++
title = \"Kommunstyrelsen\"
organisation = \"Umeå kommun\"
reference = \"KS-2024/789\"

[[positions]]
proposal = \"larande-tillsyn\"
stance = \"opposes\"
quote = 'Kommunen avstyrker förslaget.'
+++
Kommunen avstyrker förslaget. Tillsyn och lärande är olika uppdrag. Kommunen tillstyrker däremot rekommendationen.
";
    /// HTML pages built from the fixture: per proposal, statement, update, free page,
    /// area (its overview and its dossier) and organisation one each, plus the site's
    /// own (home, indexes, overview, dossier, search, five stance pages, 404).
    pub const HTML_PAGES: usize = 28;
    /// With `--drafts`: a proposal, a statement and its organisation more.
    pub const HTML_PAGES_WITH_DRAFTS: usize = 31;
    /// A proposal: id, title, kind, area, in reading order.
    pub struct Proposal {
        pub id: &'static str,
        pub title: &'static str,
        pub kind: &'static str,
        pub area: &'static str,
    }

    pub const PROPOSALS: [Proposal; 4] = [
        Proposal {
            id: "generella-statsbidrag",
            title: "Generella statsbidrag som huvudprincip",
            kind: "forslag",
            area: "styrning",
        },
        Proposal {
            id: "tillitsbaserad-ledning",
            title: "Tillitsbaserad ledning i kommunerna",
            kind: "rekommendation",
            area: "styrning",
        },
        Proposal {
            id: "larande-tillsyn", title: "Tillsynen ska bidra till lärande", kind: "forslag", area: "tillsyn"
        },
        Proposal {
            id: "samordnad-tillsyn",
            title: "Samordnad tillsyn av äldreomsorgen",
            kind: "forslag",
            area: "tillsyn",
        },
    ];

    /// The statements' ids, in the order remiss shows them: by organisation, each
    /// statement followed by the statements submitted inside it.
    pub const BODIES: [&str; 3] = ["goteborg-ks", "goteborg-socialnamnden", "umea-ks"];

    pub struct Position {
        pub proposal: &'static str,
        pub body: &'static str,
        pub stance: &'static str,
        pub quote: &'static str,
    }

    impl Position {
        /// The stance as the Swedish UI names it.
        pub fn label(&self) -> &'static str {
            stance_label(self.stance)
        }

        /// The root-relative deep link to the quoted passage.
        pub fn deep_link(&self) -> String {
            format!("/remissvar/{}/#svar-{}", self.body, self.proposal)
        }
    }

    pub fn stance_label(stance: &str) -> &'static str {
        match stance {
            "supports" => "Tillstyrker",
            "partly" => "Tillstyrker delvis",
            "no-objection" => "Inga invändningar",
            "doubtful" => "Tveksam",
            "opposes" => "Avstyrker",
            other => panic!("unknown stance {other}"),
        }
    }

    /// In the order of the data files: by statement, then as the statement lists them.
    pub const POSITIONS: [Position; 6] = [
        Position {
            proposal: "generella-statsbidrag",
            body: "goteborg-ks",
            stance: "supports",
            quote: "Kommunstyrelsen tillstyrker förslaget om generella statsbidrag.",
        },
        // Runs across two paragraphs.
        Position {
            proposal: "tillitsbaserad-ledning",
            body: "goteborg-ks",
            stance: "partly",
            quote: "Det kräver dock resurser. Kommunstyrelsen tillstyrker därför rekommendationen delvis.",
        },
        // These two quote the same paragraph.
        Position {
            proposal: "generella-statsbidrag",
            body: "goteborg-socialnamnden",
            stance: "doubtful",
            quote: "Nämnden är tveksam till generella statsbidrag",
        },
        Position {
            proposal: "larande-tillsyn",
            body: "goteborg-socialnamnden",
            stance: "supports",
            quote: "välkomnar en lärande tillsyn",
        },
        // A comma and double quotes, for the CSV.
        Position {
            proposal: "larande-tillsyn",
            body: "umea-ks",
            stance: "opposes",
            quote: "Umeå kommun avstyrker förslaget, eftersom \"lärande\" och \"granskning\" är olika uppdrag.",
        },
        // In a list item.
        Position {
            proposal: "tillitsbaserad-ledning",
            body: "umea-ks",
            stance: "no-objection",
            quote: "Kommunen har inga invändningar mot rekommendationen om tillitsbaserad ledning.",
        },
    ];

    pub fn position(proposal: &str, body: &str) -> Option<&'static Position> {
        POSITIONS.iter().find(|position| position.proposal == proposal && position.body == body)
    }

    pub fn proposal_title(id: &str) -> &'static str {
        PROPOSALS.iter().find(|proposal| proposal.id == id).map(|proposal| proposal.title).expect("a fixture proposal")
    }
}

/// The port `remiss serve` says it serves on (`Serving … at http://127.0.0.1:PORT/`).
/// Tests start it on port 0, so that no two servers can race for one free port.
pub fn served_port(stdout: &str) -> Option<u16> {
    let line = stdout.lines().find(|line| line.starts_with("Serving "))?;
    let address = line.rsplit_once(" at http://")?.1;
    address.split_once(':')?.1.split('/').next()?.parse().ok()
}

/// Serves a built site's folder over HTTP on a free loopback port, for as long as the
/// test runs, as a static host would (a folder's URL is its index.html). Tools read the
/// pages from there, not from `file:` URLs: a page's Content-Security-Policy allows its
/// own site (`'self'`), which a `file:` page does not have.
pub fn serve_folder(folder: &Path) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    let folder = folder.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let folder = folder.clone();
            std::thread::spawn(move || answer(stream, &folder));
        }
    });
    port
}

fn answer(mut stream: TcpStream, folder: &Path) {
    let mut reader = BufReader::new(stream.try_clone().expect("the connection"));
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // The headers say nothing this server needs.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|read| read > 2) {
        header.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap_or("/");
    let mut file = folder.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let kind = match file.extension().and_then(|extension| extension.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    };
    let _ = match std::fs::read(&file) {
        Ok(bytes) => write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", bytes.len())
            .and_then(|()| stream.write_all(&bytes)),
        Err(_) => write!(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    };
}

