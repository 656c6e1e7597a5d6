//! Remembers every rendered output with a fingerprint of what it was
//! rendered from, so that a rebuild renders only the outputs whose inputs
//! changed and reuses the bytes of all others.
//!
//! An output's inputs are its template (with everything that template
//! extends or includes), the revisions of the values in its context, and
//! the lookups its template made through functions (`get_page`,
//! `get_section`, `get_url`, `get_taxonomy_url`, the `markdown` filter's
//! links). Lookups are recorded while the output renders, on the rendering
//! thread, and re-evaluated against the new site before the output is
//! reused. Config and UI strings are not fingerprinted: the caller
//! discards the memo when they change.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

use super::OutputFile;
use super::RenderData;
use super::context::derived_rev;

/// A lookup a template made through a function.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lookup {
    /// `get_page(path, lang)`.
    Page {
        /// Content path.
        path: String,
        /// Language asked for.
        lang: Option<String>,
    },
    /// `get_section(path, lang)`.
    Section {
        /// Content path.
        path: String,
        /// Language asked for.
        lang: Option<String>,
    },
    /// An `@/` link resolved by `get_url` or the `markdown` filter.
    Link {
        /// Content path.
        path: String,
        /// Language it was resolved in.
        lang: String,
    },
    /// `get_taxonomy_url(kind, name, lang)`.
    TaxonomyUrl {
        /// Taxonomy name.
        kind: String,
        /// Term name.
        name: Option<String>,
        /// Language.
        lang: String,
    },
}

impl Lookup {
    /// What the lookup yields on `data`, as a revision.
    pub fn evaluate(&self, data: &RenderData) -> u64 {
        let site = &data.site;
        match self {
            Lookup::Page { path, lang } => site
                .find_page(path, lang.as_deref())
                .map_or(0, |i| data.values.pages[i].rev),
            Lookup::Section { path, lang } => site
                .find_section(path, lang.as_deref())
                .map_or(0, |i| data.values.sections[i].rev),
            Lookup::Link { path, lang } => derived_rev([site.resolve_internal_link(path, lang)]),
            Lookup::TaxonomyUrl { kind, name, lang } => derived_rev([
                super::functions::taxonomy_url(site, kind, name.as_deref(), lang).ok(),
            ]),
        }
    }
}

thread_local! {
    static RECORDED: RefCell<Option<Vec<Lookup>>> = const { RefCell::new(None) };
}

/// Records a lookup for the output being rendered on this thread.
pub fn record(lookup: Lookup) {
    RECORDED.with(|recorded| {
        if let Some(list) = recorded.borrow_mut().as_mut() {
            list.push(lookup);
        }
    });
}

/// Runs `render`, returning its result and the lookups it made.
pub fn recording<T>(render: impl FnOnce() -> T) -> (T, Vec<Lookup>) {
    RECORDED.with(|recorded| *recorded.borrow_mut() = Some(Vec::new()));
    let result = render();
    let mut lookups = RECORDED
        .with(|recorded| recorded.borrow_mut().take())
        .unwrap_or_default();
    lookups.sort();
    lookups.dedup();
    (result, lookups)
}

/// One remembered output.
pub struct MemoEntry {
    /// URL path of the output.
    pub key: String,
    /// Hash of the output's own inputs.
    pub fingerprint: u64,
    /// Lookups made while rendering, with what they yielded.
    pub lookups: Vec<(Lookup, u64)>,
    /// The files rendered (the page, plus any redirect beside it).
    pub files: Vec<OutputFile>,
}

impl MemoEntry {
    /// Whether a `get_page` or `get_section` lookup now yields another
    /// value. (URL lookups cannot change when only bodies changed.)
    pub fn value_lookups_changed(&self, data: &RenderData) -> bool {
        self.lookups.iter().any(|(lookup, yielded)| {
            matches!(lookup, Lookup::Page { .. } | Lookup::Section { .. })
                && lookup.evaluate(data) != *yielded
        })
    }
}

/// Outputs of the last render, by URL path, and in job order.
#[derive(Clone, Default)]
pub struct RenderMemo {
    entries: foldhash::HashMap<String, Arc<MemoEntry>>,
    last: Vec<Arc<MemoEntry>>,
}

impl RenderMemo {
    /// The remembered files of `key`, if its fingerprint matches and every
    /// lookup still yields the same.
    pub fn reuse(&self, key: &str, fingerprint: u64, data: &RenderData) -> Option<&Arc<MemoEntry>> {
        let entry = self.entries.get(key)?;
        let valid = entry.fingerprint == fingerprint
            && entry
                .lookups
                .iter()
                .all(|(lookup, yielded)| lookup.evaluate(data) == *yielded);
        valid.then_some(entry)
    }

    /// The entries of the last render, in the order of its jobs.
    pub fn last(&self) -> &[Arc<MemoEntry>] {
        &self.last
    }

    /// Records the outputs of a render (`true`: rendered afresh) and
    /// forgets outputs that no job produces any more.
    pub fn update(&mut self, results: &[(Arc<MemoEntry>, bool)]) {
        for (entry, rendered) in results {
            if *rendered {
                self.entries.insert(entry.key.clone(), entry.clone());
            }
        }
        self.last = results.iter().map(|(e, _)| e.clone()).collect();
        if self.entries.len() != results.len() {
            let live: HashSet<&str> = results.iter().map(|(e, _)| e.key.as_str()).collect();
            self.entries.retain(|key, _| live.contains(key.as_str()));
        }
    }
}
