//! Loading: each file of a site read and parsed on its own, nothing checked across files.
//!
//! 1. Walk `content/` and sort each Markdown file into its kind by where it lies.
//! 2. Split each file's `+++` front matter from its body and parse the front matter.
//! 3. In a statement, find each position's quote among the passages of its text (this
//!    depends on the file alone, so it is done once per file, not once per build).
//! 4. Read the theme and the site's overrides (templates, static files, UI strings).
//!
//! Every problem is collected, not just the first: the editor sees them all at once.
//! [`content_files`] finds the files and [`load_file`] loads one, so that a rebuild
//! can reload only what changed; [`Sources::assemble`] puts loaded files together.

pub mod front_matter;
pub mod meta;
mod placeholder;
pub mod quote;
mod theme;

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::markdown;
use meta::{AreaMeta, ConsultationMeta, PageMeta, ProposalMeta, StatementMeta, UpdateMeta};
pub use theme::{StaticFile, Template, Theme};

/// The id of `content/_index.md`, the consultation's own page.
pub const CONSULTATION_ID: &str = "index";

/// One content file: its id, its parsed front matter and its Markdown body.
#[derive(Debug, Clone)]
pub struct Document<M> {
    pub id: String,
    pub file: SourceFile,
    pub meta: M,
    /// Problems with this file that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    body: Range<usize>,
    front_matter_start: usize,
}

impl<M> Document<M> {
    pub fn body(&self) -> &str {
        &self.file.text[self.body.clone()]
    }

    /// The body, shared with the file rather than copied.
    pub fn body_text(&self) -> Text {
        Text { file: self.file.text.clone(), range: self.body.clone() }
    }

    /// A span reported by TOML (relative to the front matter) as a span of the file.
    pub fn span_in_file(&self, span: Range<usize>) -> Range<usize> {
        self.front_matter_start + span.start..self.front_matter_start + span.end
    }
}

/// A part of a file's text, shared: the model keeps documents' bodies without copying
/// them (a rebuild resolves the whole model again, so copies would add up).
#[derive(Clone)]
pub struct Text {
    file: Arc<str>,
    range: Range<usize>,
}

impl Text {
    /// The whole file this text is part of, as it was read (the preview's editing
    /// compares it with the file on disk before writing).
    pub fn whole_file(&self) -> &str {
        &self.file
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.file[self.range.clone()]
    }
}

/// Texts are equal when they read the same. A text of a file not read again since is
/// the very same part of the very same buffer: that is told without reading it.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        (Arc::ptr_eq(&self.file, &other.file) && self.range == other.range) || **self == **other
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// A proposal and the area folder it lies in.
#[derive(Debug, Clone)]
pub struct ProposalDocument {
    pub area: String,
    pub document: Document<ProposalMeta>,
}

/// A statement, with each position's quote located in its text.
#[derive(Debug, Clone)]
pub struct StatementDocument {
    pub document: Document<StatementMeta>,
    /// One entry per position, in order: the passages holding its quote, or why it is
    /// not found.
    pub quotes: Vec<Result<quote::Found, String>>,
    /// The same for each position on an area.
    pub area_quotes: Vec<Result<quote::Found, String>>,
}

/// One loaded content file, of whichever kind.
#[derive(Debug, Clone)]
pub enum Entry {
    Consultation(Arc<Document<ConsultationMeta>>),
    Area(Arc<Document<AreaMeta>>),
    Proposal(Arc<ProposalDocument>),
    Statement(Arc<StatementDocument>),
    Update(Arc<Document<UpdateMeta>>),
    Page(Arc<Document<PageMeta>>),
}

impl Entry {
    /// The file's problems that do not stop the build.
    pub fn warnings(&self) -> &[Diagnostic] {
        match self {
            Entry::Consultation(document) => &document.warnings,
            Entry::Area(document) => &document.warnings,
            Entry::Proposal(proposal) => &proposal.document.warnings,
            Entry::Statement(statement) => &statement.document.warnings,
            Entry::Update(document) => &document.warnings,
            Entry::Page(document) => &document.warnings,
        }
    }
}

/// A content file that could not be loaded: its problem, and the id it would have had
/// (so that references to it are not reported again as unknown).
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub id: Option<String>,
    pub problems: Vec<Diagnostic>,
}

/// Everything a site is made of, as read from disk.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    pub consultation: Option<Arc<Document<ConsultationMeta>>>,
    pub areas: Vec<Arc<Document<AreaMeta>>>,
    pub proposals: Vec<Arc<ProposalDocument>>,
    pub statements: Vec<Arc<StatementDocument>>,
    pub updates: Vec<Arc<Document<UpdateMeta>>>,
    pub pages: Vec<Arc<Document<PageMeta>>>,
    pub theme: Arc<Theme>,
    /// Ids of content files that could not be read or parsed (already reported).
    pub unreadable: HashSet<String>,
}

