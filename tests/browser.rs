//! Browser and web-standards checks on the repository's sample site.
//!
//! Builds the sample site with the real `gazette` binary, then
//! - runs `tests/browser/check-site.mjs` (Chromium via playwright-core: language switcher,
//!   axe-core WCAG 2.1 A/AA on every page, reflow, requests, links, screenshots), and
//! - runs the W3C Nu HTML Checker (`vnu.jar`) over the output, which must report no errors.
//!
//! Needs Node.js with `npm ci` run in the repository, Chromium at /usr/bin/chromium (or
//! `CHROMIUM_PATH`) and Java. When something is missing the tests are skipped with a loud
//! message, unless the `CI` environment variable is set, in which case they fail.

use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

const REPO: &str = env!("CARGO_MANIFEST_DIR");
const GAZETTE: &str = env!("CARGO_BIN_EXE_gazette");

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|out| out.status.success())
}

/// What is missing to run the checks that need `needs_browser` / `needs_java`, as
/// human instructions; empty when everything is there.
fn missing_tools(needs_browser: bool, needs_java: bool) -> Vec<String> {
    let repo = Path::new(REPO);
    let mut missing = Vec::new();
    if !runs("node", "--version") {
        missing.push("Node.js (`apt-get install nodejs npm`)".to_owned());
    }
    let mut modules = vec!["node_modules/vnu-jar/build/dist/vnu.jar"];
    if needs_browser {
        modules.extend([
            "node_modules/playwright-core/package.json",
            "node_modules/axe-core/axe.min.js",
        ]);
    }
    if modules.iter().any(|m| !repo.join(m).is_file()) {
        missing.push("node_modules (run `npm ci` in the repository)".to_owned());
    }
    if needs_browser && !chromium_path().is_file() {
        missing.push(format!(
            "Chromium at {} (`apt-get install chromium`)",
            chromium_path().display()
        ));
    }
    if needs_java && !runs("java", "-version") {
        missing.push("Java 11+ (`apt-get install default-jre-headless`)".to_owned());
    }
    missing
}

/// Returns false (after saying so loudly) when the test must be skipped; panics in CI.
fn tools_present(test: &str, needs_browser: bool, needs_java: bool) -> bool {
    let missing = missing_tools(needs_browser, needs_java);
    if missing.is_empty() {
        return true;
    }
    let list = missing.join("; ");
    if in_ci() {
        panic!("{test}: CI is set but these are missing: {list}. Install them (see .ci/run).");
    }
    // Straight to stderr: the test harness captures `eprintln!`, and this must be seen.
    let bar = "!".repeat(80);
    let _ = writeln!(
        std::io::stderr(),
        "\n{bar}\n!! {test} skipped: run `npm ci` and install chromium (and a JRE).\n\
         !! Missing: {list}\n{bar}\n"
    );
    false
}

