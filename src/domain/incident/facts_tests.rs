use serde_json::json;

use super::*;

fn minimal() -> Value {
    json!({ "discovered_on": "2024-05-23", "kinds": ["loss"], "causes": ["stolen_item"] })
}

fn with(key: &str, value: Value) -> Value {
    let mut facts = minimal();
    facts[key] = value;
    facts
}

fn error(value: Value) -> FactsError {
    IncidentFacts::from_json(&value).unwrap_err()
}

#[test]
fn the_minimal_facts_parse_with_everything_else_unknown() {
    let facts = IncidentFacts::from_json(&minimal()).unwrap();
    assert_eq!(facts.discovered_on, NaiveDate::from_ymd_opt(2024, 5, 23).unwrap());
    assert_eq!(facts.kinds, BTreeSet::from([Kind::Loss]));
    assert_eq!(facts.causes, BTreeSet::from([Cause::StolenItem]));
    assert!(facts.data.is_empty() && facts.parties.is_empty() && facts.systems.is_empty());
    assert_eq!((facts.affected_people, facts.detected_by, facts.strongly_encrypted), (None, None, None));
    assert_eq!(facts.title, None);
}

#[test]
fn null_means_unknown_and_repeated_values_count_once() {
    let facts = IncidentFacts::from_json(&json!({
        "discovered_on": "2024-05-23", "kinds": ["leak", "leak"], "causes": ["phishing"],
        "affected_people": null, "detected_by": null, "strongly_encrypted": null, "data": null, "title": "  "
    }))
    .unwrap();
    assert_eq!(facts.kinds.len(), 1);
    assert_eq!((facts.affected_people, facts.detected_by, facts.strongly_encrypted), (None, None, None));
    assert_eq!(facts.title, None, "a blank title is no title");
}

#[test]
fn an_unknown_vocabulary_value_names_its_position_the_value_and_the_allowed_values() {
    let err = error(with("causes", json!(["phishing", "hacking"])));
    assert_eq!(err.field(), Some("causes"));
    let message = err.to_string();
    assert!(
        message.starts_with("causes[1]: unknown value \"hacking\"; allowed: web_vulnerability, unauthorized_access"),
        "{message}"
    );
    for (field, allowed) in [
        ("kinds", "leak, loss, destruction"),
        ("data", "name, contact, email_address"),
        ("parties", "own_staff, dispatched_staff"),
        ("systems", "ec_site, web_form"),
    ] {
        let message = error(with(field, json!(["nonsense"]))).to_string();
        assert!(
            message.starts_with(&format!("{field}[0]: unknown value \"nonsense\"; allowed: {allowed}")),
            "{message}"
        );
    }
    let detected = error(with("detected_by", json!("psychic")));
    assert_eq!(detected.field(), Some("detected_by"));
    assert!(
        detected.to_string().contains("detected_by: unknown value \"psychic\"; allowed: internal, payment_processor")
    );
}

#[test]
fn an_unknown_key_is_refused_by_name() {
    let err = error(with("severity", json!("high")));
    assert_eq!(err.field(), Some("severity"));
    assert!(err.to_string().starts_with("severity: unknown key; allowed: title, discovered_on"), "{err}");
}

#[test]
fn required_fields_are_named_when_missing_or_empty() {
    for field in ["discovered_on", "kinds", "causes"] {
        let mut facts = minimal();
        facts.as_object_mut().unwrap().remove(field);
        let err = error(facts);
        assert_eq!(err.to_string(), format!("{field}: required"));
        assert_eq!(err.field(), Some(field));
    }
    let empty = error(with("kinds", json!([])));
    assert!(empty.to_string().starts_with("kinds: give at least one value; allowed: leak, loss"), "{empty}");
    assert_eq!(error(with("causes", Value::Null)).to_string(), "causes: required");
}

#[test]
fn wrong_types_name_the_field_and_what_was_expected() {
    let cases = [
        ("kinds", json!("leak"), "kinds: expected a list of strings, got a string"),
        ("causes", json!([1]), "causes[0]: expected a string, got a number"),
        ("affected_people", json!("many"), "affected_people: expected a whole number of people or null, got a string"),
        ("affected_people", json!(1.5), "affected_people: expected a whole number of people or null, got a fraction"),
        ("strongly_encrypted", json!("yes"), "strongly_encrypted: expected true, false or null, got a string"),
        ("title", json!(7), "title: expected a string, got a number"),
    ];
    for (field, value, message) in cases {
        let err = error(with(field, value));
        assert_eq!(err.to_string(), message);
        assert_eq!(err.field(), Some(field));
    }
    assert_eq!(error(json!([1])), FactsError::NotAnObject);
}

#[test]
fn a_negative_count_is_refused() {
    let err = error(with("affected_people", json!(-1)));
    assert_eq!(err.field(), Some("affected_people"));
    assert!(err.to_string().starts_with("affected_people: -1 is negative"), "{err}");
    assert_eq!(IncidentFacts::from_json(&with("affected_people", json!(0))).unwrap().affected_people, Some(0));
}

#[test]
fn dates_must_be_iso_days_in_order() {
    for bad in ["2024-02-30", "23/05/2024", "2024-5-3", "+12024-05-23", ""] {
        let err = error(with("discovered_on", json!(bad)));
        assert_eq!(err.to_string(), format!("discovered_on: \"{bad}\" is not a date as YYYY-MM-DD"));
    }
    let late_start = error(with("occurred_from", json!("2024-05-24")));
    assert_eq!(late_start.field(), Some("occurred_from"));
    assert_eq!(late_start.to_string(), "occurred_from: 2024-05-24 is after discovered_on (2024-05-23)");
    let mut reversed = with("occurred_from", json!("2024-05-01"));
    reversed["occurred_to"] = json!("2024-04-30");
    assert_eq!(error(reversed).to_string(), "occurred_from: 2024-05-01 is after occurred_to (2024-04-30)");
    let facts = IncidentFacts::from_json(&with("occurred_from", json!("2024-05-01"))).unwrap();
    assert_eq!(facts.undetected_days(), Some(22));
}

#[test]
fn json_syntax_errors_give_the_line_and_column() {
    let err = IncidentFacts::from_json_text("{\n  \"kinds\": [leak]\n}").unwrap_err();
    let InputError::Json { line, column, .. } = &err else { panic!("{err:?}") };
    assert_eq!((*line, *column), (2, 13));
    assert!(err.to_string().contains("line 2 column 13"), "{err}");
    assert_eq!(err.field(), None);
}
