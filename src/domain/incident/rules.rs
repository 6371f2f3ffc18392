//! The incident check rules as data: `catalog/check-rules.toml`, compiled in, parsed and
//! validated against the control catalog and the vocabularies once at start.
//!
//! ```toml
//! [[rule]]
//! id = "web-attack"                      # unique, names the rule in errors and in the output
//! priority = "high"                      # high, medium or low
//! controls = ["A.3.4.3.2", "A.3.3.3"]    # Annex A control ids of the catalog
//! reason_en = "…"                        # why to check them; the engine prefixes the facts
//! reason_ja = "…"
//! when = [{ causes = ["web_vulnerability"] }, { systems = ["ec_site"], causes = ["unauthorized_access"] }]
//! # or: always = true
//! ```
//! Condition fields are described in `condition.rs`.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;

use super::condition::{Condition, TermSet};
use super::vocabulary::{Priority, Term, UnknownTerm};
use crate::domain::catalog::Catalog;

/// The rules shipped with pmark.
pub const BUILTIN: &str = include_str!("../../../catalog/check-rules.toml");

/// A control a rule may flag, as the catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlRef {
    pub id: String,
    pub title_ja: String,
    pub title_en: String,
    /// The J-number as shown (`J.9.2?` when inferred; empty when none).
    pub guideline_ref: String,
    /// Its place in the catalog, for ordering.
    pub position: usize,
}

/// One check rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    pub priority: Priority,
    /// Control ids, each in the catalog.
    pub controls: Vec<String>,
    pub reason_en: String,
    pub reason_ja: String,
    /// Applies to every incident.
    pub always: bool,
    /// Applies when any of these holds (ignored with `always`).
    pub when: Vec<Condition>,
}

/// Every rule, validated, with the catalog entries they flag.
#[derive(Debug, Clone)]
pub struct CheckRules {
    /// The catalog the control ids belong to.
    pub catalog_version: String,
    pub rules: Vec<Rule>,
    pub controls: BTreeMap<String, ControlRef>,
}

/// A rules file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("check rules: {0}")]
    File(String),
    #[error("check rule \"{rule}\": {message}")]
    Rule { rule: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    priority: String,
    controls: Vec<String>,
    reason_en: String,
    reason_ja: String,
    #[serde(default)]
    always: bool,
    #[serde(default)]
    when: Vec<RawCondition>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    all_kinds: Vec<String>,
    #[serde(default)]
    causes: Vec<String>,
    #[serde(default)]
    all_causes: Vec<String>,
    #[serde(default)]
    data: Vec<String>,
    #[serde(default)]
    all_data: Vec<String>,
    #[serde(default)]
    parties: Vec<String>,
    #[serde(default)]
    all_parties: Vec<String>,
    #[serde(default)]
    systems: Vec<String>,
    #[serde(default)]
    all_systems: Vec<String>,
    #[serde(default)]
    detected_by: Vec<String>,
    #[serde(default)]
    appi_categories: Vec<String>,
    appi_reportable: Option<bool>,
    affected_people_at_least: Option<u64>,
    undetected_days_at_least: Option<u64>,
    retained_beyond_need: Option<bool>,
    strongly_encrypted: Option<bool>,
    possible_only: Option<bool>,
}

fn parse_all<T: Term>(field: &str, names: &[String]) -> Result<Vec<T>, String> {
    names.iter().map(|n| T::parse(n).map_err(|e: UnknownTerm| format!("{field}: {e}"))).collect()
}

fn term_set<T: Term>(field: &str, any: &[String], all: &[String]) -> Result<TermSet<T>, String> {
    Ok(TermSet { any: parse_all(field, any)?, all: parse_all(&format!("all_{field}"), all)? })
}

