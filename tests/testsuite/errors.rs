//! Broken sites: one fixture per case under `tests/fixtures/invalid/`.
//! Each build must exit with 2, print one `error: file:line:col: …` report
//! with a hint, and leave the site folder exactly as it was: no output
//! folder when there was none, an old output folder untouched, no staging
//! folder.

use crate::helpers::{SiteTest, dir_entries};

/// Builds `tests/fixtures/invalid/<case>` and returns the error message
/// (without `error: `), after checking that nothing was written: once with
/// no output folder, once with an old one.
#[track_caller]
fn build_error(case: &str) -> String {
    let site = SiteTest::new(&format!("invalid/{case}"));
    let before = site.root_tree();
    let run = site.build(&[]);
    let message = run.assert_error().to_string();
    assert!(!site.public().exists(), "a failed build created the output");
    assert_eq!(site.root_tree(), before, "a failed build changed the site");
    assert_eq!(dir_entries(site.root().parent().unwrap()), ["site"]);
    assert!(run.stdout.is_empty(), "{}", run.stdout);

    site.write("public/index.html", "<p>the last good build</p>\n");
    let before = site.root_tree();
    let again = site.build(&[]);
    assert_eq!(again.assert_error(), message, "the error is not stable");
    assert_eq!(
        site.root_tree(),
        before,
        "a failed build changed the output"
    );
    message
}

#[track_caller]
fn assert_starts_with(message: &str, start: &str) {
    assert!(
        message.starts_with(start),
        "expected the error to start with\n  {start}\nbut it is\n  {message}"
    );
}

#[track_caller]
fn assert_hint(message: &str, hint: &str) {
    assert!(
        message.contains(&format!("\n  help: {hint}")),
        "expected the hint `help: {hint}` in\n{message}"
    );
}

#[test]
fn errors_on_invalid_toml_front_matter() {
    let message = build_error("invalid_toml_front_matter");
    // Line 3, column 15: the unquoted value.
    assert_starts_with(&message, "[ROOT]/content/a.md:3:15: invalid front matter: ");
    assert!(message.contains("quoted"), "{message}");
    assert_hint(
        &message,
        "front matter between `+++` lines is TOML: quote strings",
    );
}

#[test]
fn errors_on_invalid_yaml_front_matter() {
    let message = build_error("invalid_yaml_front_matter");
    // The list opened on line 3 is not closed before `date:` on line 4.
    assert_starts_with(&message, "[ROOT]/content/a.md:4:5: invalid front matter: ");
    assert_hint(&message, "front matter between `---` lines is YAML");
}

/// The location in front of the message counts lines of the file; the
/// message must not add positions counted from the front matter's first
/// line, which point one line too high.
#[test]
fn yaml_front_matter_error_names_no_positions_relative_to_the_front_matter() {
    let message = build_error("invalid_yaml_front_matter");
    let first_line = message.lines().next().unwrap();
    assert!(
        !first_line.contains("at line 3") && !first_line.contains("at line 2"),
        "positions that disagree with a.md:4:5 in: {first_line}"
    );
}

#[test]
fn errors_on_missing_front_matter_close() {
    let message = build_error("missing_front_matter_close");
    assert_starts_with(
        &message,
        "[ROOT]/content/a.md:1:1: invalid front matter: the front matter opened with `+++` on line 1 is never closed",
    );
    assert_hint(
        &message,
        "add a line holding only `+++` after the last front matter line",
    );
}

#[test]
fn errors_on_invalid_date() {
    let message = build_error("invalid_date");
    assert_starts_with(
        &message,
        "[ROOT]/content/a.md:3:1: invalid front matter: `date` must be a date, found \"yesterday\"",
    );
    assert_hint(&message, "write it like date = 2023-12-07");
}

#[test]
fn errors_on_unknown_template() {
    let message = build_error("unknown_template");
    assert_starts_with(
        &message,
        "[ROOT]/content/news/a.md:3:1: unknown template `nope.html`",
    );
    assert_hint(
        &message,
        "add templates/nope.html to the site, or use one of: ",
    );
    assert!(message.contains("page.html, section.html"), "{message}");
}

#[test]
fn errors_on_template_syntax_error() {
    let message = build_error("template_syntax_error");
    // `{{ page.title }` on line 5: the lone `}` is at column 19.
    assert_starts_with(
        &message,
        "[ROOT]/templates/page.html:5:19: template error: ",
    );
    assert!(message.contains("}}"), "{message}");
}

#[test]
fn errors_on_template_render_error() {
    let message = build_error("template_render_error");
    // `{{ undefined_variable }}` on line 6, the name at column 7.
    assert_starts_with(
        &message,
        "[ROOT]/templates/page.html:6:7: template error: Variable `undefined_variable` is not defined",
    );
    assert!(message.contains("Available variables: "), "{message}");
    assert!(
        message.ends_with("\n  while rendering /good/\nnothing was written\n"),
        "{message}"
    );
}