impl Sources {
    /// Assembles sources from loaded files (in path order, for reproducible builds).
    pub fn assemble<'a>(
        loaded: impl IntoIterator<Item = &'a Result<Entry, Unreadable>>,
        theme: Arc<Theme>,
    ) -> (Sources, Vec<Diagnostic>) {
        let mut sources = Sources { theme, ..Sources::default() };
        let mut problems = Vec::new();
        for entry in loaded {
            if let Ok(entry) = entry {
                problems.extend_from_slice(entry.warnings());
            }
            match entry.clone() {
                Ok(Entry::Consultation(document)) => sources.consultation = Some(document),
                Ok(Entry::Area(document)) => sources.areas.push(document),
                Ok(Entry::Proposal(document)) => sources.proposals.push(document),
                Ok(Entry::Statement(document)) => sources.statements.push(document),
                Ok(Entry::Update(document)) => sources.updates.push(document),
                Ok(Entry::Page(document)) => sources.pages.push(document),
                Err(unreadable) => {
                    sources.unreadable.extend(unreadable.id);
                    problems.extend(unreadable.problems);
                }
            }
        }
        (sources, problems)
    }
}

/// Reads the theme (templates, static files, UI strings) with the site's overrides.
pub fn load_theme(config: &Config) -> (Theme, Vec<Diagnostic>) {
    theme::load(config)
}

/// The Markdown files below `content/`, relative to the root and sorted, and problems
/// with anything else found there (content/ holds only what remiss reads).
pub fn content_files(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    content_files_in(root, Path::new("content"))
}

