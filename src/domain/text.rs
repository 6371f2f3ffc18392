//! Free text typed into a form (notes, descriptions, titles): bounded in length and free of
//! control characters other than line breaks and tabs. A NUL byte, for one, is refused by
//! PostgreSQL; no stored text should differ between the two databases.

/// Whether `text` holds a control character other than tab, line feed or carriage return.
pub fn has_forbidden_characters(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Checks free text: trimmed, at most `max_chars` characters, no forbidden characters, and not
/// empty when `required`.
///
/// # Errors
/// The translation key of the problem: `error-required`, `error-too-long` or
/// `error-control-characters`.
pub fn free_text(text: &str, max_chars: usize, required: bool) -> Result<String, &'static str> {
    let value = text.trim();
    if required && value.is_empty() {
        Err("error-required")
    } else if value.chars().count() > max_chars {
        Err("error-too-long")
    } else if has_forbidden_characters(value) {
        Err("error-control-characters")
    } else {
        Ok(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_pass_and_nul_or_bell_do_not() {
        assert_eq!(free_text(" 二行の\r\nメモ\t ", 20, true), Ok("二行の\r\nメモ".to_owned()));
        assert_eq!(free_text("a\0b", 20, false), Err("error-control-characters"));
        assert_eq!(free_text("a\u{7}b", 20, false), Err("error-control-characters"));
        assert_eq!(free_text("   ", 20, true), Err("error-required"));
        assert_eq!(free_text("", 20, false), Ok(String::new()));
        assert_eq!(free_text("あいう", 2, false), Err("error-too-long"));
    }
}
