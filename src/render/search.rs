//! Search without a server: a Pagefind index over the pages citizens search in
//! (proposals, statements, updates, free pages), built from their rendered HTML. The
//! index and Pagefind's own script and styles are files of the site: nothing is loaded
//! from elsewhere. Pagefind stems Swedish words, and folds å, ä and ö as Swedish does.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::overview::url_path;
use super::{PageKey, Rendered, output_path};
use crate::diagnostic::Diagnostic;
use crate::model::Site;

/// The folder of the index and its scripts in the output.
pub const FOLDER: &str = "pagefind";

/// Indexes the searchable pages of `rendered` and adds the index to it.
pub fn add_index(site: &Site, rendered: &mut Rendered) -> Result<(), Diagnostic> {
    let searchable: Vec<PageKey> = super::all_pages(site)
        .into_iter()
        .filter(|key| matches!(key, PageKey::Proposal(_) | PageKey::Statement(_) | PageKey::Update(_) | PageKey::Free(_)))
        .collect();
    let pages: Vec<(String, String)> = searchable
        .iter()
        .filter_map(|key| {
            let html = rendered.files.get(&output_path(key))?;
            Some((site.config.link(&url_path(key)), String::from_utf8_lossy(html).into_owned()))
        })
        .collect();
    let failed = |error: String| {
        Diagnostic::in_file(FOLDER, format!("the search index could not be built: {error}"))
            .with_help("this is a bug in remiss or Pagefind; please report it with the site that shows it")
    };
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|error| failed(error.to_string()))?;
    let files = runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language(site.config.language.code().to_owned())
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|error| error.to_string())?;
        for (url, html) in pages {
            index.add_html_file(None, Some(url), html).await.map_err(|error| error.to_string())?;
        }
        index.get_files().await.map_err(|error| error.to_string())
    });
    for file in files.map_err(failed)? {
        let path = format!("{FOLDER}/{}", file.filename.to_string_lossy().replace('\\', "/"));
        rendered.files.insert(path, file.contents.into());
    }
    Ok(())
}
