//! Watching the site's files: notify's events, gathered into one batch per save.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// What a batch of changes asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Only stylesheets changed: open pages can swap them without reloading.
    Stylesheets,
    /// Anything else: rebuild and reload.
    Site,
}

/// The folders below the site's root that make up the site (config.toml is watched
/// through the root itself, which is not watched recursively: it holds public/).
pub const WATCHED: &[&str] = &["content", "templates", "themes", "static"];

pub struct SiteWatcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
}

/// An editor's save writes several events in a few milliseconds; a batch ends when
/// this long passes without another.
const QUIET: Duration = Duration::from_millis(10);

impl SiteWatcher {
    pub fn new(root: &Path) -> notify::Result<SiteWatcher> {
        let (sender, events) = channel();
        let mut watcher = notify::recommended_watcher(sender)?;
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        let mut site_watcher = SiteWatcher { root: root.to_path_buf(), watcher, events };
        for folder in WATCHED {
            site_watcher.watch_folder(&root.join(folder));
        }
        Ok(site_watcher)
    }

    fn watch_folder(&mut self, folder: &Path) {
        if folder.is_dir() {
            // A folder that cannot be watched still builds; changes in it need a restart.
            let _ = self.watcher.watch(folder, RecursiveMode::Recursive);
        }
    }

    /// Blocks until files of the site change; returns the batch's changed paths.
    pub fn next_batch(&mut self) -> Option<(Change, Vec<PathBuf>)> {
        loop {
            let first = self.events.recv().ok()?;
            let mut paths = self.relevant(first);
            loop {
                match self.events.recv_timeout(QUIET) {
                    Ok(event) => paths.extend(self.relevant(event)),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            paths.sort();
            paths.dedup();
            if paths.is_empty() {
                continue;
            }
            let change = if paths.iter().all(|path| is_stylesheet(path)) { Change::Stylesheets } else { Change::Site };
            return Some((change, paths));
        }
    }

    fn relevant(&mut self, event: notify::Result<Event>) -> Vec<PathBuf> {
        let Ok(event) = event else { return Vec::new() };
        // remiss reads the files it watches: reads must not trigger rebuilds.
        let writes = matches!(
            event.kind,
            EventKind::Create(_)
                | EventKind::Modify(_)
                | EventKind::Remove(_)
                | EventKind::Access(AccessKind::Close(AccessMode::Write))
        );
        if !writes {
            return Vec::new();
        }
        let mut relevant = Vec::new();
        for path in event.paths {
            let Ok(inside) = path.strip_prefix(&self.root) else { continue };
            let inside = inside.to_path_buf();
            let top = inside.iter().next().map(|part| part.to_string_lossy().into_owned()).unwrap_or_default();
            if WATCHED.contains(&top.as_str()) {
                if inside.components().count() == 1 {
                    // A watched folder appeared (or went): watch it from now on.
                    self.watch_folder(&path);
                }
                if !is_editor_litter(&path) {
                    relevant.push(inside);
                }
            } else if top == "config.toml" {
                relevant.push(inside);
            }
        }
        relevant
    }
}

fn is_stylesheet(path: &Path) -> bool {
    let in_static = path.iter().any(|part| part == "static");
    in_static && path.extension().is_some_and(|extension| extension == "css")
}

/// Swap, backup and lock files that editors write next to the file being edited.
fn is_editor_litter(path: &Path) -> bool {
    let name = path.file_name().map(|name| name.to_string_lossy()).unwrap_or_default();
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp") || name.starts_with("#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_static_css_is_a_stylesheet_change() {
        assert!(is_stylesheet(Path::new("static/style.css")));
        assert!(is_stylesheet(Path::new("themes/default/static/style.css")));
        assert!(!is_stylesheet(Path::new("content/style.css")));
        assert!(!is_stylesheet(Path::new("static/app.js")));
    }

    #[test]
    fn editor_litter_is_ignored() {
        assert!(is_editor_litter(Path::new("content/.x.md.swp")));
        assert!(is_editor_litter(Path::new("content/x.md~")));
        assert!(is_editor_litter(Path::new("content/#x.md#")));
        assert!(!is_editor_litter(Path::new("content/x.md")));
    }
}
