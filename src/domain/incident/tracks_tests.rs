use serde_json::{Value, json};

use super::*;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn facts(value: Value) -> IncidentFacts {
    IncidentFacts::from_json(&value).unwrap()
}

fn jimos() -> Value {
    json!({
        "discovered_on": "2019-07-26", "occurred_from": "2014-01-01", "occurred_to": "2019-07-26",
        "kinds": ["leak"], "causes": ["web_vulnerability", "unauthorized_access"],
        "data": ["name", "credit_card", "card_security_code"], "affected_people": 107661,
        "parties": ["external_attacker"], "systems": ["ec_site"], "detected_by": "payment_processor",
        "strongly_encrypted": false, "retained_beyond_need": true, "possible_only": false
    })
}

fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

fn codes(reporting: &Reporting) -> Vec<&'static str> {
    reporting.notes.iter().map(|n| n.code).collect()
}

#[test]
fn jimos_is_reportable_in_three_categories_with_the_sixty_day_final_report() {
    let r = reporting(&facts(jimos()));
    assert!(r.pmark.required && r.appi.reportable && r.appi.notify_individuals);
    assert_eq!(r.appi.categories, [Category::FinancialDamage, Category::WrongfulIntent, Category::Over1000]);
    assert_eq!(r.pmark.preliminary_due, Some(d("2019-07-29")));
    assert_eq!(r.pmark.preliminary_latest, Some(d("2019-07-31")));
    assert_eq!(r.pmark.final_due, d("2019-09-24"));
    assert_eq!((r.appi.preliminary_due, r.appi.final_due), (Some(d("2019-07-29")), Some(d("2019-09-24"))));
    assert!(r.appi.open_questions.is_empty() && r.appi.exemptions.is_empty());
    assert_eq!(codes(&r), ["before_2022_04_01"]);
}

#[test]
fn a_possibility_counts_like_a_certainty() {
    let r = reporting(&facts(with(jimos(), "possible_only", json!(true))));
    assert_eq!(r.appi.categories.len(), 3);
    assert!(r.appi.reportable);
    assert!(codes(&r).contains(&"possible_only"));
}

#[test]
fn strong_encryption_exempts_from_the_ppc_but_not_from_the_privacy_mark_report() {
    let r = reporting(&facts(with(jimos(), "strongly_encrypted", json!(true))));
    assert!(!r.appi.reportable && !r.appi.notify_individuals);
    assert!(r.appi.categories.is_empty());
    assert_eq!(r.appi.exemptions, ["strong_encryption"]);
    assert_eq!((r.appi.preliminary_due, r.appi.final_due), (None, None));
    assert!(r.pmark.required);
    assert_eq!((r.pmark.preliminary_due, r.pmark.final_due), (None, d("2019-08-25")));
}

#[test]
fn a_stolen_device_is_wrongful_intent_and_a_lost_one_is_not() {
    let base = json!({ "discovered_on": "2024-05-23", "kinds": ["loss"], "causes": ["stolen_item"],
                       "data": ["name", "contact"], "affected_people": 400, "strongly_encrypted": false });
    let stolen = reporting(&facts(base.clone()));
    assert_eq!(stolen.appi.categories, [Category::WrongfulIntent]);
    assert_eq!((stolen.pmark.preliminary_due, stolen.pmark.final_due), (Some(d("2024-05-26")), d("2024-07-22")));
    let lost = reporting(&facts(with(base, "causes", json!(["lost_item"]))));
    assert!(!lost.appi.reportable && lost.appi.categories.is_empty());
    assert_eq!((lost.pmark.preliminary_due, lost.pmark.final_due), (None, d("2024-06-22")));
}

#[test]
fn more_than_one_thousand_people_is_a_category_and_one_thousand_is_not() {
    let base = json!({ "discovered_on": "2022-11-20", "kinds": ["leak"], "causes": ["misdelivery_email"],
                       "data": ["email_address"], "strongly_encrypted": false });
    let at = reporting(&facts(with(base.clone(), "affected_people", json!(1000))));
    assert!(!at.appi.reportable);
    let over = reporting(&facts(with(base, "affected_people", json!(1001))));
    assert_eq!(over.appi.categories, [Category::Over1000]);
    assert_eq!(over.pmark.final_due, d("2022-12-20"), "30 days without wrongful intent");
}

