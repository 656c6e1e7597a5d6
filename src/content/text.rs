//! Chinese-aware text figures: slugs, word counts, reading time and the
//! automatic summary.
//!
//! Chinese has no spaces, so "words" means Han characters there and
//! whitespace-separated words in English; a mixed text counts both.

/// Han characters a reader gets through in a minute.
const HAN_PER_MINUTE: usize = 400;
/// English words a reader gets through in a minute.
const WORDS_PER_MINUTE: usize = 200;
/// Longest automatic summary, in characters.
const SUMMARY_MAX_CHARS: usize = 200;

/// Whether `c` is a Han (CJK ideograph) character.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2EBEF | 0x30000..=0x3134F)
}

/// Whether `c` belongs to Chinese writing: Han, or CJK punctuation and
/// full-width forms.
pub fn is_cjk(c: char) -> bool {
    is_han(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// Joins pieces of text the way a reader expects: with a space between
/// English words, with nothing between two pieces of Chinese (a line
/// break inside a Chinese paragraph is not a space).
pub fn join_text<'a>(pieces: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for piece in pieces.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
        let touches_cjk =
            out.chars().next_back().is_some_and(is_cjk) || piece.chars().next().is_some_and(is_cjk);
        if !out.is_empty() && !touches_cjk {
            out.push(' ');
        }
        out.push_str(piece);
    }
    out
}

/// A URL- and id-safe form of `text` that keeps Chinese readable:
/// letters, digits and Han characters stay (ASCII lowercased), runs of
/// anything else become one `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if !matches!(c, '\'' | '’' | '.') {
            pending_dash = true;
        }
    }
    slug
}

/// How much text there is, in Han characters and other words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextStats {
    /// Han characters.
    pub han: usize,
    /// Words of other scripts (runs of letters and digits).
    pub words: usize,
}

impl TextStats {
    /// Counts `text`.
    pub fn of(text: &str) -> TextStats {
        let mut stats = TextStats::default();
        let mut in_word = false;
        for c in text.chars() {
            if is_han(c) {
                stats.han += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                if !in_word {
                    stats.words += 1;
                }
                in_word = true;
            } else if !(in_word && matches!(c, '\'' | '’' | '-' | '.' | ',')) {
                // Apostrophes, hyphens and number separators join a word
                // ("don't", "well-known", "5.27"); anything else ends it.
                in_word = false;
            }
        }
        stats
    }

    /// Adds another count.
    pub fn add(&mut self, other: TextStats) {
        self.han += other.han;
        self.words += other.words;
    }

    /// The word count shown to readers: Han characters plus words.
    pub fn word_count(&self) -> usize {
        self.han + self.words
    }

    /// Minutes to read, rounded up, at least 1.
    pub fn reading_time(&self) -> usize {
        // Sum the two rates in a common unit: 1/2000 of a minute.
        let units = self.han * (2000 / HAN_PER_MINUTE) + self.words * (2000 / WORDS_PER_MINUTE);
        units.div_ceil(2000).max(1)
    }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '.' | '…')
}

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '"' | '\'')
}

/// Cuts plain `text` for an automatic summary: up to the last sentence end
/// (。！？ .!?) within 200 characters, else the first sentence
/// whatever its length; text without a sentence end is cut at a clause
/// mark or a space, never inside a word or a run of Han characters.
pub fn summarize(text: &str) -> String {
    let text = text.trim();
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= SUMMARY_MAX_CHARS {
        return text.to_string();
    }
    let mut sentence_ends = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if !is_sentence_end(c) {
            continue;
        }
        let mut end = i + 1;
        while end < chars.len() && is_closing(chars[end]) {
            end += 1;
        }
        // A `.` only ends a sentence before a space or the end ("5.27"
        // and "Co.Ltd" do not).
        let at_boundary = end == chars.len() || chars[end].is_whitespace() || !c.is_ascii();
        if at_boundary && (c != '.' || !chars[..i].last().is_some_and(|p| p.is_ascii_digit())) {
            sentence_ends.push(end);
        }
    }
    let cut = sentence_ends
        .iter()
        .copied()
        .filter(|&e| e <= SUMMARY_MAX_CHARS)
        .max()
        .or_else(|| sentence_ends.first().copied());
    if let Some(end) = cut {
        return chars[..end]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string();
    }
    let clause_end = (1..=SUMMARY_MAX_CHARS).rev().find(|&i| {
        matches!(chars[i - 1], '，' | '、' | '；' | '：' | ',' | ';' | ':')
            || chars[i].is_whitespace()
    });
    let end = clause_end.unwrap_or(SUMMARY_MAX_CHARS);
    let mut summary: String = chars[..end].iter().collect();
    summary = summary
        .trim_end_matches(['，', '、', '；', '：', ',', ';', ':', ' '])
        .to_string();
    summary.push('…');
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_keeps_han_and_lowercases_ascii() {
        assert_eq!(slugify("素质提升更明显"), "素质提升更明显");
        assert_eq!(slugify("Key Figures: 2023!"), "key-figures-2023");
        assert_eq!(slugify("“巴渝工匠” 品牌"), "巴渝工匠-品牌");
        assert_eq!(slugify("Don't stop"), "dont-stop");
    }

    #[test]
    fn join_text_adds_spaces_only_between_non_chinese_pieces() {
        assert_eq!(
            join_text(["第一行", "第二行。", "Next line", "goes on", "结束"]),
            "第一行第二行。Next line goes on结束"
        );
    }

    #[test]
    fn word_count_sums_han_characters_and_english_words() {
        let stats = TextStats::of("技能人才 527 万, skilled workers' share is 31.7%.");
        assert_eq!(stats.han, 5);
        assert_eq!(stats.words, 6, "527, skilled, workers', share, is, 31.7");
        assert_eq!(stats.word_count(), 11);
    }

    #[test]
    fn reading_time_uses_400_han_or_200_words_a_minute() {
        assert_eq!(TextStats { han: 400, words: 0 }.reading_time(), 1);
        assert_eq!(TextStats { han: 401, words: 0 }.reading_time(), 2);
        assert_eq!(TextStats { han: 0, words: 600 }.reading_time(), 3);
        assert_eq!(
            TextStats {
                han: 200,
                words: 100
            }
            .reading_time(),
            1
        );
        assert_eq!(TextStats::default().reading_time(), 1);
    }

    #[test]
    fn summary_cuts_at_the_last_chinese_sentence_end_in_range() {
        let sentence = "全市技能人才总量已达527万人，其中高技能人才占比31.7%。";
        let text = sentence.repeat(10);
        let summary = summarize(&text);
        assert!(summary.ends_with('。'), "{summary}");
        assert!(summary.chars().count() <= SUMMARY_MAX_CHARS);
        assert_eq!(summary.chars().count() % sentence.chars().count(), 0);
    }

    #[test]
    fn summary_does_not_cut_at_decimal_points() {
        let text = format!("{} The share is 31.7 percent. End.", "word ".repeat(60));
        let summary = summarize(&text);
        assert!(summary.ends_with("31.7 percent."), "{summary}");
    }

    #[test]
    fn summary_without_sentence_end_cuts_at_a_clause_mark() {
        let text = "产业工人思想引领，".repeat(40);
        let summary = summarize(&text);
        assert!(summary.ends_with("引领…"), "{summary}");
    }

    #[test]
    fn short_text_is_its_own_summary() {
        assert_eq!(summarize("  短文。 "), "短文。");
    }
}
