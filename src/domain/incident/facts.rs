//! `IncidentFacts`: an incident described with the closed vocabularies, parsed from JSON with
//! errors that name the field (and, for a bad value, the value and the allowed values).
//!
//! Absent optional facts: `affected_people` absent or `null` is unknown; `detected_by` absent is
//! unknown; a flag (`strongly_encrypted`, `retained_beyond_need`, `possible_only`) absent or
//! `null` is unknown, and rules treat an unknown flag as not established (so an unknown
//! `strongly_encrypted` never exempts, and the assessment lists it as an open question where the
//! exemption would change the result). Repeated values in a list count once.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::vocabulary::{Cause, DataItem, DetectedBy, Kind, Party, System, Term, UnknownTerm};

/// Every key the input may have, in the documented order.
pub const KEYS: &[&str] = &[
    "title",
    "discovered_on",
    "occurred_from",
    "occurred_to",
    "kinds",
    "causes",
    "data",
    "affected_people",
    "parties",
    "systems",
    "detected_by",
    "strongly_encrypted",
    "retained_beyond_need",
    "possible_only",
];

/// The longest title accepted, in characters.
pub const TITLE_MAX_CHARS: usize = 500;

/// An incident, as facts from the closed vocabularies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentFacts {
    pub title: Option<String>,
    /// 発覚日: the day any part of the organisation learned of it (day 0 of every deadline).
    pub discovered_on: NaiveDate,
    pub occurred_from: Option<NaiveDate>,
    pub occurred_to: Option<NaiveDate>,
    /// At least one.
    pub kinds: BTreeSet<Kind>,
    /// At least one.
    pub causes: BTreeSet<Cause>,
    pub data: BTreeSet<DataItem>,
    /// `None`: unknown.
    pub affected_people: Option<u64>,
    pub parties: BTreeSet<Party>,
    pub systems: BTreeSet<System>,
    /// `None`: unknown.
    pub detected_by: Option<DetectedBy>,
    /// `None`: unknown.
    pub strongly_encrypted: Option<bool>,
    /// `None`: unknown.
    pub retained_beyond_need: Option<bool>,
    /// `None`: unknown (treated as a certainty, which is how a possibility counts anyway).
    pub possible_only: Option<bool>,
}

/// Why an input is not valid incident facts. Every message starts with the field it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FactsError {
    #[error("the incident facts must be a JSON object")]
    NotAnObject,
    #[error("{key}: unknown key; allowed: {}", KEYS.join(", "))]
    UnknownKey { key: String },
    #[error("{field}: required")]
    Missing { field: &'static str },
    #[error("{field}: give at least one value; allowed: {}", allowed.join(", "))]
    Empty { field: &'static str, allowed: Vec<&'static str> },
    #[error("{path}: expected {expected}, got {got}")]
    WrongType { field: &'static str, path: String, expected: &'static str, got: &'static str },
    #[error("{path}: {term}")]
    UnknownValue { field: &'static str, path: String, term: UnknownTerm },
    #[error("{field}: \"{value}\" is not a date as YYYY-MM-DD")]
    BadDate { field: &'static str, value: String },
    #[error("affected_people: {value} is negative; give a count of people, or null when unknown")]
    NegativeCount { value: String },
    #[error("{field}: {value} is after {other} ({other_value})")]
    DateOrder { field: &'static str, value: NaiveDate, other: &'static str, other_value: NaiveDate },
    #[error("title: longer than {TITLE_MAX_CHARS} characters")]
    TitleTooLong,
}

impl FactsError {
    /// The top-level input key the error is about (`None` when the input is not an object).
    pub fn field(&self) -> Option<&str> {
        match self {
            FactsError::NotAnObject => None,
            FactsError::UnknownKey { key } => Some(key),
            FactsError::Missing { field }
            | FactsError::Empty { field, .. }
            | FactsError::WrongType { field, .. }
            | FactsError::UnknownValue { field, .. }
            | FactsError::BadDate { field, .. }
            | FactsError::DateOrder { field, .. } => Some(field),
            FactsError::NegativeCount { .. } => Some("affected_people"),
            FactsError::TitleTooLong => Some("title"),
        }
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(field: &'static str, path: String, expected: &'static str, value: &Value) -> FactsError {
    FactsError::WrongType { field, path, expected, got: type_name(value) }
}

/// The value of `field`, with `null` read as absent.
fn present<'a>(object: &'a Map<String, Value>, field: &str) -> Option<&'a Value> {
    object.get(field).filter(|v| !v.is_null())
}

fn string<'a>(object: &'a Map<String, Value>, field: &'static str) -> Result<Option<&'a str>, FactsError> {
    match present(object, field) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(wrong_type(field, field.to_owned(), "a string", other)),
    }
}

fn date(object: &Map<String, Value>, field: &'static str) -> Result<Option<NaiveDate>, FactsError> {
    let Some(text) = string(object, field)? else { return Ok(None) };
    // Exactly YYYY-MM-DD: four-digit years keep every deadline far inside chrono's range.
    let bad = || FactsError::BadDate { field, value: text.to_owned() };
    if text.len() != 10 {
        return Err(bad());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| bad())
}

fn terms<T: Term>(object: &Map<String, Value>, field: &'static str) -> Result<BTreeSet<T>, FactsError> {
    let Some(value) = present(object, field) else { return Ok(BTreeSet::new()) };
    let Value::Array(items) = value else {
        return Err(wrong_type(field, field.to_owned(), "a list of strings", value));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let path = format!("{field}[{i}]");
            match item {
                Value::String(text) => T::parse(text).map_err(|term| FactsError::UnknownValue { field, path, term }),
                other => Err(wrong_type(field, path, "a string", other)),
            }
        })
        .collect()
}

fn required_terms<T: Term>(object: &Map<String, Value>, field: &'static str) -> Result<BTreeSet<T>, FactsError> {
    if present(object, field).is_none() {
        return Err(FactsError::Missing { field });
    }
    let set = terms(object, field)?;
    if set.is_empty() {
        return Err(FactsError::Empty { field, allowed: T::names() });
    }
    Ok(set)
}

fn flag(object: &Map<String, Value>, field: &'static str) -> Result<Option<bool>, FactsError> {
    match present(object, field) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(wrong_type(field, field.to_owned(), "true, false or null", other)),
    }
}

