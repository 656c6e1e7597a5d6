//! `config.toml` → a validated [`Config`].
//!
//! Key names follow Zola. Unknown keys are an error that names the key and
//! its line, so a typo never passes silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result};

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute URL of the site, without a trailing slash.
    pub base_url: String,
    /// Code of the default language (served at the root).
    pub default_language: String,
    /// Every language, the default first, then the others by code.
    pub languages: Vec<Language>,
    /// Theme folder name under `themes/`, if any.
    pub theme: Option<String>,
    /// Markdown rendering options.
    pub markdown: MarkdownConfig,
    /// The file the config was read from, for error messages.
    pub path: PathBuf,
    /// How many entries a feed lists.
    pub feed_limit: usize,
    /// The `[extra]` table, passed to templates as is.
    pub extra: toml::Table,
}

/// Settings of one language.
#[derive(Debug, Clone)]
pub struct Language {
    /// Language code, e.g. `zh` or `en`.
    pub code: String,
    /// Site title in this language.
    pub title: String,
    /// Site description in this language.
    pub description: String,
    /// Whether an Atom feed is written for this language.
    pub generate_feeds: bool,
    /// Taxonomies of this language.
    pub taxonomies: Vec<TaxonomyConfig>,
}

/// One taxonomy, e.g. `{ name = "tags" }`.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// Name, also the URL segment and the front matter key.
    pub name: String,
    /// Paginate each term's page list by this many.
    #[serde(default)]
    pub paginate_by: Option<usize>,
    /// Whether each term gets a feed (reserved; accepted for Zola parity).
    #[serde(default)]
    pub feed: bool,
}

/// The `[markdown]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Highlight fenced code with syntect.
    pub highlight_code: bool,
    /// Syntect theme the generated `syntax.css` follows.
    pub highlight_theme: String,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_code: true,
            highlight_theme: "InspiredGitHub".to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language_code")]
    default_language: String,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    taxonomies: Vec<TaxonomyConfig>,
    #[serde(default)]
    generate_feeds: bool,
    #[serde(default)]
    feed_limit: Option<usize>,
    #[serde(default)]
    languages: BTreeMap<String, RawLanguage>,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    extra: toml::Table,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    generate_feeds: Option<bool>,
    #[serde(default)]
    taxonomies: Option<Vec<TaxonomyConfig>>,
}

fn default_language_code() -> String {
    "en".to_string()
}

