//! The assessment as plain text, for `pmark assess --format text`. Labels come from the message
//! files (`locales/*/incident.ftl`).

use std::fmt::Write;

use chrono::NaiveDate;

use super::assessment::Assessment;
use super::vocabulary::Term;
use crate::domain::Lang;
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

impl Assessment {
    /// The assessment as text in `lang`: both reporting tracks, notes, then the controls by
    /// priority with their reasons.
    pub fn to_text(&self, lang: Lang) -> String {
        let t = |key: &str| text(lang, key);
        let yes_no = |b: bool| if b { t("assess-required") } else { t("assess-not-required") };
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{}: {}", t("assess-title"), self.title.as_deref().unwrap_or(""));
        let pmark = &self.pmark_report;
        let _ = writeln!(out, "\n{}: {}", t("assess-pmark-report"), yes_no(pmark.required));
        let _ = writeln!(out, "  {}: {}", t("assess-preliminary-due"), date(pmark.preliminary_due, lang));
        let _ = writeln!(out, "  {}: {}", t("assess-preliminary-latest"), date(pmark.preliminary_latest, lang));
        let _ = writeln!(out, "  {}: {}", t("assess-final-due"), pmark.final_due);
        let appi = &self.appi;
        let _ = writeln!(out, "\n{}: {}", t("assess-appi"), yes_no(appi.reportable));
        let _ = writeln!(out, "  {}: {}", t("assess-categories"), labels(&appi.categories, lang));
        if !appi.exemptions.is_empty() {
            let _ = writeln!(out, "  {}: {}", t("assess-exemptions"), appi.exemptions.join(", "));
        }
        let _ = writeln!(out, "  {}: {}", t("assess-preliminary-due"), date(appi.preliminary_due, lang));
        let _ = writeln!(out, "  {}: {}", t("assess-final-due"), date(appi.final_due, lang));
        let _ = writeln!(out, "  {}: {}", t("assess-notify-individuals"), yes_no(appi.notify_individuals));
        if !appi.open_questions.is_empty() {
            let _ = writeln!(out, "  {}: {}", t("assess-open-questions"), appi.open_questions.join(", "));
        }
        if !self.notes.is_empty() {
            let _ = writeln!(out, "\n{}:", t("assess-notes"));
            for note in &self.notes {
                let _ = writeln!(out, "  - {}", if lang == Lang::Ja { note.ja } else { note.en });
            }
        }
        let _ = writeln!(out, "\n{}:", t("assess-controls"));
        for control in &self.controls {
            let title = if lang == Lang::Ja { &control.title_ja } else { &control.title_en };
            let reference =
                if control.guideline_ref.is_empty() { String::new() } else { format!(" [{}]", control.guideline_ref) };
            let priority = text(lang, &control.priority.label_key());
            let _ = writeln!(out, "  [{priority}] {} {title}{reference}", control.id);
            let reasons = if lang == Lang::Ja { &control.reasons_ja } else { &control.reasons };
            for reason in reasons {
                let _ = writeln!(out, "      - {reason}");
            }
        }
        out
    }
}
