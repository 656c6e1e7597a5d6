//! Incremental builds: a [`Session`] keeps the loaded sources, the site
//! model, its template values and every rendered output in memory, and
//! turns a list of changed files into the smallest rebuild that gives the
//! same bytes as a full build.
//!
//! Three paths, chosen per batch of changes:
//! - **bodies only** (the usual save): the changed Markdown files kept their
//!   front matter byte for byte, so the site's structure is unchanged. Only
//!   those bodies are rendered again, only their values get new revisions;
//! - **templates or static files only**: the site model is reused as is;
//! - **anything else** (front matter, files added, removed or renamed):
//!   the changed files are parsed again and the site is re-assembled; the
//!   Markdown cache and value comparison keep unchanged bodies and values.
//!
//! In every path the render memo re-renders only outputs whose inputs
//! changed. A change to `config.toml` or the UI strings reloads everything.
//! A failed rebuild keeps the last good output; the sources still follow
//! the disk, so the next save starts from what is really there.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::front_matter::ParsedFile;
use crate::content::load::is_editor_artifact;
use crate::content::{BuildFilter, assemble_site};
use crate::error::Result;
use crate::markdown::{MarkdownCache, render_bodies, render_site_markdown};
use crate::render::context::{SiteValues, ValueChanges};
mod sources;

use sources::{ContentChange, Sources, parse_pending, position, update_content};

use crate::render::{
    BodyChanges, CompiledTemplates, RenderData, RenderMemo, RenderStats, RenderedSite, render,
};
use crate::{BuildOptions, load_site};

/// What kind of input a changed file is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Input {
    /// `config.toml` or a UI-strings file: everything depends on it.
    Global,
    Templates,
    Static,
    /// A file or folder inside `content/`.
    Content(PathBuf),
}

/// Which rebuild path a batch took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RebuildKind {
    /// Everything loaded and rendered from scratch.
    Full,
    /// Only Markdown bodies changed.
    Bodies,
    /// Only templates or static files changed.
    Unchanged,
    /// The site model was assembled again.
    Reassembled,
}

/// The result of a successful (re)build.
#[derive(Debug, Clone)]
pub struct Rebuild {
    /// The whole built site.
    pub site: Arc<RenderedSite>,
    /// Output paths whose contents differ from the previous good build
    /// (added, changed or removed).
    pub changed_outputs: Vec<String>,
    /// Which path the rebuild took.
    pub kind: RebuildKind,
    /// Outputs rendered and reused.
    pub stats: RenderStats,
    /// Markdown bodies rendered.
    pub bodies: usize,
    /// Wall time.
    pub elapsed: Duration,
}

/// The last good build.
struct Built {
    data: Arc<RenderData>,
    output: Arc<RenderedSite>,
}

/// A site kept in memory between builds.
pub struct Session {
    options: BuildOptions,
    sources: Option<Sources>,
    built: Option<Built>,
    markdown: MarkdownCache,
    memo: RenderMemo,
    /// The last rebuild failed after the site model was changed in place.
    model_stale: bool,
    /// The site folder, resolved, to match the paths a watcher reports.
    canonical_root: Option<PathBuf>,
    /// Templates compiled by the last render.
    compiled: Option<CompiledTemplates>,
    /// Pages and sections whose body alone changed, for the render.
    body_changes: Option<(Vec<usize>, Vec<usize>)>,
    /// Files changed in the batch being rebuilt, to tell which copied
    /// files (static files, assets) have new bytes.
    changed_files: HashSet<PathBuf>,
}

