//! Editing in the preview (issue 13): positions recorded, changed and reviewed from the
//! pages of `remiss serve`, written back to the statements' files.

use std::time::{Duration, Instant};

use crate::browser::Browser;
use crate::serve::{Server, request};
use crate::support::Site;

const STATEMENT: &str = "content/statements/umea-ks.md";

/// What a preview page carries for editing: its token and its data.
struct Editable {
    token: String,
    data: serde_json::Value,
}

fn editable(server: &Server, path: &str) -> Editable {
    let (status, _, page) = request(server.port, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}", server.port), "");
    assert_eq!(status, 200, "{path}");
    let token = between(&page, "<meta name=\"remiss-edit-token\" content=\"", "\"").expect("a token").to_owned();
    let data = between(&page, "<script type=\"application/json\" id=\"remiss-edit-data\">", "</script>").expect("editing data");
    Editable { token, data: serde_json::from_str(data).expect("JSON") }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    Some(&text[from..from + text[from..].find(end)?])
}

/// POSTs an edit with the given extra header lines; returns status and answer.
fn post(server: &Server, headers: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let head = format!(
        "POST /_remiss/edit/position HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json{headers}",
        server.port
    );
    let (status, _, answer) = request(server.port, &head, &body.to_string());
    // Refusals before the route (Host, Origin) are plain text.
    (status, serde_json::from_str(&answer).unwrap_or_else(|_| serde_json::json!({ "error": answer })))
}

fn with_token(token: &str) -> String {
    format!("\r\nX-Remiss-Token: {token}")
}

fn record(version: &str) -> serde_json::Value {
    serde_json::json!({
        "statement": "umea-ks",
        "proposal": "samordnad-tillsyn",
        "stance": "doubtful",
        "quote": "Kommunen saknar en analys av kostnaderna.",
        "version": version,
    })
}

/// Waits until the server has rebuilt after a write (the page's version changes).
fn wait_for_version_change(server: &Server, path: &str, before: &serde_json::Value) -> Editable {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = editable(server, path);
        if &page.data["version"] != before {
            return page;
        }
        assert!(Instant::now() < deadline, "no rebuild after the write");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn every_refusal_leaves_the_file_byte_identical() {
    let server = Server::start(Site::basic());
    let page = editable(&server, "/remissvar/umea-ks/");
    let version = page.data["version"].as_str().expect("a version").to_owned();
    let original = std::fs::read(server.site.path(STATEMENT)).expect("the statement");
    let token = with_token(&page.token);
    let foreign_origin = format!("{token}\r\nOrigin: http://rebound.example");
    let edited = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut body = record(&version);
        change(&mut body);
        body
    };
    let cases: Vec<(&str, String, serde_json::Value, u16, &str)> = vec![
        ("no token", String::new(), record(&version), 403, "X-Remiss-Token"),
        ("a wrong token", with_token(&"0".repeat(64)), record(&version), 403, "X-Remiss-Token"),
        ("a foreign Origin", foreign_origin, record(&version), 403, "another site"),
        ("an unknown proposal", token.clone(), edited(&|body| body["proposal"] = "samordnad-tilsyn".into()), 422, "no proposal `samordnad-tilsyn`"),
        ("a quote not in the text", token.clone(), edited(&|body| body["quote"] = "Kommunen saknar en analys av intäkterna.".into()), 422, "not a passage"),
        ("a position already there", token.clone(), edited(&|body| body["proposal"] = "larande-tillsyn".into()), 409, "already has a position"),
        ("a stale page", token.clone(), record("0123456789abcdef"), 409, "changed on disk"),
        ("a path out of content/", token.clone(), edited(&|body| body["statement"] = "../../config".into()), 400, "not a statement id"),
        ("an unknown statement", token.clone(), edited(&|body| body["statement"] = "finns-inte".into()), 404, "no statement"),
        ("no position to remove", token.clone(), serde_json::json!({"statement": "umea-ks", "proposal": "vite-i-skollagen", "remove": true, "version": version}), 404, "no position"),
        ("accepting what is not suggested", token.clone(), serde_json::json!({"statement": "umea-ks", "proposal": "larande-tillsyn", "accept": true, "version": version}), 422, "not a suggestion"),
    ];
    for (case, headers, body, status, message) in cases {
        let (got, answer) = post(&server, &headers, &body);
        assert_eq!(got, status, "{case}: {answer}");
        assert!(answer["error"].as_str().is_some_and(|error| error.contains(message)), "{case}: {answer}");
        assert_eq!(std::fs::read(server.site.path(STATEMENT)).expect("the statement"), original, "{case} changed the file");
    }
    // A request for another host is refused before anything else.
    let head = format!("POST /_remiss/edit/position HTTP/1.1\r\nHost: rebound.example:{}\r\nContent-Type: application/json{token}", server.port);
    let (status, _, _) = request(server.port, &head, &record(&version).to_string());
    assert_eq!(status, 421);
    assert_eq!(std::fs::read(server.site.path(STATEMENT)).expect("the statement"), original);
    // Nothing was left beside the file.
    let files: Vec<_> = std::fs::read_dir(server.site.path("content/statements")).expect("the folder").map(|entry| entry.expect("an entry").file_name()).collect();
    assert_eq!(files.len(), 4, "{files:?}");
}

