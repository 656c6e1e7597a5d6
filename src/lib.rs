//! Gazette: a static-site generator for bilingual (Chinese + English)
//! campaign publicity sites.
//!
//! The build is a pipeline of four stages with plain data between them:
//!
//! 1. **load** ([`load_site`]): read `config.toml`, `content/`, templates,
//!    i18n files and the list of static files → [`SiteSources`];
//! 2. **parse** (front matter, [`content::assemble_site`],
//!    [`markdown::render_site_markdown`]): URLs, translations, sections,
//!    taxonomies, Markdown → [`content::Site`];
//! 3. **render** ([`render::render`]): Tera templates → in-memory
//!    [`render::OutputFile`]s;
//! 4. **write** ([`output::write_output`]): the only stage that touches the
//!    output folder, atomically.
//!
//! A [`session::Session`] runs the first three and keeps their results, so
//! that `gazette serve` redoes only what a save changed; [`build`] is one
//! session's first build plus the write.

pub mod config;
pub mod content;
pub mod error;
pub mod markdown;
pub mod output;
pub mod render;
#[cfg(feature = "serve")]
pub mod serve;
pub mod session;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use config::Config;
pub use error::{Error, Location, Result};

use content::load::{LoadedContent, is_editor_artifact, load_content, relative_slash_path};
use render::i18n::I18n;
use render::templates::TemplateSources;
use render::{OutputContents, OutputFile};

/// What to build, validated from the command line.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holds `config.toml`).
    pub root: PathBuf,
    /// Where the site is written.
    pub output_dir: PathBuf,
    /// Replaces the config's `base_url`.
    pub base_url: Option<String>,
    /// Include drafts and future-dated pages.
    pub include_drafts: bool,
}

impl BuildOptions {
    /// Options for the site in `root`, written to `root/public`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            output_dir: root.join("public"),
            root,
            base_url: None,
            include_drafts: false,
        }
    }
}

/// Everything the load stage read.
pub struct SiteSources {
    /// The validated config.
    pub config: Config,
    /// Content files and assets.
    pub content: LoadedContent,
    /// Theme and site templates.
    pub templates: TemplateSources,
    /// UI strings.
    pub i18n: I18n,
    /// Theme and site static files, to be copied.
    pub static_files: Vec<OutputFile>,
}

/// What a build did, for the one-line summary.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Pages per language, in config order.
    pub pages_per_language: Vec<(String, usize)>,
    /// Sections, all languages together.
    pub sections: usize,
    /// Taxonomy terms, all languages together.
    pub terms: usize,
    /// Files in the output.
    pub files: usize,
    /// What the writer did.
    pub write: output::WriteStats,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
    /// Wall time of the whole build.
    pub elapsed: Duration,
}

/// Runs load → parse → render → write.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let mut session = session::Session::new(options.clone());
    let rebuild = session.build_all()?;
    let site = session.site().expect("a successful build has a site");
    let pages_per_language = site
        .config
        .languages
        .iter()
        .map(|l| {
            (
                l.code.clone(),
                site.pages
                    .iter()
                    .filter(|p| p.source.lang == l.code)
                    .count(),
            )
        })
        .collect();
    let sections = site.sections.len();
    let terms = site.taxonomies.iter().map(|t| t.terms.len()).sum();
    let write = output::write_output(&options.output_dir, &rebuild.site.files)?;
    session::lap(started, "write");
    Ok(BuildReport {
        pages_per_language,
        sections,
        terms,
        files: rebuild.site.files.len(),
        write,
        warnings: rebuild.site.warnings.clone(),
        elapsed: started.elapsed(),
    })
}

/// The load stage: reads every input of the site in `root`.
pub fn load_site(root: &Path, base_url: Option<&str>) -> Result<SiteSources> {
    let config_path = root.join("config.toml");
    let mut config = Config::load(&config_path)?;
    if let Some(url) = base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
    let theme_dir = match &config.theme {
        Some(theme) => {
            let dir = root.join("themes").join(theme);
            if !dir.is_dir() {
                let text = std::fs::read_to_string(&config_path).unwrap_or_default();
                let offset = text.find("theme").unwrap_or(0);
                return Err(Error::Config {
                    at: Location::at_offset(&config_path, &text, offset, 1),
                    message: format!(
                        "theme `{theme}` not found: there is no folder {}",
                        dir.display()
                    ),
                    help: "put the theme in themes/<name>/, or remove the `theme` key".into(),
                });
            }
            Some(dir)
        }
        None => None,
    };
    let content = load_content(&root.join("content"), &config)?;
    let templates = TemplateSources::load(theme_dir.as_deref(), root)?;
    let i18n = I18n::load(theme_dir.as_deref(), root, &config)?;
    let static_files = list_static_files_of(root, &config)?;
    Ok(SiteSources {
        config,
        content,
        templates,
        i18n,
        static_files,
    })
}

/// The static files of the theme, then of the site (later ones win).
pub(crate) fn list_static_files_of(root: &Path, config: &Config) -> Result<Vec<OutputFile>> {
    let mut static_files = Vec::new();
    let theme_dir = config.theme.as_ref().map(|t| root.join("themes").join(t));
    for dir in theme_dir
        .iter()
        .map(|t| t.join("static"))
        .chain([root.join("static")])
    {
        static_files.extend(list_static_files(&dir)?);
    }
    Ok(static_files)
}

fn list_static_files(dir: &Path) -> Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if entry.file_type().is_file() && !is_editor_artifact(&entry.file_name().to_string_lossy())
        {
            files.push(OutputFile {
                path: relative_slash_path(dir, entry.path()).into(),
                contents: OutputContents::Copy(entry.path().to_path_buf()),
            });
        }
    }
    Ok(files)
}
