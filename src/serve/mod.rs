//! `remiss serve`: the live preview.
//!
//! 1. Build the site in memory and serve it over HTTP on loopback; make the search
//!    index meanwhile, and again after each rebuild, from what it changed.
//! 2. Watch the site's files; a batch of changes triggers one rebuild.
//! 3. Tell every open page over a WebSocket: reload, swap the stylesheets, or show the
//!    build's errors (the last good site stays served meanwhile).

mod editing;
mod guard;
mod http;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::Instant;

use serde::Serialize;
use tokio::sync::broadcast;

use crate::config::Overrides;
use crate::diagnostic::{Diagnostic, render_report};
use crate::render::Rendered;
use crate::search;
use crate::session::Session;
use watch::{Change, SiteWatcher};

pub use guard::CONTENT_SECURITY_POLICY;
pub use http::site_path;

pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    pub port: u16,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub open: bool,
    /// Offer editing even when serving on an interface other than loopback.
    pub edit_on_network: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    #[error("the server stopped: {0}")]
    Server(std::io::Error),
}

const RELOAD: &str = r#"{"kind":"reload"}"#;
const STYLESHEETS: &str = r#"{"kind":"css"}"#;

/// What the server shares between the HTTP side and the rebuilds.
pub struct Live {
    site: RwLock<Arc<Rendered>>,
    /// The last build's problems as JSON, while the site does not build.
    errors: RwLock<Option<String>>,
    news: broadcast::Sender<String>,
    base_path: String,
    /// Editing in the preview, when it is offered.
    editing: Option<editing::Editing>,
    /// What the editing controls need to know of the last good build.
    edit_view: RwLock<Arc<editing::EditView>>,
}

#[derive(Serialize)]
struct ProblemView {
    location: String,
    message: String,
    help: Option<String>,
}

