//! The render jobs: one per output (page, pager page of a section or term,
//! taxonomy page, 404 page, feed, sitemap). Each job is first *planned*:
//! its template, context values and a fingerprint of everything they were
//! made from; the memo decides from the fingerprint whether the planned job
//! must be rendered.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use tera::{Context, Tera, Value};

use super::context::{Versioned, alternates};
use super::paginate::Paginator;
use super::templates::TemplateSources;
use super::{
    OutputContents, OutputFile, RenderData, index_file, page_template, redirect_file,
    section_template,
};
use crate::content::Site;
use crate::error::Result;

/// One output to produce.
pub(super) enum Job {
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

/// A job with its inputs gathered (borrowed: planning allocates little,
/// since most jobs are only fingerprinted and then reused).
pub(super) struct Inputs<'a> {
    template: String,
    lang: &'a str,
    /// URL path of the job's main output: the memo key.
    pub path: Cow<'a, str>,
    versions: Vec<Version<'a>>,
    values: Vec<(&'static str, &'a Versioned)>,
    paginator: Option<Paginator<'a>>,
    /// The feed's pages and its `last_updated`.
    feed: Option<(Vec<usize>, String)>,
    /// The sitemap's entries are built only when it is rendered.
    sitemap: bool,
}

/// A language version of an output: `(lang, permalink, path, title)`.
type Version<'a> = (&'a str, &'a str, &'a str, &'a str);

/// One pager page of a section or term list.
struct ListPage<'a> {
    template: String,
    lang: &'a str,
    base_path: &'a str,
    paginate_by: Option<usize>,
    pager: usize,
    items: &'a [usize],
    versions: Vec<Version<'a>>,
    /// The list's own value (`section` or `term`): with its pages when
    /// not paginated, without (they are in `paginator.pages`) when it is.
    own: (&'static str, &'a Versioned, &'a Versioned),
    extra: Vec<(&'static str, &'a Versioned)>,
}

pub(super) struct Renderer<'a> {
    data: &'a RenderData,
    tera: &'a Tera,
    templates: &'a TemplateSources,
    template_revs: &'a HashMap<String, u64>,
}

impl<'a> Renderer<'a> {
    pub fn new(
        data: &'a RenderData,
        tera: &'a Tera,
        templates: &'a TemplateSources,
        template_revs: &'a HashMap<String, u64>,
    ) -> Self {
        Renderer {
            data,
            tera,
            templates,
            template_revs,
        }
    }

