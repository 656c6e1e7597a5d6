//! The repository's own sample site (config.toml, content/ and the default
//! theme at the repository root), built into a temporary folder: every
//! internal link must lead somewhere, and every Chinese page must link to
//! its English version.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;

use crate::helpers::{BIN, repo_root, tree};

const BASE_URL: &str = "https://example.org";

/// Builds the sample site into a fresh folder; returns (temp dir, output).
fn build_sample_site() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::Builder::new()
        .prefix("gazette-sample-")
        .tempdir()
        .unwrap();
    let output = temp.path().join("public");
    let result = Command::new(BIN)
        .arg("build")
        .arg("--root")
        .arg(repo_root())
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "the sample site does not build:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    (temp, output)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The URL path a file of the output is served at.
fn url_path_of(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{file}"),
    }
}

/// Resolves `.` and `..` segments of an absolute URL path.
fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let trailing = path.ends_with('/');
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if trailing && out != "/" {
        out.push('/');
    }
    out
}

/// The output file a site URL path is served from, if it exists.
fn target_file(output: &Path, url_path: &str) -> Option<PathBuf> {
    let relative = url_path.trim_start_matches('/');
    let path = output.join(relative);
    if url_path.ends_with('/') {
        let index = path.join("index.html");
        return index.is_file().then_some(index);
    }
    if path.is_file() {
        return Some(path);
    }
    let index = path.join("index.html");
    index.is_file().then_some(index)
}

/// A link found in a page, resolved to a site path: `None` for links that
/// leave the site.
fn internal_target(link: &str, page_url: &str) -> Option<(String, String)> {
    let link = html_unescape(link);
    let lower = link.to_ascii_lowercase();
    if ["mailto:", "tel:", "data:", "javascript:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return None;
    }
    let (without_fragment, fragment) = match link.split_once('#') {
        Some((l, f)) => (l.to_string(), f.to_string()),
        None => (link.clone(), String::new()),
    };
    let without_query = without_fragment
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let path = if let Some(rest) = without_query.strip_prefix(BASE_URL) {
        if rest.is_empty() {
            "/".to_string()
        } else {
            rest.to_string()
        }
    } else if without_query.starts_with("//") || without_query.contains("://") {
        return None;
    } else if without_query.is_empty() {
        page_url.to_string()
    } else if without_query.starts_with('/') {
        without_query
    } else {
        let dir = &page_url[..=page_url.rfind('/').unwrap()];
        format!("{dir}{without_query}")
    };
    Some((
        normalize_path(&percent_decode(&path)),
        percent_decode(&fragment),
    ))
}

fn ids_of(html: &str) -> Vec<String> {
    let re = Regex::new(r#"\s(?:id|name)="([^"]*)""#).unwrap();
    re.captures_iter(html)
        .map(|c| html_unescape(&c[1]))
        .collect()
}

#[test]
fn sample_site_internal_links_resolve() {
    let (_temp, output) = build_sample_site();
    let files = tree(&output);
    let link_re = Regex::new(r#"\s(?:href|src)="([^"]*)""#).unwrap();
    let mut ids_cache: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let mut broken = Vec::new();
    let mut checked = 0;
    let mut fragments_checked = 0;

    let mut check = |source: &str, link: &str, page_url: &str| {
        let Some((path, fragment)) = internal_target(link, page_url) else {
            return;
        };
        checked += 1;
        let Some(file) = target_file(&output, &path) else {
            broken.push(format!("{source}: {link} → no file for {path}"));
            return;
        };
        if !fragment.is_empty() && file.extension().is_some_and(|e| e == "html") {
            fragments_checked += 1;
            let ids = ids_cache
                .entry(file.clone())
                .or_insert_with(|| ids_of(&fs::read_to_string(&file).unwrap()));
            if !ids.contains(&fragment) {
                broken.push(format!("{source}: {link} → no id \"{fragment}\" in {path}"));
            }
        }
    };

    for (file, (bytes, _)) in &files {
        let text = String::from_utf8_lossy(bytes);
        if file.ends_with(".html") {
            let page_url = url_path_of(file);
            for captures in link_re.captures_iter(&text) {
                check(file, &captures[1], &page_url);
            }
        } else if file == "sitemap.xml" {
            for loc in text.split("<loc>").skip(1) {
                check(file, loc.split("</loc>").next().unwrap(), "/");
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken internal links:\n  {}",
        broken.len(),
        broken.join("\n  ")
    );
    // Guard against a checker that finds nothing to check.
    assert!(checked > 200, "only {checked} internal links checked");
    assert!(fragments_checked > 0, "no #fragment checked");
}

#[test]
fn sample_site_chinese_pages_link_to_their_english_version() {
    let (_temp, output) = build_sample_site();
    let files = tree(&output);
    let alternate_re = Regex::new(r#"<link rel="alternate" hreflang="en" href="([^"]*)""#).unwrap();
    let switcher_re = Regex::new(r#"<a [^>]*hreflang="en"[^>]*>"#).unwrap();
    let href_re = Regex::new(r#"href="([^"]*)""#).unwrap();
    let mut problems = BTreeMap::new();
    let mut pages = 0;
    for (file, (bytes, _)) in &files {
        if !file.ends_with(".html") || file.starts_with("en/") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        pages += 1;
        // Every page offers a way to the English site...
        let switcher: Vec<String> = switcher_re
            .find_iter(&html)
            .filter_map(|a| href_re.captures(a.as_str()).map(|c| c[1].to_string()))
            .collect();
        let reaches_english = switcher.iter().any(|href| {
            href.starts_with(&format!("{BASE_URL}/en/"))
                && internal_target(href, "/")
                    .and_then(|(path, _)| target_file(&output, &path))
                    .is_some()
        });
        if !reaches_english {
            problems.insert(file.clone(), format!("no English link in {switcher:?}"));
            continue;
        }
        // ...and every page written in content/ has a real translation.
        let is_content = !file.starts_with("tags/") && file != "404.html";
        if is_content {
            match alternate_re.captures(&html) {
                None => {
                    problems.insert(file.clone(), "no hreflang=\"en\" alternate".into());
                }
                Some(c) => {
                    let target = internal_target(&c[1], "/")
                        .and_then(|(path, _)| target_file(&output, &path));
                    if target.is_none() || !c[1].starts_with(&format!("{BASE_URL}/en/")) {
                        problems.insert(file.clone(), format!("alternate {} is broken", &c[1]));
                    }
                }
            }
        }
    }
    assert!(pages >= 10, "only {pages} Chinese pages found");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn link_checker_resolves_relative_encoded_and_fragment_links() {
    assert_eq!(
        internal_target("photo.svg", "/workers/zhao/"),
        Some(("/workers/zhao/photo.svg".into(), String::new()))
    );
    assert_eq!(
        internal_target("../a/?x=1#top", "/news/b/"),
        Some(("/news/a/".into(), "top".into()))
    );
    assert_eq!(
        internal_target(
            "https://example.org/tags/%E4%BA%A7%E6%94%B9/#%E5%9B%A2",
            "/"
        ),
        Some(("/tags/产改/".into(), "团".into()))
    );
    assert_eq!(
        internal_target("#main", "/news/"),
        Some(("/news/".into(), "main".into()))
    );
    assert_eq!(internal_target("https://other.org/x", "/"), None);
    assert_eq!(internal_target("mailto:a@b.c", "/"), None);
    assert_eq!(url_path_of("en/news/index.html"), "/en/news/");
    assert_eq!(url_path_of("404.html"), "/404.html");
}
