//! Where things end up: slugs and dates from file names, page bundles,
//! taxonomies, pagination, aliases, internal links, 404 pages, feeds and
//! the sitemap.

use crate::helpers::{SiteTest, attributes, by_id};

fn built() -> SiteTest {
    let site = SiteTest::new("urls");
    site.build(&[]).assert_success();
    site
}

fn redirect_target(html: &str) -> String {
    let target = attributes(html, "rel=\"canonical\"", "href");
    assert_eq!(target.len(), 1, "not a redirect page:\n{html}");
    assert!(
        html.contains(&format!(
            "<meta http-equiv=\"refresh\" content=\"0; url={}\">",
            target[0]
        )),
        "{html}"
    );
    target[0].clone()
}

#[test]
fn date_prefixed_file_name_gives_the_date_and_a_slug_without_it() {
    let site = built();
    let launch = site.read("news/launch/index.html");
    assert_eq!(by_id(&launch, "slug"), "launch");
    assert_eq!(by_id(&launch, "path"), "/news/launch/");
    assert_eq!(by_id(&launch, "date"), "2024-01-01");
    let en = site.read("en/news/launch/index.html");
    assert_eq!(by_id(&en, "path"), "/en/news/launch/");
    assert_eq!(by_id(&en, "date"), "2024-01-01");
    // A bundle folder's date prefix works the same way.
    let gallery = site.read("news/gallery/index.html");
    assert_eq!(by_id(&gallery, "date"), "2024-01-03");
    // A front matter date wins over the file name's.
    let fifth = site.read("news/fifth/index.html");
    assert_eq!(by_id(&fifth, "date"), "2024-02-01");
    site.assert_missing("news/2024-01-01-launch");
}

#[test]
fn slug_in_front_matter_overrides_the_file_name() {
    let site = built();
    let renamed = site.read("news/custom-slug/index.html");
    assert_eq!(by_id(&renamed, "slug"), "custom-slug");
    assert_eq!(by_id(&renamed, "date"), "2024-01-02");
    site.assert_missing("news/renamed");
    // The slug belongs to one file: the translation keeps its own.
    assert_eq!(
        by_id(&site.read("en/news/renamed/index.html"), "path"),
        "/en/news/renamed/"
    );
}

#[test]
fn page_bundle_assets_are_copied_beside_the_page_in_both_languages() {
    let site = built();
    let photo = site.read_source("content/news/2024-01-03-gallery/photo.svg");
    for lang_prefix in ["", "en/"] {
        assert_eq!(
            site.read(&format!("{lang_prefix}news/gallery/photo.svg")),
            photo
        );
        let page = site.read(&format!("{lang_prefix}news/gallery/index.html"));
        assert_eq!(by_id(&page, "assets"), "photo.svg");
        assert!(page.contains("<img src=\"photo.svg\""), "{page}");
    }
    site.assert_missing("news/2024-01-03-gallery");
}

#[test]
fn taxonomies_have_list_and_term_pages_per_language() {
    let site = built();
    let zh = site.read("tags/index.html");
    assert_eq!(
        attributes(&zh, "class=\"term\"", "href"),
        [
            "https://example.org/tags/skills-training/",
            "https://example.org/tags/产改/"
        ]
    );
    assert_eq!(attributes(&zh, "class=\"term\"", "data-count"), ["1", "2"]);
    // The Chinese term keeps its Chinese slug.
    let term = site.read("tags/产改/index.html");
    assert_eq!(by_id(&term, "slug"), "产改");
    assert_eq!(
        attributes(&term, "class=\"listed\"", "href"),
        [
            "https://example.org/news/custom-slug/",
            "https://example.org/news/launch/"
        ]
    );

    let en = site.read("en/tags/index.html");
    assert_eq!(
        attributes(&en, "class=\"term\"", "href"),
        [
            "https://example.org/en/tags/reform/",
            "https://example.org/en/tags/skills-training/"
        ]
    );
    let skills = site.read("en/tags/skills-training/index.html");
    assert_eq!(
        attributes(&skills, "class=\"listed\"", "href"),
        ["https://example.org/en/news/launch/"]
    );
    site.assert_missing("en/tags/产改");
    site.assert_missing("tags/reform");

    // Pages link to their terms.
    let launch = site.read("news/launch/index.html");
    assert_eq!(
        attributes(&launch, "class=\"tag\"", "href"),
        [
            "https://example.org/tags/产改/",
            "https://example.org/tags/skills-training/"
        ]
    );
}

