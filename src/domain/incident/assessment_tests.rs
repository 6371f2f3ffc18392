use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::domain::catalog::Catalogs;
use crate::domain::incident::vocabulary::{Cause, DataItem, DetectedBy, Party, System, Term};

fn rules() -> CheckRules {
    CheckRules::builtin(Catalogs::builtin().unwrap().current()).unwrap()
}

fn assess(value: Value) -> Assessment {
    rules().assess(&IncidentFacts::from_json(&value).unwrap())
}

fn ids(assessment: &Assessment) -> Vec<&str> {
    assessment.controls.iter().map(|c| c.id.as_str()).collect()
}

fn priority(assessment: &Assessment, id: &str) -> Option<Priority> {
    assessment.control(id).map(|c| c.priority)
}

#[test]
fn jimos_flags_security_and_risk_assessment_high_and_names_the_triggering_facts() {
    let a = assess(json!({
        "discovered_on": "2019-07-26", "occurred_from": "2014-01-01", "kinds": ["leak"],
        "causes": ["web_vulnerability", "unauthorized_access"], "data": ["name", "credit_card", "card_security_code"],
        "affected_people": 107661, "parties": ["external_attacker"], "systems": ["ec_site"],
        "detected_by": "payment_processor", "strongly_encrypted": false, "retained_beyond_need": true
    }));
    assert_eq!(priority(&a, "A.3.4.3.2"), Some(Priority::High));
    assert_eq!(priority(&a, "A.3.3.3"), Some(Priority::High));
    for id in ["A.3.3.7", "A.3.3.2", "A.3.4.3.1", "A.3.8", "A.3.7.1"] {
        assert!(a.control(id).is_some(), "{id} in {:?}", ids(&a));
    }
    for id in ["A.3.4.2.9", "A.3.4.2.8.1", "A.3.4.4.5", "A.3.4.2.5", "A.3.2.2", "A.3.4.3.4"] {
        assert!(a.control(id).is_none(), "{id} in {:?}", ids(&a));
    }
    let security = a.control("A.3.4.3.2").unwrap();
    assert!(security.reasons.iter().any(|r| r.starts_with("causes: web_vulnerability")), "{:?}", security.reasons);
    assert_eq!(security.reasons.len(), security.reasons_ja.len());
    assert_eq!((security.guideline_ref.as_str(), security.catalog.as_str()), ("J.9.2?", "JIS Q 15001:2017"));
    let card = a.control("A.3.3.2").unwrap();
    assert!(card.reasons[0].starts_with("data: credit_card, card_security_code — "), "{:?}", card.reasons);
}

#[test]
fn a_mis_sent_e_mail_flags_procedure_security_and_training_but_not_the_register_or_contractors() {
    let a = assess(json!({ "discovered_on": "2022-11-20", "kinds": ["leak"], "causes": ["misdelivery_email"],
        "data": ["email_address"], "affected_people": 89, "parties": ["own_staff"], "systems": ["email"],
        "detected_by": "customer" }));
    for id in ["A.3.4.3.2", "A.3.4.5", "A.3.4.1", "A.3.3.7", "A.3.8"] {
        assert!(a.control(id).is_some(), "{id} in {:?}", ids(&a));
    }
    for id in ["A.3.3.1", "A.3.4.3.4", "A.3.7.1", "A.3.3.3", "A.3.7.3", "A.3.4.2.8.1"] {
        assert!(a.control(id).is_none(), "{id} in {:?}", ids(&a));
    }
}

#[test]
fn an_unencrypted_stolen_laptop_raises_security_measures_to_high_and_an_encrypted_one_does_not() {
    let stolen = json!({ "discovered_on": "2024-05-23", "kinds": ["loss"], "causes": ["stolen_item"],
        "systems": ["pc"], "parties": ["own_staff"], "strongly_encrypted": false });
    assert_eq!(priority(&assess(stolen.clone()), "A.3.4.3.2"), Some(Priority::High));
    let mut encrypted = stolen;
    encrypted["strongly_encrypted"] = json!(true);
    let a = assess(encrypted);
    assert_eq!(priority(&a, "A.3.4.3.2"), Some(Priority::Medium));
    assert!(a.control("A.3.4.3.4").is_none());
}

