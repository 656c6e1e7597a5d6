//! Watches the site's sources with notify and rebuilds after each batch of
//! changes, on a thread of its own.
//!
//! The debouncer is [`next_batch`]: it blocks on notify's events, and a
//! batch ends once [`SETTLE`] passes with no new event, so every file
//! saved together (a "save all", a `git checkout`) is in one rebuild. When
//! a batch names a file that no longer exists, it waits a little longer
//! ([`REMOVAL_GRACE`]) in case an editor is halfway through replacing it,
//! so a save never shows a page as deleted. Reads (`open`, `close` without
//! writing) are ignored.
//!
//! Why not notify-debouncer-full or -mini: both wake up every tick to look
//! for expired events (at the 1.25 ms tick a 20 ms save-to-browser target
//! needs, an idle `gazette serve` used 2.4% of a core), and both time each
//! file separately, so two files saved 3 ms apart could still arrive in two
//! batches. Blocking on the channel costs nothing while idle, and one
//! quiet window for all files is what "one rebuild per save" needs.
//!
//! Nothing here ends the process: watcher errors are printed, a failed
//! rebuild is shown in the pages, and a panic inside a rebuild is caught
//! and answered with a full rebuild at the next save.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::Shared;
use super::messages::Message;
use crate::content::load::is_editor_artifact;
use crate::session::{Rebuild, Session};
use crate::{Error, Result};

/// A batch ends when no event came for this long.
pub const SETTLE: Duration = Duration::from_millis(5);
/// How long a batch that removes files waits for them to come back.
pub const REMOVAL_GRACE: Duration = Duration::from_millis(60);

/// The folders (and file) under the site root that are watched.
const WATCHED: &[&str] = &["content", "static", "templates", "themes", "i18n"];

/// Starts watching the site of `session` and rebuilding into `shared`.
pub fn spawn(session: Session, shared: Arc<Shared>) -> Result<()> {
    let root = session.options().root.clone();
    let (sender, events) = channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(sender)
        .map_err(|e| Error::Serve(format!("cannot watch {}: {e}", root.display())))?;
    // The root itself (not recursively: `public/` may hold thousands of
    // folders) for config.toml and for input folders created later.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Serve(format!("cannot watch {}: {e}", root.display())))?;
    for name in WATCHED {
        let dir = root.join(name);
        if dir.is_dir()
            && let Err(e) = watcher.watch(&dir, RecursiveMode::Recursive)
        {
            eprintln!("warning: cannot watch {}: {e}", dir.display());
        }
    }
    std::thread::Builder::new()
        .name("gazette-watch".into())
        .spawn(move || {
            let mut watching: BTreeSet<PathBuf> = WATCHED
                .iter()
                .map(|n| root.join(n))
                .filter(|d| d.is_dir())
                .collect();
            let mut session = session;
            while let Some(paths) = next_batch(&events) {
                // Input folders created after start get watched too.
                for name in WATCHED {
                    let dir = root.join(name);
                    if dir.is_dir() && !watching.contains(&dir) {
                        match watcher.watch(&dir, RecursiveMode::Recursive) {
                            Ok(()) => {
                                watching.insert(dir);
                            }
                            Err(e) => eprintln!("warning: cannot watch {}: {e}", dir.display()),
                        }
                    }
                }
                rebuild(&mut session, &shared, &root, &paths);
            }
        })
        .map_err(|e| Error::Serve(format!("cannot start the watcher: {e}")))?;
    Ok(())
}

/// Waits for the next batch of changed paths; `None` once the watcher is
/// gone.
fn next_batch(events: &Receiver<notify::Result<Event>>) -> Option<BTreeSet<PathBuf>> {
    let mut paths = BTreeSet::new();
    while paths.is_empty() {
        add_paths(&mut paths, events.recv().ok()?);
    }
    let mut settle = SETTLE;
    loop {
        match events.recv_timeout(settle) {
            Ok(result) => add_paths(&mut paths, result),
            Err(RecvTimeoutError::Timeout) => {
                let removed = paths.iter().any(|p| !p.exists() && !is_temporary(p));
                if removed && settle < REMOVAL_GRACE {
                    settle = REMOVAL_GRACE;
                    continue;
                }
                return Some(paths);
            }
            Err(RecvTimeoutError::Disconnected) => return Some(paths),
        }
    }
}

