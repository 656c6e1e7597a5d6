//! The render stage: the assembled [`Site`] through the Tera templates into
//! a list of [`OutputFile`]s held in memory. Nothing here writes to disk.
//!
//! Every output is an independent job, rendered in parallel with rayon.
//! Templates, functions and the shared page values are set up once.

pub mod context;
pub mod functions;
pub mod i18n;
mod paginate;
pub mod templates;

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::content::{Page, Section, Site};
use crate::error::{Error, Location, Result};
use crate::markdown::highlight::theme_css;
use context::{Alternate, SiteValues, alternates};
use i18n::I18n;
use paginate::Paginator;
use templates::TemplateSources;

/// What a file of the output holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputContents {
    /// Rendered bytes.
    Bytes(Vec<u8>),
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

enum Job {
    Page(usize),
    Section {
        section: usize,
        pager: usize,
    },
    TaxonomyList(usize),
    Term {
        taxonomy: usize,
        term: usize,
        pager: usize,
    },
    NotFound(String),
    Feed(String),
    Sitemap,
}

/// Renders every output of `site`. `static_files` are copied after the
/// theme's, so later entries of the same path win.
pub fn render_site(
    site: Site,
    templates: &TemplateSources,
    i18n: I18n,
    static_files: Vec<OutputFile>,
) -> Result<RenderedSite> {
    check_templates(&site, templates)?;
    let values = SiteValues::build(&site);
    let data = Arc::new(RenderData { site, values, i18n });
    let mut tera = Tera::new();
    functions::register(&mut tera, &data);
    templates.compile_into(&mut tera)?;
    let renderer = Renderer {
        data: &data,
        tera: &tera,
        templates,
    };

    let jobs = renderer.jobs();
    let rendered: Vec<Vec<OutputFile>> = jobs
        .par_iter()
        .map(|job| renderer.render(job))
        .collect::<Result<_>>()?;

    let mut files = static_files;
    let site = &data.site;
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
    if site.config.markdown.highlight_code {
        // The theme name was checked when the config was loaded.
        let css = theme_css(&site.config.markdown.highlight_theme).unwrap_or_default();
        files.push(OutputFile {
            path: "syntax.css".into(),
            contents: OutputContents::Bytes(css.into_bytes()),
        });
    }
    for alias in &site.aliases {
        files.push(redirect_file(&alias.path, &alias.target, &alias.lang));
    }
    files.extend(rendered.into_iter().flatten());

    // One file per path, the last one added winning (rendered pages over
    // static files of the same name).
    files.reverse();
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.path.clone()));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut warnings = site.warnings.clone();
    warnings.extend(data.i18n.warnings());
    Ok(RenderedSite { files, warnings })
}

