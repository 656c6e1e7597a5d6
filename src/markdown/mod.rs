//! Markdown → HTML with pulldown-cmark, plus the passes a campaign site
//! needs: readable heading ids (Chinese kept), a table of contents,
//! syntect highlighting, `@/` internal links, the `<!-- more -->` summary
//! and the text figures (word count, reading time).

mod cache;
pub mod highlight;

pub use cache::{MarkdownCache, render_bodies, render_site_markdown};

use std::collections::HashSet;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::content::text::{TextStats, join_text, slugify, summarize};
use crate::error::{Error, Location, Result};

/// The rendered body of a page or section.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    /// The HTML body.
    pub html: String,
    /// HTML summary: the part before `<!-- more -->`, else an automatic one.
    pub summary: String,
    /// Headings as a tree.
    pub toc: Vec<Heading>,
    /// How much text the body holds (code excluded).
    pub stats: TextStats,
}

/// One entry of a table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u32,
    /// The heading's `id`.
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
    /// Page permalink plus `#id`.
    pub permalink: String,
    /// Deeper headings under this one.
    pub children: Vec<Heading>,
}

/// What the renderer needs to know about the document it renders.
pub struct MarkdownOptions<'a> {
    /// Highlight fenced code that names a language.
    pub highlight: bool,
    /// The source file, for error locations.
    pub path: &'a Path,
    /// The line of the file on which the Markdown starts.
    pub first_line: usize,
    /// Permalink of the page, for table-of-contents links.
    pub permalink: &'a str,
    /// Resolves an `@/path.md` link to a URL.
    pub resolve_link: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped for HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

const MORE_MARKER: &str = "<!-- more -->";

/// Renders `text` to HTML and collects its table of contents, summary and
/// text figures. A broken `@/` link is an error with its location.
pub fn render_markdown(text: &str, options: &MarkdownOptions) -> Result<Markdown> {
    let parser_options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event> = Vec::new();
    let mut errors = Vec::new();
    let mut headings: Vec<(usize, u32, String)> = Vec::new();
    let mut heading_text: Option<String> = None;
    let mut code: Option<(String, String)> = None;
    let mut more_at = None;
    let mut in_code_block = false;
    let mut footnote_labels = Vec::new();
    let mut stats = TextStats::default();
    let mut paragraph_text = String::new();
    let (mut paragraph_depth, mut footnote_depth) = (0usize, 0usize);

    for (event, range) in Parser::new_ext(text, parser_options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info))) if options.highlight => {
                let lang = info.split([' ', ',', '{']).next().unwrap_or("").to_string();
                if lang.is_empty() {
                    in_code_block = true;
                    events.push(event);
                } else {
                    code = Some((lang, String::new()));
                }
            }
            Event::Text(ref t) if code.is_some() => code.as_mut().unwrap().1.push_str(t),
            Event::End(TagEnd::CodeBlock) if code.is_some() => {
                let (lang, source) = code.take().unwrap();
                events.push(Event::Html(
                    highlight::highlight_code(&lang, &source).into(),
                ));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                headings.push((events.len(), level as u32, String::new()));
                heading_text = Some(String::new());
                events.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let (Some(text), Some(last)) = (heading_text.take(), headings.last_mut()) {
                    last.2 = text;
                }
                events.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
                let (target, fragment) = match dest_url.split_once('#') {
                    Some((t, f)) => (t, format!("#{f}")),
                    None => (&*dest_url, String::new()),
                };
                let url = match (options.resolve_link)(&target[2..]) {
                    Some(url) => url + &fragment,
                    None => {
                        errors.push(Error::BrokenLink {
                            at: Location::at_offset(
                                options.path,
                                text,
                                range.start,
                                options.first_line,
                            ),
                            target: dest_url.to_string(),
                        });
                        String::new()
                    }
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: url.into(),
                    title,
                    id,
                }));
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) if html.trim() == MORE_MARKER => {
                more_at.get_or_insert(events.len());
            }
            // Code is not prose: it counts towards neither words nor
            // reading time, highlighted or not.
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                events.push(event);
            }
            Event::Text(_) if in_code_block => events.push(event),
            Event::Text(ref t) | Event::Code(ref t) => {
                stats.add(TextStats::of(t));
                if let Some(heading) = heading_text.as_mut() {
                    heading.push_str(t);
                } else if paragraph_depth > 0 && footnote_depth == 0 {
                    paragraph_text.push_str(t);
                }
                events.push(event);
            }
            Event::SoftBreak | Event::HardBreak if paragraph_depth > 0 => {
                paragraph_text.push('\n');
                events.push(event);
            }
            Event::Start(Tag::Paragraph) => {
                paragraph_depth += 1;
                events.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                paragraph_depth -= 1;
                paragraph_text.push_str("\n\n");
                events.push(event);
            }
            Event::Start(Tag::FootnoteDefinition(ref label)) => {
                footnote_labels.push(label.to_string());
                footnote_depth += 1;
                events.push(event);
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                footnote_depth -= 1;
                events.push(event);
            }
            _ => events.push(event),
        }
    }
    Error::collect(errors)?;

    let toc = assign_heading_ids(&mut events, &headings, &footnote_labels, options.permalink);
    let summary = match more_at {
        Some(index) => {
            let mut html = String::new();
            // Footnote markers would point at notes the summary does not hold.
            let summary_events = events[..index]
                .iter()
                .filter(|e| !matches!(e, Event::FootnoteReference(_)));
            pulldown_cmark::html::push_html(&mut html, summary_events.cloned());
            html
        }
        None => summary_paragraph(&paragraph_text),
    };
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(Markdown {
        html,
        summary,
        toc,
        stats,
    })
}

