//! Which folder a build may replace, and one build at a time into it.
//!
//! A build replaces its output folder whole, so pointing it at the wrong folder would
//! delete someone's files (Zola's `--output-dir ../project/` wiped a project). remiss
//! replaces without asking only a folder it wrote itself, which it knows by a marker file;
//! anything else that is not empty needs `--force`; and some places are never replaced,
//! even with `--force`, because losing them cannot be undone.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use super::{OutputError, io_error, resolved};
use crate::routes::{self, PageKey};

/// The file that marks a folder as remiss's output. Its name and words are a promise
/// to the user: the folder is replaced whole on the next build.
pub const MARKER: &str = ".remiss-output";

pub(super) const MARKER_TEXT: &str =
    "This folder was written by remiss. Every `remiss build` replaces it whole: keep no files of your own here.\n";

/// What a build may replace besides a folder of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Only an empty folder or one remiss wrote.
    OwnOutput,
    /// Also a non-empty folder remiss did not write (`--force`); never a protected place.
    Anything,
}

/// The output folder, claimed for one build: checked as safe to replace and locked
/// against other builds until dropped.
pub struct Output {
    path: PathBuf,
    // Held open for the lock's sake: closing the file releases it.
    _lock: File,
}

impl Output {
    /// Checks that `output` may be replaced by a build of the site at `site_root`, and
    /// locks it. If another build holds the lock, calls `waiting` once and waits for it.
    pub fn claim(output: &Path, site_root: &Path, replace: Replace, waiting: impl FnOnce()) -> Result<Output, OutputError> {
        let path = resolved(output);
        if let Some(reason) = protected(&path, &resolved(site_root)) {
            return Err(OutputError::Protected { path, reason });
        }
        let parent = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
        std::fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let lock = lock(&parent, waiting)?;
        // Checked under the lock: another build may have just written the folder.
        match std::fs::symlink_metadata(&path) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(OutputError::Io { path, source: error }),
            Ok(metadata) if !metadata.is_dir() => {
                // `resolved` follows every link that leads somewhere: one left leads nowhere.
                let what = if metadata.is_symlink() { "a symbolic link that leads nowhere" } else if metadata.is_file() { "a file" } else { "a pipe, socket or device" };
                return Err(OutputError::NotAFolder { path, what });
            }
            Ok(_) if is_ours_or_empty(&path)? => {}
            Ok(_) if replace == Replace::Anything => {}
            Ok(_) => {
                let earlier_remiss = [routes::page_file(&PageKey::Home), routes::page_file(&PageKey::Sitemap), routes::DATA_JSON.to_owned()].iter().all(|file| path.join(file).is_file());
                return Err(OutputError::NotOurs { path, earlier_remiss });
            }
        }
        Ok(Output { path, _lock: lock })
    }

    /// The output folder, with links resolved.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A hidden name beside the output folder: `.public.remiss-new` for `public/`.
pub(super) fn side_path(output: &Path, suffix: &str) -> PathBuf {
    let name = output.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.{suffix}"))
}

/// Whether `folder` is empty or carries remiss's marker: the only folders a build
/// removes without being told to.
pub(super) fn is_ours_or_empty(folder: &Path) -> Result<bool, OutputError> {
    if std::fs::symlink_metadata(folder.join(MARKER)).is_ok_and(|metadata| metadata.is_file()) {
        return Ok(true);
    }
    Ok(std::fs::read_dir(folder).map_err(io_error(folder))?.next().is_none())
}

