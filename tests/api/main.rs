//! The integration test binary: the real application over HTTP, one fresh database per test.

mod account;
mod assess;
mod audit_trail;
mod auth;
mod certification;
mod cli;
mod controls;
mod corrective_actions;
mod csrf;
mod duties;
mod evidence;
mod health;
mod helpers;
mod incident_reminders;
mod incidents;
mod mail;
mod members;
mod organisations;
mod outbox;
mod query_counts;
mod reminders;
mod review_fixes;
mod role_matrix;
mod setup;
mod shutdown;
mod smtp;
