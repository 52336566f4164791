//! `tandem serve`: the site served from memory, rebuilt on every change, live-reloaded in open
//! pages, and never stopped by an error.
//!
//! This module owns the dev server and nothing of the build: [`rebuild`] drives the library's own
//! pipeline (`build::load` + `render::render_site`, or their one-page parts) into an in-memory
//! [`output`], which is swapped in whole once a build has no errors; [`watch`] turns file events
//! into debounced batches; [`http`] answers requests from memory, injects the live-reload script
//! (and the error overlay while the last build failed) and streams rebuild events.
//!
//! The site is built with the served address as its `base_url`, so what is served is exactly what
//! `tandem build --base-url http://ADDR:PORT` writes, plus the injected script.

pub mod hosts;
pub mod http;
pub mod output;
pub mod rebuild;
pub mod watch;

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::Event;
use tokio::sync::broadcast;

use crate::build;
use http::AppState;
use rebuild::{Model, Outcome, Work};
use watch::Watch;

pub const DEFAULT_PORT: u16 = 1111;
/// How many further ports to try when the default one is taken.
const PORT_TRIES: u16 = 10;

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// `None`: [`DEFAULT_PORT`], or the next free one.
    pub port: Option<u16>,
    pub watch: bool,
    pub poll: bool,
    pub open: bool,
    pub drafts: bool,
    /// Further `Host` names to answer for (`--allow-host`), besides localhost and our addresses.
    pub allow_hosts: Vec<String>,
}

/// What open pages are told, as the events of `/__tandem/events` (read by `live.js`).
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// Sent first on every connection: a page older than this version updates itself.
    Hello { version: u64 },
    /// The site was rebuilt (or failed to, and pages now show the errors): open pages fetch
    /// themselves again and patch the document, or reload.
    Reload {
        version: u64,
        errors: bool,
        /// The only output files that changed (`guides/one/index.html`), when that is known:
        /// other pages need not ask. `None`: any page may have changed.
        pages: Option<Vec<String>>,
    },
    /// Only these stylesheets changed (URL paths): pages swap them without reloading.
    Css { version: u64, paths: Vec<String> },
}

/// The data of a `hello` event.
#[derive(serde::Serialize)]
struct HelloData {
    version: u64,
}

/// The data of a `reload` event.
#[derive(serde::Serialize)]
struct ReloadData<'a> {
    version: u64,
    errors: bool,
    pages: Option<&'a [String]>,
}

/// The data of a `css` event.
#[derive(serde::Serialize)]
struct CssData<'a> {
    version: u64,
    paths: &'a [String],
}

impl LiveEvent {
    pub fn to_sse(&self) -> Event {
        let (name, data) = match self {
            LiveEvent::Hello { version } => {
                ("hello", serde_json::to_string(&HelloData { version: *version }))
            }
            LiveEvent::Reload { version, errors, pages } => (
                "reload",
                serde_json::to_string(&ReloadData {
                    version: *version,
                    errors: *errors,
                    pages: pages.as_deref(),
                }),
            ),
            LiveEvent::Css { version, paths } => {
                ("css", serde_json::to_string(&CssData { version: *version, paths }))
            }
        };
        // Serialising these plain structs cannot fail.
        Event::default().event(name).data(data.unwrap_or_default())
    }
}