#[test]
fn section_is_paginated_with_paginator_fields() {
    let site = built();
    let expected = [
        (
            "news/index.html",
            "/news/",
            "1",
            "none",
            "https://example.org/news/page/2/",
            vec!["fifth", "fourth"],
        ),
        (
            "news/page/2/index.html",
            "/news/page/2/",
            "2",
            "https://example.org/news/",
            "https://example.org/news/page/3/",
            vec!["gallery", "custom-slug"],
        ),
        (
            "news/page/3/index.html",
            "/news/page/3/",
            "3",
            "https://example.org/news/page/2/",
            "none",
            vec!["launch"],
        ),
    ];
    for (file, path, index, previous, next, pages) in expected {
        let html = site.read(file);
        assert_eq!(by_id(&html, "current-path"), path, "{file}");
        assert_eq!(by_id(&html, "current-index"), index, "{file}");
        assert_eq!(by_id(&html, "number-pagers"), "3", "{file}");
        assert_eq!(by_id(&html, "paginate-by"), "2", "{file}");
        assert_eq!(by_id(&html, "total-pages"), "5", "{file}");
        assert_eq!(by_id(&html, "first"), "https://example.org/news/", "{file}");
        assert_eq!(
            by_id(&html, "last"),
            "https://example.org/news/page/3/",
            "{file}"
        );
        assert_eq!(by_id(&html, "previous"), previous, "{file}");
        assert_eq!(by_id(&html, "next"), next, "{file}");
        let urls: Vec<String> = pages
            .iter()
            .map(|slug| format!("https://example.org/news/{slug}/"))
            .collect();
        assert_eq!(
            attributes(&html, "class=\"listed\"", "href"),
            urls,
            "{file}"
        );
    }
    site.assert_missing("news/page/4");

    let en = site.read("en/news/page/2/index.html");
    assert_eq!(by_id(&en, "number-pagers"), "2");
    assert_eq!(
        attributes(&en, "class=\"listed\"", "href"),
        ["https://example.org/en/news/launch/"]
    );
}

#[test]
fn first_pager_url_redirects_to_the_section() {
    let site = built();
    assert_eq!(
        redirect_target(&site.read("news/page/1/index.html")),
        "https://example.org/news/"
    );
    assert_eq!(
        redirect_target(&site.read("en/news/page/1/index.html")),
        "https://example.org/en/news/"
    );
    // Page 2 is a real pager page, not a redirect.
    assert_eq!(
        by_id(&site.read("news/page/2/index.html"), "current-index"),
        "2"
    );
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = built();
    assert_eq!(
        redirect_target(&site.read("old/launch/index.html")),
        "https://example.org/news/launch/"
    );
    // An alias ending in .html is written as that file.
    assert_eq!(
        redirect_target(&site.read("legacy/launch.html")),
        "https://example.org/news/launch/"
    );
}

#[test]
fn internal_links_resolve_to_the_same_language_translation() {
    let site = built();
    let zh = by_id(&site.read("news/launch/index.html"), "content");
    assert_eq!(
        attributes(&zh, "<a", "href"),
        [
            "https://example.org/about/#%E5%9B%A2%E9%98%9F",
            "https://example.org/news/",
            "https://example.org/news/gallery/"
        ]
    );
    let en = by_id(&site.read("en/news/launch/index.html"), "content");
    assert_eq!(
        attributes(&en, "<a", "href"),
        [
            "https://example.org/en/about/#team",
            "https://example.org/en/news/",
            "https://example.org/en/news/gallery/"
        ]
    );
    // The fragments name real headings.
    assert!(site.read("about/index.html").contains("<h2 id=\"团队\">"));
    assert!(
        site.read("en/about/index.html")
            .contains("<h2 id=\"team\">")
    );
}

#[test]
fn not_found_page_is_written_per_language() {
    let site = built();
    let zh = site.read("404.html");
    assert_eq!(by_id(&zh, "title"), "404 · 网址");
    assert!(zh.contains("<html lang=\"zh\">"));
    assert_eq!(
        attributes(&zh, "id=\"home\"", "href"),
        ["https://example.org/"]
    );
    let en = site.read("en/404.html");
    assert_eq!(by_id(&en, "title"), "404 · URLs");
    assert_eq!(
        attributes(&en, "id=\"home\"", "href"),
        ["https://example.org/en/"]
    );
}

