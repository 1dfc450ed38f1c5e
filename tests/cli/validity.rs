//! Every page is valid HTML: the Nu Html Checker (the W3C's validator, npm `vnu-jar`,
//! run with Debian's Java) reports no error and no warning on the bundled site, nor on
//! a synthetic one that uses what the bundled statements do not (tables, footnotes,
//! raw HTML, positions on an area, change notes, quotes across markup).
//!
//! Without Java or the checker the tests skip, loudly, as the browser tests do; with
//! `REMISS_REQUIRE_BROWSER` set (as `.ci/run` does) that is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{Site, repository};

fn checker() -> Option<PathBuf> {
    let jar = repository().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    let java = Command::new("java").arg("-version").output().is_ok_and(|output| output.status.success());
    let missing = match (java, jar.is_file()) {
        (true, true) => return Some(jar),
        (false, _) => "java is not installed (apt-get install default-jre-headless)",
        (true, false) => "the Nu Html Checker is not installed (npm ci --prefix tests/browser)",
    };
    assert!(std::env::var_os("REMISS_REQUIRE_BROWSER").is_none(), "REMISS_REQUIRE_BROWSER is set but {missing}");
    eprintln!("SKIPPED: validity test, {missing}");
    None
}

/// Runs the checker over every HTML page below `folder` and returns its messages, one
/// line each, naming the page and the line: errors, warnings and anything it could not
/// check. Plain information ("this page is in Swedish") is left out.
fn problems(jar: &Path, folder: &Path) -> Vec<String> {
    let output = Command::new("java")
        .args(["-Xss8m", "-jar"])
        .arg(jar)
        .args(["--format", "json", "--skip-non-html"])
        .arg(folder)
        .output()
        .expect("java runs");
    // The checker writes its report on stderr and exits with 1 when it found errors.
    let report: Value = serde_json::from_slice(&output.stderr)
        .unwrap_or_else(|error| panic!("the checker's report is not JSON ({error}):\n{}", String::from_utf8_lossy(&output.stderr)));
    let messages = report["messages"].as_array().expect("a list of messages");
    let prefix = format!("file:{}/", folder.display());
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

fn assert_valid(jar: &Path, folder: &Path, pages: usize) {
    assert!(pages > 10, "only {pages} pages to check in {}", folder.display());
    let found = problems(jar, folder);
    assert!(found.is_empty(), "the Nu Html Checker found {} problems:\n{}", found.len(), found.join("\n"));
}

#[test]
fn every_page_of_the_bundled_site_is_valid_html() {
    let Some(jar) = checker() else { return };
    let built = crate::bundled::build_bundled();
    assert_valid(&jar, &built.folder, built.pages().len());
}

#[test]
fn every_page_of_a_site_with_tables_footnotes_and_area_positions_is_valid_html() {
    let Some(jar) = checker() else { return };
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

[^1]: SOU 2018:47, s. 12.
",
    );
    let built = site.build(&[]);
    assert_valid(&jar, &built.folder, built.pages().len());
}

#[test]
fn every_page_of_a_new_site_is_valid_html() {
    // What `remiss init` makes is where an editor starts: it should start valid.
    let Some(jar) = checker() else { return };
    let site = Site::empty();
    site.succeed(&["init", "."]);
    let built = site.build(&[]);
    assert_valid(&jar, &built.folder, built.pages().len());
}