impl Live {
    fn site(&self) -> Arc<Rendered> {
        self.site.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    fn errors_json(&self) -> Option<String> {
        self.errors.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    fn errors_message(&self) -> Option<String> {
        self.errors_json().map(|errors| format!(r#"{{"kind":"errors","errors":{errors}}}"#))
    }

    /// Serves `rendered` from now on, without telling the open pages.
    fn publish(&self, rendered: Rendered) {
        *self.site.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(rendered);
    }

    fn succeeded(&self, rendered: Rendered, site: Option<&crate::model::Site>, change: Change) {
        if let Some(site) = site {
            *self.edit_view.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(editing::EditView::of(site));
        }
        self.publish(rendered);
        let had_errors = self.errors.write().unwrap_or_else(|poisoned| poisoned.into_inner()).take().is_some();
        // After errors the pages show an overlay: reload them even for a stylesheet.
        let news = if change == Change::Stylesheets && !had_errors { STYLESHEETS } else { RELOAD };
        let _ = self.news.send(news.to_owned());
    }

    fn failed(&self, problems: &[Diagnostic]) {
        let views: Vec<ProblemView> = problems
            .iter()
            .map(|problem| ProblemView {
                location: problem.location(),
                message: problem.message().to_owned(),
                help: problem.help_text().map(str::to_owned),
            })
            .collect();
        let json = serde_json::to_string(&views).unwrap_or_else(|_| "[]".to_owned());
        *self.errors.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(json);
        if let Some(message) = self.errors_message() {
            let _ = self.news.send(message);
        }
    }
}

pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let listener = bind(options.interface, options.port)?;
    let address = listener.local_addr().map_err(ServeError::Server)?;
    if !options.interface.is_loopback() {
        eprintln!("warning: serving on {address}: anyone who can reach this machine can see the preview");
    }
    let archive = crate::archive::is_archive(&options.root);
    // Editing writes files: on the network it is offered only when asked for. In an
    // archive the editing controls, made for one consultation's statements, are off.
    let editing = if archive {
        eprintln!("note: editing in the preview is not offered for an archive of consultations yet");
        None
    } else if options.interface.is_loopback() || options.edit_on_network {
        if !options.interface.is_loopback() {
            eprintln!("warning: --edit-on-network: anyone who can reach {address} and read a preview page can change the statements in content/");
        }
        Some(editing::Editing::new(&options.root).map_err(ServeError::Server)?)
    } else {
        eprintln!("note: editing in the preview is off on a network interface (--edit-on-network turns it on)");
        None
    };
    let hosts = Arc::new(guard::Hosts::new(address, options.base_url.as_deref()));
    let base_url = options.base_url.clone().unwrap_or_else(|| format!("http://{address}"));
    let overrides = Overrides { base_url: Some(base_url.clone()), drafts: options.drafts };
    let base_path = crate::config::Config::load(&options.root, &overrides).map(|config| config.base_path).unwrap_or_default();

    let (news, _) = broadcast::channel(16);
    let live = Arc::new(Live {
        site: RwLock::default(),
        errors: RwLock::default(),
        news,
        base_path: base_path.clone(),
        editing,
        edit_view: RwLock::default(),
    });
    if archive {
        serve_archive(&options, overrides, live.clone())?;
        println!("Serving {} at http://{address}{base_path}/", options.root.display());
        if options.open {
            open_browser(&format!("http://{address}{base_path}/"));
        }
        return run_server(listener, live, hosts);
    }
    let started = Instant::now();
    let mut session = Session::open(&options.root, overrides);
    match session.build() {
        Ok(outcome) => {
            println!("Built {} pages in {} ms", outcome.rendered.len(), started.elapsed().as_millis());
            live.succeeded(session.rendered().cloned().unwrap_or_default(), session.site(), Change::Site);
        }
        Err(problems) => {
            eprint!("{}", render_report(&problems));
            live.failed(&problems);
        }
    }
    // notify reports absolute paths: watch the absolute root so they can be matched.
    let watch_root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    let mut watcher = SiteWatcher::new(&watch_root)?;
    let url = format!("http://{address}{base_path}/");
    println!("Serving {} at {url}", options.root.display());
    if live.editing.is_some() {
        println!("Editing: select a passage on a statement page to record a position; review suggestions at http://{address}{}", editing::REVIEW_PATH);
    }
    println!("Watching for changes; press Ctrl-C to stop");
    if options.open {
        open_browser(&url);
    }

    let session = Arc::new(Mutex::new(session));
    let edits = index_in_background(session.clone(), live.clone());
    let rebuilds = live.clone();
    std::thread::spawn(move || {
        while let Some((change, paths)) = watcher.next_batch() {
            let rebuilt = rebuild(&mut session.lock().unwrap_or_else(|poisoned| poisoned.into_inner()), &rebuilds, change, &paths);
            if rebuilt && change == Change::Site {
                let _ = edits.send(());
            }
        }
    });

    run_server(listener, live, hosts)
}

fn run_server(listener: TcpListener, live: Arc<Live>, hosts: Arc<guard::Hosts>) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(ServeError::Server)?;
    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(ServeError::Server)?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(ServeError::Server)?;
        axum::serve(listener, http::router(live, hosts))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
                println!("\nStopped.");
            })
            .await
            .map_err(ServeError::Server)
    })
}

/// The preview of an archive, without a search index: an edit inside one consultation
/// rebuilds what it touches there and the archive's own pages; any other change
/// rebuilds the whole archive ([`crate::archive::ArchiveSession`]).
fn serve_archive(options: &ServeOptions, overrides: Overrides, live: Arc<Live>) -> Result<(), ServeError> {
    let mut session = crate::archive::ArchiveSession::open(&options.root, overrides);
    let started = Instant::now();
    publish_archive(session.build(), &live, "Built the archive", started);
    let watch_root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    let mut watcher = SiteWatcher::new(&watch_root)?;
    println!("Watching for changes; press Ctrl-C to stop");
    std::thread::spawn(move || {
        while let Some((_, paths)) = watcher.next_batch() {
            let started = Instant::now();
            publish_archive(session.rebuild(&paths), &live, &describe(&paths), started);
        }
    });
    Ok(())
}

