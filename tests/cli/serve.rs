//! `remiss serve`: live rebuilds, the reload message, the error overlay, safe paths.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::browser::Browser;
use crate::support::{Site, served_port};

const STATEMENT: &str = "content/statements/umea-ks.md";

/// A `remiss serve` running on a free port, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    pub site: Site,
    /// What the server printed on stderr so far (read all along, so that it never
    /// blocks on a full pipe).
    pub stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}


impl Server {
    /// On port 0: the system picks a free port and the server says which, so that no
    /// two tests' servers race for one port.
    pub fn start(site: Site) -> Server {
        Server::start_on(site, 0, &[])
    }

    /// The consultation bundled at the repository's root, served from an empty folder.
    pub fn bundled() -> Server {
        let root = crate::support::repository().to_str().expect("a UTF-8 path").to_owned();
        Server::start_on(Site::empty(), 0, &["--root", &root])
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    pub fn start_on(site: Site, port: u16, args: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("remiss"))
            .current_dir(site.root())
            .args(["serve", "--port", &port.to_string()])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("remiss serve starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut errors = child.stderr.take().expect("stderr");
        let collected = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buffer = [0; 4096];
            while let Ok(read @ 1..) = errors.read(&mut buffer) {
                collected.lock().expect("stderr").push_str(&String::from_utf8_lossy(&buffer[..read]));
            }
        });
        let (sender, receiver) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = served_port(&line) {
                    let _ = sender.send(port);
                }
            }
        });
        let port = receiver.recv_timeout(Duration::from_secs(60)).expect("remiss serve says where it serves");
        let server = Server { child, port, site, stderr };
        server.wait_until_answering(port);
        server
    }

    /// The search index is made after the site is served: waits until it is.
    pub fn wait_for_search_index(&self) {
        let awaited = || format!("the search index served; stderr: {}", self.stderr.lock().expect("stderr"));
        eventually(Duration::from_secs(60), awaited, || self.get("/pagefind/pagefind-entry.json").0 == 200);
    }

    fn wait_until_answering(&self, port: u16) {
        eventually(Duration::from_secs(20), || format!("remiss serve answering on port {port}"), || TcpStream::connect(("127.0.0.1", port)).is_ok());
    }

    /// Sends `GET <path>` as written (no normalisation) and returns status and body.
    pub fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    fn live_reload(&self) -> WebSocket<MaybeTlsStream<TcpStream>> {
        let (mut socket, _) = tungstenite::connect(format!("ws://127.0.0.1:{}/__remiss/livereload", self.port))
            .expect("the live-reload WebSocket accepts");
        if let MaybeTlsStream::Plain(stream) = socket.get_mut() {
            stream.set_read_timeout(Some(Duration::from_secs(15))).expect("a read timeout");
        }
        // The server subscribes the socket to rebuild news just after the handshake.
        std::thread::sleep(Duration::from_millis(200));
        socket
    }
}

/// Waits until `done`, failing after `within` with what was awaited.
fn eventually(within: Duration, awaited: impl Fn() -> String, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(Instant::now() < deadline, "not within {within:?}: {}", awaited());
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the server accepts");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("a read timeout");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").expect("a request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("a response");
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split(' ').nth(1).and_then(|code| code.parse().ok()).expect("a status line");
    let body = response.split_once("\r\n\r\n").map_or(String::new(), |(_, body)| body.to_owned());
    (status, body)
}

/// The next message the server sends, as JSON.
fn next_message(socket: &mut WebSocket<MaybeTlsStream<TcpStream>>) -> serde_json::Value {
    loop {
        match socket.read().expect("a message before the timeout") {
            Message::Text(text) => return serde_json::from_str(&text).expect("JSON news"),
            Message::Close(_) => panic!("the server closed the live-reload socket"),
            _ => {}
        }
    }
}

/// The first message of the given kind. A file is written in steps (truncated, then
/// filled), and a rebuild may see a step between: its news is passed over.
fn message_of_kind(socket: &mut WebSocket<MaybeTlsStream<TcpStream>>, kind: &str) -> serde_json::Value {
    loop {
        let message = next_message(socket);
        if message["kind"] == kind {
            return message;
        }
    }
}

/// The element that carries the build's errors into a served page.
const ERRORS_ELEMENT: &str = "id=\"remiss-initial-errors\"";

