//! Lists an organisation already keeps in spreadsheets, read in: the sheet reader, and one module
//! per kind of list that turns rows into domain values or names the row and column it refuses.

pub mod attendance;
pub mod columns;
pub mod people;
pub mod sheet;

/// How many refused cells a refusal lists (the CLI's output, the import page); the rest are
/// counted, so that a file with thousands of bad rows gives a readable answer.
pub const LISTED_REFUSALS: usize = 100;
