//! Every page type of the bundled consultation passes axe-core's WCAG 2.1 A and AA rules
//! in a real Chromium, at a phone's width and at a desktop's, in the light and the dark
//! colour scheme (DOS-lagen: EN 301 549).

use crate::browser::Browser;
use crate::serve::Server;
use crate::support::repository;

/// One page of each type.
const PAGES: &[&str] = &[
    "",
    "forslag/",
    "forslag/generella-statsbidrag/",
    // Positions on its area as a whole, in a section of their own.
    "forslag/chefsrekrytering/",
    "remissvar/",
    "remissvar/malmo-asn/",
    "remissvar/stockholm-aldrenamnden/",
    "aktuellt/",
    "aktuellt/remissvaren-publicerade/",
    "om-webbplatsen/",
    "oversikt/",
    "oversikt/styrning/",
    "organisationer/stockholms-stad/",
    "stallningstaganden/tveksam/",
    "remissammanstallning/",
    "sok/",
    "finns-inte/",
];

fn axe_source() -> String {
    let path = repository().join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{} cannot be read ({error}): npm ci --prefix tests/browser", path.display()))
}

#[test]
#[cfg_attr(not(all(has_chromium, has_axe)), ignore = "needs Chromium and axe-core: apt-get install chromium; npm ci --prefix tests/browser")]
fn every_page_type_passes_axe_at_phone_and_desktop_width() {
    let axe = axe_source();
    let mut browser = Browser::launch();
    let server = Server::bundled();
    let mut violations = Vec::new();
    // Phone and desktop in the light scheme, and the desktop in the dark one (its
    // colours are checked for contrast too).
    for (width, height, mobile, scheme) in [(375, 812, true, "light"), (1280, 900, false, "light"), (1280, 900, false, "dark")] {
        browser.viewport(width, height, mobile);
        browser.color_scheme(scheme);
        for page in PAGES {
            browser.open(&server.url(page));
            browser.eval(&axe);
            let found = browser.eval(
                "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                   .then(result => ({
                     passes: result.passes.length,
                     violations: result.violations.map(violation =>
                       `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.slice(0, 3).map(node => node.target.join(' ')).join(', ')}`),
                   }))",
            );
            // A run that checked nothing would pass vacuously.
            assert!(found["passes"].as_u64().unwrap_or(0) > 10, "axe ran no rules on /{page}: {found}");
            for violation in found["violations"].as_array().expect("a list of violations") {
                violations.push(format!("/{page} at {width} px, {scheme}: {}", violation.as_str().unwrap_or_default()));
            }
        }
    }
    assert!(violations.is_empty(), "axe found {} violations:\n{}", violations.len(), violations.join("\n"));
}
