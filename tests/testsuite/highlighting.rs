//! Syntax highlighting of fenced code and the generated `syntax.css`.

use crate::helpers::{SiteTest, by_id};

#[test]
fn fenced_rust_code_gets_highlight_classes_and_syntax_css_exists() {
    let site = SiteTest::new("highlighting");
    site.build(&[]).assert_success();
    let content = by_id(&site.read("code/index.html"), "content");
    assert!(content.contains(r#"<pre class="highlight"#), "{content}");
    assert!(
        content.contains(r#" data-lang="rust"><code class="language-rust">"#),
        "{content}"
    );
    assert!(
        content.contains(r#"<span class="hl-storage hl-type hl-function hl-rust">fn</span>"#),
        "{content}"
    );
    // Code is escaped inside the highlighting.
    assert!(
        content.contains(r#"<span class="hl-keyword hl-operator hl-rust">&lt;</span>"#),
        "{content}"
    );
    // A fence without a language stays plain (but escaped).
    assert!(
        content.contains("<pre><code>plain &lt;text&gt; here\n</code></pre>"),
        "{content}"
    );

    let css = site.read("syntax.css");
    assert!(css.contains(".hl-comment {"), "{css}");
    assert!(css.contains(".hl-constant.hl-numeric {"), "{css}");
}

#[test]
fn highlight_code_false_leaves_code_plain_and_writes_no_syntax_css() {
    let site = SiteTest::new("highlighting");
    site.edit(
        "config.toml",
        "highlight_code = true",
        "highlight_code = false",
    );
    site.build(&[]).assert_success();
    let content = by_id(&site.read("code/index.html"), "content");
    assert!(!content.contains("hl-"), "{content}");
    assert!(
        content
            .contains("<pre><code class=\"language-rust\">fn main() {\n    let less = 1 &lt; 2;\n"),
        "{content}"
    );
    site.assert_missing("syntax.css");
}

#[test]
fn syntax_css_follows_the_highlight_theme() {
    let site = SiteTest::new("highlighting");
    site.build(&[]).assert_success();
    let light = site.read("syntax.css");
    site.edit("config.toml", "InspiredGitHub", "base16-ocean.dark");
    site.build(&[]).assert_success();
    let dark = site.read("syntax.css");
    assert_ne!(light, dark);
    assert!(dark.contains("background-color: #2b303b"), "{dark}");
}

/// syntect puts the theme's base colours (text and background) on the
/// `.hl-code` class; a code block that lacks it shows dark-theme tokens on
/// the page's own background.
#[test]
fn highlighted_block_carries_the_class_of_the_theme_background() {
    let site = SiteTest::new("highlighting");
    site.edit("config.toml", "InspiredGitHub", "base16-ocean.dark");
    site.build(&[]).assert_success();
    let css = site.read("syntax.css");
    assert!(css.contains(".hl-code {"), "{css}");
    let content = by_id(&site.read("code/index.html"), "content");
    let block = content
        .lines()
        .find(|l| l.contains("data-lang=\"rust\""))
        .unwrap();
    assert!(
        block.contains("hl-code"),
        "the rust block has no `hl-code` class, so syntax.css's base colours never apply:\n{block}"
    );
}
