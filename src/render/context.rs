//! Template contexts: the `page`, `section`, `config` and `alternates`
//! values that templates see, with Zola's field names.
//!
//! Each page's value is built once per build and shared (Tera values are
//! reference-counted), so a section listing 5,000 pages, or 500 pager
//! pages over it, costs no copies of the pages.

use serde::Serialize;
use tera::Value;

use crate::config::Config;
use crate::content::{Page, Section, Site};
use crate::markdown::Heading;

/// Every page's and section's template value, by index into the site.
pub struct SiteValues {
    /// `page` values, aligned with [`Site::pages`].
    pub pages: Vec<Value>,
    /// `section` values, aligned with [`Site::sections`].
    pub sections: Vec<Value>,
    /// `config` values, one per language, aligned with `config.languages`.
    pub configs: Vec<Value>,
    /// `taxonomy` values, aligned with [`Site::taxonomies`].
    pub taxonomies: Vec<Value>,
    /// `term` values, by taxonomy, then by term. Each pager page of a term
    /// shares its one value instead of copying the term's page list.
    pub terms: Vec<Vec<Value>>,
    /// The `terms` list of each taxonomy page.
    pub term_lists: Vec<Value>,
}

#[derive(Serialize)]
struct TranslationContext<'a> {
    lang: &'a str,
    title: &'a str,
    permalink: &'a str,
    path: &'a str,
}

#[derive(Serialize)]
struct TermLinkContext<'a> {
    name: &'a str,
    slug: &'a str,
    permalink: &'a str,
}

#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    description: &'a str,
    date: Option<String>,
    updated: Option<String>,
    date_rfc3339: Option<String>,
    updated_rfc3339: Option<String>,
    slug: &'a str,
    path: &'a str,
    permalink: &'a str,
    content: &'a str,
    summary: &'a str,
    toc: &'a [Heading],
    word_count: usize,
    reading_time: usize,
    lang: &'a str,
    translations: Vec<TranslationContext<'a>>,
    taxonomies: std::collections::BTreeMap<&'a str, &'a [String]>,
    terms: std::collections::BTreeMap<&'a str, Vec<TermLinkContext<'a>>>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    weight: Option<i64>,
    draft: bool,
    assets: Vec<String>,
    relative_path: &'a str,
}

#[derive(Serialize)]
struct SectionContext<'a> {
    title: &'a str,
    description: &'a str,
    path: &'a str,
    permalink: &'a str,
    content: &'a str,
    lang: &'a str,
    translations: Vec<TranslationContext<'a>>,
    subsections: Vec<&'a str>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    relative_path: &'a str,
    word_count: usize,
    reading_time: usize,
}

#[derive(Serialize)]
struct LanguageContext<'a> {
    code: &'a str,
    title: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct ConfigContext<'a> {
    base_url: &'a str,
    title: &'a str,
    description: &'a str,
    default_language: &'a str,
    languages: Vec<LanguageContext<'a>>,
    taxonomies: &'a [crate::config::TaxonomyConfig],
    generate_feeds: bool,
    extra: &'a toml::Table,
}

/// One entry of the `alternates` list (the language switcher's data).
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Alternate {
    /// Language code.
    pub lang: String,
    /// Whether this is the language being rendered.
    pub current: bool,
    /// Whether the page has a translation in this language.
    pub exists: bool,
    /// The translation, else this language's home page.
    pub permalink: String,
    /// Its path.
    pub path: String,
    /// The translation's title, else the home page's.
    pub title: String,
}

impl SiteValues {
    /// Builds every value of `site` once.
    pub fn build(site: &Site) -> SiteValues {
        use rayon::prelude::*;
        let pages: Vec<Value> = site.pages.par_iter().map(|p| page_value(site, p)).collect();
        let sections = site
            .sections
            .iter()
            .map(|s| section_value(site, s, &pages))
            .collect();
        let configs = site
            .config
            .languages
            .iter()
            .map(|l| config_value(&site.config, &l.code))
            .collect();
        let taxonomies = site.taxonomies.iter().map(taxonomy_value).collect();
        let terms: Vec<Vec<Value>> = site
            .taxonomies
            .iter()
            .map(|t| {
                t.terms
                    .iter()
                    .map(|term| term_value(term, &pages))
                    .collect()
            })
            .collect();
        let term_lists = terms.iter().map(|list| Value::from(list.clone())).collect();
        SiteValues {
            pages,
            sections,
            configs,
            taxonomies,
            terms,
            term_lists,
        }
    }

    /// The `config` value for `lang`.
    pub fn config(&self, site: &Site, lang: &str) -> Value {
        let index = site
            .config
            .languages
            .iter()
            .position(|l| l.code == lang)
            .unwrap_or(0);
        self.configs[index].clone()
    }
}

