//! Recorded values shown the way the pages show them: labels for closed values, names for ids,
//! はい/いいえ for flags, separators in counts, facts as labelled lines. A value that does not fit
//! its kind is shown as stored.

use serde_json::Value;

use crate::domain::Lang;
use crate::domain::incident::IncidentFacts;
use crate::i18n;
use crate::store::audit_fields::ValueKind;
use crate::store::audit_refs::id_of;

use super::{Change, Context};

/// What a redacted value is recorded as.
const REDACTED: &str = "[redacted]";

/// The message `key`, or `raw` when no language has it.
pub fn label_or_raw(lang: Lang, key: &str, raw: &str) -> String {
    let text = i18n::text(lang, key);
    if text == key { raw.to_owned() } else { text.to_owned() }
}

/// The stored text of a value: a string as is, anything else as JSON.
fn raw(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// How a list of values is joined in a language.
fn join(lang: Lang, items: &[String]) -> String {
    items.join(if lang == Lang::Ja { "、" } else { ", " })
}

/// The name of a duty in the viewer's language, when it is known.
pub fn duty_name(ctx: &Context<'_>, id: i32) -> Option<String> {
    ctx.refs.duties.get(&id).map(|duty| crate::view::duty_schedule::duty_name(duty, ctx.lang))
}

/// A recorded value in words.
pub fn show(ctx: &Context<'_>, kind: Option<ValueKind>, value: &Value) -> String {
    let lang = ctx.lang;
    if value.is_null() || value.as_str() == Some("") {
        return "—".to_owned();
    }
    if value.as_str() == Some(REDACTED) || kind == Some(ValueKind::Secret) {
        return i18n::t(lang, "history-value-redacted");
    }
    let named = |names: &std::collections::HashMap<i32, String>| {
        id_of(value).map(|id| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")))
    };
    let shown = match kind {
        Some(ValueKind::Flag) => {
            value.as_bool().map(|yes| i18n::t(lang, if yes { "history-value-yes" } else { "history-value-no" }))
        }
        Some(ValueKind::Count) => value.as_u64().map(crate::i18n::format::number),
        Some(ValueKind::Date) => value
            .as_str()
            .and_then(|text| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            .map(|on| crate::i18n::format::date(lang, ctx.dates, on)),
        Some(ValueKind::Month) => {
            value.as_i64().filter(|m| (1..=12).contains(m)).map(|m| i18n::t(lang, &format!("month-{m}")))
        }
        Some(ValueKind::User) => named(&ctx.refs.users),
        Some(ValueKind::Incident) => named(&ctx.refs.incidents),
        Some(ValueKind::CorrectiveAction) => named(&ctx.refs.corrective_actions),
        Some(ValueKind::Duty) => id_of(value).map(|id| duty_name(ctx, id).unwrap_or_else(|| format!("#{id}"))),
        Some(ValueKind::Department) => named(&ctx.refs.departments),
        Some(ValueKind::Person) => named(&ctx.refs.people),
        Some(ValueKind::Departments) => {
            value.as_str().and_then(|t| serde_json::from_str::<Vec<i32>>(t).ok()).map(|ids| {
                if ids.is_empty() {
                    i18n::t(lang, "history-value-every-department")
                } else {
                    let names: Vec<String> = ids
                        .iter()
                        .map(|id| ctx.refs.departments.get(id).cloned().unwrap_or_else(|| format!("#{id}")))
                        .collect();
                    join(lang, &names)
                }
            })
        }
        Some(ValueKind::Clauses) => strings(value).map(|items| join(lang, &items)),
        Some(ValueKind::Choices(prefix)) => strings(value).map(|items| {
            join(lang, &items.iter().map(|v| label_or_raw(lang, &format!("{prefix}-{v}"), v)).collect::<Vec<_>>())
        }),
        Some(ValueKind::FilingChanges) => strings(value)
            .map(|items| join(lang, &items.iter().map(|line| filing_change(ctx, line)).collect::<Vec<_>>())),
        Some(ValueKind::Choice(prefix)) => value.as_str().map(|v| label_or_raw(lang, &format!("{prefix}-{v}"), v)),
        _ => None,
    };
    shown.unwrap_or_else(|| raw(value))
}

/// A JSON array of strings, or the text of one (a column that stores its list as JSON).
fn strings(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(text) => serde_json::from_str::<Vec<String>>(text).ok(),
        other => other.as_array().map(|items| items.iter().map(raw).collect()),
    }
}

/// One recomputed deadline, `pmark_preliminary: 2026-05-18 -> not_required`, in words.
fn filing_change(ctx: &Context<'_>, line: &str) -> String {
    let lang = ctx.lang;
    let Some((track, change)) = line.split_once(": ") else { return line.to_owned() };
    let Some((before, after)) = change.split_once(" -> ") else { return line.to_owned() };
    let due = |text: &str| match text {
        "not_required" => i18n::t(lang, "filing-state-not_required"),
        "required" => i18n::t(lang, "history-value-required"),
        day => chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map_or_else(|_| day.to_owned(), |on| i18n::format::date(lang, ctx.dates, on)),
    };
    i18n::t_args(
        lang,
        "history-filing-change",
        &[
            ("track", label_or_raw(lang, &format!("filing-track-{track}"), track)),
            ("before", due(before)),
            ("after", due(after)),
        ],
    )
}

/// Stored facts: a JSON text (as the incident row keeps them) or an object.
fn facts(value: &Value) -> Option<IncidentFacts> {
    match value {
        Value::String(text) => IncidentFacts::from_json_text(text).ok(),
        Value::Object(_) => IncidentFacts::from_json_text(&value.to_string()).ok(),
        _ => None,
    }
}

/// An incident's facts as one labelled line per fact that changed (every fact with a value, on
/// creation); `None` when the stored facts do not parse, to show them as stored.
pub fn fact_changes(ctx: &Context<'_>, before: &Value, after: &Value) -> Option<Vec<Change>> {
    let lang = ctx.lang;
    let lines = |facts: &IncidentFacts| {
        crate::web::incidents::view::fact_rows(facts, crate::i18n::Locale::new(lang, ctx.dates))
            .into_iter()
            .map(|row| (row.field, if row.values.is_empty() { "—".to_owned() } else { join(lang, &row.values) }))
            .collect::<Vec<_>>()
    };
    let after_lines = lines(&facts(after)?);
    let before_lines = if before.is_null() { None } else { Some(lines(&facts(before)?)) };
    let changes = after_lines
        .into_iter()
        .filter_map(|(field, value)| {
            let before = match &before_lines {
                Some(lines) => {
                    let old = lines.iter().find(|(f, _)| *f == field).map(|(_, v)| v.clone()).unwrap_or_default();
                    if old == value {
                        return None;
                    }
                    Some(old)
                }
                None if value == "—" => return None,
                None => None,
            };
            let fact = i18n::t(lang, &format!("incident-field-{field}"));
            Some(Change {
                field: format!("facts.{field}"),
                label: i18n::t_args(lang, "history-fact-label", &[("fact", fact)]),
                before,
                after: value,
            })
        })
        .collect();
    Some(changes)
}
