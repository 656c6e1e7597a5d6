//! The session's copy of the sources: every content file read and
//! parsed, kept in the order the loader walks, and brought up to date one
//! changed path (file or folder) at a time.

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;

use crate::SiteSources;
use crate::content::front_matter::{ParsedFile, parse_front_matter};
use crate::content::load::{
    ContentAsset, LoadedContent, load_content_under, read_source_file, relative_slash_path,
};
use crate::error::{Error, Result};

/// The sources as they are on disk.
pub(super) struct Sources {
    pub site: SiteSources,
    /// Aligned with `site.content.files`.
    pub parsed: Vec<ParsedFile>,
    /// Relative paths of files whose `parsed` entry is out of date.
    pub needs_parse: HashSet<String>,
}

/// Index of the file at `relative` in `content.files` (sorted the way the
/// loader walks: component by component), or where it would go.
pub(super) fn position(
    content: &LoadedContent,
    relative: &str,
) -> std::result::Result<usize, usize> {
    content
        .files
        .binary_search_by(|f| Path::new(&f.relative_path).cmp(Path::new(relative)))
}

pub(super) enum ContentChange {
    None,
    /// Only the body of this file (relative path) changed.
    Body(String),
    /// A known asset's bytes changed.
    Asset,
    Structure,
}

/// Brings the sources of `content/<relative>` (a file or a folder, which
/// may have been created, changed or removed) up to date with the disk.
pub(super) fn update_content(
    root: &Path,
    sources: &mut Sources,
    relative: &Path,
) -> Result<ContentChange> {
    let content_dir = root.join("content");
    let path = content_dir.join(relative);
    let relative_str = relative_slash_path(Path::new(""), relative);
    let config = &sources.site.config;
    let content = &mut sources.site.content;
    let read = if path.is_file() && path.extension().is_some_and(|e| e == "md") {
        match read_source_file(&path, relative_str.clone(), config) {
            // Renamed away between the check and the read: handled as gone.
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => None,
            other => Some(other?),
        }
    } else {
        None
    };
    if let Some(file) = read {
        let i = match position(content, &relative_str) {
            Ok(i) => i,
            Err(i) => {
                content.files.insert(i, file);
                sources.parsed.insert(i, ParsedFile::default());
                sources.needs_parse.insert(relative_str);
                return Ok(ContentChange::Structure);
            }
        };
        let old_text = content.files[i].text.clone();
        if old_text == file.text {
            return Ok(ContentChange::None);
        }
        let was_parsed = !sources.needs_parse.contains(&relative_str);
        let old_prefix = &old_text[..old_text.len() - sources.parsed[i].body.len()];
        content.files[i] = file;
        sources.needs_parse.insert(relative_str.clone());
        if !was_parsed {
            return Ok(ContentChange::Structure);
        }
        let file = &content.files[i];
        // A parse error is reported by the rebuild that follows.
        let Ok(parsed) = parse_front_matter(&file.path, &file.text, file.kind) else {
            return Ok(ContentChange::Structure);
        };
        let new_prefix = &file.text[..file.text.len() - parsed.body.len()];
        let same_front_matter = new_prefix == old_prefix;
        sources.parsed[i] = parsed;
        sources.needs_parse.remove(&relative_str);
        return Ok(if same_front_matter {
            ContentChange::Body(relative_str)
        } else {
            ContentChange::Structure
        });
    }
    if path.is_file() {
        let asset = ContentAsset {
            path: path.clone(),
            relative_path: relative_str.clone(),
        };
        let found = content
            .assets
            .binary_search_by(|a| Path::new(&a.relative_path).cmp(relative));
        return Ok(match found {
            // Assets are read when served or written: same path, new bytes.
            Ok(_) => ContentChange::Asset,
            Err(i) => {
                content.assets.insert(i, asset);
                ContentChange::Structure
            }
        });
    }
    // Gone (or a folder): drop everything at or under the path, then read
    // back whatever is there now.
    let under = |p: &str| p == relative_str || p.starts_with(&format!("{relative_str}/"));
    let before = content.files.len() + content.assets.len();
    let mut keep = content.files.iter().map(|f| !under(&f.relative_path));
    sources.parsed.retain(|_| keep.next().unwrap_or(true));
    content.files.retain(|f| !under(&f.relative_path));
    content.assets.retain(|a| !under(&a.relative_path));
    let mut changed = before != content.files.len() + content.assets.len();
    if path.is_dir() {
        let loaded = load_content_under(&content_dir, &path, config)?;
        changed |= !loaded.files.is_empty() || !loaded.assets.is_empty();
        for file in loaded.files {
            let i = position(content, &file.relative_path).unwrap_or_else(|i| i);
            sources.needs_parse.insert(file.relative_path.clone());
            content.files.insert(i, file);
            sources.parsed.insert(i, ParsedFile::default());
        }
        for asset in loaded.assets {
            let i = content
                .assets
                .binary_search_by(|a| {
                    Path::new(&a.relative_path).cmp(Path::new(&asset.relative_path))
                })
                .unwrap_or_else(|i| i);
            content.assets.insert(i, asset);
        }
    }
    Ok(if changed {
        ContentChange::Structure
    } else {
        ContentChange::None
    })
}

/// Parses every file whose parse is out of date; reports all errors.
pub(super) fn parse_pending(sources: &mut Sources) -> Result<()> {
    if sources.needs_parse.is_empty() {
        return Ok(());
    }
    let files = &sources.site.content.files;
    let pending: Vec<usize> = (0..files.len())
        .filter(|&i| sources.needs_parse.contains(&files[i].relative_path))
        .collect();
    let results: Vec<(usize, Result<ParsedFile>)> = pending
        .par_iter()
        .map(|&i| {
            (
                i,
                parse_front_matter(&files[i].path, &files[i].text, files[i].kind),
            )
        })
        .collect();
    let mut errors = Vec::new();
    for (i, result) in results {
        match result {
            Ok(parsed) => {
                sources.needs_parse.remove(&files[i].relative_path);
                sources.parsed[i] = parsed;
            }
            Err(e) => errors.push(e),
        }
    }
    // Paths of files that are gone no longer need parsing.
    let live: HashSet<&str> = files.iter().map(|f| f.relative_path.as_str()).collect();
    sources.needs_parse.retain(|p| live.contains(p.as_str()));
    Error::collect(errors)
}