#[test]
fn contractors_are_flagged_only_when_a_contractor_or_vendor_is_involved() {
    let base = json!({ "discovered_on": "2024-05-23", "kinds": ["leak"], "causes": ["misconfiguration"],
        "systems": ["cloud_storage"], "parties": ["own_staff"] });
    assert!(assess(base.clone()).control("A.3.4.3.4").is_none());
    let mut vendor = base;
    vendor["parties"] = json!(["contractor"]);
    assert_eq!(priority(&assess(vendor), "A.3.4.3.4"), Some(Priority::High));
}

#[test]
fn beyond_purpose_flags_the_use_and_provision_controls_and_not_security() {
    let a = assess(json!({ "discovered_on": "2024-05-23", "kinds": ["beyond_purpose"],
        "causes": ["operational_error"], "systems": ["email"], "affected_people": 300 }));
    assert_eq!(priority(&a, "A.3.4.2.6"), Some(Priority::High));
    for id in ["A.3.4.2.1", "A.3.4.2.8", "A.3.4.2.7"] {
        assert!(a.control(id).is_some(), "{id} in {:?}", ids(&a));
    }
    assert!(a.control("A.3.4.2.2").is_none());
}

#[test]
fn the_same_reason_is_listed_once_and_the_highest_priority_wins() {
    let a = assess(json!({ "discovered_on": "2024-05-23", "kinds": ["loss"], "causes": ["lost_item"],
        "systems": ["usb_media"] }));
    let security = a.control("A.3.4.3.2").unwrap();
    assert_eq!(security.priority, Priority::High, "media and unencrypted-device rules are high");
    let mut unique = security.reasons.clone();
    unique.dedup();
    assert_eq!(unique.len(), security.reasons.len());
}

fn subset<T: Term>() -> impl Strategy<Value = Vec<&'static str>> {
    proptest::sample::subsequence(T::names(), 0..=T::ALL.len())
}

fn facts_strategy() -> impl Strategy<Value = Value> {
    (
        (0i64..20_000, proptest::option::of(0i64..4000), proptest::option::of(0u64..3_000_000)),
        (subset::<Kind>().prop_filter("at least one kind", |v| !v.is_empty()), subset::<Cause>()),
        (subset::<DataItem>(), subset::<Party>(), subset::<System>()),
        proptest::option::of(proptest::sample::select(DetectedBy::names())),
        [proptest::option::of(any::<bool>()), proptest::option::of(any::<bool>()), proptest::option::of(any::<bool>())],
    )
        .prop_filter("at least one cause", |(_, (_, causes), ..)| !causes.is_empty())
        .prop_map(|((day, before, people), (kinds, causes), (data, parties, systems), detected_by, flags)| {
            let discovered = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Days::new(day as u64);
            let from = before.map(|b| (discovered - chrono::Days::new(b as u64)).to_string());
            json!({
                "discovered_on": discovered.to_string(), "occurred_from": from,
                "kinds": kinds, "causes": causes, "data": data, "parties": parties, "systems": systems,
                "affected_people": people, "detected_by": detected_by,
                "strongly_encrypted": flags[0], "retained_beyond_need": flags[1], "possible_only": flags[2]
            })
        })
}

proptest! {
    #[test]
    fn any_valid_facts_assess_to_sorted_controls_each_with_a_reason(value in facts_strategy()) {
        let rules = rules();
        let facts = IncidentFacts::from_json(&value).unwrap();
        let a = rules.assess(&facts);
        prop_assert!(a.control("A.3.8").is_some() && a.control("A.3.3.7").is_some());
        prop_assert!(a.controls.windows(2).all(|w| w[0].priority <= w[1].priority));
        for control in &a.controls {
            prop_assert!(!control.reasons.is_empty());
            prop_assert_eq!(control.reasons.len(), control.reasons_ja.len());
        }
        prop_assert_eq!(a.appi.reportable, !a.appi.categories.is_empty());
        prop_assert!(a.pmark_report.final_due > facts.discovered_on);
        prop_assert!(serde_json::to_value(&a).is_ok());
    }
}