#[test]
fn errors_on_undeclared_content_language() {
    let message = build_error("undeclared_content_language");
    assert_starts_with(
        &message,
        "[ROOT]/content/a.fr.md: language `fr` is not declared in config.toml (declared: zh, en)",
    );
    assert_hint(
        &message,
        "add [languages.fr] to config.toml, or rename the file",
    );
}

#[test]
fn errors_on_undeclared_i18n_language() {
    let message = build_error("undeclared_i18n_language");
    assert_starts_with(
        &message,
        "[ROOT]/i18n/fr.toml: language `fr` is not declared in config.toml (declared: zh, en)",
    );
    assert_hint(
        &message,
        "add [languages.fr] to config.toml, or rename the file",
    );
}

#[test]
fn errors_on_duplicate_url() {
    let message = build_error("duplicate_url");
    assert_starts_with(
        &message,
        "[ROOT]/content/news/b.md: this writes to /news/same/, which [ROOT]/content/news/a.md writes too",
    );
    assert_hint(
        &message,
        "give one of them a different `slug` in its front matter",
    );
}

#[test]
fn errors_on_missing_config() {
    let message = build_error("missing_config");
    assert_starts_with(&message, "[ROOT]/config.toml: no config file found");
    assert_hint(
        &message,
        "run gazette in the site's folder, or pass --root DIR",
    );
}

#[test]
fn errors_on_unknown_config_key() {
    let message = build_error("unknown_config_key");
    assert_starts_with(
        &message,
        "[ROOT]/config.toml:2:1: invalid config: unknown field `titel`, expected one of ",
    );
    assert!(message.contains("`title`"), "{message}");
    assert_hint(
        &message,
        "remove the key or fix its spelling; data for the theme goes under [extra]",
    );
}

#[test]
fn errors_on_broken_internal_link() {
    let message = build_error("broken_internal_link");
    // Line 7 of a.md, column 3: the link after 请看.
    assert_starts_with(
        &message,
        "[ROOT]/content/a.md:7:3: broken internal link `@/news/missing.md`",
    );
    assert_hint(&message, "internal links name a file under content/");
}

#[test]
fn errors_on_missing_theme() {
    let message = build_error("missing_theme");
    assert_starts_with(
        &message,
        "[ROOT]/config.toml:4:1: invalid config: theme `missing` not found: there is no folder [ROOT]/themes/missing",
    );
    assert_hint(
        &message,
        "put the theme in themes/<name>/, or remove the `theme` key",
    );
}

#[test]
fn errors_on_undeclared_taxonomy() {
    let message = build_error("undeclared_taxonomy");
    assert_starts_with(
        &message,
        "[ROOT]/content/a.md:3:1: invalid front matter: `categories` is neither a front matter key nor a taxonomy of language `zh`",
    );
    assert_hint(&message, "declare it in config.toml");
}

/// Like every other config error, an unknown highlight theme names the
/// site's config file (not `config.toml` of the working directory) and the
/// line of the key.
#[test]
fn errors_on_unknown_highlight_theme() {
    let message = build_error("unknown_highlight_theme");
    assert_starts_with(
        &message,
        "[ROOT]/config.toml:9:1: invalid config: highlight_theme `no-such-theme` is not a syntect theme",
    );
    assert_hint(&message, "use one of: InspiredGitHub, ");
}

#[test]
fn error_paths_are_relative_when_run_in_the_site_folder() {
    let site = SiteTest::new("invalid/invalid_date");
    let run = site.build_in_site_folder(&[]);
    assert_starts_with(
        run.assert_error(),
        "content/a.md:3:1: invalid front matter: `date` must be a date",
    );
    let site = SiteTest::new("invalid/template_render_error");
    let run = site.build_in_site_folder(&[]);
    assert_starts_with(
        run.assert_error(),
        "templates/page.html:6:7: template error: ",
    );
}

#[test]
fn every_front_matter_error_is_reported_at_once() {
    let site = SiteTest::new("invalid/invalid_date");
    site.write(
        "content/b.md",
        "+++\ntitle = \"乙\"\nweight = \"heavy\"\n+++\n",
    );
    let run = site.build(&[]);
    let message = run.assert_error();
    assert!(
        message.contains("[ROOT]/content/a.md:3:1: invalid front matter: `date`"),
        "{message}"
    );
    assert!(
        message.contains(
            "\nerror: [ROOT]/content/b.md:3:1: invalid front matter: `weight` must be a whole number"
        ),
        "{message}"
    );
    assert!(
        message.ends_with("\n2 errors; nothing was written\n"),
        "{message}"
    );
    assert!(!site.public().exists());
}

#[test]
fn errors_once_on_a_missing_taxonomy_template() {
    let site = SiteTest::new("urls");
    site.remove("templates/taxonomy_single.html");
    let run = site.build(&[]);
    let message = run.assert_error();
    assert!(
        message.starts_with("[ROOT]/config.toml: unknown template `taxonomy_single.html`"),
        "{message}"
    );
    assert!(
        message.contains("help: add templates/taxonomy_single.html"),
        "{message}"
    );
    assert!(!site.public().exists());
}
