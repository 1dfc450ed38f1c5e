//! Writing positions into a statement's front matter, for the preview's editing.
//!
//! 1. Find the statement's file (`content/statements/<id>.md`, a regular file inside
//!    `content/`, never through a symbolic link) and read it.
//! 2. Refuse if it is not the text the editor's page was rendered from (its
//!    [`version`] differs): the editor's text editor saved meanwhile, and writing would
//!    overwrite that.
//! 3. Check the request against the text: a quote must be a contiguous passage of the
//!    statement (it is written as the statement's own characters); a proposal must
//!    exist; one position per proposal.
//! 4. Change only the `[[positions]]` entry concerned, with `toml_edit`, so that every
//!    other byte of the file (comments, order, spacing, the Markdown body) stays.
//! 5. Write atomically: a temporary file in the same folder, renamed over the old one.

mod write;

use std::path::{Path, PathBuf};

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use crate::diagnostic::SourceFile;
use crate::load::front_matter;
use crate::load::meta::Stance;
use crate::load::quote::Passages;
use crate::markdown;

/// A change to one statement's positions.
#[derive(Debug, Clone)]
pub struct Edit {
    pub statement: String,
    /// The [`version`] of the statement's text that the editor saw.
    pub version: String,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub enum Action {
    /// A new position.
    Add { proposal: String, stance: Stance, quote: String, widen: bool },
    /// The position on `replace` changed: to another proposal, another stance, or
    /// another quote (`None`: the quote stays). An editor who changes a suggestion has
    /// decided on it, so it is no longer marked suggested.
    Change { replace: String, proposal: String, stance: Stance, quote: Option<String>, widen: bool },
    /// The position on this proposal removed.
    Remove { proposal: String },
    /// A suggested position confirmed as it stands.
    Accept { proposal: String },
    /// A suggested position removed.
    Reject { proposal: String },
}

/// Why an edit was refused; the file is untouched in every case.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refusal {
    #[error("`{0}` is not a statement id (lower-case letters, digits and hyphens)")]
    BadStatementId(String),
    #[error("there is no statement `{0}` (content/statements/{0}.md)")]
    UnknownStatement(String),
    #[error("content/statements/{0}.md is not a regular file inside content/ (a symbolic link?); edit it by hand")]
    NotInContent(String),
    #[error("the file changed on disk since this page was shown (it was saved meanwhile); reload the page and try again")]
    Stale,
    #[error("there is no proposal `{0}`")]
    UnknownProposal(String),
    #[error("the quote is not a passage of the statement's text: {0}")]
    NotVerbatim(String),
    #[error("this statement already has a position on `{0}`; change that one instead")]
    AlreadyThere(String),
    #[error("this statement has no position on `{0}`")]
    NoPosition(String),
    #[error("the position on `{0}` is not a suggestion")]
    NotSuggested(String),
    #[error("the file cannot be edited here: {0}")]
    Unreadable(String),
    #[error("the file could not be written, and is unchanged: {0}")]
    Write(String),
}

impl Refusal {
    /// The HTTP status that says what kind of refusal it is.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::BadStatementId(_) => 400,
            Refusal::UnknownStatement(_) | Refusal::NoPosition(_) => 404,
            Refusal::NotInContent(_) => 403,
            Refusal::Stale | Refusal::AlreadyThere(_) => 409,
            Refusal::UnknownProposal(_) | Refusal::NotVerbatim(_) | Refusal::NotSuggested(_) | Refusal::Unreadable(_) => 422,
            Refusal::Write(_) => 500,
        }
    }
}

/// A short fingerprint of a statement file's text, as remiss reads it (see
/// [`crate::load::read_text`]): the page carries the one it was rendered from, and an
/// edit is refused when the file's differs. FNV-1a: it guards against accidents (a
/// save in between), not against an attacker, who would need the token anyway.
pub fn version(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

/// What an edit wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file, relative to the site's root.
    pub file: PathBuf,
    /// The quote as written (the statement's own characters, widened if asked).
    pub quote: Option<String>,
}

