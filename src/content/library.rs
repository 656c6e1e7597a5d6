//! Assembles parsed content files into a [`Site`]: URLs, section
//! membership and order, translations, taxonomies, aliases, and the check
//! that no two outputs share a URL.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDateTime;

use super::front_matter::{ParsedFile, split_date_prefix};
use super::load::{ContentKind, LoadedContent, SourceFile};
use super::text::slugify;
use super::{Alias, ContentSource, FrontMatter, Page, Section, Site, SortBy, Taxonomy, Term};
use crate::config::Config;
use crate::error::{Error, Location, Result};

/// Which pages the build keeps.
#[derive(Debug, Clone, Copy)]
pub struct BuildFilter {
    /// Keep drafts and pages dated in the future.
    pub include_drafts: bool,
    /// The moment that counts as now, for future-dated pages.
    pub now: NaiveDateTime,
}

/// Builds the site model from parsed content files.
pub fn assemble_site(
    config: &Config,
    content: &LoadedContent,
    parsed: &[ParsedFile],
    filter: BuildFilter,
) -> Result<Site> {
    let mut section_files = Vec::new();
    let mut page_files = Vec::new();
    for (file, parsed) in content.files.iter().zip(parsed) {
        match file.kind {
            ContentKind::Section => section_files.push((file, parsed)),
            ContentKind::Page => page_files.push((file, parsed)),
        }
    }

    let mut sections = build_sections(config, section_files);
    let section_by_dir: HashMap<(String, String), usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.dir.clone(), s.lang.clone()), i))
        .collect();
    let section_dirs: BTreeSet<String> = sections.iter().map(|s| s.dir.clone()).collect();
    for i in 0..sections.len() {
        if !sections[i].dir.is_empty() {
            let parent_dir = nearest_section_dir(&section_dirs, parent_of(&sections[i].dir));
            let parent = section_by_dir[&(parent_dir, sections[i].lang.clone())];
            sections[i].parent = Some(parent);
            sections[parent].subsections.push(i);
        }
    }

    let mut withheld_bundles = Vec::new();
    let mut pages = Vec::new();
    for (file, parsed) in page_files {
        let (name_date, name) = page_name(file);
        let date = parsed.front_matter.date.or(name_date);
        let is_future = date.is_some_and(|d| d.datetime > filter.now);
        if !filter.include_drafts && (parsed.front_matter.draft || is_future) {
            withheld_bundles.extend(file.bundle_dir.clone());
            continue;
        }
        let url_dir = match &file.bundle_dir {
            Some(bundle) => parent_of(bundle).to_string(),
            None => parent_of(&file.relative_path).to_string(),
        };
        let section_dir = nearest_section_dir(&section_dirs, &url_dir);
        let section = section_by_dir[&(section_dir, file.lang.clone())];
        let slug = parsed
            .front_matter
            .slug
            .clone()
            .unwrap_or_else(|| name.replace(' ', "-"));
        let mut path = config.language_prefix(&file.lang);
        if !url_dir.is_empty() {
            path.push_str(&url_dir);
            path.push('/');
        }
        path.push_str(&slug);
        path.push('/');
        pages.push(Page {
            permalink: config.permalink(&path),
            path,
            slug,
            date,
            section,
            translations: Vec::new(),
            assets: Vec::new(),
            content: Default::default(),
            meta: parsed.front_matter.clone(),
            source: source_of(file, parsed),
        });
    }

    // Bundle files go with their page (in every language); files of withheld
    // bundles are not published at all.
    let mut pages_of_bundle: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        if let Some(bundle) = bundle_dir_of(page) {
            pages_of_bundle
                .entry(bundle.to_string())
                .or_default()
                .push(i);
        }
    }
    let withheld: BTreeSet<String> = withheld_bundles.into_iter().collect();
    let mut assets = Vec::new();
    for asset in &content.assets {
        // The bundle an asset belongs to is the nearest folder above it
        // that holds a bundle's index.md.
        let mut dir = parent_of(&asset.relative_path);
        let mut owner = None;
        while !dir.is_empty() {
            if pages_of_bundle.contains_key(dir) || withheld.contains(dir) {
                owner = Some(dir.to_string());
                break;
            }
            dir = parent_of(dir);
        }
        match owner {
            Some(bundle) => {
                for &i in pages_of_bundle.get(&bundle).into_iter().flatten() {
                    pages[i].assets.push(asset.clone());
                }
            }
            None => assets.push(asset.clone()),
        }
    }

    link_translations(
        config,
        &mut pages,
        |p| &p.source.translation_key,
        |p| &p.source.lang,
        |p, t| p.translations = t,
    );
    link_translations(
        config,
        &mut sections,
        |s| &s.source.translation_key,
        |s| &s.lang,
        |s, t| s.translations = t,
    );

    for (i, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(i);
    }
    for section in &mut sections {
        sort_pages(&mut section.pages, section.meta.sort_by, &pages);
    }

    // A language that has pages in a section but no `_index.<lang>.md`
    // shows the default language's title there: worth telling the editor.
    let warnings = sections
        .iter()
        .filter(|s| s.lang != s.source.lang && !s.pages.is_empty() && !s.source.relative_path.is_empty())
        .map(|s| {
            let stem = s.source.relative_path.trim_end_matches(".md");
            let stem = stem.strip_suffix(&format!(".{}", s.source.lang)).unwrap_or(stem);
            format!(
                "{}: the `{}` pages of this section have no content/{stem}.{}.md, so their list page uses this file's title",
                Location::file(&s.source.path),
                s.lang,
                s.lang
            )
        })
        .collect();

    let taxonomies = build_taxonomies(config, &pages)?;
    let aliases = pages
        .iter()
        .flat_map(|p| {
            p.meta.aliases.iter().map(|a| Alias {
                path: normalize_alias(a),
                target: p.permalink.clone(),
                source: p.source.path.clone(),
                lang: p.source.lang.clone(),
            })
        })
        .collect();

    let mut page_index = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        page_index.insert(page.source.relative_path.clone(), i);
        page_index
            .entry(page.source.translation_key.clone())
            .or_insert(i);
    }
    let mut section_index = HashMap::new();
    for (i, section) in sections.iter().enumerate() {
        if section.lang == section.source.lang {
            section_index.insert(section.source.relative_path.clone(), i);
        }
        section_index
            .entry(section.source.translation_key.clone())
            .or_insert(i);
    }

    let site = Site {
        config: config.clone(),
        pages,
        sections,
        taxonomies,
        aliases,
        assets,
        page_index,
        section_index,
        warnings,
    };
    check_unique_urls(&site)?;
    Ok(site)
}

