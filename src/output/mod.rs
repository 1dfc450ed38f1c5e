//! Output: the rendered site written to disk, whole or not at all.
//!
//! 0. Claim the output folder ([`Output::claim`]): only a folder remiss wrote is replaced
//!    without `--force`, some places never are, and one build at a time writes it.
//! 1. Minify each HTML page (when `minify_html = true`).
//! 2. Write every file into a fresh folder beside the output folder ([`Staging`]). A
//!    file the previous output has with the same bytes is linked instead of written:
//!    most of a rebuild's files, and creating files is most of the cost of writing.
//! 3. Swap it in, in one step (an atomic exchange of the two folders). Until then the
//!    previous output is untouched, so a failed or killed build never leaves a
//!    half-written site behind, nor no site at all.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod claim;

pub use claim::{MARKER, Output, Replace};
use claim::{MARKER_TEXT, is_ours_or_empty, side_path};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("refusing to write the site to {}: {reason}; a build replaces its output folder whole. Choose another --output-dir", path.display())]
    Protected { path: PathBuf, reason: String },
    #[error("refusing to write the site to {}: it is {what}, not a folder; choose another --output-dir", path.display())]
    NotAFolder { path: PathBuf, what: &'static str },
    #[error("{}", not_ours(path, *earlier_remiss))]
    NotOurs { path: PathBuf, earlier_remiss: bool },
    #[error("refusing to remove {}: a build left it there, but it holds files remiss did not write; move them and remove the folder", .0.display())]
    Leftover(PathBuf),
}

fn not_ours(path: &Path, earlier_remiss: bool) -> String {
    let path = path.display();
    if earlier_remiss {
        format!(
            "{path} looks like a site built by an earlier remiss, which did not mark its output ({MARKER}); \
             if it is, build once with --force, and later builds will replace it without asking"
        )
    } else {
        format!(
            "refusing to replace {path}: it is not empty and remiss did not write it (it has no {MARKER} file), so a build would delete its files. \
             Choose an empty or new --output-dir, or pass --force to replace the folder and everything in it"
        )
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// A file of the site minified, if it is an HTML page.
pub fn minified(path: &str, bytes: Arc<[u8]>) -> Arc<[u8]> {
    static CONFIG: std::sync::OnceLock<minify_html::Cfg> = std::sync::OnceLock::new();
    if !path.ends_with(".html") {
        return bytes;
    }
    let config = CONFIG.get_or_init(|| {
        let mut config = minify_html::Cfg::new();
        // Closing tags and <html>/<head> stay: some readers and tools need them.
        config.keep_closing_tags = true;
        config.keep_html_and_head_opening_tags = true;
        config.minify_css = true;
        config
    });
    minify_html::minify(&bytes, config).into()
}

/// The next output, written beside the output folder until [`Staging::commit`] puts it
/// in the output's place. Dropped before that, it is removed.
pub struct Staging {
    folder: PathBuf,
    output: PathBuf,
    committed: bool,
}

impl Output {
    /// Makes a new, empty folder beside the output, to write the next output into.
    pub fn stage(&self) -> Result<Staging, OutputError> {
        let output = self.path().to_path_buf();
        let folder = side_path(&output, "remiss-new");
        recover(&output, &side_path(&output, "remiss-old"))?;
        // A build killed while writing leaves its staging folder; the lock says no build
        // is writing it now. Still, only a folder remiss marked is removed.
        if std::fs::symlink_metadata(&folder).is_ok() {
            if !folder.is_dir() || !is_ours_or_empty(&folder)? {
                return Err(OutputError::Leftover(folder));
            }
            std::fs::remove_dir_all(&folder).map_err(io_error(&folder))?;
        }
        std::fs::create_dir_all(&folder).map_err(io_error(&folder))?;
        let marker = folder.join(MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(io_error(&marker))?;
        Ok(Staging { folder, output, committed: false })
    }
}

impl Staging {
    /// The folder being written.
    pub fn path(&self) -> &Path {
        &self.folder
    }

    /// Writes one file (by its output path) into the new output.
    pub fn add_file(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let target = self.folder.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        let previous = self.output.join(path);
        if unchanged(&previous, bytes) && std::fs::hard_link(&previous, &target).is_ok() {
            return Ok(());
        }
        std::fs::write(&target, bytes).map_err(io_error(&target))
    }

    /// Puts the new output in the output's place, and removes the previous one.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.committed = true;
        if let Err(source) = swap(&self.folder, &self.output) {
            let _ = std::fs::remove_dir_all(&self.folder);
            return Err(OutputError::Io { path: self.output.clone(), source });
        }
        // After the swap the staging folder holds the previous output.
        if self.folder.exists() {
            std::fs::remove_dir_all(&self.folder).map_err(io_error(&self.folder))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.folder);
        }
    }
}

/// Whether the file at `path` holds exactly `bytes`.
fn unchanged(path: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.is_file() && metadata.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|previous| previous == bytes)
}

