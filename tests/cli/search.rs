//! Search in a real browser: the Pagefind index built with the site, Swedish words
//! found by their stem.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use crate::browser::Browser;
use crate::serve::Server;
use crate::support::Site;

/// Types a query into the search page, waits until every link in `expected` (a link
/// ending in `/` stands for any below it) is among the results (Pagefind shows them as
/// they load), and returns the result links.
fn search(browser: &mut Browser, server: &Server, query: &str, expected: &[&str]) -> Vec<String> {
    browser.open(&server.url("sok/"));
    browser.wait_for("document.querySelector('.pagefind-ui__search-input') !== null");
    browser.eval(&format!(
        "(() => {{ const input = document.querySelector('.pagefind-ui__search-input');
                   input.value = {query:?}; input.dispatchEvent(new Event('input')); }})()"
    ));
    browser.wait_for(&format!(
        "(() => {{ const links = [...document.querySelectorAll('.pagefind-ui__result-link')].map(link => link.getAttribute('href'));
                   return {expected:?}.every(wanted => links.some(link => link === wanted || (wanted.endsWith('/') && link.startsWith(wanted) && wanted.split('/').length === 3))); }})()"
    ));
    let links = browser.eval("[...document.querySelectorAll('.pagefind-ui__result-link')].map(link => link.getAttribute('href'))");
    links.as_array().expect("links").iter().filter_map(|link| link.as_str().map(str::to_owned)).collect()
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn search_finds_statements_and_proposals_by_swedish_word_forms() {
    let mut browser = Browser::launch();
    let server = Server::bundled();
    server.wait_for_search_index();
    // "statsbidragen" is not in the texts as written; its stem is.
    let results = search(&mut browser, &server, "statsbidragen", &["/forslag/generella-statsbidrag/", "/remissvar/"]);
    assert!(results.iter().any(|link| link == "/forslag/generella-statsbidrag/"), "{results:?}");
    assert!(results.iter().any(|link| link.starts_with("/remissvar/")), "{results:?}");
    // A word with å/ä/ö, written with them and without (as on a keyboard that lacks them).
    for query in ["äldreförvaltningen", "aldreforvaltningen"] {
        let results = search(&mut browser, &server, query, &["/remissvar/stockholm-aldrenamnden/"]);
        assert!(results.iter().any(|link| link == "/remissvar/stockholm-aldrenamnden/"), "{query}: {results:?}");
    }
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn a_word_saved_in_the_preview_is_found_by_search() {
    let mut browser = Browser::launch();
    let server = Server::start(Site::basic());
    server.wait_for_search_index();
    let entry = server.get("/pagefind/pagefind-entry.json").1;
    server.site.replace(
        "content/statements/umea-ks.md",
        "- Kommunen saknar en analys av kostnaderna.",
        "- Kommunen saknar en analys av kostnaderna för Kvarnbäcksprojektet.",
    );
    // The entry names the index by its hash: a new one means the edit was indexed.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while server.get("/pagefind/pagefind-entry.json").1 == entry {
        assert!(std::time::Instant::now() < deadline, "the index was not made again after the save");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let results = search(&mut browser, &server, "kvarnbäcksprojektet", &["/remissvar/umea-ks/"]);
    assert!(results.iter().any(|link| link.starts_with("/remissvar/umea-ks/")), "{results:?}");
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn a_word_in_a_quote_leads_to_the_quoted_passage() {
    let mut browser = Browser::launch();
    let server = Server::bundled();
    server.wait_for_search_index();
    // Malmö's position on the area "försök" as a whole, and on one proposal.
    for (query, passage) in [("försiktigt", "/remissvar/malmo-asn/#svar-omradet-forsok"), ("evidens", "/remissvar/malmo-asn/#svar-brukarnas-erfarenheter")] {
        search(&mut browser, &server, query, &[passage]);
        let excerpts = browser.eval("[...document.querySelectorAll('.pagefind-ui__result-excerpt')].map(excerpt => excerpt.textContent).join(' | ')");
        let excerpts = excerpts.as_str().expect("excerpts");
        // Snippets hold the statements' words, not the page's furniture.
        for furniture in ["Tillstyrker", "Om förslaget", "Om området"] {
            assert!(!excerpts.contains(furniture), "{query}: {furniture:?} in {excerpts}");
        }
        browser.eval(&format!("document.querySelector('.pagefind-ui__result-link[href=\"{passage}\"]').click()"));
        let (path, id) = passage.split_once('#').expect("an anchor");
        // The new page's URL comes before its document: wait for the passage itself.
        browser.wait_for(&format!("location.pathname === {path:?} && location.hash === {:?} && document.getElementById({id:?}) !== null", format!("#{id}")));
        let quoted = browser.eval(&format!("document.getElementById({id:?}).textContent.toLowerCase().includes({query:?})"));
        assert_eq!(quoted, serde_json::Value::Bool(true), "{passage} holds {query:?}");
    }
}

/// An index decoded from Pagefind's files: what a browser would read of it.
#[derive(Debug, PartialEq, Eq)]
struct Decoded {
    version: String,
    /// By URL: title, the stems found in the text, those found in the title, and the
    /// spellings with diacritics.
    pages: BTreeMap<String, DecodedPage>,
}

#[derive(Debug, PartialEq, Eq, Default)]
struct DecodedPage {
    title: String,
    words: BTreeSet<String>,
    title_words: BTreeSet<String>,
    variants: BTreeSet<String>,
    /// Ids a result may land on.
    anchors: BTreeSet<String>,
}

#[derive(minicbor::Decode)]
struct Meta {
    #[n(0)]
    version: String,
    #[n(1)]
    pages: Vec<MetaPage>,
    #[n(2)]
    chunks: Vec<MetaChunk>,
}

#[derive(minicbor::Decode)]
struct MetaPage {
    #[n(0)]
    hash: String,
}

#[derive(minicbor::Decode)]
struct MetaChunk {
    #[n(2)]
    hash: String,
}

#[derive(minicbor::Decode)]
struct Chunk {
    #[n(0)]
    words: Vec<Word>,
}

#[derive(minicbor::Decode)]
struct Word {
    #[n(0)]
    word: String,
    #[n(1)]
    pages: Vec<Posting>,
    #[n(2)]
    variants: Vec<Variant>,
}

#[derive(minicbor::Decode)]
struct Variant {
    #[n(0)]
    form: String,
    #[n(1)]
    pages: Vec<Posting>,
}

#[derive(minicbor::Decode)]
struct Posting {
    #[n(0)]
    page_delta: usize,
    #[n(1)]
    locs: Vec<i32>,
    #[n(2)]
    meta_locs: Vec<i32>,
}

/// `pagefind_dcd` and CBOR or JSON, gzip-compressed, as Pagefind's script reads them.
fn unpack(compressed: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(compressed).read_to_end(&mut bytes).expect("gzip");
    bytes.strip_prefix(b"pagefind_dcd").expect("the pagefind_dcd signature").to_vec()
}

impl Decoded {
    /// `files`: the index folder's files, by their paths in it.
    fn read(files: &BTreeMap<String, Vec<u8>>) -> Decoded {
        let entry: serde_json::Value = serde_json::from_slice(&files["pagefind-entry.json"]).expect("the entry");
        let hash = entry["languages"]["sv"]["hash"].as_str().expect("a Swedish index");
        let meta: Meta = minicbor::decode(&unpack(&files[&format!("pagefind.{hash}.pf_meta")])).expect("the metadata");
        assert_eq!(entry["languages"]["sv"]["page_count"], meta.pages.len());
        let mut pages: Vec<DecodedPage> = Vec::new();
        let mut urls = Vec::new();
        for page in &meta.pages {
            let fragment: serde_json::Value = serde_json::from_slice(&unpack(&files[&format!("fragment/{}.pf_fragment", page.hash)])).expect("a fragment");
            urls.push(fragment["url"].as_str().expect("a URL").to_owned());
            let anchors = fragment["anchors"].as_array().expect("anchors").iter().map(|anchor| anchor["id"].as_str().expect("an id").to_owned()).collect();
            pages.push(DecodedPage { title: fragment["meta"]["title"].as_str().expect("a title").to_owned(), anchors, ..DecodedPage::default() });
        }
        for chunk in &meta.chunks {
            let chunk: Chunk = minicbor::decode(&unpack(&files[&format!("index/{}.pf_index", chunk.hash)])).expect("an index chunk");
            for word in chunk.words {
                let mut number = 0;
                for posting in &word.pages {
                    // Page numbers are deltas from the previous posting's.
                    number += posting.page_delta;
                    pages.get_mut(number).expect("a page").add(&word.word, posting);
                }
                for variant in &word.variants {
                    let mut number = 0;
                    for posting in &variant.pages {
                        number += posting.page_delta;
                        let page = pages.get_mut(number).expect("a page");
                        page.variants.insert(variant.form.clone());
                        page.add(&word.word, posting);
                    }
                }
            }
        }
        Decoded { version: meta.version, pages: urls.into_iter().zip(pages).collect() }
    }
}

impl DecodedPage {
    fn add(&mut self, word: &str, posting: &Posting) {
        if !posting.locs.is_empty() {
            self.words.insert(word.to_owned());
        }
        if !posting.meta_locs.is_empty() {
            self.title_words.insert(word.to_owned());
        }
    }
}

/// What Pagefind 1.6.0 itself makes of the pages written to `folder`.
fn pagefind_of(folder: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    let files = runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder().force_language("sv".to_owned()).build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).expect("Pagefind");
        index.add_directory(folder.to_str().expect("a UTF-8 path").to_owned(), Some("**/*.html".to_owned())).await.expect("Pagefind reads the pages");
        index.get_files().await.expect("Pagefind's files")
    });
    files.into_iter().map(|file| (file.filename.to_string_lossy().into_owned(), file.contents)).collect()
}

