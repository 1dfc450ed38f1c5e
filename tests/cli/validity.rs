//! Every page is valid HTML: the Nu Html Checker (the W3C's validator, npm `vnu-jar`,
//! run with Debian's Java) reports no error and no warning on the bundled site, nor on
//! a synthetic one that uses what the bundled statements do not (tables, footnotes,
//! raw HTML, positions on an area, change notes, quotes across markup).
//!
//! Without Java or the checker the tests are ignored, with the reason (see build.rs);
//! with `REMISS_REQUIRE_BROWSER` set (as `.ci/run` does) they run, and fail.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{Built, Site, repository};

fn checker() -> PathBuf {
    let jar = repository().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(jar.is_file(), "{} is missing: npm ci --prefix tests/browser", jar.display());
    jar
}

/// Runs the checker over every HTML page of a built site and returns its messages, one
/// line each, naming the page and the line: errors, warnings and anything it could not
/// check. Plain information ("this page is in Swedish") is left out.
fn problems(jar: &Path, built: &Built) -> Vec<String> {
    let port = crate::support::serve_folder(&built.folder);
    let prefix = format!("http://127.0.0.1:{port}/");
    let pages: Vec<String> = built.files().into_keys().filter(|path| path.ends_with(".html")).map(|path| format!("{prefix}{path}")).collect();
    let output = Command::new("java")
        // The checker refuses loopback addresses unless told: they are this test's own.
        .args(["-Xss8m", "-Dnu.validator.servlet.allow-forbidden-hosts=true", "-jar"])
        .arg(jar)
        .args(["--format", "json"])
        .args(&pages)
        .output()
        .expect("java runs");
    // The checker writes its report on stderr and exits with 1 when it found errors.
    let report: Value = serde_json::from_slice(&output.stderr)
        .unwrap_or_else(|error| panic!("the checker's report is not JSON ({error}):\n{}", String::from_utf8_lossy(&output.stderr)));
    let messages = report["messages"].as_array().expect("a list of messages");
    messages
        .iter()
        .filter(|message| message["type"] != "info" || message["subType"] == "warning")
        .map(|message| {
            let kind = message["subType"].as_str().or(message["type"].as_str()).unwrap_or("?");
            let url = message["url"].as_str().unwrap_or("?");
            let page = url.strip_prefix(&prefix).unwrap_or(url);
            let line = message["lastLine"].as_u64().unwrap_or(0);
            let extract = message["extract"].as_str().unwrap_or("").replace('\n', " ");
            format!("{page}:{line}: {kind}: {} «{extract}»", message["message"].as_str().unwrap_or(""))
        })
        .collect()
}

fn assert_valid(jar: &Path, built: &Built) {
    let pages = built.pages().len();
    assert!(pages > 10, "only {pages} pages to check in {}", built.folder.display());
    let found = problems(jar, built);
    assert!(found.is_empty(), "the Nu Html Checker found {} problems:\n{}", found.len(), found.join("\n"));
}

#[test]
#[cfg_attr(not(has_vnu), ignore = "needs Java and the Nu Html Checker: apt-get install default-jre-headless; npm ci --prefix tests/browser")]
fn every_page_of_the_bundled_site_is_valid_html() {
    let jar = checker();
    let built = crate::bundled::build_bundled();
    assert_valid(&jar, &built);
}

#[test]
#[cfg_attr(not(has_vnu), ignore = "needs Java and the Nu Html Checker: apt-get install default-jre-headless; npm ci --prefix tests/browser")]
fn every_page_of_a_site_with_tables_footnotes_and_area_positions_is_valid_html() {
    let jar = checker();
    let site = Site::basic();
    site.write(
        "content/statements/lulea-ks.md",
        "+++
title = \"Kommunstyrelsen\"
organisation = \"Luleå kommun\"
date = 2024-10-01
reference = \"KS 2024/12\"
overall = \"supports\"

[[positions]]
proposal = \"samordnad-tillsyn\"
stance = \"supports\"
quote = 'Kommunen tillstyrker samordnad tillsyn, som utredningen föreslår. Den minskar'

[[positions]]
proposal = \"generella-statsbidrag\"
stance = \"doubtful\"
quote = 'Bidragen i tabellen'

[[area_positions]]
area = \"styrning\"
stance = \"supports\"
quote = 'Kommunen är positiv till rekommendationerna inom detta område.'

[[changes]]
date = 2024-10-10
note = \"Tabellen rättad.\"
+++
## Yttrande

Kommunen är positiv till rekommendationerna inom detta område.

Kommunen *tillstyrker* samordnad tillsyn, som [utredningen](https://example.org/sou) föreslår.[^1]
Den minskar dubbelarbetet.

### Bidragen i tabellen

| År | Riktade | Generella |
|---:|:--------|:---------:|
| 2017 | 12 | 88 |
| 2018 | 10 | 90 |

- En punkt med <abbr title=\"Sveriges Kommuner och Regioner\">SKR</abbr>.
- En punkt med H<sub>2</sub>O.

<div class=\"bilaga\">En bilaga i rå HTML.</div>

<table><tr><th scope=\"row\">Summa</th><td style=\"text-align:right\">100</td></tr></table>

[^1]: SOU 2018:47, s. 12.
",
    );
    let built = site.build(&[]);
    assert_valid(&jar, &built);
}

#[test]
#[cfg_attr(not(has_vnu), ignore = "needs Java and the Nu Html Checker: apt-get install default-jre-headless; npm ci --prefix tests/browser")]
fn every_page_of_a_new_site_is_valid_html() {
    // What `remiss init` makes is where an editor starts: it should start valid.
    let jar = checker();
    let site = Site::empty();
    site.succeed(&["init", "."]);
    let built = site.build(&[]);
    assert_valid(&jar, &built);
}
