//! UI strings: `themes/<theme>/i18n/<lang>.toml`, overridden key by key by
//! the site's own `i18n/<lang>.toml`.
//!
//! A missing key is never an error: [`I18n::translate`] falls back to the
//! default language, then to the key itself, and records a warning that
//! names the key and the language.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Mutex;

use crate::config::Config;
use crate::error::{Error, Location, Result};

/// All UI strings of the site, by language.
#[derive(Debug, Default)]
pub struct I18n {
    default_language: String,
    strings: HashMap<String, HashMap<String, String>>,
    missing: Mutex<BTreeSet<(String, String)>>,
}

impl Clone for I18n {
    /// The same strings, with no missing keys recorded yet.
    fn clone(&self) -> Self {
        I18n {
            default_language: self.default_language.clone(),
            strings: self.strings.clone(),
            missing: Mutex::default(),
        }
    }
}

impl I18n {
    /// Reads the theme's and then the site's `i18n/` folders.
    pub fn load(theme_dir: Option<&Path>, site_dir: &Path, config: &Config) -> Result<I18n> {
        let mut i18n = I18n {
            default_language: config.default_language.clone(),
            ..I18n::default()
        };
        for dir in theme_dir
            .map(|t| t.join("i18n"))
            .into_iter()
            .chain([site_dir.join("i18n")])
        {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            files.sort();
            for path in files
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            {
                let lang = path
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string();
                if config.language(&lang).is_none() {
                    return Err(Error::UndeclaredLanguage {
                        at: Location::file(path),
                        lang,
                        declared: config.language_codes(),
                    });
                }
                let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
                let table: toml::Table = toml::from_str(&text).map_err(|e| Error::Config {
                    at: Location::at_offset(path, &text, e.span().map_or(0, |s| s.start), 1),
                    message: e.message().trim().to_string(),
                    help: "an i18n file holds lines of key = \"text\"".into(),
                })?;
                let strings = i18n.strings.entry(lang).or_default();
                for (key, value) in table {
                    let toml::Value::String(value) = value else {
                        let offset = text.find(&key).unwrap_or(0);
                        return Err(Error::Config {
                            at: Location::at_offset(path, &text, offset, 1),
                            message: format!("`{key}` is not a string"),
                            help: format!("write it as {key} = \"text\""),
                        });
                    };
                    strings.insert(key, value);
                }
            }
        }
        Ok(i18n)
    }

    /// The string `key` in `lang`, else in the default language (with a
    /// warning), else the key itself (with a warning).
    pub fn translate(&self, key: &str, lang: &str) -> String {
        if let Some(value) = self.strings.get(lang).and_then(|s| s.get(key)) {
            return value.clone();
        }
        self.missing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((key.to_string(), lang.to_string()));
        self.strings
            .get(&self.default_language)
            .and_then(|s| s.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The string `key` in `lang` if it exists, without a warning.
    pub fn get(&self, key: &str, lang: &str) -> Option<&str> {
        self.strings.get(lang)?.get(key).map(String::as_str)
    }

    /// One warning per key that a template asked for and some language lacks.
    pub fn warnings(&self) -> Vec<String> {
        let missing = self.missing.lock().unwrap_or_else(|e| e.into_inner());
        missing
            .iter()
            .map(|(key, lang)| {
                format!(
                    "i18n key `{key}` is missing for language `{lang}`: add it to i18n/{lang}.toml"
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_key_falls_back_to_default_language_then_key_and_warns() {
        let mut i18n = I18n {
            default_language: "zh".into(),
            ..I18n::default()
        };
        i18n.strings
            .entry("zh".into())
            .or_default()
            .insert("news".into(), "新闻".into());
        i18n.strings.entry("en".into()).or_default();
        assert_eq!(i18n.translate("news", "zh"), "新闻");
        assert_eq!(i18n.translate("news", "en"), "新闻");
        assert_eq!(i18n.translate("nope", "en"), "nope");
        let warnings = i18n.warnings();
        assert_eq!(warnings.len(), 2);
        assert!(
            warnings[0].contains("`news` is missing for language `en`"),
            "{warnings:?}"
        );
    }
}
