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

/// What a non-ASCII character that stands for an ASCII one is, and the ASCII it stands for:
/// `("a typographic dash", "-")`. Invisible characters and typographic quotes stand for nothing
/// (`""`), non-breaking and typographic spaces for a space, accented Latin letters for the letter
/// without the accent, full-width forms for their ASCII. (One table for SPF013 and the tag-list
/// records' non-ASCII rules; letters are listed in both cases rather than lowered with
/// `char::to_lowercase`, whose Unicode tables would cost the browser module kilobytes.)
pub fn ascii_lookalike(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c {
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            ("a non-breaking or typographic space", " ")
        }
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => ("an invisible character", ""),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => ("a typographic dash", "-"),
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}' => ("a typographic quote", ""),
        '\u{FF1A}' => ("a full-width colon", ":"),
        '\u{FF1D}' => ("a full-width equals sign", "="),
        // The other full-width forms of ASCII (digits, letters, `.`), from East Asian input.
        '\u{FF01}'..='\u{FF5E}' => ("a full-width character", full_width_ascii(c)),
        _ => return ascii_letter(c).map(|letter| (NON_ASCII_LETTER, letter)),
    })
}

/// The description [`ascii_lookalike`] gives an accented letter.
pub const NON_ASCII_LETTER: &str = "a non-ASCII letter";

/// The ASCII character a full-width form (U+FF01 to U+FF5E) stands for.
fn full_width_ascii(c: char) -> &'static str {
    const ASCII: &str =
        "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    let at = (u32::from(c).saturating_sub(0xFF01)) as usize;
    ASCII.get(at..at + 1).unwrap_or("")
}

/// The ASCII letter an accented Latin letter is most likely a typo for.
fn ascii_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'à'..='å' | 'À'..='Å' => "a",
        'ç' | 'Ç' => "c",
        'è'..='ë' | 'È'..='Ë' => "e",
        'ì'..='ï' | 'Ì'..='Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' => "o",
        'ù'..='ü' | 'Ù'..='Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        _ => return None,
    })
}

/// A character outside printable ASCII named for a message: "a non-breaking or typographic
/// space ` ` (U+00A0)". Invisible and control characters are named without being shown.
pub fn describe_char(c: char) -> String {
    match ascii_lookalike(c) {
        Some((what, "")) if what != "a typographic quote" => format!("{what} (U+{:04X})", u32::from(c)),
        Some((what, _)) => format!("{what} `{c}` (U+{:04X})", u32::from(c)),
        None if c.is_ascii() => format!("a control character (U+{:04X})", u32::from(c)),
        None => format!("a non-ASCII character `{c}` (U+{:04X})", u32::from(c)),
    }
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
