//! Lists an organisation already keeps in spreadsheets, read in: the sheet reader, and one module
//! per kind of list that turns rows into domain values or names the row and column it refuses.

pub mod attendance;
pub mod people;
pub mod sheet;
