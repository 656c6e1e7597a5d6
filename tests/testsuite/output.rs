//! The writer: unchanged files keep their modification time, stale files
//! go, and a failed build leaves the output exactly as it was.

use std::time::Duration;

use crate::helpers::{SiteTest, Tree, dir_entries, tree};

/// Long enough for any file system's timestamps to tell two writes apart.
fn pause() {
    std::thread::sleep(Duration::from_millis(1100));
}

fn built() -> (SiteTest, Tree) {
    let site = SiteTest::new("output");
    site.build(&[]).assert_success();
    let before = tree(&site.public());
    (site, before)
}

#[test]
fn unchanged_files_keep_their_mtime_across_rebuilds() {
    let (site, before) = built();
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        [
            "a/index.html",
            "b/index.html",
            "css/style.css",
            "index.html",
            "sitemap.xml",
            "syntax.css"
        ]
    );
    pause();
    site.edit("content/a.md", "甲的正文。", "甲的正文，改过了。");
    let run = site.build(&[]);
    run.assert_success();
    assert!(
        run.stdout.contains("(1 written, 5 unchanged, 0 removed)"),
        "{}",
        run.stdout
    );
    let after = tree(&site.public());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, (bytes, modified)) in &after {
        let (old_bytes, old_modified) = &before[path];
        if path == "a/index.html" {
            assert_ne!(bytes, old_bytes);
            assert!(
                modified > old_modified,
                "the rewritten file must get a new mtime"
            );
        } else {
            assert_eq!(bytes, old_bytes, "{path}");
            assert_eq!(modified, old_modified, "{path} was rewritten");
        }
    }
}

#[test]
fn rebuild_without_changes_rewrites_nothing() {
    let (site, before) = built();
    pause();
    let run = site.build(&[]);
    run.assert_success();
    assert!(
        run.stdout.contains("(0 written, 6 unchanged, 0 removed)"),
        "{}",
        run.stdout
    );
    assert_eq!(tree(&site.public()), before);
}

#[test]
fn removed_content_and_static_files_disappear_from_the_output() {
    let (site, _) = built();
    site.remove("content/b.md");
    site.remove("static/css/style.css");
    let run = site.build(&[]);
    run.assert_success();
    assert!(run.stdout.contains("2 removed)"), "{}", run.stdout);
    site.assert_missing("b");
    site.assert_missing("css");
    site.assert_exists("a/index.html");
    assert!(!site.read("sitemap.xml").contains("/b/"));
    // No staging or backup folder is left beside the output.
    assert_eq!(
        dir_entries(site.root()),
        ["config.toml", "content", "public", "static", "templates"]
    );
}

/// Breaks the site in one way, builds, and checks that the build failed
/// and the output (bytes and mtimes) and site folder are as before.
fn assert_failed_build_changes_nothing(break_site: impl Fn(&SiteTest), expected_error: &str) {
    let (site, before) = built();
    let entries = dir_entries(site.root());
    // Something that a successful build would change.
    site.remove("content/b.md");
    break_site(&site);
    pause();
    let run = site.build(&[]);
    let message = run.assert_error();
    assert!(message.contains(expected_error), "{message}");
    assert_eq!(tree(&site.public()), before, "the output changed");
    assert_eq!(dir_entries(site.root()), entries);
}

#[test]
fn failed_build_at_the_parse_stage_leaves_the_output_untouched() {
    assert_failed_build_changes_nothing(
        |site| site.edit("content/a.md", "title = \"甲\"", "title = 甲"),
        "[ROOT]/content/a.md:2:9: invalid front matter",
    );
}

#[test]
fn failed_build_at_the_render_stage_leaves_the_output_untouched() {
    assert_failed_build_changes_nothing(
        |site| {
            site.edit(
                "templates/page.html",
                "{{ page.title }}</h1>",
                "{{ page.no_such_field }}</h1>",
            )
        },
        "[ROOT]/templates/page.html:4:30: template error",
    );
}

#[test]
fn output_option_writes_to_another_folder() {
    let site = SiteTest::new("output");
    let elsewhere = site.root().parent().unwrap().join("deploy/site");
    let run = site.build(&["--output", elsewhere.to_str().unwrap()]);
    run.assert_success();
    assert!(
        run.stdout.contains("→ [TMP]/deploy/site ("),
        "{}",
        run.stdout
    );
    assert!(elsewhere.join("a/index.html").is_file());
    assert!(!site.public().exists());
    assert_eq!(dir_entries(&elsewhere.join("..")), ["site"]);
}

#[test]
fn library_build_reports_what_it_wrote() {
    let site = SiteTest::new("output");
    let report = site.build_lib(false).unwrap();
    assert_eq!(report.pages_per_language, [("zh".to_string(), 2)]);
    assert_eq!(report.files, 6);
    assert_eq!(
        (
            report.write.written,
            report.write.unchanged,
            report.write.removed
        ),
        (6, 0, 0)
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    site.remove("content/b.md");
    let report = site.build_lib(false).unwrap();
    // The sitemap changes; b/index.html goes.
    assert_eq!(
        (
            report.write.written,
            report.write.unchanged,
            report.write.removed
        ),
        (1, 4, 1)
    );

    site.edit("content/a.md", "+++\n", "+++\ndraft = true\n");
    let report = site.build_lib(false).unwrap();
    assert_eq!(report.pages_per_language, [("zh".to_string(), 0)]);
    let report = site.build_lib(true).unwrap();
    assert_eq!(report.pages_per_language, [("zh".to_string(), 1)]);
    site.write("content/a.md", "+++\ntitle = 1\n+++\n");
    let error = site.build_lib(false).unwrap_err();
    assert!(
        matches!(error, gazette::Error::FrontMatter { .. }),
        "{error:?}"
    );
}
