//! The preview server under abuse, on loopback only, every loop bounded in time:
//!
//! 1. a thousand saves of one statement in a row end with the last version served, and
//!    the server answers all along;
//! 2. two hundred connections sending requests as fast as they can get only `200 OK`;
//! 3. clients that stall (half a request, a WebSocket never read) do not hold up the
//!    others.
//!
//! The figures (requests, errors, latency percentiles) are printed on stderr: run with
//! `-- --nocapture` to see them. The long load run is ignored by default:
//! `cargo test --test cli load -- --ignored`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use crate::support::served_port;
use crate::support::Site;

const STATEMENT: &str = "content/statements/umea-ks.md";
/// A sentence of the statement that the saves change.
const SENTENCE: &str = "Kommunen saknar en analys av kostnaderna.";
/// The element that carries the build's errors into a served page.
const ERRORS_ELEMENT: &str = "id=\"remiss-initial-errors\"";
/// Pages and files of the fixture, large and small, that every load run asks for.
const PATHS: [&str; 6] = [
    "/",
    "/forslag/larande-tillsyn/",
    "/remissvar/umea-ks/",
    "/data/positions.json",
    "/style.css",
    "/finns-inte/", // the 404 page: asked for, so answered 404
];

/// `remiss serve` on a free loopback port, its output in files; stopped when dropped.
struct Preview {
    child: Child,
    port: u16,
    site: Site,
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Preview {
    fn start(site: Site) -> Preview {
        // Into files, not pipes: a pipe nobody reads fills up and stops the server's
        // rebuild thread at its next message.
        let log_path = |name: &str| site.root().parent().expect("a parent").join(name);
        let log = |name: &str| std::fs::File::create(log_path(name)).expect("a log file");
        let child = Command::new(assert_cmd::cargo::cargo_bin("remiss"))
            .current_dir(site.root())
            .args(["serve", "--interface", "127.0.0.1", "--port", "0"])
            .stdout(Stdio::from(log("serve.out")))
            .stderr(Stdio::from(log("serve.err")))
            .spawn()
            .expect("remiss serve starts");
        // Port 0: the system picks a free port, and the server says which.
        let deadline = Instant::now() + Duration::from_secs(20);
        let port = loop {
            if let Some(port) = served_port(&std::fs::read_to_string(log_path("serve.out")).unwrap_or_default()) {
                break port;
            }
            assert!(Instant::now() < deadline, "remiss serve did not say where it serves");
            std::thread::sleep(Duration::from_millis(20));
        };
        let preview = Preview { child, port, site };
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "remiss serve did not answer on port {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
        preview
    }

    fn connect(&self) -> Connection {
        Connection::open(self.port).expect("the server accepts")
    }

    /// One `GET` on a fresh connection: status and body.
    fn get(&self, path: &str) -> (u16, String) {
        let (status, body) = self.connect().get(path).unwrap_or_else(|error| panic!("GET {path}: {error}"));
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// What the server printed so far on stdout (`log = "serve.out"`) or stderr.
    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.site.root().parent().expect("a parent").join(name)).unwrap_or_default()
    }

    /// Fails the test if the server has exited.
    fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().expect("the server's status") {
            panic!("remiss serve exited ({status}):\n{}", self.log("serve.err"));
        }
    }
}

/// A keep-alive HTTP/1.1 connection, written by hand: the server is what is tested.
struct Connection {
    reader: BufReader<TcpStream>,
    port: u16,
}

impl Connection {
    fn open(port: u16) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        stream.set_nodelay(true)?;
        Ok(Connection { reader: BufReader::new(stream), port })
    }

    /// Sends `GET path` and reads the whole response: status and body.
    fn get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        write!(self.reader.get_ref(), "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", self.port)?;
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(invalid("the server closed the connection"));
        }
        let status: u16 = line.split(' ').nth(1).and_then(|code| code.parse().ok()).ok_or_else(|| invalid(&line))?;
        let mut length = None;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.ok_or_else(|| invalid("no Content-Length"))?];
        self.reader.read_exact(&mut body)?;
        Ok((status, body))
    }
}

/// What a load run measured.
struct Figures {
    connections: usize,
    took: Duration,
    requests: usize,
    /// Answers other than the expected status, and broken connections.
    errors: Vec<String>,
    /// Microseconds, sorted.
    latencies: Vec<u64>,
}

