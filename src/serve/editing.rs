//! Editing in the preview: recording, changing and reviewing positions from the pages.
//!
//! 1. When `serve` starts it makes a random token. Preview pages (never built ones)
//!    carry it in `<meta name="remiss-edit-token">`, with the editing script and the
//!    data it needs (the statement's version, its positions, the proposals).
//! 2. `POST /_remiss/edit/position` checks the token (the guard has checked `Host` and
//!    `Origin` before), then hands the change to [`crate::edit`], which writes the file.
//! 3. The watcher sees the write and rebuilds; the live reload shows the result.
//!
//! A page of another site cannot read the token (the same-origin policy, and the guard
//! against rebinding), cannot send the header without a preflight the server never
//! allows, and its `Origin` is refused: so only the editor's own preview pages write.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::Live;
use crate::edit::{self, Action, Edit, Refusal};
use crate::load::Text;
use crate::load::meta::Stance;
use crate::markdown::escape;
use crate::model::Site;
use crate::routes;

pub const POSITION_PATH: &str = "/_remiss/edit/position";
pub const REVIEW_PATH: &str = "/_remiss/granska/";
const SCRIPT_PATH: &str = "/_remiss/edit.js";
const STYLESHEET_PATH: &str = "/_remiss/edit.css";
const SCRIPT: &str = include_str!("edit.js");
const STYLESHEET: &str = include_str!("edit.css");
pub const TOKEN_HEADER: &str = "x-remiss-token";

/// Editing's state for as long as the preview runs.
pub struct Editing {
    token: String,
    root: PathBuf,
    /// One edit at a time: two at once would each check the file, then both write.
    writing: Arc<Mutex<()>>,
}

impl Editing {
    pub fn new(root: &Path) -> std::io::Result<Editing> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|error| std::io::Error::other(format!("no random numbers for the editing token: {error}")))?;
        let token = secret.iter().map(|byte| format!("{byte:02x}")).collect();
        Ok(Editing { token, root: root.to_path_buf(), writing: Arc::default() })
    }

    /// Compares in time independent of where the strings differ, so that the token
    /// cannot be guessed byte by byte from how fast a refusal comes.
    fn accepts(&self, token: &str) -> bool {
        let (ours, theirs) = (self.token.as_bytes(), token.as_bytes());
        ours.len() == theirs.len() && ours.iter().zip(theirs).fold(0, |difference, (a, b)| difference | (a ^ b)) == 0
    }
}

/// What the editing controls need of the last good build: a snapshot, so that a
/// request never waits for a rebuild.
#[derive(Default)]
pub struct EditView {
    statements: BTreeMap<String, StatementView>,
    proposals: Vec<ProposalView>,
    /// The page's output file → what it shows.
    pages: HashMap<String, PageShows>,
    strings: serde_json::Value,
    language: &'static str,
}

struct StatementView {
    title: String,
    organisation: String,
    path: String,
    /// The file as the build read it: its version is what the pages were rendered from.
    text: Text,
    positions: Vec<PositionView>,
    /// The suggestions still to review (never published, so not among `positions`).
    suggestions: Vec<PositionView>,
}

#[derive(Clone, Serialize)]
struct PositionView {
    proposal: String,
    stance: &'static str,
    quote: String,
    /// Only for a suggestion: how sure `remiss import` was.
    confidence: Option<f32>,
}

impl PositionView {
    fn of(site: &Site, position: &crate::model::Position, confidence: Option<f32>) -> PositionView {
        PositionView {
            proposal: site.proposals[position.proposal].id.clone(),
            stance: position.stance.key(),
            quote: position.quote.clone(),
            confidence,
        }
    }
}

#[derive(Serialize)]
struct ProposalView {
    id: String,
    title: String,
    area: String,
}

enum PageShows {
    Statement(String),
    Proposal(String),
}

