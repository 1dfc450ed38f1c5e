//! Replacing a file atomically: a reader (the watcher, the editor's text editor) sees
//! the old file or the new one, never half of one, and a failed write leaves the old.

use std::io::Write;
use std::path::Path;

/// Why a file was not replaced.
#[derive(Debug)]
pub enum NotReplaced {
    /// The file no longer holds what the edit was made from.
    Changed,
    Io(std::io::Error),
}

impl From<std::io::Error> for NotReplaced {
    fn from(error: std::io::Error) -> NotReplaced {
        NotReplaced::Io(error)
    }
}

/// Writes `new` over the file at `path`, which must still hold `old`: a temporary file
/// in the same folder (so that the rename stays on one file system and is atomic) with
/// the old file's permissions, synced, then renamed over it.
pub fn replace(path: &Path, old: &[u8], new: &[u8]) -> Result<(), NotReplaced> {
    let folder = path.parent().ok_or_else(|| NotReplaced::Io(std::io::Error::other("the file has no folder")))?;
    let permissions = std::fs::metadata(path)?.permissions();
    let mut temporary = tempfile::Builder::new().prefix(".remiss-edit-").suffix(".tmp").tempfile_in(folder)?;
    temporary.write_all(new)?;
    temporary.as_file().sync_all()?;
    std::fs::set_permissions(temporary.path(), permissions)?;
    // The file was checked when it was read; a save since then (between the check and
    // here) must win over this edit, not be overwritten by it.
    if std::fs::read(path)? != old {
        return Err(NotReplaced::Changed);
    }
    temporary.persist(path).map_err(|error| NotReplaced::Io(error.error))?;
    Ok(())
}
