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
//! 6. [`search`]: the search index, made by Pagefind from the written pages.
//!
//! [`build`] runs stages 1–4 and returns the site in memory, for `build`, `check` and
//! [`serve`] alike.

pub mod config;
pub mod diagnostic;
pub mod init;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod session;
mod slug;

pub use session::Session;

use std::path::Path;

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
