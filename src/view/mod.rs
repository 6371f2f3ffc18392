//! View models shared by the web pages, the audit-prep report and the CLI: stored rows and domain
//! values turned into what a reader sees, in their language. No web framework here: `web`,
//! `report`, `jobs` and `cli` import `view`, never each other's helpers.

pub mod assessment_text;
pub mod certification_timeline;
pub mod controls_tree;
pub mod duty_schedule;
pub mod pms_structure;
pub mod renewal;
