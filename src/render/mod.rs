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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputContents {
    /// Rendered bytes, shared between renders that reuse them.
    Bytes(Arc<[u8]>),
    /// A source file copied as is (static files, images).
    Copy(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated, no leading slash.
    pub path: String,
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
}

impl RenderData {
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

/// Renders every output of `site` from scratch. `static_files` are copied
/// after the theme's, so later entries of the same path win.
pub fn render_site(
    site: Site,
    templates: &TemplateSources,
    i18n: I18n,
    static_files: Vec<OutputFile>,
) -> Result<RenderedSite> {
    let values = SiteValues::build(&site);
    let data = Arc::new(RenderData { site, values, i18n });
    let (rendered, _) = render(&data, templates, &static_files, &mut RenderMemo::default())?;
    Ok(rendered)
}

/// Renders every output of `data`, reusing from `memo` each output whose
/// inputs did not change, and leaves in `memo` what this render made.
/// On error, `memo` is left as it was.
pub fn render(
    data: &Arc<RenderData>,
    templates: &TemplateSources,
    static_files: &[OutputFile],
    memo: &mut RenderMemo,
) -> Result<(RenderedSite, RenderStats)> {
    let site = &data.site;
    check_templates(site, templates)?;
    let mut tera = Tera::new();
    functions::register(&mut tera, data);
    templates.compile_into(&mut tera)?;
    let renderer = Renderer::new(data, &tera, templates);

    let jobs = renderer.jobs();
    let results: Vec<(String, memo::MemoEntry, bool)> = jobs
        .par_iter()
        .map(|job| {
            let planned = renderer.plan(job);
            if let Some(entry) = memo.reuse(&planned.key, planned.fingerprint, data) {
                return Ok((planned.key, entry.clone(), false));
            }
            let key = planned.key.clone();
            let fingerprint = planned.fingerprint;
            let (files, lookups) = memo::recording(|| renderer.render(planned));
            let lookups = lookups
                .into_iter()
                .map(|l| {
                    let yielded = l.evaluate(data);
                    (l, yielded)
                })
                .collect();
            let entry = memo::MemoEntry {
                fingerprint,
                lookups,
                files: files?,
            };
            Ok((key, entry, true))
        })
        .collect::<Result<_>>()?;
    drop(tera);

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
    let mut entries = std::collections::HashMap::with_capacity(results.len());
    for (key, entry, rendered) in results {
        if rendered {
            stats.rendered += 1;
        } else {
            stats.reused += 1;
        }
        files.extend(entry.files.iter().cloned());
        entries.insert(key, entry);
    }
    memo.replace(entries);

    // One file per path, the last one added winning (rendered pages over
    // static files of the same name).
    files.reverse();
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.path.clone()));
    files.sort_by(|a, b| a.path.cmp(&b.path));
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
                path: format!("{}{name}", page.path.trim_start_matches('/')),
                contents: OutputContents::Copy(asset.path.clone()),
            });
        }
    }
    for asset in &site.assets {
        files.push(OutputFile {
            path: asset.relative_path.clone(),
            contents: OutputContents::Copy(asset.path.clone()),
        });
    }
    files
}

/// The template a page renders with: its own `template`, else the nearest
/// section's `page_template`, else `page.html`.
pub(crate) fn page_template(site: &Site, page: &Page) -> (String, Location) {
    if let Some((name, at)) = &page.meta.template {
        return (name.clone(), at.clone());
    }
    let mut section = Some(page.section);
    while let Some(i) = section {
        if let Some((name, at)) = &site.sections[i].meta.page_template {
            return (name.clone(), at.clone());
        }
        section = site.sections[i].parent;
    }
    ("page.html".into(), Location::file(&page.source.path))
}

pub(crate) fn section_template(section: &Section) -> (String, Location) {
    match &section.meta.template {
        Some((name, at)) => (name.clone(), at.clone()),
        None if section.dir.is_empty() => {
            ("index.html".into(), Location::file(&section.source.path))
        }
        None => ("section.html".into(), Location::file(&section.source.path)),
    }
}

/// Every template the site needs must exist. Each missing name is
/// reported once, at the first place that asks for it.
fn check_templates(site: &Site, templates: &TemplateSources) -> Result<()> {
    let mut wanted: Vec<(String, Location)> = Vec::new();
    wanted.extend(site.pages.iter().map(|p| page_template(site, p)));
    wanted.extend(site.sections.iter().map(section_template));
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
        path: index_file(from),
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

