//! The functions and filters Gazette adds to Tera: `get_url`, `get_page`,
//! `get_section`, `get_taxonomy_url`, `trans`, and the `date` and
//! `markdown` filters. Names and arguments follow Zola; every lookup also
//! takes a `lang` argument that picks the translation.

use std::sync::{Arc, RwLock};

use tera::{Error as TeraError, Kwargs, State, Tera, TeraResult, Value};

use super::RenderData;
use super::memo::{Lookup, record};
use crate::content::Site;
use crate::content::front_matter::parse_date;
use crate::markdown::{MarkdownOptions, render_markdown};

/// Registers Gazette's functions and filters on `tera`.
pub fn register(tera: &mut Tera, shared: &DataSlot) {
    let slot = shared.clone();
    tera.register_function(
        "trans",
        move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let d = current(&slot)?;
            let key: String = kwargs.must_get("key")?;
            let lang = current_lang(&d, &kwargs, state)?;
            Ok(d.i18n.translate(&key, &lang))
        },
    );

    let slot = shared.clone();
    tera.register_function("get_url", move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
        let d = current(&slot)?;
        let path: String = kwargs.must_get("path")?;
        let explicit_lang: Option<String> = kwargs.get("lang")?;
        let lang = current_lang(&d, &kwargs, state)?;
        if let Some(content_path) = path.strip_prefix("@/") {
            let (target, fragment) = split_fragment(content_path);
            record(Lookup::Link { path: target.to_string(), lang: lang.clone() });
            return d
                .resolve_content_path(target, &lang)
                .map(|url| url + fragment)
                .ok_or_else(|| TeraError::message(format!("get_url: there is no content at `{path}` (the path is relative to content/)")));
        }
        if path.starts_with("http://") || path.starts_with("https://") {
            return Ok(path);
        }
        let prefix = match explicit_lang {
            Some(lang) => d.site.config.language_prefix(&lang),
            None => "/".to_string(),
        };
        Ok(d.site.config.permalink(&format!("{prefix}{}", path.trim_start_matches('/'))))
    });

    let slot = shared.clone();
    tera.register_function(
        "get_page",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let d = current(&slot)?;
            let path: String = kwargs.must_get("path")?;
            let lang: Option<String> = kwargs.get("lang")?;
            let path = path.trim_start_matches("@/");
            record(Lookup::Page {
                path: path.to_string(),
                lang: lang.clone(),
            });
            d.site
                .find_page(path, lang.as_deref())
                .map(|i| d.values.pages[i].value.clone())
                .ok_or_else(|| {
                    TeraError::message(format!("get_page: there is no page at `content/{path}`"))
                })
        },
    );

    let slot = shared.clone();
    tera.register_function(
        "get_section",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let d = current(&slot)?;
            let path: String = kwargs.must_get("path")?;
            let lang: Option<String> = kwargs.get("lang")?;
            let path = path.trim_start_matches("@/");
            record(Lookup::Section {
                path: path.to_string(),
                lang: lang.clone(),
            });
            d.site
                .find_section(path, lang.as_deref())
                .map(|i| d.values.sections[i].value.clone())
                .ok_or_else(|| {
                    TeraError::message(format!(
                        "get_section: there is no section at `content/{path}`"
                    ))
                })
        },
    );

    let slot = shared.clone();
    tera.register_function(
        "get_taxonomy_url",
        move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let d = current(&slot)?;
            let kind: String = kwargs.must_get("kind")?;
            let name: Option<String> = kwargs.get("name")?;
            let lang = current_lang(&d, &kwargs, state)?;
            record(Lookup::TaxonomyUrl {
                kind: kind.clone(),
                name: name.clone(),
                lang: lang.clone(),
            });
            taxonomy_url(&d.site, &kind, name.as_deref(), &lang).map_err(TeraError::message)
        },
    );

    let slot = shared.clone();
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let d = current(&slot)?;
            let date = parse_date(value).ok_or_else(|| {
                TeraError::message(format!("date: `{value}` is not a date like 2023-12-07"))
            })?;
            let format = match kwargs.get::<String>("format")? {
                Some(format) => format,
                None => {
                    let lang = current_lang(&d, &kwargs, state)?;
                    d.i18n
                        .get("date_format", &lang)
                        .unwrap_or("%Y-%m-%d")
                        .to_string()
                }
            };
            let mut out = String::new();
            use std::fmt::Write;
            write!(out, "{}", date.datetime.format(&format)).map_err(|_| {
                TeraError::message(format!("date: `{format}` is not a valid strftime format"))
            })?;
            Ok(out)
        },
    );

    let slot = shared.clone();
    tera.register_filter(
        "markdown",
        move |value: &str, _: Kwargs, state: &State| -> TeraResult<String> {
            let d = current(&slot)?;
            let lang: String = state
                .get("lang")?
                .unwrap_or_else(|| d.site.config.default_language.clone());
            let resolve = |path: &str| {
                record(Lookup::Link {
                    path: path.to_string(),
                    lang: lang.clone(),
                });
                d.resolve_content_path(path, &lang)
            };
            let options = MarkdownOptions {
                highlight: d.site.config.markdown.highlight_code,
                path: std::path::Path::new("<markdown filter>"),
                first_line: 1,
                permalink: "",
                resolve_link: &resolve,
            };
            render_markdown(value, &options)
                .map(|m| m.html)
                .map_err(|e| TeraError::message(format!("markdown: {e}")))
        },
    );
}

/// Where the functions find the data of the render in progress: the
/// compiled templates outlive a render, the data does not.
pub type DataSlot = Arc<RwLock<Option<Arc<RenderData>>>>;

fn current(slot: &DataSlot) -> TeraResult<Arc<RenderData>> {
    slot.read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .ok_or_else(|| TeraError::message("Gazette's functions work only while a site renders"))
}

fn current_lang(data: &RenderData, kwargs: &Kwargs, state: &State) -> TeraResult<String> {
    if let Some(lang) = kwargs.get::<String>("lang")? {
        return Ok(lang);
    }
    Ok(state
        .get::<String>("lang")?
        .unwrap_or_else(|| data.site.config.default_language.clone()))
}

/// Splits `path#frag` into `path` and `#frag`.
pub fn split_fragment(path: &str) -> (&str, &str) {
    match path.find('#') {
        Some(i) => (&path[..i], &path[i..]),
        None => (path, ""),
    }
}

/// The URL of taxonomy `kind` (its term list), or of its term `name`, in
/// `lang`.
pub fn taxonomy_url(
    site: &Site,
    kind: &str,
    name: Option<&str>,
    lang: &str,
) -> Result<String, String> {
    let taxonomy = site
        .taxonomies
        .iter()
        .find(|t| t.name == kind && t.lang == lang)
        .ok_or_else(|| format!("get_taxonomy_url: language `{lang}` has no taxonomy `{kind}`"))?;
    // Without a name: the taxonomy's own page, the list of its terms.
    let Some(name) = name else {
        return Ok(taxonomy.permalink.clone());
    };
    taxonomy
        .term(name)
        .map(|term| term.permalink.clone())
        .ok_or_else(|| {
            format!("get_taxonomy_url: no term `{name}` in taxonomy `{kind}` for language `{lang}`")
        })
}
