//! Drafts and future-dated pages: left out by default, built with
//! `--drafts`; a withheld bundle's files stay unpublished.

use crate::helpers::{SiteTest, attributes, by_id};

const WITHHELD: [&str; 3] = ["news/draft", "news/future", "news/secret-bundle"];

#[test]
fn drafts_and_future_dated_pages_are_left_out_by_default() {
    let site = SiteTest::new("drafts");
    site.build(&[]).assert_success();
    site.assert_exists("news/published/index.html");
    site.assert_exists("news/open-bundle/index.html");
    for path in WITHHELD {
        site.assert_missing(path);
    }
    // Nor are they listed anywhere.
    let news = site.read("news/index.html");
    assert_eq!(
        attributes(&news, "class=\"listed\"", "href"),
        [
            "https://example.org/news/open-bundle/",
            "https://example.org/news/published/"
        ]
    );
    for listing in ["sitemap.xml", "atom.xml"] {
        let text = site.read(listing);
        assert!(
            text.contains("https://example.org/news/published/"),
            "{text}"
        );
        for path in WITHHELD {
            let url = format!("https://example.org/{path}/");
            assert!(!text.contains(&url), "{listing} lists {url}:\n{text}");
        }
    }
    assert!(!site.read("atom.xml").contains("未来文章"));
}

#[test]
fn drafts_flag_includes_drafts_and_future_dated_pages() {
    let site = SiteTest::new("drafts");
    site.build(&["--drafts"]).assert_success();
    for path in WITHHELD {
        site.assert_exists(&format!("{path}/index.html"));
    }
    let draft = site.read("news/draft/index.html");
    assert_eq!(by_id(&draft, "title"), "草稿文章");
    assert_eq!(by_id(&draft, "draft"), "true");
    assert_eq!(
        by_id(&site.read("news/future/index.html"), "draft"),
        "false"
    );
    let news = site.read("news/index.html");
    assert_eq!(
        attributes(&news, "class=\"listed\"", "href"),
        [
            "https://example.org/news/future/",
            "https://example.org/news/open-bundle/",
            "https://example.org/news/secret-bundle/",
            "https://example.org/news/draft/",
            "https://example.org/news/published/",
        ]
    );
    // With the Chinese draft built, the English translation links to it.
    let en = site.read("en/news/draft/index.html");
    assert_eq!(
        attributes(&en, "class=\"alternate\"", "href")[0],
        "https://example.org/news/draft/"
    );
}

#[test]
fn draft_bundle_assets_are_not_published() {
    let site = SiteTest::new("drafts");
    site.build(&[]).assert_success();
    site.assert_exists("news/open-bundle/photo.svg");
    site.assert_missing("news/secret-bundle/photo.svg");
    // Not copied as a loose content file either.
    let listing = site.listing();
    assert!(!listing.contains("secret-bundle"), "{listing}");

    site.build(&["--drafts"]).assert_success();
    site.assert_exists("news/secret-bundle/photo.svg");
    assert_eq!(
        by_id(&site.read("news/secret-bundle/index.html"), "assets"),
        "photo.svg"
    );

    // Building without drafts again removes the bundle's files.
    site.build(&[]).assert_success();
    site.assert_missing("news/secret-bundle");
}

#[test]
fn published_translation_of_a_draft_does_not_link_to_it() {
    let site = SiteTest::new("drafts");
    site.build(&[]).assert_success();
    let en = site.read("en/news/draft/index.html");
    assert_eq!(
        attributes(&en, "class=\"alternate\"", "href"),
        ["https://example.org/", "https://example.org/en/news/draft/"]
    );
    assert_eq!(
        attributes(&en, "class=\"alternate\"", "data-exists"),
        ["false", "true"]
    );
    assert!(!en.contains("https://example.org/news/draft/"), "{en}");
}
