//! Chinese default language plus English: URLs, translation links,
//! per-language lists, lookup functions and UI strings.

use crate::helpers::{SiteTest, attributes, by_id};

fn built() -> SiteTest {
    let site = SiteTest::new("bilingual");
    site.build(&[]).assert_success();
    site
}

/// `(hreflang, href, data-exists, data-current)` of each alternate link.
fn alternates(html: &str) -> Vec<(String, String, String, String)> {
    let langs = attributes(html, "rel=\"alternate\"", "hreflang");
    let hrefs = attributes(html, "rel=\"alternate\"", "href");
    let exists = attributes(html, "rel=\"alternate\"", "data-exists");
    let current = attributes(html, "rel=\"alternate\"", "data-current");
    (0..langs.len())
        .map(|i| {
            (
                langs[i].clone(),
                hrefs[i].clone(),
                exists[i].clone(),
                current[i].clone(),
            )
        })
        .collect()
}

fn alt(lang: &str, href: &str, exists: bool, current: bool) -> (String, String, String, String) {
    (
        lang.into(),
        href.into(),
        exists.to_string(),
        current.to_string(),
    )
}

#[test]
fn builds_pages_at_contract_urls_in_both_languages() {
    let site = built();
    for path in [
        "index.html",
        "news/index.html",
        "news/a/index.html",
        "news/only-zh/index.html",
        "en/index.html",
        "en/news/index.html",
        "en/news/a/index.html",
        "en/news/only-en/index.html",
        "sitemap.xml",
    ] {
        site.assert_exists(path);
    }
    // A page exists only in the languages it is written in.
    site.assert_missing("en/news/only-zh");
    site.assert_missing("news/only-en");
    site.assert_missing("zh");

    let zh = site.read("news/a/index.html");
    assert!(zh.contains("<html lang=\"zh\">"), "{zh}");
    assert_eq!(by_id(&zh, "title"), "甲文章");
    assert!(zh.contains("<title>甲文章 · 双语站</title>"), "{zh}");
    assert!(by_id(&zh, "content").contains("中文正文。"));

    let en = site.read("en/news/a/index.html");
    assert!(en.contains("<html lang=\"en\">"), "{en}");
    assert_eq!(by_id(&en, "title"), "Article A");
    // `config` is the language's own config.
    assert!(
        en.contains("<title>Article A · Bilingual Site</title>"),
        "{en}"
    );
    assert!(by_id(&en, "content").contains("English body."));
}

