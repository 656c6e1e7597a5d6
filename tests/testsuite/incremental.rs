//! Incremental rebuilds (what `gazette serve` runs after each save) give
//! exactly the bytes of a full build of the same files, whatever changed,
//! and render only what the change can affect.

use std::collections::BTreeMap;
use std::path::PathBuf;

use gazette::BuildOptions;
use gazette::render::{OutputContents, RenderedSite};
use gazette::session::{Rebuild, RebuildKind, Session};

use crate::helpers::SiteTest;

const BASE_URL: &str = "http://127.0.0.1:1111";
const ARTICLE: &str = "content/news/2023-12-07-fuling-conference.md";
const ARTICLE_EN: &str = "content/news/2023-12-07-fuling-conference.en.md";

fn options(site: &SiteTest) -> BuildOptions {
    let mut options = BuildOptions::new(site.root());
    options.base_url = Some(BASE_URL.into());
    options
}

/// Output path → bytes (copied files read from their source).
fn contents(site: &RenderedSite) -> BTreeMap<String, Vec<u8>> {
    site.files
        .iter()
        .map(|f| {
            let bytes = match &f.contents {
                OutputContents::Bytes(b) => b.to_vec(),
                OutputContents::Copy(p) => std::fs::read(p).unwrap(),
            };
            (f.path.to_string(), bytes)
        })
        .collect()
}

/// A session on the sample site, after its first build.
fn session(site: &SiteTest) -> Session {
    let mut session = Session::new(options(site));
    session.build_all().expect("the sample site builds");
    session
}

/// Rebuilds after `changed` (site-relative paths), then checks the result
/// against a from-scratch build of the same files.
#[track_caller]
fn rebuild_matches_full_build(session: &mut Session, site: &SiteTest, changed: &[&str]) -> Rebuild {
    let paths: Vec<PathBuf> = changed.iter().map(|p| site.path(p)).collect();
    let rebuild = session
        .rebuild(&paths)
        .expect("the rebuild succeeds")
        .expect("the change is a change of the site");
    let full = Session::new(options(site)).build_all().expect("full build");
    let (incremental, full) = (contents(&rebuild.site), contents(&full.site));
    let incremental_paths: Vec<&String> = incremental.keys().collect();
    let full_paths: Vec<&String> = full.keys().collect();
    assert_eq!(incremental_paths, full_paths, "same output files");
    for (path, bytes) in &full {
        assert!(
            incremental[path] == *bytes,
            "{path} differs from a full build after {changed:?}:\n--- incremental\n{}\n--- full\n{}",
            String::from_utf8_lossy(&incremental[path]),
            String::from_utf8_lossy(bytes)
        );
    }
    rebuild
}

fn page<'a>(rebuild: &'a Rebuild, path: &str) -> &'a str {
    let file = rebuild
        .site
        .files
        .iter()
        .find(|f| &*f.path == path)
        .unwrap_or_else(|| panic!("no output {path}"));
    match &file.contents {
        OutputContents::Bytes(b) => std::str::from_utf8(b).unwrap(),
        OutputContents::Copy(_) => panic!("{path} is a copied file"),
    }
}

#[test]
fn body_edit_rerenders_only_the_pages_that_show_it() {
    let site = SiteTest::sample();
    let mut session = session(&site);
    site.edit(ARTICLE, "会议回顾了", "会议首先回顾了");
    let rebuild = rebuild_matches_full_build(&mut session, &site, &[ARTICLE]);
    assert_eq!(rebuild.kind, RebuildKind::Bodies);
    assert_eq!(rebuild.bodies, 1);
    assert!(page(&rebuild, "news/fuling-conference/index.html").contains("会议首先回顾了"));
    // The article, the zh news list, the zh home (which lists news), its
    // tag pages, the zh tag list and the zh feed: not the English side.
    assert!(
        rebuild.stats.rendered <= 8 && rebuild.stats.reused >= 25,
        "{:?}",
        rebuild.stats
    );
    assert!(
        rebuild
            .changed_outputs
            .iter()
            .all(|p| !p.starts_with("en/"))
    );
}

#[test]
fn title_edit_reaches_lists_and_the_translations_language_switcher() {
    let site = SiteTest::sample();
    let mut session = session(&site);
    site.edit(
        ARTICLE,
        "title = \"全市产改现场会在涪陵举行 部署深化改革重点任务\"",
        "title = \"涪陵现场会：新标题\"",
    );
    let rebuild = rebuild_matches_full_build(&mut session, &site, &[ARTICLE]);
    assert_eq!(rebuild.kind, RebuildKind::Reassembled);
    assert!(page(&rebuild, "en/news/fuling-conference/index.html").contains("涪陵现场会：新标题"));
    assert!(page(&rebuild, "news/index.html").contains("涪陵现场会：新标题"));
}

