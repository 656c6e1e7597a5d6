//! `gazette serve` end to end: the real binary on a free port, a temp copy
//! of the sample site, an HTTP client and a live-reload socket. After each
//! change the served site must equal what `gazette build` makes.

use std::time::Duration;

use crate::helpers::SiteTest;
use crate::served::{LIVE_RELOAD_TAG, Served, is_update};

const ARTICLE: &str = "content/news/2023-12-07-fuling-conference.md";
const ARTICLE_URL: &str = "/news/fuling-conference/index.html";

/// Long enough for any rebuild of the sample site to have been announced.
const QUIET: Duration = Duration::from_millis(600);

#[test]
fn edits_additions_deletions_and_renames_are_served_as_built() {
    let site = SiteTest::sample();
    let mut served = Served::start(&site, &[]);
    served.assert_serves_what_build_makes(&site);

    site.edit(ARTICLE, "会议回顾了", "会议首先回顾了");
    let message = served.next_message();
    assert!(is_update(&message), "{message}");
    let pages = message["pages"].as_array().unwrap();
    assert!(pages.iter().any(|p| p == ARTICLE_URL), "{message}");
    assert!(
        !pages
            .iter()
            .any(|p| p.as_str().unwrap().starts_with("/en/")),
        "a Chinese body edit changes no English page: {message}"
    );
    assert!(
        served
            .get("/news/fuling-conference/")
            .text()
            .contains("会议首先回顾了")
    );
    served.assert_serves_what_build_makes(&site);

    let new = "content/news/2023-12-09-new.md";
    site.write(
        new,
        "+++\ntitle = \"新文章\"\ndate = 2023-12-09\n+++\n\n新的正文。\n",
    );
    assert!(is_update(&served.next_message()));
    assert!(served.get("/news/").text().contains("新文章"));
    served.assert_serves_what_build_makes(&site);

    site.rename(new, "content/news/2023-12-09-moved.md");
    let updates = served.messages_until_quiet(QUIET);
    assert!(
        !updates.is_empty() && updates.iter().all(is_update),
        "{updates:?}"
    );
    assert_eq!(served.get("/news/new/").status, 404);
    assert_eq!(served.get("/news/moved/").status, 200);
    served.assert_serves_what_build_makes(&site);

    site.remove("content/news/2023-12-09-moved.md");
    assert!(is_update(&served.next_message()));
    let gone = served.get("/news/moved/");
    assert_eq!(gone.status, 404);
    assert!(
        gone.text().contains("<html lang=\"zh\""),
        "the Chinese 404 page"
    );
    assert!(!served.get("/news/").text().contains("新文章"));
    served.assert_serves_what_build_makes(&site);

    let lines = served.terminal();
    assert!(
        lines.iter().any(
            |l| l.contains("content/news/2023-12-07-fuling-conference.md →") && l.contains(" ms")
        ),
        "one terminal line per rebuild naming the file and the time:\n{}",
        lines.join("\n")
    );
}

#[test]
fn a_broken_save_shows_the_error_keeps_the_last_good_site_and_the_fix_clears_it() {
    let site = SiteTest::sample();
    let mut served = Served::start(&site, &[]);
    let before = served.get(ARTICLE_URL).text();

    site.edit(ARTICLE, "date = 2023-12-07", "date = \"yesterday\"");
    let error = served.next_message();
    assert_eq!(error["type"], "error", "{error}");
    let location = error["location"].as_str().unwrap();
    assert!(
        location.ends_with("content/news/2023-12-07-fuling-conference.md:4:1"),
        "{location}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("date"),
        "{error}"
    );
    assert_eq!(
        served.get(ARTICLE_URL).text(),
        before,
        "last good site kept"
    );
    // A tab opened while the site is broken hears about it at once.
    let mut late = served.new_socket();
    let replay = crate::served::next_message(&mut late, Duration::from_secs(5)).unwrap();
    assert_eq!(replay, error);

    site.edit(ARTICLE, "date = \"yesterday\"", "date = 2023-12-07");
    assert!(is_update(&served.next_message()));
    served.assert_serves_what_build_makes(&site);

    let template = "themes/default/templates/page.html";
    let text = site.read_source(template);
    site.write(template, &format!("{text}{{% if %}}\n"));
    let error = served.next_message();
    assert_eq!(error["type"], "error", "{error}");
    assert!(
        error["location"]
            .as_str()
            .unwrap()
            .contains("templates/page.html:"),
        "{error}"
    );
    site.write(template, &text);
    let fixed = served.next_message();
    assert!(is_update(&fixed), "{fixed}");
    served.assert_serves_what_build_makes(&site);
}