fn summary_paragraph(text: &str) -> String {
    // The cut works on the first paragraphs only, which is all a summary can
    // use anyway; Chinese lines and paragraphs join without a space.
    let paragraphs = text.split("\n\n").filter(|p| !p.trim().is_empty()).take(3);
    let joined = join_text(paragraphs.flat_map(str::lines));
    let summary = summarize(&joined);
    if summary.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>\n", escape_html(&summary))
    }
}

/// Gives every heading an id (its own `{#id}`, else a slug of its text,
/// made unique), and builds the table of contents.
fn assign_heading_ids(
    events: &mut [Event],
    headings: &[(usize, u32, String)],
    footnote_labels: &[String],
    permalink: &str,
) -> Vec<Heading> {
    // pulldown-cmark gives each footnote definition its label as id.
    let mut used: HashSet<String> = footnote_labels.iter().cloned().collect();
    let mut flat = Vec::new();
    for (index, level, title) in headings {
        let Event::Start(Tag::Heading { id, .. }) = &mut events[*index] else {
            continue;
        };
        let base = match id {
            Some(explicit) => explicit.to_string(),
            None => {
                let slug = slugify(title);
                if slug.is_empty() {
                    "section".to_string()
                } else {
                    slug
                }
            }
        };
        let mut unique = base.clone();
        let mut n = 1;
        while !used.insert(unique.clone()) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        *id = Some(CowStr::from(unique.clone()));
        flat.push(Heading {
            level: *level,
            permalink: format!("{permalink}#{unique}"),
            id: unique,
            title: title.trim().to_string(),
            children: Vec::new(),
        });
    }
    nest_headings(flat)
}

fn nest_headings(flat: Vec<Heading>) -> Vec<Heading> {
    let mut roots: Vec<Heading> = Vec::new();
    for heading in flat {
        insert_heading(&mut roots, heading);
    }
    roots
}

fn insert_heading(siblings: &mut Vec<Heading>, heading: Heading) {
    match siblings.last_mut() {
        Some(last) if heading.level > last.level => insert_heading(&mut last.children, heading),
        _ => siblings.push(heading),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> Result<Markdown> {
        let resolve = |path: &str| (path == "about.md").then(|| "https://e.org/about/".to_string());
        render_markdown(
            text,
            &MarkdownOptions {
                highlight: true,
                path: Path::new("content/a.md"),
                first_line: 5,
                permalink: "https://e.org/a/",
                resolve_link: &resolve,
            },
        )
    }

    #[test]
    fn chinese_headings_get_readable_unique_ids_and_a_nested_toc() {
        let md = render("## 素质提升\n\n### 培训 基地\n\n## 素质提升\n").unwrap();
        assert!(md.html.contains("<h2 id=\"素质提升\">"), "{}", md.html);
        assert!(md.html.contains("<h2 id=\"素质提升-1\">"), "{}", md.html);
        assert_eq!(md.toc.len(), 2);
        assert_eq!(md.toc[0].children[0].id, "培训-基地");
        assert_eq!(md.toc[0].permalink, "https://e.org/a/#素质提升");
    }

    #[test]
    fn internal_links_resolve_and_broken_ones_name_file_line_col() {
        let md = render("See [about](@/about.md#team).\n").unwrap();
        assert!(
            md.html.contains("href=\"https://e.org/about/#team\""),
            "{}",
            md.html
        );
        let err = render("Line one.\n\nSee [x](@/missing.md).\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("content/a.md:7:5: broken internal link `@/missing.md`"),
            "{err}"
        );
    }

    #[test]
    fn more_marker_splits_the_summary() {
        let md = render("第一段。\n\n<!-- more -->\n\n第二段。\n").unwrap();
        assert_eq!(md.summary, "<p>第一段。</p>\n");
        assert!(md.html.contains("第二段"));
    }

    #[test]
    fn fenced_code_is_highlighted_and_not_counted_as_words() {
        let md = render("两个字\n\n```rust\nlet x = 1;\n```\n").unwrap();
        assert!(md.html.contains("class=\"hl-"), "{}", md.html);
        assert_eq!(md.stats.word_count(), 3);
    }
}
