//! `remiss init`: a small consultation site that builds at once, to start from.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

static SCAFFOLD: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold");

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0} already holds a site (it has {1}); choose an empty folder")]
    NotEmpty(PathBuf, &'static str),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Writes the scaffold into `folder` (created if needed). Never overwrites a site.
pub fn init(folder: &Path) -> Result<Vec<PathBuf>, InitError> {
    refuse_a_site(folder)?;
    write_scaffold(folder, |path| Some(path.to_path_buf()))
}

/// The hub of `init --archive`.
const ARCHIVE_HUB: &str = "+++
title = \"Remisser och remissvar\"
description = \"Remisserna som Exempelkommun har svarat på, och vad remissinstanserna svarade.\"
+++
Här finns remisserna som Exempelkommun har fått, med remissinstansernas svar förslag för
förslag. Ersätt den här texten med en beskrivning av ditt arkiv.
";

/// The second consultation of `init --archive`: the scaffold's proposals and answers,
/// sent out earlier, its deadline passed, so that the hub shows both kinds.
const EARLIER_CONSULTATION: &str = "+++
title = \"Exempelutredningens delbetänkande\"
issuer = \"Socialdepartementet\"
sent = 2025-06-02
deadline = 2025-09-30
description = \"Remissvaren på Exempelutredningens delbetänkande.\"
+++
Ett tidigare betänkande från Exempelutredningen. Ersätt den här texten med en
beskrivning av remissen.
";

/// Writes an archive of two consultations into `folder`: the scaffold's consultation,
/// and an earlier one answered by the same bodies. Never overwrites a site.
pub fn init_archive(folder: &Path) -> Result<Vec<PathBuf>, InitError> {
    refuse_a_site(folder)?;
    let mut written = Vec::new();
    for slug in ["exempelutredningen", "delbetankandet"] {
        let consultation = crate::archive::consultation_folder(slug);
        written.extend(write_scaffold(folder, |path| match path.strip_prefix("content") {
            Ok(inside) => Some(consultation.join(inside)),
            Err(_) => None,
        })?);
    }
    let hub = Path::new("content").join("_index.md");
    let earlier = crate::archive::consultation_folder("delbetankandet").join("_index.md");
    for (path, text) in [(&hub, ARCHIVE_HUB), (&earlier, EARLIER_CONSULTATION)] {
        write(&folder.join(path), text.as_bytes())?;
    }
    written.push(hub);
    written.extend(write_scaffold(folder, |path| (path == Path::new("config.toml")).then(|| path.to_path_buf()))?);
    written.sort();
    written.dedup();
    Ok(written)
}

fn refuse_a_site(folder: &Path) -> Result<(), InitError> {
    for existing in ["config.toml", "content"] {
        if folder.join(existing).exists() {
            return Err(InitError::NotEmpty(folder.to_path_buf(), existing));
        }
    }
    Ok(())
}

fn write(target: &Path, bytes: &[u8]) -> Result<(), InitError> {
    let io = |source| InitError::Io { path: target.to_path_buf(), source };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(target, bytes).map_err(io)
}

/// Writes each scaffold file where `place` puts it (`None`: not at all).
fn write_scaffold(folder: &Path, place: impl Fn(&Path) -> Option<PathBuf>) -> Result<Vec<PathBuf>, InitError> {
    let mut written = Vec::new();
    let mut pending = vec![&SCAFFOLD];
    while let Some(directory) = pending.pop() {
        pending.extend(directory.dirs());
        for file in directory.files() {
            let Some(path) = place(file.path()) else { continue };
            write(&folder.join(&path), file.contents())?;
            written.push(path);
        }
    }
    written.sort();
    Ok(written)
}
