//! Markdown → HTML, pinned by insta snapshots (`snapshots/`), plus the
//! table of contents and heading ids.

use std::collections::BTreeMap;

use regex::Regex;

use crate::helpers::SiteTest;

/// The rendered body and the table-of-contents dump of the page at `path`
/// (the fixture's page.html prints both, split by `<!-- toc -->`).
fn body_and_toc(site: &SiteTest, path: &str) -> (String, String) {
    let html = site.read(&format!("{path}/index.html"));
    let (body, toc) = html.split_once("<!-- toc -->").expect("toc marker");
    (body.to_string(), toc.trim().to_string())
}

#[test]
fn rich_article_markdown_renders_to_the_expected_html() {
    let site = SiteTest::new("markdown");
    site.build(&[]).assert_success();
    let (body, _) = body_and_toc(&site, "rich");
    insta::assert_snapshot!("rich_article_html", body);
}

#[test]
fn table_of_contents_nests_headings_with_chinese_ids() {
    let site = SiteTest::new("markdown");
    site.build(&[]).assert_success();
    let (_, toc) = body_and_toc(&site, "rich");
    assert_eq!(
        toc,
        "2 素质提升 素质提升 https://example.org/rich/#素质提升\n\
         \x20 3 培训-基地 培训 基地 https://example.org/rich/#培训-基地\n\
         2 素质提升-1 素质提升 https://example.org/rich/#素质提升-1\n\
         2 figures Key Figures: 2023! https://example.org/rich/#figures"
    );
}

#[test]
fn full_page_html_of_a_translated_page() {
    let site = SiteTest::new("bilingual");
    site.build(&[]).assert_success();
    insta::assert_snapshot!(
        "bilingual_en_news_a_page",
        site.read("en/news/a/index.html")
    );
}

/// A footnote's link jumps to `#<label>`; a heading with the same text
/// must not take that id, or the link lands on the heading.
#[test]
fn heading_ids_do_not_clash_with_footnote_ids() {
    let site = SiteTest::new("markdown");
    site.write(
        "content/notes.md",
        "+++\ntitle = \"注释\"\n+++\n\n## Source\n\nText[^source].\n\n[^source]: The note.\n",
    );
    site.build(&[]).assert_success();
    let (body, _) = body_and_toc(&site, "notes");
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for id in Regex::new(r#"\bid="([^"]*)""#)
        .unwrap()
        .captures_iter(&body)
    {
        *ids.entry(id[1].to_string()).or_default() += 1;
    }
    assert!(
        ids.values().all(|&n| n == 1),
        "duplicate ids {ids:?} in:\n{body}"
    );
    assert!(
        body.contains(r#"<div class="footnote-definition" id="source">"#),
        "{body}"
    );
}
