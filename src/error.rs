//! Typed errors for every stage of the pipeline.
//!
//! Each variant that comes from user input carries a [`Location`]
//! (`file:line:col`) and says what to do about it. The library never prints
//! errors; the binary reports the top-level error once and exits with 2.

use std::fmt;
use std::path::{Path, PathBuf};

/// Result type of the Gazette library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A place in a source file. Lines and columns are 1-based; 0 means unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user would type it (relative to the working directory
    /// when the site root is).
    pub path: PathBuf,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
}

impl Location {
    /// A location at `line:column` of `path`.
    pub fn new(path: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            path: path.into(),
            line,
            column,
        }
    }

    /// A location naming only the file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location::new(path, 0, 0)
    }

    /// The location of byte `offset` in `text`, which starts at line
    /// `first_line` of `path`.
    pub fn at_offset(path: &Path, text: &str, offset: usize, first_line: usize) -> Self {
        let (line, column) = line_col(text, offset);
        Location::new(path, line + first_line - 1, column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.strip_prefix(".").unwrap_or(&self.path);
        write!(f, "{}", path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Everything that can make a build fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", Location::file(path))]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },

    /// There is no `config.toml` in the site root.
    #[error(
        "{}: no config file found\n  help: run gazette in the site's folder, or pass --root DIR (the folder that holds config.toml)",
        Location::file(path)
    )]
    MissingConfig {
        /// Where the config was expected.
        path: PathBuf,
    },

    /// `config.toml` is not valid, or holds a value of the wrong kind.
    #[error("{at}: invalid config: {message}\n  help: {help}")]
    Config {
        /// Where in `config.toml`.
        at: Location,
        /// What is wrong.
        message: String,
        /// What to do about it.
        help: String,
    },

    /// A content file's front matter cannot be read.
    #[error("{at}: invalid front matter: {message}\n  help: {help}")]
    FrontMatter {
        /// Where in the content file.
        at: Location,
        /// What is wrong.
        message: String,
        /// What to do about it.
        help: String,
    },

    /// A content file or config names a template that no theme provides.
    #[error(
        "{at}: unknown template `{name}`\n  help: add templates/{name} to the site, or use one of: {}",
        available.join(", ")
    )]
    UnknownTemplate {
        /// The line that names the template.
        at: Location,
        /// The template name.
        name: String,
        /// Templates that do exist.
        available: Vec<String>,
    },

    /// A template has a syntax error or failed while rendering.
    #[error("{at}: template error: {message}{}", rendering.as_ref().map(|r| format!("\n  while rendering {r}")).unwrap_or_default())]
    Template {
        /// Where in the template file.
        at: Location,
        /// Tera's message.
        message: String,
        /// The output being rendered when the error happened, if any.
        rendering: Option<String>,
    },

    /// A translation file (content or i18n) is for a language the config
    /// does not declare.
    #[error(
        "{at}: language `{lang}` is not declared in config.toml (declared: {})\n  help: add [languages.{lang}] to config.toml, or rename the file",
        declared.join(", ")
    )]
    UndeclaredLanguage {
        /// The file.
        at: Location,
        /// Its language code.
        lang: String,
        /// The languages the config declares.
        declared: Vec<String>,
    },

    /// Two pieces of content would be written to the same URL.
    #[error(
        "{second}: this writes to {url}, which {first} writes too\n  help: give one of them a different `slug` in its front matter"
    )]
    DuplicateUrl {
        /// The URL path both want.
        url: String,
        /// The content file that claimed it first.
        first: Location,
        /// The content file that claimed it second.
        second: Location,
    },

    /// An internal `@/` link points to content that does not exist.
    #[error(
        "{at}: broken internal link `{target}`\n  help: internal links name a file under content/, e.g. `@/news/_index.md` or `@/about.md`"
    )]
    BrokenLink {
        /// Where the link is.
        at: Location,
        /// The link target as written.
        target: String,
    },

    /// The dev server cannot start (port in use, bad address).
    #[error("{0}")]
    Serve(String),

    /// Several independent errors; all are reported.
    #[error("{}", join_errors(.0))]
    Many(Vec<Error>),
}

fn join_errors(errors: &[Error]) -> String {
    let mut out = String::new();
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&e.to_string());
    }
    out
}

impl Error {
    /// Where the (first) error is, when it is in a file.
    pub fn location(&self) -> Option<Location> {
        match self {
            Error::Io { path, .. } | Error::MissingConfig { path } => Some(Location::file(path)),
            Error::Config { at, .. }
            | Error::FrontMatter { at, .. }
            | Error::UnknownTemplate { at, .. }
            | Error::Template { at, .. }
            | Error::UndeclaredLanguage { at, .. }
            | Error::BrokenLink { at, .. } => Some(at.clone()),
            Error::DuplicateUrl { second, .. } => Some(second.clone()),
            Error::Serve(_) => None,
            Error::Many(errors) => errors.first().and_then(Error::location),
        }
    }

    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Turns a list of errors into one: `Ok` when empty, the error itself
    /// when there is one, else [`Error::Many`].
    pub fn collect(mut errors: Vec<Error>) -> Result<()> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(Error::Many(errors)),
        }
    }

    /// How many errors this is (more than one for [`Error::Many`]).
    pub fn count(&self) -> usize {
        match self {
            Error::Many(list) => list.iter().map(Error::count).sum(),
            _ => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "标题\n第二行 x";
        let offset = text.find('x').unwrap();
        assert_eq!(line_col(text, offset), (2, 5));
    }

    #[test]
    fn location_display_omits_unknown_parts() {
        assert_eq!(Location::file("./a.md").to_string(), "a.md");
        assert_eq!(Location::new("a.md", 3, 0).to_string(), "a.md:3");
        assert_eq!(Location::new("a.md", 3, 7).to_string(), "a.md:3:7");
    }
}
