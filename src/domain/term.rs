//! Closed sets of values (statuses, roles, tracks, kinds, the incident-facts vocabularies): each
//! value has one stable name (`as_str`: what the database, the URL, the form and the JSON carry),
//! one parse and one translation key for its label (`<prefix>-<name>` in `locales/{ja,en}`).
//! Declare a new one with `term!`; the entities store any `Term` as text (`entities::terms`).

use std::fmt;

/// A value that is not in a closed set, with the values that are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value \"{value}\"; allowed: {}", allowed.join(", "))]
pub struct UnknownTerm {
    /// What was given.
    pub value: String,
    /// Every value of the set, in its documented order.
    pub allowed: Vec<&'static str>,
}

/// What every closed set offers, so that forms, facts, rules and the database treat them alike.
pub trait Term: Copy + Ord + fmt::Debug + Send + Sync + 'static {
    /// Every value, in the documented order (the order of the web form).
    const ALL: &'static [Self];
    /// The prefix of the translation keys of the labels (`incident-cause`).
    const LABEL_PREFIX: &'static str;

    /// The stable name.
    fn as_str(self) -> &'static str;

    /// The value with this stable name (exact, case-sensitive).
    ///
    /// # Errors
    /// `UnknownTerm` naming the value and listing the allowed ones.
    fn parse(text: &str) -> Result<Self, UnknownTerm> {
        Self::ALL
            .iter()
            .copied()
            .find(|term| term.as_str() == text)
            .ok_or_else(|| UnknownTerm { value: text.to_owned(), allowed: Self::names() })
    }

    /// The stable names of `ALL`, in the same order.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|t| t.as_str()).collect()
    }

    /// The translation key of its label (`incident-cause-web_vulnerability`).
    fn label_key(self) -> String {
        format!("{}-{}", Self::LABEL_PREFIX, self.as_str())
    }
}

/// Declares a closed set: the enum, its `Term` implementation, inherent `as_str` and `label_key`,
/// `Display` and `Serialize` as the stable name.
macro_rules! term {
    ($(#[$meta:meta])* $name:ident, $prefix:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $crate::domain::term::Term for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const LABEL_PREFIX: &'static str = $prefix;

            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl $name {
            /// The stable name (stored, and carried by URLs, forms and JSON).
            pub fn as_str(self) -> &'static str {
                $crate::domain::term::Term::as_str(self)
            }

            /// The translation key of its label.
            pub fn label_key(self) -> String {
                $crate::domain::term::Term::label_key(self)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                <$name as $crate::domain::term::Term>::parse(&text).map_err(serde::de::Error::custom)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use term;

/// Makes a closed set declared by hand (with inherent `ALL` and `as_str`) a `Term`.
macro_rules! term_of {
    ($name:ty, $prefix:literal) => {
        impl $crate::domain::term::Term for $name {
            const ALL: &'static [Self] = &<$name>::ALL;
            const LABEL_PREFIX: &'static str = $prefix;

            fn as_str(self) -> &'static str {
                <$name>::as_str(self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(<$name>::as_str(*self))
            }
        }
    };
}
pub(crate) use term_of;

#[cfg(test)]
mod tests {
    use super::*;

    term! {
        /// A test set.
        Colour, "colour" {
            Red => "red",
            DarkBlue => "dark_blue",
        }
    }

    #[test]
    fn a_term_round_trips_through_its_name_and_refuses_others_naming_the_allowed() {
        for colour in Colour::ALL {
            assert_eq!(<Colour as Term>::parse(colour.as_str()), Ok(*colour));
        }
        assert_eq!(Colour::DarkBlue.label_key(), "colour-dark_blue");
        let err = <Colour as Term>::parse("Red").unwrap_err();
        assert_eq!(err.to_string(), "unknown value \"Red\"; allowed: red, dark_blue");
    }
}
