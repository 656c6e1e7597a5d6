//! Template contexts: the `page`, `section`, `config` and `alternates`
//! values that templates see, with Zola's field names.
//!
//! Each page's value is built once per build and shared (Tera values are
//! reference-counted), so a section listing 5,000 pages, or 500 pager
//! pages over it, costs no copies of the pages.

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use tera::Value;

use crate::config::Config;
use crate::content::{Page, Section, Site};
use crate::markdown::Heading;

/// A template value with its revision: two values with the same revision
/// are the same value, so an output rendered from it need not be
/// rendered again.
#[derive(Clone)]
pub struct Versioned {
    /// The value.
    pub value: Value,
    /// Unique within this process for each distinct value.
    pub rev: u64,
}

impl Versioned {
    fn new(value: Value) -> Versioned {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Versioned {
            value,
            rev: NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }
}

/// Every page's, section's and term's template value, by index into the
/// site, with revisions that survive rebuilds for values that did not
/// change.
#[derive(Clone, Default)]
pub struct SiteValues {
    /// `page` values, aligned with [`Site::pages`].
    pub pages: Vec<Versioned>,
    /// `section` values with `pages`, aligned with [`Site::sections`].
    pub sections: Vec<Versioned>,
    /// `section` values without `pages`, for paginated lists (whose pages
    /// are in `paginator.pages`, as in Zola).
    pub sections_alone: Vec<Versioned>,
    /// `config` values, one per language, aligned with `config.languages`.
    pub configs: Vec<Value>,
    /// `taxonomy` values, aligned with [`Site::taxonomies`].
    pub taxonomies: Vec<Versioned>,
    /// `term` values with `pages`, by taxonomy, then by term.
    pub terms: Vec<Vec<Versioned>>,
    /// `term` values without `pages`, for paginated term lists.
    pub terms_alone: Vec<Vec<Versioned>>,
    /// The `terms` list of each taxonomy page.
    pub term_lists: Vec<Versioned>,
}

/// What changed since the values were last built, so that unchanged
/// values keep their revision.
pub enum ValueChanges<'a> {
    /// No previous values: build all.
    All,
    /// Same site structure (same pages and sections at the same indices);
    /// only the bodies of these pages and sections changed.
    Bodies {
        /// The previous values.
        previous: &'a SiteValues,
        /// Indices of pages whose body changed.
        pages: &'a [usize],
        /// Indices of sections whose body changed.
        sections: &'a [usize],
    },
    /// Anything may have changed: compare with the previous site.
    Compare {
        /// The previous site.
        site: &'a Site,
        /// Its values.
        previous: &'a SiteValues,
    },
}

impl SiteValues {
    /// Builds every value of `site` once.
    pub fn build(site: &Site) -> SiteValues {
        SiteValues::update(site, ValueChanges::All)
    }

    /// Builds the values of `site`, reusing (value and revision) every one
    /// that `changes` shows to be unchanged.
    pub fn update(site: &Site, changes: ValueChanges) -> SiteValues {
        use rayon::prelude::*;
        let fresh = |i: usize| {
            Versioned::new(Value::from_serializable(&page_context(
                site,
                &site.pages[i],
            )))
        };
        let pages: Vec<Versioned> = match &changes {
            ValueChanges::All => (0..site.pages.len()).into_par_iter().map(fresh).collect(),
            ValueChanges::Bodies {
                previous, pages, ..
            } => {
                let mut values = previous.pages.clone();
                for &i in *pages {
                    values[i] = fresh(i);
                }
                values
            }
            ValueChanges::Compare {
                site: old,
                previous,
            } => {
                let old_index: std::collections::HashMap<&str, usize> = old
                    .pages
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.source.relative_path.as_str(), i))
                    .collect();
                (0..site.pages.len())
                    .into_par_iter()
                    .map(|i| {
                        let page = &site.pages[i];
                        let context = page_context(site, page);
                        match old_index.get(page.source.relative_path.as_str()) {
                            Some(&j) if page_context(old, &old.pages[j]) == context => {
                                previous.pages[j].clone()
                            }
                            _ => Versioned::new(Value::from_serializable(&context)),
                        }
                    })
                    .collect()
            }
        };
        let mut sections = Vec::with_capacity(site.sections.len());
        let mut sections_alone = Vec::with_capacity(site.sections.len());
        for (i, section) in site.sections.iter().enumerate() {
            let previous = match &changes {
                ValueChanges::All => None,
                ValueChanges::Bodies {
                    previous, sections, ..
                } => (!sections.contains(&i)).then(|| previous.sections_alone[i].clone()),
                ValueChanges::Compare {
                    site: old,
                    previous,
                } => {
                    let context = section_context(site, section);
                    old.sections
                        .iter()
                        .position(|s| s.path == section.path && s.lang == section.lang)
                        .filter(|&j| section_context(old, &old.sections[j]) == context)
                        .map(|j| previous.sections_alone[j].clone())
                }
            };
            let alone = previous.unwrap_or_else(|| {
                Versioned::new(Value::from_serializable(&section_context(site, section)))
            });
            sections.push(with_pages(&alone, section.pages.iter().map(|&p| &pages[p])));
            sections_alone.push(alone);
        }
        let configs = site
            .config
            .languages
            .iter()
            .map(|l| config_value(&site.config, &l.code))
            .collect();
        let taxonomies = site.taxonomies.iter().map(taxonomy_value).collect();
        let terms_alone: Vec<Vec<Versioned>> = site
            .taxonomies
            .iter()
            .map(|t| t.terms.iter().map(term_value).collect())
            .collect();
        let terms: Vec<Vec<Versioned>> = site
            .taxonomies
            .iter()
            .zip(&terms_alone)
            .map(|(taxonomy, alone)| {
                taxonomy
                    .terms
                    .iter()
                    .zip(alone)
                    .map(|(term, a)| with_pages(a, term.pages.iter().map(|&p| &pages[p])))
                    .collect()
            })
            .collect();
        let term_lists = terms
            .iter()
            .map(|list| Versioned {
                value: Value::from(list.iter().map(|t| t.value.clone()).collect::<Vec<_>>()),
                rev: derived_rev(list.iter().map(|t| t.rev)),
            })
            .collect();
        SiteValues {
            pages,
            sections,
            sections_alone,
            configs,
            taxonomies,
            terms,
            terms_alone,
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

#[derive(Serialize, PartialEq)]
struct TranslationContext<'a> {
    lang: &'a str,
    title: &'a str,
    permalink: &'a str,
    path: &'a str,
}