#[test]
fn added_deleted_and_renamed_pages_appear_and_vanish_everywhere() {
    let site = SiteTest::sample();
    let mut session = session(&site);

    let new = "content/news/2023-12-09-new-article.md";
    site.write(
        new,
        "+++\ntitle = \"新增文章\"\ndate = 2023-12-09\ntags = [\"新标签\"]\n+++\n\n正文。\n",
    );
    let rebuild = rebuild_matches_full_build(&mut session, &site, &[new]);
    assert!(page(&rebuild, "news/index.html").contains("新增文章"));
    assert!(
        rebuild
            .changed_outputs
            .iter()
            .any(|p| p == "tags/新标签/index.html")
    );

    site.rename(new, "content/news/2023-12-09-renamed.md");
    let rebuild = rebuild_matches_full_build(
        &mut session,
        &site,
        &[new, "content/news/2023-12-09-renamed.md"],
    );
    assert!(
        rebuild
            .changed_outputs
            .iter()
            .any(|p| p == "news/new-article/index.html")
    );
    assert!(page(&rebuild, "news/index.html").contains("/news/renamed/"));

    site.remove("content/news/2023-12-09-renamed.md");
    let rebuild =
        rebuild_matches_full_build(&mut session, &site, &["content/news/2023-12-09-renamed.md"]);
    assert!(!page(&rebuild, "news/index.html").contains("新增文章"));
    assert!(!rebuild.site.files.iter().any(|f| f.path.contains("新标签")));
}

