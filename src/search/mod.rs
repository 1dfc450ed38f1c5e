//! Search without a server: a Pagefind index over the pages citizens search in
//! (proposals, statements, updates, free pages). The index and Pagefind's own script,
//! styles and WebAssembly are files of the site: nothing is loaded from elsewhere.
//! Pagefind stems Swedish words, and folds å, ä and ö as Swedish does.
//!
//! 1. [`records`] takes each searchable page's title and text from the model (the
//!    Markdown's passages, with the ids the page gives headings and quoted passages);
//! 2. [`words`] splits, folds and stems each distinct word once, in parallel;
//! 3. [`writer`] writes the index in Pagefind 1.6.0's format, in parallel;
//! 4. the browser half comes from the `pagefind` crate of that version, which makes it
//!    for a one-page index once per process ([`assets`]).
//!
//! Nothing reads the written HTML: `remiss build` makes the index from the model, and
//! `remiss serve` takes the records under its lock and writes the index beside it,
//! through an [`Indexer`] that keeps what it wrote, so that after an edit it redoes only
//! what the changed pages change.
//! docs/SEARCH.md says why the index is not left to Pagefind itself.

mod records;
mod words;
mod writer;

use std::sync::{Arc, OnceLock};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostic::Diagnostic;
use crate::load::{Document, meta::PageMeta};
use crate::model::Site;

use records::{Record, records};
pub use writer::PAGEFIND_VERSION;

/// The folder of the index and its scripts in the output.
use crate::routes::{self, SEARCH_FOLDER as FOLDER};

/// The search index's files, by their paths in the output.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    pub files: Vec<File>,
}

/// A file's path and bytes.
pub type File = (String, Arc<[u8]>);

/// Indexes the searchable pages of `site`.
pub fn index(site: &Site) -> Result<SearchIndex, Diagnostic> {
    searchable(site).index()
}

/// Makes the index again after each change, from what changed: it keeps each page's
/// record, words and postings, and the encoded files, from one index to the next. What
/// it makes is, byte for byte, what a full build of the same site makes.
#[derive(Default)]
pub struct Indexer {
    index: writer::Index,
}

impl Indexer {
    /// The index of `searchable`, made from what differs from the last one.
    pub fn update(&mut self, searchable: Searchable) -> Result<SearchIndex, Diagnostic> {
        let mut files: Vec<File> = assets()
            .map_err(|error| failed(error.clone()))?
            .iter()
            .map(|(path, bytes)| (routes::within(FOLDER, path), Arc::clone(bytes)))
            .collect();
        let index = self.index.write(searchable.records, searchable.language).map_err(failed)?;
        files.extend(index.into_iter().map(|(path, bytes)| (routes::within(FOLDER, &path), bytes)));
        Ok(SearchIndex { files })
    }
}

/// Indexes an archive: every consultation's searchable pages, each under its URL prefix
/// and filtered by its consultation, and the hub's free pages.
pub fn index_archive(consultations: &[(String, &Site)], hub_pages: &[Arc<Document<PageMeta>>], language: &'static str) -> Result<SearchIndex, Diagnostic> {
    Searchable { records: records::archive_records(consultations, hub_pages), language }.index()
}

/// The searchable pages of a site, taken from it so that the index can be made while the
/// site goes on changing.
#[derive(Debug)]
pub struct Searchable {
    records: Vec<Record>,
    language: &'static str,
}

/// The searchable pages of `site`.
pub fn searchable(site: &Site) -> Searchable {
    Searchable { records: records(site), language: site.config.language.code() }
}

impl Searchable {
    /// Makes the index, from nothing.
    pub fn index(self) -> Result<SearchIndex, Diagnostic> {
        Indexer::default().update(self)
    }
}

/// Pagefind's browser half (`pagefind-ui.js`, `pagefind.js`, `wasm.sv.pagefind` …), as the
/// `pagefind` crate writes it beside an index. The crate has no call that gives these
/// files alone, so it indexes one tiny page in each language remiss speaks, and its
/// index files are dropped; made once per process.
fn assets() -> Result<&'static [File], &'static String> {
    static ASSETS: OnceLock<Result<Vec<File>, String>> = OnceLock::new();
    ASSETS.get_or_init(browser_files).as_ref().map(Vec::as_slice)
}