#[derive(Serialize, PartialEq)]
struct TermLinkContext<'a> {
    name: &'a str,
    slug: &'a str,
    permalink: &'a str,
}

#[derive(Serialize, PartialEq)]
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

#[derive(Serialize, PartialEq)]
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
#[derive(Serialize, Clone, Debug, PartialEq, Eq, Hash)]
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

fn page_context<'a>(site: &'a Site, page: &'a Page) -> PageContext<'a> {
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
    PageContext {
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
    }
}

fn section_context<'a>(site: &'a Site, section: &'a Section) -> SectionContext<'a> {
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
    SectionContext {
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
    }
}

/// `alone` (a section or term value) with its `pages` list added. Its
/// revision derives from the revisions of its parts.
fn with_pages<'a>(alone: &Versioned, pages: impl Iterator<Item = &'a Versioned>) -> Versioned {
    let mut map = alone.value.clone().into_map().unwrap_or_default();
    let mut revs = vec![alone.rev];
    let list: Vec<Value> = pages
        .map(|p| {
            revs.push(p.rev);
            p.value.clone()
        })
        .collect();
    map.insert("pages".into(), Value::from(list));
    Versioned {
        value: Value::from(map),
        rev: derived_rev(revs),
    }
}

/// The hasher of fingerprints and derived revisions: fast, and seeded
/// the same way on every call, so equal inputs hash equal.
pub fn fingerprint_hasher() -> impl Hasher {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x6761_7a65_7474_6521).build_hasher()
}

/// A revision for data that is cheap to hash: the hash of its parts.
pub fn derived_rev<T: Hash>(parts: impl IntoIterator<Item = T>) -> u64 {
    let mut hasher = fingerprint_hasher();
    for part in parts {
        part.hash(&mut hasher);
    }
    // Keep clear of the small numbers that fresh values count with.
    hasher.finish() | 1 << 63
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

fn taxonomy_value(taxonomy: &crate::content::Taxonomy) -> Versioned {
    let fields = [
        ("name", taxonomy.name.as_str()),
        ("lang", taxonomy.lang.as_str()),
        ("permalink", taxonomy.permalink.as_str()),
        ("path", taxonomy.path.as_str()),
    ];
    let map: tera::Map = fields
        .iter()
        .map(|&(k, v)| (k.into(), Value::from(v)))
        .collect();
    Versioned {
        value: Value::from(map),
        rev: derived_rev(fields),
    }
}

fn term_value(term: &crate::content::Term) -> Versioned {
    let fields = [
        ("name", term.name.as_str()),
        ("slug", term.slug.as_str()),
        ("permalink", term.permalink.as_str()),
        ("path", term.path.as_str()),
    ];
    let mut map: tera::Map = fields
        .iter()
        .map(|&(k, v)| (k.into(), Value::from(v)))
        .collect();
    map.insert("page_count".into(), Value::from(term.pages.len()));
    Versioned {
        value: Value::from(map),
        rev: derived_rev([derived_rev(fields), term.pages.len() as u64]),
    }
}
