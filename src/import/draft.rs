//! The draft statement: TOML front matter with `draft = true`, each value found marked
//! with the line it came from, a `FYLL I` placeholder for each value not found, then the
//! imported Markdown. Written atomically, and only into `content/statements/`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::metadata::{self, Found, Metadata, Origin, PLACEHOLDER};
use crate::suggest::Suggestion;
use super::{Document, ImportError, draft_path};

/// A statement ready to be written as a draft.
#[derive(Debug, Clone)]
pub struct Draft {
    pub id: String,
    /// The imported file's name, for the draft's first comment.
    pub source: String,
    pub metadata: Metadata,
    /// The statement this one is part of, when the body it answers to has one.
    pub part_of: Option<String>,
    /// The Markdown body.
    pub body: String,
    /// Lines of page furniture removed from the text.
    pub furniture: usize,
    /// What the editor should look at in particular.
    pub notes: Vec<String>,
    /// The positions [`crate::suggest`] read in the text, written with
    /// `suggested = true` for the editor to review; empty where none were looked for.
    pub positions: Vec<Suggestion>,
}

/// A draft written to disk, and what the editor must check in it.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    pub checks: Vec<String>,
}

impl Draft {
    /// `known`: the site's statements as (id, title, organisation).
    pub fn new(id: String, path: &Path, document: Document, known: &[(String, String, String)]) -> Draft {
        let body = document.markdown();
        let metadata = metadata::find(&body, &document.furniture);
        let organisation = metadata.organisation.as_ref().map(|found| found.value.to_lowercase());
        let part_of = metadata.answers_to.as_ref().and_then(|answers_to| {
            let wanted = answers_to.value.to_lowercase();
            let matching: Vec<&(String, String, String)> = known
                .iter()
                .filter(|(known_id, title, known_organisation)| {
                    *known_id != id && title.to_lowercase() == wanted && organisation.as_ref().is_some_and(|organisation| *organisation == known_organisation.to_lowercase())
                })
                .collect();
            // Two statements of that name (two cities' Kommunstyrelsen): the editor chooses.
            (matching.len() == 1).then(|| matching[0].0.clone())
        });
        let source = path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned());
        Draft { id, source, metadata, part_of, body, furniture: document.furniture.len(), notes: document.notes, positions: Vec::new() }
    }

    /// The whole file: front matter and body.
    pub fn text(&self) -> String {
        // The comments name lines of this file; the front matter's length does not
        // depend on the numbers in it, so one dry run tells where the body starts.
        let dry = self.front_matter(0);
        let body_start = dry.lines().count() + 3;
        format!("+++\n{}+++\n{}", self.front_matter(body_start), self.body)
    }

    /// What was not found, and what the editor should look at.
    pub fn checks(&self) -> Vec<String> {
        let metadata = &self.metadata;
        let mut checks = Vec::new();
        let missing = [
            (metadata.title.is_none(), "the deciding body (title)"),
            (metadata.organisation.is_none(), "the organisation"),
            (metadata.reference.is_none(), "the diarienummer (reference)"),
            (metadata.date.is_none(), "the decision date (date)"),
            (metadata.signed_by.is_empty(), "the signatories (signed_by)"),
        ];
        let missing: Vec<&str> = missing.iter().filter(|(is_missing, _)| *is_missing).map(|(_, what)| *what).collect();
        if !missing.is_empty() {
            checks.push(format!("not found, marked \"{PLACEHOLDER}\": {}", missing.join(", ")));
        }
        checks.push("confirm each value marked \"found on line\" against the document".to_owned());
        if let (Some(answers_to), None) = (&metadata.answers_to, &self.part_of) {
            checks.push(format!("it answers to {}: if that body's statement is on the site, set part_of to its id", answers_to.value));
        }
        if self.furniture > 0 {
            checks.push(format!("{} lines of running headers, footers and page numbers were left out: check that no text went with them", self.furniture));
        }
        checks.extend(self.notes.iter().cloned());
        checks.push("compare headings, lists and paragraphs with the original".to_owned());
        checks.push(match self.positions.len() {
            0 => "no positions were suggested: record them in the preview (select a passage on the statement's page)".to_owned(),
            count => format!("review the {count} suggested positions in the preview's review list (/_remiss/granska/): accept, change or reject each"),
        });
        checks
    }

    fn front_matter(&self, body_start: usize) -> String {
        let metadata = &self.metadata;
        let mut out = String::new();
        out.push_str(&format!("# Imported from {} by `remiss import`. Confirm every value, fill in what was not found,\n", one_line(&self.source)));
        out.push_str("# and delete these comments; `draft = true` keeps it off the public site until then.\n");
        let where_found = |origin: &Origin| match origin {
            Origin::Body(line, text) => format!("found on line {}: \"{}\"", body_start + line, excerpt(text)),
            Origin::Furniture(text) => format!("found in a page header or footer: \"{}\"", excerpt(text)),
        };
        let text_field = |out: &mut String, name: &str, found: &Option<Found<String>>, missing: &str| match found {
            Some(found) => out.push_str(&format!("{name} = {}  # {}\n", quoted(&found.value), where_found(&found.origin))),
            None => out.push_str(&format!("{name} = {}  # not found\n", quoted(&format!("{PLACEHOLDER}: {missing}")))),
        };
        text_field(&mut out, "title", &metadata.title, "nämnd eller styrelse som beslutat");
        text_field(&mut out, "organisation", &metadata.organisation, "organisation (kommun, region, myndighet)");
        match &metadata.date {
            Some(found) => out.push_str(&format!("date = {}  # {}\n", found.value, where_found(&found.origin))),
            None => out.push_str(&format!("# date = 2018-10-31  # {PLACEHOLDER}: beslutsdatum, utan citattecken (not found; delete this line if the document has none)\n")),
        }
        text_field(&mut out, "reference", &metadata.reference, "diarienummer");
        match &metadata.prepared {
            Some(found) => out.push_str(&format!("prepared = {}  # {}\n", found.value, where_found(&found.origin))),
            None => out.push_str(&format!("# prepared = 2018-10-01  # {PLACEHOLDER}: datum för förvaltningens tjänsteutlåtande (not found; delete this line if there is none)\n")),
        }
        if let Some(found) = &metadata.minutes {
            out.push_str(&format!("minutes = {}  # {}\n", quoted(&found.value), where_found(&found.origin)));
        }
        if metadata.signed_by.is_empty() {
            out.push_str(&format!("signed_by = [{}]  # not found\n", quoted(&format!("{PLACEHOLDER}: namn, roll"))));
        } else {
            let names: Vec<String> = metadata.signed_by.iter().map(|found| quoted(&found.value)).collect();
            let lines: Vec<String> = metadata
                .signed_by
                .iter()
                .map(|found| match &found.origin {
                    Origin::Body(line, _) => (body_start + line).to_string(),
                    Origin::Furniture(_) => "a page header".to_owned(),
                })
                .collect();
            let mut lines = lines;
            lines.dedup();
            let noun = if lines.len() == 1 { "line" } else { "lines" };
            out.push_str(&format!("signed_by = [{}]  # found on {noun} {}\n", names.join(", "), lines.join(", ")));
        }
        match (&self.part_of, &metadata.answers_to) {
            (Some(id), Some(found)) => out.push_str(&format!("part_of = {}  # {}\n", quoted(id), where_found(&found.origin))),
            (None, Some(found)) => out.push_str(&format!(
                "# part_of = \"…\"  # it answers to {} ({}); no statement of that body is on the site: write its id here when there is\n",
                one_line(&found.value),
                where_found(&found.origin)
            )),
            _ => {}
        }
        out.push_str("draft = true\n");
        out.push_str(&crate::suggest::to_toml(&self.positions));
        out
    }

    /// Writes the draft as `<content>/statements/<id>.md` below `root` (`content` is
    /// the consultation's folder, as for [`super::import`]): into a temporary file
    /// beside it, then renamed into place, so that `serve` never reads half a file.
    /// An existing file is replaced only with `force`, and never through a link.
    pub fn write(&self, root: &Path, content: &Path, force: bool) -> Result<Written, ImportError> {
        let path = draft_path(root, content, &self.id);
        let shown = path.display().to_string();
        let folder = root.join(content).join("statements");
        let failed = |source: std::io::Error| ImportError::Write { path: shown.clone(), source };
        std::fs::create_dir_all(&folder).map_err(failed)?;
        let site = std::fs::canonicalize(root).map_err(failed)?;
        let real_folder = std::fs::canonicalize(&folder).map_err(failed)?;
        if real_folder != site.join(content).join("statements") {
            return Err(ImportError::Outside { path: shown });
        }
        match std::fs::symlink_metadata(&path) {
            Ok(existing) if existing.file_type().is_symlink() || !existing.is_file() => return Err(ImportError::Outside { path: shown }),
            Ok(_) if !force => return Err(ImportError::Exists { path: shown }),
            _ => {}
        }
        let mut temporary = tempfile::Builder::new().prefix(".import-").suffix(".tmp").tempfile_in(&real_folder).map_err(failed)?;
        temporary.write_all(self.text().as_bytes()).map_err(failed)?;
        temporary.as_file().sync_all().map_err(failed)?;
        let target = real_folder.join(format!("{}.md", self.id));
        if force {
            temporary.persist(&target).map_err(|error| failed(error.error))?;
        } else {
            // Refuses at the last moment too, should the file have appeared meanwhile.
            temporary.persist_noclobber(&target).map_err(|error| match error.error.kind() {
                std::io::ErrorKind::AlreadyExists => ImportError::Exists { path: shown.clone() },
                _ => failed(error.error),
            })?;
        }
        Ok(Written { path, checks: self.checks() })
    }
}