/// The template a page renders with: its own `template`, else the nearest
/// section's `page_template`, else `page.html`.
fn page_template(site: &Site, page: &Page) -> (String, Location) {
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

fn section_template(section: &Section) -> (String, Location) {
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

fn redirect_file(from: &str, to: &str, lang: &str) -> OutputFile {
    let to = crate::markdown::escape_html(to);
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{to}</title>\n\
         <link rel=\"canonical\" href=\"{to}\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n\
         <body>\n<p><a href=\"{to}\">{to}</a></p>\n</body>\n</html>\n"
    );
    OutputFile {
        path: index_file(from),
        contents: OutputContents::Bytes(html.into_bytes()),
    }
}

/// Output file of a URL path: `/en/news/` → `en/news/index.html`.
fn index_file(url_path: &str) -> String {
    let path = url_path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// One pager page of a section or term list, for [`Renderer::render_list`].
struct ListPage<'a> {
    template: String,
    lang: &'a str,
    base_path: &'a str,
    paginate_by: Option<usize>,
    pager: usize,
    items: &'a [usize],
    versions: Vec<(&'a str, &'a str, &'a str, &'a str)>,
    values: Vec<(&'static str, Value)>,
}

struct Renderer<'a> {
    data: &'a RenderData,
    tera: &'a Tera,
    templates: &'a TemplateSources,
}

impl Renderer<'_> {
    fn site(&self) -> &Site {
        &self.data.site
    }

    fn jobs(&self) -> Vec<Job> {
        let site = self.site();
        let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
        for (i, section) in site.sections.iter().enumerate() {
            let pagers = Paginator::count(section.pages.len(), section.meta.paginate_by);
            jobs.extend((0..pagers).map(|pager| Job::Section { section: i, pager }));
        }
        for (t, taxonomy) in site.taxonomies.iter().enumerate() {
            jobs.push(Job::TaxonomyList(t));
            for (term_index, term) in taxonomy.terms.iter().enumerate() {
                let pagers = Paginator::count(term.pages.len(), taxonomy.paginate_by);
                jobs.extend((0..pagers).map(|pager| Job::Term {
                    taxonomy: t,
                    term: term_index,
                    pager,
                }));
            }
        }
        for language in &site.config.languages {
            if self.templates.templates.contains_key("404.html") {
                jobs.push(Job::NotFound(language.code.clone()));
            }
            if language.generate_feeds {
                jobs.push(Job::Feed(language.code.clone()));
            }
        }
        jobs.push(Job::Sitemap);
        jobs
    }

    fn context(&self, lang: &str, path: &str, alternates: Vec<Alternate>) -> Context {
        let mut context = Context::new();
        context.insert_value("config", self.data.values.config(self.site(), lang));
        context.insert("lang", lang);
        context.insert("current_path", path);
        context.insert("current_url", &self.site().config.permalink(path));
        context.insert("alternates", &alternates);
        context
    }

    fn render_template(
        &self,
        template: &str,
        context: &Context,
        url_path: &str,
    ) -> Result<OutputFile> {
        let html = self
            .tera
            .render(template, context)
            .map_err(|e| self.templates.convert_error(e, Some(url_path)))?;
        Ok(OutputFile {
            path: index_file(url_path),
            contents: OutputContents::Bytes(html.into_bytes()),
        })
    }

    fn render(&self, job: &Job) -> Result<Vec<OutputFile>> {
        let site = self.site();
        let values = &self.data.values;
        match *job {
            Job::Page(i) => {
                let page = &site.pages[i];
                let versions: Vec<_> = page
                    .translations
                    .iter()
                    .map(|&t| {
                        let p = &site.pages[t];
                        (
                            p.source.lang.as_str(),
                            p.permalink.as_str(),
                            p.path.as_str(),
                            p.title(),
                        )
                    })
                    .collect();
                let mut context = self.context(
                    &page.source.lang,
                    &page.path,
                    alternates(site, &page.source.lang, &versions),
                );
                context.insert_value("page", values.pages[i].clone());
                Ok(vec![self.render_template(
                    &page_template(site, page).0,
                    &context,
                    &page.path,
                )?])
            }
            Job::Section { section: i, pager } => {
                let section = &site.sections[i];
                let versions: Vec<_> = section
                    .translations
                    .iter()
                    .map(|&t| {
                        let s = &site.sections[t];
                        (
                            s.lang.as_str(),
                            s.permalink.as_str(),
                            s.path.as_str(),
                            s.title(),
                        )
                    })
                    .collect();
                self.render_list(ListPage {
                    template: section_template(section).0,
                    lang: &section.lang,
                    base_path: &section.path,
                    paginate_by: section.meta.paginate_by,
                    pager,
                    items: &section.pages,
                    versions,
                    values: vec![("section", values.sections[i].clone())],
                })
            }
            Job::TaxonomyList(t) => {
                let taxonomy = &site.taxonomies[t];
                let versions: Vec<_> = site
                    .taxonomies
                    .iter()
                    .filter(|o| o.name == taxonomy.name)
                    .map(|o| {
                        (
                            o.lang.as_str(),
                            o.permalink.as_str(),
                            o.path.as_str(),
                            o.name.as_str(),
                        )
                    })
                    .collect();
                let mut context = self.context(
                    &taxonomy.lang,
                    &taxonomy.path,
                    alternates(site, &taxonomy.lang, &versions),
                );
                context.insert_value("taxonomy", values.taxonomies[t].clone());
                context.insert_value("terms", values.term_lists[t].clone());
                let template = self.first_template(&[
                    &format!("{}/list.html", taxonomy.name),
                    "taxonomy_list.html",
                ]);
                Ok(vec![self.render_template(
                    &template,
                    &context,
                    &taxonomy.path,
                )?])
            }
            Job::Term {
                taxonomy: t,
                term: term_index,
                pager,
            } => {
                let taxonomy = &site.taxonomies[t];
                let term = &taxonomy.terms[term_index];
                let versions: Vec<_> = site
                    .taxonomies
                    .iter()
                    .filter(|o| o.name == taxonomy.name)
                    .filter_map(|o| {
                        let other = o.term_index.get(&term.slug)?;
                        Some((o.lang.as_str(), &o.terms[*other]))
                    })
                    .map(|(lang, x)| (lang, x.permalink.as_str(), x.path.as_str(), x.name.as_str()))
                    .collect();
                self.render_list(ListPage {
                    template: self.first_template(&[
                        &format!("{}/single.html", taxonomy.name),
                        "taxonomy_single.html",
                    ]),
                    lang: &taxonomy.lang,
                    base_path: &term.path,
                    paginate_by: taxonomy.paginate_by,
                    pager,
                    items: &term.pages,
                    versions,
                    values: vec![
                        ("taxonomy", values.taxonomies[t].clone()),
                        ("term", values.terms[t][term_index].clone()),
                    ],
                })
            }
            Job::NotFound(ref lang) => {
                let path = format!("{}404.html", site.config.language_prefix(lang));
                let context = self.context(lang, &path, alternates(site, lang, &[]));
                Ok(vec![self.render_template("404.html", &context, &path)?])
            }
            Job::Feed(ref lang) => Ok(vec![self.render_feed(lang)?]),
            Job::Sitemap => Ok(vec![self.render_sitemap()?]),
        }
    }

    /// Renders one pager page of a list (a section or a term). When the
    /// list is paginated, the template gets `paginator`, and beside the
    /// first pager page goes a redirect from `page/1/` to the list itself.
    fn render_list(&self, list: ListPage) -> Result<Vec<OutputFile>> {
        let site = self.site();
        let paginator = list.paginate_by.map(|by| Paginator {
            base_path: list.base_path,
            paginate_by: by,
            pager: list.pager,
            items: list.items,
        });
        let path = paginator
            .as_ref()
            .map_or(list.base_path.to_string(), |p| p.path(list.pager));
        let mut context = self.context(
            list.lang,
            &path,
            alternates(site, list.lang, &list.versions),
        );
        for (name, value) in list.values {
            context.insert_value(name, value);
        }
        let mut files = Vec::new();
        if let Some(paginator) = paginator {
            context.insert_value("paginator", paginator.value(site, &self.data.values.pages));
            if list.pager == 0 && paginator.count_pagers() > 1 {
                let target = site.config.permalink(list.base_path);
                files.push(redirect_file(
                    &paginator.path_unchecked(0),
                    &target,
                    list.lang,
                ));
            }
        }
        files.push(self.render_template(&list.template, &context, &path)?);
        Ok(files)
    }

    fn first_template(&self, names: &[&str]) -> String {
        names
            .iter()
            .find(|n| self.templates.templates.contains_key(**n))
            .unwrap_or(&names[names.len() - 1])
            .to_string()
    }

    fn render_feed(&self, lang: &str) -> Result<OutputFile> {
        let site = self.site();
        let mut pages: Vec<usize> = (0..site.pages.len())
            .filter(|&i| site.pages[i].source.lang == lang && site.pages[i].date.is_some())
            .collect();
        pages.sort_by(|&a, &b| site.pages[b].date.cmp(&site.pages[a].date).then(a.cmp(&b)));
        pages.truncate(site.config.feed_limit);
        let last_updated = pages
            .iter()
            .filter_map(|&i| site.pages[i].meta.updated.or(site.pages[i].date))
            .max()
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.to_rfc3339());
        let path = format!("{}atom.xml", site.config.language_prefix(lang));
        let mut context = self.context(lang, &path, alternates(site, lang, &[]));
        let list: Vec<Value> = pages
            .iter()
            .map(|&i| self.data.values.pages[i].clone())
            .collect();
        context.insert_value("pages", Value::from(list));
        context.insert("feed_url", &site.config.permalink(&path));
        context.insert("home_url", &site.home(lang).permalink);
        context.insert("last_updated", &last_updated);
        self.render_template("atom.xml", &context, &path)
    }

    fn render_sitemap(&self) -> Result<OutputFile> {
        #[derive(serde::Serialize)]
        struct Alternate<'a> {
            lang: &'a str,
            permalink: &'a str,
        }
        #[derive(serde::Serialize)]
        struct Entry<'a> {
            permalink: &'a str,
            updated: Option<String>,
            /// Every language version (itself included) when there are
            /// several, for `hreflang` links that search engines read.
            alternates: Vec<Alternate<'a>>,
        }
        let site = self.site();
        let plain = |permalink| Entry {
            permalink,
            updated: None,
            alternates: Vec::new(),
        };
        fn versions<T>(list: Vec<T>) -> Vec<T> {
            if list.len() > 1 { list } else { Vec::new() }
        }
        let mut entries: Vec<Entry> = site
            .sections
            .iter()
            .map(|s| Entry {
                alternates: versions(
                    s.translations
                        .iter()
                        .map(|&t| Alternate {
                            lang: &site.sections[t].lang,
                            permalink: &site.sections[t].permalink,
                        })
                        .collect(),
                ),
                ..plain(&s.permalink)
            })
            .collect();
        entries.extend(site.pages.iter().map(|p| {
            Entry {
                updated: p
                    .meta
                    .updated
                    .or(p.date)
                    .map(|d| d.datetime.format("%Y-%m-%d").to_string()),
                alternates: versions(
                    p.translations
                        .iter()
                        .map(|&t| Alternate {
                            lang: &site.pages[t].source.lang,
                            permalink: &site.pages[t].permalink,
                        })
                        .collect(),
                ),
                ..plain(&p.permalink)
            }
        }));
        for taxonomy in &site.taxonomies {
            entries.push(plain(&taxonomy.permalink));
            entries.extend(taxonomy.terms.iter().map(|t| plain(&t.permalink)));
        }
        entries.sort_by(|a, b| a.permalink.cmp(b.permalink));
        let mut context = self.context(&site.config.default_language, "/sitemap.xml", Vec::new());
        context.insert("entries", &entries);
        self.render_template("sitemap.xml", &context, "/sitemap.xml")
    }
}