/// The Markdown files below `content` (a consultation's folder relative to the root:
/// `content`, or `content/remisser/<slug>` in an archive), as [`content_files`] does.
pub fn content_files_in(root: &Path, content: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut pending = vec![content.to_path_buf()];
    // The files below a link out of the site could be anything on the machine.
    if root.join(content).is_symlink() && !leads_inside(root, &root.join(content)) {
        problems.push(leads_out(root, content));
        pending.clear();
    }
    while let Some(folder) = pending.pop() {
        let entries = match std::fs::read_dir(root.join(&folder)) {
            Ok(entries) => entries,
            Err(error) => {
                problems.push(Diagnostic::in_file(&folder, format!("cannot read this folder: {error}"))
                    .with_help("a site keeps its Markdown in content/; check that it exists and can be read"));
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.ends_with('~') {
                continue; // editors' swap and backup files
            }
            let relative = folder.join(&name);
            let Ok(file_type) = entry.file_type() else { continue };
            if file_type.is_symlink() && entry.path().is_dir() {
                problems.push(Diagnostic::in_file(&relative, "content folders may not be symbolic links")
                    .with_help("copy the folder into content/ instead"));
            } else if file_type.is_dir() {
                pending.push(relative);
            } else if name.ends_with(".md") {
                found.push(relative);
            } else {
                problems.push(Diagnostic::in_file(&relative, "content/ holds only Markdown (.md) files")
                    .with_help("put images and documents in static/; they are copied to the site as they are"));
            }
        }
    }
    found.sort();
    (found, problems)
}

/// Loads one content file, given by its path relative to the site's root.
pub fn load_file(root: &Path, relative: &Path) -> Result<Entry, Unreadable> {
    load_file_in(root, Path::new("content"), relative)
}

/// Loads one content file of the consultation in the folder `content` (relative to the
/// root): its kind comes from where it lies below that folder.
pub fn load_file_in(root: &Path, content: &Path, relative: &Path) -> Result<Entry, Unreadable> {
    let parts: Vec<String> = relative.iter().skip(content.iter().count()).map(|part| part.to_string_lossy().into_owned()).collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let unreadable = |id: Option<&str>, problem: Diagnostic| Unreadable { id: id.map(str::to_owned), problems: vec![problem] };
    match parts.as_slice() {
        ["_index.md"] => Ok(Entry::Consultation(Arc::new(parse(root, relative, CONSULTATION_ID)?))),
        ["proposals" | "statements" | "updates", "_index.md"] => Err(unreadable(None,
            Diagnostic::in_file(relative, "this section's index page is generated by remiss")
                .with_help("remove this file; the section's title comes from the theme's UI strings"),
        )),
        ["proposals", area, "_index.md"] => Ok(Entry::Area(Arc::new(parse(root, relative, area)?))),
        ["proposals", area, file] => {
            let document = parse(root, relative, stem(file))?;
            Ok(Entry::Proposal(Arc::new(ProposalDocument { area: (*area).to_owned(), document })))
        }
        ["proposals", file] => Err(unreadable(Some(stem(file)),
            Diagnostic::in_file(relative, "a proposal must lie in an area's folder")
                .with_help("move it to content/proposals/<area>/, next to that area's _index.md"),
        )),
        ["statements", file] => {
            let mut document: Document<StatementMeta> = parse(root, relative, stem(file))?;
            let front_matter = front_matter::split(&document.file).map(|parts| parts.front_matter).unwrap_or(0..0);
            let placeholders = placeholder::check(&document.file, front_matter, document.meta.draft);
            if !document.meta.draft && !placeholders.is_empty() {
                return Err(Unreadable { id: Some(document.id.clone()), problems: placeholders });
            }
            document.warnings.extend(placeholders);
            Ok(Entry::Statement(Arc::new(locate_quotes(document))))
        }
        ["updates", file] => Ok(Entry::Update(Arc::new(parse(root, relative, stem(file))?))),
        [file] => Ok(Entry::Page(Arc::new(parse(root, relative, stem(file))?))),
        _ => Err(unreadable(None,
            Diagnostic::in_file(relative, "remiss does not know what this file is, from where it lies")
                .with_help("content/ holds _index.md, proposals/<area>/*.md, statements/*.md, updates/*.md and free pages as content/*.md"),
        )),
    }
}

/// Reads and parses one content file as a document with front matter `M`.
fn parse<M: DeserializeOwned>(root: &Path, relative: &Path, id: &str) -> Result<Document<M>, Unreadable> {
    let unreadable = |problem| Unreadable { id: Some(id.to_owned()), problems: vec![problem] };
    let path = root.join(relative);
    if path.is_symlink() && !leads_inside(root, &path) {
        return Err(unreadable(leads_out(root, relative)));
    }
    if path.exists() && !path.is_file() {
        // Reading a pipe or a device would block the build, waiting for a writer.
        return Err(unreadable(Diagnostic::in_file(relative, "this is not a regular file")
            .with_help("content/ holds Markdown files; remove this entry (a pipe, socket or device)")));
    }
    let file = read_text(&path, relative).map_err(unreadable)?;
    if id != CONSULTATION_ID {
        check_id(&file, id).map_err(unreadable)?;
    }
    parse_document(file, id).map_err(|problems| Unreadable { id: Some(id.to_owned()), problems })
}

fn locate_quotes(mut document: Document<StatementMeta>) -> StatementDocument {
    let passages = quote::Passages::new(markdown::passages(document.body()));
    let quotes = document.meta.positions.iter().map(|position| passages.locate(position.get_ref().quote.get_ref())).collect();
    let area_quotes =
        document.meta.area_positions.iter().map(|position| passages.locate(position.get_ref().quote.get_ref())).collect();
    let meta = &document.meta;
    let short: Vec<Diagnostic> = meta
        .positions
        .iter()
        .map(|position| &position.get_ref().quote)
        .chain(meta.area_positions.iter().map(|position| &position.get_ref().quote))
        .filter(|quote| quote::is_short(quote.get_ref()))
        .map(|quote| {
            Diagnostic::at(&document.file, document.span_in_file(quote.span()), "this quote is very short")
                .with_help(format!(
                    "a reader sees the quote as the body's words on the proposal; quote at least {} words, a whole clause where you can",
                    quote::SHORT_WORDS
                ))
                .as_warning()
        })
        .collect();
    document.warnings.extend(short);
    StatementDocument { document, quotes, area_quotes }
}

/// Whether a symbolic link leads to a file inside the site (its target could be any
/// file of the machine, which must never be published).
pub fn leads_inside(root: &Path, link: &Path) -> bool {
    let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    std::fs::canonicalize(link).is_ok_and(|target| target.starts_with(&site))
}

/// The problem with a symbolic link that does not lead inside the site.
pub fn leads_out(root: &Path, relative: &Path) -> Diagnostic {
    if std::fs::canonicalize(root.join(relative)).is_err() {
        return Diagnostic::in_file(relative, "this symbolic link leads nowhere (its target is missing, or links go round in a circle)")
            .with_help("point the link at a file of the site, or replace it with the file");
    }
    Diagnostic::in_file(relative, "this symbolic link leads out of the site")
        .with_help("copy it into the site instead of linking to it")
}

fn stem(file_name: &str) -> &str {
    file_name.strip_suffix(".md").unwrap_or(file_name)
}

/// Reads a file as UTF-8 text, without a byte-order mark.
pub fn read_text(path: &Path, relative: &Path) -> Result<SourceFile, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|error| {
        Diagnostic::in_file(relative, format!("cannot read this file: {error}"))
            .with_help("check that it is a file you may read (its permissions), not a link to nowhere")
    })?;
    let text = String::from_utf8(bytes).map_err(|error| {
        // The bytes before the first invalid one are valid UTF-8: count characters there.
        let valid = std::str::from_utf8(&error.as_bytes()[..error.utf8_error().valid_up_to()]).unwrap_or_default();
        let (line, column) = crate::diagnostic::SourceFile::new(relative, valid).line_column(valid.len());
        Diagnostic::at_line(relative, line, column, "this file is not valid UTF-8 text")
            .with_help("save the file as UTF-8 (most editors offer it under \"Save with encoding\")")
    })?;
    let text = text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text);
    let text = with_line_feeds(text);
    if let Some(offset) = text.find('\0') {
        let file = SourceFile::new(relative, text);
        return Err(Diagnostic::at(&file, offset..offset + 1, "this file contains a NUL character")
            .with_help("a content file is text; remove the NUL byte (it often comes from a copy out of a PDF or a word processor)"));
    }
    Ok(SourceFile::new(relative, text))
}

