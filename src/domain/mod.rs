//! Pure domain logic: no web, database or mail imports. Newtypes whose `parse` is the only way in.

pub mod account;
pub mod calendar;
pub mod catalog;
pub mod certification;
pub mod control;
pub mod corrective_action;
pub mod duties;
pub mod evidence;
pub mod field_errors;
pub mod incident;
pub mod lang;
pub mod outbox;
pub mod people;
pub mod pms_structure;
pub mod pms_year;
pub mod reminders;
pub mod renewal;
pub mod retry;
pub mod role;
pub mod term;
pub mod text;
pub mod training;
pub mod training_follow_up;

pub use account::{DisplayName, EmailAddress, NewPassword, OrganisationName, UploadName};
pub use field_errors::FieldErrors;
pub use lang::Lang;
pub use role::Role;
