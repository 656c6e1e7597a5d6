//! Save-to-browser latency of `gazette serve` on a large bilingual site.
//!
//! Generates a site of 2 × N articles (`scripts/gen-bench-site.py`,
//! N = `GAZETTE_BENCH_PAGES`, default 5,000), starts the real `gazette
//! serve` on it, connects a live-reload WebSocket client, then edits one
//! article body 20 times (after 3 warm-up edits) and measures, from the
//! moment the file is written:
//!
//! (a) until an HTTP client polling the page gets the new text;
//! (b) until the WebSocket client gets the reload message for the page.
//!
//! With `hugo` installed, (a) is also measured for `hugo server` on the
//! same content. Run with `cargo bench --bench serve_latency`.

use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tungstenite::Message;
use tungstenite::stream::MaybeTlsStream;

const EDITS: usize = 20;
const WARM_UP: usize = 3;

#[path = "../tests/support/serve_process.rs"]
mod serve_process;
use serve_process::ServeProcess;

/// A child process killed (and reaped) when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    let pages: usize = std::env::var("GAZETTE_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let work = std::env::var_os("BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("gazette-serve-bench"));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = work.join("gazette");
    generate(repo, &site, pages, false);

    println!(
        "site: {} articles per language in {}",
        pages,
        site.display()
    );
    let server = ServeProcess::start(
        env!("CARGO_BIN_EXE_gazette"),
        &site,
        &[],
        true,
        Duration::from_secs(120),
    );
    let url = server.url.clone();
    let socket_url = format!("{}/__gazette/livereload", url.replace("http://", "ws://"));
    let (mut socket, _) = tungstenite::connect(socket_url).expect("connect live reload");
    if let MaybeTlsStream::Plain(stream) = socket.get_mut() {
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
    }

    let mut served = Vec::new();
    let mut notified = Vec::new();
    for edit in 0..WARM_UP + EDITS {
        let n = (edit * 97) % pages;
        let file = site.join(format!("content/news/article-{n}.md"));
        let page = format!("{url}/news/article-{n}/");
        let marker = format!("edit-{edit}-{}", std::process::id());
        let text = std::fs::read_to_string(&file).unwrap();
        let poller = poll_until(page.clone(), marker.clone());
        // Let the poller get going before the save.
        std::thread::sleep(Duration::from_millis(30));
        let saved = Instant::now();
        std::fs::write(&file, format!("{text}\n\n{marker}\n")).unwrap();
        let wanted = format!("/news/article-{n}/index.html");
        let heard = loop {
            match socket.read().expect("live-reload message") {
                Message::Text(text) if text.contains(&wanted) => break saved.elapsed(),
                _ => continue,
            }
        };
        let (_, seen) = poller.join().unwrap();
        let seen = seen.duration_since(saved);
        if edit >= WARM_UP {
            served.push(seen);
            notified.push(heard);
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    // Let the last rebuild line arrive.
    std::thread::sleep(Duration::from_millis(200));
    let rebuilds: Vec<Duration> = server
        .lines
        .try_iter()
        .filter_map(|l| rebuild_ms(&l))
        .skip(WARM_UP)
        .collect();
    drop(server);

    println!("gazette serve, {EDITS} edits of one article body:");
    report("(a) save → new HTML served", &mut served);
    report("(b) save → reload message", &mut notified);
    report("    rebuild alone (server log)", &mut rebuilds.clone());

    if Command::new("hugo").arg("version").output().is_ok() {
        let hugo_site = work.join("hugo");
        generate(repo, &hugo_site, pages, true);
        match hugo_latency(&hugo_site, pages) {
            Some(mut times) => report("hugo server: (a) save → new HTML served", &mut times),
            None => println!("hugo server: did not start; skipped"),
        }
    }
}

fn generate(repo: &Path, out: &Path, pages: usize, hugo: bool) {
    let mut command = Command::new("python3");
    command
        .arg(repo.join("scripts/gen-bench-site.py"))
        .arg(out)
        .args(["--pages", &pages.to_string()]);
    if hugo {
        command.arg("--hugo");
    }
    assert!(command.status().expect("run python3").success());
}

/// Polls `url` until its body contains `marker`; returns when it did.
fn poll_until(url: String, marker: String) -> std::thread::JoinHandle<((), Instant)> {
    std::thread::spawn(move || {
        let address = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let path = format!(
            "/{}",
            url.trim_start_matches("http://").split_once('/').unwrap().1
        );
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if get(&address, &path).is_some_and(|body| body.contains(&marker)) {
                return ((), Instant::now());
            }
            assert!(Instant::now() < deadline, "{url} never showed {marker}");
            std::thread::sleep(Duration::from_micros(500));
        }
    })
}

/// A plain HTTP/1.1 GET (one connection per request, like a reload).
fn get(address: &str, path: &str) -> Option<String> {
    use std::io::Write;
    let mut stream = TcpStream::connect(address).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut body = Vec::new();
    stream.read_to_end(&mut body).ok()?;
    Some(String::from_utf8_lossy(&body).into_owned())
}

/// The milliseconds of a rebuild line of the server's log.
fn rebuild_ms(line: &str) -> Option<Duration> {
    let ms = line.rsplit_once(" in ")?.1.strip_suffix(" ms")?;
    Some(Duration::from_millis(ms.parse().ok()?))
}

fn report(what: &str, times: &mut [Duration]) {
    if times.is_empty() {
        return;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: p50 {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms ({} runs)",
        ms(p(0.5)),
        ms(p(0.9)),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

/// Save → served latency of `hugo server` on the same content.
fn hugo_latency(site: &Path, pages: usize) -> Option<Vec<Duration>> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new("hugo")
        .args([
            "server",
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "-s",
        ])
        .arg(site)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let _server = Server(child);
    let address = format!("127.0.0.1:{port}");
    let started = Instant::now();
    while get(&address, "/").is_none() {
        if started.elapsed() > Duration::from_secs(300) {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    println!("hugo server ready after {:.1?}", started.elapsed());
    let mut times = Vec::new();
    for edit in 0..WARM_UP + EDITS {
        let n = (edit * 97) % pages;
        let file = site.join(format!("content/news/article-{n}.md"));
        let marker = format!("hugo-edit-{edit}-{}", std::process::id());
        let text = std::fs::read_to_string(&file).ok()?;
        let poller = poll_until(
            format!("http://{address}/news/article-{n}/"),
            marker.clone(),
        );
        std::thread::sleep(Duration::from_millis(30));
        let saved = Instant::now();
        std::fs::write(&file, format!("{text}\n\n{marker}\n")).ok()?;
        let (_, seen) = poller.join().ok()?;
        if edit >= WARM_UP {
            times.push(seen.duration_since(saved));
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    Some(times)
}
