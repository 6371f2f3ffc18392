//! The assessment as plain text, for `pmark assess --format text`. Labels come from the message
//! files (`locales/*/incident.ftl`).

use chrono::NaiveDate;

use crate::domain::Lang;
use crate::domain::incident::Assessment;
use crate::domain::incident::vocabulary::Term;
use crate::i18n::t as text;

fn date(day: Option<NaiveDate>, lang: Lang) -> String {
    day.map_or_else(|| text(lang, "assess-none"), |d| d.to_string())
}

fn labels<T: Term>(terms: &[T], lang: Lang) -> String {
    if terms.is_empty() {
        return text(lang, "assess-none");
    }
    terms.iter().map(|t| format!("{} ({})", text(lang, &t.label_key()), t.as_str())).collect::<Vec<_>>().join(", ")
}

/// The assessment as text in `lang`: both reporting tracks, notes, then the controls by
/// priority with their reasons.
pub fn render(assessment: &Assessment, lang: Lang) -> String {
    {
        let t = |key: &str| text(lang, key);
        let yes_no = |b: bool| if b { t("assess-required") } else { t("assess-not-required") };
        let field = |key: &str, value: String| format!("  {}: {value}", t(key));
        let (pmark, appi) = (&assessment.pmark_report, &assessment.appi);
        let mut lines = vec![
            format!("{}: {}", t("assess-title"), assessment.title.as_deref().unwrap_or("")),
            String::new(),
            format!("{}: {}", t("assess-pmark-report"), yes_no(pmark.required)),
            field("assess-preliminary-due", date(pmark.preliminary_due, lang)),
            field("assess-preliminary-latest", date(pmark.preliminary_latest, lang)),
            field("assess-final-due", pmark.final_due.to_string()),
            String::new(),
            format!("{}: {}", t("assess-appi"), yes_no(appi.reportable)),
            field("assess-categories", labels(&appi.categories, lang)),
        ];
        if !appi.exemptions.is_empty() {
            lines.push(field("assess-exemptions", appi.exemptions.join(", ")));
        }
        lines.push(field("assess-preliminary-due", date(appi.preliminary_due, lang)));
        lines.push(field("assess-final-due", date(appi.final_due, lang)));
        lines.push(field("assess-notify-individuals", yes_no(appi.notify_individuals)));
        if !appi.open_questions.is_empty() {
            lines.push(field("assess-open-questions", appi.open_questions.join(", ")));
        }
        if !assessment.notes.is_empty() {
            lines.push(format!("\n{}:", t("assess-notes")));
            lines
                .extend(assessment.notes.iter().map(|n| format!("  - {}", if lang == Lang::Ja { n.ja } else { n.en })));
        }
        lines.push(format!("\n{}:", t("assess-controls")));
        for control in &assessment.controls {
            let title = if lang == Lang::Ja { &control.title_ja } else { &control.title_en };
            let reference =
                if control.guideline_ref.is_empty() { String::new() } else { format!(" [{}]", control.guideline_ref) };
            let priority = t(&control.priority.label_key());
            lines.push(format!("  [{priority}] {} {title}{reference}", control.id));
            let reasons = if lang == Lang::Ja { &control.reasons_ja } else { &control.reasons };
            lines.extend(reasons.iter().map(|reason| format!("      - {reason}")));
        }
        lines.push(String::new());
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::catalog::Catalogs;
    use crate::domain::incident::{CheckRules, IncidentFacts};

    fn assess(value: serde_json::Value) -> Assessment {
        let rules = CheckRules::builtin(Catalogs::builtin().unwrap().current()).unwrap();
        rules.assess(&IncidentFacts::from_json(&value).unwrap())
    }

    #[test]
    fn the_text_format_lists_both_tracks_and_the_controls_in_either_language() {
        let a = assess(json!({ "title": "盗難", "discovered_on": "2024-05-23", "kinds": ["loss"],
            "causes": ["stolen_item"], "affected_people": 400 }));
        let ja = render(&a, Lang::Ja);
        assert!(ja.contains("不正の目的のおそれ (wrongful_intent)"), "{ja}");
        assert!(ja.contains("2024-07-22") && ja.contains("A.3.8"), "{ja}");
        let en = render(&a, Lang::En);
        assert!(en.contains("[High] A.3.8 Corrective action [J.7.1]"), "{en}");
        assert!(en.contains("Open questions: strongly_encrypted"), "{en}");
    }
}
