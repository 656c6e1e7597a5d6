//! Shared test helpers.
//!
//! [`SiteTest`] copies a fixture site from `tests/fixtures/<name>/` into a
//! fresh temporary folder, runs the real `gazette` binary (or the library's
//! [`gazette::build`]) on it, and reads the output back. Every path of the
//! temporary folder in the binary's output is replaced by `[ROOT]`, so
//! assertions and snapshots never see a random temp path.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use regex::Regex;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_gazette");

/// The repository root (holds the sample site's `config.toml`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/`.
pub fn fixtures_dir() -> PathBuf {
    repo_root().join("tests").join("fixtures")
}

/// A fixture site copied into a temporary folder.
pub struct SiteTest {
    // Dropped (deleted) with the test.
    _temp: tempfile::TempDir,
    root: PathBuf,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output, temp paths replaced by `[ROOT]`.
    pub stdout: String,
    /// Standard error, temp paths replaced by `[ROOT]`.
    pub stderr: String,
}

impl Run {
    /// Asserts exit code 0 and returns `self`.
    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(0),
            "expected a successful build\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts the error exit code (2), one `error: ` report on stderr, and
    /// returns the report without its `error: ` prefix.
    #[track_caller]
    pub fn assert_error(&self) -> &str {
        assert_eq!(
            self.code,
            Some(2),
            "expected exit code 2\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        let message = self
            .stderr
            .strip_prefix("error: ")
            .unwrap_or_else(|| panic!("stderr does not start with `error: `:\n{}", self.stderr));
        // Each error is reported once: one `error:` line, or one per error
        // when the last line says how many there were.
        let expected = self
            .stderr
            .lines()
            .last()
            .and_then(|l| l.strip_suffix(" errors; nothing was written"))
            .map_or(1, |n| n.parse().expect("error count"));
        assert_eq!(
            self.stderr
                .lines()
                .filter(|l| l.starts_with("error: "))
                .count(),
            expected,
            "expected {expected} error report(s):\n{}",
            self.stderr
        );
        message
    }

    /// The `warning: ` lines of stderr, without the prefix.
    pub fn warnings(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter_map(|l| l.strip_prefix("warning: "))
            .collect()
    }
}

/// Every file under a folder: relative path → (bytes, modification time).
pub type Tree = BTreeMap<String, (Vec<u8>, SystemTime)>;

impl SiteTest {
    /// Copies `tests/fixtures/<name>/` (e.g. `"bilingual"` or
    /// `"invalid/bad_date"`) into a new temporary folder.
    #[track_caller]
    pub fn new(name: &str) -> SiteTest {
        let source = fixtures_dir().join(name);
        assert!(source.is_dir(), "no fixture at {}", source.display());
        let temp = tempfile::Builder::new()
            .prefix("gazette-test-")
            .tempdir()
            .expect("create temp dir");
        let root = temp.path().join("site");
        copy_dir(&source, &root);
        SiteTest { _temp: temp, root }
    }

    /// The repository's sample site (config.toml, content/, themes/)
    /// copied into a new temporary folder.
    pub fn sample() -> SiteTest {
        let temp = tempfile::Builder::new()
            .prefix("gazette-test-")
            .tempdir()
            .expect("create temp dir");
        let root = temp.path().join("site");
        fs::create_dir_all(&root).unwrap();
        fs::copy(repo_root().join("config.toml"), root.join("config.toml")).unwrap();
        for dir in ["content", "themes"] {
            copy_dir(&repo_root().join(dir), &root.join(dir));
        }
        SiteTest { _temp: temp, root }
    }

    /// Renames a file or folder of the site.
    pub fn rename(&self, from: &str, to: &str) {
        fs::rename(self.path(from), self.path(to)).unwrap();
    }

    /// The site folder (the `--root`).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The default output folder, `<root>/public`.
    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// A path inside the site folder.
    pub fn path(&self, relative: &str) -> PathBuf {
        join_slash(&self.root, relative)
    }

    /// Runs `gazette build --root <root> <args>` from the temporary folder.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut command = Command::new(BIN);
        command
            .arg("build")
            .arg("--root")
            .arg(&self.root)
            .args(args);
        self.run(command)
    }

    /// Runs `gazette build <args>` with the site folder as working
    /// directory and no `--root`, as a user in the site's folder would.
    pub fn build_in_site_folder(&self, args: &[&str]) -> Run {
        let mut command = Command::new(BIN);
        command.arg("build").args(args).current_dir(&self.root);
        self.run(command)
    }

    /// Runs `command` (by default in the temporary folder that holds the
    /// site folder) and normalises its output.
    pub fn run(&self, mut command: Command) -> Run {
        if command.get_current_dir().is_none() {
            command.current_dir(self.tmp());
        }
        let output = command
            .env_remove("RUST_BACKTRACE")
            .output()
            .expect("run the gazette binary");
        Run {
            code: output.status.code(),
            stdout: self.normalize(&String::from_utf8_lossy(&output.stdout)),
            stderr: self.normalize(&String::from_utf8_lossy(&output.stderr)),
        }
    }

