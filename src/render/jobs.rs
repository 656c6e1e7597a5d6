//! The render jobs: one per output (page, pager page of a section or term,
//! taxonomy page, 404 page, feed, sitemap). Each job is first *planned*:
//! its template, context values and a fingerprint of everything they were
//! made from; the memo decides from the fingerprint whether the planned job
//! must be rendered.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use tera::{Context, Tera, Value};

use super::context::{Alternate, Versioned, alternates};
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

/// A job with its inputs gathered, ready to fingerprint and render.
pub(super) struct Planned {
    /// URL path of the job's main output: the memo key.
    pub key: String,
    /// Hash of the template (with its includes) and of the revisions of
    /// every context value.
    pub fingerprint: u64,
    template: String,
    lang: String,
    path: String,
    alternates: Vec<Alternate>,
    values: Vec<(&'static str, Value)>,
    /// The sitemap's entries are built only when it is rendered.
    sitemap: bool,
    /// A redirect rendered beside the output (`page/1/` of a list).
    redirect: Option<OutputFile>,
}

/// One pager page of a section or term list.
struct ListPage<'a> {
    template: String,
    lang: &'a str,
    base_path: &'a str,
    paginate_by: Option<usize>,
    pager: usize,
    items: &'a [usize],
    versions: Vec<(&'a str, &'a str, &'a str, &'a str)>,
    /// The list's own value (`section` or `term`): with its pages when
    /// not paginated, without (they are in `paginator.pages`) when it is.
    own: (&'static str, &'a Versioned, &'a Versioned),
    extra: Vec<(&'static str, &'a Versioned)>,
}

pub(super) struct Renderer<'a> {
    data: &'a RenderData,
    tera: &'a Tera,
    templates: &'a TemplateSources,
    template_revs: HashMap<String, u64>,
}