impl EditView {
    pub fn of(site: &Site) -> EditView {
        let mut view = EditView::default();
        for proposal in &site.proposals {
            view.proposals.push(ProposalView {
                id: proposal.id.clone(),
                title: proposal.title.clone(),
                area: site.areas[proposal.area].title.clone(),
            });
            view.pages.insert(routes::file(&proposal.path), PageShows::Proposal(proposal.id.clone()));
        }
        for (index, statement) in site.statements.enumerated() {
            let positions = statement.positions.iter().map(|&position| PositionView::of(site, &site.positions[position], None)).collect();
            let suggestions = site
                .suggestions
                .iter()
                .filter(|suggested| suggested.position.statement == index)
                .map(|suggested| PositionView::of(site, &suggested.position, Some(suggested.confidence)))
                .collect();
            view.pages.insert(routes::file(&statement.path), PageShows::Statement(statement.id.clone()));
            view.statements.insert(
                statement.id.clone(),
                StatementView {
                    title: statement.title.clone(),
                    organisation: statement.organisation.clone(),
                    path: statement.path.clone(),
                    text: statement.body.clone(),
                    positions,
                    suggestions,
                },
            );
        }
        view.language = site.config.language.code();
        let strings = &site.theme.strings;
        view.strings = serde_json::json!({
            "edit": strings.get("edit").cloned().unwrap_or_else(|| toml::Value::Table(toml::Table::new())),
            "stance": strings.get("stance").cloned().unwrap_or_else(|| toml::Value::Table(toml::Table::new())),
        });
        view
    }

    fn version(&self, statement: &str) -> Option<String> {
        self.statements.get(statement).map(|view| edit::version(view.text.whole_file()))
    }

    fn string(&self, key: &str) -> String {
        self.strings["edit"][key].as_str().unwrap_or(key).to_owned()
    }
}

pub fn routes() -> Router<Arc<Live>> {
    Router::new()
        .route(POSITION_PATH, post(position))
        .route(REVIEW_PATH, get(review))
        .route(SCRIPT_PATH, get(|| async { super::http::script(SCRIPT) }))
        .route(
            STYLESHEET_PATH,
            get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], STYLESHEET) }),
        )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PositionRequest {
    statement: String,
    #[serde(default)]
    proposal: Option<String>,
    #[serde(default)]
    stance: Option<Stance>,
    #[serde(default)]
    quote: Option<String>,
    #[serde(default)]
    replace: Option<String>,
    #[serde(default)]
    remove: bool,
    #[serde(default)]
    accept: bool,
    #[serde(default)]
    reject: bool,
    /// Widen the quote to the whole sentences it touches.
    #[serde(default)]
    widen: bool,
    version: String,
}

impl PositionRequest {
    fn into_edit(self) -> Result<Edit, String> {
        let flags = [self.remove, self.accept, self.reject, self.replace.is_some()].iter().filter(|flag| **flag).count();
        if flags > 1 {
            return Err("give at most one of `replace`, `remove`, `accept` and `reject`".to_owned());
        }
        let proposal = || self.proposal.clone().or_else(|| self.replace.clone()).ok_or_else(|| "`proposal` is missing".to_owned());
        let stance = || self.stance.ok_or_else(|| "`stance` is missing (supports, partly, no-objection, doubtful or opposes)".to_owned());
        let action = if self.remove {
            Action::Remove { proposal: proposal()? }
        } else if self.accept {
            Action::Accept { proposal: proposal()? }
        } else if self.reject {
            Action::Reject { proposal: proposal()? }
        } else if let Some(replace) = self.replace.clone() {
            Action::Change { proposal: proposal()?, replace, stance: stance()?, quote: self.quote.clone(), widen: self.widen }
        } else {
            let quote = self.quote.clone().ok_or_else(|| "`quote` is missing".to_owned())?;
            Action::Add { proposal: proposal()?, stance: stance()?, quote, widen: self.widen }
        };
        Ok(Edit { statement: self.statement, version: self.version, action })
    }
}

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    let headers = [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")];
    (status, headers, body.to_string()).into_response()
}

fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    answer(status, serde_json::json!({ "error": message.into() }))
}

async fn position(State(live): State<Arc<Live>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(editing) = &live.editing else {
        return refuse(StatusCode::FORBIDDEN, "editing is off: this preview serves on the network (start it with --edit-on-network to edit)");
    };
    let token = headers.get(TOKEN_HEADER).and_then(|value| value.to_str().ok()).unwrap_or_default();
    if !editing.accepts(token) {
        return refuse(StatusCode::FORBIDDEN, "refused: the X-Remiss-Token header is missing or wrong (reload the preview page)");
    }
    let json = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|kind| kind.starts_with("application/json"));
    if !json {
        return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send the edit as JSON (Content-Type: application/json)");
    }
    let request: PositionRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => return refuse(StatusCode::BAD_REQUEST, format!("the edit is not understood: {error}")),
    };
    let edit = match request.into_edit() {
        Ok(edit) => edit,
        Err(message) => return refuse(StatusCode::BAD_REQUEST, message),
    };
    let view = live.edit_view();
    let (root, writing) = (editing.root.clone(), editing.writing.clone());
    let applied = tokio::task::spawn_blocking(move || {
        let _one_at_a_time = writing.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        edit::apply(&root, &edit, |proposal| view.proposals.iter().any(|known| known.id == proposal))
    })
    .await;
    match applied {
        Ok(Ok(written)) => answer(
            StatusCode::OK,
            serde_json::json!({ "written": written.file.to_string_lossy(), "quote": written.quote }),
        ),
        Ok(Err(refusal)) => refuse(status_of(&refusal), refusal.to_string()),
        Err(_) => refuse(StatusCode::INTERNAL_SERVER_ERROR, "the edit stopped half-way; the file is unchanged"),
    }
}

