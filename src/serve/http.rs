//! The preview's HTTP side: files from the in-memory site, the live-reload WebSocket.
//!
//! Only paths that name a file of the rendered site are answered, so nothing outside
//! the site can be served: there is no file system behind the URLs.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::Live;
use crate::routes;
use super::guard::{self, Hosts};

pub const LIVE_RELOAD_PATH: &str = "/__remiss/livereload";
/// The live-reload script is a file, not inline, so that the pages' policy can forbid
/// inline scripts (`script-src 'self'`).
pub const LIVE_RELOAD_SCRIPT_PATH: &str = "/__remiss/livereload.js";
const LIVE_RELOAD_SCRIPT: &str = include_str!("livereload.js");

pub fn router(live: Arc<Live>, hosts: Arc<Hosts>) -> Router {
    Router::new()
        .route(LIVE_RELOAD_PATH, get(live_reload))
        .route(LIVE_RELOAD_SCRIPT_PATH, get(|| async { script(LIVE_RELOAD_SCRIPT) }))
        .merge(super::editing::routes())
        .fallback(get(file))
        .with_state(live)
        .layer(axum::middleware::from_fn_with_state(hosts, guard::check))
}

/// A script of the preview's own.
pub fn script(source: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], source).into_response()
}

async fn live_reload(State(live): State<Arc<Live>>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| follow(socket, live))
}

/// Sends every rebuild's news to one page until it goes away.
async fn follow(mut socket: WebSocket, live: Arc<Live>) {
    let mut news = live.news.subscribe();
    if let Some(errors) = live.errors_message()
        && socket.send(Message::Text(errors.into())).await.is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            message = news.recv() => match message {
                Ok(text) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                // A page that fell behind only needs the latest news: reload it.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    if socket.send(Message::Text(super::RELOAD.into())).await.is_err() {
                        return;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => {}
                _ => return,
            },
        }
    }
}

async fn file(State(live): State<Arc<Live>>, uri: Uri) -> Response {
    let path = match site_path(uri.path(), &live.base_path) {
        Ok(Some(path)) => path,
        Ok(None) => return not_found(&live),
        Err(()) => return (StatusCode::BAD_REQUEST, "bad request path\n").into_response(),
    };
    let site = live.site();
    let candidate = routes::file(&path);
    if let Some(bytes) = site.files.get(&candidate) {
        return respond(&live, StatusCode::OK, &candidate, bytes);
    }
    // `/forslag/x` → `/forslag/x/`, as a static host would.
    if site.files.contains_key(&routes::file(&routes::folder(&path))) {
        let location = routes::link(&live.base_path, &routes::folder(&path));
        return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response();
    }
    not_found(&live)
}

fn not_found(live: &Live) -> Response {
    match live.site().files.get("404.html") {
        Some(bytes) => respond(live, StatusCode::NOT_FOUND, "404.html", bytes),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn respond(live: &Live, status: StatusCode, path: &str, bytes: &[u8]) -> Response {
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") { Body::from(inject(live, path, bytes)) } else { Body::from(bytes.to_vec()) };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// Adds the live-reload script (and the current errors) before `</body>`, and the
/// editing controls where editing is on. Only served pages carry them: the built site
/// never does.
fn inject(live: &Live, path: &str, html: &[u8]) -> Vec<u8> {
    let (head, editing) = super::editing::page_addition(live, path);
    let mut addition = String::new();
    if let Some(errors) = live.errors_json() {
        // `<` is escaped so that an error message cannot close the script element.
        let errors = errors.replace('<', "\\u003c");
        addition.push_str(&format!("<script type=\"application/json\" id=\"remiss-initial-errors\">{errors}</script>"));
    }
    addition.push_str(&format!("<script src=\"{LIVE_RELOAD_SCRIPT_PATH}\"></script>"));
    addition.push_str(&editing);
    let head_at = html.windows(7).position(|window| window.eq_ignore_ascii_case(b"</head>"));
    let body_at = html.windows(7).rposition(|window| window.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut page = Vec::with_capacity(html.len() + head.len() + addition.len());
    match head_at {
        Some(head_at) if head_at <= body_at => {
            page.extend_from_slice(&html[..head_at]);
            page.extend_from_slice(head.as_bytes());
            page.extend_from_slice(&html[head_at..body_at]);
        }
        _ => {
            page.extend_from_slice(&html[..body_at]);
            page.extend_from_slice(head.as_bytes());
        }
    }
    page.extend_from_slice(addition.as_bytes());
    page.extend_from_slice(&html[body_at..]);
    page
}

/// The site-relative path a request names: `Ok(None)` if it lies outside the base
/// path, `Err` if it tries to leave the site or cannot be decoded.
pub fn site_path(request_path: &str, base_path: &str) -> Result<Option<String>, ()> {
    let decoded = percent_encoding::percent_decode_str(request_path).decode_utf8().map_err(|_| ())?;
    if decoded.contains(['\\', '\0']) || decoded.split('/').any(|segment| segment == ".." || segment == ".") {
        return Err(());
    }
    let Some(inside) = decoded.strip_prefix(base_path) else { return Ok(None) };
    if !(inside.is_empty() || inside.starts_with('/')) {
        return Ok(None);
    }
    Ok(Some(inside.trim_start_matches('/').to_owned()))
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, extension)| extension).to_ascii_lowercase();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        for path in ["/../etc/passwd", "/%2e%2e/etc/passwd", "/forslag/%2E%2E/%2e%2e/x", "/a/./b", "/a\\..\\b", "/%ff"] {
            assert_eq!(site_path(path, ""), Err(()), "{path}");
        }
    }

    #[test]
    fn paths_are_decoded_and_stripped_of_the_base_path() {
        assert_eq!(site_path("/sub/forslag/x/", "/sub"), Ok(Some("forslag/x/".to_owned())));
        assert_eq!(site_path("/sub", "/sub"), Ok(Some(String::new())));
        assert_eq!(site_path("/subway/", "/sub"), Ok(None));
        assert_eq!(site_path("/om%20oss/", ""), Ok(Some("om oss/".to_owned())));
    }
}