#[test]
fn an_unknown_count_is_an_open_question_only_when_it_could_change_the_result() {
    let base = json!({ "discovered_on": "2022-11-20", "kinds": ["leak"], "causes": ["misdelivery_email"],
                       "data": ["email_address"] });
    let open = reporting(&facts(base.clone()));
    assert_eq!(open.appi.open_questions, ["affected_people"]);
    assert!(codes(&open).contains(&"affected_people_unknown"));
    let settled = reporting(&facts(with(base, "data", json!(["sensitive"]))));
    assert_eq!(settled.appi.categories, [Category::Sensitive]);
    assert_eq!(settled.appi.open_questions, ["strongly_encrypted"], "one sensitive record is reportable anyway");
}

#[test]
fn minors_and_my_number_are_no_category_of_their_own() {
    let r =
        reporting(&facts(json!({ "discovered_on": "2024-01-10", "kinds": ["leak"], "causes": ["operational_error"],
        "data": ["name", "minors", "my_number"], "affected_people": 12, "strongly_encrypted": false })));
    assert!(!r.appi.reportable);
    assert!(codes(&r).contains(&"my_number"));
}

#[test]
fn login_credentials_count_as_financial_only_where_they_can_pay() {
    let base = json!({ "discovered_on": "2024-01-10", "kinds": ["leak"], "causes": ["operational_error"],
        "data": ["login_credentials"], "affected_people": 12, "strongly_encrypted": false });
    let plain = reporting(&facts(base.clone()));
    assert!(!plain.appi.reportable);
    assert!(codes(&plain).contains(&"login_credentials"));
    let shop = reporting(&facts(with(base, "systems", json!(["ec_site"]))));
    assert_eq!(shop.appi.categories, [Category::FinancialDamage]);
}

#[test]
fn kinds_without_leak_loss_destruction_or_tampering_are_not_ppc_reportable() {
    let r = reporting(&facts(json!({ "discovered_on": "2024-01-10", "kinds": ["beyond_purpose"],
        "causes": ["operational_error"], "data": ["sensitive"], "affected_people": 5000 })));
    assert!(!r.appi.reportable && r.appi.categories.is_empty() && r.appi.open_questions.is_empty());
    assert_eq!((r.pmark.preliminary_due, r.pmark.final_due), (None, d("2024-02-09")));
    assert!(codes(&r).contains(&"no_leak_kind"));
    let tampered = reporting(&facts(json!({ "discovered_on": "2024-01-10", "kinds": ["tampering"],
        "causes": ["ransomware"], "strongly_encrypted": false })));
    assert_eq!(tampered.appi.categories, [Category::WrongfulIntent]);
}

#[test]
fn the_pre_2022_note_appears_only_before_the_first_of_april_2022() {
    let on = |day: &str| {
        codes(&reporting(&facts(json!({ "discovered_on": day, "kinds": ["leak"], "causes": ["phishing"] }))))
            .contains(&"before_2022_04_01")
    };
    assert!(on("2022-03-31"));
    assert!(!on("2022-04-01"));
}

#[test]
fn deadlines_cross_month_and_year_ends_in_calendar_days() {
    let r = reporting(&facts(json!({ "discovered_on": "2023-12-30", "kinds": ["leak"], "causes": ["malware"],
        "strongly_encrypted": false })));
    assert_eq!(r.pmark.preliminary_due, Some(d("2024-01-02")));
    assert_eq!(r.pmark.preliminary_latest, Some(d("2024-01-04")));
    assert_eq!(r.pmark.final_due, d("2024-02-28"));
    let leap =
        reporting(&facts(json!({ "discovered_on": "2024-01-31", "kinds": ["leak"], "causes": ["operational_error"],
        "affected_people": 1 })));
    assert_eq!(leap.pmark.final_due, d("2024-03-01"));
}
