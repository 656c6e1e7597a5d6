//! The real `gazette serve` as a child process: started on a free port,
//! its address read from the line it prints when ready, its terminal lines
//! collected, killed when dropped.
//!
//! Shared (through `#[path]`) by the test suite, the browser tests and the
//! serve-latency benchmark.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A running `gazette serve`.
pub struct ServeProcess {
    child: Child,
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub url: String,
    /// Terminal lines (stdout and stderr) printed after the ready line.
    pub lines: Receiver<String>,
    /// Lines printed before the server was ready.
    pub startup: Vec<String>,
}

impl ServeProcess {
    /// Runs `<bin> serve --root <root> <args>` (with `--port 0` unless
    /// `args` names a port) and waits up to `patience` for it to serve.
    /// With `echo`, every line is also printed.
    pub fn start(bin: &str, root: &Path, args: &[&str], echo: bool, patience: Duration) -> Self {
        let mut command = Command::new(bin);
        command.arg("serve").arg("--root").arg(root).args(args);
        if !args.contains(&"--port") {
            command.args(["--port", "0"]);
        }
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gazette serve");
        let (sender, lines) = channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if echo {
                        println!("gazette serve: {line}");
                    }
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let started = Instant::now();
        let mut startup = Vec::new();
        let mut process = ServeProcess {
            child,
            url: String::new(),
            lines,
            startup: Vec::new(),
        };
        loop {
            let line = process
                .lines
                .recv_timeout(patience.saturating_sub(started.elapsed()))
                .unwrap_or_else(|_| panic!("gazette serve did not start:\n{}", startup.join("\n")));
            if let Some(url) = served_url(&line) {
                process.url = url;
                process.startup = startup;
                return process;
            }
            startup.push(line);
        }
    }
}

/// The address in `Serving <root> at http://127.0.0.1:1111/ — …`.
fn served_url(line: &str) -> Option<String> {
    let rest = line.strip_prefix("Serving ")?;
    let url = rest.split(" at http://").nth(1)?;
    let host = url.split('/').next()?;
    Some(format!("http://{host}"))
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