fn count(object: &Map<String, Value>) -> Result<Option<u64>, FactsError> {
    let field = "affected_people";
    match present(object, field) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(people) => Ok(Some(people)),
            None if n.as_i64().is_some() || n.as_f64().is_some_and(|f| f < 0.0) => {
                Err(FactsError::NegativeCount { value: n.to_string() })
            }
            None => Err(FactsError::WrongType {
                field,
                path: field.to_owned(),
                expected: "a whole number of people or null",
                got: "a fraction",
            }),
        },
        Some(other) => Err(wrong_type(field, field.to_owned(), "a whole number of people or null", other)),
    }
}

impl IncidentFacts {
    /// Reads incident facts from a JSON value.
    ///
    /// # Errors
    /// The first problem found, naming its field: an unknown key, a missing required field, a
    /// value of the wrong type, an unknown vocabulary value (with the allowed values), a bad or
    /// out-of-order date, a negative count.
    pub fn from_json(value: &Value) -> Result<Self, FactsError> {
        let Value::Object(object) = value else { return Err(FactsError::NotAnObject) };
        if let Some(key) = object.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(FactsError::UnknownKey { key: key.clone() });
        }
        let title = string(object, "title")?.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
        if title.as_ref().is_some_and(|t| t.chars().count() > TITLE_MAX_CHARS) {
            return Err(FactsError::TitleTooLong);
        }
        let discovered_on = date(object, "discovered_on")?.ok_or(FactsError::Missing { field: "discovered_on" })?;
        let occurred_from = date(object, "occurred_from")?;
        let occurred_to = date(object, "occurred_to")?;
        if let Some(from) = occurred_from {
            if from > discovered_on {
                return Err(FactsError::DateOrder {
                    field: "occurred_from",
                    value: from,
                    other: "discovered_on",
                    other_value: discovered_on,
                });
            }
            if let Some(to) = occurred_to.filter(|to| from > *to) {
                return Err(FactsError::DateOrder {
                    field: "occurred_from",
                    value: from,
                    other: "occurred_to",
                    other_value: to,
                });
            }
        }
        let detected_by = match string(object, "detected_by")? {
            None => None,
            Some(text) => Some(DetectedBy::parse(text).map_err(|term| FactsError::UnknownValue {
                field: "detected_by",
                path: "detected_by".to_owned(),
                term,
            })?),
        };
        Ok(Self {
            title,
            discovered_on,
            occurred_from,
            occurred_to,
            kinds: required_terms(object, "kinds")?,
            causes: required_terms(object, "causes")?,
            data: terms(object, "data")?,
            affected_people: count(object)?,
            parties: terms(object, "parties")?,
            systems: terms(object, "systems")?,
            detected_by,
            strongly_encrypted: flag(object, "strongly_encrypted")?,
            retained_beyond_need: flag(object, "retained_beyond_need")?,
            possible_only: flag(object, "possible_only")?,
        })
    }

    /// Reads incident facts from JSON text.
    ///
    /// # Errors
    /// `InputError::Json` with the line and column of a syntax error, or the facts' error.
    pub fn from_json_text(text: &str) -> Result<Self, InputError> {
        let value: Value = serde_json::from_str(text).map_err(|e| InputError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        Ok(Self::from_json(&value)?)
    }

    /// Days from the first known occurrence to discovery (`None` when the start is unknown).
    pub fn undetected_days(&self) -> Option<u64> {
        self.occurred_from.and_then(|from| u64::try_from((self.discovered_on - from).num_days()).ok())
    }
}

/// Text that is not valid incident facts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// `message` is serde_json's, which ends with the line and column.
    #[error("invalid JSON: {message}")]
    Json { line: usize, column: usize, message: String },
    #[error(transparent)]
    Facts(#[from] FactsError),
}

impl InputError {
    /// The input key the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            InputError::Json { .. } => None,
            InputError::Facts(e) => e.field(),
        }
    }
}

#[cfg(test)]
#[path = "facts_tests.rs"]
mod tests;