#[test]
fn folders_moved_in_and_out_bring_and_take_their_bundle_pages_and_assets() {
    let site = SiteTest::sample();
    let mut session = session(&site);
    let outside = site.root().parent().unwrap().join("new-worker");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("index.md"),
        "+++\ntitle = \"新工匠\"\n+++\n\n![像](photo.svg)\n",
    )
    .unwrap();
    std::fs::write(
        outside.join("photo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let folder = "content/workers/new-worker";
    std::fs::rename(&outside, site.path(folder)).unwrap();
    let rebuild = rebuild_matches_full_build(&mut session, &site, &[folder]);
    assert!(
        rebuild
            .changed_outputs
            .iter()
            .any(|p| p == "workers/new-worker/photo.svg")
    );
    assert!(page(&rebuild, "workers/index.html").contains("新工匠"));

    std::fs::rename(site.path(folder), &outside).unwrap();
    let rebuild = rebuild_matches_full_build(&mut session, &site, &[folder]);
    assert!(
        !rebuild
            .site
            .files
            .iter()
            .any(|f| f.path.contains("new-worker"))
    );
    assert!(!page(&rebuild, "workers/index.html").contains("新工匠"));
}

#[test]
fn template_static_i18n_and_config_edits_match_full_builds() {
    let site = SiteTest::sample();
    let mut session = session(&site);

    let footer = "themes/default/templates/partials/footer.html";
    let text = site.read_source(footer);
    site.write(footer, &format!("{text}<!-- footer edited -->\n"));
    let rebuild = rebuild_matches_full_build(&mut session, &site, &[footer]);
    assert_eq!(rebuild.kind, RebuildKind::Unchanged);
    // Every page includes the footer (through base.html); feeds do not.
    assert!(page(&rebuild, "en/about/index.html").contains("footer edited"));
    assert!(!rebuild.changed_outputs.iter().any(|p| p == "atom.xml"));

    let css = "themes/default/static/style.css";
    let text = site.read_source(css);
    site.write(css, &format!("{text}\nbody {{ outline: 0; }}\n"));
    let rebuild = rebuild_matches_full_build(&mut session, &site, &[css]);
    assert_eq!(rebuild.changed_outputs, vec!["style.css".to_string()]);

    let i18n = "themes/default/i18n/en.toml";
    site.edit(i18n, "=", "= ");
    let rebuild = rebuild_matches_full_build(&mut session, &site, &[i18n]);
    assert_eq!(rebuild.kind, RebuildKind::Full);

    site.edit("config.toml", "title = \"", "title = \"★");
    let rebuild = rebuild_matches_full_build(&mut session, &site, &["config.toml"]);
    assert_eq!(rebuild.kind, RebuildKind::Full);
    assert!(page(&rebuild, "index.html").contains('★'));
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_site_and_the_fix_catches_up() {
    let site = SiteTest::sample();
    let mut session = session(&site);
    let good = contents(session.output().unwrap());

    site.edit(ARTICLE, "date = 2023-12-07", "date = 2023-13-45");
    let error = session
        .rebuild(&[site.path(ARTICLE)])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("2023-12-07-fuling-conference.md:4:"),
        "{error}"
    );
    assert_eq!(
        contents(session.output().unwrap()),
        good,
        "last good site kept"
    );

    // Other saves while it is broken are not lost.
    site.edit(ARTICLE_EN, "Chongqing convened", "Chongqing held");
    assert!(session.rebuild(&[site.path(ARTICLE_EN)]).is_err());

    site.edit(ARTICLE, "date = 2023-13-45", "date = 2023-12-07");
    let rebuild = rebuild_matches_full_build(&mut session, &site, &[ARTICLE]);
    assert!(page(&rebuild, "en/news/fuling-conference/index.html").contains("Chongqing held"));

    let page_template = "themes/default/templates/page.html";
    let text = site.read_source(page_template);
    site.write(page_template, &format!("{text}{{{{ nope( }}\n"));
    let error = session
        .rebuild(&[site.path(page_template)])
        .unwrap_err()
        .to_string();
    assert!(error.contains("page.html:"), "{error}");
    site.write(page_template, &text);
    rebuild_matches_full_build(&mut session, &site, &[page_template]);
}

#[test]
fn editor_temp_files_and_unchanged_saves_cause_no_rebuild() {
    let site = SiteTest::sample();
    let mut session = session(&site);
    for temp in [
        "content/news/.2023-12-07-fuling-conference.md.swp",
        "content/news/2023-12-07-fuling-conference.md~",
        "content/news/4913",
        "content/news/2023-12-07-fuling-conference.md___jb_tmp___",
        "themes/default/templates/.page.html.swx",
    ] {
        site.write(temp, "half-written");
        let result = session.rebuild(&[site.path(temp)]).unwrap();
        assert!(result.is_none(), "{temp} caused a rebuild");
    }
    // Saving a file without changing it is not a change either.
    let text = site.read_source(ARTICLE);
    site.write(ARTICLE, &text);
    assert!(session.rebuild(&[site.path(ARTICLE)]).unwrap().is_none());
}

#[test]
fn section_body_edit_takes_the_fast_path() {
    let site = SiteTest::sample();
    let mut session = session(&site);
    let index = "content/news/_index.en.md";
    let text = site.read_source(index);
    site.write(index, &format!("{text}\nOne more line about the news.\n"));
    let rebuild = rebuild_matches_full_build(&mut session, &site, &[index]);
    assert_eq!(rebuild.kind, RebuildKind::Bodies);
}

#[test]
fn the_whole_content_folder_replaced_is_read_again() {
    let site = SiteTest::sample();
    let mut session = session(&site);
    let away = site.root().parent().unwrap().join("content-away");
    std::fs::rename(site.path("content"), &away).unwrap();
    std::fs::write(
        away.join("news/2023-12-10-branch.md"),
        "+++\ntitle = \"另一分支的文章\"\n+++\n\n正文。\n",
    )
    .unwrap();
    std::fs::rename(&away, site.path("content")).unwrap();
    let rebuild = rebuild_matches_full_build(&mut session, &site, &["content"]);
    assert_eq!(rebuild.kind, RebuildKind::Full);
    assert!(page(&rebuild, "news/index.html").contains("另一分支的文章"));
}

#[test]
fn a_page_that_fails_to_render_keeps_failing_until_its_own_fix() {
    let site = SiteTest::sample();
    let template = "themes/default/templates/page.html";
    site.edit(
        template,
        "{% block content %}",
        "{% block content %}{% if \"BOOM\" in page.content %}{{ throw(message=\"the body says BOOM\") }}{% endif %}",
    );
    let mut session = session(&site);
    site.edit(ARTICLE, "会议回顾了", "BOOM 会议回顾了");
    let Err(error) = session.rebuild(&[site.path(ARTICLE)]) else {
        panic!("the page with BOOM should fail");
    };
    assert!(error.to_string().contains("BOOM"), "{error}");

    // Another article's save must not hide that the first still fails,
    // as a full build would.
    let other = "content/news/2023-12-08-enterprise-visit.md";
    let text = site.read_source(other);
    site.write(other, &format!("{text}\n又一段。\n"));
    let Err(error) = session.rebuild(&[site.path(other)]) else {
        panic!("a full build would still fail on the BOOM page");
    };
    assert!(error.to_string().contains("BOOM"), "{error}");

    site.edit(ARTICLE, "BOOM 会议回顾了", "会议回顾了");
    rebuild_matches_full_build(&mut session, &site, &[ARTICLE]);
}

/// A small deterministic random sequence (xorshift), so a failure
/// replays exactly.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % sides as u64) as usize
    }
}

