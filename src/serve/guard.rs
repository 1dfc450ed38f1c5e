//! Who may talk to the preview.
//!
//! The preview runs on an editor's machine while the same browser visits other sites.
//! A page elsewhere can point a name it controls at 127.0.0.1 (DNS rebinding) and then
//! read the preview as if it were its own site: unpublished drafts, and with editing on,
//! write to the files. Two checks stop that:
//!
//! 1. the `Host` a request names must be one the server is reached by (the address it
//!    is bound to, or loopback by name or number, with its port); a rebinding page
//!    names its own host, so it gets 421 and nothing of the site;
//! 2. the `Origin` a browser sends with a WebSocket or a write must be that same
//!    server: a page of another site is refused.
//!
//! And the Content-Security-Policy keeps pages from running or loading anything that
//! is not the site's own.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The policy a built page carries in a `<meta>` (themes/default/templates/base.html
/// writes the same): scripts and styles from the site only, WebAssembly for the search
/// (Pagefind compiles its index reader), no plug-ins, no other site framing or posting.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The hosts the preview answers to.
#[derive(Debug, Clone)]
pub struct Hosts {
    bound: SocketAddr,
    /// The host of `--base-url`, when one was given: the editor may reach the preview
    /// through it (a name in /etc/hosts, a proxy).
    named: Option<String>,
}

impl Hosts {
    pub fn new(bound: SocketAddr, base_url: Option<&str>) -> Hosts {
        let named = base_url.and_then(|url| {
            let rest = url.split_once("://")?.1;
            let authority = rest.split(['/', '?', '#']).next()?;
            (!authority.is_empty()).then(|| authority.to_ascii_lowercase())
        });
        Hosts { bound, named }
    }

    /// Whether a `Host` header (`name[:port]`) names this server.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        if self.named.as_deref() == Some(host.as_str()) {
            return true;
        }
        let (name, port) = split_port(&host);
        let port_matches = match port {
            Some(port) => port == Some(self.bound.port()),
            None => self.bound.port() == 80,
        };
        if !port_matches {
            return false;
        }
        let name = name.trim_start_matches('[').trim_end_matches(']');
        if name == "localhost" {
            return true;
        }
        let Ok(address) = name.parse::<IpAddr>() else { return false };
        // Bound to all interfaces, the preview is reached by any of the machine's
        // addresses; an address (not a name) cannot be rebound, so any is safe.
        address.is_loopback() || address == self.bound.ip() || self.bound.ip().is_unspecified()
    }

    /// Whether an `Origin` header (`scheme://host[:port]`) is a page of this server.
    pub fn allows_origin(&self, origin: &str) -> bool {
        origin.strip_prefix("http://").is_some_and(|host| !host.contains('/') && self.allows(host))
    }

    /// The address to tell a misdirected client.
    pub fn bound(&self) -> SocketAddr {
        self.bound
    }
}

/// `name:port` → (`name`, `Some(Some(port))`); a port that is not a number gives
/// `Some(None)`, which matches no server.
fn split_port(host: &str) -> (&str, Option<Option<u16>>) {
    let colon = if host.starts_with('[') { host.rfind("]:").map(|at| at + 1) } else { host.rfind(':') };
    match colon {
        Some(at) => (&host[..at], Some(host[at + 1..].parse().ok())),
        None => (host, None),
    }
}

/// Answers 421 to a request naming another host, and 403 to a browser page of another
/// origin; either is refused before any route sees it, so no route can forget it.
pub async fn check(State(hosts): State<Arc<Hosts>>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or_default();
    if !hosts.allows(host) {
        let message = format!("misdirected request: this preview answers only at http://{}/\n", hosts.bound());
        return (StatusCode::MISDIRECTED_REQUEST, message).into_response();
    }
    if !origin_allowed(&hosts, request.headers()) {
        return (StatusCode::FORBIDDEN, "refused: this request comes from a page of another site\n").into_response();
    }
    let mut response = next.run(request).await;
    let is_page =
        response.headers().get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|kind| kind.starts_with("text/html"));
    if is_page {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    }
    response
}

/// A request without an `Origin` does not come from a page's script (browsers send one
/// with every WebSocket and every POST), so only a present, foreign one is refused.
fn origin_allowed(hosts: &Hosts, headers: &HeaderMap) -> bool {
    match headers.get(header::ORIGIN).map(|value| value.to_str()) {
        None => true,
        Some(Ok(origin)) => hosts.allows_origin(origin),
        Some(Err(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(bound: &str) -> Hosts {
        Hosts::new(bound.parse().expect("an address"), None)
    }

    #[test]
    fn loopback_by_name_or_number_with_the_port_is_answered() {
        let hosts = hosts("127.0.0.1:1111");
        for host in ["127.0.0.1:1111", "localhost:1111", "LOCALHOST:1111", "[::1]:1111"] {
            assert!(hosts.allows(host), "{host}");
        }
        for host in ["evil.example:1111", "127.0.0.1:1112", "127.0.0.1", "localhost", "127.0.0.1:x", "", "10.0.0.2:1111", "localhost.evil.example:1111"] {
            assert!(!hosts.allows(host), "{host}");
        }
    }

    #[test]
    fn all_interfaces_answer_to_addresses_but_not_to_names() {
        let hosts = hosts("0.0.0.0:1111");
        assert!(hosts.allows("192.168.1.20:1111"));
        assert!(!hosts.allows("rebound.example:1111"));
    }

    #[test]
    fn origins_are_this_server_only() {
        let hosts = hosts("127.0.0.1:1111");
        assert!(hosts.allows_origin("http://127.0.0.1:1111"));
        assert!(hosts.allows_origin("http://localhost:1111"));
        for origin in ["http://evil.example:1111", "https://127.0.0.1:1111", "null", "http://127.0.0.1:1111/x"] {
            assert!(!hosts.allows_origin(origin), "{origin}");
        }
    }

    #[test]
    fn the_base_urls_host_is_answered() {
        let hosts = Hosts::new("127.0.0.1:1111".parse().expect("an address"), Some("http://remiss.test:8080/sub"));
        assert!(hosts.allows("remiss.test:8080"));
        assert!(!hosts.allows("remiss.test:1111"));
    }
}
