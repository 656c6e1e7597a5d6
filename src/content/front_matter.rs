//! Splits a content file into front matter and body, and turns the front
//! matter (TOML between `+++`, or YAML between `---`) into [`FrontMatter`].
//!
//! Both syntaxes are first read into one JSON-like map, then every key is
//! checked by hand, so an error names the exact key, its line, and what the
//! key expects.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Map, Value as Json};

use crate::content::load::ContentKind;
use crate::error::{Error, Location, Result};

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Newest first; undated pages last.
    Date,
    /// Lowest `weight` first.
    Weight,
    /// By title.
    Title,
    /// By file name (the default).
    #[default]
    None,
}

/// A date from front matter or a file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ContentDate {
    /// The moment, taken as UTC.
    pub datetime: NaiveDateTime,
    /// Whether a time of day was given.
    pub has_time: bool,
}

impl ContentDate {
    /// `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` when a time was given.
    pub fn to_context_string(&self) -> String {
        if self.has_time {
            self.datetime.format("%Y-%m-%dT%H:%M:%S").to_string()
        } else {
            self.datetime.format("%Y-%m-%d").to_string()
        }
    }

    /// RFC 3339 in UTC, for feeds and sitemaps.
    pub fn to_rfc3339(&self) -> String {
        self.datetime.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// Parses `2023-12-07`, `2023-12-07T08:30:00`, `2023-12-07 08:30` or an RFC
/// 3339 timestamp with offset (converted to UTC).
pub fn parse_date(text: &str) -> Option<ContentDate> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(ContentDate {
            datetime: date.and_hms_opt(0, 0, 0)?,
            has_time: false,
        });
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(ContentDate {
            datetime: dt.naive_utc(),
            has_time: true,
        });
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(datetime) = NaiveDateTime::parse_from_str(text, format) {
            return Some(ContentDate {
                datetime,
                has_time: true,
            });
        }
    }
    None
}

/// The parsed front matter of a page or section. Fields that only make sense
/// for one kind are refused on the other.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `date` (pages).
    pub date: Option<ContentDate>,
    /// `updated` (pages).
    pub updated: Option<ContentDate>,
    /// `draft`.
    pub draft: bool,
    /// `slug` (pages).
    pub slug: Option<String>,
    /// `template`, with the location of the key.
    pub template: Option<(String, Location)>,
    /// `weight`.
    pub weight: Option<i64>,
    /// `aliases` (pages): old URLs that redirect here.
    pub aliases: Vec<String>,
    /// Taxonomy terms, by taxonomy name, with the location of the key.
    pub taxonomies: BTreeMap<String, (Vec<String>, Location)>,
    /// `sort_by` (sections).
    pub sort_by: SortBy,
    /// `paginate_by` (sections).
    pub paginate_by: Option<usize>,
    /// `page_template` (sections), with the location of the key.
    pub page_template: Option<(String, Location)>,
    /// `[extra]`.
    pub extra: Map<String, Json>,
}

/// A content file split into its parts.
#[derive(Debug, Clone, Default)]
pub struct ParsedFile {
    /// The front matter.
    pub front_matter: FrontMatter,
    /// The Markdown body.
    pub body: std::sync::Arc<str>,
    /// Line of the file on which the body starts (1-based).
    pub body_line: usize,
}

const PAGE_ONLY: &[&str] = &["date", "updated", "slug", "aliases", "draft"];
const SECTION_ONLY: &[&str] = &["sort_by", "paginate_by", "page_template"];