#[test]
fn the_index_written_from_the_model_holds_what_pagefind_finds_in_the_pages() {
    let site = Site::empty();
    let root = crate::support::repository().to_str().expect("a UTF-8 path").to_owned();
    let built = site.build(&["--root", &root, "--output-dir", site.path("public").to_str().expect("a UTF-8 path")]);
    let ours: BTreeMap<String, Vec<u8>> = built
        .files()
        .into_iter()
        .filter_map(|(path, bytes)| Some((path.strip_prefix("pagefind/")?.to_owned(), bytes)))
        .collect();
    let ours = Decoded::read(&ours);
    let theirs = Decoded::read(&pagefind_of(&built.folder));
    assert_eq!(ours.version, theirs.version);
    assert_eq!(ours.version, remiss::search::PAGEFIND_VERSION);
    assert_eq!(ours.pages.keys().collect::<Vec<_>>(), theirs.pages.keys().collect::<Vec<_>>(), "the same pages");
    for (url, page) in &ours.pages {
        let pagefind = &theirs.pages[url];
        assert_eq!(page.title, pagefind.title, "{url}: title");
        let missing: Vec<_> = pagefind.words.difference(&page.words).collect();
        let extra: Vec<_> = page.words.difference(&pagefind.words).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{url}: words Pagefind finds and remiss does not: {missing:?}; the other way: {extra:?}");
        assert_eq!(page.title_words, pagefind.title_words, "{url}: words of the title");
        assert_eq!(page.variants, pagefind.variants, "{url}: spellings with diacritics");
        let nowhere: Vec<_> = page.anchors.difference(&pagefind.anchors).collect();
        assert!(nowhere.is_empty(), "{url}: anchors that are no element's id on the page: {nowhere:?}");
    }
    // Not two empty indexes: every page found by its title, and thousands of words.
    assert!(ours.pages.values().all(|page| !page.title_words.is_empty()));
    let words: usize = ours.pages.values().map(|page| page.words.len()).sum();
    assert!(words > 3_000, "{words} words");
    // Results land on quoted passages, as well as headings.
    assert!(ours.pages.values().any(|page| page.anchors.iter().any(|id| id.starts_with("svar-"))));
}
