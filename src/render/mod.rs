//! The render stage: the assembled [`Site`] through the Tera templates into
//! a list of [`OutputFile`]s held in memory. Nothing here writes to disk.
//!
//! Every output is an independent job, rendered in parallel with rayon.
//! Templates, functions and the shared page values are set up once. A
//! [`RenderMemo`] from the previous render lets a rebuild render only the
//! jobs whose inputs changed (see [`memo`]); a full build starts from an
//! empty memo, so both go through the same code.

pub mod context;
pub mod functions;
pub mod i18n;
mod jobs;
pub mod memo;
mod paginate;
mod sitemap;
pub mod templates;

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Tera;

use crate::content::{Page, Section, Site};
use crate::error::{Error, Location, Result};
use crate::markdown::highlight::theme_css;
use context::SiteValues;
use i18n::I18n;
use jobs::Renderer;
pub use memo::RenderMemo;
use templates::TemplateSources;

/// What a file of the output holds.
#[derive(Clone, PartialEq, Eq)]
pub enum OutputContents {
    /// Rendered bytes, shared between renders that reuse them.
    Bytes(Arc<[u8]>),
    /// A source file copied as is (static files, images).
    Copy(PathBuf),
}

impl std::fmt::Debug for OutputContents {
    /// The size, not the bytes: a site's worth of bytes helps no one.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputContents::Bytes(bytes) => write!(f, "Bytes(<{} bytes>)", bytes.len()),
            OutputContents::Copy(path) => f.debug_tuple("Copy").field(path).finish(),
        }
    }
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated, no leading slash.
    /// Shared: a rebuild copies the list of 10,000 paths cheaply.
    pub path: Arc<str>,
    /// Its contents.
    pub contents: OutputContents,
}

/// The render stage's result.
#[derive(Debug)]
pub struct RenderedSite {
    /// Every file of the site, sorted by path, one entry per path.
    pub files: Vec<OutputFile>,
    /// Non-fatal problems (missing i18n keys).
    pub warnings: Vec<String>,
}

/// What template functions read: the site, its values, the UI strings.
pub struct RenderData {
    /// The assembled site.
    pub site: Site,
    /// Prebuilt template values of pages and sections.
    pub values: SiteValues,
    /// UI strings.
    pub i18n: I18n,
    /// Each language's feed pages (newest first), worked out once per
    /// site: they depend on dates, which a body edit cannot change.
    pub feed_pages: std::sync::OnceLock<std::collections::HashMap<String, Vec<usize>>>,
}

impl RenderData {
    /// The data of a render of `site`.
    pub fn new(site: Site, values: SiteValues, i18n: I18n) -> RenderData {
        RenderData {
            site,
            values,
            i18n,
            feed_pages: Default::default(),
        }
    }

    /// The pages of `lang`'s feed, newest first.
    pub fn feed_pages(&self, lang: &str) -> &[usize] {
        let site = &self.site;
        let all = self.feed_pages.get_or_init(|| {
            site.config
                .languages
                .iter()
                .map(|l| {
                    let mut pages: Vec<usize> = (0..site.pages.len())
                        .filter(|&i| {
                            site.pages[i].source.lang == l.code && site.pages[i].date.is_some()
                        })
                        .collect();
                    pages.sort_by(|&a, &b| {
                        site.pages[b].date.cmp(&site.pages[a].date).then(a.cmp(&b))
                    });
                    pages.truncate(site.config.feed_limit);
                    (l.code.clone(), pages)
                })
                .collect()
        });
        all.get(lang).map_or(&[], Vec::as_slice)
    }

    /// Permalink of the content at `path` (inside `content/`) in `lang`.
    pub fn resolve_content_path(&self, path: &str, lang: &str) -> Option<String> {
        self.site.resolve_internal_link(path, lang)
    }
}

/// How much of a render was new.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// Outputs rendered through their template.
    pub rendered: usize,
    /// Outputs whose inputs had not changed, reused from the memo.
    pub reused: usize,
}

/// Templates compiled once and reused by every render until they change.
pub struct CompiledTemplates {
    tera: Tera,
    sources: TemplateSources,
    /// [`TemplateSources::revisions`], worked out once per compile.
    revisions: std::collections::HashMap<String, u64>,
    slot: functions::DataSlot,
}

impl CompiledTemplates {
    /// Compiles `templates` with Gazette's functions registered.
    pub fn new(templates: &TemplateSources) -> Result<CompiledTemplates> {
        let slot = functions::DataSlot::default();
        let mut tera = Tera::new();
        functions::register(&mut tera, &slot);
        templates.compile_into(&mut tera)?;
        Ok(CompiledTemplates {
            tera,
            sources: templates.clone(),
            revisions: templates.revisions(),
            slot,
        })
    }