#[test]
fn editing_a_statement_reloads_open_pages_with_the_new_text() {
    let server = Server::start(Site::basic());
    let (status, page) = server.get("/remissvar/umea-ks/");
    assert_eq!(status, 200);
    assert!(page.contains("/__remiss/livereload"), "served pages carry the live-reload script");
    assert!(!page.contains("saknar en analys av driftskostnaderna"));

    let mut socket = server.live_reload();
    server.site.replace(STATEMENT, "saknar en analys av kostnaderna", "saknar en analys av driftskostnaderna");
    message_of_kind(&mut socket, "reload");
    let (status, page) = server.get("/remissvar/umea-ks/");
    assert_eq!(status, 200);
    assert!(page.contains("saknar en analys av driftskostnaderna"));
}

#[test]
fn a_broken_file_shows_the_errors_until_it_is_fixed() {
    let server = Server::start(Site::basic());
    let mut socket = server.live_reload();
    server.site.replace(STATEMENT, "title = \"Kommunstyrelsen\"", "title = Kommunstyrelsen\"");
    let mut news = message_of_kind(&mut socket, "errors");
    while news["errors"][0]["location"] != "content/statements/umea-ks.md:2:9" {
        news = message_of_kind(&mut socket, "errors");
    }
    assert_eq!(news["errors"].as_array().map(Vec::len), Some(1));

    // The last good site is still served, with the errors over it.
    let (status, page) = server.get("/remissvar/umea-ks/");
    assert_eq!(status, 200);
    assert!(page.contains(ERRORS_ELEMENT), "pages carry the errors while the site does not build");
    assert!(page.contains("content/statements/umea-ks.md:2:9"));

    server.site.replace(STATEMENT, "title = Kommunstyrelsen\"", "title = \"Kommunstyrelsen\"");
    message_of_kind(&mut socket, "reload");
    let (_, page) = server.get("/remissvar/umea-ks/");
    assert!(!page.contains(ERRORS_ELEMENT), "the overlay goes once the file is fixed");
}

#[test]
fn a_stylesheet_change_swaps_stylesheets_without_a_reload() {
    let site = Site::basic();
    site.write("static/extra.css", "p { color: black; }\n");
    let server = Server::start(site);
    let mut socket = server.live_reload();
    server.site.write("static/extra.css", "p { color: navy; }\n");
    message_of_kind(&mut socket, "css");
    assert_eq!(server.get("/extra.css"), (200, "p { color: navy; }\n".to_owned()));
}

#[test]
fn requests_that_try_to_leave_the_site_are_refused() {
    let site = Site::basic();
    site.write("static/dokument/remiss.txt", "Remissen\n");
    let server = Server::start(site);
    for path in [
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/forslag/../../config.toml",
        "/..%2fconfig.toml",
        "/dokument/remiss.txt/../../../config.toml",
        "/content/statements/umea-ks.md",
        "/config.toml",
    ] {
        let (status, body) = server.get(path);
        assert!(status == 400 || status == 404, "{path} answered {status}");
        assert!(!body.contains("base_url"), "{path} served the site's config");
    }
    assert_eq!(server.get("/dokument/remiss.txt"), (200, "Remissen\n".to_owned()));
}

#[test]
fn a_symbolic_link_out_of_the_site_is_never_served() {
    let outside = tempfile::NamedTempFile::new().expect("a file outside the site");
    std::fs::write(outside.path(), "secret").expect("the secret");
    let site = Site::basic();
    std::fs::create_dir_all(site.path("static")).expect("static/");
    std::os::unix::fs::symlink(outside.path(), site.path("static/secret.txt")).expect("a symlink");
    let report = site.fail(&["build"]);
    assert!(report.stderr.contains("static/secret.txt: this symbolic link leads out of the site"), "{}", report.stderr);
    let server = Server::start(site);
    let (status, body) = server.get("/secret.txt");
    assert_eq!(status, 404);
    assert!(!body.contains("secret"));
}

#[test]
fn a_port_in_use_moves_to_the_next_free_one() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("an address").port();
    if TcpListener::bind(("127.0.0.1", port + 1)).is_err() {
        return; // the next port is taken by something else on this machine: nothing to test
    }
    let server = Server::start_on(Site::basic(), port, &[]);
    assert_eq!(server.port, port + 1, "the server moved to the next port");
    let (status, _) = get(port + 1, "/");
    assert_eq!(status, 200);
    let stderr = server.stderr.lock().expect("stderr").clone();
    assert!(stderr.contains(&format!("port {port} is in use; serving on port {} instead", port + 1)), "{stderr}");
}

