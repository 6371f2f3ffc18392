//! Translations: Fluent files under `locales/<lang>/`, compiled into the binary.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::{Loader, static_loader};
use unic_langid::{LanguageIdentifier, langid};

use crate::domain::Lang;

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

/// The message for `key` in `lang`; the key itself when no language has it (visible, not fatal).
pub fn t(lang: Lang, key: &str) -> String {
    LOCALES
        .try_lookup(identifier(lang), key)
        .unwrap_or_else(|| key.to_owned())
}

/// The message for `key` with named arguments.
pub fn t_args(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    let args: HashMap<Cow<'static, str>, fluent_templates::fluent_bundle::FluentValue> = args
        .iter()
        .map(|(name, value)| (Cow::Borrowed(*name), value.clone().into()))
        .collect();
    LOCALES
        .try_lookup_with_args(identifier(lang), key, &args)
        .unwrap_or_else(|| key.to_owned())
}