#[test]
fn a_write_keeps_comments_and_order_byte_for_byte() {
    let site = Site::basic();
    let original = site.read(STATEMENT).replace(
        "overall = \"doubtful\"\n",
        "overall = \"doubtful\"   # decided 2024-10-01\n# Positions, in the order of the text.\n",
    );
    site.write(STATEMENT, &original);
    let server = Server::start(site);
    let page = editable(&server, "/remissvar/umea-ks/");
    let (status, answer) = post(&server, &with_token(&page.token), &record(page.data["version"].as_str().expect("a version")));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["written"], "content/statements/umea-ks.md");
    let (front, body) = original.rsplit_once("+++\n").expect("front matter");
    let expected = format!(
        "{front}\n[[positions]]\nproposal = \"samordnad-tillsyn\"\nstance = \"doubtful\"\nquote = \"Kommunen saknar en analys av kostnaderna.\"\n+++\n{body}"
    );
    assert_eq!(server.site.read(STATEMENT), expected);

    // Changed and then removed through the same route, the rest still untouched.
    let page = wait_for_version_change(&server, "/remissvar/umea-ks/", &page.data["version"]);
    let change = serde_json::json!({"statement": "umea-ks", "replace": "samordnad-tillsyn", "stance": "opposes", "version": page.data["version"]});
    assert_eq!(post(&server, &with_token(&page.token), &change).0, 200);
    assert_eq!(server.site.read(STATEMENT), expected.replace("stance = \"doubtful\"\nquote = \"Kommunen saknar", "stance = \"opposes\"\nquote = \"Kommunen saknar"));
    let page = wait_for_version_change(&server, "/remissvar/umea-ks/", &page.data["version"]);
    let remove = serde_json::json!({"statement": "umea-ks", "proposal": "samordnad-tillsyn", "remove": true, "version": page.data["version"]});
    assert_eq!(post(&server, &with_token(&page.token), &remove).0, 200);
    assert_eq!(server.site.read(STATEMENT), original);
}

#[test]
fn a_built_site_carries_no_token_and_no_editing_script() {
    let built = Site::basic().build(&[]);
    for (path, bytes) in built.files() {
        let text = String::from_utf8_lossy(&bytes);
        for trace in ["remiss-edit", "_remiss/", "__remiss", "X-Remiss-Token"] {
            assert!(!text.contains(trace), "{path} carries {trace}");
        }
    }
}

#[test]
fn editing_is_off_on_a_network_interface_unless_asked_for() {
    let server = Server::start_on(Site::basic(), 0, &["--interface", "0.0.0.0"]);
    let (status, _, page) = request(server.port, &format!("GET /remissvar/umea-ks/ HTTP/1.1\r\nHost: 127.0.0.1:{}", server.port), "");
    assert_eq!(status, 200);
    assert!(!page.contains("remiss-edit-token") && !page.contains("edit.js"), "editing offered on the network");
    let (status, answer) = post(&server, &with_token("anything"), &record("x"));
    assert_eq!(status, 403, "{answer}");
    assert!(server.stderr.lock().expect("stderr").contains("editing in the preview is off"));

    let server = Server::start_on(Site::basic(), 0, &["--interface", "0.0.0.0", "--edit-on-network"]);
    let page = editable(&server, "/remissvar/umea-ks/");
    assert_eq!(page.token.len(), 64);
    assert!(server.stderr.lock().expect("stderr").contains("warning: --edit-on-network"));
}