impl RawCondition {
    fn parse(&self) -> Result<Condition, String> {
        let condition = Condition {
            kinds: term_set("kinds", &self.kinds, &self.all_kinds)?,
            causes: term_set("causes", &self.causes, &self.all_causes)?,
            data: term_set("data", &self.data, &self.all_data)?,
            parties: term_set("parties", &self.parties, &self.all_parties)?,
            systems: term_set("systems", &self.systems, &self.all_systems)?,
            detected_by: parse_all("detected_by", &self.detected_by)?,
            appi_categories: parse_all("appi_categories", &self.appi_categories)?,
            appi_reportable: self.appi_reportable,
            affected_people_at_least: self.affected_people_at_least,
            undetected_days_at_least: self.undetected_days_at_least,
            retained_beyond_need: self.retained_beyond_need,
            strongly_encrypted: self.strongly_encrypted,
            possible_only: self.possible_only,
        };
        if condition.is_empty() {
            return Err("a condition in `when` names no fact (a rule for every incident says `always = true`)".into());
        }
        Ok(condition)
    }
}

fn control_ref(catalog: &Catalog, id: &str) -> Result<ControlRef, String> {
    let entry =
        catalog.get(id).ok_or_else(|| format!("controls: unknown control id \"{id}\" in {}", catalog.version))?;
    if !entry.is_control() {
        return Err(format!("controls: \"{id}\" is a section of {}, not a control", catalog.version));
    }
    Ok(ControlRef {
        id: entry.id.clone(),
        title_ja: entry.title_ja.clone(),
        title_en: entry.title_en.clone(),
        guideline_ref: entry.guideline_display().to_owned(),
        position: catalog.position(id).unwrap_or(usize::MAX),
    })
}

impl CheckRules {
    /// The rules shipped with pmark, checked against `catalog`.
    ///
    /// # Errors
    /// As `parse`.
    pub fn builtin(catalog: &Catalog) -> Result<Self, RulesError> {
        Self::parse(BUILTIN, catalog)
    }

    /// Parses and validates a rules file against a catalog.
    ///
    /// # Errors
    /// `File` for TOML that cannot be read as rules; `Rule`, naming the rule, for a missing or
    /// duplicate id, an unknown key, priority, control id or vocabulary value, a rule without
    /// controls, reasons or conditions, or a condition that names no fact.
    pub fn parse(text: &str, catalog: &Catalog) -> Result<Self, RulesError> {
        let file: RawFile = toml::from_str(text).map_err(|e| RulesError::File(e.to_string()))?;
        let mut rules = Vec::with_capacity(file.rule.len());
        let mut controls = BTreeMap::new();
        let mut ids = HashSet::new();
        for (n, table) in file.rule.into_iter().enumerate() {
            let name = match table.get("id").and_then(toml::Value::as_str) {
                Some(id) if !id.trim().is_empty() => id.to_owned(),
                _ => format!("#{} (no id)", n + 1),
            };
            let error = |message: String| RulesError::Rule { rule: name.clone(), message };
            let raw: RawRule =
                toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| error(e.to_string()))?;
            if !ids.insert(raw.id.clone()) {
                return Err(error("the id is used by an earlier rule".into()));
            }
            let priority = Priority::parse(&raw.priority).map_err(|e| error(format!("priority: {e}")))?;
            if raw.controls.is_empty() {
                return Err(error("controls: give at least one control id".into()));
            }
            for id in &raw.controls {
                if !controls.contains_key(id) {
                    controls.insert(id.clone(), control_ref(catalog, id).map_err(error)?);
                }
            }
            if raw.reason_en.trim().is_empty() || raw.reason_ja.trim().is_empty() {
                return Err(error("reason_en and reason_ja must both be given".into()));
            }
            let when = raw.when.iter().map(RawCondition::parse).collect::<Result<Vec<_>, _>>().map_err(error)?;
            match (raw.always, when.is_empty()) {
                (true, false) => return Err(error("`always = true` and `when` exclude each other".into())),
                (false, true) => return Err(error("give `when` conditions or `always = true`".into())),
                _ => {}
            }
            rules.push(Rule {
                id: raw.id,
                priority,
                controls: raw.controls,
                reason_en: raw.reason_en.trim().to_owned(),
                reason_ja: raw.reason_ja.trim().to_owned(),
                always: raw.always,
                when,
            });
        }
        if rules.is_empty() {
            return Err(RulesError::File("no [[rule]] is given".into()));
        }
        Ok(Self { catalog_version: catalog.version.clone(), rules, controls })
    }
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
