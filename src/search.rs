//! Search without a server: a Pagefind index over the pages citizens search in
//! (proposals, statements, updates, free pages), made from the rendered pages. The index
//! and Pagefind's own script and styles are files of the site: nothing is loaded from
//! elsewhere. Pagefind stems Swedish words, and folds å, ä and ö as Swedish does.
//!
//! Pagefind reads pages in parallel only from a folder (pages handed to it one by one
//! are read on one thread, behind a lock). `remiss build` therefore indexes the pages it
//! has just written, before the new output is swapped in; `remiss serve`, which keeps the
//! site in memory, writes the pages to index to a temporary folder.

use std::path::Path;
use std::sync::Arc;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::render::{self, PageKey, Rendered};

/// The folder of the index and its scripts in the output.
pub use crate::render::SEARCH_FOLDER as FOLDER;

/// The search index's files, by their paths in the output.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    pub files: Vec<(String, Arc<[u8]>)>,
}

fn is_searchable(key: &PageKey) -> bool {
    matches!(key, PageKey::Proposal(_) | PageKey::Statement(_) | PageKey::Update(_) | PageKey::Free(_))
}

/// Indexes the searchable pages of `site` as written to `folder` (the output folder, or
/// the new one before it takes the output's place).
pub fn index_written(site: &Site, folder: &Path) -> Result<SearchIndex, Diagnostic> {
    index_folder(folder, &format!("{{{}}}", patterns(site).join(",")), site.config.language.code())
}

fn patterns(site: &Site) -> Vec<String> {
    // Ids are letters, digits and hyphens: `*` in place of one matches every page of a kind.
    let mut patterns: Vec<String> =
        [PageKey::Proposal, PageKey::Statement, PageKey::Update].map(|kind| render::output_path(&kind("*".to_owned()))).into();
    patterns.extend(site.pages.iter().map(|page| render::output_path(&PageKey::Free(page.id.clone()))));
    patterns
}

/// Indexes an archive as written to `folder`, in one index: each consultation's
/// searchable pages below its prefix (`remisser/<slug>`), and the archive's own free
/// pages (`pages`, output paths).
pub fn index_archive(sites: &[(String, &Site)], pages: &[String], language: &str, folder: &Path) -> Result<SearchIndex, Diagnostic> {
    let mut all: Vec<String> = pages.to_vec();
    all.extend(sites.iter().flat_map(|(prefix, site)| patterns(site).into_iter().map(move |pattern| format!("{prefix}/{pattern}"))));
    index_folder(folder, &format!("{{{}}}", all.join(",")), language)
}

/// The searchable pages of a site in memory, taken from it (their bytes shared, not
/// copied) so that the index can be made while the site goes on changing.
#[derive(Debug)]
pub struct Searchable {
    /// Output paths and pages.
    pages: Vec<(String, Arc<[u8]>)>,
    language: &'static str,
}

/// The searchable pages of `rendered`.
pub fn searchable(site: &Site, rendered: &Rendered) -> Searchable {
    let pages = render::all_pages(site)
        .iter()
        .filter(|key| is_searchable(key))
        .filter_map(|key| {
            let path = render::output_path(key);
            let html = rendered.files.get(&path)?.clone();
            Some((path, html))
        })
        .collect();
    Searchable { pages, language: site.config.language.code() }
}

impl Searchable {
    /// Makes the index, through a temporary folder.
    pub fn index(&self) -> Result<SearchIndex, Diagnostic> {
        let folder = tempfile::tempdir().map_err(|error| failed(format!("cannot make a temporary folder: {error}")))?;
        self.pages
            .par_iter()
            .try_for_each(|(path, html)| {
                let file = folder.path().join(path);
                if let Some(parent) = file.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(file, html)
            })
            .map_err(|error| failed(format!("cannot write to a temporary folder: {error}")))?;
        index_folder(folder.path(), "**/*.html", self.language)
    }
}

fn index_folder(folder: &Path, glob: &str, language: &str) -> Result<SearchIndex, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|error| failed(error.to_string()))?;
    let files = runtime.block_on(async {
        let options = PagefindServiceConfig::builder().force_language(language.to_owned()).build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|error| error.to_string())?;
        index.add_directory(folder.to_string_lossy().into_owned(), Some(glob.to_owned())).await.map_err(|error| error.to_string())?;
        index.get_files().await.map_err(|error| error.to_string())
    });
    let files = files
        .map_err(failed)?
        .into_iter()
        .map(|file| (format!("{FOLDER}/{}", file.filename.to_string_lossy().replace('\\', "/")), file.contents.into()))
        .collect();
    Ok(SearchIndex { files })
}

fn failed(error: String) -> Diagnostic {
    Diagnostic::in_file(FOLDER, format!("the search index could not be built: {error}"))
        .with_help("this is a bug in remiss or Pagefind; please report it with the site that shows it")
}