/// Why `output` may never be replaced, if it may not. `output` and `site_root` are
/// resolved, so a symbolic link cannot lead a build into one of these places.
fn protected(output: &Path, site_root: &Path) -> Option<String> {
    // Replacing a folder replaces everything below it: none of these may be below.
    let mut holders = vec![(site_root.to_path_buf(), "the site's own folder")];
    if let Ok(current) = std::env::current_dir() {
        holders.push((resolved(&current), "the folder you are working in"));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|home| !home.is_empty()) {
        holders.push((resolved(Path::new(&home)), "your home folder"));
    }
    if let Some((holder, what)) = holders.iter().find(|(holder, _)| holder.starts_with(output)) {
        return Some(if holder == output { format!("it is {what}") } else { format!("it holds {what}, {}", holder.display()) });
    }
    // The site's sources, followed through links: `content` may live elsewhere.
    for source in ["content", "templates", "static", "themes", "config.toml", ".git"] {
        let source = resolved(&site_root.join(source));
        if output.starts_with(&source) {
            return Some(format!("it is inside the site's {}", source.file_name().unwrap_or_default().to_string_lossy()));
        }
    }
    if output.components().any(|component| component.as_os_str() == ".git") {
        return Some("it is inside a Git repository's .git folder".into());
    }
    if output.join(".git").exists() {
        return Some("it holds a Git repository (.git), which a build would delete; build into another folder and copy the files over".into());
    }
    None
}

/// Takes an exclusive lock on the folder that holds the output (and the staging folder
/// beside it): a lock on the output itself would move with it when it is swapped, and a
/// lock file would be one more file left in the user's folder. Two builds into folders
/// side by side take turns too, which costs little. A build that finds the lock taken
/// waits rather than failing: two saves in a row should both end in a site.
#[cfg(unix)]
fn lock(path: &Path, waiting: impl FnOnce()) -> Result<File, OutputError> {
    use std::os::fd::AsRawFd;
    let file = File::open(path).map_err(io_error(path))?;
    let flock = |operation| {
        // SAFETY: the descriptor belongs to `file`, which is alive for the call.
        match unsafe { libc::flock(file.as_raw_fd(), operation) } {
            0 => Ok(()),
            _ => Err(io::Error::last_os_error()),
        }
    };
    match flock(libc::LOCK_EX | libc::LOCK_NB) {
        Ok(()) => return Ok(file),
        Err(error) if error.kind() != io::ErrorKind::WouldBlock => return Err(OutputError::Io { path: path.into(), source: error }),
        Err(_) => waiting(),
    }
    flock(libc::LOCK_EX).map_err(io_error(path))?;
    Ok(file)
}

#[cfg(not(unix))]
fn lock(path: &Path, _waiting: impl FnOnce()) -> Result<File, OutputError> {
    File::open(path).map_err(io_error(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(output: &Path, root: &Path, replace: Replace) -> Result<Output, OutputError> {
        Output::claim(output, root, replace, || {})
    }

    #[test]
    fn a_folder_of_someone_elses_files_needs_force() {
        let dir = tempfile::tempdir().unwrap();
        let (root, docs) = (dir.path().join("site"), dir.path().join("docs"));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&docs).unwrap();
        assert!(claim(&docs, &root, Replace::OwnOutput).is_ok(), "an empty folder is fine");
        std::fs::write(docs.join("notes.md"), "mine").unwrap();
        assert!(matches!(claim(&docs, &root, Replace::OwnOutput), Err(OutputError::NotOurs { earlier_remiss: false, .. })));
        assert!(claim(&docs, &root, Replace::Anything).is_ok());
        std::fs::write(docs.join(MARKER), MARKER_TEXT).unwrap();
        assert!(claim(&docs, &root, Replace::OwnOutput).is_ok(), "a folder remiss wrote");
    }

    #[test]
    fn protected_places_stay_protected_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        let root = base.join("site");
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(base.join("elsewhere/texts")).unwrap();
        std::os::unix::fs::symlink(base.join("elsewhere/texts"), root.join("content")).unwrap();
        for output in [root.clone(), base.clone(), root.join(".git"), root.join("content"), base.join("elsewhere/texts/sub"), PathBuf::from("/")] {
            let error = claim(&output, &root, Replace::Anything).err();
            assert!(matches!(error, Some(OutputError::Protected { .. })), "{} was not refused: {error:?}", output.display());
        }
    }

    #[test]
    fn a_file_is_never_taken_for_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let error = claim(&dir.path().join("notes.txt"), &dir.path().join("site"), Replace::Anything).err();
        assert!(matches!(error, Some(OutputError::NotAFolder { what: "a file", .. })), "{error:?}");
    }
}
