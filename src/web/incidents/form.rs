//! The incident form: text fields plus the incident-facts vocabulary as checkboxes and selects.
//! The browser posts repeated keys for checkboxes (`causes=a&causes=b`), so the body is read with
//! `serde_html_form` into lists rather than through `web::Form`. Valid input becomes the incident-facts JSON of the
//! shared contract, checked by the same parser as `pmark assess` and the API.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use crate::domain::FieldErrors;
use crate::domain::incident::IncidentFacts;
use crate::domain::incident::facts::FactsError;
use crate::domain::text::free_text;
use crate::entities::incident;
use crate::store::incidents::{IncidentInput, IncidentText};

const MAX_TITLE_CHARS: usize = 200;
const MAX_TEXT_CHARS: usize = 10_000;
const MAX_CONTRACTOR_CHARS: usize = 200;

/// What the user typed, kept to re-render the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct IncidentForm {
    pub title: String,
    pub description: String,
    pub cause_narrative: String,
    pub contractor: String,
    pub discovered_on: String,
    pub occurred_from: String,
    pub occurred_to: String,
    pub kinds: Vec<String>,
    pub causes: Vec<String>,
    pub data: Vec<String>,
    pub parties: Vec<String>,
    pub systems: Vec<String>,
    pub detected_by: String,
    pub affected_people: String,
    /// `""` (unknown), `"true"` or `"false"`.
    pub strongly_encrypted: String,
    pub retained_beyond_need: String,
    pub possible_only: String,
    /// The version the edit form was rendered from.
    pub lock_version: String,
}

/// A valid form.
pub struct ValidIncident {
    pub text: IncidentText,
    pub facts: IncidentFacts,
    /// The facts as the contract's JSON, as stored.
    pub facts_json: String,
}

impl ValidIncident {
    /// What the store saves, with the facts' assessment.
    pub fn input<'a>(&'a self, assessment: &'a crate::domain::incident::Assessment) -> IncidentInput<'a> {
        IncidentInput {
            text: &self.text,
            facts_json: &self.facts_json,
            discovered_on: self.facts.discovered_on,
            assessment,
        }
    }
}

impl IncidentForm {
    /// Reads an `application/x-www-form-urlencoded` body; unknown keys are ignored.
    ///
    /// # Errors
    /// `BadRequest` for a body no browser sends (a single field repeated, say).
    pub fn from_body(body: &[u8]) -> Result<Self, crate::web::error::AppError> {
        serde_html_form::from_bytes(body).map_err(|_| crate::web::error::AppError::BadRequest("malformed form"))
    }

    /// The form of a recorded incident.
    pub fn of(incident: &incident::Model) -> Self {
        let facts: Value = serde_json::from_str(&incident.facts).unwrap_or(Value::Null);
        let text = |key: &str| facts.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        let list = |key: &str| -> Vec<String> {
            facts
                .get(key)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let flag = |key: &str| match facts.get(key).and_then(Value::as_bool) {
            Some(true) => "true".to_owned(),
            Some(false) => "false".to_owned(),
            None => String::new(),
        };
        Self {
            title: incident.title.clone(),
            description: incident.description.clone(),
            cause_narrative: incident.cause_narrative.clone(),
            contractor: incident.contractor.clone(),
            discovered_on: text("discovered_on"),
            occurred_from: text("occurred_from"),
            occurred_to: text("occurred_to"),
            kinds: list("kinds"),
            causes: list("causes"),
            data: list("data"),
            parties: list("parties"),
            systems: list("systems"),
            detected_by: text("detected_by"),
            affected_people: facts
                .get("affected_people")
                .and_then(Value::as_u64)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            strongly_encrypted: flag("strongly_encrypted"),
            retained_beyond_need: flag("retained_beyond_need"),
            possible_only: flag("possible_only"),
            lock_version: incident.lock_version.to_string(),
        }
    }

    /// Whether a checkbox of `field` with `value` is ticked.
    pub fn has(&self, field: &str, value: &str) -> bool {
        let list = match field {
            "kinds" => &self.kinds,
            "causes" => &self.causes,
            "data" => &self.data,
            "parties" => &self.parties,
            "systems" => &self.systems,
            _ => return false,
        };
        list.iter().any(|v| v == value)
    }

    /// Checks the form on `today`: every field's problem at once where it can, then the facts
    /// through the contract's parser.
    ///
    /// # Errors
    /// The field errors.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidIncident, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.take("title", free_text(&self.title, MAX_TITLE_CHARS, true)).unwrap_or_default();
        let description = errors.take("description", free_text(&self.description, MAX_TEXT_CHARS, false));
        let cause_narrative = errors.take("cause_narrative", free_text(&self.cause_narrative, MAX_TEXT_CHARS, false));
        let contractor = errors.take("contractor", free_text(&self.contractor, MAX_CONTRACTOR_CHARS, false));
        let mut dates = Vec::new();
        for (field, value, required) in [
            ("discovered_on", &self.discovered_on, true),
            ("occurred_from", &self.occurred_from, false),
            ("occurred_to", &self.occurred_to, false),
        ] {
            let value = value.trim();
            if value.is_empty() {
                if required {
                    errors.add(field, "error-required");
                }
                continue;
            }
            match crate::domain::control::parse_date(value) {
                Ok(date) if date > today => errors.add(field, "error-date-in-future"),
                Ok(date) => dates.push((field, date)),
                Err(_) => errors.add(field, "error-date"),
            }
        }
        let count = self.affected_people.trim();
        let affected_people = if count.is_empty() {
            Value::Null
        } else {
            match count.parse::<i64>() {
                Ok(n) if n < 0 => {
                    errors.add("affected_people", "error-count-range");
                    Value::Null
                }
                Ok(n) => json!(n),
                Err(_) => {
                    errors.add("affected_people", "error-number");
                    Value::Null
                }
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut facts = Map::new();
        facts.insert("title".into(), json!(title.as_str()));
        for (field, date) in dates {
            facts.insert(field.into(), json!(date.to_string()));
        }
        for (field, list) in [
            ("kinds", &self.kinds),
            ("causes", &self.causes),
            ("data", &self.data),
            ("parties", &self.parties),
            ("systems", &self.systems),
        ] {
            facts.insert(field.into(), json!(list));
        }
        if !self.detected_by.trim().is_empty() {
            facts.insert("detected_by".into(), json!(self.detected_by.trim()));
        }
        facts.insert("affected_people".into(), affected_people);
        for (field, value) in [
            ("strongly_encrypted", &self.strongly_encrypted),
            ("retained_beyond_need", &self.retained_beyond_need),
            ("possible_only", &self.possible_only),
        ] {
            match value.as_str() {
                "true" => {
                    facts.insert(field.into(), json!(true));
                }
                "false" => {
                    facts.insert(field.into(), json!(false));
                }
                "" => {}
                _ => errors.add(static_field(field), "error-choice"),
            }
        }
        let value = Value::Object(facts);
        let parsed = IncidentFacts::from_json(&value).map_err(|e| {
            errors.add(static_field(e.field().unwrap_or("kinds")), message_key(&e));
            std::mem::take(&mut errors)
        })?;
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidIncident {
            text: IncidentText {
                title,
                description: description.unwrap_or_default(),
                cause_narrative: cause_narrative.unwrap_or_default(),
                contractor: contractor.unwrap_or_default(),
            },
            facts: parsed,
            facts_json: value.to_string(),
        })
    }
}

/// The facts' key as the static string `FieldErrors` keeps (the form's fields are the contract's keys).
fn static_field(field: &str) -> &'static str {
    crate::domain::incident::facts::KEYS.iter().find(|f| **f == field).copied().unwrap_or("kinds")
}

