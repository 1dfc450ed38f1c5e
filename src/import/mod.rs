//! `remiss import`: from the document a body sent (PDF, DOCX, ODT, text) to a draft
//! statement the editor reviews.
//!
//! 1. The file is read into a [`Document`]: blocks of Markdown (headings, paragraphs,
//!    list items, tables) and footnotes, with the page furniture (running headers,
//!    footers, page numbers) set aside. Each format has its module: [`pdf`], [`office`]
//!    (DOCX and ODT share one walk), [`text`].
//! 2. The metadata (organisation, deciding body, dates, diarienummer, signatories, the
//!    body it answers to) is looked for in the text ([`metadata`]); each value found
//!    keeps the line it was found on, and what was not found becomes a placeholder.
//! 3. The [`Draft`] is written as `content/statements/<id>.md` with `draft = true`
//!    ([`draft`]), atomically, never outside `content/statements/`.

mod draft;
mod metadata;
mod office;
mod pdf;
mod text;

use std::path::{Path, PathBuf};

pub use draft::{Draft, Written};
pub use metadata::PLACEHOLDER;

/// Why a file could not be imported. Each message names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read this file: {source}")]
    Unreadable { path: String, source: std::io::Error },
    #[error("{path}: remiss cannot import .{extension} files; convert it to PDF, DOCX, ODT or plain text first")]
    UnknownFormat { path: String, extension: String },
    #[error(
        "{path}: this PDF has no text layer (it is a scanned image), so there is no text to import; run OCR on it first, for example `ocrmypdf {path} {stem}-ocr.pdf`, then import the result"
    )]
    NoTextLayer { path: String, stem: String },
    #[error("{path}: this PDF is protected by a password; ask the body for an unprotected copy, or save one without a password from a PDF reader, then import that")]
    Encrypted { path: String },
    #[error("{path}: this PDF cannot be read ({detail}); open it in a PDF reader and save or print it to a new PDF, then import that")]
    BrokenPdf { path: String, detail: String },
    #[error("{path}: this is not a readable {format} document ({detail}); open it in an office suite and save it again, then import that")]
    BrokenOffice { path: String, format: &'static str, detail: String },
    #[error("{path}:{line}: this file is not UTF-8 text; save it as UTF-8 (in an editor: \"Save as\", encoding UTF-8), then import it again")]
    NotUtf8 { path: String, line: usize },
    #[error("{path}: there is no text in this file to import")]
    Empty { path: String },
    #[error("{root} is not a remiss site (it has no config.toml); run remiss import in the site's folder, or give it with --root")]
    NotASite { root: String },
    #[error("`{id}` cannot be a statement's id: use lower-case letters a–z, digits and `-`, such as `malmo-asn`")]
    BadId { id: String },
    #[error("{path} already exists; import with --force to replace it, or give another id with --id")]
    Exists { path: String },
    #[error("{path} is not inside the consultation's statements/ folder (it is a symbolic link or leads out of the site); remove it or choose another id with --id")]
    Outside { path: String },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
}

/// A document as read from a file: Markdown blocks in reading order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Footnote texts, numbered from 1 in the order the body refers to them as `[^n]`.
    pub footnotes: Vec<String>,
    /// Running headers, footers and page numbers removed from the text. Kept because a
    /// header often carries the diarienummer or the body's name.
    pub furniture: Vec<String>,
    /// What the editor should look at in particular (two columns, pages without text).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading, 1 the highest found in the document (written as `##`: the page's
    /// own title is the `#`).
    Heading(u8, String),
    Paragraph(String),
    /// A list item; `Some(n)` for a numbered one.
    Item(Option<u32>, String),
    /// Rows of cells, the first the header.
    Table(Vec<Vec<String>>),
    /// Markdown kept as written (from a Markdown file).
    Raw(String),
}

impl Document {
    /// The document as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let mut previous_was_item = false;
        for block in &self.blocks {
            let is_item = matches!(block, Block::Item(..));
            if !out.is_empty() {
                out.push_str(if is_item && previous_was_item { "\n" } else { "\n\n" });
            }
            previous_was_item = is_item;
            match block {
                Block::Heading(level, text) => {
                    out.push_str(&"#".repeat(usize::from(*level).clamp(1, 4) + 1));
                    out.push(' ');
                    out.push_str(text);
                }
                Block::Paragraph(text) => out.push_str(&escape_block_start(text)),
                Block::Item(Some(number), text) => out.push_str(&format!("{number}. {text}")),
                Block::Item(None, text) => out.push_str(&format!("- {text}")),
                Block::Table(rows) => out.push_str(&table(rows)),
                Block::Raw(markdown) => out.push_str(markdown),
            }
        }
        for (index, footnote) in self.footnotes.iter().enumerate() {
            out.push_str(&format!("\n\n[^{}]: {}", index + 1, footnote));
        }
        out.push('\n');
        out
    }

    fn is_empty(&self) -> bool {
        self.blocks.iter().all(|block| match block {
            Block::Heading(_, text) | Block::Paragraph(text) | Block::Item(_, text) | Block::Raw(text) => text.trim().is_empty(),
            Block::Table(rows) => rows.iter().flatten().all(|cell| cell.trim().is_empty()),
        })
    }
}

