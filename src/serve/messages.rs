//! The messages the server sends to open pages over the live-reload
//! WebSocket, as JSON objects with a `type`:
//!
//! - `update`: a rebuild changed these outputs. `pages` are HTML files
//!   (`/news/a/index.html`): a page reloads when it is one of them.
//!   `css` and `images` are swapped in place without a reload. `other`
//!   (a script or font changed) reloads every page.
//! - `error`: the last save did not build; `message` and `location`
//!   (`file:line:col`) fill the overlay.
//! - `ok`: the site builds again; the overlay goes.

use serde::Serialize;

use crate::Error;

/// One message to every open page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Message {
    /// Outputs changed.
    Update {
        /// Changed HTML files, as URL paths.
        pages: Vec<String>,
        /// Changed stylesheets.
        css: Vec<String>,
        /// Changed images.
        images: Vec<String>,
        /// Something that needs a full reload of every page changed.
        other: bool,
    },
    /// The build failed.
    Error {
        /// Where, as `file:line:col`.
        location: String,
        /// The whole error text.
        message: String,
    },
    /// The build works again.
    Ok,
}

const IMAGE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp",
];

/// Outputs whose change no open page needs to see.
const QUIET_EXTENSIONS: &[&str] = &["xml", "txt", "json", "map"];

impl Message {
    /// The update for a rebuild that changed `outputs` (output paths).
    pub fn update(outputs: &[String]) -> Message {
        let mut pages = Vec::new();
        let mut css = Vec::new();
        let mut images = Vec::new();
        let mut other = false;
        for path in outputs {
            let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
            let url = format!("/{path}");
            match extension.to_ascii_lowercase().as_str() {
                "html" | "htm" => pages.push(url),
                "css" => css.push(url),
                e if IMAGE_EXTENSIONS.contains(&e) => images.push(url),
                e if QUIET_EXTENSIONS.contains(&e) => {}
                _ => other = true,
            }
        }
        Message::Update {
            pages,
            css,
            images,
            other,
        }
    }

    /// Reload every page.
    pub fn reload_everything() -> Message {
        Message::Update {
            pages: Vec::new(),
            css: Vec::new(),
            images: Vec::new(),
            other: true,
        }
    }

    /// The overlay for a failed build.
    pub fn from_error(error: &Error) -> Message {
        Message::Error {
            location: error.location().map(|l| l.to_string()).unwrap_or_default(),
            message: error.to_string(),
        }
    }

    /// The JSON text sent over the socket.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| r#"{"type":"ok"}"#.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheet_and_image_changes_are_swapped_not_reloaded() {
        let message = Message::update(&["style.css".into(), "workers/zhao/portrait.svg".into()]);
        assert_eq!(
            message.to_json(),
            r#"{"type":"update","pages":[],"css":["/style.css"],"images":["/workers/zhao/portrait.svg"],"other":false}"#
        );
    }

    #[test]
    fn page_changes_name_the_page_and_scripts_reload_everything() {
        let message = Message::update(&["news/a/index.html".into(), "atom.xml".into()]);
        assert_eq!(
            message,
            Message::Update {
                pages: vec!["/news/a/index.html".into()],
                css: vec![],
                images: vec![],
                other: false
            }
        );
        assert!(matches!(
            Message::update(&["app.js".into()]),
            Message::Update { other: true, .. }
        ));
    }
}
