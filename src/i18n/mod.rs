//! Translations: Fluent files under `locales/<lang>/`, compiled into the binary.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::{Loader, static_loader};
use unic_langid::{LanguageIdentifier, langid};

use crate::domain::Lang;
use crate::domain::lang::DateStyle;

pub mod format;

pub use format::Locale;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ja",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static JA: LanguageIdentifier = langid!("ja");
static EN: LanguageIdentifier = langid!("en");

fn identifier(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// The message files, compiled in, to know every key.
const FTL_SOURCES: [&str; 14] = [
    include_str!("../../locales/ja/main.ftl"),
    include_str!("../../locales/en/main.ftl"),
    include_str!("../../locales/ja/incident.ftl"),
    include_str!("../../locales/en/incident.ftl"),
    include_str!("../../locales/ja/incidents.ftl"),
    include_str!("../../locales/en/incidents.ftl"),
    include_str!("../../locales/ja/report.ftl"),
    include_str!("../../locales/en/report.ftl"),
    include_str!("../../locales/ja/lists.ftl"),
    include_str!("../../locales/en/lists.ftl"),
    include_str!("../../locales/ja/history.ftl"),
    include_str!("../../locales/en/history.ftl"),
    include_str!("../../locales/ja/people.ftl"),
    include_str!("../../locales/en/people.ftl"),
];

/// Every message without arguments, resolved once: pages look up hundreds of messages per
/// request, and a Fluent lookup negotiates languages and hashes each time.
static RESOLVED: LazyLock<[HashMap<&'static str, String>; 2]> = LazyLock::new(|| {
    let keys: Vec<&'static str> = FTL_SOURCES
        .iter()
        .flat_map(|source| source.lines())
        .filter(|line| !line.starts_with(['#', ' ']) && line.contains(" = "))
        .filter_map(|line| line.split(" = ").next())
        .collect();
    Lang::ALL.map(|lang| {
        keys.iter().filter_map(|key| LOCALES.try_lookup(identifier(lang), key).map(|text| (*key, text))).collect()
    })
});

fn index(lang: Lang) -> usize {
    match lang {
        Lang::Ja => 0,
        Lang::En => 1,
    }
}

/// The message for `key` in `lang`; the key itself when no language has it (visible, not fatal).
pub fn t(lang: Lang, key: &str) -> String {
    text(lang, key).to_owned()
}

/// As `t`, without allocating.
pub fn text(lang: Lang, key: &str) -> &str {
    match RESOLVED[index(lang)].get(key) {
        Some(found) => found.as_str(),
        None => key,
    }
}

/// The message for `key` with named arguments.
pub fn t_args(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    let args: HashMap<Cow<'static, str>, fluent_templates::fluent_bundle::FluentValue> =
        args.iter().map(|(name, value)| (Cow::Borrowed(*name), value.clone().into())).collect();
    LOCALES.try_lookup_with_args(identifier(lang), key, &args).unwrap_or_else(|| key.to_owned())
}

/// Translations for fragments that are shared by every viewer of a language.
pub struct Translator {
    pub lang: crate::domain::Lang,
    /// The organisation's date style (西暦 or 和暦).
    pub dates: DateStyle,
}

impl Translator {
    pub fn new(locale: Locale) -> Self {
        Self { lang: locale.lang, dates: locale.dates }
    }

    /// A date as this reader writes it (2026年12月1日).
    pub fn date(&self, on: impl format::AsDate) -> String {
        Locale::new(self.lang, self.dates).date(on)
    }

    /// A moment in JST, to the minute.
    pub fn date_time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        format::date_time(self.lang, self.dates, *at)
    }

    /// A count with thousands separators.
    pub fn num<N: Copy + TryInto<i64>>(&self, n: &N) -> String {
        format::number(*n)
    }

    pub fn t<'k>(&self, key: &'k str) -> &'k str {
        text(self.lang, key)
    }

    /// The label of a closed value (a status, a track…).
    pub fn label<T: crate::domain::term::Term>(&self, value: &T) -> String {
        t(self.lang, &value.label_key())
    }

    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        t_args(self.lang, key, &[(name, value.to_owned())])
    }

    pub fn tp(&self, prefix: &str, suffix: &str) -> String {
        t(self.lang, &format!("{prefix}{suffix}"))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every key of every message file of a language.
    fn keys(lang: &str) -> BTreeSet<String> {
        let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
        let mut keys = BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ftl") {
                let text = std::fs::read_to_string(&path).unwrap();
                keys.extend(
                    text.lines()
                        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
                        .map(|l| l.split(" = ").next().unwrap().to_owned()),
                );
            }
        }
        keys
    }

    #[test]
    fn japanese_and_english_have_the_same_messages() {
        let (ja, en) = (keys("ja"), keys("en"));
        assert!(ja.len() > 50);
        assert_eq!(ja.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in English");
        assert_eq!(en.difference(&ja).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in Japanese");
    }

    #[test]
    fn messages_are_looked_up_per_language_with_arguments_and_no_bidi_marks() {
        assert_eq!(t(Lang::Ja, "nav-members"), "メンバー");
        assert_eq!(t(Lang::En, "nav-members"), "Members");
        assert_eq!(t_args(Lang::En, "audit-total", &[("count", "3".into())]), "3 entries, newest first");
        assert_eq!(t(Lang::En, "no-such-key"), "no-such-key");
    }
}
