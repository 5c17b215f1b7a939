//! Substring search for the library, without `str`'s pattern machinery.
//!
//! `str::find`, `contains`, `split_once` and `trim_*_matches` with a `&str` pattern run
//! core's two-way searcher, about 3.4 KB of code in the browser module (docs/size.md, step 7d),
//! for needles of a few bytes in texts of at most a few kilobytes. These give the same results
//! with a plain scan. (Patterns that are a `char`, a set of `char`s or a closure do not use the
//! two-way searcher and stay as they are.)

/// The byte offset of the first `needle` in `haystack`, like `haystack.find(needle)`.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    // A match of valid UTF-8 in valid UTF-8 starts on a character boundary.
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window == needle.as_bytes())
}

/// `haystack.contains(needle)`.
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// `text.trim_start_matches(prefix)`: `text` without every leading repetition of `prefix`.
pub fn trim_start_matches<'a>(mut text: &'a str, prefix: &str) -> &'a str {
    if prefix.is_empty() {
        return text;
    }
    while let Some(rest) = text.strip_prefix(prefix) {
        text = rest;
    }
    text
}

/// `text.trim_end_matches(suffix)`: `text` without every trailing repetition of `suffix`.
pub fn trim_end_matches<'a>(mut text: &'a str, suffix: &str) -> &'a str {
    if suffix.is_empty() {
        return text;
    }
    while let Some(rest) = text.strip_suffix(suffix) {
        text = rest;
    }
    text
}

/// Characters that show as nothing or as a plain space but are not ASCII: the byte-order
/// mark, zero-width spaces and joiners, the word joiner, and the non-breaking spaces. They
/// come with text copied from documents and web pages, and hide inside records.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{feff}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{00a0}' | '\u{202f}' | '\u{2007}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_str() {
        let texts = [
            "",
            "a",
            "p=",
            "v=DKIM1; p=abc",
            "ééé://x",
            "mailtomailto:me",
            "x!10m!10m",
            "aaab",
            "日本語://",
        ];
        let needles = ["", "a", "p=", "://", "mailto", "!10m", "ab", "é", "本語"];
        for text in texts {
            for needle in needles {
                assert_eq!(find(text, needle), text.find(needle), "{text:?} {needle:?}");
                assert_eq!(contains(text, needle), text.contains(needle));
                assert_eq!(trim_start_matches(text, needle), text.trim_start_matches(needle));
                assert_eq!(trim_end_matches(text, needle), text.trim_end_matches(needle));
            }
        }
    }
}