#[test]
fn unknown_pages_get_the_themes_404_page() {
    let server = Server::start(Site::basic());
    let (status, body) = server.get("/finns-inte/");
    assert_eq!(status, 404);
    assert!(body.contains("Sidan finns inte"));
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn a_page_open_in_a_browser_reloads_itself_and_shows_errors() {
    let mut browser = Browser::launch();
    let server = Server::start(Site::basic());
    browser.open(&server.url("remissvar/umea-ks/"));
    // A mark that a reload wipes out.
    browser.eval("window.remissMark = 1");
    server.site.replace(STATEMENT, "saknar en analys av kostnaderna", "saknar en analys av driftskostnaderna");
    browser.wait_for("window.remissMark === undefined && document.body.textContent.includes('driftskostnaderna')");

    server.site.replace(STATEMENT, "title = \"Kommunstyrelsen\"", "title = Kommunstyrelsen\"");
    browser.wait_for("document.getElementById('remiss-errors') !== null");
    let overlay = browser.eval("document.getElementById('remiss-errors').textContent");
    assert!(overlay.as_str().is_some_and(|text| text.contains("content/statements/umea-ks.md:2:9")), "{overlay}");

    server.site.replace(STATEMENT, "title = Kommunstyrelsen\"", "title = \"Kommunstyrelsen\"");
    browser.wait_for("document.readyState === 'complete' && document.getElementById('remiss-errors') === null");
}

#[test]
fn the_search_index_is_made_again_when_edits_pause() {
    let server = Server::start(Site::basic());
    server.wait_for_search_index();
    let (_, before) = server.get("/pagefind/pagefind-entry.json");
    server.site.replace(STATEMENT, "saknar en analys av kostnaderna", "saknar en analys av driftskostnaderna");
    // The entry names the index by a hash of what it holds.
    eventually(Duration::from_secs(60), || "the search index made again".to_owned(), || server.get("/pagefind/pagefind-entry.json").1 != before);
}

#[test]
fn a_site_broken_at_the_start_gets_its_search_index_once_fixed() {
    let site = Site::basic();
    site.replace(STATEMENT, "title = \"Kommunstyrelsen\"", "title = Kommunstyrelsen\"");
    let server = Server::start(site);
    assert_eq!(server.get("/pagefind/pagefind-entry.json").0, 404);
    server.site.replace(STATEMENT, "title = Kommunstyrelsen\"", "title = \"Kommunstyrelsen\"");
    server.wait_for_search_index();
}

#[test]
fn the_search_page_is_served_and_its_index_follows() {
    let server = Server::start(Site::basic());
    let (status, page) = server.get("/sok/");
    assert_eq!(status, 200);
    assert!(page.contains("pagefind-ui.js"), "{page}");
    server.wait_for_search_index();
    let (status, entry) = server.get("/pagefind/pagefind-entry.json");
    assert_eq!(status, 200);
    assert!(entry.contains("\"sv\""), "{entry}");
}

/// Sends a raw HTTP/1.1 request and returns status, headers (lower-cased names) and body.
pub fn request(port: u16, head: &str, body: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the server accepts");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("a read timeout");
    write!(stream, "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).expect("a request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("a response");
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split(' ').nth(1).and_then(|code| code.parse().ok()).expect("a status line");
    let (headers, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (status, headers.to_ascii_lowercase(), body.to_owned())
}

#[test]
fn a_request_for_another_host_is_misdirected_and_shows_nothing_of_the_site() {
    // Issue 11 §6: any Host was answered, so a DNS-rebinding page could read drafts.
    let server = Server::start(Site::basic());
    for host in ["rebound.example", &format!("rebound.example:{}", server.port), "127.0.0.1:1", "localhost"] {
        for path in ["/", "/remissvar/umea-ks/", "/__remiss/livereload.js", "/data/positions.json"] {
            let (status, _, body) = request(server.port, &format!("GET {path} HTTP/1.1\r\nHost: {host}"), "");
            assert_eq!(status, 421, "{host} {path}");
            assert!(body.starts_with("misdirected request"), "{body}");
            assert!(!body.contains("Kommunstyrelsen") && !body.contains("<html"), "{host} {path} leaked: {body}");
        }
    }
    for host in [format!("localhost:{}", server.port), format!("127.0.0.1:{}", server.port)] {
        let (status, _, _) = request(server.port, &format!("GET / HTTP/1.1\r\nHost: {host}"), "");
        assert_eq!(status, 200, "{host}");
    }
}

#[test]
fn the_live_reload_socket_refuses_a_page_of_another_site() {
    // Issue 11 §6: the socket accepted any Origin and carries paths and unpublished text.
    use tungstenite::client::IntoClientRequest;
    let site = Site::basic();
    site.replace(STATEMENT, "title = \"Kommunstyrelsen\"", "title = Kommunstyrelsen\"");
    let server = Server::start(site);
    let url = format!("ws://127.0.0.1:{}/__remiss/livereload", server.port);
    for origin in ["http://rebound.example", "http://evil.example:1111", "null"] {
        let mut request = url.as_str().into_client_request().expect("a request");
        request.headers_mut().insert("Origin", origin.parse().expect("a header"));
        match tungstenite::connect(request) {
            Err(tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 403, "{origin}");
                let body = String::from_utf8_lossy(response.body().as_deref().unwrap_or_default()).into_owned();
                assert!(!body.contains("umea-ks"), "{body}");
            }
            Err(error) => panic!("{origin}: refused otherwise than with 403: {error}"),
            Ok(_) => panic!("{origin}: the socket was opened for a foreign page"),
        }
    }
    let mut request = url.as_str().into_client_request().expect("a request");
    let own = format!("http://127.0.0.1:{}", server.port);
    request.headers_mut().insert("Origin", own.parse().expect("a header"));
    let (mut socket, _) = tungstenite::connect(request).expect("the server's own pages may follow it");
    assert_eq!(next_message(&mut socket)["kind"], "errors");
}

#[test]
fn served_pages_carry_a_content_security_policy_and_no_inline_script() {
    let server = Server::start(Site::basic());
    let (status, headers, page) = request(server.port, &format!("GET /remissvar/umea-ks/ HTTP/1.1\r\nHost: 127.0.0.1:{}", server.port), "");
    assert_eq!(status, 200);
    let policy = headers.lines().find_map(|line| line.strip_prefix("content-security-policy: ")).expect("a CSP header");
    for directive in ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'"] {
        assert!(policy.contains(directive), "{policy}");
    }
    assert!(page.contains("<script src=\"/__remiss/livereload.js\"></script>"), "the live-reload script is a file");
    assert!(!page.contains("<script>"), "no inline script: the policy forbids it");
    let (status, headers, script) = request(server.port, &format!("GET /__remiss/livereload.js HTTP/1.1\r\nHost: 127.0.0.1:{}", server.port), "");
    assert_eq!(status, 200);
    assert!(headers.contains("content-type: text/javascript"), "{headers}");
    assert!(script.contains("/__remiss/livereload"));
}

#[test]
fn built_pages_carry_the_policy_in_a_meta_element() {
    let built = Site::basic().build(&[]);
    for page in built.pages() {
        let meta = page.one("meta[http-equiv='Content-Security-Policy']");
        let policy = meta.value().attr("content").expect("a policy");
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval'") && policy.contains("default-src 'self'"), "{policy}");
        assert!(page.select("script:not([src]):not([type='application/json'])").is_empty(), "an inline script would be blocked");
    }
}

#[test]
#[cfg_attr(not(has_chromium), ignore = "needs Chromium: apt-get install chromium")]
fn search_works_under_the_content_security_policy() {
    let mut browser = Browser::launch();
    browser.record_policy_violations();
    let server = Server::start(Site::basic());
    server.wait_for_search_index();
    browser.open(&server.url("sok/"));
    browser.wait_for("document.querySelector('.pagefind-ui__search-input') !== null");
    browser.eval("(() => { const input = document.querySelector('.pagefind-ui__search-input'); input.value = 'kostnaderna'; input.dispatchEvent(new Event('input')); })()");
    browser.wait_for("document.querySelectorAll('.pagefind-ui__result-link').length > 0");
    browser.wait_for("document.getElementById('sok-utan-javascript').hidden");
    assert_eq!(browser.eval("window.remissViolations"), serde_json::json!([]), "the policy blocked something");
    // And the policy is in force: an inline script (as injected content would be) is not run.
    browser.eval("(() => { const script = document.createElement('script'); script.textContent = 'window.remissInline = 1'; document.body.appendChild(script); })()");
    // (Reported once by the header's policy and once by the page's own.)
    browser.wait_for("window.remissViolations.length > 0 && window.remissInline === undefined");
}

#[test]
fn an_image_from_another_site_is_built_with_a_warning_that_the_policy_blocks_it() {
    let site = Site::basic();
    site.write("content/om.md", "+++\ntitle = \"Om webbplatsen\"\n+++\nKartan: ![karta](https://example.org/karta.png)\n");
    let output = site.succeed(&["build"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("content/om.md:4:9") && stderr.contains("this image is on another site: the pages do not load it"), "{stderr}");
}

#[test]
fn serve_writes_nothing_to_disk() {
    let site = Site::basic();
    let root = site.root().to_path_buf();
    let before = crate::support::files_below(&root);
    let server = Server::start(site);
    assert_eq!(server.get("/").0, 200);
    assert_eq!(server.get("/remissvar/umea-ks/").0, 200);
    server.wait_for_search_index();
    assert!(crate::support::files_below(&root) == before, "serve changed the site's folder");
}