fn status_of(refusal: &Refusal) -> StatusCode {
    StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
}

impl Live {
    fn edit_view(&self) -> Arc<EditView> {
        self.edit_view.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }
}

/// What a preview page gets for editing: for its `<head>` and before its `</body>`.
/// Nothing when editing is off.
pub fn page_addition(live: &Live, file: &str) -> (String, String) {
    let Some(editing) = &live.editing else { return Default::default() };
    let view = live.edit_view();
    let head = format!(
        "<meta name=\"remiss-edit-token\" content=\"{}\"><link rel=\"stylesheet\" href=\"{STYLESHEET_PATH}\">",
        editing.token
    );
    let data = match view.pages.get(file) {
        Some(PageShows::Statement(id)) => statement_data(&view, id),
        Some(PageShows::Proposal(id)) => proposal_data(&view, id),
        None => return (head, String::new()),
    };
    (head, body_addition(&data))
}

fn body_addition(data: &serde_json::Value) -> String {
    // `<` is escaped so that no text in the data can close the script element.
    let data = data.to_string().replace('<', "\\u003c");
    format!("<script type=\"application/json\" id=\"remiss-edit-data\">{data}</script><script src=\"{SCRIPT_PATH}\"></script>")
}

fn statement_data(view: &EditView, id: &str) -> serde_json::Value {
    let Some(statement) = view.statements.get(id) else { return serde_json::Value::Null };
    // The model leaves suggestions out of the published positions: the preview shows
    // them beside the editor's positions.
    let positions: Vec<serde_json::Value> = statement
        .positions
        .iter()
        .chain(&statement.suggestions)
        .map(|position| {
            serde_json::json!({
                "proposal": position.proposal,
                "stance": position.stance,
                "quote": position.quote,
                "suggested": position.confidence.is_some(),
                "confidence": position.confidence,
            })
        })
        .collect();
    serde_json::json!({
        "kind": "statement",
        "statement": id,
        "version": view.version(id),
        "positions": positions,
        "proposals": view.proposals,
        "strings": view.strings,
    })
}

fn proposal_data(view: &EditView, id: &str) -> serde_json::Value {
    let positions: Vec<serde_json::Value> = view
        .statements
        .iter()
        .filter_map(|(statement_id, statement)| {
            // Published positions only: a suggestion on the proposal is reviewed on its
            // statement's page and in the review list.
            let position = statement.positions.iter().find(|position| position.proposal == id)?;
            Some(serde_json::json!({
                "statement": statement_id,
                "version": edit::version(statement.text.whole_file()),
                "proposal": id,
                "stance": position.stance,
                "quote": position.quote,
            }))
        })
        .collect();
    serde_json::json!({ "kind": "proposal", "proposal": id, "positions": positions, "proposals": view.proposals, "strings": view.strings })
}

