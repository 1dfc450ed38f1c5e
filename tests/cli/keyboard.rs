//! Keyboard-only use in a real browser: Tab reaches every link and control once, in
//! reading order, starting with the skip link, which leads to the main content.

use crate::browser::Browser;
use crate::serve::Server;

/// Every element that Tab should reach, in document order, as short descriptions.
const FOCUSABLE: &str = "[...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex=\"-1\"])')]
    .filter(element => element.offsetParent !== null || element.getClientRects().length > 0)
    .map(element => element.outerHTML.slice(0, 120))";

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn tab_reaches_every_link_in_reading_order() {
    let mut browser = Browser::launch();
    let server = Server::bundled();
    for page in ["", "forslag/generella-statsbidrag/", "remissvar/stockholm-aldrenamnden/"] {
        browser.viewport(1280, 900, false);
        browser.open(&server.url(page));
        let expected: Vec<String> = serde_json::from_value(browser.eval(FOCUSABLE)).expect("a list");
        assert!(expected.len() > 10, "/{page}: {expected:?}");
        let mut reached = Vec::new();
        for _ in 0..expected.len() {
            browser.press("Tab", 9);
            reached.push(browser.eval("document.activeElement.outerHTML.slice(0, 120)").as_str().unwrap_or_default().to_owned());
        }
        assert!(reached[0].contains("skip-link"), "/{page}: the first stop is {}", reached[0]);
        assert_eq!(reached, expected, "/{page}: Tab order differs from reading order");
    }
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn the_skip_link_moves_focus_to_the_main_content() {
    let mut browser = Browser::launch();
    let server = Server::bundled();
    browser.open(&server.url("forslag/"));
    browser.press("Tab", 9);
    assert_eq!(browser.eval("document.activeElement.className"), "skip-link");
    // The skip link is visible while it has focus.
    assert_eq!(browser.eval("document.activeElement.getBoundingClientRect().top >= 0"), true);
    browser.press("Enter", 13);
    browser.wait_for("document.activeElement.id === '_innehall'");
    browser.press("Tab", 9);
    let next = browser.eval("document.activeElement.closest('main') !== null");
    assert_eq!(next, true, "after the skip link, Tab continues inside the main content");
}
