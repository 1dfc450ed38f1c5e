//! The layout in a real Chromium: no page scrolls sideways at a phone's width or a
//! desktop's; the overview table scrolls inside its box instead, with its header row
//! and its proposals' column in view.

use crate::browser::Browser;
use crate::serve::Server;

/// The pages with the widest content: the overview tables, long titles, quotes.
const PAGES: &[&str] = &[
    "",
    "organisationer/stockholms-stad/",
    "forslag/generella-statsbidrag/",
    "remissvar/malmo-asn/",
    "remissvar/stockholm-aldrenamnden/",
    "oversikt/",
    "oversikt/styrning/",
    "stallningstaganden/tillstyrker/",
    "remissammanstallning/",
];

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn no_page_scrolls_sideways_at_phone_or_desktop_width() {
    // Issue 14 §2: the home page was 1,781 px wide at 1280 px (hidden labels of empty
    // cells positioned outside the table's box), the organisation page 1,461 px.
    let mut browser = Browser::launch();
    let server = Server::bundled();
    let mut wide = Vec::new();
    for (width, height, mobile) in [(375, 812, true), (1280, 900, false)] {
        browser.viewport(width, height, mobile);
        for page in PAGES {
            browser.open(&server.url(page));
            let measured = browser.eval("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            let (scroll, client) = (measured[0].as_u64().unwrap_or(0), measured[1].as_u64().unwrap_or(0));
            assert!(client > 0, "/{page} measured nothing: {measured}");
            if scroll > client {
                wide.push(format!("/{page} at {width} px: {scroll} px wide in a {client} px window"));
            }
        }
    }
    assert!(wide.is_empty(), "pages that scroll sideways:\n{}", wide.join("\n"));
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn the_overview_scrolls_in_its_box_with_its_header_row_and_first_column_in_view() {
    let mut browser = Browser::launch();
    let server = Server::bundled();
    for (width, height, mobile) in [(375, 812, true), (1280, 900, false)] {
        browser.viewport(width, height, mobile);
        browser.open(&server.url(""));
        let state = browser.eval(
            "(() => {
               const box = document.querySelector('.table-scroll');
               const table = box.querySelector('table.overview');
               const header = table.querySelector('thead th:nth-child(2)');
               const first = table.querySelector('tbody th[scope=row]');
               const hint = box.previousElementSibling;
               box.scrollLeft = box.scrollWidth;
               box.scrollTop = box.scrollHeight;
               const boxRect = box.getBoundingClientRect();
               return {
                 scrolls: box.scrollWidth > box.clientWidth,
                 isTable: getComputedStyle(table).display === 'table',
                 headerInView: Math.abs(header.getBoundingClientRect().top - boxRect.top) < 3,
                 firstInView: Math.abs(first.getBoundingClientRect().left - boxRect.left) < 3,
                 hint: hint && hint.classList.contains('scroll-hint') && getComputedStyle(hint).display !== 'none',
               };
             })()",
        );
        assert_eq!(state["scrolls"], true, "at {width} px the bundled overview should be wider than its box: {state}");
        assert_eq!(state["isTable"], true, "at {width} px: {state}");
        assert_eq!(state["headerInView"], true, "at {width} px the header row scrolled away: {state}");
        assert_eq!(state["firstInView"], true, "at {width} px the proposals' column scrolled away: {state}");
        assert_eq!(state["hint"], true, "at {width} px there is no hint that the table scrolls: {state}");
    }
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn a_deep_link_scrolls_its_marked_quote_into_view_with_room_above() {
    // Issue 14 §2: a link to a position lands on the quoted words, not on a paragraph.
    let mut browser = Browser::launch();
    let server = Server::bundled();
    for (width, height, mobile) in [(375, 812, true), (1280, 900, false)] {
        browser.viewport(width, height, mobile);
        // From another page: the same URL again would only move within the page.
        browser.open(&server.url(""));
        browser.open(&server.url("remissvar/malmo-asn/#svar-tillsynens-inriktning"));
        let target = browser.eval(
            "(() => {
               const target = document.querySelector(':target');
               const words = [...target.childNodes].filter(node => !(node.classList && node.classList.contains('visually-hidden'))).map(node => node.textContent).join('');
               return { name: target.localName, top: target.getBoundingClientRect().top, height: innerHeight, words };
             })()",
        );
        assert_eq!(target["name"], "mark", "at {width} px: {target}");
        let top = target["top"].as_f64().unwrap_or(-1.0);
        assert!(top >= 40.0 && top < target["height"].as_f64().unwrap_or(0.0) / 2.0, "at {width} px the quote is at {top} px: {target}");
        assert_eq!(
            target["words"],
            "Arbetsmarknads- och socialnämnden ser positivt på Tillitsdelegationens förslag att förtydliga vikten av en situations- och verksamhetsanpassad statlig tillsyn.",
            "at {width} px"
        );
    }
}