    /// Builds with the library instead of the binary.
    pub fn build_lib(&self, include_drafts: bool) -> gazette::Result<gazette::BuildReport> {
        let mut options = gazette::BuildOptions::new(&self.root);
        options.include_drafts = include_drafts;
        gazette::build(&options)
    }

    /// `text` with the site folder (and its temporary parent) written as
    /// `[ROOT]` (and `[TMP]`).
    pub fn normalize(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (path, name) in [(self.root.clone(), "[ROOT]"), (self.tmp(), "[TMP]")] {
            let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
            for p in [canonical, path] {
                text = text.replace(&p.display().to_string(), name);
            }
        }
        text
    }

    fn tmp(&self) -> PathBuf {
        self.root.parent().unwrap().to_path_buf()
    }

    /// The text of an output file, e.g. `read("en/news/a/index.html")`.
    #[track_caller]
    pub fn read(&self, output_path: &str) -> String {
        let path = join_slash(&self.public(), output_path);
        fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read output {output_path}: {e}\n{}", self.listing()))
    }

    /// Asserts that the output holds `output_path`.
    #[track_caller]
    pub fn assert_exists(&self, output_path: &str) {
        assert!(
            join_slash(&self.public(), output_path).is_file(),
            "expected {output_path} in the output\n{}",
            self.listing()
        );
    }

    /// Asserts that the output does not hold `output_path` (file or folder).
    #[track_caller]
    pub fn assert_missing(&self, output_path: &str) {
        assert!(
            !join_slash(&self.public(), output_path).exists(),
            "expected no {output_path} in the output\n{}",
            self.listing()
        );
    }

    /// Every file of the output, one per line.
    pub fn listing(&self) -> String {
        let files: Vec<String> = tree(&self.public()).into_keys().collect();
        format!("output files:\n  {}", files.join("\n  "))
    }

    /// Writes a file of the site (source, not output).
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Reads a file of the site (source, not output).
    #[track_caller]
    pub fn read_source(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).unwrap()
    }

    /// Replaces `from` by `to` in a file of the site; `from` must occur.
    #[track_caller]
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read_source(relative);
        assert!(text.contains(from), "`{from}` not found in {relative}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// Deletes a file of the site.
    pub fn remove(&self, relative: &str) {
        fs::remove_file(self.path(relative)).unwrap();
    }

    /// Every file under the site folder (sources and output).
    pub fn root_tree(&self) -> Tree {
        tree(&self.root)
    }
}

/// Every file under `dir` with its bytes and modification time (empty when
/// `dir` does not exist).
pub fn tree(dir: &Path) -> Tree {
    let mut files = Tree::new();
    if !dir.exists() {
        return files;
    }
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = fs::read(entry.path()).unwrap();
            let modified = entry.metadata().unwrap().modified().unwrap();
            files.insert(relative, (bytes, modified));
        }
    }
    files
}

/// Names of the entries of a folder, sorted.
pub fn dir_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn join_slash(base: &Path, relative: &str) -> PathBuf {
    relative
        .split('/')
        .filter(|p| !p.is_empty())
        .fold(base.to_path_buf(), |path, part| path.join(part))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The inner HTML of the first element with `id="<id>"` (up to the first
/// closing tag of the same name), trimmed.
#[track_caller]
pub fn by_id(html: &str, id: &str) -> String {
    let open = Regex::new(&format!(r#"<(\w+)[^>]*\bid="{}"[^>]*>"#, regex::escape(id))).unwrap();
    let captures = open
        .captures(html)
        .unwrap_or_else(|| panic!("no element with id=\"{id}\" in:\n{html}"));
    let start = captures.get(0).unwrap().end();
    let close = format!("</{}>", &captures[1]);
    let end = html[start..]
        .find(&close)
        .unwrap_or_else(|| panic!("element with id=\"{id}\" is not closed in:\n{html}"));
    html[start..start + end].trim().to_string()
}

/// Values of `attribute` on every tag that also carries `marker`, e.g. the
/// `href` of every `<a class="x" ...>`.
pub fn attributes(html: &str, tag_marker: &str, attribute: &str) -> Vec<String> {
    let tag = Regex::new(r"<[a-zA-Z][^>]*>").unwrap();
    let attr = Regex::new(&format!(r#"\b{}="([^"]*)""#, regex::escape(attribute))).unwrap();
    tag.find_iter(html)
        .filter(|t| t.as_str().contains(tag_marker))
        .filter_map(|t| attr.captures(t.as_str()).map(|c| c[1].to_string()))
        .collect()
}
