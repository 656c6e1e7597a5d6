//! `gazette serve`: builds the site into memory, serves it over HTTP on
//! one axum server (pages, plus the live-reload script and WebSocket as
//! two more routes), watches the sources, rebuilds incrementally after
//! each save, and tells every open page what changed.
//!
//! Serving never writes the output folder: `public/` stays what the last
//! `gazette build` made. The watcher runs on its own thread and never ends
//! the process; a failed rebuild keeps the last good site and shows the
//! error in every open page.

pub mod http;
pub mod messages;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{Response, StatusCode};
use axum::routing::get;
use tokio::sync::broadcast;

use crate::render::RenderedSite;
use crate::session::Session;
use crate::{BuildOptions, Error, Result};

/// Options of `gazette serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Address to listen on (127.0.0.1 by default).
    pub interface: IpAddr,
    /// Port to listen on; 0 picks a free one.
    pub port: u16,
    /// Try the next ports when `port` is taken.
    pub find_free_port: bool,
    /// Include drafts and future-dated pages.
    pub include_drafts: bool,
    /// Open the site in the default browser once it is served.
    pub open_browser: bool,
    /// The `base_url` pages are built with, when not the server's own
    /// address (for other devices: `http://192.168.1.20:1111`).
    pub base_url: Option<String>,
}

/// What the HTTP handlers and the watcher share.
pub struct Shared {
    /// The last good build.
    site: RwLock<Arc<RenderedSite>>,
    /// The current build error, as the message sent to pages.
    error: RwLock<Option<String>>,
    /// Messages for every open page.
    events: broadcast::Sender<String>,
    /// The site folder, resolved: copied files must live inside it.
    site_root: PathBuf,
}

impl Shared {
    fn site(&self) -> Arc<RenderedSite> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn publish(&self, site: Option<Arc<RenderedSite>>, message: messages::Message) {
        if let Some(site) = site {
            *self.site.write().unwrap_or_else(|e| e.into_inner()) = site;
        }
        let json = message.to_json();
        let error = matches!(message, messages::Message::Error { .. }).then(|| json.clone());
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = error;
        // No open page is not an error.
        let _ = self.events.send(json);
    }
}

/// Binds `interface:port` (or, when allowed, the next free port up to
/// ten above it).
async fn bind(options: &ServeOptions) -> Result<tokio::net::TcpListener> {
    let tries = if options.find_free_port && options.port != 0 {
        10
    } else {
        0
    };
    let mut last_error = None;
    for offset in 0..=tries {
        let Some(port) = options.port.checked_add(offset) else {
            break;
        };
        match tokio::net::TcpListener::bind(SocketAddr::new(options.interface, port)).await {
            Ok(listener) => {
                if offset > 0 {
                    eprintln!(
                        "note: port {} is in use; serving on port {port} instead",
                        options.port
                    );
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last_error = Some(e),
            Err(e) => {
                return Err(Error::Serve(format!(
                    "cannot listen on {}:{port}: {e}",
                    options.interface
                )));
            }
        }
    }
    let e = last_error.map_or_else(String::new, |e| e.to_string());
    Err(Error::Serve(format!(
        "port {} is in use{} ({e}); stop the other server or pick a free port with --port",
        options.port,
        if tries > 0 {
            format!(", and so are the next {tries}")
        } else {
            String::new()
        }
    )))
}

/// Builds, serves and watches until Ctrl+C. `on_ready` gets the address
/// once the site is served (tests use it with port 0).
pub fn serve(options: ServeOptions, on_ready: impl FnOnce(SocketAddr) + Send) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Serve(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(run(options, on_ready))
}

async fn run(options: ServeOptions, on_ready: impl FnOnce(SocketAddr) + Send) -> Result<()> {
    let listener = bind(&options).await?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Serve(format!("cannot read the listening address: {e}")))?;
    let host = match address.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}", address.port());

    let mut build = BuildOptions::new(&options.root);
    build.base_url = Some(options.base_url.clone().unwrap_or_else(|| url.clone()));
    build.include_drafts = options.include_drafts;
    let mut session = Session::new(build);
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        site: RwLock::new(Arc::new(RenderedSite {
            files: Vec::new(),
            warnings: Vec::new(),
        })),
        error: RwLock::new(None),
        events,
        site_root: options
            .root
            .canonicalize()
            .map_err(|e| Error::io(&options.root, e))?,
    });
    match session.build_all() {
        Ok(first) => {
            for warning in &first.site.warnings {
                eprintln!("warning: {warning}");
            }
            println!(
                "Built {} files in {} ms (nothing written to disk: the site is served from memory)",
                first.site.files.len(),
                first.elapsed.as_millis()
            );
            shared.publish(Some(first.site), messages::Message::Ok);
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("The site will be served as soon as a save fixes this.");
            shared.publish(None, messages::Message::from_error(&e));
        }
    }
    watch::spawn(session, shared.clone())?;

    let app = Router::new()
        .route("/__gazette/livereload.js", get(live_reload_script))
        .route("/__gazette/livereload", get(live_reload_socket))
        .fallback(serve_request)
        .with_state(shared);
    println!(
        "Serving {} at {url}/ — watching content/, static/, templates/, themes/, i18n/ and config.toml. Press Ctrl+C to stop.",
        options.root.display()
    );
    if options.open_browser
        && let Err(e) = open::that_detached(format!("{url}/"))
    {
        eprintln!("warning: could not open a browser: {e}");
    }
    on_ready(address);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Error::Serve(format!("the server stopped: {e}")))
}

async fn serve_request(State(shared): State<Arc<Shared>>, request: Request) -> Response<Body> {
    let site = shared.site();
    if site.files.is_empty() {
        // No good build yet: a page that shows the error and reloads once
        // the site builds.
        let page = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Gazette</title></head>\
             <body><p>Waiting for the site to build…</p>{}</body></html>",
            http::LIVE_RELOAD_TAG
        );
        let mut response = Response::new(Body::from(page));
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        http::set_headers(&mut response, "text/html; charset=utf-8");
        return response;
    }
    http::respond(&site, &shared.site_root, request.method(), request.uri()).await
}

async fn live_reload_script() -> Response<Body> {
    let mut response = Response::new(Body::from(include_str!("livereload.js")));
    http::set_headers(&mut response, "text/javascript; charset=utf-8");
    response
}

async fn live_reload_socket(
    State(shared): State<Arc<Shared>>,
    upgrade: WebSocketUpgrade,
) -> Response<Body> {
    upgrade.on_upgrade(move |socket| forward_events(socket, shared))
}

/// Sends the current error (if any) and then every message to one page.
async fn forward_events(mut socket: WebSocket, shared: Arc<Shared>) {
    let mut events = shared.events.subscribe();
    let pending = shared
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Some(error) = pending
        && socket.send(Message::Text(error.into())).await.is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(text) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                // A page too slow to keep up just reloads.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let reload = messages::Message::reload_everything().to_json();
                    if socket.send(Message::Text(reload.into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => {}
                _ => return,
            },
        }
    }
}
