//! Shared pieces of form handling: the path parameter types and the entered values kept for a
//! re-render.

use serde::Deserialize;

/// `{org}` in a path.
#[derive(Debug, Deserialize)]
pub struct OrgPath {
    pub org: i32,
}