/// Splits and parses one content file.
pub fn parse_front_matter(path: &Path, text: &str, kind: ContentKind) -> Result<ParsedFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some((delimiter, syntax)) = [("+++", Syntax::Toml), ("---", Syntax::Yaml)]
        .into_iter()
        .find(|(d, _)| text.lines().next().is_some_and(|l| l.trim_end() == *d))
    else {
        return Ok(ParsedFile {
            front_matter: FrontMatter::default(),
            body: text.into(),
            body_line: 1,
        });
    };
    let first_line_len = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = first_line_len;
    let mut close = None;
    for line in text[first_line_len..].split_inclusive('\n') {
        if line.trim_end() == delimiter {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((close_start, body_start)) = close else {
        return Err(Error::FrontMatter {
            at: Location::new(path, 1, 1),
            message: format!(
                "the front matter opened with `{delimiter}` on line 1 is never closed"
            ),
            help: format!("add a line holding only `{delimiter}` after the last front matter line"),
        });
    };
    let source = &text[first_line_len..close_start];
    let body_line = text[..body_start].matches('\n').count() + 1;
    let table = match syntax {
        Syntax::Toml => parse_toml(path, source)?,
        Syntax::Yaml => parse_yaml(path, source)?,
    };
    let front_matter = FieldReader { path, source, kind }.read(table)?;
    Ok(ParsedFile {
        front_matter,
        body: text[body_start..].into(),
        body_line,
    })
}

#[derive(Clone, Copy)]
enum Syntax {
    Toml,
    Yaml,
}

fn parse_toml(path: &Path, source: &str) -> Result<Map<String, Json>> {
    let table: toml::Table = toml::from_str(source).map_err(|e| Error::FrontMatter {
        at: Location::at_offset(path, source, e.span().map_or(0, |s| s.start), 2),
        message: e.message().trim().to_string(),
        help:
            "front matter between `+++` lines is TOML: quote strings, write lists as [\"a\", \"b\"]"
                .into(),
    })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k, toml_to_json(v)))
        .collect())
}