/// A paragraph that starts like a list, a heading or a quotation would be read as one.
fn escape_block_start(text: &str) -> String {
    let starts_numbered = {
        let digits = text.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && digits < 10 && text[digits..].starts_with(['.', ')']) && text[digits + 1..].starts_with(' ')
    };
    if starts_numbered {
        let digits = text.chars().take_while(char::is_ascii_digit).count();
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    if text.starts_with(['#', '>', '+']) || text.starts_with("- ") || text.starts_with("* ") {
        return format!("\\{text}");
    }
    text.to_owned()
}

fn table(rows: &[Vec<String>]) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let line = |row: &[String]| {
        let mut cells: Vec<String> = row.iter().map(|cell| cell.replace('|', "\\|").replace('\n', " ")).collect();
        cells.resize(width, String::new());
        format!("| {} |", cells.join(" | "))
    };
    let mut out = vec![line(rows.first().map_or(&[][..], Vec::as_slice))];
    out.push(format!("|{}", " --- |".repeat(width)));
    out.extend(rows.iter().skip(1).map(|row| line(row)));
    out.join("\n")
}

/// Marks what a format gives as plain text so that Markdown keeps it as written.
pub(crate) fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '*' | '_' | '<' | '[' | ']' | '`' | '\\') {
            out.push('\\');
        }
        out.push(character);
    }
    out
}

/// Reads one file into a [`Document`], by its extension.
pub fn read(path: &Path) -> Result<Document, ImportError> {
    let shown = path.display().to_string();
    let extension = path.extension().and_then(|extension| extension.to_str()).unwrap_or("").to_lowercase();
    let bytes = std::fs::read(path).map_err(|source| ImportError::Unreadable { path: shown.clone(), source })?;
    let document = match extension.as_str() {
        "pdf" => pdf::read(&bytes, path)?,
        "docx" => office::read_docx(&bytes, &shown)?,
        "odt" => office::read_odt(&bytes, &shown)?,
        "txt" | "text" => text::read_text(&bytes, &shown)?,
        "md" | "markdown" => text::read_markdown(&bytes, &shown)?,
        _ => return Err(ImportError::UnknownFormat { path: shown, extension }),
    };
    if document.is_empty() {
        return Err(ImportError::Empty { path: shown });
    }
    Ok(document)
}

/// Reads a file and finds its metadata: the draft to write, before any positions.
/// `content` is the consultation's folder relative to `root`: `content`, or in an
/// archive `content/remisser/<slug>`.
pub fn import(root: &Path, content: &Path, path: &Path, id: Option<&str>) -> Result<Draft, ImportError> {
    if !root.join("config.toml").is_file() {
        return Err(ImportError::NotASite { root: root.display().to_string() });
    }
    let id = match id {
        Some(id) => id.to_owned(),
        None => crate::slug::slugify(&path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default()),
    };
    if !is_id(&id) {
        return Err(ImportError::BadId { id });
    }
    let document = read(path)?;
    let known = known_statements(&root.join(content));
    Ok(Draft::new(id, path, document, &known))
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.chars().all(|character| character.is_ascii_lowercase() || character.is_ascii_digit() || character == '-')
        && !id.starts_with('-')
        && !id.starts_with('_')
}

/// The consultation's statements as (id, title, organisation), read leniently: a
/// draft's `part_of` may name one of them.
fn known_statements(content: &Path) -> Vec<(String, String, String)> {
    let Ok(entries) = std::fs::read_dir(content.join("statements")) else { return Vec::new() };
    let mut known = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(id) = path.file_stem().and_then(|stem| stem.to_str()).map(str::to_owned) else { continue };
        if path.extension().is_none_or(|extension| extension != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let field = |name: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(name).map(str::trim_start).and_then(|rest| rest.strip_prefix('=')))
                .map(|value| value.trim().trim_matches(['"', '\'']).to_owned())
                .unwrap_or_default()
        };
        known.push((id, field("title"), field("organisation")));
    }
    known.sort();
    known
}

/// Where a draft of `id` is written.
pub fn draft_path(root: &Path, content: &Path, id: &str) -> PathBuf {
    let relative = content.join("statements").join(format!("{id}.md"));
    // Said as the editor would write it when the site is the current folder.
    if root == Path::new(".") { relative } else { root.join(relative) }
}
