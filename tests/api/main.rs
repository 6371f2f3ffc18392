//! The integration test binary: the real application over HTTP, one fresh database per test.

mod account;
mod audit_trail;
mod auth;
mod cli;
mod csrf;
mod health;
mod helpers;
mod members;
mod organisations;
mod role_matrix;
mod setup;
mod shutdown;
