//! Answers HTTP requests from the last good build held in memory.
//!
//! A URL path is percent-decoded, refused if any segment is `.` or `..`
//! (or holds a backslash or NUL), and then only ever looked up among the
//! build's output paths, so no request can name a file outside the site.
//! Copied files (static files, assets) are read from their source, which
//! must resolve, symlinks followed, to a file inside the site folder.
//! Directory URLs map to `index.html`; unknown paths get the `404.html`
//! of the language their path starts with. Every response carries
//! `Cache-Control: no-store`, and every HTML page gets the live-reload
//! script.

use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Method, Response, StatusCode, Uri, header};
use percent_encoding::percent_decode_str;

use crate::render::{OutputContents, OutputFile, RenderedSite};

/// The tag added to every served HTML page, before `</body>`.
pub const LIVE_RELOAD_TAG: &str = "<script src=\"/__gazette/livereload.js\"></script>";

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// An output file path (`news/index.html`).
    File(String),
    /// The same path with a trailing slash: redirect there.
    Redirect(String),
    /// No such output.
    NotFound,
    /// A traversal attempt or an undecodable path.
    Refused,
}

/// Resolves the raw (still percent-encoded) URL path of a request.
pub fn resolve(site: &RenderedSite, raw_path: &str) -> Target {
    let Ok(decoded) = percent_decode_str(raw_path).decode_utf8() else {
        return Target::Refused;
    };
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        if segment == ".." || segment == "." || segment.contains(['\\', '\0']) {
            return Target::Refused;
        }
        if !segment.is_empty() {
            segments.push(segment);
        }
    }
    let path = segments.join("/");
    let wants_dir = decoded.ends_with('/') || path.is_empty();
    let candidate = if wants_dir {
        if path.is_empty() {
            "index.html".to_string()
        } else {
            format!("{path}/index.html")
        }
    } else {
        path.clone()
    };
    if find(site, &candidate).is_some() {
        return Target::File(candidate);
    }
    if !wants_dir && find(site, &format!("{path}/index.html")).is_some() {
        return Target::Redirect(format!("/{path}/"));
    }
    Target::NotFound
}

/// The output file at `path`.
pub fn find<'a>(site: &'a RenderedSite, path: &str) -> Option<&'a OutputFile> {
    site.files
        .binary_search_by(|f| (*f.path).cmp(path))
        .ok()
        .map(|i| &site.files[i])
}

/// The 404 page for `raw_path`: `<lang>/404.html` when the path starts
/// with a language prefix that has one, else `404.html`.
pub fn not_found_page<'a>(site: &'a RenderedSite, raw_path: &str) -> Option<&'a OutputFile> {
    let first = raw_path.trim_start_matches('/').split('/').next()?;
    let localized = (!first.is_empty())
        .then(|| find(site, &format!("{first}/404.html")))
        .flatten();
    localized.or_else(|| find(site, "404.html"))
}

/// Builds the response for a request.
pub async fn respond(
    site: &RenderedSite,
    site_root: &Path,
    method: &Method,
    uri: &Uri,
) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served",
        );
    }
    let raw_path = uri.path();
    let (status, file) = match resolve(site, raw_path) {
        Target::File(path) => (StatusCode::OK, find(site, &path)),
        Target::Redirect(location) => {
            let mut response = plain(StatusCode::MOVED_PERMANENTLY, "");
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            return response;
        }
        Target::Refused => return plain(StatusCode::FORBIDDEN, "path refused"),
        Target::NotFound => (StatusCode::NOT_FOUND, not_found_page(site, raw_path)),
    };
    let Some(file) = file else {
        // No 404.html in the theme: a bare page that still reloads when
        // the address gets content.
        let page = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\
             <body><p>Nothing at {} yet.</p>{LIVE_RELOAD_TAG}</body></html>",
            crate::markdown::escape_html(raw_path)
        );
        let mut response = Response::new(Body::from(page));
        *response.status_mut() = StatusCode::NOT_FOUND;
        set_headers(&mut response, "text/html; charset=utf-8");
        return response;
    };
    let mime = mime_guess::from_path(&*file.path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = match &file.contents {
        OutputContents::Bytes(bytes) if is_html => Body::from(inject_live_reload(bytes)),
        // Shared with the build held in memory, not copied.
        OutputContents::Bytes(bytes) => Body::from(Bytes::from_owner(bytes.clone())),
        OutputContents::Copy(source) => match read_inside(site_root, source).await {
            Some(bytes) if is_html => Body::from(inject_live_reload(&bytes)),
            Some(bytes) => Body::from(bytes),
            None => return plain(StatusCode::FORBIDDEN, "file outside the site refused"),
        },
    };
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/javascript" => {
            "text/javascript; charset=utf-8".into()
        }
        _ => mime.essence_str().to_string(),
    };
    let mut response = Response::new(if method == Method::HEAD {
        Body::empty()
    } else {
        body
    });
    *response.status_mut() = status;
    set_headers(&mut response, &content_type);
    response
}

