//! Checks of what players type: names, room codes, action ids. Pure, unit-tested.

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Longest player name, in characters.
pub const MAX_NAME_CHARS: usize = 32;

/// Longest `action_id`, in bytes (the log column holds 64).
pub const MAX_ACTION_ID_LEN: usize = 64;

/// A valid player name: trimmed, 1 to [`MAX_NAME_CHARS`] characters, at least one of them a
/// letter, digit, punctuation or symbol that draws ink (not a filler or blank pattern), and none
/// of Unicode's "other" characters (control, format — zero-width spaces, bidirectional
/// overrides, a byte-order mark —, private use, unassigned) nor line or paragraph separators:
/// what the opponent reads is what was typed, in the order it was typed, and never nothing.
pub fn player_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("the player name must not be empty".to_owned());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "the player name must be at most {MAX_NAME_CHARS} characters"
        ));
    }
    if let Some(bad) = name.chars().find(|c| hidden(*c)) {
        return Err(format!(
            "the player name must not contain invisible or control characters (U+{:04X})",
            u32::from(bad)
        ));
    }
    if !name.chars().any(visible) {
        return Err("the player name must contain a visible character".to_owned());
    }
    Ok(name.to_owned())
}

/// Control, format, private-use and unassigned characters, and line or paragraph separators.
fn hidden(c: char) -> bool {
    matches!(c.general_category_group(), GeneralCategoryGroup::Other)
        || matches!(
            c.general_category(),
            GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator
        )
}

/// A character that shows by itself: a letter, a digit, punctuation or a symbol that draws ink.
fn visible(c: char) -> bool {
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter
            | GeneralCategoryGroup::Number
            | GeneralCategoryGroup::Punctuation
            | GeneralCategoryGroup::Symbol
    ) && !blank(c)
}

/// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): characters a renderer
/// shows as nothing. Most are format characters, refused anyway; the Hangul fillers (U+115F,
/// U+1160, U+3164, U+FFA0) are letters, and the variation selectors marks, that draw no ink.
const DEFAULT_IGNORABLE: [(u32, u32); 17] = [
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
];

/// Symbols whose glyph is empty by definition: U+2800 BRAILLE PATTERN BLANK (no dots) and
/// U+1D159 MUSICAL SYMBOL NULL NOTEHEAD.
const BLANK_SYMBOLS: [char; 2] = ['\u{2800}', '\u{1D159}'];

/// A letter or symbol drawn as blank space: default-ignorable, or an empty glyph.
fn blank(c: char) -> bool {
    let code = u32::from(c);
    BLANK_SYMBOLS.contains(&c)
        || DEFAULT_IGNORABLE
            .iter()
            .any(|&(first, last)| (first..=last).contains(&code))
}

/// A room code as typed: trimmed and upper-cased, then checked against the room-code alphabet.
pub fn room_code(raw: &str) -> Option<String> {
    let code = raw.trim().to_ascii_uppercase();
    entity::rooms::is_valid_room_code(&code).then_some(code)
}

/// A valid `action_id`: 1-64 printable ASCII characters.
pub fn action_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ACTION_ID_LEN
        && id.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_bounded_and_printable() {
        assert_eq!(player_name("  Alice "), Ok("Alice".to_owned()));
        assert!(player_name("   ").is_err());
        assert!(player_name(&"x".repeat(33)).is_err());
        assert!(player_name("Bob\u{7}").is_err());
        assert_eq!(player_name("Zoë 🂡"), Ok("Zoë 🂡".to_owned()));
        assert_eq!(player_name("李 小龍"), Ok("李 小龍".to_owned()));
        assert_eq!(player_name("O'Brien-Smith"), Ok("O'Brien-Smith".to_owned()));
    }

    #[test]
    fn invisible_and_spoofing_names_are_refused() {
        let zero_widths = "\u{200B}".repeat(32);
        for name in [
            zero_widths.as_str(),
            "Alice\u{202E}ecilA", // right-to-left override
            "\u{FEFF}Bob",        // a leading byte-order mark
            "Bo\u{200D}b",        // zero-width joiner
            "Bo\u{2028}b",        // a line separator inside
            "\u{E000}",           // private use
            "\u{0301}\u{0301}",   // combining marks with nothing to mark
        ] {
            assert!(player_name(name).is_err(), "{name:?} was accepted");
        }
    }

    #[test]
    fn names_that_draw_no_ink_are_refused() {
        for name in [
            "\u{3164}",                 // HANGUL FILLER
            "\u{3164}\u{3164}\u{3164}", // three of them
            "\u{FFA0}",                 // HALFWIDTH HANGUL FILLER
            "\u{115F}\u{1160}",         // HANGUL CHOSEONG / JUNGSEONG FILLER
            "\u{2800}\u{2800}",         // BRAILLE PATTERN BLANK
            "\u{3164} \u{2800}",        // fillers and a space
            "\u{115F}\u{0301}",         // a filler and a combining mark
            "\u{180E}",                 // MONGOLIAN VOWEL SEPARATOR
            "\u{3000}\u{2800}",         // an ideographic space and a blank pattern
        ] {
            assert!(player_name(name).is_err(), "{name:?} was accepted");
        }
        // Real scripts draw: Hangul syllables and jamo, Arabic, emoji, CJK, Braille with dots.
        for name in [
            "김민준",
            "\u{1100}\u{1161}", // conjoining jamo that make 가
            "ㄱㄴ",             // compatibility jamo
            "محمد",
            "😀",
            "🂡 Ace",
            "李小龍",
            "\u{2801}", // BRAILLE PATTERN DOTS-1
            "Zoë",
        ] {
            assert_eq!(
                player_name(name),
                Ok(name.to_owned()),
                "{name:?} was refused"
            );
        }
    }

    #[test]
    fn room_codes_are_normalised() {
        assert_eq!(room_code(" abc234 "), Some("ABC234".to_owned()));
        assert_eq!(room_code("ABCO23"), None);
        assert_eq!(room_code("ABC23"), None);
    }

    #[test]
    fn action_ids_are_short_printable_ascii() {
        assert!(action_id("a1-b2_c3"));
        assert!(!action_id(""));
        assert!(!action_id("has space"));
        assert!(!action_id(&"x".repeat(65)));
        assert!(action_id(&"x".repeat(64)));
    }
}
