//! Output: the rendered site written to disk, whole or not at all.
//!
//! 1. Minify the HTML (when `minify_html = true`), in parallel.
//! 2. Write every file into a fresh folder beside the output folder.
//! 3. Swap it in with renames. Until the swap, the previous output is untouched, so a
//!    failed or interrupted build never leaves a half-written site behind.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::Rendered;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("refusing to write the site to {0}: it would replace the site's own files; choose another --output-dir")]
    Unsafe(PathBuf),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// Minifies the HTML pages; other files are left as they are.
pub fn minify(rendered: &mut Rendered) {
    let mut config = minify_html::Cfg::new();
    // Closing tags and <html>/<head> stay: some readers and tools need them.
    config.keep_closing_tags = true;
    config.keep_html_and_head_opening_tags = true;
    config.minify_css = true;
    rendered
        .files
        .par_iter_mut()
        .filter(|(path, _)| path.ends_with(".html"))
        .for_each(|(_, bytes)| *bytes = minify_html::minify(bytes, &config).into());
}

/// Writes the site to `output`, replacing what was there only once everything is written.
pub fn write(rendered: &Rendered, output: &Path, site_root: &Path) -> Result<(), OutputError> {
    let output = absolute(output);
    let root = absolute(site_root);
    if root.starts_with(&output) || output.starts_with(root.join("content")) {
        return Err(OutputError::Unsafe(output));
    }
    let name = output.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let parent = output.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    let staging = parent.join(format!(".{name}.remiss-new"));
    let previous = parent.join(format!(".{name}.remiss-old"));
    for leftover in [&staging, &previous] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover).map_err(io_error(leftover))?;
        }
    }
    if let Err(error) = write_all(rendered, &staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(error);
    }
    if output.exists() {
        std::fs::rename(&output, &previous).map_err(io_error(&output))?;
    }
    if let Err(source) = std::fs::rename(&staging, &output) {
        // Put the previous output back before giving up.
        let _ = std::fs::rename(&previous, &output);
        return Err(OutputError::Io { path: output, source });
    }
    if previous.exists() {
        std::fs::remove_dir_all(&previous).map_err(io_error(&previous))?;
    }
    Ok(())
}

fn write_all(rendered: &Rendered, folder: &Path) -> Result<(), OutputError> {
    std::fs::create_dir_all(folder).map_err(io_error(folder))?;
    rendered.files.par_iter().try_for_each(|(path, bytes)| {
        let target = folder.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        std::fs::write(&target, bytes).map_err(io_error(&target))
    })
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
