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
    for existing in ["config.toml", "content"] {
        if folder.join(existing).exists() {
            return Err(InitError::NotEmpty(folder.to_path_buf(), existing));
        }
    }
    let mut written = Vec::new();
    let mut pending = vec![&SCAFFOLD];
    while let Some(directory) = pending.pop() {
        pending.extend(directory.dirs());
        for file in directory.files() {
            let target = folder.join(file.path());
            let io = |source| InitError::Io { path: target.clone(), source };
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            std::fs::write(&target, file.contents()).map_err(io)?;
            written.push(file.path().to_path_buf());
        }
    }
    written.sort();
    Ok(written)
}