fn page_value(site: &Site, page: &Page) -> Value {
    let translations = page
        .translations
        .iter()
        .map(|&i| {
            let p = &site.pages[i];
            TranslationContext {
                lang: &p.source.lang,
                title: p.title(),
                permalink: &p.permalink,
                path: &p.path,
            }
        })
        .collect();
    let mut taxonomies = std::collections::BTreeMap::new();
    let mut terms = std::collections::BTreeMap::new();
    for (name, (names, _)) in &page.meta.taxonomies {
        taxonomies.insert(name.as_str(), names.as_slice());
        let taxonomy = site
            .taxonomies
            .iter()
            .find(|t| &t.name == name && t.lang == page.source.lang);
        let links = names
            .iter()
            .filter_map(|n| {
                let term = taxonomy?.term(n)?;
                Some(TermLinkContext {
                    name: n,
                    slug: &term.slug,
                    permalink: &term.permalink,
                })
            })
            .collect();
        terms.insert(name.as_str(), links);
    }
    let context = PageContext {
        title: page.title(),
        description: page.meta.description.as_deref().unwrap_or(""),
        date: page.date.map(|d| d.to_context_string()),
        updated: page.meta.updated.map(|d| d.to_context_string()),
        date_rfc3339: page.date.map(|d| d.to_rfc3339()),
        updated_rfc3339: page.meta.updated.or(page.date).map(|d| d.to_rfc3339()),
        slug: &page.slug,
        path: &page.path,
        permalink: &page.permalink,
        content: &page.content.html,
        summary: &page.content.summary,
        toc: &page.content.toc,
        word_count: page.content.stats.word_count(),
        reading_time: page.content.stats.reading_time(),
        lang: &page.source.lang,
        translations,
        taxonomies,
        terms,
        extra: &page.meta.extra,
        weight: page.meta.weight,
        draft: page.meta.draft,
        assets: page
            .assets
            .iter()
            .map(|a| {
                a.relative_path
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect(),
        relative_path: &page.source.relative_path,
    };
    Value::from_serializable(&context)
}

fn section_value(site: &Site, section: &Section, pages: &[Value]) -> Value {
    let translations = section
        .translations
        .iter()
        .map(|&i| {
            let s = &site.sections[i];
            TranslationContext {
                lang: &s.lang,
                title: s.title(),
                permalink: &s.permalink,
                path: &s.path,
            }
        })
        .collect();
    let context = SectionContext {
        title: section.title(),
        description: section.meta.description.as_deref().unwrap_or(""),
        path: &section.path,
        permalink: &section.permalink,
        content: &section.content.html,
        lang: &section.lang,
        translations,
        subsections: section
            .subsections
            .iter()
            .map(|&i| site.sections[i].source.translation_key.as_str())
            .collect(),
        extra: &section.meta.extra,
        relative_path: &section.source.relative_path,
        word_count: section.content.stats.word_count(),
        reading_time: section.content.stats.reading_time(),
    };
    let mut map = Value::from_serializable(&context)
        .into_map()
        .unwrap_or_default();
    let section_pages: Vec<Value> = section.pages.iter().map(|&i| pages[i].clone()).collect();
    map.insert("pages".into(), Value::from(section_pages));
    Value::from(map)
}

fn config_value(config: &Config, lang: &str) -> Value {
    let language = config.language(lang).unwrap_or(&config.languages[0]);
    let context = ConfigContext {
        base_url: &config.base_url,
        title: &language.title,
        description: &language.description,
        default_language: &config.default_language,
        languages: config
            .languages
            .iter()
            .map(|l| LanguageContext {
                code: &l.code,
                title: &l.title,
                description: &l.description,
            })
            .collect(),
        taxonomies: &language.taxonomies,
        generate_feeds: language.generate_feeds,
        extra: &config.extra,
    };
    Value::from_serializable(&context)
}

/// The `alternates` list for content whose language versions are
/// `versions` (pairs of language and `(permalink, path, title)`).
pub fn alternates(
    site: &Site,
    lang: &str,
    versions: &[(&str, &str, &str, &str)],
) -> Vec<Alternate> {
    site.config
        .languages
        .iter()
        .map(|l| match versions.iter().find(|v| v.0 == l.code) {
            Some(&(_, permalink, path, title)) => Alternate {
                lang: l.code.clone(),
                current: l.code == lang,
                exists: true,
                permalink: permalink.to_string(),
                path: path.to_string(),
                title: title.to_string(),
            },
            None => {
                let home = site.home(&l.code);
                Alternate {
                    lang: l.code.clone(),
                    current: l.code == lang,
                    exists: false,
                    permalink: home.permalink.clone(),
                    path: home.path.clone(),
                    title: home.title().to_string(),
                }
            }
        })
        .collect()
}

fn taxonomy_value(taxonomy: &crate::content::Taxonomy) -> Value {
    let mut map = tera::Map::new();
    map.insert("name".into(), Value::from(taxonomy.name.as_str()));
    map.insert("lang".into(), Value::from(taxonomy.lang.as_str()));
    map.insert("permalink".into(), Value::from(taxonomy.permalink.as_str()));
    map.insert("path".into(), Value::from(taxonomy.path.as_str()));
    Value::from(map)
}

fn term_value(term: &crate::content::Term, pages: &[Value]) -> Value {
    let mut map = tera::Map::new();
    map.insert("name".into(), Value::from(term.name.as_str()));
    map.insert("slug".into(), Value::from(term.slug.as_str()));
    map.insert("permalink".into(), Value::from(term.permalink.as_str()));
    map.insert("path".into(), Value::from(term.path.as_str()));
    map.insert("page_count".into(), Value::from(term.pages.len()));
    let list: Vec<Value> = term.pages.iter().map(|&i| pages[i].clone()).collect();
    map.insert("pages".into(), Value::from(list));
    Value::from(map)
}