#[test]
fn a_hundred_saves_in_a_second_end_in_the_built_site() {
    let site = SiteTest::sample();
    let mut served = Served::start(&site, &[]);
    let text = site.read_source(ARTICLE);
    for i in 0..100 {
        site.write(ARTICLE, &format!("{text}\n第 {i} 次保存。\n"));
        std::thread::sleep(Duration::from_millis(10));
    }
    let messages = served.messages_until_quiet(QUIET);
    assert!(messages.iter().all(is_update), "{messages:?}");
    assert!(messages.len() <= 100, "at most one rebuild per save");
    assert!(served.get(ARTICLE_URL).text().contains("第 99 次保存。"));
    served.assert_serves_what_build_makes(&site);
}

#[test]
fn editors_save_patterns_cause_one_clean_rebuild_and_temp_files_none() {
    let site = SiteTest::sample();
    let mut served = Served::start(&site, &[]);
    let dir = "content/news";
    let name = "2023-12-07-fuling-conference.md";
    let path = |n: &str| format!("{dir}/{n}");

    // vim: swap file, `4913` probe, backup by rename, write, drop backup.
    site.write(&path(&format!(".{name}.swp")), "swap");
    site.write(&path("4913"), "");
    site.remove(&path("4913"));
    site.rename(&path(name), &path(&format!("{name}~")));
    let text = site.read_source(&path(&format!("{name}~")));
    site.write(&path(name), &text.replace("会议回顾了", "vim 保存"));
    site.remove(&path(&format!("{name}~")));
    let messages = served.messages_until_quiet(QUIET);
    assert_eq!(
        messages.len(),
        1,
        "one rebuild for a vim save: {messages:?}"
    );
    assert!(is_update(&messages[0]), "{messages:?}");
    assert!(served.get(ARTICLE_URL).text().contains("vim 保存"));

    // JetBrains: write a temp file, move the original away, move the temp in.
    let text = site.read_source(&path(name));
    site.write(
        &path(&format!("{name}___jb_tmp___")),
        &text.replace("vim 保存", "IDE 保存"),
    );
    site.rename(&path(name), &path(&format!("{name}___jb_old___")));
    site.rename(&path(&format!("{name}___jb_tmp___")), &path(name));
    site.remove(&path(&format!("{name}___jb_old___")));
    let messages = served.messages_until_quiet(QUIET);
    assert_eq!(
        messages.len(),
        1,
        "one rebuild for an IDE save: {messages:?}"
    );
    assert!(served.get(ARTICLE_URL).text().contains("IDE 保存"));

    // Atomic writers: a hidden temp file renamed over the original.
    let text = site.read_source(&path(name));
    site.write(
        &path(&format!(".{name}.tmp")),
        &text.replace("IDE 保存", "原子保存"),
    );
    site.rename(&path(&format!(".{name}.tmp")), &path(name));
    let messages = served.messages_until_quiet(QUIET);
    assert_eq!(
        messages.len(),
        1,
        "one rebuild for an atomic save: {messages:?}"
    );
    assert!(served.get(ARTICLE_URL).text().contains("原子保存"));
    served.assert_serves_what_build_makes(&site);

    // Temp files alone, and a save that changes nothing: no rebuild.
    site.write(&path(&format!(".{name}.swp")), "swap again");
    site.write(&path(name), &site.read_source(&path(name)));
    let messages = served.messages_until_quiet(QUIET);
    assert!(messages.is_empty(), "{messages:?}");
}

#[test]
fn stylesheet_and_image_edits_are_swapped_in_place() {
    let site = SiteTest::sample();
    let mut served = Served::start(&site, &[]);
    let css = "themes/default/static/style.css";
    site.write(
        css,
        &format!("{}\nbody {{ outline: 0; }}\n", site.read_source(css)),
    );
    let message = served.next_message();
    assert_eq!(message["css"][0], "/style.css", "{message}");
    assert_eq!(message["pages"].as_array().unwrap().len(), 0, "{message}");
    assert_eq!(message["other"], false, "{message}");
    assert!(
        served
            .get("/style.css")
            .text()
            .ends_with("body { outline: 0; }\n")
    );

    let image = "content/workers/zhao-fengxuan/portrait.svg";
    site.write(
        image,
        &site
            .read_source(image)
            .replace("</svg>", "<!-- v2 --></svg>"),
    );
    let message = served.next_message();
    let images = message["images"].as_array().unwrap();
    assert!(
        images
            .iter()
            .any(|i| i == "/workers/zhao-fengxuan/portrait.svg"),
        "{message}"
    );
    assert_eq!(message["pages"].as_array().unwrap().len(), 0, "{message}");
}

