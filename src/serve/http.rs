//! HTTP: answers requests from the in-memory site, injects the live-reload script (and the error
//! overlay while the last build failed) into HTML, and streams rebuild events to open pages.
//!
//! Requests are answered from the keys of an in-memory map of the output: no request ever opens a
//! file on disk, so no path can reach outside the output. Paths are still decoded and checked
//! strictly ([`file_key`]), so a request that tries to climb out is refused rather than looked up.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{Stream, StreamExt, stream};
use tokio::sync::broadcast;

use super::LiveEvent;
use super::output::{Served, Snapshot};

/// Paths the server answers itself; a site cannot use them.
pub const EVENTS_PATH: &str = "/__tandem/events";
pub const SCRIPT_PATH: &str = "/__tandem/live.js";
/// Every file the server has, one path a line: for tests and tools.
pub const FILES_PATH: &str = "/__tandem/files";

/// What is injected into HTML wraps itself in these comments, so tools can take it out again.
pub const INJECTED_START: &str = "<!-- tandem serve -->";
pub const INJECTED_END: &str = "<!-- /tandem serve -->";

const LIVE_JS: &str = include_str!("live.js");

#[derive(Clone)]
pub struct AppState {
    pub served: Arc<Served>,
    pub events: broadcast::Sender<LiveEvent>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(
            SCRIPT_PATH,
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS) }),
        )
        .route(FILES_PATH, get(file_list))
        .fallback(serve_file)
        .with_state(state)
}

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum BadPath {
    NotAbsolute,
    NotUtf8,
    /// `..`, `.`, an empty segment (`//`), a backslash, a NUL or a drive (`C:`), after decoding.
    Escapes,
}

/// The output file a request path names: percent-decoded, then checked segment by segment.
/// `/` and `/dir/` name `index.html` and `dir/index.html`.
pub fn file_key(raw_path: &str) -> Result<String, BadPath> {
    let rest = raw_path.strip_prefix('/').ok_or(BadPath::NotAbsolute)?;
    let decoded = String::from_utf8(percent_decode(rest.as_bytes())).map_err(|_| BadPath::NotUtf8)?;
    if decoded.contains(['\\', '\0']) {
        return Err(BadPath::Escapes);
    }
    let (dir, file) = match decoded.rsplit_once('/') {
        Some((dir, file)) => (Some(dir), file),
        None => (None, decoded.as_str()),
    };
    let is_drive = |s: &str| s.len() >= 2 && s.as_bytes()[1] == b':' && s.as_bytes()[0].is_ascii_alphabetic();
    let bad = |s: &str| s.is_empty() || s == "." || s == ".." || is_drive(s);
    if dir.is_some_and(|d| d.split('/').any(bad)) || (!file.is_empty() && bad(file)) {
        return Err(BadPath::Escapes);
    }
    Ok(if file.is_empty() { format!("{decoded}index.html") } else { decoded })
}

/// `%XX` → the byte; anything else as it is (a stray `%` included).
fn percent_decode(input: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'%'
            && let (Some(hi), Some(lo)) =
                (input.get(i + 1).copied().and_then(hex), input.get(i + 2).copied().and_then(hex))
        {
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(input[i]);
            i += 1;
        }
    }
    out
}

