//! The live preview's latency: from an editor's save to the reload message on the
//! WebSocket, as `remiss serve` sees it (file watching, debouncing, the incremental
//! rebuild, the broadcast), and on to the search index that finds what was saved
//! (the index's entry file names a new index).
//!
//! Saves start once the search index, made in the background after the first build, is
//! served. `cargo bench --bench reload` measures it on the bundled consultation and on synthetic
//! ones (`REMISS_BENCH_SIZES=100,2000`, default `100,2000`); the figures go in
//! docs/BENCHMARKS.md. The release `remiss` binary is run as an editor would run it.

#[path = "synthetic.rs"]
mod synthetic;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

const SAVES: usize = 30;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn remiss() -> PathBuf {
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/remiss");
    if !binary.exists() {
        let status = Command::new("cargo").args(["build", "--release", "--quiet"]).status().expect("cargo runs");
        assert!(status.success(), "cargo build --release failed");
    }
    binary
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("an address").port()
}

/// Serves `root`, waits for the first build and its search index, and connects to the
/// live-reload socket.
fn serve(root: &Path) -> (Server, u16, WebSocket<MaybeTlsStream<TcpStream>>) {
    let port = free_port();
    let child = Command::new(remiss())
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("remiss serve starts");
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(600);
    let socket = loop {
        if let Ok((socket, _)) = tungstenite::connect(format!("ws://127.0.0.1:{port}/__remiss/livereload")) {
            break socket;
        }
        assert!(Instant::now() < deadline, "remiss serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    };
    // The search index is made in the background after the first build, on every core:
    // measure once it is there, as an editor's session mostly is.
    while search_entry(port).is_none() {
        assert!(Instant::now() < deadline, "remiss serve made no search index");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    (server, port, socket)
}

/// The search index's entry file, once served: it names the index by its hash.
fn search_entry(port: u16) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    // The preview answers only requests for its own address (guard::Hosts).
    let request = format!("GET /pagefind/pagefind-entry.json HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    let mut response = String::new();
    stream.write_all(request.as_bytes()).ok()?;
    stream.read_to_string(&mut response).ok()?;
    let body = response.strip_prefix("HTTP/1.1 200")?.split_once("\r\n\r\n")?.1;
    Some(body.to_owned())
}

/// Saves the statement `SAVES` times (as an editor's "write the whole file") and times
/// each save until the reload message, and until the search index served is a new one.
fn measure(statement: &Path, port: u16, socket: &mut WebSocket<MaybeTlsStream<TcpStream>>) -> (Vec<Duration>, Vec<Duration>) {
    let original = std::fs::read_to_string(statement).expect("the statement");
    let mut times = Vec::with_capacity(SAVES);
    let mut indexed = Vec::with_capacity(SAVES);
    for save in 0..SAVES {
        let text = format!("{original}\nRedaktionell anmärkning nummer {save}.\n");
        let entry = search_entry(port);
        let started = Instant::now();
        // Written whole and renamed into place, as most editors save.
        let temporary = statement.with_extension("md.tmp~");
        std::fs::write(&temporary, &text).expect("a save");
        std::fs::rename(&temporary, statement).expect("a rename");
        loop {
            match socket.read().expect("news") {
                Message::Text(text) if text.contains("\"reload\"") => break,
                Message::Text(text) if text.contains("\"errors\"") => panic!("the save broke the build: {text}"),
                _ => {}
            }
        }
        times.push(started.elapsed());
        let deadline = started + Duration::from_secs(60);
        while search_entry(port) == entry {
            assert!(Instant::now() < deadline, "the save was not indexed");
            std::thread::sleep(Duration::from_millis(2));
        }
        indexed.push(started.elapsed());
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::write(statement, original).expect("the statement restored");
    times.sort();
    indexed.sort();
    (times, indexed)
}

fn report(name: &str, (reloaded, indexed): &(Vec<Duration>, Vec<Duration>)) {
    for (until, times) in [("reload message", reloaded), ("search index", indexed)] {
        let at = |fraction: f64| times[((times.len() - 1) as f64 * fraction).round() as usize].as_secs_f64() * 1000.0;
        println!("| {name} | {until} | {SAVES} | {:.1} | {:.1} | {:.1} | {:.1} |", at(0.0), at(0.5), at(0.95), at(1.0));
    }
}

fn main() {
    println!("| site | save → | saves | min ms | median ms | p95 ms | max ms |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = std::env::temp_dir().join("remiss-reload-bundled");
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(&copy).expect("a copy of the bundled site");
    let status = Command::new("cp")
        .args(["-r", "config.toml", "content"])
        .arg(&copy)
        .current_dir(repository)
        .status()
        .expect("cp runs");
    assert!(status.success());
    let (server, port, mut socket) = serve(&copy);
    report("bundled consultation", &measure(&copy.join("content/statements/malmo-asn.md"), port, &mut socket));
    drop(server);

    let sizes = std::env::var("REMISS_BENCH_SIZES").unwrap_or_else(|_| "100,2000".to_owned());
    for bodies in sizes.split(',').filter_map(|size| size.trim().parse::<usize>().ok()) {
        let root = std::env::temp_dir().join(format!("remiss-bench-{bodies}"));
        if !synthetic::is_current(&root, bodies, 300, 12, 1) {
            synthetic::write_site(&root, bodies, 300, 12, 1);
        }
        let (server, port, mut socket) = serve(&root);
        let statement = root.join("content/statements/instans-00001.md");
        report(&format!("synthetic, {bodies} bodies × 300 proposals"), &measure(&statement, port, &mut socket));
        drop(server);
    }
}