impl Figures {
    fn percentile(&self, percent: usize) -> Duration {
        let index = (self.latencies.len() * percent / 100).min(self.latencies.len().saturating_sub(1));
        Duration::from_micros(self.latencies.get(index).copied().unwrap_or_default())
    }

    fn summary(&self) -> String {
        format!(
            "{} connections for {:.1?}: {} requests ({:.0}/s), {} errors; latency p50 {:.2?}, p90 {:.2?}, p99 {:.2?}, max {:.2?}",
            self.connections,
            self.took,
            self.requests,
            self.requests as f64 / self.took.as_secs_f64(),
            self.errors.len(),
            self.percentile(50),
            self.percentile(90),
            self.percentile(99),
            self.latencies.last().map_or(Duration::ZERO, |&max| Duration::from_micros(max)),
        )
    }
}

/// `connections` threads, each on its own keep-alive connection, ask for [`PATHS`] in
/// turn for `duration`.
fn load(preview: &Preview, connections: usize, duration: Duration) -> Figures {
    let port = preview.port;
    let start = Arc::new(Barrier::new(connections + 1));
    let threads: Vec<_> = (0..connections)
        .map(|thread| {
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                let mut connection = Connection::open(port);
                start.wait();
                let deadline = Instant::now() + duration;
                let (mut latencies, mut errors) = (Vec::new(), Vec::new());
                let mut turn = thread;
                while Instant::now() < deadline {
                    let path = PATHS[turn % PATHS.len()];
                    turn += 1;
                    let expected = if path == "/finns-inte/" { 404 } else { 200 };
                    let sent = Instant::now();
                    let answer = match &mut connection {
                        Ok(open) => open.get(path),
                        Err(error) => Err(std::io::Error::new(error.kind(), error.to_string())),
                    };
                    match answer {
                        Ok((status, _)) if status == expected => latencies.push(sent.elapsed().as_micros() as u64),
                        Ok((status, _)) => errors.push(format!("GET {path}: {status}")),
                        Err(error) => {
                            errors.push(format!("GET {path}: {error}"));
                            connection = Connection::open(port);
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    start.wait();
    let started = Instant::now();
    let mut figures = Figures { connections, took: Duration::ZERO, requests: 0, errors: Vec::new(), latencies: Vec::new() };
    for thread in threads {
        let (latencies, errors) = thread.join().expect("a load thread");
        figures.requests += latencies.len() + errors.len();
        figures.latencies.extend(latencies);
        figures.errors.extend(errors);
    }
    figures.took = started.elapsed();
    figures.latencies.sort_unstable();
    figures
}

fn assert_no_errors(figures: &Figures) {
    eprintln!("load: {}", figures.summary());
    assert!(figures.requests > figures.connections, "too few requests: {}", figures.summary());
    let shown: Vec<&String> = figures.errors.iter().take(10).collect();
    assert!(figures.errors.is_empty(), "{}; first errors: {shown:#?}", figures.summary());
}

#[test]
fn two_hundred_connections_get_only_ok() {
    let mut preview = Preview::start(Site::basic());
    let figures = load(&preview, 200, Duration::from_secs(2));
    assert_no_errors(&figures);
    preview.assert_running();
}

#[test]
#[ignore = "long: 10 s of load; run with `cargo test --test cli load -- --ignored`"]
fn two_hundred_connections_for_ten_seconds() {
    let mut preview = Preview::start(Site::basic());
    let figures = load(&preview, 200, Duration::from_secs(10));
    assert_no_errors(&figures);
    preview.assert_running();
}

#[test]
fn a_thousand_saves_end_with_the_last_version_served() {
    let mut preview = Preview::start(Site::basic());
    let original = preview.site.read(STATEMENT);
    assert!(original.contains(SENTENCE));
    let version = |number: usize| original.replace(SENTENCE, &format!("Kommunen saknar en analys av kostnaderna (version {number})."));

    // A reader asks for the page all along: the server must answer every time.
    let saving = Arc::new(AtomicBool::new(true));
    let reader = {
        let (saving, port) = (Arc::clone(&saving), preview.port);
        std::thread::spawn(move || {
            let mut statuses = Vec::new();
            // Bounded also if the test fails before it says the saves are over.
            let deadline = Instant::now() + Duration::from_secs(60);
            while saving.load(Ordering::Relaxed) && Instant::now() < deadline {
                let answer = Connection::open(port).and_then(|mut connection| connection.get("/remissvar/umea-ks/"));
                statuses.push(answer.map(|(status, _)| status).map_err(|error| error.to_string()));
                std::thread::sleep(Duration::from_millis(5));
            }
            statuses
        })
    };
    let started = Instant::now();
    for number in 0..1000 {
        // std::fs::write truncates, then writes: a rebuild may see the file empty or
        // half written, and must recover at the next save.
        std::fs::write(preview.site.path(STATEMENT), version(number)).expect("a save");
        if number % 100 == 99 {
            // A pause longer than the server's batching, so that rebuilds run between saves.
            std::thread::sleep(Duration::from_millis(25));
        }
    }
    let saved = started.elapsed();

    let deadline = Instant::now() + Duration::from_secs(30);
    let page = loop {
        let (status, page) = preview.get("/remissvar/umea-ks/");
        assert_eq!(status, 200);
        if page.contains("(version 999).") && !page.contains(ERRORS_ELEMENT) {
            break page;
        }
        assert!(Instant::now() < deadline, "the last save is not served after 30 s:\n{page}");
        std::thread::sleep(Duration::from_millis(20));
    };
    let served = started.elapsed();
    saving.store(false, Ordering::Relaxed);
    let statuses = reader.join().expect("the reader");
    assert!(!page.contains("(version 998)."));
    let failed: Vec<_> = statuses.iter().filter(|status| *status != &Ok(200)).take(10).collect();
    assert!(failed.is_empty(), "answers while saving: {failed:?}");
    preview.assert_running();
    let rebuilds = preview.log("serve.out").matches(": rebuilt ").count();
    // A failed rebuild prints its problems (a half-written file has one).
    let problems = preview.log("serve.err").lines().filter(|line| line.starts_with("  × ")).count();
    eprintln!(
        "load: 1000 saves in {saved:.2?}, the last served {served:.2?} after the first; {rebuilds} good rebuilds \
         and {problems} problems reported on half-written files; {} GETs meanwhile, all 200",
        statuses.len()
    );
}

#[test]
fn stalled_clients_do_not_hold_up_a_normal_request() {
    let mut preview = Preview::start(Site::basic());
    // Fifty requests cut off in the middle of their headers.
    let half_requests: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", preview.port)).expect("a connection");
            stream.write_all(b"GET /remissvar/umea-ks/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/ht").expect("half a request");
            stream
        })
        .collect();
    // Fifty live-reload sockets that are never read.
    let url = format!("ws://127.0.0.1:{}/__remiss/livereload", preview.port);
    let deaf_sockets: Vec<_> =
        (0..50).map(|_| tungstenite::connect(url.as_str()).expect("the live-reload WebSocket accepts").0).collect();
    // One that is read, to see the news still goes out.
    let (mut listening, _) = tungstenite::connect(url.as_str()).expect("the live-reload WebSocket accepts");
    if let tungstenite::stream::MaybeTlsStream::Plain(stream) = listening.get_mut() {
        stream.set_read_timeout(Some(Duration::from_secs(15))).expect("a read timeout");
    }
    std::thread::sleep(Duration::from_millis(200)); // the sockets subscribe after the handshake

    let timed_get = |path: &str| {
        let sent = Instant::now();
        let (status, page) = preview.get(path);
        (status, page, sent.elapsed())
    };
    let (status, _, took) = timed_get("/");
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(2), "a GET beside stalled clients took {took:?}");

    // Rebuilds send news to every socket, the deaf ones included: their unread news
    // piles up. The socket that listens still hears of each rebuild, and each edit is
    // served.
    let original = preview.site.read(STATEMENT);
    let mut slowest = took;
    for round in 0..20 {
        let edited = format!("Kommunen saknar en analys av kostnaderna (omgång {round}).");
        preview.site.write(STATEMENT, original.replace(SENTENCE, &edited));
        loop {
            match listening.read().expect("news before the timeout") {
                tungstenite::Message::Text(text) if text.contains("\"reload\"") => break,
                _ => {}
            }
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, page, took) = timed_get("/remissvar/umea-ks/");
            assert_eq!(status, 200);
            slowest = slowest.max(took);
            if page.contains(&edited) {
                break;
            }
            assert!(Instant::now() < deadline, "edit {round} is not served after 10 s");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    assert!(slowest < Duration::from_secs(2), "the slowest GET beside stalled clients took {slowest:?}");
    preview.assert_running();
    eprintln!("load: 50 half requests and 50 unread WebSockets open; 20 rebuilds; slowest GET {slowest:.2?}");
    drop((half_requests, deaf_sockets));
}