#[test]
fn atom_feed_is_written_per_language() {
    let site = built();
    let entries = |feed: &str| -> Vec<String> {
        feed.split("<entry")
            .skip(1)
            .map(|e| attributes(e, "rel=\"alternate\"", "href")[0].clone())
            .collect()
    };
    let zh = site.read("atom.xml");
    assert!(zh.contains("xml:lang=\"zh\""), "{zh}");
    assert!(
        zh.contains(
            r#"<link rel="self" type="application/atom+xml" href="https://example.org/atom.xml"/>"#
        ),
        "{zh}"
    );
    assert!(
        zh.contains("<updated>2024-02-01T00:00:00Z</updated>"),
        "{zh}"
    );
    // Dated pages of the language only, newest first.
    assert_eq!(
        entries(&zh),
        [
            "https://example.org/news/fifth/",
            "https://example.org/news/fourth/",
            "https://example.org/news/gallery/",
            "https://example.org/news/custom-slug/",
            "https://example.org/news/launch/",
        ]
    );
    // Content is escaped HTML.
    assert!(zh.contains("&lt;p&gt;第四篇。&lt;/p&gt;"), "{zh}");

    let en = site.read("en/atom.xml");
    assert!(
        en.contains(r#"href="https://example.org/en/atom.xml"/>"#),
        "{en}"
    );
    assert_eq!(
        entries(&en),
        [
            "https://example.org/en/news/gallery/",
            "https://example.org/en/news/renamed/",
            "https://example.org/en/news/launch/",
        ]
    );
}

#[test]
fn sitemap_lists_every_page_section_and_term_once() {
    let site = built();
    let sitemap = site.read("sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    let expected = [
        "/",
        "/about/",
        "/en/",
        "/en/about/",
        "/en/news/",
        "/en/news/gallery/",
        "/en/news/launch/",
        "/en/news/renamed/",
        "/en/tags/",
        "/en/tags/reform/",
        "/en/tags/skills-training/",
        "/news/",
        "/news/custom-slug/",
        "/news/fifth/",
        "/news/fourth/",
        "/news/gallery/",
        "/news/launch/",
        "/tags/",
        "/tags/skills-training/",
        "/tags/产改/",
    ];
    let expected: Vec<String> = expected
        .iter()
        .map(|p| format!("https://example.org{p}"))
        .collect();
    assert_eq!(locs, expected);
    assert!(
        sitemap.contains(
            "<loc>https://example.org/news/fifth/</loc>\n        <lastmod>2024-02-01</lastmod>"
        ),
        "{sitemap}"
    );
}

#[test]
fn sitemap_links_translated_pages_to_each_other_with_hreflang() {
    let site = built();
    let sitemap = site.read("sitemap.xml");
    let entry = |loc: &str| {
        let start = sitemap.find(&format!("<loc>{loc}</loc>")).expect(loc);
        sitemap[start..].split("</url>").next().unwrap().to_string()
    };
    let launch = entry("https://example.org/news/launch/");
    assert!(
        launch.contains(
            r#"<xhtml:link rel="alternate" hreflang="zh" href="https://example.org/news/launch/"/>"#
        ),
        "{launch}"
    );
    assert!(
        launch.contains(r#"<xhtml:link rel="alternate" hreflang="en" href="https://example.org/en/news/launch/"/>"#),
        "{launch}"
    );
    // A page with no translation gets no alternates.
    let fifth = entry("https://example.org/news/fifth/");
    assert!(!fifth.contains("xhtml:link"), "{fifth}");
}

#[test]
fn base_url_option_replaces_the_configured_one() {
    let site = SiteTest::new("urls");
    site.build(&["--base-url", "https://staging.example.net/"])
        .assert_success();
    let launch = site.read("news/launch/index.html");
    assert!(
        launch.contains("href=\"https://staging.example.net/news/\""),
        "{launch}"
    );
    assert!(!site.read("sitemap.xml").contains("https://example.org"));
    assert_eq!(
        redirect_target(&site.read("old/launch/index.html")),
        "https://staging.example.net/news/launch/"
    );
}
