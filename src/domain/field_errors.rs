//! Field-level validation errors, as translation keys, so forms can show them in the user's language.

use std::collections::BTreeMap;

/// Errors of one form: field name → translation key of the message, and the named arguments of
/// the messages that take some.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors {
    messages: BTreeMap<&'static str, &'static str>,
    args: BTreeMap<&'static str, Vec<(&'static str, String)>>,
}

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error for `field` (the first one recorded for a field wins).
    pub fn add(&mut self, field: &'static str, message_key: &'static str) {
        self.messages.entry(field).or_insert(message_key);
    }

    /// Records an error whose message names values (the dates of a window, say): `args` are the
    /// message's named arguments. The first error recorded for a field wins.
    pub fn add_with(&mut self, field: &'static str, message_key: &'static str, args: Vec<(&'static str, String)>) {
        if !self.messages.contains_key(field) {
            self.messages.insert(field, message_key);
            self.args.insert(field, args);
        }
    }

    /// The named arguments of `field`'s message (none for most messages).
    pub fn args(&self, field: &str) -> &[(&'static str, String)] {
        self.args.get(field).map_or(&[], Vec::as_slice)
    }

    /// Keeps the parsed value, or records the error under `field`.
    pub fn take<T>(&mut self, field: &'static str, result: Result<T, &'static str>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(key) => {
                self.add(field, key);
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.messages.get(field).copied()
    }

    /// How many fields are in error.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.messages.iter().map(|(f, m)| (*f, *m))
    }
}