    /// The sources these were compiled from.
    pub fn sources(&self) -> &TemplateSources {
        &self.sources
    }
}

/// Puts the data of a render where the template functions find it, and
/// takes it away again when the render ends, however it ends.
struct SlotGuard<'a>(&'a functions::DataSlot);

impl<'a> SlotGuard<'a> {
    fn fill(slot: &'a functions::DataSlot, data: &Arc<RenderData>) -> Self {
        *slot.write().unwrap_or_else(|e| e.into_inner()) = Some(data.clone());
        SlotGuard(slot)
    }
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// What changed since the previous render, when only Markdown bodies did:
/// then only the outputs that show those pages and sections need a look,
/// and the previous output's file list is patched instead of rebuilt.
pub struct BodyChanges<'a> {
    /// Indices of pages whose body changed.
    pub pages: &'a [usize],
    /// Indices of sections whose body changed.
    pub sections: &'a [usize],
    /// The previous render's output.
    pub previous: &'a RenderedSite,
}

/// Renders every output of `data`, reusing from `memo` each output whose
/// inputs did not change, and leaves in `memo` what this render made.
/// On error, `memo` is left as it was.
pub fn render(
    data: &Arc<RenderData>,
    compiled: &CompiledTemplates,
    static_files: &[OutputFile],
    memo: &mut RenderMemo,
    body_changes: Option<BodyChanges>,
) -> Result<(RenderedSite, RenderStats)> {
    let site = &data.site;
    let templates = &compiled.sources;
    let renderer = Renderer::new(data, &compiled.tera, templates, &compiled.revisions);
    let jobs = renderer.jobs();
    // When only bodies changed, the jobs are those of the last render, in
    // the same order: each untouched one keeps its entry without even a
    // fingerprint.
    let last = memo.last();
    let body_changes = body_changes.filter(|_| last.len() == jobs.len());
    if body_changes.is_none() {
        // (A body edit changes no template name, and the templates are the
        // ones the last render checked.)
        check_templates(site, templates)?;
    }
    let _slot = SlotGuard::fill(&compiled.slot, data);
    let process = |job| -> Result<(Arc<memo::MemoEntry>, bool)> {
        let inputs = renderer.plan(job);
        let fingerprint = renderer.fingerprint(&inputs);
        if let Some(entry) = memo.reuse(&inputs.path, fingerprint, data) {
            return Ok((entry.clone(), false));
        }
        let key = inputs.path.to_string();
        let (files, lookups) = memo::recording(|| renderer.render(inputs));
        let lookups = lookups
            .into_iter()
            .map(|l| {
                let yielded = l.evaluate(data);
                (l, yielded)
            })
            .collect();
        let entry = memo::MemoEntry {
            key,
            fingerprint,
            lookups,
            files: files?,
        };
        Ok((Arc::new(entry), true))
    };
    let results: Vec<(Arc<memo::MemoEntry>, bool)> = match &body_changes {
        Some(changes) => {
            let touched = renderer.touched_by(&jobs, changes.pages, changes.sections);
            jobs.par_iter()
                .enumerate()
                .map(|(i, job)| {
                    let entry = &last[i];
                    if !touched[i] && !entry.value_lookups_changed(data) {
                        debug_assert_eq!(entry.key, renderer.key(job));
                        return Ok((entry.clone(), false));
                    }
                    process(job)
                })
                .collect::<Result<_>>()?
        }
        None => jobs.par_iter().map(process).collect::<Result<_>>()?,
    };

    if let Some(changes) = body_changes {
        let mut stats = RenderStats::default();
        let mut files = changes.previous.files.clone();
        for (entry, rendered) in &results {
            if !*rendered {
                stats.reused += 1;
                continue;
            }
            stats.rendered += 1;
            for file in &entry.files {
                match files.binary_search_by(|f| f.path.cmp(&file.path)) {
                    Ok(i) => files[i] = file.clone(),
                    Err(i) => files.insert(i, file.clone()),
                }
            }
        }
        memo.update(&results);
        let mut warnings = site.warnings.clone();
        warnings.extend(data.i18n.warnings());
        return Ok((RenderedSite { files, warnings }, stats));
    }

    let mut stats = RenderStats::default();
    let mut files: Vec<OutputFile> = static_files.to_vec();
    files.extend(asset_files(site));
    if site.config.markdown.highlight_code {
        // The theme name was checked when the config was loaded.
        let css = theme_css(&site.config.markdown.highlight_theme).unwrap_or_default();
        files.push(OutputFile {
            path: "syntax.css".into(),
            contents: OutputContents::Bytes(css.into_bytes().into()),
        });
    }
    for alias in &site.aliases {
        files.push(redirect_file(&alias.path, &alias.target, &alias.lang));
    }
    for (entry, rendered) in &results {
        if *rendered {
            stats.rendered += 1;
        } else {
            stats.reused += 1;
        }
        files.extend(entry.files.iter().cloned());
    }
    memo.update(&results);

    // One file per path, the last one added winning (rendered pages over
    // static files of the same name): a stable sort keeps files of the
    // same path in the order they were added.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut unique: Vec<OutputFile> = Vec::with_capacity(files.len());
    for file in files {
        match unique.last_mut() {
            Some(last) if last.path == file.path => *last = file,
            _ => unique.push(file),
        }
    }
    let files = unique;
    let mut warnings = site.warnings.clone();
    warnings.extend(data.i18n.warnings());
    Ok((RenderedSite { files, warnings }, stats))
}

