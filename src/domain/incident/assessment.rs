//! The check assessment of an incident: both reporting tracks, and the controls to check,
//! from the check rules. The serialized `Assessment` is the output of `pmark assess --format
//! json` and of `POST /api/v1/assess` (`../shared/domain/incident-facts.md`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::condition::Derived;
use super::facts::IncidentFacts;
use super::rules::{CheckRules, Rule};
use super::tracks::{AppiReport, Note, PmarkReport, reporting};
use super::vocabulary::{Kind, Priority};

/// A control the incident calls to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlaggedControl {
    pub id: String,
    /// The catalog version the id belongs to.
    pub catalog: String,
    /// The JIPDEC guideline J-number (`J.9.2?` when inferred).
    pub guideline_ref: String,
    pub title_ja: String,
    pub title_en: String,
    /// The highest priority of the rules that flagged it.
    pub priority: Priority,
    /// Why, in English, each naming the facts that triggered it; at least one.
    pub reasons: Vec<String>,
    /// The same reasons in Japanese.
    pub reasons_ja: Vec<String>,
    /// The ids of the rules that flagged it.
    pub rules: Vec<String>,
}

/// The whole assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub title: Option<String>,
    pub discovered_on: chrono::NaiveDate,
    pub pmark_report: PmarkReport,
    pub appi: AppiReport,
    /// Ordered by priority (high first), then by catalog order.
    pub controls: Vec<FlaggedControl>,
    pub notes: Vec<Note>,
}

/// The facts that made a rule apply, as text (`causes: web_vulnerability; systems: ec_site`).
fn triggered(rule: &Rule, facts: &IncidentFacts, derived: Derived<'_>) -> Option<String> {
    if rule.always {
        let kinds: Vec<&str> = facts.kinds.iter().map(|k: &Kind| k.as_str()).collect();
        return Some(format!("kinds: {}", kinds.join(", ")));
    }
    rule.when.iter().find_map(|condition| condition.matches(facts, derived)).map(|found| found.join("; "))
}

impl CheckRules {
    /// Assesses an incident: reporting tracks, and every control a rule flags, merged per control
    /// (highest priority wins, reasons accumulate once each).
    pub fn assess(&self, facts: &IncidentFacts) -> Assessment {
        let tracks = reporting(facts);
        let derived = Derived { categories: &tracks.appi.categories, reportable: tracks.appi.reportable };
        let mut flagged: BTreeMap<&str, FlaggedControl> = BTreeMap::new();
        for rule in &self.rules {
            let Some(trigger) = triggered(rule, facts, derived) else { continue };
            let reason_en = format!("{trigger} — {}", rule.reason_en);
            let reason_ja = format!("{trigger} — {}", rule.reason_ja);
            for id in &rule.controls {
                let Some(control) = self.controls.get(id) else { continue };
                let entry = flagged.entry(id).or_insert_with(|| FlaggedControl {
                    id: control.id.clone(),
                    catalog: self.catalog_version.clone(),
                    guideline_ref: control.guideline_ref.clone(),
                    title_ja: control.title_ja.clone(),
                    title_en: control.title_en.clone(),
                    priority: rule.priority,
                    reasons: Vec::new(),
                    reasons_ja: Vec::new(),
                    rules: Vec::new(),
                });
                entry.priority = entry.priority.min(rule.priority);
                if !entry.reasons.contains(&reason_en) {
                    entry.reasons.push(reason_en.clone());
                    entry.reasons_ja.push(reason_ja.clone());
                }
                entry.rules.push(rule.id.clone());
            }
        }
        let position = |id: &str| self.controls.get(id).map_or(usize::MAX, |c| c.position);
        let mut controls: Vec<FlaggedControl> = flagged.into_values().collect();
        controls.sort_by_key(|c| (c.priority, position(&c.id)));
        Assessment {
            title: facts.title.clone(),
            discovered_on: facts.discovered_on,
            pmark_report: tracks.pmark,
            appi: tracks.appi,
            controls,
            notes: tracks.notes,
        }
    }
}

impl Assessment {
    /// The flagged control with this id.
    pub fn control(&self, id: &str) -> Option<&FlaggedControl> {
        self.controls.iter().find(|c| c.id == id)
    }
}

#[cfg(test)]
#[path = "assessment_tests.rs"]
mod tests;
