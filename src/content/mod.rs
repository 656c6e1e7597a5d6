//! The content model: pages, sections, taxonomies, and how they link up.
//!
//! [`load`] reads files, [`front_matter`] parses their headers, and
//! [`library`] assembles them into a [`Site`]: URLs, translations, section
//! membership, sorting and taxonomies. The markdown stage later fills in
//! each entry's [`Markdown`]. Everything here is plain data.

pub mod front_matter;
pub mod library;
pub mod load;
pub mod text;

use std::collections::HashMap;
use std::path::PathBuf;

pub use front_matter::{ContentDate, FrontMatter, SortBy};
pub use library::{BuildFilter, assemble_site};
pub use load::{ContentAsset, ContentKind, SourceFile};

use crate::config::Config;
use crate::markdown::Markdown;

/// Where a page or section came from.
#[derive(Debug, Clone)]
pub struct ContentSource {
    /// Path on disk, for errors.
    pub path: PathBuf,
    /// Path inside `content/`: `news/conference.en.md`.
    pub relative_path: String,
    /// The key shared with its translations: `news/conference.md`.
    pub translation_key: String,
    /// Language code.
    pub lang: String,
    /// The Markdown body.
    pub body: std::sync::Arc<str>,
    /// The line on which the body starts.
    pub body_line: usize,
}

/// One page of the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// Source file.
    pub source: ContentSource,
    /// Parsed front matter.
    pub meta: FrontMatter,
    /// Last URL segment.
    pub slug: String,
    /// URL path, `/en/news/conference/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Front matter date, else the date at the start of the file name.
    pub date: Option<ContentDate>,
    /// Index in [`Site::sections`] of the section that lists this page.
    pub section: usize,
    /// Indices in [`Site::pages`] of every language version, this one
    /// included, in config language order.
    pub translations: Vec<usize>,
    /// Files of a page bundle, copied beside the page's `index.html`.
    pub assets: Vec<ContentAsset>,
    /// The rendered body (filled by the markdown stage).
    pub content: std::sync::Arc<Markdown>,
}

/// One section (`_index.md`) of the site, in one language.
#[derive(Debug, Clone)]
pub struct Section {
    /// Source file. For a language with no `_index.<lang>.md`, the
    /// default language's file stands in.
    pub source: ContentSource,
    /// Parsed front matter.
    pub meta: FrontMatter,
    /// Folder inside `content/` (`""` for the home page).
    pub dir: String,
    /// Language of this section (may differ from `source.lang` on fallback).
    pub lang: String,
    /// URL path.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Pages of the section, sorted by its `sort_by`.
    pub pages: Vec<usize>,
    /// Direct child sections.
    pub subsections: Vec<usize>,
    /// Index of the parent section (`None` for the home page).
    pub parent: Option<usize>,
    /// Indices of every language version, this one included.
    pub translations: Vec<usize>,
    /// The rendered body.
    pub content: std::sync::Arc<Markdown>,
}

/// One taxonomy (e.g. `tags`) in one language.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Name, e.g. `tags`.
    pub name: String,
    /// Language code.
    pub lang: String,
    /// URL path of the list of terms: `/en/tags/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Page size of each term's list, if paginated.
    pub paginate_by: Option<usize>,
    /// Terms, sorted by name.
    pub terms: Vec<Term>,
    /// Index into `terms` by term slug.
    pub term_index: HashMap<String, usize>,
}

/// One term of a taxonomy, e.g. the tag `涪陵`.
#[derive(Debug, Clone)]
pub struct Term {
    /// As written in front matter.
    pub name: String,
    /// URL segment.
    pub slug: String,
    /// URL path.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// Pages with this term, newest first.
    pub pages: Vec<usize>,
}

/// An old URL that redirects to a page.
#[derive(Debug, Clone)]
pub struct Alias {
    /// Output path of the redirect, e.g. `/old/url/`.
    pub path: String,
    /// Where it redirects.
    pub target: String,
    /// The content file that declares it.
    pub source: PathBuf,
    /// Language of the page it redirects to.
    pub lang: String,
}

/// The assembled site: the input of the render stage.
#[derive(Debug, Clone)]
pub struct Site {
    /// Validated configuration.
    pub config: Config,
    /// Every page, in every language.
    pub pages: Vec<Page>,
    /// Every section, in every language; index 0 is the default language's home.
    pub sections: Vec<Section>,
    /// Every taxonomy, in every language.
    pub taxonomies: Vec<Taxonomy>,
    /// Redirects from `aliases`.
    pub aliases: Vec<Alias>,
    /// Non-Markdown files of `content/` outside page bundles, copied as is.
    pub assets: Vec<ContentAsset>,
    /// Page index by relative path and by translation key.
    pub page_index: HashMap<String, usize>,
    /// Section index by relative path and by translation key.
    pub section_index: HashMap<String, usize>,
    /// Non-fatal problems found while assembling the site.
    pub warnings: Vec<String>,
}

impl Page {
    /// The title, or the slug when the front matter has none.
    pub fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or(&self.slug)
    }
}

impl Section {
    /// The title (empty when the front matter has none).
    pub fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or("")
    }
}

impl Taxonomy {
    /// The term whose name slugifies like `name`, if any.
    pub fn term(&self, name: &str) -> Option<&Term> {
        self.term_index
            .get(&text::slugify(name))
            .map(|&i| &self.terms[i])
    }
}

impl Site {
    /// The home section of `lang`.
    pub fn home(&self, lang: &str) -> &Section {
        self.sections
            .iter()
            .find(|s| s.dir.is_empty() && s.lang == lang)
            .unwrap_or(&self.sections[0])
    }

    /// Index of the page with this content path (`news/a.md` or
    /// `news/a.en.md`) in `lang`: the file itself, or its translation into
    /// `lang` when one exists.
    pub fn find_page(&self, relative_path: &str, lang: Option<&str>) -> Option<usize> {
        let index = *self.page_index.get(relative_path)?;
        Some(
            translated(&self.pages[index].translations, lang, |i| {
                &self.pages[i].source.lang
            })
            .unwrap_or(index),
        )
    }

    /// Permalink of the page or section at `path` (inside `content/`, e.g.
    /// `news/_index.md` or `about.md`), in `lang` when a translation exists.
    pub fn resolve_internal_link(&self, path: &str, lang: &str) -> Option<String> {
        let is_section = path
            .rsplit('/')
            .next()
            .is_some_and(|name| name.starts_with("_index."));
        if is_section {
            self.find_section(path, Some(lang))
                .map(|i| self.sections[i].permalink.clone())
        } else {
            self.find_page(path, Some(lang))
                .map(|i| self.pages[i].permalink.clone())
        }
    }

    /// Index of the section with this content path (`news/_index.md`) in
    /// `lang`.
    pub fn find_section(&self, relative_path: &str, lang: Option<&str>) -> Option<usize> {
        let index = *self.section_index.get(relative_path)?;
        Some(
            translated(&self.sections[index].translations, lang, |i| {
                &self.sections[i].lang
            })
            .unwrap_or(index),
        )
    }
}

fn translated<'a>(
    versions: &[usize],
    lang: Option<&str>,
    lang_of: impl Fn(usize) -> &'a String,
) -> Option<usize> {
    let lang = lang?;
    versions.iter().copied().find(|&i| lang_of(i) == lang)
}