fn toml_to_json(value: toml::Value) -> Json {
    match value {
        toml::Value::String(s) => Json::String(s),
        toml::Value::Integer(i) => Json::from(i),
        toml::Value::Float(f) => Json::from(f),
        toml::Value::Boolean(b) => Json::Bool(b),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(a) => Json::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Json::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn parse_yaml(path: &Path, source: &str) -> Result<Map<String, Json>> {
    if source.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: Json = serde_yaml_ng::from_str(source).map_err(|e| {
        let (line, column) = e.location().map_or((1, 0), |l| (l.line(), l.column()));
        Error::FrontMatter {
            at: Location::new(path, line + 1, column),
            message: strip_yaml_positions(&e.to_string()),
            help: "front matter between `---` lines is YAML: `key: value`, lists as [a, b]".into(),
        }
    })?;
    match value {
        Json::Object(map) => Ok(map),
        _ => Err(Error::FrontMatter {
            at: Location::new(path, 2, 1),
            message: "the front matter is not a table of `key: value` lines".into(),
            help: "write one `key: value` per line".into(),
        }),
    }
}

/// serde_yaml's message without its own positions, which count from the
/// start of the front matter and would contradict the file position.
fn strip_yaml_positions(message: &str) -> String {
    let mut out = String::new();
    for clause in message.split(", ") {
        let clause = clause.split(" at line ").next().unwrap_or(clause);
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(clause);
    }
    out
}

struct FieldReader<'a> {
    path: &'a Path,
    source: &'a str,
    kind: ContentKind,
}

impl FieldReader<'_> {
    /// Location of the line that sets `key` (front matter starts on line 2).
    fn at(&self, key: &str) -> Location {
        for (line_number, line) in (2..).zip(self.source.lines()) {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix(key) {
                let rest = rest.trim_start();
                if rest.starts_with('=') || rest.starts_with(':') || rest.starts_with(']') {
                    let column = line.chars().count() - trimmed.chars().count() + 1;
                    return Location::new(self.path, line_number, column);
                }
            }
            if trimmed
                .strip_prefix('[')
                .is_some_and(|r| r.starts_with(key))
            {
                return Location::new(self.path, line_number, 1);
            }
        }
        Location::new(self.path, 2, 1)
    }

    fn wrong_type(&self, key: &str, expected: &str, example: &str, value: &Json) -> Error {
        Error::FrontMatter {
            at: self.at(key),
            message: format!("`{key}` must be {expected}, found {}", describe(value)),
            help: format!("write it like {example}"),
        }
    }

    fn string(&self, key: &str, value: Json) -> Result<String> {
        match value {
            Json::String(s) => Ok(s),
            other => Err(self.wrong_type(key, "a string", &format!("{key} = \"…\""), &other)),
        }
    }

    fn date(&self, key: &str, value: Json) -> Result<ContentDate> {
        let text = self.string(key, value.clone()).ok();
        text.as_deref()
            .and_then(parse_date)
            .ok_or_else(|| Error::FrontMatter {
                at: self.at(key),
                message: format!("`{key}` must be a date, found {}", describe(&value)),
                help: format!("write it like {key} = 2023-12-07 (or 2023-12-07T09:30:00+08:00)"),
            })
    }

    fn string_list(&self, key: &str, value: Json) -> Result<Vec<String>> {
        let example = format!("{key} = [\"产改\", \"涪陵\"]");
        match value {
            Json::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    Json::String(s) => Ok(s),
                    other => Err(self.wrong_type(key, "a list of strings", &example, &other)),
                })
                .collect(),
            other => Err(self.wrong_type(key, "a list of strings", &example, &other)),
        }
    }

    fn read(&self, table: Map<String, Json>) -> Result<FrontMatter> {
        let mut fm = FrontMatter::default();
        for (key, value) in table {
            let wrong_kind = match self.kind {
                ContentKind::Section => PAGE_ONLY.contains(&key.as_str()),
                ContentKind::Page => SECTION_ONLY.contains(&key.as_str()),
            };
            if wrong_kind {
                let (is, other) = match self.kind {
                    ContentKind::Section => ("a section (_index.md)", "pages"),
                    ContentKind::Page => ("a page", "sections (_index.md)"),
                };
                return Err(Error::FrontMatter {
                    at: self.at(&key),
                    message: format!("`{key}` has no meaning in {is}"),
                    help: format!("`{key}` is for {other}; remove it here"),
                });
            }
            match key.as_str() {
                "title" => fm.title = Some(self.string(&key, value)?),
                "description" => fm.description = Some(self.string(&key, value)?),
                "date" => fm.date = Some(self.date(&key, value)?),
                "updated" => fm.updated = Some(self.date(&key, value)?),
                "slug" => fm.slug = Some(self.string(&key, value)?),
                "template" => fm.template = Some((self.string(&key, value)?, self.at(&key))),
                "page_template" => {
                    fm.page_template = Some((self.string(&key, value)?, self.at(&key)))
                }
                "aliases" => fm.aliases = self.string_list(&key, value)?,
                "draft" => match value {
                    Json::Bool(b) => fm.draft = b,
                    other => {
                        return Err(self.wrong_type(&key, "true or false", "draft = true", &other));
                    }
                },
                "weight" => match value.as_i64() {
                    Some(w) => fm.weight = Some(w),
                    None => {
                        return Err(self.wrong_type(&key, "a whole number", "weight = 1", &value));
                    }
                },
                "paginate_by" => match value.as_u64().filter(|n| *n > 0) {
                    Some(n) => fm.paginate_by = Some(n as usize),
                    None => {
                        return Err(self.wrong_type(
                            &key,
                            "a positive whole number",
                            "paginate_by = 10",
                            &value,
                        ));
                    }
                },
                "sort_by" => {
                    let text = self.string(&key, value.clone())?;
                    fm.sort_by = match text.as_str() {
                        "date" => SortBy::Date,
                        "weight" => SortBy::Weight,
                        "title" => SortBy::Title,
                        "none" => SortBy::None,
                        _ => {
                            return Err(self.wrong_type(
                                &key,
                                "one of \"date\", \"weight\", \"title\", \"none\"",
                                "sort_by = \"date\"",
                                &value,
                            ));
                        }
                    }
                }
                "extra" => match value {
                    Json::Object(map) => fm.extra = map,
                    other => {
                        return Err(self.wrong_type(
                            &key,
                            "a table",
                            "[extra] on its own line",
                            &other,
                        ));
                    }
                },
                "taxonomies" => match value {
                    Json::Object(map) => {
                        for (name, terms) in map {
                            let terms = self.string_list(&name, terms)?;
                            fm.taxonomies.insert(name.clone(), (terms, self.at(&name)));
                        }
                    }
                    other => {
                        return Err(self.wrong_type(
                            &key,
                            "a table",
                            "[taxonomies] then tags = [\"…\"]",
                            &other,
                        ));
                    }
                },
                // Any other key must be a taxonomy (`tags = [...]`); whether the
                // config declares it is checked once the site is assembled.
                _ => match value {
                    Json::Array(_) => {
                        let terms = self.string_list(&key, value)?;
                        let at = self.at(&key);
                        fm.taxonomies.insert(key, (terms, at));
                    }
                    _ => {
                        return Err(Error::FrontMatter {
                            at: self.at(&key),
                            message: format!("unknown front matter key `{key}`"),
                            help: "check the spelling, or move the key under [extra] (worker profiles keep name, employer, role there)"
                                .into(),
                        });
                    }
                },
            }
        }
        Ok(fm)
    }
}