/// Files of `content/` copied as they are: page-bundle assets beside their
/// page (in every language), other assets at their own path.
fn asset_files(site: &Site) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for page in &site.pages {
        for asset in &page.assets {
            let bundle = page.source.translation_key.trim_end_matches("index.md");
            let name = asset
                .relative_path
                .strip_prefix(bundle)
                .unwrap_or(&asset.relative_path);
            files.push(OutputFile {
                path: format!("{}{name}", page.path.trim_start_matches('/')).into(),
                contents: OutputContents::Copy(asset.path.clone()),
            });
        }
    }
    for asset in &site.assets {
        files.push(OutputFile {
            path: asset.relative_path.as_str().into(),
            contents: OutputContents::Copy(asset.path.clone()),
        });
    }
    files
}

/// The template a page renders with: its own `template`, else the nearest
/// section's `page_template`, else `page.html`.
pub(crate) fn page_template<'a>(site: &'a Site, page: &'a Page) -> (&'a str, Location) {
    if let Some((name, at)) = &page.meta.template {
        return (name, at.clone());
    }
    let mut section = Some(page.section);
    while let Some(i) = section {
        if let Some((name, at)) = &site.sections[i].meta.page_template {
            return (name, at.clone());
        }
        section = site.sections[i].parent;
    }
    ("page.html", Location::file(&page.source.path))
}

/// The name part of [`page_template`], without building a location.
fn page_template_name<'a>(site: &'a Site, page: &'a Page) -> &'a str {
    if let Some((name, _)) = &page.meta.template {
        return name;
    }
    let mut section = Some(page.section);
    while let Some(i) = section {
        if let Some((name, _)) = &site.sections[i].meta.page_template {
            return name;
        }
        section = site.sections[i].parent;
    }
    "page.html"
}

pub(crate) fn section_template(section: &Section) -> (&str, Location) {
    match &section.meta.template {
        Some((name, at)) => (name, at.clone()),
        None if section.dir.is_empty() => ("index.html", Location::file(&section.source.path)),
        None => ("section.html", Location::file(&section.source.path)),
    }
}

/// Every template the site needs must exist. Each missing name is
/// reported once, at the first place that asks for it.
fn check_templates(site: &Site, templates: &TemplateSources) -> Result<()> {
    let mut wanted: Vec<(String, Location)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for page in &site.pages {
        let name = page_template_name(site, page);
        if !templates.templates.contains_key(name) && seen.insert(name) {
            let (name, at) = page_template(site, page);
            wanted.push((name.to_string(), at));
        }
    }
    wanted.extend(
        site.sections
            .iter()
            .map(section_template)
            .map(|(name, at)| (name.to_string(), at)),
    );
    for taxonomy in &site.taxonomies {
        for (own, fallback) in [
            ("list.html", "taxonomy_list.html"),
            ("single.html", "taxonomy_single.html"),
        ] {
            let own = format!("{}/{own}", taxonomy.name);
            if !templates.templates.contains_key(&own) {
                wanted.push((fallback.to_string(), Location::file(&site.config.path)));
            }
        }
    }
    let mut reported = std::collections::HashSet::new();
    let errors = wanted
        .into_iter()
        .filter(|(name, _)| {
            !templates.templates.contains_key(name) && reported.insert(name.clone())
        })
        .map(|(name, at)| Error::UnknownTemplate {
            at,
            name,
            available: templates
                .templates
                .keys()
                .filter(|n| !n.starts_with("partials/"))
                .cloned()
                .collect(),
        })
        .collect();
    Error::collect(errors)
}

pub(crate) fn redirect_file(from: &str, to: &str, lang: &str) -> OutputFile {
    let to = crate::markdown::escape_html(to);
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{to}</title>\n\
         <link rel=\"canonical\" href=\"{to}\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n\
         <body>\n<p><a href=\"{to}\">{to}</a></p>\n</body>\n</html>\n"
    );
    OutputFile {
        path: index_file(from).into(),
        contents: OutputContents::Bytes(html.into_bytes().into()),
    }
}

/// Output file of a URL path: `/en/news/` → `en/news/index.html`.
pub(crate) fn index_file(url_path: &str) -> String {
    let path = url_path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}
