//! Walks `content/` and reads every source file into a [`SourceFile`].
//!
//! This is the only place that decides what a file *is* from its name:
//! `_index.md` is a section, `name/index.md` is a page bundle,
//! `name.en.md` is the English translation of `name.md`, anything that is not
//! Markdown is an asset.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Error, Location, Result};

/// Whether a content file is a section (`_index.md`) or a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    /// `_index.md`: a list of the pages beside and below it.
    Section,
    /// Any other Markdown file.
    Page,
}

/// One Markdown file of `content/`, read but not yet parsed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path on disk (the site root joined with `content/…`), for errors.
    pub path: PathBuf,
    /// Path inside `content/`, `/`-separated: `news/conference.en.md`.
    pub relative_path: String,
    /// `relative_path` without the language suffix: the key that pairs a
    /// file with its translations (`news/conference.md`).
    pub translation_key: String,
    /// Section or page.
    pub kind: ContentKind,
    /// Language code (the default language when the name has no suffix).
    pub lang: String,
    /// For a page bundle (`name/index.md`): the bundle's folder inside
    /// `content/` (`workers/zhao`); `None` for a plain page or a section.
    pub bundle_dir: Option<String>,
    /// The whole file.
    pub text: std::sync::Arc<str>,
}

/// A non-Markdown file inside `content/`.
#[derive(Debug, Clone)]
pub struct ContentAsset {
    /// Path on disk.
    pub path: PathBuf,
    /// Path inside `content/`, `/`-separated.
    pub relative_path: String,
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct LoadedContent {
    /// Markdown files, sorted by relative path.
    pub files: Vec<SourceFile>,
    /// Other files, sorted by relative path.
    pub assets: Vec<ContentAsset>,
}

/// Whether a file name is an editor's temporary or backup file, which is
/// never content (vim `.swp` and `~` files, its `4913` probe, JetBrains
/// `___jb_tmp___`, emacs `#name#`, hidden files).
pub fn is_editor_artifact(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || (name.starts_with('#') && name.ends_with('#'))
}

/// Reads every file under `content_dir`.
pub fn load_content(content_dir: &Path, config: &Config) -> Result<LoadedContent> {
    load_content_under(content_dir, content_dir, config)
}

/// Reads every file under `start`, a folder inside (or equal to)
/// `content_dir`, in the order [`load_content`] gives.
pub fn load_content_under(
    content_dir: &Path,
    start: &Path,
    config: &Config,
) -> Result<LoadedContent> {
    let mut loaded = LoadedContent::default();
    if !start.is_dir() {
        return Ok(loaded);
    }
    let walker = WalkDir::new(start)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_editor_artifact(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(start).to_path_buf();
            Error::io(path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let relative_path = relative_slash_path(content_dir, path);
        if path.extension().is_some_and(|ext| ext == "md") {
            loaded
                .files
                .push(read_source_file(path, relative_path, config)?);
        } else {
            loaded.assets.push(ContentAsset {
                path: path.to_path_buf(),
                relative_path,
            });
        }
    }
    Ok(loaded)
}

/// `path` relative to `base`, with `/` separators.
pub fn relative_slash_path(base: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads the Markdown file at `path` (`relative_path` inside `content/`).
pub fn read_source_file(path: &Path, relative_path: String, config: &Config) -> Result<SourceFile> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    classify(path, relative_path, text.into(), config)
}

fn classify(
    path: &Path,
    relative_path: String,
    text: std::sync::Arc<str>,
    config: &Config,
) -> Result<SourceFile> {
    let (dir, file_name) = match relative_path.rsplit_once('/') {
        Some((dir, name)) => (dir.to_string(), name.to_string()),
        None => (String::new(), relative_path.clone()),
    };
    let stem = file_name.trim_end_matches(".md");
    let (base, lang) = match stem.rsplit_once('.') {
        Some((base, suffix)) if !base.is_empty() => {
            if config.language(suffix).is_none() {
                return Err(Error::UndeclaredLanguage {
                    at: Location::file(path),
                    lang: suffix.to_string(),
                    declared: config.language_codes(),
                });
            }
            (base.to_string(), suffix.to_string())
        }
        _ => (stem.to_string(), config.default_language.clone()),
    };
    let join = |name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    let kind = if base == "_index" {
        ContentKind::Section
    } else {
        ContentKind::Page
    };
    let bundle_dir =
        (kind == ContentKind::Page && base == "index" && !dir.is_empty()).then(|| dir.clone());
    Ok(SourceFile {
        path: path.to_path_buf(),
        translation_key: join(&format!("{base}.md")),
        relative_path,
        kind,
        lang,
        bundle_dir,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            Path::new("config.toml"),
            "base_url = \"https://e.org\"\ndefault_language = \"zh\"\n[languages.en]\n",
        )
        .unwrap()
    }

    #[test]
    fn translation_suffix_sets_language_and_shared_key() {
        let file = classify(
            Path::new("c/news/a.en.md"),
            "news/a.en.md".into(),
            "".into(),
            &config(),
        )
        .unwrap();
        assert_eq!(
            (file.lang.as_str(), file.translation_key.as_str()),
            ("en", "news/a.md")
        );
        let file = classify(
            Path::new("c/news/a.md"),
            "news/a.md".into(),
            "".into(),
            &config(),
        )
        .unwrap();
        assert_eq!(
            (file.lang.as_str(), file.translation_key.as_str()),
            ("zh", "news/a.md")
        );
    }

    #[test]
    fn index_in_a_folder_is_a_bundle_and_underscore_index_is_a_section() {
        let page = classify(
            Path::new("w/x/index.en.md"),
            "w/x/index.en.md".into(),
            "".into(),
            &config(),
        )
        .unwrap();
        assert_eq!(page.bundle_dir.as_deref(), Some("w/x"));
        let section = classify(
            Path::new("n/_index.md"),
            "news/_index.md".into(),
            "".into(),
            &config(),
        )
        .unwrap();
        assert_eq!(section.kind, ContentKind::Section);
    }

    #[test]
    fn undeclared_language_suffix_is_an_error() {
        let err =
            classify(Path::new("a.fr.md"), "a.fr.md".into(), "".into(), &config()).unwrap_err();
        assert!(
            err.to_string().contains("language `fr` is not declared"),
            "{err}"
        );
    }

    #[test]
    fn editor_artifacts_are_recognised() {
        for name in [
            ".a.md.swp",
            "a.md~",
            "4913",
            "a.md___jb_tmp___",
            ".hidden",
            "#a.md#",
        ] {
            assert!(is_editor_artifact(name), "{name}");
        }
        assert!(!is_editor_artifact("a.md"));
    }
}