/// Reads `source` if it resolves to a file inside `site_root`.
async fn read_inside(site_root: &Path, source: &Path) -> Option<Vec<u8>> {
    let resolved: PathBuf = tokio::fs::canonicalize(source).await.ok()?;
    if !resolved.starts_with(site_root) {
        return None;
    }
    tokio::fs::read(resolved).await.ok()
}

/// `html` with the live-reload tag before its last `</body>`, or at the
/// end when it has none.
pub fn inject_live_reload(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + LIVE_RELOAD_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(LIVE_RELOAD_TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A short text response.
pub fn plain(status: StatusCode, text: &str) -> Response<Body> {
    let mut response = Response::new(Body::from(text.to_string()));
    *response.status_mut() = status;
    set_headers(&mut response, "text/plain; charset=utf-8");
    response
}

/// Content type plus the headers that keep browsers from caching a page
/// that the next save will change.
pub fn set_headers(response: &mut Response<Body>, content_type: &str) {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(paths: &[&str]) -> RenderedSite {
        RenderedSite {
            files: paths
                .iter()
                .map(|p| OutputFile {
                    path: (*p).into(),
                    contents: OutputContents::Bytes(b"x".to_vec().into()),
                })
                .collect(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn directory_urls_map_to_index_html_and_bare_ones_redirect() {
        let site = site(&["en/index.html", "index.html", "news/a/index.html"]);
        assert_eq!(resolve(&site, "/"), Target::File("index.html".into()));
        assert_eq!(
            resolve(&site, "/news/a/"),
            Target::File("news/a/index.html".into())
        );
        assert_eq!(
            resolve(&site, "/news/a"),
            Target::Redirect("/news/a/".into())
        );
        assert_eq!(resolve(&site, "/news/b/"), Target::NotFound);
    }

    #[test]
    fn traversal_is_refused_plain_or_encoded() {
        let site = site(&["index.html"]);
        for path in [
            "/../etc/passwd",
            "/news/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/a/%2e/b",
            "/..%5c..%5cwindows",
            "/%00",
        ] {
            assert_eq!(resolve(&site, path), Target::Refused, "{path}");
        }
        // An absolute path in the URL is just a path inside the site.
        assert_eq!(resolve(&site, "//etc/passwd"), Target::NotFound);
    }

    #[test]
    fn not_found_page_follows_the_language_prefix() {
        let site = site(&["404.html", "en/404.html"]);
        assert_eq!(
            not_found_page(&site, "/en/nope/").unwrap().path.as_ref(),
            "en/404.html"
        );
        assert_eq!(
            not_found_page(&site, "/nope/").unwrap().path.as_ref(),
            "404.html"
        );
    }

    #[test]
    fn live_reload_tag_goes_before_the_last_closing_body() {
        let html = b"<p>x</p></body>\n</html>\n";
        let out = String::from_utf8(inject_live_reload(html)).unwrap();
        assert_eq!(out, format!("<p>x</p>{LIVE_RELOAD_TAG}</body>\n</html>\n"));
    }
}
