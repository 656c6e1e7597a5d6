//! Syntax highlighting of fenced code with syntect, as CSS classes.
//!
//! The syntax set is loaded once per process, on first use, so sites
//! without code pay nothing. Classes carry the `hl-` prefix so they cannot
//! clash with a theme's own class names; `syntax.css` maps them to colours
//! of the configured syntect theme.

use std::sync::LazyLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
static THEMES: LazyLock<ThemeSet> = LazyLock::new(ThemeSet::load_defaults);

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Highlights `code` written in language `lang` (a fence token such as
/// `rust` or `toml`) and returns the whole `<pre>` block.
pub fn highlight_code(lang: &str, code: &str) -> String {
    let syntax = SYNTAXES
        .find_syntax_by_token(lang)
        .unwrap_or_else(|| SYNTAXES.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        // Highlighting only fails on a broken syntax definition; the plain
        // text stays readable, so fall back to it rather than fail the build.
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return plain_code_block(lang, code);
        }
    }
    let lang = crate::markdown::escape_html(lang);
    format!(
        "<pre class=\"highlight hl-code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{}</code></pre>\n",
        generator.finalize()
    )
}

fn plain_code_block(lang: &str, code: &str) -> String {
    let lang = crate::markdown::escape_html(lang);
    format!(
        "<pre class=\"highlight hl-code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{}</code></pre>\n",
        crate::markdown::escape_html(code)
    )
}

/// Whether syntect has a theme called `name`; if not, the names it has.
pub fn check_theme(name: &str) -> Result<(), Vec<String>> {
    if THEMES.themes.contains_key(name) {
        Ok(())
    } else {
        Err(THEMES.themes.keys().cloned().collect())
    }
}

/// The stylesheet for syntect theme `name`, or the names of the themes that
/// exist when there is none by that name.
pub fn theme_css(name: &str) -> Result<String, Vec<String>> {
    static MADE: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
    check_theme(name)?;
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, css)) = made.iter().find(|(n, _)| n == name) {
        return Ok(css.clone());
    }
    let css = css_for_theme_with_class_style(&THEMES.themes[name], CLASS_STYLE)
        .map_err(|_| Vec::new())?;
    made.push((name.to_string(), css.clone()));
    Ok(css)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_code_gets_prefixed_classes_and_escaping() {
        let html = highlight_code("rust", "fn main() { let a = 1 < 2; }\n");
        assert!(html.starts_with("<pre class=\"highlight hl-code\" data-lang=\"rust\">"));
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
    }

    #[test]
    fn unknown_language_is_plain_but_escaped() {
        let html = highlight_code("nosuchlang", "<b>\n");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn unknown_theme_lists_the_known_ones() {
        let known = theme_css("no-such-theme").unwrap_err();
        assert!(known.iter().any(|t| t == "InspiredGitHub"));
        assert!(theme_css("InspiredGitHub").unwrap().contains(".hl-"));
    }
}