fn browser_files() -> Result<Vec<File>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|error| error.to_string())?;
    let files = runtime.block_on(async {
        let mut index = PagefindIndex::new(Some(PagefindServiceConfig::builder().build())).map_err(|error| error.to_string())?;
        for language in ["sv", "en"] {
            let page = format!("<!DOCTYPE html><html lang=\"{language}\"><body><main><p>remiss</p></main></body></html>");
            index.add_html_file(None, Some(format!("/{language}/")), page).await.map_err(|error| error.to_string())?;
        }
        index.get_files().await.map_err(|error| error.to_string())
    })?;
    let files: Vec<File> = files
        .into_iter()
        .map(|file| (file.filename.to_string_lossy().replace('\\', "/"), file.contents.into()))
        .filter(|(path, _)| {
            let script = path.starts_with("pagefind") && (path.ends_with(".js") || path.ends_with(".css"));
            let wasm = path.starts_with("wasm.") && path.ends_with(".pagefind");
            (script || wasm) && !path.contains('/')
        })
        .collect();
    if files.iter().any(|(path, _)| path == "pagefind-ui.js") {
        Ok(files)
    } else {
        Err(format!("the pagefind crate wrote no pagefind-ui.js (files: {})", files.len()))
    }
}

fn failed(error: String) -> Diagnostic {
    Diagnostic::in_file(FOLDER, format!("the search index could not be built: {error}"))
        .with_help("this is a bug in remiss; please report it with the site that shows it")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Overrides;

    /// A copy of the bundled consultation, to edit.
    fn bundled() -> tempfile::TempDir {
        fn copy(from: &Path, to: &Path) {
            if from.is_dir() {
                std::fs::create_dir_all(to).unwrap();
                for entry in std::fs::read_dir(from).unwrap() {
                    let entry = entry.unwrap();
                    copy(&entry.path(), &to.join(entry.file_name()));
                }
            } else {
                std::fs::copy(from, to).unwrap();
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
        for part in ["config.toml", "content"] {
            copy(&repository.join(part), &dir.path().join(part));
        }
        dir
    }

    fn site(root: &Path) -> Site {
        crate::Session::open(root, Overrides::default()).load().unwrap().0
    }

    /// Updates `indexer` from the site at `root`, and checks that the index is a full
    /// build's, byte for byte.
    fn assert_updated_as_built(indexer: &mut Indexer, root: &Path) -> SearchIndex {
        let site = site(root);
        let updated = indexer.update(searchable(&site)).unwrap();
        let built = index(&site).unwrap();
        let paths = |index: &SearchIndex| index.files.iter().map(|(path, _)| path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&updated), paths(&built));
        let differing: Vec<&String> =
            updated.files.iter().zip(&built.files).filter(|(updated, built)| updated.1 != built.1).map(|(file, _)| &file.0).collect();
        assert!(differing.is_empty(), "an update and a full build differ in {differing:?}");
        updated
    }

    fn fragments_holding(index: &SearchIndex, text: &str) -> usize {
        let fragments = index.files.iter().filter(|(path, _)| path.contains("/fragment/"));
        fragments
            .filter(|(_, bytes)| {
                let mut fragment = String::new();
                std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut fragment).unwrap();
                fragment.contains(text)
            })
            .count()
    }

    fn replace(root: &Path, path: &str, from: &str, to: &str) {
        let file = root.join(path);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{path} has no `{from}`");
        std::fs::write(file, text.replace(from, to)).unwrap();
    }

    #[test]
    fn an_updated_index_is_a_full_builds_after_an_edit() {
        let dir = bundled();
        let mut indexer = Indexer::default();
        assert_updated_as_built(&mut indexer, dir.path());
        let statement = "content/statements/lulea-socialnamnden.md";
        replace(dir.path(), statement, "pekar på ett antal risker", "pekar på ett antal Kvarnbäcksrisker");
        let updated = assert_updated_as_built(&mut indexer, dir.path());
        assert_eq!(fragments_holding(&updated, "Kvarnbäcksrisker"), 1, "the edit is in the index");
        // A word only the edit had is gone again.
        replace(dir.path(), statement, "Kvarnbäcksrisker", "risker");
        let updated = assert_updated_as_built(&mut indexer, dir.path());
        assert_eq!(fragments_holding(&updated, "Kvarnbäcksrisker"), 0);
        // Nothing changed.
        assert_updated_as_built(&mut indexer, dir.path());
    }

    #[test]
    fn an_updated_index_is_a_full_builds_after_a_statement_is_added_or_removed() {
        let dir = bundled();
        let mut indexer = Indexer::default();
        assert_updated_as_built(&mut indexer, dir.path());
        let added = "+++\ntitle = \"Kulturnämnden\"\norganisation = \"Luleå kommun\"\nreference = \"2026/1\"\n+++\nKulturnämnden har inget att invända mot Tillitsdelegationens förslag om kvarnbäcksstyrning.\n";
        std::fs::write(dir.path().join("content/statements/lulea-kulturnamnden.md"), added).unwrap();
        let updated = assert_updated_as_built(&mut indexer, dir.path());
        assert_eq!(fragments_holding(&updated, "kvarnbäcksstyrning"), 1);
        std::fs::remove_file(dir.path().join("content/statements/stockholm-farsta.md")).unwrap();
        assert_updated_as_built(&mut indexer, dir.path());
    }
}
