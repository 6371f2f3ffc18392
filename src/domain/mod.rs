//! Pure domain logic: no web, database or mail imports. Newtypes whose `parse` is the only way in.

pub mod account;
pub mod field_errors;
pub mod lang;
pub mod role;

pub use account::{DisplayName, EmailAddress, NewPassword, OrganisationName};
pub use field_errors::FieldErrors;
pub use lang::Lang;
pub use role::Role;