/// Two suggestions, as `remiss import` writes them, in a statement of the fixture.
fn with_suggestions() -> Site {
    let site = Site::basic();
    site.replace(
        "content/statements/goteborg-ks.md",
        "+++\n## Sammanfattning",
        "\n[[positions]]\nproposal = \"samordnad-tillsyn\"\nstance = \"supports\"\n\
         quote = 'Kommunstyrelsen delar delegationens bild av att tillit behöver byggas underifrån.'\nsuggested = true\nconfidence = 0.8\n\n\
         [[positions]]\nproposal = \"larande-tillsyn\"\nstance = \"opposes\"\n\
         quote = 'Riktade bidrag skapar administration utan att ge bättre resultat.'\nsuggested = true\nconfidence = 0.4\n+++\n## Sammanfattning",
    );
    site
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn a_position_is_recorded_from_a_selection_and_shows_everywhere() {
    let mut browser = Browser::launch();
    browser.record_policy_violations();
    let server = Server::start(Site::basic());
    browser.open(&server.url("remissvar/umea-ks/"));
    // The sentence selected as a reader would, with the mouse.
    browser.eval(
        "(() => { const item = [...document.querySelectorAll('.statement-text li')].find(li => li.textContent.includes('saknar en analys'));
                  const range = document.createRange(); range.selectNodeContents(item);
                  const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range);
                  document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true })); })()",
    );
    browser.wait_for("!document.getElementById('remiss-record').hidden");
    assert_eq!(browser.eval("document.getElementById('remiss-record').textContent"), "Registrera ställningstagande");
    browser.eval("document.getElementById('remiss-record').click()");
    browser.wait_for("document.querySelector('dialog.remiss-edit-dialog[open]') !== null");
    // The proposals the statement addresses come first; the list is searchable.
    let groups = browser.eval("[...document.querySelectorAll('#remiss-edit-proposal optgroup')].map(group => group.label)");
    assert_eq!(groups, serde_json::json!(["Förslag som svaret redan tar ställning till", "Övriga förslag"]));
    browser.eval("(() => { const search = document.getElementById('remiss-edit-search'); search.value = 'samordnad'; search.dispatchEvent(new Event('input')); })()");
    assert_eq!(browser.eval("document.querySelectorAll('#remiss-edit-proposal option').length"), 1);
    browser.eval("document.getElementById('remiss-edit-proposal').value = 'samordnad-tillsyn'");
    assert_eq!(browser.eval("document.querySelector('label[for=remiss-edit-stance-doubtful]').textContent"), "Tveksam");
    browser.eval("document.getElementById('remiss-edit-stance-doubtful').checked = true");
    assert_eq!(browser.eval("window.remissViolations"), serde_json::json!([]), "the policy blocked the editing controls");
    browser.eval("document.getElementById('remiss-edit-save').click()");
    // The live reload shows the passage marked.
    browser.wait_for("document.getElementById('svar-samordnad-tillsyn') !== null && document.getElementById('svar-samordnad-tillsyn').textContent.includes('saknar en analys')");
    assert!(server.site.read(STATEMENT).contains("proposal = \"samordnad-tillsyn\"\nstance = \"doubtful\"\nquote = \"Kommunen saknar en analys av kostnaderna.\""));

    browser.open(&server.url("forslag/samordnad-tillsyn/"));
    browser.wait_for("document.querySelector('#instans_umea-ks .stance-doubtful') !== null");
    browser.open(&server.url(""));
    browser.wait_for("document.querySelector('a.cell.stance-doubtful[href=\"/remissvar/umea-ks/#svar-samordnad-tillsyn\"]') !== null");

    // The stance changed from the proposal page.
    browser.open(&server.url("forslag/samordnad-tillsyn/"));
    browser.eval("document.querySelector('#instans_umea-ks .remiss-edit-controls select').value = 'opposes'");
    browser.eval("document.querySelector('#instans_umea-ks button[data-action=change]').click()");
    browser.wait_for("document.querySelector('#instans_umea-ks .stance-opposes') !== null");
    assert!(server.site.read(STATEMENT).contains("proposal = \"samordnad-tillsyn\"\nstance = \"opposes\""));

    // Another passage for a proposal the statement addresses replaces the quote; a
    // dialog cancelled first leaves nothing behind.
    browser.open(&server.url("remissvar/umea-ks/"));
    let select = "(() => { const paragraph = [...document.querySelectorAll('.statement-text p')].find(p => p.textContent.includes('framföra följande'));
                   const range = document.createRange(); range.selectNodeContents(paragraph);
                   const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range);
                   document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true })); })()";
    browser.eval(select);
    browser.wait_for("!document.getElementById('remiss-record').hidden");
    browser.eval("document.getElementById('remiss-record').click()");
    browser.eval("[...document.querySelectorAll('dialog.remiss-edit-dialog button')].find(button => button.textContent === 'Avbryt').click()");
    browser.wait_for("document.querySelector('dialog.remiss-edit-dialog') === null");
    browser.eval(select);
    browser.wait_for("!document.getElementById('remiss-record').hidden");
    browser.eval("document.getElementById('remiss-record').click()");
    let addressed = browser.eval("[...document.querySelectorAll('#remiss-edit-proposal optgroup')[0].querySelectorAll('option')].map(option => option.value)");
    assert!(addressed.as_array().is_some_and(|ids| ids.contains(&serde_json::json!("samordnad-tillsyn"))), "{addressed}");
    browser.eval("document.getElementById('remiss-edit-proposal').value = 'samordnad-tillsyn'");
    browser.eval("document.getElementById('remiss-edit-stance-supports').checked = true");
    browser.eval("document.getElementById('remiss-edit-save').click()");
    browser.wait_for("document.getElementById('svar-samordnad-tillsyn') !== null && document.getElementById('svar-samordnad-tillsyn').textContent.includes('framföra följande')");
    assert!(server.site.read(STATEMENT).contains("proposal = \"samordnad-tillsyn\"\nstance = \"supports\"\nquote = \"Kommunen vill också framföra följande:\""));
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn suggestions_are_accepted_and_rejected_from_the_review_list() {
    let mut browser = Browser::launch();
    let server = Server::start(with_suggestions());
    const FILE: &str = "content/statements/goteborg-ks.md";
    // On the statement page a suggestion is marked as one.
    browser.open(&server.url("remissvar/goteborg-ks/"));
    // Not published, so not anchored: listed above the text, and marked where it stands.
    browser.wait_for("document.querySelector('mark.remiss-suggested[data-proposal=samordnad-tillsyn]') !== null");
    assert_eq!(browser.eval("document.querySelectorAll('.remiss-suggestions .remiss-suggestion').length"), 2);
    browser.wait_for("document.querySelectorAll('.remiss-edit-controls button[data-action=accept]').length === 2");

    browser.open(&server.url("_remiss/granska/"));
    assert_eq!(browser.eval("document.querySelectorAll('.remiss-suggestion').length"), 2);
    browser.eval("document.querySelector('.remiss-suggestion[data-proposal=samordnad-tillsyn] button[data-action=accept]').click()");
    browser.wait_for("document.querySelectorAll('.remiss-suggestion').length === 1");
    let text = server.site.read(FILE);
    assert!(text.contains("byggas underifrån.'\n\n[[positions]]"), "accepting removes `suggested` and `confidence` only:\n{text}");
    assert_eq!(text.matches("suggested = true").count(), 1);

    browser.eval("document.querySelector('.remiss-suggestion[data-proposal=larande-tillsyn] button[data-action=reject]').click()");
    browser.wait_for("document.querySelector('.remiss-review-none') !== null");
    let text = server.site.read(FILE);
    assert!(!text.contains("larande-tillsyn") && !text.contains("suggested"), "{text}");
    assert!(text.contains("proposal = \"samordnad-tillsyn\""));
}

#[test]
fn a_selection_is_widened_to_whole_sentences_when_asked() {
    let server = Server::start(Site::basic());
    let page = editable(&server, "/remissvar/umea-ks/");
    let mut body = record(page.data["version"].as_str().expect("a version"));
    body["quote"] = "saknar en analys".into();
    body["widen"] = true.into();
    let (status, answer) = post(&server, &with_token(&page.token), &body);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["quote"], "Kommunen saknar en analys av kostnaderna.");
    assert!(server.site.read(STATEMENT).contains("quote = \"Kommunen saknar en analys av kostnaderna.\""));
}
