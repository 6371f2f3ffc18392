//! Account and organisation values: e-mail addresses, names and new passwords.

/// A normalised (trimmed, lower-case) e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// # Errors
    /// The translation key of the message when the text is not a plausible address.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let value = text.trim().to_lowercase();
        if value.is_empty() {
            return Err("error-required");
        }
        let plausible = value.len() <= 254
            && !value.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
            && matches!(value.split_once('@'), Some((local, domain))
                if !local.is_empty() && !domain.contains('@') && domain.contains('.')
                    && !domain.starts_with('.') && !domain.ends_with('.'));
        if plausible { Ok(Self(value)) } else { Err("error-email-invalid") }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a person is shown to others: 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    /// # Errors
    /// The translation key of the message for an empty, over-long or control-character name.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        bounded_text(text, 100).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An organisation's name (法人名・事業者名): 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationName(String);

impl OrganisationName {
    /// # Errors
    /// The translation key of the message for an empty, over-long or control-character name.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        bounded_text(text, 200).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn bounded_text(text: &str, max_chars: usize) -> Result<String, &'static str> {
    let value = text.trim();
    if value.is_empty() {
        Err("error-required")
    } else if value.chars().count() > max_chars {
        Err("error-too-long")
    } else if value.chars().any(char::is_control) {
        Err("error-control-characters")
    } else {
        Ok(value.to_owned())
    }
}

/// A password someone chose: at least 10 characters (NIST SP 800-63B allows 8; we ask a little
/// more), at most 256, typed the same twice. No composition rules, as NIST advises.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    /// # Errors
    /// The translation key of the message: too short, too long, or the confirmation differs.
    pub fn parse(password: &str, confirmation: &str) -> Result<Self, &'static str> {
        let chars = password.chars().count();
        if chars < Self::MIN_CHARS {
            Err("error-password-too-short")
        } else if chars > Self::MAX_CHARS {
            Err("error-too-long")
        } else if password != confirmation {
            Err("error-password-mismatch")
        } else {
            Ok(Self(password.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_normalised_and_checked() {
        assert_eq!(EmailAddress::parse("  Hanako@Example.JP ").unwrap().as_str(), "hanako@example.jp");
        for bad in ["", "no-at-sign", "a@b", "@example.jp", "a@@example.jp", "a b@example.jp", "a@example.", "<a@x.jp>"]
        {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse(" 山田 花子 ").unwrap().as_str(), "山田 花子");
        assert_eq!(DisplayName::parse("   "), Err("error-required"));
        assert_eq!(DisplayName::parse(&"あ".repeat(101)), Err("error-too-long"));
        assert!(DisplayName::parse(&"あ".repeat(100)).is_ok());
        assert_eq!(OrganisationName::parse("a\u{7}b"), Err("error-control-characters"));
    }

    #[test]
    fn passwords_need_ten_characters_and_a_matching_confirmation() {
        assert_eq!(NewPassword::parse("short", "short"), Err("error-password-too-short"));
        assert_eq!(NewPassword::parse("long enough!", "long enough?"), Err("error-password-mismatch"));
        assert!(NewPassword::parse("パスワードは十文字以上", "パスワードは十文字以上").is_ok());
        assert!(!format!("{:?}", NewPassword::parse("long enough!", "long enough!").unwrap()).contains("long"));
    }
}

/// The name of an uploaded file as the user's computer called it: no folders, no control
/// characters, no bidirectional controls (a right-to-left override makes `evil\u{202E}fdp.exe`
/// read as `evilexe.pdf`), at most 200 characters. Used only for `Content-Disposition`, never as a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadName(String);

impl UploadName {
    /// # Errors
    /// The translation key of the message: empty, a path, or unusable characters.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let name = text.trim();
        if name.is_empty() {
            Err("error-file-required")
        } else if name.contains(['/', '\\']) || name == "." || name == ".." {
            Err("error-file-name-path")
        } else if name.chars().any(is_bidi_control) {
            Err("error-file-name-bidi")
        } else if name.chars().any(char::is_control) || name.chars().count() > 200 {
            Err("error-file-name-invalid")
        } else {
            Ok(Self(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The characters that change the direction text is displayed in: embeddings and overrides
/// (U+202A–U+202E), isolates (U+2066–U+2069) and the directional marks (U+200E, U+200F).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

#[cfg(test)]
mod upload_name_tests {
    use super::UploadName;

    #[test]
    fn names_with_folders_or_control_characters_are_refused() {
        assert_eq!(UploadName::parse("規程_v2.pdf").unwrap().as_str(), "規程_v2.pdf");
        assert_eq!(UploadName::parse("../../etc/passwd"), Err("error-file-name-path"));
        assert_eq!(UploadName::parse("C:\\evil.exe"), Err("error-file-name-path"));
        assert_eq!(UploadName::parse(".."), Err("error-file-name-path"));
        assert_eq!(UploadName::parse("a\nb.txt"), Err("error-file-name-invalid"));
        for bidi in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}'] {
            assert_eq!(UploadName::parse(&format!("invoice{bidi}fdp.exe")), Err("error-file-name-bidi"), "{bidi:?}");
        }
        assert!(UploadName::parse("عقد.pdf").is_ok(), "right-to-left letters themselves are fine");
        assert_eq!(UploadName::parse(""), Err("error-file-required"));
    }
}