#[test]
fn random_sequences_of_edits_always_match_full_builds() {
    // Other seeds were tried too (1, 777, 12345, 42424242, 987654321).
    let site = SiteTest::sample();
    let mut session = session(&site);
    let mut dice = Dice(0x6761_7a65_7474_6521);
    let articles = [
        "content/news/2023-12-07-fuling-conference.md",
        "content/news/2023-12-07-fuling-conference.en.md",
        "content/news/2023-12-08-enterprise-visit.md",
        "content/about.en.md",
        "content/workers/xu-chunlin/index.md",
        "content/news/_index.md",
    ];
    let mut added: Vec<String> = Vec::new();
    for step in 0..40 {
        let changed: Vec<String> = match dice.roll(7) {
            // A body edit.
            0 | 1 => {
                let file = articles[dice.roll(articles.len())];
                let text = site.read_source(file);
                site.write(file, &format!("{text}\n第 {step} 步的新段落。\n"));
                vec![file.to_string()]
            }
            // A front matter edit: a new description.
            2 => {
                let file = articles[dice.roll(articles.len())];
                let text = site.read_source(file);
                let text = text.replacen(
                    "+++\n",
                    &format!("+++\ndescription = \"第 {step} 步\"\n"),
                    1,
                );
                // Keep one description line only.
                let mut seen = false;
                let text: String = text
                    .split_inclusive('\n')
                    .filter(|line| {
                        let first = !seen || !line.starts_with("description = ");
                        seen |= line.starts_with("description = ");
                        first
                    })
                    .collect();
                site.write(file, &text);
                vec![file.to_string()]
            }
            // A new article, with a tag some other articles have.
            3 => {
                let file = format!("content/news/2023-12-{:02}-step-{step}.md", 10 + step % 18);
                site.write(
                    &file,
                    &format!(
                        "+++\ntitle = \"第 {step} 步\"\ntags = [\"涪陵\"]\n+++\n\n正文 {step}。\n"
                    ),
                );
                added.push(file.clone());
                vec![file]
            }
            // One of those deleted or renamed.
            4 | 5 if !added.is_empty() => {
                let file = added.remove(dice.roll(added.len()));
                if dice.roll(2) == 0 {
                    site.remove(&file);
                    vec![file]
                } else {
                    let to = file.replace(".md", "-moved.md");
                    site.rename(&file, &to);
                    added.push(to.clone());
                    vec![file, to]
                }
            }
            // A template edit.
            _ => {
                let file = "themes/default/templates/partials/footer.html";
                let text = site.read_source(file);
                site.write(file, &format!("{text}<!-- step {step} -->\n"));
                vec![file.to_string()]
            }
        };
        let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
        rebuild_matches_full_build(&mut session, &site, &changed);
    }
}

#[test]
fn a_broken_config_fails_every_rebuild_until_it_is_fixed() {
    let site = SiteTest::sample();
    let mut session = session(&site);
    site.edit("config.toml", "default_language", "default_langauge");
    let Err(error) = session.rebuild(&[site.path("config.toml")]) else {
        panic!("an unknown config key fails the build");
    };
    assert!(error.to_string().contains("config.toml:"), "{error}");
    let text = site.read_source(ARTICLE);
    site.write(ARTICLE, &format!("{text}\n新的一段。\n"));
    assert!(
        session.rebuild(&[site.path(ARTICLE)]).is_err(),
        "a content save while config.toml is broken still fails"
    );
    site.edit("config.toml", "default_langauge", "default_language");
    rebuild_matches_full_build(&mut session, &site, &["config.toml"]);
}

#[test]
fn an_unreadable_save_fails_every_rebuild_until_it_is_fixed() {
    let site = SiteTest::sample();
    let mut session = session(&site);
    let good = site.read_source(ARTICLE);
    std::fs::write(site.path(ARTICLE), b"+++\ntitle = \"\xff\xfe\"\n+++\n").unwrap();
    assert!(session.rebuild(&[site.path(ARTICLE)]).is_err(), "not UTF-8");
    let text = site.read_source(ARTICLE_EN);
    site.write(ARTICLE_EN, &format!("{text}\nOne more line.\n"));
    assert!(
        session.rebuild(&[site.path(ARTICLE_EN)]).is_err(),
        "a full build would still fail on the unreadable file"
    );
    site.write(ARTICLE, &good);
    rebuild_matches_full_build(&mut session, &site, &[ARTICLE]);
}
