//! The UI languages. Japanese is the default.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// Parses a language code (`ja`, `en`); anything else is refused.
    ///
    /// # Errors
    /// The translation key of the message for an unknown code.
    pub fn parse(code: &str) -> Result<Self, &'static str> {
        match code.trim() {
            "ja" => Ok(Lang::Ja),
            "en" => Ok(Lang::En),
            _ => Err("error-lang-unknown"),
        }
    }

    /// The stable name (`ja`, `en`), as stored.
    pub fn as_str(self) -> &'static str {
        self.code()
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ja => "日本語",
            Lang::En => "English",
        }
    }
}

crate::domain::term::term_of!(Lang, "lang");

crate::domain::term::term! {
    /// How an organisation's dates are written in Japanese: 2026年12月1日 (西暦, the default) or
    /// 令和8年12月1日 (和暦). English always writes 1 Dec 2026.
    #[derive(Default)]
    DateStyle, "date-style" {
        /// 西暦.
        #[default]
        Western => "western",
        /// 和暦 (令和, 平成, 昭和).
        JapaneseEra => "japanese_era",
    }
}
