//! Chinese-aware text figures: automatic and manual summaries, word count
//! (Han characters plus words) and reading time.

use crate::helpers::{SiteTest, by_id};

fn built() -> SiteTest {
    let site = SiteTest::new("chinese_text");
    site.build(&[]).assert_success();
    site
}

/// `(summary, word_count, reading_time)` of the page at `path`.
fn figures(site: &SiteTest, path: &str) -> (String, usize, usize) {
    let html = site.read(&format!("{path}/index.html"));
    (
        by_id(&html, "summary"),
        by_id(&html, "word-count").parse().unwrap(),
        by_id(&html, "reading-time").parse().unwrap(),
    )
}

#[test]
fn chinese_summary_without_more_marker_cuts_at_the_last_full_stop_in_range() {
    let site = built();
    let (summary, _, _) = figures(&site, "zh-auto");
    // Four sentences (183 characters) fit in 200; the fifth would not. The
    // `.` of 31.7% is no sentence end, and the heading is not summarised.
    assert_eq!(
        summary,
        "<p>2023年12月7日，重庆市推进产业工人队伍建设改革现场会在涪陵区举行，会议总结了一年来的工作。\
         市产改领导小组成员单位、各区县和重点企业的负责同志参加会议，并围绕改革任务交流了经验。\
         会议指出，全市技能人才总量已达527万人，其中高技能人才占比达到31.7%，队伍结构持续优化。\
         各区县普遍组建了产改领导小组，41个区县（开发区）已把产改列为党委督察事项或年度考核内容。</p>"
    );
}

#[test]
fn summary_with_more_marker_is_the_html_before_it() {
    let site = built();
    let (summary, _, _) = figures(&site, "zh-more");
    assert_eq!(
        summary,
        "<p>这是摘要的第一段，比较短。</p>\n<p>这是摘要的<strong>第二段</strong>。</p>"
    );
    let content = by_id(&site.read("zh-more/index.html"), "content");
    assert!(
        content.contains("<p>正文从这里开始，摘要里不应出现。</p>"),
        "{content}"
    );
    assert!(
        content.starts_with("<p>这是摘要的第一段，比较短。</p>"),
        "{content}"
    );
}

/// Chinese puts no space between sentences, so neither may the summary
/// where source lines or paragraphs meet between Han text.
#[test]
fn chinese_summary_joins_lines_and_paragraphs_without_spaces() {
    let site = built();
    let (summary, _, _) = figures(&site, "zh-lines");
    assert_eq!(summary, "<p>第一段的第一行接着写第二行。第二段。</p>");
}

#[test]
fn word_count_and_reading_time_count_han_characters() {
    let site = built();
    // 400 Han characters a minute, rounded up.
    let (_, words, minutes) = figures(&site, "zh-800");
    assert_eq!((words, minutes), (800, 2));
    let (_, words, minutes) = figures(&site, "zh-801");
    assert_eq!((words, minutes), (801, 3));
    // 219 Han characters (heading included) plus 6 numbers.
    let (_, words, minutes) = figures(&site, "zh-auto");
    assert_eq!((words, minutes), (225, 1));
}

#[test]
fn english_article_reading_time_counts_words() {
    let site = built();
    let (summary, words, minutes) = figures(&site, "en/english");
    // 450 words at 200 a minute: 2.25, rounded up.
    assert_eq!((words, minutes), (450, 3));
    assert_eq!(
        summary,
        "<p>The reform of the industrial workforce in Chongqing reached every district last year \
         and trained more workers than planned.</p>"
    );
}

/// Code is not prose: neither a fence without a language nor any fence when
/// highlighting is off may add to the word count.
#[test]
fn word_count_leaves_out_code_blocks_whether_highlighted_or_not() {
    let site = built();
    let (_, words, _) = figures(&site, "code-count");
    assert_eq!(
        words, 6,
        "only 代码不算字数 is prose (highlight_code = true)"
    );

    site.write(
        "config.toml",
        &format!(
            "{}\n[markdown]\nhighlight_code = false\n",
            site.read_source("config.toml")
        ),
    );
    site.build(&[]).assert_success();
    let (_, words, _) = figures(&site, "code-count");
    assert_eq!(
        words, 6,
        "only 代码不算字数 is prose (highlight_code = false)"
    );
}
