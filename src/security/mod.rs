//! Passwords and random tokens.

pub mod password;
pub mod tokens;
