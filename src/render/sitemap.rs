//! The sitemap's entries: every section, page, taxonomy and term, with
//! `hreflang` alternates for content that exists in several languages.

use serde::Serialize;

use crate::content::Site;

/// One language version of a sitemap entry.
#[derive(Serialize, Hash)]
pub struct Alternate<'a> {
    lang: &'a str,
    permalink: &'a str,
}

/// One URL of the sitemap.
#[derive(Serialize, Hash)]
pub struct Entry<'a> {
    permalink: &'a str,
    updated: Option<String>,
    /// Every language version (itself included) when there are several,
    /// for `hreflang` links that search engines read.
    alternates: Vec<Alternate<'a>>,
}

/// The entries of `site`, sorted by permalink.
pub fn entries(site: &Site) -> Vec<Entry<'_>> {
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
    entries
}