#[test]
fn http_rules_mime_types_no_caching_language_404s_and_no_traversal() {
    let site = SiteTest::sample();
    // The site's static folder is a symlink to a folder outside the site.
    let outside = site.root().parent().unwrap().join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(&outside, site.path("static")).unwrap();
    let served = Served::start(&site, &[]);
    assert!(
        served.url.starts_with("http://127.0.0.1:"),
        "{}",
        served.url
    );

    let home = served.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert_eq!(home.cache_control, "no-store");
    assert!(home.text().contains(LIVE_RELOAD_TAG));
    assert_eq!(
        served.get("/style.css").content_type,
        "text/css; charset=utf-8"
    );
    assert!(served.get("/atom.xml").content_type.contains("xml"));
    assert_eq!(
        served
            .get("/workers/zhao-fengxuan/portrait.svg")
            .content_type,
        "image/svg+xml"
    );
    assert_eq!(served.get("/news").status, 301);

    let english = served.get("/en/no-such-page/");
    assert_eq!(english.status, 404);
    assert!(english.text().contains("<html lang=\"en\""));
    let chinese = served.get("/no-such-page/");
    assert_eq!(chinese.status, 404);
    assert!(chinese.text().contains("<html lang=\"zh\""));

    for raw in [
        "/../secret.txt",
        "/news/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%5csecret.txt",
    ] {
        assert_eq!(served.raw_status(raw), 403, "{raw}");
    }
    assert_eq!(served.raw_status("//etc/passwd"), 404);
    let leak = served.get("/secret.txt");
    assert_eq!(
        leak.status, 403,
        "a file reached through a symlink out of the site"
    );
    assert!(!leak.text().contains("secret"));
}

#[test]
fn a_port_in_use_moves_to_the_next_free_one_and_says_so() {
    let site = SiteTest::sample();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let served = Served::start(&site, &["--port", &port.to_string()]);
    assert_ne!(served.url, format!("http://127.0.0.1:{port}"));
    let lines = served.terminal().join("\n");
    assert!(
        lines.contains(&format!("port {port} is in use; serving on port")),
        "{lines}"
    );
}

#[test]
fn a_site_broken_at_start_is_served_as_soon_as_a_save_fixes_it() {
    let site = SiteTest::sample();
    site.edit(ARTICLE, "date = 2023-12-07", "date = 2023-12-99");
    let mut served = Served::start(&site, &[]);
    let waiting = served.get("/");
    assert_eq!(waiting.status, 503);
    assert!(
        waiting.text().contains(LIVE_RELOAD_TAG),
        "the waiting page reloads by itself"
    );
    let error = served.next_message();
    assert_eq!(error["type"], "error", "{error}");

    site.edit(ARTICLE, "date = 2023-12-99", "date = 2023-12-07");
    assert!(is_update(&served.next_message()));
    served.assert_serves_what_build_makes(&site);
}

#[test]
fn base_url_is_the_servers_address_unless_given() {
    let site = SiteTest::sample();
    let served = Served::start(&site, &[]);
    let home = served.get("/").text();
    assert!(
        home.contains(&format!("href=\"{}/news/\"", served.url)),
        "links point at the preview"
    );
    assert!(
        !home.contains("https://example.org"),
        "no production URL in the preview"
    );
    drop(served);

    let served = Served::start(&site, &["--base-url", "http://192.168.1.20:1111"]);
    assert!(
        served
            .get("/")
            .text()
            .contains("href=\"http://192.168.1.20:1111/news/\"")
    );
}

#[test]
fn files_saved_together_are_one_rebuild() {
    let site = SiteTest::sample();
    let mut served = Served::start(&site, &[]);
    let english = "content/news/2023-12-07-fuling-conference.en.md";
    site.edit(ARTICLE, "会议回顾了", "会议一起回顾了");
    site.edit(english, "Chongqing convened", "Chongqing jointly convened");
    let css = "themes/default/static/style.css";
    site.write(
        css,
        &format!("{}\n/* saved together */\n", site.read_source(css)),
    );
    let messages = served.messages_until_quiet(QUIET);
    assert_eq!(messages.len(), 1, "{messages:?}");
    let pages = messages[0]["pages"].as_array().unwrap();
    assert!(pages.iter().any(|p| p == ARTICLE_URL), "{messages:?}");
    assert!(
        pages
            .iter()
            .any(|p| p == "/en/news/fuling-conference/index.html"),
        "{messages:?}"
    );
    assert_eq!(messages[0]["css"][0], "/style.css");
    served.assert_serves_what_build_makes(&site);
}

#[test]
fn drafts_are_served_only_with_the_drafts_flag() {
    let site = SiteTest::new("drafts");
    let served = Served::start(&site, &[]);
    let missing = served.get("/news/draft/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains(LIVE_RELOAD_TAG),
        "without a 404.html, the not-found page still reloads"
    );
    assert_eq!(served.get("/news/published/").status, 200);
    drop(served);
    let served = Served::start(&site, &["--drafts"]);
    assert_eq!(served.get("/news/draft/").status, 200);
    assert_eq!(served.get("/news/future/").status, 200);
}