fn publish_archive(built: Result<Rendered, Vec<Diagnostic>>, live: &Live, what: &str, started: Instant) {
    match built {
        Ok(rendered) => {
            println!("{what}: {} pages in {} ms", rendered.page_count(), started.elapsed().as_millis());
            live.succeeded(rendered, None, Change::Site);
        }
        Err(problems) => {
            eprint!("{}", render_report(&problems));
            live.failed(&problems);
        }
    }
}

/// Makes the search index without holding up the preview (pages can be read before
/// search works): once at the start, and again as soon as a rebuild is done, from what
/// it changed ([`search::Indexer`]): at 2,000 statements an edit's text is found within
/// a fraction of a second of the save (docs/BENCHMARKS.md). Rebuilds done meanwhile are
/// indexed as one. Returns where to say that the site changed.
fn index_in_background(session: Arc<Mutex<Session>>, live: Arc<Live>) -> mpsc::Sender<()> {
    let (edits, edited) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut indexer = search::Indexer::default();
        let mut made = false;
        loop {
            // Nothing to index while the site does not build, or does without search.
            let searchable = {
                let session = session.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                match (session.site(), session.rendered()) {
                    (Some(site), Some(_)) if site.config.build_search_index => Some(search::searchable(site)),
                    _ => None,
                }
            };
            let started = Instant::now();
            match searchable.map(|searchable| indexer.update(searchable)) {
                Some(Ok(index)) => {
                    let mut session = session.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                    session.add_search_index(index);
                    live.publish(session.rendered().cloned().unwrap_or_default());
                    let done = if made { "updated" } else { "ready" };
                    println!("Search index {done} in {} ms", started.elapsed().as_millis());
                    made = true;
                }
                Some(Err(problem)) => eprint!("{}", render_report(&[problem])),
                None => {}
            }
            if edited.recv().is_err() {
                return;
            }
            while edited.try_recv().is_ok() {}
        }
    });
    edits
}

/// Binds the port asked for or, when it is taken, one of the next ten (and says so).
fn bind(interface: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    let wanted = SocketAddr::new(interface, port);
    let mut last_error = None;
    for candidate in port..=port.saturating_add(10) {
        let address = SocketAddr::new(interface, candidate);
        match TcpListener::bind(address) {
            Ok(listener) => {
                if candidate != port {
                    eprintln!("note: port {port} is in use; serving on port {candidate} instead");
                }
                return Ok(listener);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AddrInUse && port != 0 => last_error = Some(error),
            Err(source) => return Err(ServeError::Bind { address, source }),
        }
    }
    let source = last_error.unwrap_or_else(|| std::io::Error::from(std::io::ErrorKind::AddrInUse));
    Err(ServeError::Bind { address: wanted, source })
}

/// Rebuilds after changes to `paths`; whether the site built.
fn rebuild(session: &mut Session, live: &Live, change: Change, paths: &[PathBuf]) -> bool {
    let started = Instant::now();
    match session.rebuild(paths) {
        Ok(outcome) => {
            live.succeeded(session.rendered().cloned().unwrap_or_default(), session.site(), change);
            println!(
                "{}: rebuilt {} pages in {} ms ({} files changed, {} removed)",
                describe(paths),
                outcome.rendered.len(),
                started.elapsed().as_millis(),
                outcome.changed.len(),
                outcome.removed.len(),
            );
            true
        }
        Err(problems) => {
            eprint!("{}", render_report(&problems));
            live.failed(&problems);
            false
        }
    }
}

fn describe(paths: &[PathBuf]) -> String {
    match paths {
        [one] => one.display().to_string(),
        _ => format!("{} files", paths.len()),
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else if cfg!(windows) { "explorer" } else { "xdg-open" };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("note: could not open a browser; open {url} yourself");
    }
}
