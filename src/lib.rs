//! pmark: a self-hosted Privacy Mark (JIS Q 15001) compliance tracker.

pub mod cli;
pub mod clock;
pub mod domain;
pub mod entities;
pub mod i18n;
pub mod import;
pub mod jobs;
pub mod mail;
pub mod report;
pub mod security;
pub mod settings;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod view;
pub mod web;

/// The version shown in the footer and `/healthz`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
