//! A real browser: Debian's headless Chromium, driven over the DevTools protocol.
//!
//! The tests that use it are marked `#[cfg_attr(not(has_chromium), ignore = …)]`:
//! build.rs sets `has_chromium` when Chromium is installed, or when
//! `REMISS_REQUIRE_BROWSER` is set (as `.ci/run` does), so that without a browser they
//! count as ignored with the reason, and in CI a missing browser fails them.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

pub struct Browser {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    session: String,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const CHROMIUM: &str = "/usr/bin/chromium";

impl Browser {
    /// A browser with one page open.
    pub fn launch() -> Browser {
        assert!(std::path::Path::new(CHROMIUM).exists(), "{CHROMIUM} is missing: install Debian's chromium");
        let profile = tempfile::tempdir().expect("a browser profile folder");
        // The flags keep Chromium from reaching out to the network (this machine's is closed).
        let mut child = Command::new(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "about:blank",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        let stderr = child.stderr.take().expect("chromium's stderr");
        let mut lines = BufReader::new(stderr).lines();
        let address = loop {
            let line = lines.next().expect("chromium prints its DevTools address").expect("a line");
            if let Some(address) = line.strip_prefix("DevTools listening on ") {
                break address.trim().to_owned();
            }
        };
        // Keep draining stderr so that Chromium never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let (socket, _) = tungstenite::connect(&address).expect("the DevTools socket");
        let mut browser = Browser { child, socket, session: String::new(), next_id: 0, _profile: profile };
        let target = browser.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
        let target_id = target["targetId"].as_str().expect("a target id").to_owned();
        let attached = browser.call(None, "Target.attachToTarget", json!({ "targetId": target_id, "flatten": true }));
        browser.session = attached["sessionId"].as_str().expect("a session id").to_owned();
        browser
    }

    /// Sends a DevTools command and waits for its answer (events on the way are dropped).
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket.send(Message::Text(message.to_string().into())).expect("a DevTools command");
        loop {
            let Message::Text(text) = self.socket.read().expect("a DevTools answer") else { continue };
            let answer: Value = serde_json::from_str(&text).expect("JSON from DevTools");
            if answer["id"] == id {
                assert!(answer.get("error").is_none(), "{method} failed: {answer}");
                return answer["result"].clone();
            }
        }
    }

    fn page_call(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.call(Some(&session), method, params)
    }

    /// Sets the viewport, as a phone (`mobile`) or a desktop browser.
    pub fn viewport(&mut self, width: u32, height: u32, mobile: bool) {
        self.page_call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        );
    }

    /// Emulates the reader's colour scheme preference: "light" or "dark".
    pub fn color_scheme(&mut self, scheme: &str) {
        self.page_call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
    }

    /// Opens a URL and waits until the page has loaded.
    pub fn open(&mut self, url: &str) {
        // A mark on the page being left, so that waiting ends on the new one (the URL
        // may be the same).
        self.eval("window.remissLeaving = true");
        self.page_call("Page.navigate", json!({ "url": url }));
        self.wait_for("window.remissLeaving === undefined && document.readyState === 'complete'");
    }

    /// Records every Content-Security-Policy violation of the pages opened from now on
    /// in `window.remissViolations` (the script runs before the page's own).
    pub fn record_policy_violations(&mut self) {
        self.page_call("Page.enable", json!({}));
        self.page_call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "window.remissViolations = []; document.addEventListener('securitypolicyviolation', event => window.remissViolations.push(`${event.violatedDirective} ${event.blockedURI}`));" }),
        );
    }

    /// Presses a key (as a keyboard would: focus moves, links follow).
    pub fn press(&mut self, key: &str, code: u32) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.page_call(
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code }),
            );
        }
    }

    /// Evaluates JavaScript in the page (awaiting a promise) and returns its value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.page_call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        );
        assert!(result.get("exceptionDetails").is_none(), "`{expression}` threw: {result}");
        result["result"]["value"].clone()
    }

    /// Waits until a JavaScript condition holds in the page (a reload may come between).
    pub fn wait_for(&mut self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let result = self.page_call(
                "Runtime.evaluate",
                json!({ "expression": format!("Boolean({condition})"), "returnByValue": true }),
            );
            if result["result"]["value"] == true {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for `{condition}`");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
