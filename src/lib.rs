//! remiss turns a consultation's proposals and the statements of the bodies that answered
//! it into a cross-linked static site.
//!
//! The pipeline runs one way, each stage a module:
//!
//! 1. [`config`]: `config.toml` and the command line's overrides → [`config::Config`].
//! 2. [`load`]: the content files, theme and overrides read and parsed → [`load::Sources`].
//! 3. [`model`]: references resolved, quotes found, everything checked → [`model::Site`].
//! 4. [`render`]: Markdown and templates → the site's files in memory ([`render::Rendered`]).
//! 5. [`output`]: minified and written to disk atomically.
//! 6. [`search`]: the search index, written from the model in Pagefind's format.
//!
//! Below the stages: [`vocabulary`] (dates, stances, kinds, links), [`routes`] (every
//! path of the output and its link: one place for URLs), [`parse`] (TOML read into them
//! with every problem reported), [`diagnostic`] (problems with their place). The model's
//! cross-references are typed indices ([`model::ProposalIx`] …), which cannot be mixed up.
//!
//! [`suggest`] reads a statement's text for positions an editor can confirm (`remiss import`).
//!
//! [`archive`] builds many consultations as one site (`content/remisser/<slug>/`), each
//! through the stages above with its URLs below its own prefix ([`routes::consultation`]).
//!
//! [`build`] runs stages 1–4 and returns the site in memory, for `check` and [`serve`];
//! [`build_into`] runs them all for `remiss build`, writing each page as it is rendered.

pub mod archive;
pub mod config;
pub mod diagnostic;
pub mod edit;
pub mod import;
pub mod init;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod parse;
pub mod render;
pub mod routes;
pub mod search;
pub mod serve;
pub mod session;
pub(crate) mod slug;
pub mod suggest;
pub mod vocabulary;

pub use session::Session;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use config::Overrides;
use diagnostic::Diagnostic;

/// A site built in memory.
pub struct Build {
    pub site: model::Site,
    pub rendered: render::Rendered,
}

/// Loads, checks and renders the site at `root`. On failure, returns every problem found.
pub fn build(root: &Path, overrides: &Overrides) -> Result<Build, Vec<Diagnostic>> {
    let mut session = Session::open(root, overrides.clone());
    session.build()?;
    session.into_build().ok_or_else(Vec::new)
}

/// What stopped `remiss build`.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the content, the templates or the theme.
    Site(Vec<Diagnostic>),
    Output(output::OutputError),
}

/// A site written to disk.
pub struct Written {
    pub site: model::Site,
    /// HTML pages written.
    pub pages: usize,
}

/// Builds the site at `root` into `output`: every file is minified (when asked) and
/// written as soon as it is rendered, so the site is never held whole in memory; the
/// search index is made from the model; then the new output takes the place of
/// the previous one in one step. On failure the previous output is left as it was.
///
/// The output folder is claimed first ([`output::Output::claim`]): `replace` says what
/// it may hold, and `waiting` is called if another build into it must finish first.
pub fn build_into(root: &Path, output: &Path, overrides: &Overrides, replace: output::Replace, waiting: impl FnOnce()) -> Result<Written, BuildError> {
    let output = output::Output::claim(output, root, replace, waiting).map_err(BuildError::Output)?;
    let (site, templates) = Session::open(root, overrides.clone()).load().map_err(BuildError::Site)?;
    let staging = output.stage().map_err(BuildError::Output)?;
    let keys = render::all_pages(&site);
    let index = || search::index(&site);
    let pages = write_staged(
        &staging,
        site.config.minify_html,
        |sink| render::render_each(&site, &templates, &keys, render::Data::Render, sink, |_, _| {}),
        site.config.build_search_index.then_some(index),
    )?;
    staging.commit().map_err(BuildError::Output)?;
    Ok(Written { site, pages })
}

/// Writes into `staging` each file `render` hands on, minified when asked, and the
/// search index that `index` makes. Returns how many HTML pages were written.
///
/// The index is made from the model, not from the pages, so it is made while the pages
/// are rendered: each has stretches that keep one core only.
pub(crate) fn write_staged(
    staging: &output::Staging,
    minify: bool,
    render: impl FnOnce(&(dyn Fn(String, Arc<[u8]>) + Sync)) -> Result<(), Vec<Diagnostic>> + Send,
    index: Option<impl FnOnce() -> Result<search::SearchIndex, Diagnostic> + Send>,
) -> Result<usize, BuildError> {
    let pages = AtomicUsize::new(0);
    let failed = Mutex::new(None);
    let write = |path: &str, bytes: &[u8]| {
        if let Err(error) = staging.add_file(path, bytes) {
            failed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get_or_insert(error);
        }
    };
    let (rendered, indexed) = rayon::join(
        || {
            render(&|path: String, bytes: Arc<[u8]>| {
                let bytes = if minify { output::minified(&path, bytes) } else { bytes };
                if path.ends_with(".html") {
                    pages.fetch_add(1, Ordering::Relaxed);
                }
                write(&path, &bytes);
            })
        },
        || {
            let index = index?().map_err(|problem| vec![problem]);
            if let Ok(index) = &index {
                index.files.par_iter().for_each(|(path, bytes)| write(path, bytes));
            }
            Some(index)
        },
    );
    let mut problems = rendered.err().unwrap_or_default();
    problems.extend(indexed.and_then(Result::err).unwrap_or_default());
    if !problems.is_empty() {
        return Err(BuildError::Site(problems));
    }
    if let Some(error) = failed.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()) {
        return Err(BuildError::Output(error));
    }
    Ok(pages.into_inner())
}
