//! [`Served`]: the real `gazette serve` binary running on a free port
//! against a temporary site, with an HTTP client and a live-reload
//! WebSocket client attached, as a browser tab would be.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::helpers::{BIN, SiteTest, tree};

#[path = "../support/serve_process.rs"]
mod serve_process;
use serve_process::ServeProcess;

/// The tag `gazette serve` adds to every HTML page.
pub const LIVE_RELOAD_TAG: &str = "<script src=\"/__gazette/livereload.js\"></script>";

/// How long to wait for a rebuild before failing.
const PATIENCE: Duration = Duration::from_secs(20);

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// A running `gazette serve`.
pub struct Served {
    process: ServeProcess,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    socket: Socket,
}

/// An HTTP response.
pub struct Response {
    /// Status code.
    pub status: u16,
    /// `content-type`.
    pub content_type: String,
    /// `cache-control`.
    pub cache_control: String,
    /// Body.
    pub body: Vec<u8>,
}

impl Response {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Served {
    /// Starts `gazette serve --root <site> <args>`; with no `--port` in
    /// `args`, on a free port.
    #[track_caller]
    pub fn start(site: &SiteTest, args: &[&str]) -> Served {
        let process = ServeProcess::start(BIN, site.root(), args, false, PATIENCE);
        let url = process.url.clone();
        let socket = connect_socket(&url);
        Served {
            process,
            url,
            socket,
        }
    }

    /// Opens another live-reload connection, as a new tab would.
    pub fn new_socket(&self) -> Socket {
        connect_socket(&self.url)
    }

    /// GETs `path` (already percent-encoded where needed).
    pub fn get(&self, path: &str) -> Response {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let mut response = agent
            .get(&format!("{}{path}", self.url))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let (status, content_type, cache_control) = (
            response.status().as_u16(),
            header("content-type"),
            header("cache-control"),
        );
        let body = response.body_mut().read_to_vec().unwrap();
        Response {
            status,
            content_type,
            cache_control,
            body,
        }
    }

    /// Sends `raw_path` byte for byte (no client-side clean-up of `..`)
    /// and returns the status code.
    pub fn raw_status(&self, raw_path: &str) -> u16 {
        let address = self.url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address).unwrap();
        write!(
            stream,
            "GET {raw_path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line for {raw_path}: {response}"))
    }

    /// The next live-reload message.
    #[track_caller]
    pub fn next_message(&mut self) -> Value {
        next_message(&mut self.socket, PATIENCE)
            .unwrap_or_else(|| panic!("no live-reload message within {PATIENCE:?}"))
    }

    /// Every message that arrives until none has come for `quiet`.
    pub fn messages_until_quiet(&mut self, quiet: Duration) -> Vec<Value> {
        let mut messages = Vec::new();
        while let Some(message) = next_message(&mut self.socket, quiet) {
            messages.push(message);
        }
        messages
    }

    /// Terminal lines printed so far.
    pub fn terminal(&self) -> Vec<String> {
        let mut lines = self.process.startup.clone();
        while let Ok(line) = self.process.lines.recv_timeout(Duration::from_millis(50)) {
            lines.push(line);
        }
        lines
    }

    /// Asserts that every file `gazette build` makes of the site (for
    /// this server's URL) is served with exactly its bytes (HTML plus the
    /// live-reload tag).
    #[track_caller]
    pub fn assert_serves_what_build_makes(&self, site: &SiteTest) {
        let out = tempfile::tempdir().unwrap();
        let build = Command::new(BIN)
            .arg("build")
            .arg("--root")
            .arg(site.root())
            .arg("--output")
            .arg(out.path())
            .args(["--base-url", &self.url])
            .output()
            .unwrap();
        assert!(
            build.status.success(),
            "gazette build failed: {}",
            String::from_utf8_lossy(&build.stderr)
        );
        let built = tree(out.path());
        for (path, (bytes, _)) in &built {
            let url = format!("/{}", encode_path(path));
            let served = self.get(&url);
            assert_eq!(served.status, 200, "GET {url}");
            let body = if path.ends_with(".html") {
                let text = served.text();
                assert!(text.contains(LIVE_RELOAD_TAG), "no live reload in {url}");
                text.replacen(LIVE_RELOAD_TAG, "", 1).into_bytes()
            } else {
                served.body
            };
            assert!(
                body == *bytes,
                "{url} is not what gazette build makes:\n--- served\n{}\n--- built\n{}",
                String::from_utf8_lossy(&body),
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

fn connect_socket(url: &str) -> Socket {
    let ws = format!("{}/__gazette/livereload", url.replace("http://", "ws://"));
    let (socket, _) = tungstenite::connect(ws).expect("connect the live-reload socket");
    socket
}

/// The next text message on `socket`, waiting at most `wait`.
pub fn next_message(socket: &mut Socket, wait: Duration) -> Option<Value> {
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        if let MaybeTlsStream::Plain(stream) = socket.get_mut() {
            stream
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .unwrap();
        }
        match socket.read() {
            Ok(Message::Text(text)) => return Some(serde_json::from_str(&text).unwrap()),
            Ok(_) => continue,
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return None;
            }
            Err(e) => panic!("live-reload socket: {e}"),
        }
    }
}

/// `path` with everything but unreserved characters and `/` encoded.
pub fn encode_path(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Whether a live-reload message is an `update`.
pub fn is_update(message: &Value) -> bool {
    message["type"] == "update"
}
