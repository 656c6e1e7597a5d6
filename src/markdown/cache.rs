//! Renders the Markdown of every page and section of a site, reusing the
//! previous build's result for any body whose text, permalink and
//! internal-link targets have not changed.
//!
//! A body's HTML depends only on its text, its first line (for error
//! locations), its permalink (table-of-contents links), the highlight
//! switch, and what each of its `@/` links resolved to. The cache records
//! those link resolutions, so a renamed target re-renders exactly the
//! bodies that link to it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{Markdown, MarkdownOptions, render_markdown};
use crate::content::{ContentSource, Site};
use crate::error::{Error, Result};

/// Rendered bodies by `(relative path, language)`.
#[derive(Default)]
pub struct MarkdownCache {
    entries: HashMap<(String, String), CachedBody>,
}

struct CachedBody {
    body: Arc<str>,
    first_line: usize,
    permalink: String,
    highlight: bool,
    /// Every `@/` link of the body and what it resolved to.
    links: Vec<(String, Option<String>)>,
    markdown: Arc<Markdown>,
}

impl MarkdownCache {
    fn lookup(
        &self,
        site: &Site,
        source: &ContentSource,
        lang: &str,
        permalink: &str,
    ) -> Option<Arc<Markdown>> {
        let entry = self
            .entries
            .get(&(source.relative_path.clone(), lang.to_string()))?;
        let same = (Arc::ptr_eq(&entry.body, &source.body) || entry.body == source.body)
            && entry.first_line == source.body_line
            && entry.permalink == permalink
            && entry.highlight == site.config.markdown.highlight_code
            && entry
                .links
                .iter()
                .all(|(path, url)| site.resolve_internal_link(path, lang) == *url);
        same.then(|| entry.markdown.clone())
    }
}

/// One body to render: its source, language and permalink.
type Body<'a> = (&'a ContentSource, &'a str, &'a str);

/// Renders one body, recording its `@/` links for the cache.
fn render_body(site: &Site, (source, lang, permalink): Body) -> Result<CachedBody> {
    let links = Mutex::new(Vec::new());
    let resolve = |path: &str| {
        let url = site.resolve_internal_link(path, lang);
        links
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), url.clone()));
        url
    };
    let markdown = render_markdown(
        &source.body,
        &MarkdownOptions {
            highlight: site.config.markdown.highlight_code,
            path: &source.path,
            first_line: source.body_line,
            permalink,
            resolve_link: &resolve,
        },
    )?;
    Ok(CachedBody {
        body: source.body.clone(),
        first_line: source.body_line,
        permalink: permalink.to_string(),
        highlight: site.config.markdown.highlight_code,
        links: links.into_inner().unwrap_or_else(|e| e.into_inner()),
        markdown: Arc::new(markdown),
    })
}

/// Renders every body of `site` (from `cache` where still valid), stores
/// them in the site, and refills `cache`. Returns how many bodies were
/// rendered afresh.
pub fn render_site_markdown(site: &mut Site, cache: &mut MarkdownCache) -> Result<usize> {
    let all_pages: Vec<usize> = (0..site.pages.len()).collect();
    let all_sections: Vec<usize> = (0..site.sections.len()).collect();
    let rendered = render_bodies(site, cache, &all_pages, &all_sections, true)?;
    // Forget bodies that are no longer in the site.
    let live: std::collections::HashSet<(&str, &str)> = site
        .pages
        .iter()
        .map(|p| (p.source.relative_path.as_str(), p.source.lang.as_str()))
        .chain(
            site.sections
                .iter()
                .map(|s| (s.source.relative_path.as_str(), s.lang.as_str())),
        )
        .collect();
    cache
        .entries
        .retain(|(path, lang), _| live.contains(&(path.as_str(), lang.as_str())));
    Ok(rendered)
}

/// Renders the bodies of the given pages and sections (from `cache` when
/// `use_cache` and still valid), stores them in the site and in `cache`.
/// Returns how many were rendered afresh.
pub fn render_bodies(
    site: &mut Site,
    cache: &mut MarkdownCache,
    pages: &[usize],
    sections: &[usize],
    use_cache: bool,
) -> Result<usize> {
    let site_ref = &*site;
    let cache_ref = &*cache;
    let render = |body: Body| -> Result<(Arc<Markdown>, Option<CachedBody>)> {
        if use_cache && let Some(markdown) = cache_ref.lookup(site_ref, body.0, body.1, body.2) {
            return Ok((markdown, None));
        }
        let entry = render_body(site_ref, body)?;
        Ok((entry.markdown.clone(), Some(entry)))
    };
    let page_results: Vec<_> = pages
        .par_iter()
        .map(|&i| {
            let p = &site_ref.pages[i];
            render((&p.source, &p.source.lang, &p.permalink))
        })
        .collect();
    let section_results: Vec<_> = sections
        .par_iter()
        .map(|&i| {
            let s = &site_ref.sections[i];
            render((&s.source, &s.lang, &s.permalink))
        })
        .collect();

    let mut errors = Vec::new();
    let mut rendered = 0;
    let mut store = |key: (String, String), entry: Option<CachedBody>| {
        if let Some(entry) = entry {
            rendered += 1;
            cache.entries.insert(key, entry);
        }
    };
    for (&i, result) in pages.iter().zip(page_results) {
        let page = &mut site.pages[i];
        match result {
            Ok((markdown, entry)) => {
                page.content = markdown;
                store(
                    (page.source.relative_path.clone(), page.source.lang.clone()),
                    entry,
                );
            }
            Err(e) => errors.push(e),
        }
    }
    for (&i, result) in sections.iter().zip(section_results) {
        let section = &mut site.sections[i];
        match result {
            Ok((markdown, entry)) => {
                section.content = markdown;
                store(
                    (section.source.relative_path.clone(), section.lang.clone()),
                    entry,
                );
            }
            // A section borrowed by another language reports its errors once.
            Err(e) if section.lang == section.source.lang => errors.push(e),
            Err(_) => {}
        }
    }
    Error::collect(errors)?;
    Ok(rendered)
}