/// Applies `edit` to the statement's file under `root`. `proposal_exists` says whether
/// a proposal id is one of the site's.
pub fn apply(root: &Path, edit: &Edit, proposal_exists: impl Fn(&str) -> bool) -> Result<Written, Refusal> {
    let id = &edit.statement;
    if id.is_empty() || !id.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-') {
        return Err(Refusal::BadStatementId(id.clone()));
    }
    let relative = PathBuf::from("content/statements").join(format!("{id}.md"));
    let path = root.join(&relative);
    inside_content(root, &path, id)?;
    let raw = std::fs::read(&path).map_err(|_| Refusal::UnknownStatement(id.clone()))?;
    let raw = String::from_utf8(raw).map_err(|_| Refusal::Unreadable("it is not UTF-8 text".to_owned()))?;
    // The version is taken of the text as the build read it, which drops a byte-order
    // mark and reads lone carriage returns as line ends.
    let as_read = crate::load::read_text(&path, &relative).map_err(|problem| Refusal::Unreadable(problem.message().to_owned()))?;
    if version(&as_read.text) != edit.version {
        return Err(Refusal::Stale);
    }
    let (bom, text) = match raw.strip_prefix('\u{feff}') {
        Some(text) => ("\u{feff}", text),
        None => ("", raw.as_str()),
    };
    if text.contains('\r') && !text.contains("\r\n") {
        return Err(Refusal::Unreadable(
            "its lines end in a carriage return alone; save it with ordinary line endings first".to_owned(),
        ));
    }
    let file = SourceFile::new(&relative, text);
    let parts = front_matter::split(&file).map_err(|problem| Refusal::Unreadable(problem.message().to_owned()))?;
    let mut document: DocumentMut = text[parts.front_matter.clone()]
        .parse()
        .map_err(|error: toml_edit::TomlError| Refusal::Unreadable(format!("its front matter is not valid TOML: {}", error.message())))?;
    let passages = Passages::new(markdown::passages(&text[parts.body.clone()]));
    let locate = |quote: &str, widen: bool| {
        let found = if widen { passages.widen_to_sentences(quote) } else { passages.locate(quote) };
        found.map(|found| found.text).map_err(Refusal::NotVerbatim)
    };

    let mut written_quote = None;
    match &edit.action {
        Action::Add { proposal, stance, quote, widen } => {
            known(proposal, &proposal_exists)?;
            let quote = locate(quote, *widen)?;
            let positions = positions_mut(&mut document)?;
            if find(positions, proposal).is_some() {
                return Err(Refusal::AlreadyThere(proposal.clone()));
            }
            let mut table = Table::new();
            table.insert("proposal", value(proposal.as_str()));
            table.insert("stance", value(stance.key()));
            table.insert("quote", value(quote.as_str()));
            positions.push(table);
            written_quote = Some(quote);
        }
        Action::Change { replace, proposal, stance, quote, widen } => {
            known(proposal, &proposal_exists)?;
            let quote = quote.as_deref().map(|quote| locate(quote, *widen)).transpose()?;
            let positions = positions_mut(&mut document)?;
            let at = find(positions, replace).ok_or_else(|| Refusal::NoPosition(replace.clone()))?;
            if proposal != replace && find(positions, proposal).is_some() {
                return Err(Refusal::AlreadyThere(proposal.clone()));
            }
            let table = positions.get_mut(at).ok_or_else(|| Refusal::NoPosition(replace.clone()))?;
            set(table, "proposal", proposal);
            set(table, "stance", stance.key());
            if let Some(quote) = &quote {
                set(table, "quote", quote);
            }
            table.remove("suggested");
            table.remove("confidence");
            written_quote = quote;
        }
        Action::Remove { proposal } => {
            let positions = positions_mut(&mut document)?;
            let at = find(positions, proposal).ok_or_else(|| Refusal::NoPosition(proposal.clone()))?;
            remove(&mut document, at)?;
        }
        Action::Accept { proposal } | Action::Reject { proposal } => {
            let positions = positions_mut(&mut document)?;
            let at = find(positions, proposal).ok_or_else(|| Refusal::NoPosition(proposal.clone()))?;
            let table = positions.get_mut(at).ok_or_else(|| Refusal::NoPosition(proposal.clone()))?;
            if table.get("suggested").and_then(Item::as_bool) != Some(true) {
                return Err(Refusal::NotSuggested(proposal.clone()));
            }
            if matches!(edit.action, Action::Accept { .. }) {
                table.remove("suggested");
                table.remove("confidence");
            } else {
                remove(&mut document, at)?;
            }
        }
    }

    let mut new_text = String::with_capacity(raw.len() + 256);
    new_text.push_str(bom);
    new_text.push_str(&text[..parts.front_matter.start]);
    new_text.push_str(&document.to_string());
    new_text.push_str(&text[parts.front_matter.end..]);
    write::replace(&path, raw.as_bytes(), new_text.as_bytes()).map_err(|error| match error {
        write::NotReplaced::Changed => Refusal::Stale,
        write::NotReplaced::Io(error) => Refusal::Write(error.to_string()),
    })?;
    Ok(Written { file: relative, quote: written_quote })
}