fn source_of(file: &SourceFile, parsed: &ParsedFile) -> ContentSource {
    ContentSource {
        path: file.path.clone(),
        relative_path: file.relative_path.clone(),
        translation_key: file.translation_key.clone(),
        lang: file.lang.clone(),
        body: parsed.body.clone(),
        body_line: parsed.body_line,
    }
}

fn bundle_dir_of(page: &Page) -> Option<&str> {
    let key = &page.source.translation_key;
    key.strip_suffix("/index.md")
}

/// The file or bundle name of a page without its `.md` and language suffix,
/// split from a leading date.
fn page_name(file: &SourceFile) -> (Option<super::ContentDate>, String) {
    let name = match &file.bundle_dir {
        Some(bundle) => bundle.rsplit('/').next().unwrap_or(bundle),
        None => {
            let key = file.translation_key.trim_end_matches(".md");
            key.rsplit('/').next().unwrap_or(key)
        }
    };
    let (date, rest) = split_date_prefix(name);
    (date, rest.to_string())
}

fn parent_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn nearest_section_dir(section_dirs: &BTreeSet<String>, mut dir: &str) -> String {
    loop {
        if section_dirs.contains(dir) || dir.is_empty() {
            return dir.to_string();
        }
        dir = parent_of(dir);
    }
}

/// One section per folder with an `_index.md` (plus the home page) and per
/// language; a language without its own `_index.<lang>.md` borrows the
/// default language's front matter and body.
fn build_sections(config: &Config, files: Vec<(&SourceFile, &ParsedFile)>) -> Vec<Section> {
    let mut by_dir: BTreeMap<String, Vec<(&SourceFile, &ParsedFile)>> = BTreeMap::new();
    by_dir.entry(String::new()).or_default();
    for (file, parsed) in files {
        let dir = parent_of(&file.relative_path).to_string();
        by_dir.entry(dir).or_default().push((file, parsed));
    }
    let mut sections = Vec::new();
    for (dir, files) in by_dir {
        for lang in &config.languages {
            let chosen = files
                .iter()
                .find(|(f, _)| f.lang == lang.code)
                .or_else(|| {
                    files
                        .iter()
                        .find(|(f, _)| f.lang == config.default_language)
                })
                .or_else(|| files.first());
            let (source, meta) = match chosen {
                Some((file, parsed)) => (source_of(file, parsed), parsed.front_matter.clone()),
                None => {
                    let relative_path = "_index.md".to_string();
                    let source = ContentSource {
                        path: std::path::PathBuf::from("content/_index.md"),
                        translation_key: relative_path.clone(),
                        relative_path,
                        lang: config.default_language.clone(),
                        body: "".into(),
                        body_line: 1,
                    };
                    (source, FrontMatter::default())
                }
            };
            let mut path = config.language_prefix(&lang.code);
            if !dir.is_empty() {
                path.push_str(&dir);
                path.push('/');
            }
            sections.push(Section {
                source,
                meta,
                dir: dir.clone(),
                lang: lang.code.clone(),
                permalink: config.permalink(&path),
                path,
                pages: Vec::new(),
                subsections: Vec::new(),
                parent: None,
                translations: Vec::new(),
                content: Default::default(),
            });
        }
    }
    sections
}

