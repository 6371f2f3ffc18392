use super::*;
use crate::domain::catalog::Catalogs;

fn catalog() -> Catalog {
    Catalogs::builtin().unwrap().current().clone()
}

fn rule(body: &str) -> String {
    format!(
        "[[rule]]\nid = \"probe\"\npriority = \"high\"\ncontrols = [\"A.3.4.3.2\"]\nreason_en = \"r\"\nreason_ja = \"理由\"\n{body}\n"
    )
}

fn error(text: &str) -> RulesError {
    CheckRules::parse(text, &catalog()).unwrap_err()
}

fn rule_error(text: &str) -> (String, String) {
    match error(text) {
        RulesError::Rule { rule, message } => (rule, message),
        other => panic!("expected a rule error, got {other:?}"),
    }
}

#[test]
fn the_shipped_rules_load_against_the_current_catalog() {
    let rules = CheckRules::builtin(&catalog()).unwrap();
    assert_eq!(rules.catalog_version, "JIS Q 15001:2017");
    assert!(rules.rules.len() > 30);
    let always: Vec<&str> = rules.rules.iter().filter(|r| r.always).map(|r| r.id.as_str()).collect();
    assert_eq!(always, ["incident-response", "corrective-action"]);
    let register = &rules.controls["A.3.4.3.2"];
    assert_eq!((register.title_ja.as_str(), register.guideline_ref.as_str()), ("安全管理措置", "J.9.2?"));
}

#[test]
fn a_valid_rule_parses_with_its_conditions() {
    let text = rule(
        "when = [{ causes = [\"phishing\"], all_data = [\"name\", \"email_address\"] }, { affected_people_at_least = 5 }]",
    );
    let rules = CheckRules::parse(&text, &catalog()).unwrap();
    let probe = &rules.rules[0];
    assert_eq!(probe.priority, Priority::High);
    assert_eq!(probe.when.len(), 2);
    assert_eq!(probe.when[0].data.all.len(), 2);
    assert_eq!(probe.when[1].affected_people_at_least, Some(5));
}

#[test]
fn an_unknown_control_id_names_the_rule_and_the_id() {
    let text = rule("always = true").replace("A.3.4.3.2", "A.3.9.9");
    let (name, message) = rule_error(&text);
    assert_eq!(name, "probe");
    assert!(message.contains("unknown control id \"A.3.9.9\""), "{message}");
    let section = rule_error(&rule("always = true").replace("A.3.4.3.2", "A.3.4.3")).1;
    assert!(section.contains("is a section"), "{section}");
}

#[test]
fn an_unknown_vocabulary_value_names_the_rule_the_field_and_the_value() {
    let (name, message) = rule_error(&rule("when = [{ causes = [\"hacking\"] }]"));
    assert_eq!(name, "probe");
    assert!(message.starts_with("causes: unknown value \"hacking\"; allowed: web_vulnerability"), "{message}");
    let all = rule_error(&rule("when = [{ all_systems = [\"mainframe\"] }]")).1;
    assert!(all.starts_with("all_systems: unknown value \"mainframe\""), "{all}");
    let by = rule_error(&rule("when = [{ detected_by = [\"oracle\"] }]")).1;
    assert!(by.starts_with("detected_by: unknown value \"oracle\""), "{by}");
    let category = rule_error(&rule("when = [{ appi_categories = [\"big\"] }]")).1;
    assert!(category.contains("allowed: sensitive, financial_damage, wrongful_intent, over_1000"), "{category}");
}

#[test]
fn an_unknown_priority_names_the_rule() {
    let text = rule("always = true").replace("priority = \"high\"", "priority = \"urgent\"");
    let err = error(&text);
    assert_eq!(err.to_string(), "check rule \"probe\": priority: unknown value \"urgent\"; allowed: high, medium, low");
}

#[test]
fn malformed_rules_name_the_rule_and_the_problem() {
    assert!(rule_error(&rule("when = [{ cuases = [\"phishing\"] }]")).1.contains("cuases"));
    assert!(rule_error(&rule("")).1.contains("`always = true`"));
    assert!(rule_error(&rule("when = [{}]")).1.contains("names no fact"));
    assert!(rule_error(&rule("always = true\nwhen = [{ kinds = [\"leak\"] }]")).1.contains("exclude each other"));
    assert!(rule_error(&rule("always = true").replace("[\"A.3.4.3.2\"]", "[]")).1.contains("at least one"));
    assert!(rule_error(&rule("always = true").replace("\"理由\"", "\" \"")).1.contains("reason_ja"));
    let twice = format!("{}{}", rule("always = true"), rule("always = true"));
    assert_eq!(rule_error(&twice), ("probe".to_owned(), "the id is used by an earlier rule".to_owned()));
    let nameless = rule("always = true").replace("id = \"probe\"\n", "");
    assert_eq!(rule_error(&nameless).0, "#1 (no id)");
    assert!(matches!(error("rule = 3"), RulesError::File(_)));
    assert!(matches!(error(""), RulesError::File(_)));
}
