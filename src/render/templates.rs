//! Finds the theme's and the site's templates, compiles them with Tera 2,
//! and turns Tera's errors into ones that name the template *file*.
//!
//! A site template overrides the theme template of the same name. Gazette
//! ships `atom.xml` and `sitemap.xml`; a theme or site may override those too.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::content::load::{is_editor_artifact, relative_slash_path};
use crate::error::{Error, Location, Result};

const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("atom.xml", include_str!("builtin/atom.xml")),
    ("sitemap.xml", include_str!("builtin/sitemap.xml")),
];

/// Template sources, read but not compiled.
#[derive(Debug, Clone, Default)]
pub struct TemplateSources {
    /// Template name (`partials/card.html`) → file and text.
    pub templates: BTreeMap<String, (PathBuf, String)>,
}

impl TemplateSources {
    /// Reads `theme_dir/templates` (if any) and then `site_dir/templates`.
    pub fn load(theme_dir: Option<&Path>, site_dir: &Path) -> Result<TemplateSources> {
        let mut templates = BTreeMap::new();
        for (name, text) in BUILTIN_TEMPLATES {
            templates.insert(
                name.to_string(),
                (PathBuf::from(format!("<gazette>/{name}")), text.to_string()),
            );
        }
        let dirs = theme_dir
            .map(|t| t.join("templates"))
            .into_iter()
            .chain([site_dir.join("templates")]);
        for dir in dirs {
            if !dir.is_dir() {
                continue;
            }
            for entry in WalkDir::new(&dir).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::io(dir.clone(), e.into()))?;
                let name = entry.file_name().to_string_lossy();
                if !entry.file_type().is_file() || is_editor_artifact(&name) {
                    continue;
                }
                let path = entry.path();
                let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
                templates.insert(relative_slash_path(&dir, path), (path.to_path_buf(), text));
            }
        }
        Ok(TemplateSources { templates })
    }

    /// The file a template name comes from.
    pub fn file_of(&self, name: &str) -> PathBuf {
        self.templates
            .get(name)
            .map(|(p, _)| p.clone())
            .unwrap_or_else(|| PathBuf::from(name))
    }

    /// Compiles every template into `tera` (whose functions and filters must
    /// already be registered, since Tera checks calls at compile time).
    pub fn compile_into(&self, tera: &mut Tera) -> Result<()> {
        tera.add_raw_templates(
            self.templates
                .iter()
                .map(|(name, (_, text))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| self.convert_error(e, None))
    }

    /// A revision per template name that changes whenever the template or
    /// anything it may extend, include or import changes. A template is
    /// taken to use every other template whose name it quotes, and every
    /// template that defines components; that over-approximates Tera's
    /// real dependencies, which is safe: a revision never stays put when
    /// the output could change.
    pub fn revisions(&self) -> HashMap<String, u64> {
        let defines_components: Vec<&str> = self
            .templates
            .iter()
            .filter(|(_, (_, text))| text.contains("component "))
            .map(|(name, _)| name.as_str())
            .collect();
        let uses: HashMap<&str, Vec<&str>> = self
            .templates
            .iter()
            .map(|(name, (_, text))| {
                let mut used: Vec<&str> = self
                    .templates
                    .keys()
                    .filter(|other| {
                        *other != name
                            && (text.contains(&format!("\"{other}\""))
                                || text.contains(&format!("'{other}'")))
                    })
                    .map(String::as_str)
                    .collect();
                used.extend(defines_components.iter().filter(|c| **c != name));
                (name.as_str(), used)
            })
            .collect();
        self.templates
            .keys()
            .map(|name| {
                let mut seen = std::collections::BTreeSet::new();
                let mut stack = vec![name.as_str()];
                while let Some(next) = stack.pop() {
                    if seen.insert(next) {
                        stack.extend(uses.get(next).into_iter().flatten());
                    }
                }
                let mut hasher = super::context::fingerprint_hasher();
                for used in seen {
                    (used, &self.templates[used].1).hash(&mut hasher);
                }
                (name.clone(), hasher.finish())
            })
            .collect()
    }

    /// Turns a Tera error into an [`Error::Template`] naming the file, line
    /// and column; `rendering` names the output being rendered, if any.
    pub fn convert_error(&self, error: tera::Error, rendering: Option<&str>) -> Error {
        let rendering = rendering.map(str::to_string);
        let (at, message) = match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                let at = Location::new(
                    self.file_of(report.filename()),
                    span.start_line,
                    span.start_col + 1,
                );
                let mut message = report.message().to_string();
                let mut source = std::error::Error::source(&error);
                while let Some(cause) = source {
                    message.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                (at, message)
            }
            ErrorKind::MissingParent { current, parent } => (
                Location::file(self.file_of(current)),
                format!("extends `{parent}`, which no theme or site template provides"),
            ),
            ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
                (Location::file(self.file_of(tpl)), error.to_string())
            }
            _ => (Location::file("templates"), error.to_string()),
        };
        Error::Template {
            at,
            message,
            rendering,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(name: &str, text: &str) -> TemplateSources {
        let mut templates = BTreeMap::new();
        templates.insert(
            name.to_string(),
            (
                PathBuf::from(format!("themes/t/templates/{name}")),
                text.to_string(),
            ),
        );
        TemplateSources { templates }
    }

    #[test]
    fn syntax_error_names_template_file_line_and_column() {
        let sources = sources("page.html", "<p>\n{{ page.title }\n</p>");
        let err = sources
            .compile_into(&mut Tera::new())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("themes/t/templates/page.html:2:"), "{err}");
    }

    #[test]
    fn render_error_names_template_file_and_output() {
        let sources = sources("page.html", "<p>\n{{ missing.title }}</p>");
        let mut tera = Tera::new();
        sources.compile_into(&mut tera).unwrap();
        let err = tera.render("page.html", &tera::Context::new()).unwrap_err();
        let err = sources.convert_error(err, Some("/news/a/")).to_string();
        assert!(
            err.starts_with("themes/t/templates/page.html:2:4: template error:"),
            "{err}"
        );
        assert!(err.ends_with("while rendering /news/a/"), "{err}");
    }
}