/// The review list: every suggestion still open, statement by statement.
async fn review(State(live): State<Arc<Live>>) -> Response {
    let Some(editing) = &live.editing else {
        return (StatusCode::NOT_FOUND, "editing is off in this preview\n").into_response();
    };
    let view = live.edit_view();
    let title = view.string("review_title");
    let mut html = format!(
        "<!doctype html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><meta name=\"remiss-edit-token\" content=\"{}\">\
         <link rel=\"stylesheet\" href=\"{stylesheet}\"><link rel=\"stylesheet\" href=\"{STYLESHEET_PATH}\"></head>\
         <body><main id=\"_innehall\" class=\"wrap remiss-review\"><p><a href=\"{home_url}\">{home}</a></p><h1>{title}</h1><p class=\"lead\">{}</p>",
        editing.token,
        escape(&view.string("review_intro")),
        title = escape(&title),
        stylesheet = routes::link(&live.base_path, "style.css"),
        home_url = routes::link(&live.base_path, ""),
        language = view.language,
        home = escape(&view.string("review_home")),
    );
    let mut open = 0;
    let mut versions = serde_json::Map::new();
    for (id, statement) in &view.statements {
        let suggestions = &statement.suggestions;
        if suggestions.is_empty() {
            continue;
        }
        versions.insert(id.clone(), serde_json::Value::from(edit::version(statement.text.whole_file())));
        html.push_str(&format!(
            "<section class=\"remiss-review-statement\" aria-labelledby=\"granska_{id}\"><h2 id=\"granska_{id}\"><a href=\"{href}\">{}</a> <span class=\"organisation\">{}</span></h2><ul>",
            escape(&statement.title),
            escape(&statement.organisation),
            href = routes::link(&live.base_path, &statement.path),
        ));
        for suggestion in suggestions {
            open += 1;
            let proposal = view.proposals.iter().find(|proposal| proposal.id == suggestion.proposal);
            let stance = view.strings["stance"][suggestion.stance].as_str().unwrap_or(suggestion.stance).to_owned();
            let confidence = suggestion
                .confidence
                .map(|confidence| format!(" <span class=\"remiss-confidence\">{}: {:.0} %</span>", escape(&view.string("confidence")), confidence * 100.0))
                .unwrap_or_default();
            html.push_str(&format!(
                "<li class=\"remiss-suggestion\" data-statement=\"{id}\" data-proposal=\"{proposal_id}\">\
                 <p><a href=\"{href}\">{proposal_title}</a>: <strong>{stance}</strong>{confidence}</p>\
                 <blockquote><p>{quote}</p></blockquote>\
                 <p class=\"remiss-edit-controls\"><button type=\"button\" data-action=\"accept\">{accept}</button> \
                 <button type=\"button\" data-action=\"reject\">{reject}</button></p></li>",
                proposal_id = escape(&suggestion.proposal),
                proposal_title = escape(proposal.map_or(suggestion.proposal.as_str(), |proposal| proposal.title.as_str())),
                stance = escape(&stance),
                quote = escape(&suggestion.quote),
                accept = escape(&view.string("accept")),
                reject = escape(&view.string("reject")),
                href = escape(&routes::link(&live.base_path, &routes::at(&statement.path, &routes::position_anchor(&suggestion.proposal)))),
            ));
        }
        html.push_str("</ul></section>");
    }
    if open == 0 {
        html.push_str(&format!("<p class=\"remiss-review-none\">{}</p>", escape(&view.string("review_none"))));
    }
    let data = serde_json::json!({ "kind": "review", "versions": versions, "strings": view.strings });
    html.push_str("</main>");
    html.push_str(&body_addition(&data));
    html.push_str(&format!("<script src=\"{}\"></script></body></html>", super::http::LIVE_RELOAD_SCRIPT_PATH));
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(json: serde_json::Value) -> Result<Edit, String> {
        serde_json::from_value::<PositionRequest>(json).map_err(|error| error.to_string())?.into_edit()
    }

    #[test]
    fn a_request_says_one_thing() {
        let both = request(serde_json::json!({"statement": "s", "proposal": "p", "remove": true, "accept": true, "version": "v"}));
        assert_eq!(both.unwrap_err(), "give at most one of `replace`, `remove`, `accept` and `reject`");
        let no_stance = request(serde_json::json!({"statement": "s", "proposal": "p", "quote": "q", "version": "v"}));
        assert!(no_stance.unwrap_err().starts_with("`stance` is missing"));
        let change = request(serde_json::json!({"statement": "s", "replace": "p", "stance": "opposes", "version": "v"})).expect("a change");
        assert!(matches!(change.action, Action::Change { ref proposal, ref replace, stance: Stance::Opposes, quote: None, .. } if proposal == "p" && replace == "p"));
        assert!(request(serde_json::json!({"statement": "s", "proposal": "p", "stance": "maybe", "quote": "q", "version": "v"})).is_err());
        assert!(request(serde_json::json!({"statement": "s", "proposal": "p", "stance": "supports", "quote": "q", "version": "v", "path": "/etc"})).is_err());
    }

    #[test]
    fn the_token_is_random_and_compared_whole() {
        let (one, other) = (Editing::new(Path::new(".")).expect("a token"), Editing::new(Path::new(".")).expect("a token"));
        assert_ne!(one.token, other.token);
        assert_eq!(one.token.len(), 64);
        assert!(one.accepts(&one.token.clone()));
        assert!(!one.accepts(&other.token));
        assert!(!one.accepts(&one.token[..63]));
        assert!(!one.accepts(""));
    }
}
