//! The writer: the only code that touches the output folder.
//!
//! The new site is assembled in a staging folder beside the output and
//! swapped in only when complete, so a failed build leaves `public/` exactly
//! as it was. A file whose bytes did not change is hard-linked from the old
//! output rather than written, so it keeps its modification time and sync
//! tools (rsync, `aws s3 sync`) upload only what changed. Files that no
//! longer belong to the site are gone after the swap.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::render::{OutputContents, OutputFile};

/// What the writer did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written because they are new or changed.
    pub written: usize,
    /// Files kept as they were.
    pub unchanged: usize,
    /// Files of the old output that are no longer part of the site.
    pub removed: usize,
}

/// Replaces the contents of `output_dir` with `files`.
pub fn write_output(output_dir: &Path, files: &[OutputFile]) -> Result<WriteStats> {
    let parent = output_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = output_dir
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().to_string());
    let staging = parent.join(format!(".{name}.gazette-staging"));
    let backup = parent.join(format!(".{name}.gazette-old"));
    for leftover in [&staging, &backup] {
        remove_dir_if_exists(leftover)?;
    }

    let result = stage(output_dir, &staging, files);
    let (written, unchanged) = match result {
        Ok(counts) => counts,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let new_paths: HashSet<&str> = files.iter().map(|f| &*f.path).collect();
    let removed = existing_files(output_dir)
        .iter()
        .filter(|p| !new_paths.contains(p.as_str()))
        .count();

    if output_dir.exists() {
        if fs::rename(output_dir, &backup).is_err() {
            // The output folder cannot be moved (a mount point, say): sync it
            // in place instead, which is not atomic but loses nothing.
            let _ = fs::remove_dir_all(&staging);
            return sync_in_place(output_dir, files).map(|(w, u)| WriteStats {
                written: w,
                unchanged: u,
                removed,
            });
        }
        if let Err(e) = fs::rename(&staging, output_dir) {
            let _ = fs::rename(&backup, output_dir);
            return Err(Error::io(output_dir, e));
        }
        remove_dir_parallel(&backup)?;
    } else {
        fs::rename(&staging, output_dir).map_err(|e| Error::io(output_dir, e))?;
    }
    Ok(WriteStats {
        written,
        unchanged,
        removed,
    })
}

fn remove_dir_if_exists(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(Error::io(dir, e)),
        _ => Ok(()),
    }
}

/// Removes `dir` with its subfolders removed in parallel: the old output of
/// a 10,000-page site is 20,000 entries, and unlinking them is most of the
/// cost of an unchanged rebuild.
fn remove_dir_parallel(dir: &Path) -> Result<()> {
    let entries: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    entries.par_iter().try_for_each(|path| {
        // Never follow a symlink out of the folder being removed.
        let is_dir = fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
        if is_dir {
            remove_dir_parallel(path)
        } else {
            fs::remove_file(path).map_err(|e| Error::io(path, e))
        }
    })?;
    remove_dir_if_exists(dir)
}

/// Relative paths of every file under `dir`.
fn existing_files(dir: &Path) -> Vec<String> {
    WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| crate::content::load::relative_slash_path(dir, e.path()))
        .collect()
}

fn target_path(dir: &Path, relative: &str) -> PathBuf {
    relative
        .split('/')
        .fold(dir.to_path_buf(), |path, part| path.join(part))
}

/// Fills `staging` with the new site; returns (written, unchanged).
fn stage(output_dir: &Path, staging: &Path, files: &[OutputFile]) -> Result<(usize, usize)> {
    fs::create_dir_all(staging).map_err(|e| Error::io(staging, e))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| {
            target_path(staging, &f.path)
                .parent()
                .map(Path::to_path_buf)
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let unchanged: Vec<bool> = files
        .par_iter()
        .map(|file| {
            let target = target_path(staging, &file.path);
            let old = target_path(output_dir, &file.path);
            if is_unchanged(&old, &file.contents)? && fs::hard_link(&old, &target).is_ok() {
                return Ok(true);
            }
            write_contents(&target, &file.contents)?;
            Ok(false)
        })
        .collect::<Result<_>>()?;
    let kept = unchanged.iter().filter(|u| **u).count();
    Ok((files.len() - kept, kept))
}

fn write_contents(target: &Path, contents: &OutputContents) -> Result<()> {
    match contents {
        OutputContents::Bytes(bytes) => fs::write(target, bytes).map_err(|e| Error::io(target, e)),
        OutputContents::Copy(source) => fs::copy(source, target)
            .map(|_| ())
            .map_err(|e| Error::io(source, e)),
    }
}

/// Whether the file at `old` already holds exactly `contents`.
fn is_unchanged(old: &Path, contents: &OutputContents) -> Result<bool> {
    let Ok(meta) = fs::symlink_metadata(old) else {
        return Ok(false);
    };
    if !meta.is_file() {
        return Ok(false);
    }
    match contents {
        OutputContents::Bytes(bytes) => {
            Ok(meta.len() == bytes.len() as u64 && fs::read(old).is_ok_and(|b| b[..] == bytes[..]))
        }
        OutputContents::Copy(source) => {
            let source_meta = fs::metadata(source).map_err(|e| Error::io(source, e))?;
            if source_meta.len() != meta.len() {
                return Ok(false);
            }
            let new = fs::read(source).map_err(|e| Error::io(source, e))?;
            Ok(fs::read(old).is_ok_and(|b| b == new))
        }
    }
}

fn sync_in_place(output_dir: &Path, files: &[OutputFile]) -> Result<(usize, usize)> {
    let mut written = 0;
    let mut unchanged = 0;
    let keep: HashSet<&str> = files.iter().map(|f| &*f.path).collect();
    for stale in existing_files(output_dir)
        .iter()
        .filter(|p| !keep.contains(p.as_str()))
    {
        let path = target_path(output_dir, stale);
        fs::remove_file(&path).map_err(|e| Error::io(path, e))?;
    }
    for file in files {
        let target = target_path(output_dir, &file.path);
        if is_unchanged(&target, &file.contents)? {
            unchanged += 1;
            continue;
        }
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        write_contents(&target, &file.contents)?;
        written += 1;
    }
    Ok((written, unchanged))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: OutputContents::Bytes(text.as_bytes().into()),
        }
    }

    #[test]
    fn unchanged_files_keep_their_mtime_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_output(
            &out,
            &[bytes("a/index.html", "same"), bytes("old.html", "x")],
        )
        .unwrap();
        let before = fs::metadata(out.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let stats = write_output(
            &out,
            &[bytes("a/index.html", "same"), bytes("b.html", "new")],
        )
        .unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 1,
                unchanged: 1,
                removed: 1
            }
        );
        let after = fs::metadata(out.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        assert!(!out.join("old.html").exists());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "new");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["public"]);
    }
}