fn link_translations<T>(
    config: &Config,
    items: &mut [T],
    key: impl Fn(&T) -> &String,
    lang: impl Fn(&T) -> &String,
    set: impl Fn(&mut T, Vec<usize>),
) {
    let order = |code: &str| config.languages.iter().position(|l| l.code == code);
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        // Sections borrowed by another language share a translation key but
        // are told apart by their own language.
        groups.entry(key(item).clone()).or_default().push(i);
    }
    for group in groups.into_values() {
        let mut sorted = group.clone();
        sorted.sort_by_key(|&i| order(lang(&items[i])));
        for &i in &group {
            set(&mut items[i], sorted.clone());
        }
    }
}

fn sort_pages(list: &mut [usize], sort_by: SortBy, pages: &[Page]) {
    let path = |i: usize| pages[i].source.relative_path.as_str();
    let by_path = |a: &usize, b: &usize| path(*a).cmp(path(*b));
    match sort_by {
        SortBy::Date => list.sort_by(|a, b| {
            pages[*b]
                .date
                .cmp(&pages[*a].date)
                .then_with(|| by_path(a, b))
        }),
        SortBy::Weight => list.sort_by(|a, b| {
            let weight = |i: usize| (pages[i].meta.weight.is_none(), pages[i].meta.weight);
            weight(*a).cmp(&weight(*b)).then_with(|| by_path(a, b))
        }),
        SortBy::Title => list.sort_by(|a, b| {
            let title = |i: usize| pages[i].meta.title.as_deref().unwrap_or("");
            title(*a).cmp(title(*b)).then_with(|| by_path(a, b))
        }),
        SortBy::None => list.sort_by(by_path),
    }
}

fn build_taxonomies(config: &Config, pages: &[Page]) -> Result<Vec<Taxonomy>> {
    let mut errors = Vec::new();
    for page in pages {
        let declared = &config
            .language(&page.source.lang)
            .expect("page language is declared")
            .taxonomies;
        for (name, (_, at)) in &page.meta.taxonomies {
            if !declared.iter().any(|t| &t.name == name) {
                errors.push(Error::FrontMatter {
                    at: at.clone(),
                    message: format!(
                        "`{name}` is neither a front matter key nor a taxonomy of language `{}`",
                        page.source.lang
                    ),
                    help: format!(
                        "declare it in config.toml (taxonomies = [{{ name = \"{name}\" }}]) or move it under [extra]"
                    ),
                });
            }
        }
    }
    Error::collect(errors)?;

    let mut taxonomies = Vec::new();
    for lang in &config.languages {
        for taxonomy in &lang.taxonomies {
            let path = format!("{}{}/", config.language_prefix(&lang.code), taxonomy.name);
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            for (i, page) in pages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.source.lang == lang.code)
            {
                let Some((names, _)) = page.meta.taxonomies.get(&taxonomy.name) else {
                    continue;
                };
                for name in names {
                    let slug = slugify(name);
                    let term = terms.entry(slug.clone()).or_insert_with(|| {
                        let term_path = format!("{path}{slug}/");
                        Term {
                            name: name.clone(),
                            permalink: config.permalink(&term_path),
                            path: term_path,
                            slug,
                            pages: Vec::new(),
                        }
                    });
                    if !term.pages.contains(&i) {
                        term.pages.push(i);
                    }
                }
            }
            let mut terms: Vec<Term> = terms.into_values().collect();
            for term in &mut terms {
                sort_pages(&mut term.pages, SortBy::Date, pages);
            }
            terms.sort_by(|a, b| a.name.cmp(&b.name));
            let term_index = terms
                .iter()
                .enumerate()
                .map(|(i, t)| (t.slug.clone(), i))
                .collect();
            taxonomies.push(Taxonomy {
                term_index,
                name: taxonomy.name.clone(),
                lang: lang.code.clone(),
                permalink: config.permalink(&path),
                path,
                paginate_by: taxonomy.paginate_by,
                terms,
            });
        }
    }
    Ok(taxonomies)
}

fn normalize_alias(alias: &str) -> String {
    let trimmed = alias.trim_matches('/');
    if trimmed.ends_with(".html") {
        format!("/{trimmed}")
    } else {
        format!("/{trimmed}/")
    }
}

fn check_unique_urls(site: &Site) -> Result<()> {
    let mut claims: Vec<(&str, Location)> = Vec::new();
    for section in &site.sections {
        claims.push((&section.path, Location::file(&section.source.path)));
    }
    for page in &site.pages {
        claims.push((&page.path, Location::file(&page.source.path)));
    }
    for alias in &site.aliases {
        claims.push((&alias.path, Location::file(&alias.source)));
    }
    for taxonomy in &site.taxonomies {
        claims.push((&taxonomy.path, Location::file(&site.config.path)));
    }
    let mut claimed: HashMap<&str, Location> = HashMap::new();
    let mut errors = Vec::new();
    for (path, at) in claims {
        match claimed.get(path) {
            Some(first) => errors.push(Error::DuplicateUrl {
                url: path.to_string(),
                first: first.clone(),
                second: at,
            }),
            None => {
                claimed.insert(path, at);
            }
        }
    }
    Error::collect(errors)
}
