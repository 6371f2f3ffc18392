//! Check reasons for people. The engine prefixes each reason with the facts that triggered it in
//! the contract's vocabulary (`causes: web_vulnerability; data: credit_card — …`), which is what
//! the JSON API and `pmark assess` give; the pages show the same facts with their labels.

use crate::domain::Lang;
use crate::i18n::t;

/// The label-key prefix of a vocabulary field's values.
fn vocabulary(field: &str) -> Option<&'static str> {
    Some(match field {
        "kinds" => "incident-kind",
        "causes" => "incident-cause",
        "data" => "incident-data",
        "parties" => "incident-party",
        "systems" => "incident-system",
        "detected_by" => "incident-detected_by",
        "APPI" => "incident-category",
        _ => return None,
    })
}

fn flag(lang: Lang, value: &str) -> String {
    t(
        lang,
        match value {
            "true" => "incident-flag-yes",
            "false" => "incident-flag-no",
            _ => "incident-flag-unknown",
        },
    )
}

fn segment(lang: Lang, text: &str) -> String {
    if let Some(days) = text.strip_prefix("undetected for ").and_then(|rest| rest.split_once(" days")).map(|(n, _)| n) {
        let days = days.parse::<i64>().map_or_else(|_| days.to_owned(), crate::i18n::format::number);
        return crate::i18n::t_args(lang, "incident-reason-undetected", &[("days", days)]);
    }
    let Some((field, values)) = text.split_once(": ") else { return text.to_owned() };
    if let Some(prefix) = vocabulary(field) {
        let label =
            if field == "APPI" { t(lang, "assess-categories") } else { t(lang, &format!("incident-field-{field}")) };
        let values: Vec<String> = values.split(", ").map(|v| t(lang, &format!("{prefix}-{v}"))).collect();
        return format!("{label}: {}", values.join("、"));
    }
    match field {
        "APPI reportable" => format!("{}: {}", t(lang, "assess-reportable"), flag(lang, values)),
        "retained_beyond_need" | "strongly_encrypted" | "possible_only" => {
            format!("{}: {}", t(lang, &format!("incident-field-{field}")), flag(lang, values))
        }
        "affected_people" => {
            let people = values.parse::<i64>().map_or_else(|_| values.to_owned(), crate::i18n::format::number);
            format!("{}: {people}", t(lang, "incident-field-affected_people"))
        }
        _ => text.to_owned(),
    }
}

/// A reason with its triggering facts in words.
pub fn humanize(reason: &str, lang: Lang) -> String {
    let Some((facts, why)) = reason.split_once(" — ") else { return reason.to_owned() };
    let facts: Vec<String> = facts.split("; ").map(|s| segment(lang, s)).collect();
    format!("{} — {why}", facts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_values_and_flags_become_labels_and_the_reason_is_kept() {
        let reason = "causes: web_vulnerability, unauthorized_access; retained_beyond_need: true — 保管を見直す";
        assert_eq!(
            humanize(reason, Lang::Ja),
            "原因: Webアプリケーションの脆弱性、不正アクセス（ID・パスワードの悪用、侵入）; 必要な期間を超えた保管: はい — 保管を見直す"
        );
        assert_eq!(humanize("no facts here", Lang::En), "no facts here");
        assert!(humanize("APPI: wrongful_intent — x", Lang::En).starts_with("Categories: "));
        let late = "undetected for 171 days (occurred_from → discovered_on); affected_people: 107661 — 監視を見直す";
        assert_eq!(humanize(late, Lang::Ja), "発生から発覚まで171日; 対象人数: 107,661 — 監視を見直す");
        assert_eq!(
            humanize(late, Lang::En),
            "Undetected for 171 days after it began; People affected: 107,661 — 監視を見直す"
        );
    }
}