fn known(proposal: &str, proposal_exists: impl Fn(&str) -> bool) -> Result<(), Refusal> {
    if proposal_exists(proposal) { Ok(()) } else { Err(Refusal::UnknownProposal(proposal.to_owned())) }
}

/// The statement's file must lie in the site's `content/` as a regular file: a
/// symbolic link could lead anywhere on the machine, and the preview writes nowhere
/// but `content/`.
fn inside_content(root: &Path, path: &Path, id: &str) -> Result<(), Refusal> {
    let metadata = std::fs::symlink_metadata(path).map_err(|_| Refusal::UnknownStatement(id.to_owned()))?;
    if !metadata.file_type().is_file() {
        return Err(Refusal::NotInContent(id.to_owned()));
    }
    let content = std::fs::canonicalize(root.join("content")).map_err(|_| Refusal::NotInContent(id.to_owned()))?;
    let folder = path.parent().and_then(|folder| std::fs::canonicalize(folder).ok());
    match folder {
        Some(folder) if folder.starts_with(&content) && root.join("content").symlink_metadata().is_ok_and(|m| m.is_dir()) => Ok(()),
        _ => Err(Refusal::NotInContent(id.to_owned())),
    }
}

/// The `[[positions]]` array, made if there is none.
fn positions_mut(document: &mut DocumentMut) -> Result<&mut ArrayOfTables, Refusal> {
    let item = document.entry("positions").or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
    item.as_array_of_tables_mut()
        .ok_or_else(|| Refusal::Unreadable("its positions are not written as [[positions]] tables; edit them by hand".to_owned()))
}

fn find(positions: &ArrayOfTables, proposal: &str) -> Option<usize> {
    positions.iter().position(|table| table.get("proposal").and_then(Item::as_str) == Some(proposal))
}

/// Sets a string value, keeping what surrounds the old one (a comment after it on the
/// line belongs to the editor).
fn set(table: &mut Table, key: &str, text: &str) {
    let mut new = toml_edit::Value::from(text);
    if let Some(old) = table.get(key).and_then(Item::as_value) {
        if old.as_str() == Some(text) {
            return;
        }
        *new.decor_mut() = old.decor().clone();
    }
    table.insert(key, Item::Value(new));
}

/// Removes a position; comments written above it move to the table that follows, so
/// that no comment an editor wrote is lost with it.
fn remove(document: &mut DocumentMut, at: usize) -> Result<(), Refusal> {
    let positions = positions_mut(document)?;
    let Some(removed) = positions.get(at) else { return Ok(()) };
    let comments = removed.decor().prefix().and_then(|prefix| prefix.as_str()).filter(|prefix| prefix.contains('#')).map(str::to_owned);
    let after = removed.position();
    positions.remove(at);
    let Some(comments) = comments else { return Ok(()) };
    // The next table in the file, whichever array or table it belongs to.
    let mut next: Option<&mut Table> = None;
    for (_, item) in document.as_table_mut().iter_mut() {
        let tables: Vec<&mut Table> = match item {
            Item::Table(table) => vec![table],
            Item::ArrayOfTables(array) => array.iter_mut().collect(),
            _ => Vec::new(),
        };
        for table in tables {
            if table.position() > after && next.as_ref().is_none_or(|best| table.position() < best.position()) {
                next = Some(table);
            }
        }
    }
    match next {
        Some(table) => {
            let own = table.decor().prefix().and_then(|prefix| prefix.as_str()).unwrap_or_default().to_owned();
            table.decor_mut().set_prefix(format!("{comments}{own}"));
        }
        None => {
            let trailing = document.trailing().as_str().unwrap_or_default().to_owned();
            document.set_trailing(format!("{trailing}{comments}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