/// A TOML string: basic quotes, escaped as TOML needs.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn one_line(text: &str) -> String {
    text.chars().map(|character| if character.is_control() { ' ' } else { character }).collect()
}

/// A line cut to a length a comment can show.
fn excerpt(text: &str) -> String {
    let text = one_line(text.trim());
    let text = text.replace('"', "'");
    if text.chars().count() <= 70 {
        return text;
    }
    let cut: String = text.chars().take(68).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Block;

    fn draft(body: &[Block]) -> Draft {
        let document = Document { blocks: body.to_vec(), ..Document::default() };
        Draft::new("malmo-asn".into(), Path::new("in/malmo-asn.pdf"), document, &[("stockholm-ks".into(), "Kommunstyrelsen".into(), "Stockholms stad".into())])
    }

    #[test]
    fn found_values_name_their_line_in_the_draft_and_missing_ones_are_placeholders() {
        let draft = draft(&[Block::Paragraph("Diarienummer: ASN-2018-12455".into()), Block::Paragraph("Till: Kommunstyrelsen".into())]);
        let text = draft.text();
        let line_of = |needle: &str| text.lines().position(|line| line == needle).map(|index| index + 1);
        let reference_line = text.lines().find(|line| line.starts_with("reference = ")).unwrap();
        assert_eq!(reference_line, format!("reference = \"ASN-2018-12455\"  # found on line {}: \"Diarienummer: ASN-2018-12455\"", line_of("Diarienummer: ASN-2018-12455").unwrap()));
        assert!(text.contains("title = \"FYLL I: nämnd eller styrelse som beslutat\"  # not found\n"), "{text}");
        assert!(text.contains("signed_by = [\"FYLL I: namn, roll\"]"), "{text}");
        assert!(text.contains("# part_of = \"…\"  # it answers to Kommunstyrelsen"), "{text}");
        assert!(text.contains("\ndraft = true\n"));
        let parts = text.splitn(3, "+++\n").collect::<Vec<_>>();
        let front_matter: toml::Table = toml::from_str(parts[1]).unwrap();
        assert_eq!(front_matter["reference"].as_str(), Some("ASN-2018-12455"));
    }

    #[test]
    fn appended_positions_are_written_as_suggestions() {
        use crate::suggest::Target;
        let mut draft = draft(&[Block::Paragraph("Nämnden tillstyrker förslaget.".into())]);
        let suggestion = |target, quote: &str, confidence| Suggestion { target, stance: crate::vocabulary::Stance::Supports, quote: quote.into(), confidence };
        draft.positions.push(suggestion(Target::Area("ledarskap".into()), "Nämnden är positiv till rekommendationerna.", 0.5));
        draft.positions.push(suggestion(Target::Proposal("generella-statsbidrag".into()), "Nämnden tillstyrker \"förslaget\".", 0.8));
        let text = draft.text();
        let front_matter: toml::Table = toml::from_str(text.split("+++\n").nth(1).unwrap()).unwrap();
        let position = &front_matter["positions"][0];
        assert_eq!(position["proposal"].as_str(), Some("generella-statsbidrag"));
        assert_eq!(position["quote"].as_str(), Some("Nämnden tillstyrker \"förslaget\"."));
        assert_eq!(position["suggested"].as_bool(), Some(true));
        assert_eq!(front_matter["area_positions"][0]["area"].as_str(), Some("ledarskap"));
        assert!(text.ends_with("+++\nNämnden tillstyrker förslaget.\n"), "{text}");
    }

    #[test]
    fn an_existing_file_is_kept_without_force() {
        let root = tempfile::tempdir().unwrap();
        let draft = draft(&[Block::Paragraph("Text.".into())]);
        draft.write(root.path(), Path::new("content"), false).unwrap();
        let error = draft.write(root.path(), Path::new("content"), false).unwrap_err();
        assert!(error.to_string().ends_with("content/statements/malmo-asn.md already exists; import with --force to replace it, or give another id with --id"), "{error}");
        draft.write(root.path(), Path::new("content"), true).unwrap();
        let leftovers: Vec<_> = std::fs::read_dir(root.path().join("content/statements")).unwrap().flatten().map(|entry| entry.file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("malmo-asn.md")]);
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_link_out_of_the_site() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("content")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("content/statements")).unwrap();
        let draft = draft(&[Block::Paragraph("Text.".into())]);
        assert!(matches!(draft.write(root.path(), Path::new("content"), true), Err(ImportError::Outside { .. })));
        std::fs::remove_file(root.path().join("content/statements")).unwrap();
        std::fs::create_dir(root.path().join("content/statements")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("x.md"), root.path().join("content/statements/malmo-asn.md")).unwrap();
        assert!(matches!(draft.write(root.path(), Path::new("content"), true), Err(ImportError::Outside { .. })));
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }
}
