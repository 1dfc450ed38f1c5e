//! Publishing: the bundled consultation, built for a sub-path, served by a real nginx
//! (Debian's package) with the configuration docs/PUBLISHING.md gives, and crawled link
//! by link as a visitor's browser would follow them.

use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Page, Site, repository};

const SUB_PATH: &str = "/remiss";

/// nginx, stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Nginx {
    /// Serves `public` under [`SUB_PATH`] with the server block of docs/PUBLISHING.md.
    fn start(folder: &Path, public: &Path) -> Nginx {
        let port = TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("its address").port();
        let guide = std::fs::read_to_string(repository().join("docs/PUBLISHING.md")).expect("docs/PUBLISHING.md");
        let server_block = between(&guide, "```nginx\n", "```").expect("an nginx block in docs/PUBLISHING.md");
        let server_block = server_block
            .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
            .replace("/var/www/remiss/public/", &format!("{}/", public.display()));
        let config = format!(
            "# One process, running as the test's user (workers of a root master would run as\n\
             # nobody, who cannot read a test's temporary folder, and a master killed when the\n\
             # test ends would leave them running).\n\
             master_process off;\n\
             pid {folder}/nginx.pid;\n\
             error_log {folder}/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n\
               include /etc/nginx/mime.types;\n\
               access_log off;\n\
               client_body_temp_path {folder}/body;\n\
               proxy_temp_path {folder}/proxy;\n\
               fastcgi_temp_path {folder}/fastcgi;\n\
               uwsgi_temp_path {folder}/uwsgi;\n\
               scgi_temp_path {folder}/scgi;\n\
               {server_block}\n\
             }}\n",
            folder = folder.display()
        );
        let path = folder.join("nginx.conf");
        std::fs::write(&path, config).expect("the nginx configuration");
        // Debian puts nginx in /usr/sbin, which is not on every user's PATH (build.rs
        // finds it there too).
        let binary = if Path::new("/usr/sbin/nginx").exists() { "/usr/sbin/nginx" } else { "nginx" };
        let child = Command::new(binary)
            .args(["-e", &format!("{}/error.log", folder.display()), "-p"])
            .arg(folder)
            .arg("-c")
            .arg(&path)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx starts (apt-get install nginx)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nginx did not answer: {}", std::fs::read_to_string(folder.join("error.log")).unwrap_or_default());
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx { child, port }
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    Some(&text[from..from + text[from..].find(end)?])
}

struct Response {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

fn get(port: u16, path: &str, extra: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("nginx accepts");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("a read timeout");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}Connection: close\r\n\r\n").expect("a request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("a response");
    let split = response.windows(4).position(|window| window == b"\r\n\r\n").expect("headers");
    let headers = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = headers.split(' ').nth(1).and_then(|code| code.parse().ok()).expect("a status line");
    let mut body = response[split + 4..].to_vec();
    if headers.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunked(&body);
    }
    Response { status, headers, body }
}

fn dechunked(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|window| window == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&body[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 2 + size + 2..];
    }
    out
}

/// The links of a page that stay on the site, as paths, without their fragments.
fn internal_links(page: &Page, base: &str) -> Vec<String> {
    page.links()
        .into_iter()
        .filter_map(|link| {
            let link = link.split('#').next().unwrap_or_default().to_owned();
            let path = link.strip_prefix(base).map(|rest| format!("{SUB_PATH}{rest}")).or_else(|| link.starts_with('/').then_some(link))?;
            (!path.is_empty()).then_some(path)
        })
        .collect()
}

#[test]
#[cfg_attr(not(has_nginx), ignore = "needs nginx: apt-get install nginx")]
fn the_bundled_site_served_by_nginx_under_a_sub_path_has_no_broken_link() {
    let work = Site::empty();
    let public = work.path("public");
    let base = "http://127.0.0.1:8080/remiss";
    let root = repository().to_str().expect("UTF-8").to_owned();
    work.succeed(&["build", "--root", &root, "--output-dir", public.to_str().expect("UTF-8"), "--base-url", base]);
    let nginx = Nginx::start(work.root(), &public);

    let mut queue = VecDeque::from([format!("{SUB_PATH}/")]);
    let mut seen = BTreeSet::new();
    let mut broken = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let response = get(nginx.port, &path, "");
        if response.status != 200 {
            broken.push(format!("{path}: {}", response.status));
            continue;
        }
        if response.header("content-type").is_some_and(|kind| kind.starts_with("text/html")) {
            let page = Page::parse(&path, &String::from_utf8_lossy(&response.body));
            queue.extend(internal_links(&page, base));
        }
    }
    assert!(broken.is_empty(), "broken links under nginx: {broken:#?}");
    assert!(seen.len() > 70, "the crawl reached only {} URLs: {seen:?}", seen.len());
    assert!(seen.iter().any(|path| path.contains("/pagefind/")), "the search is linked");

    // A page that is not there: the site's own 404 page, with a 404 status.
    let missing = get(nginx.port, &format!("{SUB_PATH}/finns-inte/"), "");
    assert_eq!(missing.status, 404);
    assert!(String::from_utf8_lossy(&missing.body).contains("<html"), "the site's 404 page");

    // Compressed when the browser asks, and the search index cached for a while.
    let page = get(nginx.port, &format!("{SUB_PATH}/"), "Accept-Encoding: gzip\r\n");
    assert_eq!(page.header("content-encoding"), Some("gzip"), "{}", page.headers);
    let entry = get(nginx.port, &format!("{SUB_PATH}/pagefind/pagefind-entry.json"), "");
    assert_eq!(entry.status, 200);
    assert!(entry.header("cache-control").is_some_and(|value| value.contains("max-age")), "{}", entry.headers);
}
