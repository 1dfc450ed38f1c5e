//! Search in a real browser: the Pagefind index built with the site, Swedish words
//! found by their stem.

use crate::browser::Browser;
use crate::serve::Server;

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