fn message_key(error: &FactsError) -> &'static str {
    match error {
        FactsError::Missing { .. } => "error-required",
        FactsError::Empty { .. } => "error-choose-at-least-one",
        FactsError::BadDate { .. } => "error-date",
        FactsError::NegativeCount { .. } => "error-count-range",
        FactsError::DateOrder { .. } => "error-incident-date-order",
        FactsError::TitleTooLong => "error-too-long",
        FactsError::NotAnObject
        | FactsError::UnknownKey { .. }
        | FactsError::WrongType { .. }
        | FactsError::UnknownValue { .. } => "error-choice",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn jimos() -> IncidentForm {
        IncidentForm::from_body(
            "title=EC&discovered_on=2019-07-26&occurred_from=2014-01-01&kinds=leak&causes=web_vulnerability\
             &causes=unauthorized_access&data=name&data=credit_card&affected_people=107661&parties=external_attacker\
             &systems=ec_site&detected_by=payment_processor&strongly_encrypted=false&retained_beyond_need=true"
                .as_bytes(),
        )
        .unwrap()
    }

    #[test]
    fn repeated_keys_become_lists_and_a_valid_form_becomes_contract_facts() {
        let form = jimos();
        assert_eq!(form.causes, vec!["web_vulnerability", "unauthorized_access"]);
        let valid = form.validate(day("2026-11-27")).ok().unwrap();
        assert_eq!(valid.facts.affected_people, Some(107_661));
        let json: Value = serde_json::from_str(&valid.facts_json).unwrap();
        assert_eq!(json["strongly_encrypted"], json!(false));
        assert!(IncidentFacts::from_json(&json).is_ok(), "the stored JSON parses as the contract");
    }

    #[test]
    fn future_dates_negative_counts_and_discovery_before_occurrence_are_field_errors() {
        let mut form = jimos();
        form.discovered_on = "2027-01-01".into();
        form.affected_people = "-3".into();
        let errors = form.validate(day("2026-11-27")).err().unwrap();
        assert_eq!(errors.get("discovered_on"), Some("error-date-in-future"));
        assert_eq!(errors.get("affected_people"), Some("error-count-range"));

        let mut form = jimos();
        form.occurred_from = "2019-08-01".into();
        let errors = form.validate(day("2026-11-27")).err().unwrap();
        assert_eq!(errors.get("occurred_from"), Some("error-incident-date-order"));
    }

    #[test]
    fn an_unknown_vocabulary_value_or_no_cause_is_an_error_on_that_field() {
        let mut form = jimos();
        form.causes = vec!["hacking".into()];
        assert_eq!(form.validate(day("2026-11-27")).err().unwrap().get("causes"), Some("error-choice"));
        form.causes.clear();
        assert_eq!(form.validate(day("2026-11-27")).err().unwrap().get("causes"), Some("error-choose-at-least-one"));
    }
}
