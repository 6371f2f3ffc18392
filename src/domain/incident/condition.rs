//! When a check rule applies: a condition over the incident facts, and what in the facts made it
//! hold (so that a reason can name the triggering fact).
//!
//! Every field a condition gives must hold (AND). A list field holds when the facts share at
//! least one value with it (`causes = [...]`), or all of them (`all_causes = [...]`). A flag
//! `= true` holds when the fact is established as true; `= false` holds when it is not (false or
//! unknown: an unknown `strongly_encrypted` is treated as not encrypted). A rule holds when any
//! of its conditions does.

use std::collections::BTreeSet;

use super::facts::IncidentFacts;
use super::vocabulary::{Category, Cause, DataItem, DetectedBy, Kind, Party, System, Term};

/// A set of terms to meet: any one of `any`, and every one of `all`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermSet<T> {
    pub any: Vec<T>,
    pub all: Vec<T>,
}

impl<T> Default for TermSet<T> {
    fn default() -> Self {
        Self { any: Vec::new(), all: Vec::new() }
    }
}

impl<T: Term> TermSet<T> {
    fn is_empty(&self) -> bool {
        self.any.is_empty() && self.all.is_empty()
    }

    /// The matched terms, or `None` when the set is not met (or does not constrain anything).
    fn matched(&self, field: &str, facts: &BTreeSet<T>) -> Result<Option<String>, ()> {
        if self.is_empty() {
            return Ok(None);
        }
        let mut hit: BTreeSet<T> = self.any.iter().copied().filter(|t| facts.contains(t)).collect();
        if !self.any.is_empty() && hit.is_empty() {
            return Err(());
        }
        if !self.all.iter().all(|t| facts.contains(t)) {
            return Err(());
        }
        hit.extend(self.all.iter().copied());
        Ok(Some(format!("{field}: {}", hit.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "))))
    }
}

/// One condition of a rule. An empty condition is refused when rules load; a rule that always
/// applies says `always = true` instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Condition {
    pub kinds: TermSet<Kind>,
    pub causes: TermSet<Cause>,
    pub data: TermSet<DataItem>,
    pub parties: TermSet<Party>,
    pub systems: TermSet<System>,
    pub detected_by: Vec<DetectedBy>,
    /// Any of these APPI categories applies (after exemptions).
    pub appi_categories: Vec<Category>,
    pub appi_reportable: Option<bool>,
    pub affected_people_at_least: Option<u64>,
    /// Days from `occurred_from` to `discovered_on`.
    pub undetected_days_at_least: Option<u64>,
    pub retained_beyond_need: Option<bool>,
    pub strongly_encrypted: Option<bool>,
    pub possible_only: Option<bool>,
}

/// What the assessment knows beyond the facts when rules are applied.
#[derive(Debug, Clone, Copy)]
pub struct Derived<'a> {
    pub categories: &'a [Category],
    pub reportable: bool,
}

fn flag(field: &str, wanted: Option<bool>, fact: Option<bool>) -> Result<Option<String>, ()> {
    match wanted {
        None => Ok(None),
        Some(true) if fact == Some(true) => Ok(Some(format!("{field}: true"))),
        Some(false) if fact != Some(true) => {
            Ok(Some(format!("{field}: {}", if fact.is_some() { "false" } else { "unknown" })))
        }
        Some(_) => Err(()),
    }
}

impl Condition {
    /// Whether the condition constrains nothing.
    pub fn is_empty(&self) -> bool {
        *self == Condition::default()
    }

    /// The facts that make the condition hold, or `None` when it does not.
    pub fn matches(&self, facts: &IncidentFacts, derived: Derived<'_>) -> Option<Vec<String>> {
        self.triggers(facts, derived).ok()
    }

    fn triggers(&self, facts: &IncidentFacts, derived: Derived<'_>) -> Result<Vec<String>, ()> {
        let mut found: Vec<Option<String>> = vec![
            self.kinds.matched("kinds", &facts.kinds)?,
            self.causes.matched("causes", &facts.causes)?,
            self.data.matched("data", &facts.data)?,
            self.parties.matched("parties", &facts.parties)?,
            self.systems.matched("systems", &facts.systems)?,
        ];
        if !self.detected_by.is_empty() {
            let by = facts.detected_by.filter(|d| self.detected_by.contains(d)).ok_or(())?;
            found.push(Some(format!("detected_by: {by}")));
        }
        if !self.appi_categories.is_empty() {
            let hit: Vec<&str> =
                derived.categories.iter().filter(|c| self.appi_categories.contains(c)).map(|c| c.as_str()).collect();
            if hit.is_empty() {
                return Err(());
            }
            found.push(Some(format!("APPI: {}", hit.join(", "))));
        }
        if let Some(wanted) = self.appi_reportable {
            if wanted != derived.reportable {
                return Err(());
            }
            found.push(Some(format!("APPI reportable: {wanted}")));
        }
        if let Some(least) = self.affected_people_at_least {
            let people = facts.affected_people.filter(|n| *n >= least).ok_or(())?;
            found.push(Some(format!("affected_people: {people}")));
        }
        if let Some(least) = self.undetected_days_at_least {
            let days = facts.undetected_days().filter(|n| *n >= least).ok_or(())?;
            found.push(Some(format!("undetected for {days} days (occurred_from → discovered_on)")));
        }
        found.push(flag("retained_beyond_need", self.retained_beyond_need, facts.retained_beyond_need)?);
        found.push(flag("strongly_encrypted", self.strongly_encrypted, facts.strongly_encrypted)?);
        found.push(flag("possible_only", self.possible_only, facts.possible_only)?);
        Ok(found.into_iter().flatten().collect())
    }
}