fn describe(value: &Json) -> String {
    match value {
        Json::Null => "nothing".into(),
        Json::Bool(b) => format!("`{b}`"),
        Json::Number(n) => format!("the number {n}"),
        Json::String(s) => format!("\"{s}\""),
        Json::Array(_) => "a list".into(),
        Json::Object(_) => "a table".into(),
    }
}

/// A date at the start of a file or folder name (`2023-12-07-title`), and the
/// rest of the name.
pub fn split_date_prefix(name: &str) -> (Option<ContentDate>, &str) {
    if name.len() > 11
        && name.as_bytes()[10] == b'-'
        && let Some(date) = name.get(..10).and_then(parse_date)
    {
        return (Some(date), &name[11..]);
    }
    (None, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Result<ParsedFile> {
        parse_front_matter(Path::new("a.md"), text, ContentKind::Page)
    }

    #[test]
    fn toml_front_matter_reads_fields_and_body_line() {
        let parsed = page("+++\ntitle = \"标题\"\ndate = 2023-12-07\ntags = [\"产改\"]\n[extra]\nname = \"赵\"\n+++\n正文\n").unwrap();
        let fm = &parsed.front_matter;
        assert_eq!(fm.title.as_deref(), Some("标题"));
        assert_eq!(fm.date.unwrap().to_context_string(), "2023-12-07");
        assert_eq!(fm.taxonomies["tags"].0, ["产改"]);
        assert_eq!(fm.extra["name"], "赵");
        assert_eq!((&*parsed.body, parsed.body_line), ("正文\n", 8));
    }

    #[test]
    fn yaml_front_matter_is_accepted() {
        let parsed = page("---\ntitle: Hello\ndate: 2023-12-07\ntags: [a, b]\n---\nbody").unwrap();
        assert_eq!(parsed.front_matter.title.as_deref(), Some("Hello"));
        assert_eq!(parsed.front_matter.taxonomies["tags"].0, ["a", "b"]);
    }

    #[test]
    fn wrong_date_names_key_line_and_fix() {
        let err = page("+++\ntitle = \"x\"\ndate = \"yesterday\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "a.md:3:1: invalid front matter: `date` must be a date, found \"yesterday\""
            ),
            "{err}"
        );
        assert!(err.contains("date = 2023-12-07"), "{err}");
    }

    #[test]
    fn missing_close_is_reported_on_line_one() {
        let err = page("+++\ntitle = \"x\"\n\nbody").unwrap_err().to_string();
        assert!(
            err.starts_with("a.md:1:1: invalid front matter: the front matter opened with `+++`"),
            "{err}"
        );
    }

    #[test]
    fn invalid_toml_points_at_the_bad_line() {
        let err = page("+++\ntitle = \"x\"\ndescription = unquoted words\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("a.md:3:"), "{err}");
    }

    #[test]
    fn unknown_scalar_key_is_an_error_with_a_hint() {
        let err = page("+++\ntitel = \"x\"\n+++\n").unwrap_err().to_string();
        assert!(
            err.contains("a.md:2:1: invalid front matter: unknown front matter key `titel`"),
            "{err}"
        );
    }

    #[test]
    fn section_only_keys_are_refused_on_pages() {
        let err = page("+++\nsort_by = \"date\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`sort_by` has no meaning in a page"), "{err}");
    }

    #[test]
    fn date_prefix_is_split_from_names() {
        let (date, rest) = split_date_prefix("2023-12-07-fuling-conference");
        assert_eq!(date.unwrap().to_context_string(), "2023-12-07");
        assert_eq!(rest, "fuling-conference");
        assert_eq!(split_date_prefix("about").1, "about");
    }
}
