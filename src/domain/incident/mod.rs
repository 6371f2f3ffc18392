//! Incidents (事故): the facts that describe one, the two reporting tracks with their deadlines,
//! and the check rules that flag the controls to look at afterwards. Pure: the rules are data
//! (`catalog/check-rules.toml`), loaded and validated once at start.

pub mod assessment;
pub mod condition;
pub mod facts;
pub mod rules;
pub mod states;
pub mod tracks;
pub mod vocabulary;

pub use assessment::{Assessment, FlaggedControl};
pub use facts::{FactsError, IncidentFacts, InputError};
pub use rules::{CheckRules, RulesError};
pub mod filings;
pub use states::{CheckState, IncidentStatus, TimelineKind};