    fn site(&self) -> &'a Site {
        &self.data.site
    }

    pub fn jobs(&self) -> Vec<Job> {
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

    /// URL path of the main output of `job`: its memo key.
    pub fn key(&self, job: &'a Job) -> Cow<'a, str> {
        let site = self.site();
        match *job {
            Job::Page(i) => Cow::Borrowed(&site.pages[i].path),
            Job::Section { section, pager } => {
                let s = &site.sections[section];
                list_path(&s.path, s.meta.paginate_by, pager)
            }
            Job::TaxonomyList(t) => Cow::Borrowed(&site.taxonomies[t].path),
            Job::Term {
                taxonomy,
                term,
                pager,
            } => {
                let t = &site.taxonomies[taxonomy];
                list_path(&t.terms[term].path, t.paginate_by, pager)
            }
            Job::NotFound(ref lang) => {
                Cow::Owned(format!("{}404.html", site.config.language_prefix(lang)))
            }
            Job::Feed(ref lang) => {
                Cow::Owned(format!("{}atom.xml", site.config.language_prefix(lang)))
            }
            Job::Sitemap => Cow::Borrowed("/sitemap.xml"),
        }
    }

    /// For each job of [`Renderer::jobs`]: whether its inputs may have
    /// changed when only the bodies of `pages` and `sections` changed.
    /// Jobs it says `false` for keep their output unless a lookup of
    /// theirs now yields something else.
    pub fn touched_by(&self, jobs: &[Job], pages: &[usize], sections: &[usize]) -> Vec<bool> {
        let site = self.site();
        let mut changed = vec![false; site.pages.len()];
        for &p in pages {
            changed[p] = true;
        }
        let shows_changed = |list: &[usize]| list.iter().any(|&p| changed[p]);
        let touched_sections: Vec<bool> = (0..site.sections.len())
            .map(|s| sections.contains(&s) || shows_changed(&site.sections[s].pages))
            .collect();
        let touched_terms: Vec<Vec<bool>> = site
            .taxonomies
            .iter()
            .map(|t| {
                t.terms
                    .iter()
                    .map(|term| shows_changed(&term.pages))
                    .collect()
            })
            .collect();
        jobs.iter()
            .map(|job| match *job {
                Job::Page(i) => changed[i],
                Job::Section { section, .. } => touched_sections[section],
                Job::TaxonomyList(t) => touched_terms[t].iter().any(|&x| x),
                Job::Term { taxonomy, term, .. } => touched_terms[taxonomy][term],
                Job::Feed(_) => true,
                // Neither shows a page's body.
                Job::NotFound(_) | Job::Sitemap => false,
            })
            .collect()
    }

    /// Gathers the inputs of `job` and fingerprints them.
    pub fn plan(&self, job: &'a Job) -> Inputs<'a> {
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
                self.inputs(
                    page_template(site, page).0.to_string(),
                    &page.source.lang,
                    Cow::Borrowed(&page.path),
                    versions,
                    vec![("page", &values.pages[i])],
                )
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
                self.plan_list(ListPage {
                    template: section_template(section).0.to_string(),
                    lang: &section.lang,
                    base_path: &section.path,
                    paginate_by: section.meta.paginate_by,
                    pager,
                    items: &section.pages,
                    versions,
                    own: ("section", &values.sections[i], &values.sections_alone[i]),
                    extra: Vec::new(),
                })
            }
            Job::TaxonomyList(t) => {
                let taxonomy = &site.taxonomies[t];
                let versions = self.taxonomy_versions(&taxonomy.name, None);
                let template = self.first_template(&[
                    &format!("{}/list.html", taxonomy.name),
                    "taxonomy_list.html",
                ]);
                self.inputs(
                    template,
                    &taxonomy.lang,
                    Cow::Borrowed(&taxonomy.path),
                    versions,
                    vec![
                        ("taxonomy", &values.taxonomies[t]),
                        ("terms", &values.term_lists[t]),
                    ],
                )
            }
            Job::Term {
                taxonomy: t,
                term: term_index,
                pager,
            } => {
                let taxonomy = &site.taxonomies[t];
                let term = &taxonomy.terms[term_index];
                self.plan_list(ListPage {
                    template: self.first_template(&[
                        &format!("{}/single.html", taxonomy.name),
                        "taxonomy_single.html",
                    ]),
                    lang: &taxonomy.lang,
                    base_path: &term.path,
                    paginate_by: taxonomy.paginate_by,
                    pager,
                    items: &term.pages,
                    versions: self.taxonomy_versions(&taxonomy.name, Some(&term.slug)),
                    own: (
                        "term",
                        &values.terms[t][term_index],
                        &values.terms_alone[t][term_index],
                    ),
                    extra: vec![("taxonomy", &values.taxonomies[t])],
                })
            }
            Job::NotFound(ref lang) => {
                let path = format!("{}404.html", site.config.language_prefix(lang));
                self.inputs(
                    "404.html".into(),
                    lang,
                    Cow::Owned(path),
                    Vec::new(),
                    Vec::new(),
                )
            }
            Job::Feed(ref lang) => self.plan_feed(lang),
            Job::Sitemap => {
                let mut inputs = self.inputs(
                    "sitemap.xml".into(),
                    &site.config.default_language,
                    Cow::Borrowed("/sitemap.xml"),
                    Vec::new(),
                    Vec::new(),
                );
                inputs.sitemap = true;
                inputs
            }
        }
    }

    /// Language versions of a taxonomy page (`term: None`) or of one of
    /// its terms, as `(lang, permalink, path, title)`.
    fn taxonomy_versions(&self, name: &str, term: Option<&str>) -> Vec<Version<'a>> {
        let site = self.site();
        site.taxonomies
            .iter()
            .filter(|o| o.name == name)
            .filter_map(|o| match term {
                None => Some((
                    o.lang.as_str(),
                    o.permalink.as_str(),
                    o.path.as_str(),
                    o.name.as_str(),
                )),
                Some(slug) => {
                    let x = &o.terms[*o.term_index.get(slug)?];
                    Some((
                        o.lang.as_str(),
                        x.permalink.as_str(),
                        x.path.as_str(),
                        x.name.as_str(),
                    ))
                }
            })
            .collect()
    }

    fn inputs(
        &self,
        template: String,
        lang: &'a str,
        path: Cow<'a, str>,
        versions: Vec<Version<'a>>,
        values: Vec<(&'static str, &'a Versioned)>,
    ) -> Inputs<'a> {
        Inputs {
            template,
            lang,
            path,
            versions,
            values,
            paginator: None,
            feed: None,
            sitemap: false,
        }
    }

    /// A hash of everything the output of `inputs` is rendered from,
    /// besides the lookups its template makes (see [`super::memo`]).
    pub fn fingerprint(&self, inputs: &Inputs) -> u64 {
        let site = self.site();
        let mut hasher = super::context::fingerprint_hasher();
        inputs.path.hash(&mut hasher);
        inputs.template.hash(&mut hasher);
        self.template_revs.get(&inputs.template).hash(&mut hasher);
        inputs.lang.hash(&mut hasher);
        inputs.versions.hash(&mut hasher);
        if inputs.versions.len() < site.config.languages.len() {
            // Missing languages link to their home page.
            for language in &site.config.languages {
                let home = site.home(&language.code);
                (&home.permalink, home.title()).hash(&mut hasher);
            }
        }
        for (name, value) in &inputs.values {
            (name, value.rev).hash(&mut hasher);
        }
        if let Some(paginator) = &inputs.paginator {
            (
                paginator.pager,
                paginator.paginate_by,
                paginator.items.len(),
            )
                .hash(&mut hasher);
            for &i in paginator.page_items() {
                self.data.values.pages[i].rev.hash(&mut hasher);
            }
        }
        if let Some((pages, last_updated)) = &inputs.feed {
            last_updated.hash(&mut hasher);
            for &i in pages {
                self.data.values.pages[i].rev.hash(&mut hasher);
            }
        }
        if inputs.sitemap {
            super::sitemap::entries(site).hash(&mut hasher);
        }
        hasher.finish()
    }

    /// Plans one pager page of a list (a section or a term). When the
    /// list is paginated, the template gets `paginator`, and beside the
    /// first pager page goes a redirect from `page/1/` to the list itself.
    fn plan_list(&self, list: ListPage<'a>) -> Inputs<'a> {
        let paginator = list.paginate_by.map(|by| Paginator {
            base_path: list.base_path,
            paginate_by: by,
            pager: list.pager,
            items: list.items,
        });
        let path = list_path(list.base_path, list.paginate_by, list.pager);
        let (name, with_pages, alone) = list.own;
        let mut values = vec![(
            name,
            if paginator.is_some() {
                alone
            } else {
                with_pages
            },
        )];
        values.extend(list.extra);
        let mut inputs = self.inputs(list.template, list.lang, path, list.versions, values);
        inputs.paginator = paginator;
        inputs
    }

    fn plan_feed(&self, lang: &'a str) -> Inputs<'a> {
        let site = self.site();
        let pages = self.data.feed_pages(lang).to_vec();
        let last_updated = pages
            .iter()
            .filter_map(|&i| site.pages[i].meta.updated.or(site.pages[i].date))
            .max()
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.to_rfc3339());
        let path = format!("{}atom.xml", site.config.language_prefix(lang));
        let mut inputs = self.inputs(
            "atom.xml".into(),
            lang,
            Cow::Owned(path),
            Vec::new(),
            Vec::new(),
        );
        inputs.feed = Some((pages, last_updated));
        inputs
    }

    fn first_template(&self, names: &[&str]) -> String {
        names
            .iter()
            .find(|n| self.templates.templates.contains_key(**n))
            .unwrap_or(&names[names.len() - 1])
            .to_string()
    }

    /// Renders a job: its output, and the redirect beside it.
    pub fn render(&self, inputs: Inputs) -> Result<Vec<OutputFile>> {
        let site = self.site();
        let values = &self.data.values;
        let path = inputs.path.as_ref();
        let mut context = Context::new();
        context.insert_value("config", values.config(site, inputs.lang));
        context.insert("lang", inputs.lang);
        context.insert("current_path", path);
        context.insert("current_url", &site.config.permalink(path));
        if !inputs.sitemap {
            context.insert(
                "alternates",
                &alternates(site, inputs.lang, &inputs.versions),
            );
        } else {
            context.insert("alternates", &Vec::<()>::new());
            context.insert("entries", &super::sitemap::entries(site));
        }
        for (name, value) in &inputs.values {
            context.insert_value(*name, value.value.clone());
        }
        let mut files = Vec::new();
        if let Some(paginator) = &inputs.paginator {
            context.insert_value("paginator", paginator.value(site, &values.pages));
            if paginator.pager == 0 && paginator.count_pagers() > 1 {
                let target = site.config.permalink(paginator.base_path);
                files.push(redirect_file(
                    &paginator.path_unchecked(0),
                    &target,
                    inputs.lang,
                ));
            }
        }
        if let Some((pages, last_updated)) = &inputs.feed {
            let list: Vec<Value> = pages
                .iter()
                .map(|&i| values.pages[i].value.clone())
                .collect();
            context.insert_value("pages", Value::from(list));
            context.insert("feed_url", &site.config.permalink(path));
            context.insert("home_url", &site.home(inputs.lang).permalink);
            context.insert("last_updated", last_updated);
        }
        let html = self
            .tera
            .render(&inputs.template, &context)
            .map_err(|e| self.templates.convert_error(e, Some(path)))?;
        files.push(OutputFile {
            path: index_file(path).into(),
            contents: OutputContents::Bytes(html.into_bytes().into()),
        });
        Ok(files)
    }
}

/// URL path of pager page `pager` (0-based) of a list at `base`.
fn list_path(base: &str, paginate_by: Option<usize>, pager: usize) -> Cow<'_, str> {
    match paginate_by {
        Some(_) if pager > 0 => Cow::Owned(format!("{base}page/{}/", pager + 1)),
        _ => Cow::Borrowed(base),
    }
}
