//! Replacing a file atomically: a reader (the watcher, the editor's text editor) sees
//! the old file or the new one, never half of one, and a failed write leaves the old.

use std::io::Write;
use std::path::Path;

/// Writes `new` over the file at `path`, which must still hold `old`: a temporary file
/// in the same folder (so that the rename stays on one file system and is atomic) with
/// the old file's permissions, synced, then renamed over it.
pub fn replace(path: &Path, old: &[u8], new: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().ok_or_else(|| std::io::Error::other("the file has no folder"))?;
    let permissions = std::fs::metadata(path)?.permissions();
    let mut temporary = tempfile::Builder::new().prefix(".remiss-edit-").suffix(".tmp").tempfile_in(folder)?;
    temporary.write_all(new)?;
    temporary.as_file().sync_all()?;
    std::fs::set_permissions(temporary.path(), permissions)?;
    // The file was checked when it was read; a save since then (between the check and
    // here) must win over this edit, not be overwritten by it.
    if std::fs::read(path)? != old {
        return Err(std::io::Error::other("the file changed on disk while the edit was being made; reload the page"));
    }
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}