fn output_text(out: &Output) -> String {
    format!(
        "--- stdout ---\n{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Builds the site in `root` into `out` with the given base URL.
fn build_site(root: &Path, out: &Path, base_url: &str) {
    let result = Command::new(GAZETTE)
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(["--base-url", base_url])
        .output()
        .expect("run gazette");
    assert!(
        result.status.success(),
        "gazette build failed ({}):\n{}",
        result.status,
        output_text(&result)
    );
    assert!(
        out.join("index.html").is_file(),
        "no index.html in {}",
        out.display()
    );
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

/// Builds the site in `root` for a free port on 127.0.0.1 and runs check-site.mjs on it;
/// panics with the script's output unless it passes.
fn check_site(root: &Path, screenshots: Option<&Path>) {
    let started = Instant::now();
    // The port is chosen here and released before node binds it again, so another
    // process could grab it in between: retry on EADDRINUSE.
    for attempt in 1.. {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        let port = free_port();
        let base_url = format!("http://127.0.0.1:{port}/");
        build_site(root, &out, &base_url);
        let mut node = Command::new("node");
        node.current_dir(REPO)
            .arg("tests/browser/check-site.mjs")
            .arg("--dir")
            .arg(&out)
            .args(["--port", &port.to_string(), "--base-url", &base_url])
            .env("CHROMIUM_PATH", chromium_path());
        if let Some(dir) = screenshots {
            node.arg("--screenshots").arg(dir);
        }
        let result = node.output().expect("run node");
        let text = output_text(&result);
        if !result.status.success() && text.contains("EADDRINUSE") && attempt < 3 {
            continue;
        }
        assert!(
            result.status.success(),
            "tests/browser/check-site.mjs failed ({}) on {} after {:.1?}:\n{text}",
            result.status,
            root.display(),
            started.elapsed()
        );
        println!("{text}\nbrowser checks took {:.1?}", started.elapsed());
        break;
    }
}

/// Runs the Nu HTML Checker on every HTML file in `out`; panics with its report on errors.
fn check_html(out: &Path) {
    let started = Instant::now();
    let result = Command::new("java")
        .arg("-jar")
        .arg(Path::new(REPO).join("node_modules/vnu-jar/build/dist/vnu.jar"))
        .args(["--errors-only", "--skip-non-html"])
        .arg(out)
        .output()
        .expect("run java");
    assert!(
        result.status.success(),
        "the Nu HTML Checker found errors ({}) in {}:\n{}",
        result.status,
        out.display(),
        output_text(&result)
    );
    println!(
        "vnu: no errors in {} ({:.1?})",
        out.display(),
        started.elapsed()
    );
}

/// The repository's sample site, with the checks it does not exercise on its own turned
/// on: news paginated one article a page (pager links, `page/1/` redirects) and aliases
/// on a news article (redirect pages, one at a CJK path).
fn paginated_variant(dir: &Path) {
    let repo = Path::new(REPO);
    for entry in ["config.toml", "content", "themes"] {
        copy_tree(&repo.join(entry), &dir.join(entry));
    }
    let news = dir.join("content/news");
    let paginate = regex::Regex::new(r"(?m)^paginate_by\s*=\s*\d+").unwrap();
    for index in ["_index.md", "_index.en.md"] {
        let file = news.join(index);
        let text = fs::read_to_string(&file).expect("read news index");
        let (front, rest) = split_toml_front_matter(&text, &file);
        let front = if paginate.is_match(front) {
            paginate.replace(front, "paginate_by = 1").into_owned()
        } else {
            format!("paginate_by = 1\n{front}")
        };
        fs::write(&file, format!("+++\n{front}+++{rest}")).unwrap();
    }
    let mut articles: Vec<PathBuf> = fs::read_dir(&news)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".md") && !name.starts_with('_') && !name.ends_with(".en.md")
        })
        .collect();
    articles.sort();
    let article = articles.first().expect("a zh news article in content/news");
    let text = fs::read_to_string(article).unwrap();
    let (front, rest) = split_toml_front_matter(&text, article);
    assert!(
        !front.contains("aliases"),
        "{} already has aliases",
        article.display()
    );
    fs::write(
        article,
        format!("+++\naliases = [\"/old/news.html\", \"/2023/旧新闻/\"]\n{front}+++{rest}"),
    )
    .unwrap();
}

/// Splits `+++\nFRONT+++REST` into (FRONT, REST).
fn split_toml_front_matter<'a>(text: &'a str, file: &Path) -> (&'a str, &'a str) {
    let body = text
        .strip_prefix("+++\n")
        .unwrap_or_else(|| panic!("{}: expected TOML front matter", file.display()));
    let end = body
        .find("\n+++")
        .unwrap_or_else(|| panic!("{}: unclosed front matter", file.display()));
    (&body[..=end], &body[end + 4..])
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = if rel.as_os_str().is_empty() {
            to.to_path_buf()
        } else {
            to.join(rel)
        };
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn browser_checks() {
    if !tools_present("browser_checks", true, false) {
        return;
    }
    let screenshots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    check_site(Path::new(REPO), Some(&screenshots));
}

#[test]
fn nu_html_checker() {
    if !tools_present("nu_html_checker", false, true) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    build_site(Path::new(REPO), &out, "https://example.org/");
    check_html(&out);
}

#[test]
fn paginated_variant_passes_browser_and_nu_checks() {
    if !tools_present("paginated_variant_passes_browser_and_nu_checks", true, true) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    paginated_variant(&site);
    let out = tmp.path().join("public");
    build_site(&site, &out, "https://example.org/");
    for redirect in [
        "news/page/1/index.html",
        "old/news.html",
        "2023/旧新闻/index.html",
    ] {
        assert!(
            out.join(redirect).is_file(),
            "the variant should have produced {redirect}"
        );
    }
    check_html(&out);
    check_site(&site, None);
}

#[cfg(feature = "serve")]
#[path = "support/serve_process.rs"]
mod serve_process;

#[cfg(feature = "serve")]
#[test]
fn live_reload_in_chromium() {
    if !tools_present("live_reload_in_chromium", true, false) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    for entry in ["config.toml", "content", "themes"] {
        copy_tree(&Path::new(REPO).join(entry), &site.join(entry));
    }
    let server = serve_process::ServeProcess::start(
        GAZETTE,
        &site,
        &[],
        true,
        std::time::Duration::from_secs(60),
    );
    let url = server.url.clone();
    let result = Command::new("node")
        .current_dir(REPO)
        .arg("tests/browser/live-reload.mjs")
        .args(["--url", &url])
        .arg("--site")
        .arg(&site)
        .env("CHROMIUM_PATH", chromium_path())
        .output()
        .expect("run node");
    drop(server);
    let text = output_text(&result);
    assert!(
        result.status.success(),
        "tests/browser/live-reload.mjs failed ({}):\n{text}",
        result.status
    );
    println!("{text}");
}