impl Config {
    /// Reads and validates `config.toml` at `path`.
    pub fn load(path: &Path) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::MissingConfig {
                    path: path.to_path_buf(),
                });
            }
            Err(e) => return Err(Error::io(path, e)),
        };
        Config::parse(path, &text)
    }

    /// Validates config text; `path` is used in error messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let message = e.message().to_string();
            let help = if message.starts_with("unknown field") {
                "remove the key or fix its spelling; data for the theme goes under [extra]"
            } else {
                "see docs/configuration.md for the keys and their types"
            };
            Error::Config {
                at: Location::at_offset(path, text, offset, 1),
                message,
                help: help.to_string(),
            }
        })?;
        let at_key = |key: &str| {
            let offset = find_key(text, key).unwrap_or(0);
            Location::at_offset(path, text, offset, 1)
        };
        if !raw.base_url.starts_with("http://") && !raw.base_url.starts_with("https://") {
            return Err(Error::Config {
                at: at_key("base_url"),
                message: format!("base_url `{}` is not an absolute URL", raw.base_url),
                help: "write the full address, e.g. base_url = \"https://example.org\"".into(),
            });
        }
        if raw.languages.contains_key(&raw.default_language) {
            return Err(Error::Config {
                at: at_key(&format!("languages.{}", raw.default_language)),
                message: format!(
                    "[languages.{0}] repeats the default language `{0}`",
                    raw.default_language
                ),
                help:
                    "the default language's title, description and taxonomies go at the top level"
                        .into(),
            });
        }
        if raw.markdown.highlight_code
            && let Err(known) =
                crate::markdown::highlight::check_theme(&raw.markdown.highlight_theme)
        {
            return Err(Error::Config {
                at: at_key("highlight_theme"),
                message: format!(
                    "highlight_theme `{}` is not a syntect theme",
                    raw.markdown.highlight_theme
                ),
                help: format!("use one of: {}", known.join(", ")),
            });
        }
        for code in std::iter::once(&raw.default_language).chain(raw.languages.keys()) {
            if !is_language_code(code) {
                return Err(Error::Config {
                    at: at_key(code),
                    message: format!("`{code}` is not a language code"),
                    help: "use a code such as `zh`, `en` or `zh-Hant`".into(),
                });
            }
        }

        let mut languages = vec![Language {
            code: raw.default_language.clone(),
            title: raw.title.clone(),
            description: raw.description.clone(),
            generate_feeds: raw.generate_feeds,
            taxonomies: raw.taxonomies.clone(),
        }];
        for (code, lang) in raw.languages {
            languages.push(Language {
                code,
                title: lang.title.unwrap_or_else(|| raw.title.clone()),
                description: lang.description.unwrap_or_else(|| raw.description.clone()),
                generate_feeds: lang.generate_feeds.unwrap_or(raw.generate_feeds),
                taxonomies: lang.taxonomies.unwrap_or_else(|| raw.taxonomies.clone()),
            });
        }

        Ok(Config {
            base_url: raw.base_url.trim_end_matches('/').to_string(),
            default_language: raw.default_language,
            languages,
            theme: raw.theme,
            markdown: raw.markdown,
            path: path.to_path_buf(),
            feed_limit: raw.feed_limit.unwrap_or(20),
            extra: raw.extra,
        })
    }

    /// The settings of language `code`, if the config declares it.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// Codes of all declared languages, the default first.
    pub fn language_codes(&self) -> Vec<String> {
        self.languages.iter().map(|l| l.code.clone()).collect()
    }

    /// URL path prefix of a language: `/` for the default, `/en/` for others.
    pub fn language_prefix(&self, lang: &str) -> String {
        if lang == self.default_language {
            "/".to_string()
        } else {
            format!("/{lang}/")
        }
    }

    /// Absolute URL of a site path that starts with `/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

fn is_language_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 12
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Byte offset of the line that sets `key` (`key =` or `[key]`), if any.
fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let leading = line.len() - trimmed.len();
        let is_assignment = trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        let is_table = trimmed
            .strip_prefix('[')
            .and_then(|rest| rest.strip_prefix(key))
            .is_some_and(|rest| rest.starts_with(']'));
        if is_assignment || is_table {
            return Some(offset + leading);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(Path::new("config.toml"), text)
    }

    #[test]
    fn default_language_comes_first_and_inherits_top_level_settings() {
        let config = parse(
            "base_url = \"https://example.org/\"\ntitle = \"站点\"\ndefault_language = \"zh\"\n\
             [languages.en]\ntitle = \"Site\"\n",
        )
        .unwrap();
        assert_eq!(config.base_url, "https://example.org");
        assert_eq!(config.language_codes(), ["zh", "en"]);
        assert_eq!(config.language("en").unwrap().title, "Site");
        assert_eq!(config.language_prefix("en"), "/en/");
        assert_eq!(config.language_prefix("zh"), "/");
    }

    #[test]
    fn unknown_key_is_an_error_naming_key_and_line() {
        let err = parse("base_url = \"https://e.org\"\ntitel = \"x\"\n").unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("config.toml:2:1: invalid config: unknown field `titel`"));
        assert!(message.contains("[extra]"));
    }

    #[test]
    fn relative_base_url_is_an_error() {
        let err = parse("base_url = \"/site\"\n").unwrap_err();
        assert!(err.to_string().contains("config.toml:1:1"), "{err}");
    }
}