#[test]
fn page_links_to_its_translation_in_every_language() {
    let site = built();
    let zh = site.read("news/a/index.html");
    assert_eq!(
        alternates(&zh),
        [
            alt("zh", "https://example.org/news/a/", true, true),
            alt("en", "https://example.org/en/news/a/", true, false),
        ]
    );
    assert_eq!(
        attributes(&zh, "class=\"translation\"", "href"),
        [
            "https://example.org/news/a/",
            "https://example.org/en/news/a/"
        ]
    );
    assert!(zh.contains(r#"hreflang="en" data-path="/en/news/a/">Article A</a>"#));

    let en = site.read("en/news/a/index.html");
    assert_eq!(
        alternates(&en),
        [
            alt("zh", "https://example.org/news/a/", true, false),
            alt("en", "https://example.org/en/news/a/", true, true),
        ]
    );
    assert!(en.contains(r#"title="甲文章""#), "{en}");

    // Sections and home pages link to theirs too.
    let news = site.read("en/news/index.html");
    assert_eq!(
        alternates(&news),
        [
            alt("zh", "https://example.org/news/", true, false),
            alt("en", "https://example.org/en/news/", true, true),
        ]
    );
    let home = site.read("index.html");
    assert_eq!(
        alternates(&home),
        [
            alt("zh", "https://example.org/", true, true),
            alt("en", "https://example.org/en/", true, false),
        ]
    );
}

#[test]
fn page_without_translation_falls_back_to_the_other_language_home() {
    let site = built();
    let zh_only = site.read("news/only-zh/index.html");
    assert_eq!(
        alternates(&zh_only),
        [
            alt("zh", "https://example.org/news/only-zh/", true, true),
            alt("en", "https://example.org/en/", false, false),
        ]
    );
    // The fallback carries the home page's title.
    assert!(zh_only.contains(r#"data-exists="false" data-current="false" title="Home">"#));
    // `page.translations` lists only real versions.
    assert_eq!(
        attributes(&zh_only, "class=\"translation\"", "href"),
        ["https://example.org/news/only-zh/"]
    );

    let en_only = site.read("en/news/only-en/index.html");
    assert_eq!(
        alternates(&en_only),
        [
            alt("zh", "https://example.org/", false, false),
            alt("en", "https://example.org/en/news/only-en/", true, true),
        ]
    );
    assert!(
        en_only.contains(r#"data-path="/" data-exists="false" data-current="false" title="首页">"#)
    );
}

#[test]
fn section_lists_only_pages_of_its_own_language() {
    let site = built();
    let zh = site.read("news/index.html");
    assert_eq!(
        attributes(&zh, "class=\"listed\"", "href"),
        [
            "https://example.org/news/only-zh/",
            "https://example.org/news/a/"
        ]
    );
    assert_eq!(
        attributes(&zh, "class=\"listed\"", "data-lang"),
        ["zh", "zh"]
    );

    let en = site.read("en/news/index.html");
    assert_eq!(
        attributes(&en, "class=\"listed\"", "href"),
        [
            "https://example.org/en/news/a/",
            "https://example.org/en/news/only-en/"
        ]
    );
    assert_eq!(
        attributes(&en, "class=\"listed\"", "data-lang"),
        ["en", "en"]
    );
    assert_eq!(by_id(&en, "title"), "News");
}

#[test]
fn get_url_resolves_internal_paths_in_the_current_or_given_language() {
    let site = built();
    let zh = site.read("index.html");
    assert_eq!(by_id(&zh, "news-url"), "https://example.org/news/");
    assert_eq!(by_id(&zh, "news-url-en"), "https://example.org/en/news/");
    assert_eq!(by_id(&zh, "news-url-zh"), "https://example.org/news/");
    assert_eq!(by_id(&zh, "a-url-en"), "https://example.org/en/news/a/");
    assert_eq!(
        by_id(&zh, "a-url-fragment"),
        "https://example.org/news/a/#part"
    );
    assert_eq!(by_id(&zh, "file-url"), "https://example.org/style.css");

    // Without `lang`, the language being rendered decides.
    let en = site.read("en/index.html");
    assert_eq!(by_id(&en, "news-url"), "https://example.org/en/news/");
    assert_eq!(by_id(&en, "news-url-zh"), "https://example.org/news/");
    assert_eq!(
        by_id(&en, "a-url-fragment"),
        "https://example.org/en/news/a/#part"
    );
}

#[test]
fn get_page_and_get_section_return_the_requested_translation() {
    let site = built();
    for home in ["index.html", "en/index.html"] {
        let html = site.read(home);
        assert_eq!(by_id(&html, "page-title"), "甲文章", "{home}");
        assert_eq!(by_id(&html, "page-title-en"), "Article A", "{home}");
        assert_eq!(
            by_id(&html, "page-permalink-en"),
            "https://example.org/en/news/a/",
            "{home}"
        );
        assert_eq!(by_id(&html, "section-title"), "新闻", "{home}");
        assert_eq!(by_id(&html, "section-title-en"), "News", "{home}");
        assert_eq!(by_id(&html, "section-count-en"), "2", "{home}");
    }
}

#[test]
fn missing_ui_string_falls_back_to_the_default_language_with_a_warning() {
    let site = SiteTest::new("bilingual");
    let run = site.build(&[]);
    run.assert_success();

    let zh = site.read("index.html");
    assert_eq!(by_id(&zh, "hello"), "你好");
    assert_eq!(by_id(&zh, "hello-en"), "Hello");
    assert_eq!(by_id(&zh, "zh-only"), "仅有中文");
    let en = site.read("en/index.html");
    assert_eq!(by_id(&en, "hello"), "Hello");
    // Missing in English: the Chinese string stands in.
    assert_eq!(by_id(&en, "zh-only"), "仅有中文");
    // Missing everywhere: the key itself.
    assert_eq!(by_id(&en, "nowhere"), "no_such_key");
    assert_eq!(by_id(&site.read("en/news/a/index.html"), "hello"), "Hello");

    let warnings = run.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`zh_only`") && w.contains("language `en`")),
        "{}",
        run.stderr
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`no_such_key`") && w.contains("language `zh`")),
        "{}",
        run.stderr
    );
    // Keys that exist in a language are not reported for it.
    assert!(
        !warnings
            .iter()
            .any(|w| w.contains("`zh_only`") && w.contains("language `zh`")),
        "{}",
        run.stderr
    );
    assert!(
        !warnings.iter().any(|w| w.contains("`hello`")),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
}

#[test]
fn section_without_its_translation_borrows_the_default_file_and_warns() {
    let site = SiteTest::new("bilingual");
    site.remove("content/news/_index.en.md");
    let run = site.build(&[]);
    run.assert_success();
    // The English list page still exists and lists the English pages.
    let en_news = site.read("en/news/index.html");
    assert!(en_news.contains("/en/news/a/"), "{en_news}");
    let warnings = run.warnings();
    assert!(
        warnings.iter().any(
            |w| w.starts_with("[ROOT]/content/news/_index.md: the `en` pages")
                && w.contains("content/news/_index.en.md")
        ),
        "{}",
        run.stderr
    );
    // With the translation back, no warning.
    let site = SiteTest::new("bilingual");
    let run = site.build(&[]);
    assert!(!run.stderr.contains("have no content/"), "{}", run.stderr);
}