/// A file saved with a carriage return alone at each line's end (old Mac OS, some
/// exports) read as lines: neither TOML nor Markdown knows such line endings, and the
/// editor's program shows them as lines, so problems are reported on those lines.
fn with_line_feeds(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut lines = String::with_capacity(text.len());
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '\r' if characters.peek() != Some(&'\n') => lines.push('\n'),
            character => lines.push(character),
        }
    }
    lines
}

/// Ids become URLs: keep them to lower-case ASCII letters, digits and hyphens.
fn check_id(file: &SourceFile, id: &str) -> Result<(), Diagnostic> {
    let valid = !id.is_empty()
        && id.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        && !id.starts_with('-');
    if valid {
        return Ok(());
    }
    let suggested = crate::slug::slugify(id);
    Err(Diagnostic::in_file(&file.path, format!("`{id}` cannot be an id: it becomes part of a URL"))
        .with_help(format!("rename the file or folder to `{suggested}` (lower-case letters a–z, digits and hyphens)")))
}

/// Parses the front matter and checks the text, reporting the problems of both.
fn parse_document<M: DeserializeOwned>(file: SourceFile, id: &str) -> Result<Document<M>, Vec<Diagnostic>> {
    let parts = front_matter::split(&file).map_err(|problem| vec![problem])?;
    let meta = front_matter::parse_toml_reporting_all(&file, parts.front_matter.clone());
    let (warnings, problems): (Vec<Diagnostic>, Vec<Diagnostic>) =
        markdown::check(&file, parts.body.clone()).into_iter().partition(Diagnostic::is_warning);
    let meta = match meta {
        Ok(meta) if problems.is_empty() => meta,
        Ok(_) => return Err(problems),
        Err(mut front_matter) => {
            front_matter.extend(problems);
            return Err(front_matter);
        }
    };
    Ok(Document { id: id.to_owned(), meta, warnings, body: parts.body, front_matter_start: parts.front_matter.start, file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        std::fs::write(&path, [b"+++\ntitle = \"V\xc3\xa5r ".as_slice(), b"\xff\"\n+++\n"].concat()).unwrap();
        let error = read_text(&path, Path::new("content/x.md")).unwrap_err();
        assert_eq!(error.to_string(), "content/x.md:2:14: this file is not valid UTF-8 text");
    }

    #[test]
    fn carriage_returns_alone_end_lines() {
        // Issue 11 §5: a file with CR-only line endings was "missing front matter" on line 0.
        assert_eq!(with_line_feeds("+++\rtitle = \"A\"\r+++\rText\r\n".to_owned()), "+++\ntitle = \"A\"\n+++\nText\r\n");
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        std::fs::write(&path, "\u{feff}+++\n").unwrap();
        assert_eq!(&*read_text(&path, Path::new("x.md")).unwrap().text, "+++\n");
    }

    #[test]
    fn ids_must_be_url_safe() {
        let file = SourceFile::new("content/statements/Malmö.md", "");
        let error = check_id(&file, "Malmö").unwrap_err();
        assert_eq!(error.help_text(), Some("rename the file or folder to `malmo` (lower-case letters a–z, digits and hyphens)"));
        assert!(check_id(&file, "malmo-asn").is_ok());
    }
}