impl<'a> Renderer<'a> {
    pub fn new(data: &'a RenderData, tera: &'a Tera, templates: &'a TemplateSources) -> Self {
        Renderer {
            data,
            tera,
            templates,
            template_revs: templates.revisions(),
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

    /// Gathers the inputs of `job` and fingerprints them.
    pub fn plan(&self, job: &Job) -> Planned {
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
                self.planned(
                    page_template(site, page).0,
                    &page.source.lang,
                    &page.path,
                    &versions,
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
                    template: section_template(section).0,
                    lang: &section.lang,
                    base_path: &section.path,
                    paginate_by: section.meta.paginate_by,
                    pager,
                    items: &section.pages,
                    versions,
                    own: (
                        "section",
                        &values.sections[i],
                        &values.sections_alone[i],
                    ),
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
                self.planned(
                    template,
                    &taxonomy.lang,
                    &taxonomy.path,
                    &versions,
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
                self.planned("404.html".into(), lang, &path, &[], Vec::new())
            }
            Job::Feed(ref lang) => self.plan_feed(lang),
            Job::Sitemap => {
                let mut planned = self.planned(
                    "sitemap.xml".into(),
                    &site.config.default_language,
                    "/sitemap.xml",
                    &[],
                    Vec::new(),
                );
                planned.alternates = Vec::new();
                planned.sitemap = true;
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                planned.fingerprint.hash(&mut hasher);
                super::sitemap::entries(site).hash(&mut hasher);
                planned.fingerprint = hasher.finish();
                planned
            }
        }
    }

    /// Language versions of a taxonomy page (`term: None`) or of one of
    /// its terms, as `(lang, permalink, path, title)`.
    fn taxonomy_versions(
        &self,
        name: &str,
        term: Option<&str>,
    ) -> Vec<(&'a str, &'a str, &'a str, &'a str)> {
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

    /// A planned job whose context is `config`, `lang`, `current_path`,
    /// `current_url`, `alternates` and `values`.
    fn planned(
        &self,
        template: String,
        lang: &str,
        path: &str,
        versions: &[(&str, &str, &str, &str)],
        values: Vec<(&'static str, &Versioned)>,
    ) -> Planned {
        let alternates = alternates(self.site(), lang, versions);
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        path.hash(&mut hasher);
        template.hash(&mut hasher);
        self.template_revs.get(&template).hash(&mut hasher);
        lang.hash(&mut hasher);
        alternates.hash(&mut hasher);
        for (name, value) in &values {
            (name, value.rev).hash(&mut hasher);
        }
        Planned {
            key: path.to_string(),
            fingerprint: hasher.finish(),
            template,
            lang: lang.to_string(),
            path: path.to_string(),
            alternates,
            values: values
                .into_iter()
                .map(|(name, v)| (name, v.value.clone()))
                .collect(),
            sitemap: false,
            redirect: None,
        }
    }

    /// Plans one pager page of a list (a section or a term). When the
    /// list is paginated, the template gets `paginator`, and beside the
    /// first pager page goes a redirect from `page/1/` to the list itself.
    fn plan_list(&self, list: ListPage<'a>) -> Planned {
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
        let (name, with_pages, alone) = list.own;
        let mut values = vec![(name, if paginator.is_some() { alone } else { with_pages })];
        values.extend(list.extra);
        let mut planned = self.planned(list.template, list.lang, &path, &list.versions, values);
        if let Some(paginator) = paginator {
            let (value, revs) = paginator.value(site, &self.data.values.pages);
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            (planned.fingerprint, revs).hash(&mut hasher);
            planned.fingerprint = hasher.finish();
            planned.values.push(("paginator", value));
            if list.pager == 0 && paginator.count_pagers() > 1 {
                let target = site.config.permalink(list.base_path);
                planned.redirect = Some(redirect_file(
                    &paginator.path_unchecked(0),
                    &target,
                    list.lang,
                ));
            }
        }
        planned
    }

    fn plan_feed(&self, lang: &str) -> Planned {
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
        let mut planned = self.planned("atom.xml".into(), lang, &path, &[], Vec::new());
        let list: Vec<&Versioned> = pages.iter().map(|&i| &self.data.values.pages[i]).collect();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        planned.fingerprint.hash(&mut hasher);
        last_updated.hash(&mut hasher);
        list.iter().for_each(|v| v.rev.hash(&mut hasher));
        planned.fingerprint = hasher.finish();
        let feed_url = site.config.permalink(&path);
        let home_url = site.home(lang).permalink.clone();
        planned.values.extend([
            (
                "pages",
                Value::from(list.iter().map(|v| v.value.clone()).collect::<Vec<_>>()),
            ),
            ("feed_url", Value::from(feed_url)),
            ("home_url", Value::from(home_url)),
            ("last_updated", Value::from(last_updated)),
        ]);
        planned
    }

    fn first_template(&self, names: &[&str]) -> String {
        names
            .iter()
            .find(|n| self.templates.templates.contains_key(**n))
            .unwrap_or(&names[names.len() - 1])
            .to_string()
    }

    /// Renders a planned job: its output, and the redirect beside it.
    pub fn render(&self, planned: Planned) -> Result<Vec<OutputFile>> {
        let site = self.site();
        let mut context = Context::new();
        context.insert_value("config", self.data.values.config(site, &planned.lang));
        context.insert("lang", &planned.lang);
        context.insert("current_path", &planned.path);
        context.insert("current_url", &site.config.permalink(&planned.path));
        context.insert("alternates", &planned.alternates);
        for (name, value) in planned.values {
            context.insert_value(name, value);
        }
        if planned.sitemap {
            context.insert("entries", &super::sitemap::entries(site));
        }
        let html = self
            .tera
            .render(&planned.template, &context)
            .map_err(|e| self.templates.convert_error(e, Some(&planned.path)))?;
        let mut files: Vec<OutputFile> = planned.redirect.into_iter().collect();
        files.push(OutputFile {
            path: index_file(&planned.path),
            contents: OutputContents::Bytes(html.into_bytes().into()),
        });
        Ok(files)
    }
}