impl Session {
    /// A session for the site `options` describes; nothing is loaded yet.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            canonical_root: options.root.canonicalize().ok(),
            options,
            sources: None,
            built: None,
            markdown: MarkdownCache::default(),
            memo: RenderMemo::default(),
            model_stale: false,
            changed_files: HashSet::new(),
            compiled: None,
            body_changes: None,
        }
    }

    /// The options the session builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The last good build's output, if any.
    pub fn output(&self) -> Option<&Arc<RenderedSite>> {
        self.built.as_ref().map(|b| &b.output)
    }

    /// The last good build's site model, if any.
    pub fn site(&self) -> Option<&crate::content::Site> {
        self.built.as_ref().map(|b| &b.data.site)
    }

    /// Loads and builds everything.
    pub fn build_all(&mut self) -> Result<Rebuild> {
        let started = Instant::now();
        self.sources = None;
        self.memo = RenderMemo::default();
        self.load_everything()?;
        lap(started, "load");
        self.finish(RebuildKind::Full, None, started)
    }

    /// Rebuilds after the files in `paths` changed (were written, created,
    /// removed or renamed). Returns `None` when none of them is an input of
    /// the site (editor temp files, files outside the watched folders) or
    /// when their contents did not change.
    pub fn rebuild(&mut self, paths: &[PathBuf]) -> Result<Option<Rebuild>> {
        let started = Instant::now();
        let inputs: Vec<Input> = paths.iter().filter_map(|p| self.input_of(p)).collect();
        self.changed_files = paths
            .iter()
            .filter_map(|p| Some(self.options.root.join(self.relative_to_root(p)?)))
            .collect();
        if inputs.is_empty() {
            return Ok(None);
        }
        if self.sources.is_none() || inputs.contains(&Input::Global) {
            self.memo = RenderMemo::default();
            self.load_everything()?;
            return self.finish(RebuildKind::Full, None, started).map(Some);
        }
        let updated = update_sources(
            &self.options.root,
            self.sources.as_mut().expect("checked above"),
            &inputs,
        );
        let (body_changes, structural, changed_other) = match updated {
            Ok(changes) => changes,
            Err(e) => {
                // Sources half updated: read them all again next time.
                self.sources = None;
                return Err(e);
            }
        };
        if body_changes.is_empty() && !structural && !changed_other {
            return Ok(None);
        }
        let kind = if structural || self.model_stale || self.built.is_none() {
            RebuildKind::Reassembled
        } else if body_changes.is_empty() {
            RebuildKind::Unchanged
        } else {
            RebuildKind::Bodies
        };
        match kind {
            RebuildKind::Bodies => {
                let (bodies, pages, sections) = self.patch_bodies(&body_changes)?;
                // With nothing else changed, only the outputs that show these
                // bodies need a look.
                self.body_changes = (!changed_other).then_some((pages, sections));
                let result = self.finish(kind, Some(bodies), started).map(Some);
                self.body_changes = None;
                result
            }
            RebuildKind::Unchanged => self.finish(kind, Some(0), started).map(Some),
            _ => self
                .finish(RebuildKind::Reassembled, None, started)
                .map(Some),
        }
    }

    fn load_everything(&mut self) -> Result<()> {
        // Until a load succeeds, every rebuild loads everything again: a
        // broken config.toml must fail every build, as it would fail a
        // full one.
        self.sources = None;
        let site = load_site(&self.options.root, self.options.base_url.as_deref())?;
        let needs_parse = site
            .content
            .files
            .iter()
            .map(|f| f.relative_path.clone())
            .collect();
        self.sources = Some(Sources {
            parsed: vec![ParsedFile::default(); site.content.files.len()],
            site,
            needs_parse,
        });
        self.model_stale = true;
        Ok(())
    }

    /// The fast path: new bodies for pages and sections whose front matter
    /// did not change. Returns how many bodies were rendered, and the
    /// indices of the pages and sections whose body changed.
    fn patch_bodies(
        &mut self,
        relative_paths: &[String],
    ) -> Result<(usize, Vec<usize>, Vec<usize>)> {
        let sources = self.sources.as_ref().expect("sources are loaded");
        let built = self.built.as_mut().expect("a build exists");
        let Some(data) = Arc::get_mut(&mut built.data) else {
            // Still shared (it never is after a render); take the slow path.
            self.model_stale = true;
            return Ok((0, Vec::new(), Vec::new()));
        };
        let changed: HashSet<&str> = relative_paths.iter().map(String::as_str).collect();
        let body_of = |relative: &str| {
            let i = position(&sources.site.content, relative).ok()?;
            Some(sources.parsed[i].body.clone())
        };
        let mut pages = Vec::new();
        for (i, page) in data.site.pages.iter_mut().enumerate() {
            if changed.contains(page.source.relative_path.as_str())
                && let Some(body) = body_of(&page.source.relative_path)
            {
                page.source.body = body;
                pages.push(i);
            }
        }
        let mut sections = Vec::new();
        for (i, section) in data.site.sections.iter_mut().enumerate() {
            if changed.contains(section.source.relative_path.as_str())
                && let Some(body) = body_of(&section.source.relative_path)
            {
                section.source.body = body;
                sections.push(i);
            }
        }
        self.model_stale = true;
        let bodies = render_bodies(&mut data.site, &mut self.markdown, &pages, &sections, false)?;
        data.values = SiteValues::update(
            &data.site,
            ValueChanges::Bodies {
                previous: &data.values,
                pages: &pages,
                sections: &sections,
            },
        );
        self.model_stale = false;
        Ok((bodies, pages, sections))
    }

    /// Parses what needs parsing, assembles the site unless `bodies` says
    /// the model is already up to date, renders, and records the build.
    fn finish(
        &mut self,
        kind: RebuildKind,
        bodies: Option<usize>,
        started: Instant,
    ) -> Result<Rebuild> {
        let sources = self.sources.as_mut().expect("sources are loaded");
        let (data, bodies) = match (bodies, &self.built) {
            (Some(bodies), Some(built)) if !self.model_stale => (built.data.clone(), bodies),
            _ => {
                self.model_stale = true;
                parse_pending(sources)?;
                let filter = BuildFilter {
                    include_drafts: self.options.include_drafts,
                    now: chrono::Utc::now().naive_utc(),
                };
                let mut site = assemble_site(
                    &sources.site.config,
                    &sources.site.content,
                    &sources.parsed,
                    filter,
                )?;
                let bodies = render_site_markdown(&mut site, &mut self.markdown)?;
                let values = match &self.built {
                    Some(built) => SiteValues::update(
                        &site,
                        ValueChanges::Compare {
                            site: &built.data.site,
                            previous: &built.data.values,
                        },
                    ),
                    None => SiteValues::build(&site),
                };
                let data = RenderData::new(site, values, sources.site.i18n.clone());
                lap(started, "parse");
                (Arc::new(data), bodies)
            }
        };
        let compiled = match self.compiled.take() {
            Some(c) if c.sources().templates == sources.site.templates.templates => c,
            _ => CompiledTemplates::new(&sources.site.templates)?,
        };
        let compiled = self.compiled.insert(compiled);
        let body_changes = match (&self.body_changes, &self.built) {
            (Some((pages, sections)), Some(built)) if !self.model_stale => Some(BodyChanges {
                pages,
                sections,
                previous: &built.output,
            }),
            _ => None,
        };
        let rendered = render(
            &data,
            compiled,
            &sources.site.static_files,
            &mut self.memo,
            body_changes,
        );
        let (output, stats) = match rendered {
            Ok(rendered) => rendered,
            Err(e) => {
                // The model may hold changes the memo never rendered (a body
                // whose page failed): the next rebuild must not trust that
                // only its own files changed.
                self.model_stale = true;
                return Err(e);
            }
        };
        lap(started, "render");
        let output = Arc::new(output);
        let changed_outputs = match &self.built {
            Some(previous) => changed_paths(&previous.output, &output, &self.changed_files),
            None => output.files.iter().map(|f| f.path.to_string()).collect(),
        };
        self.built = Some(Built {
            data,
            output: output.clone(),
        });
        self.model_stale = false;
        Ok(Rebuild {
            site: output,
            changed_outputs,
            kind,
            stats,
            bodies,
            elapsed: started.elapsed(),
        })
    }

    /// `path` relative to the site folder, if it is inside.
    fn relative_to_root<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        path.strip_prefix(&self.options.root).ok().or_else(|| {
            let root = self.canonical_root.as_ref()?;
            path.strip_prefix(root).ok()
        })
    }

    /// Which input `path` is, if any.
    fn input_of(&self, path: &Path) -> Option<Input> {
        let relative = self.relative_to_root(path)?;
        if relative
            .components()
            .any(|c| is_editor_artifact(&c.as_os_str().to_string_lossy()))
        {
            return None;
        }
        let mut parts = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy());
        let first = parts.next()?;
        let theme = self
            .sources
            .as_ref()
            .and_then(|s| s.site.config.theme.clone());
        match first.as_ref() {
            "config.toml" if relative.components().count() == 1 => Some(Input::Global),
            "i18n" => Some(Input::Global),
            "templates" => Some(Input::Templates),
            "static" => Some(Input::Static),
            "content" => {
                let inside = relative.strip_prefix("content").ok()?;
                // The whole folder created, removed or replaced: read it all.
                if inside.as_os_str().is_empty() {
                    Some(Input::Global)
                } else {
                    Some(Input::Content(inside.to_path_buf()))
                }
            }
            "themes" => {
                let name = parts.next()?;
                if theme.is_some_and(|t| t != name) {
                    return None;
                }
                let Some(part) = parts.next() else {
                    // The theme folder itself: reload everything.
                    return Some(Input::Global);
                };
                match part.as_ref() {
                    "templates" => Some(Input::Templates),
                    "static" => Some(Input::Static),
                    "i18n" => Some(Input::Global),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

fn theme_dir(root: &Path, config: &crate::Config) -> Option<PathBuf> {
    config.theme.as_ref().map(|t| root.join("themes").join(t))
}

/// With `GAZETTE_TIMINGS` set, prints when a stage ended.
pub(crate) fn lap(started: Instant, stage: &str) {
    if std::env::var_os("GAZETTE_TIMINGS").is_some() {
        eprintln!(
            "timing: {stage} done at {} ms",
            started.elapsed().as_millis()
        );
    }
}

/// Output paths that differ between two builds: added, removed, changed
/// bytes, or copied from a file in `changed_files`.
fn changed_paths(
    old: &RenderedSite,
    new: &RenderedSite,
    changed_files: &HashSet<PathBuf>,
) -> Vec<String> {
    use crate::render::OutputContents;
    use std::cmp::Ordering;
    let same = |a: &OutputContents, b: &OutputContents| match (a, b) {
        (OutputContents::Bytes(a), OutputContents::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
        (OutputContents::Copy(a), OutputContents::Copy(b)) => a == b && !changed_files.contains(a),
        _ => false,
    };
    let mut changed = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.files.len() || j < new.files.len() {
        let order = match (old.files.get(i), new.files.get(j)) {
            (Some(a), Some(b)) => a.path.cmp(&b.path),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match order {
            Ordering::Less => {
                changed.push(old.files[i].path.to_string());
                i += 1;
            }
            Ordering::Greater => {
                changed.push(new.files[j].path.to_string());
                j += 1;
            }
            Ordering::Equal => {
                if !same(&old.files[i].contents, &new.files[j].contents) {
                    changed.push(new.files[j].path.to_string());
                }
                i += 1;
                j += 1;
            }
        }
    }
    changed
}

/// Brings `sources` up to date with the changed `inputs`. Returns the
/// content files whose body alone changed, whether anything else about the
/// content changed, and whether templates, static files or assets did.
fn update_sources(
    root: &Path,
    sources: &mut Sources,
    inputs: &[Input],
) -> Result<(Vec<String>, bool, bool)> {
    let mut changed_other = false;
    if inputs.contains(&Input::Templates) {
        let templates = crate::render::templates::TemplateSources::load(
            theme_dir(root, &sources.site.config).as_deref(),
            root,
        )?;
        changed_other |= templates.templates != sources.site.templates.templates;
        sources.site.templates = templates;
    }
    if inputs.contains(&Input::Static) {
        // A static file's bytes are read when served or written, so an
        // edited file counts as a change even at the same path.
        sources.site.static_files = crate::list_static_files_of(root, &sources.site.config)?;
        changed_other = true;
    }
    let mut body_changes = Vec::new();
    let mut structural = false;
    for input in inputs {
        let Input::Content(relative) = input else {
            continue;
        };
        match update_content(root, sources, relative)? {
            ContentChange::None => {}
            ContentChange::Body(path) => body_changes.push(path),
            ContentChange::Asset => changed_other = true,
            ContentChange::Structure => structural = true,
        }
    }
    Ok((body_changes, structural, changed_other))
}