/// Runs the server until the process is stopped. `Err` only for what stops it from starting
/// (no site folder, the port taken, no watcher); build errors never do.
pub fn run(opts: Options) -> Result<(), String> {
    let root = std::fs::canonicalize(&opts.root)
        .map_err(|e| format!("cannot open the site folder {}: {e}", opts.root.display()))?;
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener.local_addr().map_err(|e| format!("cannot read the server's address: {e}"))?;
    let url = format!("http://{addr}/");
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, which other machines on the network may reach; the dev server is for authoring, not publishing",
            addr.ip()
        );
    }
    // Watch before the first build, so nothing saved while it runs is missed.
    let watch = match opts.watch {
        true => Some(Watch::new(&root, opts.poll).map_err(|e| {
            format!(
                "cannot watch {} for changes: {e}; try --poll, which scans for changes instead",
                root.display()
            )
        })?),
        false => None,
    };
    let state = AppState { served: Arc::default(), events: broadcast::channel(64).0 };
    let model = Model::new(build::Options {
        root,
        output: None,
        base_url: Some(url.trim_end_matches('/').to_string()),
        drafts: opts.drafts,
    });
    let rebuilder = state.clone();
    std::thread::Builder::new()
        .name("tandem-rebuild".into())
        .spawn(move || rebuild_loop(model, watch, &rebuilder))
        .map_err(|e| format!("cannot start the rebuild thread: {e}"))?;

    println!("serving the site at {url}{}", if opts.watch { " (watching for changes)" } else { "" });
    if opts.open {
        open_browser(&url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(|e| format!("cannot start the server: {e}"))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let allowed = hosts::AllowedHosts::new(opts.bind, &opts.allow_hosts);
        let app = http::router(state).layer(axum::middleware::from_fn_with_state(allowed, hosts::check_host));
        serve_connections(listener, app).await;
        Ok(())
    })
}

/// How long a client may take to send a request's head, counted from when the server starts
/// waiting for it (a new connection, or the end of the last response on a kept-alive one): an
/// idle or half-sent request is closed after this, so it cannot hold a connection forever.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts connections for ever, each served over HTTP/1.1 with [`HEADER_READ_TIMEOUT`].
/// (`axum::serve` sets no timer, so hyper's header timeout never runs under it.)
async fn serve_connections(listener: tokio::net::TcpListener, app: axum::Router) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset before it was accepted: the
            // listener itself is fine, so wait a moment and carry on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            // A connection's error (a client gone, a timeout) ends that connection only.
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The first build, then one rebuild per batch of changes, for as long as the watcher runs.
fn rebuild_loop(mut model: Model, watch: Option<Watch>, state: &AppState) {
    // Whether the model's files are the ones served (its last build had no errors).
    let mut serving = false;
    if let Some(first) = guarded(&mut model, |m| Some(m.rebuild_all())) {
        announce(state, &first);
        print_outcome(&first, "built");
        serving = first.files.is_some();
    }
    model.prepare_for_edits();
    let Some(mut watch) = watch else {
        deflate(&mut model, serving, state, || false);
        return;
    };
    loop {
        deflate(&mut model, serving, state, || watch.changes_waiting());
        let Some(batch) = watch.next_batch() else { break };
        let outcome =
            guarded(
                &mut model,
                |m| if batch.rescan { Some(m.rebuild_all()) } else { m.rebuild(&batch.paths) },
            );
        let Some(outcome) = outcome else { continue };
        announce(state, &outcome);
        serving = outcome.files.is_some();
        catch_up(&mut model, &outcome, state);
        print_outcome(&outcome, "rebuilt");
        if let Work::Full { .. } = outcome.work {
            model.prepare_for_edits();
        }
    }
}

/// Deflates a full build's files a slice at a time (see [`Model::deflate_some`]) until all are
/// or `interrupted` says changes wait (they go first; this goes on after them); once all are,
/// hands the memory freed back to the system (~10 ms on a big heap: not while a change waits).
fn deflate(model: &mut Model, serving: bool, state: &AppState, mut interrupted: impl FnMut() -> bool) {
    let mut deflated_any = false;
    loop {
        if interrupted() {
            return;
        }
        let Ok(Some(files)) = catch_unwind(AssertUnwindSafe(|| model.deflate_some())) else { break };
        deflated_any = true;
        if serving {
            state.served.update(files);
        }
    }
    if deflated_any {
        return_freed_memory();
    }
}

/// The edited page is out; now what it left behind (the search index), served without telling
/// open pages, whose HTML it does not change. The terminal's line comes after this, so that it
/// says the site is served as rebuilt.
fn catch_up(model: &mut Model, outcome: &Outcome, state: &AppState) {
    match catch_unwind(AssertUnwindSafe(|| model.catch_up())) {
        Ok(Some(files)) if outcome.files.is_some() => state.served.update(files),
        Ok(_) => {}
        Err(_) => {
            eprintln!("internal error while rebuilding (a bug in tandem); rebuilding everything");
            if let Ok(all) = catch_unwind(AssertUnwindSafe(|| model.rebuild_all())) {
                announce(state, &all);
                print_outcome(&all, "rebuilt");
            }
        }
    }
}