/// Puts `new` where `output` is, in one step: the output folder is, at every moment,
/// either the whole previous site or the whole new one. Afterwards `new` holds the
/// previous output (if there was one).
#[cfg(target_os = "linux")]
fn swap(new: &Path, output: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    if !output.exists() {
        return std::fs::rename(new, output);
    }
    let c_path = |path: &Path| CString::new(path.as_os_str().as_bytes()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput));
    let (from, to) = (c_path(new)?, c_path(output)?);
    // SAFETY: both are valid NUL-terminated paths, alive for the call.
    let result = unsafe { libc::renameat2(libc::AT_FDCWD, from.as_ptr(), libc::AT_FDCWD, to.as_ptr(), libc::RENAME_EXCHANGE) };
    match result {
        0 => Ok(()),
        // Some file systems cannot exchange: fall back to two renames.
        _ if io::Error::last_os_error().raw_os_error() == Some(libc::EINVAL) => swap_by_renames(new, output),
        _ => Err(io::Error::last_os_error()),
    }
}

#[cfg(not(target_os = "linux"))]
fn swap(new: &Path, output: &Path) -> std::io::Result<()> {
    if !output.exists() {
        return std::fs::rename(new, output);
    }
    swap_by_renames(new, output)
}

/// Two renames through a third name; a build killed between them leaves the previous
/// output under that name, which [`recover`] puts back before the next build.
fn swap_by_renames(new: &Path, output: &Path) -> std::io::Result<()> {
    let aside = side_path(output, "remiss-old");
    std::fs::rename(output, &aside)?;
    if let Err(error) = std::fs::rename(new, output) {
        let _ = std::fs::rename(&aside, output);
        return Err(error);
    }
    std::fs::rename(&aside, new)
}

/// A build killed in the middle of [`swap_by_renames`] (or by an older remiss) leaves
/// the previous output aside: put it back rather than lose it.
fn recover(output: &Path, aside: &Path) -> Result<(), OutputError> {
    if aside.exists() {
        if output.exists() {
            if !is_ours_or_empty(aside)? {
                return Err(OutputError::Leftover(aside.to_path_buf()));
            }
            std::fs::remove_dir_all(aside).map_err(io_error(aside))?;
        } else {
            std::fs::rename(aside, output).map_err(io_error(aside))?;
        }
    }
    Ok(())
}

/// The path with symbolic links and `..` resolved, also when it does not exist yet:
/// the nearest existing ancestor is resolved by the file system, the rest by its names.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.components().next_back()) else { break };
        rest.push(name.as_os_str().to_os_string());
        existing = parent;
    }
    let mut resolved = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        if name == ".." {
            resolved.pop();
        } else if name != "." {
            resolved.push(name);
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolved_paths_follow_links_and_dot_dot_also_where_nothing_exists() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(real.join("site")).unwrap();
        std::os::unix::fs::symlink(real.join("site"), real.join("link")).unwrap();
        assert_eq!(resolved(&real.join("link")), real.join("site"));
        assert_eq!(resolved(&real.join("site/../site")), real.join("site"));
        assert_eq!(resolved(&real.join("link/public/../out")), real.join("site/out"));
    }
}