fn add_paths(paths: &mut BTreeSet<PathBuf>, result: notify::Result<Event>) {
    match result {
        Ok(event) => {
            let is_read = matches!(
                event.kind,
                EventKind::Access(
                    AccessKind::Open(_) | AccessKind::Read | AccessKind::Close(AccessMode::Read)
                )
            );
            if !is_read {
                paths.extend(event.paths);
            }
        }
        Err(e) => eprintln!("warning: file watcher: {e}"),
    }
}

/// Rebuilds after `paths` changed, publishes the result, prints one line.
fn rebuild(session: &mut Session, shared: &Shared, root: &Path, paths: &BTreeSet<PathBuf>) {
    let list: Vec<PathBuf> = paths.iter().cloned().collect();
    let started = Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| session.rebuild(&list)));
    let what = describe(root, paths);
    match result {
        Ok(Ok(None)) => {}
        Ok(Ok(Some(rebuild))) => {
            println!("{} {what} → {}", clock(), summary(&rebuild));
            shared.publish(
                Some(rebuild.site.clone()),
                Message::update(&rebuild.changed_outputs),
            );
        }
        Ok(Err(error)) => {
            eprintln!(
                "{} {what} → error after {} ms (still serving the last good build):\n{error}",
                clock(),
                started.elapsed().as_millis()
            );
            shared.publish(None, Message::from_error(&error));
        }
        Err(_) => {
            eprintln!(
                "{} {what} → internal error (a bug in Gazette); the next save rebuilds everything",
                clock()
            );
            *session = Session::new(session.options().clone());
            let error = Error::Serve("Gazette hit an internal error; save again to rebuild".into());
            shared.publish(None, Message::from_error(&error));
        }
    }
}

/// `content/news/a.md` or `content/news/a.md and 3 more`.
fn describe(root: &Path, paths: &BTreeSet<PathBuf>) -> String {
    let canonical = root.canonicalize().ok();
    let shown: Vec<String> = paths
        .iter()
        .filter(|p| !is_temporary(p))
        .map(|p| {
            p.strip_prefix(root)
                .ok()
                .or_else(|| p.strip_prefix(canonical.as_ref()?).ok())
                .unwrap_or(p)
                .display()
                .to_string()
        })
        .collect();
    match shown.len() {
        0 => "nothing".into(),
        1 => shown[0].clone(),
        n => format!("{} and {} more", shown[0], n - 1),
    }
}

/// An editor's temporary or backup file.
fn is_temporary(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| is_editor_artifact(&n.to_string_lossy()))
}

/// `2 changed: /news/a/, /atom.xml (7 rendered, 12013 reused) in 5 ms`.
fn summary(rebuild: &Rebuild) -> String {
    const SHOWN: usize = 3;
    let changed = &rebuild.changed_outputs;
    let mut names: Vec<String> = changed
        .iter()
        .take(SHOWN)
        .map(|p| format!("/{}", p.strip_suffix("index.html").unwrap_or(p)))
        .collect();
    if changed.len() > SHOWN {
        names.push(format!("… {} more", changed.len() - SHOWN));
    }
    let what = if changed.is_empty() {
        "no output changed".to_string()
    } else {
        format!("{} changed: {}", changed.len(), names.join(", "))
    };
    format!(
        "{what} ({} rendered, {} reused) in {} ms",
        rebuild.stats.rendered,
        rebuild.stats.reused,
        rebuild.elapsed.as_millis()
    )
}

fn clock() -> String {
    chrono::Local::now().format("[%H:%M:%S]").to_string()
}