/// Hands memory freed by a build back to the system. A full build allocates and frees hundreds of
/// megabytes of small pieces on a big site (Markdown HTML, template output before it is stored),
/// which glibc's allocator otherwise keeps for the process for as long as the server runs.
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Runs a rebuild; should it panic (a bug), says so and rebuilds everything, so that the server
/// carries on with a model that is whole again.
fn guarded(model: &mut Model, rebuild: impl FnOnce(&mut Model) -> Option<Outcome>) -> Option<Outcome> {
    match catch_unwind(AssertUnwindSafe(|| rebuild(model))) {
        Ok(outcome) => outcome,
        Err(_) => {
            eprintln!("internal error while rebuilding (a bug in tandem); rebuilding everything");
            catch_unwind(AssertUnwindSafe(|| model.rebuild_all())).ok()
        }
    }
}

/// Publishes the outcome and tells open pages.
fn announce(state: &AppState, outcome: &Outcome) {
    let published = outcome.files.clone().ok_or_else(|| outcome.report.render(false).into());
    let version = state.served.publish(published);
    let event = match &outcome.work {
        Work::Statics(paths) if outcome.files.is_some() && paths.iter().all(|p| p.ends_with(".css")) => {
            LiveEvent::Css { version, paths: paths.iter().map(|p| format!("/{p}")).collect() }
        }
        Work::Document { output, .. } if outcome.files.is_some() => {
            LiveEvent::Reload { version, errors: false, pages: Some(vec![output.clone()]) }
        }
        _ => LiveEvent::Reload { version, errors: outcome.files.is_none(), pages: None },
    };
    let _ = state.events.send(event);
}

/// The outcome's problems and its line on the terminal, once everything it changed is served.
fn print_outcome(outcome: &Outcome, verb: &str) {
    if !outcome.report.diagnostics.is_empty() {
        eprint!("{}", outcome.report.render(std::io::stderr().is_terminal()));
    }
    println!("{}", outcome.line(verb));
}

/// Listens on `ip:port`; without a port, on [`DEFAULT_PORT`] or the next free one.
fn bind(ip: IpAddr, port: Option<u16>) -> Result<TcpListener, String> {
    let describe = |e: std::io::Error, port: u16| match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {port} on {ip} is already in use; stop the program that uses it, or choose another port with --port"
        ),
        std::io::ErrorKind::AddrNotAvailable => {
            format!("this machine has no address {ip}; choose one of its own with --bind, e.g. 127.0.0.1")
        }
        std::io::ErrorKind::PermissionDenied => {
            format!("not allowed to listen on port {port}; choose a port above 1023 with --port")
        }
        _ => format!("cannot listen on {}: {e}", SocketAddr::new(ip, port)),
    };
    if let Some(port) = port {
        return TcpListener::bind((ip, port)).map_err(|e| describe(e, port));
    }
    for port in DEFAULT_PORT..DEFAULT_PORT + PORT_TRIES {
        match TcpListener::bind((ip, port)) {
            Ok(listener) => {
                if port != DEFAULT_PORT {
                    eprintln!("note: port {DEFAULT_PORT} is in use, so using port {port}");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(describe(e, port)),
        }
    }
    Err(format!(
        "ports {DEFAULT_PORT} to {} on {ip} are all in use; choose a free one with --port",
        DEFAULT_PORT + PORT_TRIES - 1
    ))
}

fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let spawned = std::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("note: cannot open a browser ({program}: {e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_port_is_explained_or_skipped() {
        let taken = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        let message = bind("127.0.0.1".parse().unwrap(), Some(port)).unwrap_err();
        assert!(message.contains(&format!("port {port} on 127.0.0.1 is already in use")), "{message}");
        assert!(message.contains("--port"), "{message}");
    }
}