async fn serve_file(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")], "").into_response();
    }
    let Ok(key) = file_key(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    };
    let snapshot = state.served.current();
    if snapshot.files.is_empty() {
        // No build has succeeded yet: a page that says so (with the errors, once there are some).
        let status =
            if snapshot.built { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::SERVICE_UNAVAILABLE };
        let text = if snapshot.built { "The site has errors." } else { "Building the site…" };
        let page = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>tandem</title></head><body><p>{text}</p></body></html>"
        );
        return file_response(status, "index.html", page.as_bytes(), &snapshot);
    }
    if let Some(file) = snapshot.files.get(key.as_str()) {
        return file_response(StatusCode::OK, &key, &file.bytes(), &snapshot);
    }
    if !key.ends_with("index.html") && snapshot.files.contains_key(format!("{key}/index.html").as_str()) {
        let location = format!("{}/", uri.path());
        return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)], "").into_response();
    }
    match snapshot.files.get("404.html") {
        Some(page) => file_response(StatusCode::NOT_FOUND, "404.html", &page.bytes(), &snapshot),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn file_response(status: StatusCode, key: &str, bytes: &[u8], snapshot: &Snapshot) -> Response {
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") { inject(bytes, snapshot) } else { bytes.to_vec() };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Always ask again: the next rebuild may change anything.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page with the live-reload script, and the error overlay while the site has errors, put
/// before its last `</body>` (or at the end).
pub fn inject(html: &[u8], snapshot: &Snapshot) -> Vec<u8> {
    let mut snippet = String::from(INJECTED_START);
    if let Some(report) = &snapshot.errors {
        snippet.push_str(&overlay(report));
    }
    snippet
        .push_str(&format!("<script src=\"{SCRIPT_PATH}\" data-version=\"{}\"></script>", snapshot.version));
    snippet.push_str(INJECTED_END);
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The build's problems as the terminal shows them, HTML-escaped, over the page.
fn overlay(report: &str) -> String {
    let mut escaped = Vec::with_capacity(report.len());
    let _ = tera::escape_html(report, &mut escaped);
    format!(
        concat!(
            "<div id=\"tandem-overlay\" role=\"alertdialog\" aria-modal=\"true\" aria-labelledby=\"tandem-overlay-title\" ",
            "style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem 2rem;",
            "background:rgba(20,20,24,.96);color:#f4f4f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left\">",
            "<p id=\"tandem-overlay-title\" style=\"margin:0 0 1rem;font-weight:bold;color:#fca5a5\">",
            "The site has errors, so this is its last version that built. Fix them and the page reloads.</p>",
            "<pre style=\"margin:0;white-space:pre-wrap;font:inherit\">{}</pre>",
            "<button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"margin-top:1rem;font:inherit\">Hide</button></div>"
        ),
        String::from_utf8_lossy(&escaped)
    )
}

/// The content type for an output path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

async fn file_list(State(state): State<AppState>) -> impl IntoResponse {
    let snapshot = state.served.current();
    let mut paths: Vec<&str> = snapshot.files.keys().map(|k| &**k).collect();
    paths.sort_unstable();
    let mut body = paths.join("\n");
    body.push('\n');
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body)
}

/// Server-sent events: `hello` with the current version first (a page older than it reloads),
/// then `reload` or `css` after every rebuild.
async fn events(State(state): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.events.subscribe();
    let hello = LiveEvent::Hello { version: state.served.current().version };
    let updates = stream::unfold(receiver, |mut receiver| async move {
        match receiver.recv().await {
            Ok(event) => Some((event, receiver)),
            // Missed some: whatever they were, a reload catches up.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                Some((LiveEvent::Reload { version: 0, errors: false, pages: None }, receiver))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        }
    });
    let stream = stream::once(async move { hello }).chain(updates).map(|e| Ok(e.to_sse()));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files_and_index_pages() {
        assert_eq!(file_key("/"), Ok("index.html".into()));
        assert_eq!(file_key("/guides/one/"), Ok("guides/one/index.html".into()));
        assert_eq!(file_key("/style.css"), Ok("style.css".into()));
        assert_eq!(file_key("/a%20b/"), Ok("a b/index.html".into()));
        assert_eq!(file_key("/caf%C3%A9/"), Ok("café/index.html".into()));
        assert_eq!(file_key("/100%/"), Ok("100%/index.html".into()));
        assert_eq!(file_key("/..%252f/"), Ok("..%2f/index.html".into()), "decoded once only");
    }

    #[test]
    fn paths_that_climb_out_are_refused_however_encoded() {
        for raw in [
            "/..",
            "/../site.toml",
            "/a/../../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E%2Fsite.toml",
            "/.%2e/site.toml",
            "/..%2fsite.toml",
            "/..\\site.toml",
            "/%5c..%5csite.toml",
            "/a\\b",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/a//b",
            "/C:/Windows/win.ini",
            "/c%3a/x",
            "/x%00.html",
            "/./index.html",
            "/guides/.",
        ] {
            assert_eq!(file_key(raw), Err(BadPath::Escapes), "{raw}");
        }
        assert_eq!(file_key("relative"), Err(BadPath::NotAbsolute));
        assert_eq!(file_key("/%ff"), Err(BadPath::NotUtf8));
    }

    fn snapshot(errors: Option<&str>) -> Snapshot {
        Snapshot { files: Arc::default(), errors: errors.map(Into::into), version: 7, built: true }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end_tag() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(inject(html, &snapshot(None))).unwrap();
        let expected = format!(
            "<html><body><p>&lt;/body&gt;</p>{INJECTED_START}<script src=\"{SCRIPT_PATH}\" data-version=\"7\"></script>{INJECTED_END}</BODY></html>"
        );
        assert_eq!(out, expected);
        let bare = String::from_utf8(inject(b"<p>hi", &snapshot(None))).unwrap();
        assert!(bare.starts_with("<p>hi<!-- tandem serve -->"), "{bare}");
    }

    #[test]
    fn the_overlay_shows_the_report_escaped() {
        let out =
            String::from_utf8(inject(b"<body></body>", &snapshot(Some("error: <b>bad</b> & \"worse\""))))
                .unwrap();
        assert!(out.contains("id=\"tandem-overlay\""), "{out}");
        assert!(out.contains("error: &lt;b&gt;bad&lt;/b&gt; &amp; &quot;worse&quot;"), "{out}");
        assert!(!out.contains("<b>bad"), "{out}");
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("search/index.json"), "application/json");
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}
