//! The browser test binary: a real headless Chromium, driven through chromedriver, clicks through
//! the real application. Slower than `tests/api` and needs Debian's `chromium` and
//! `chromium-driver`, so `cargo nextest run` leaves it out; `cargo nextest run --profile browser`
//! runs it. Each test has its own application, database, chromedriver and browser.

// The application as `tests/api` spawns it; this binary uses only part of those helpers.
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod app;

mod audit;
mod helpers;
mod incidents;
mod language;
mod login;
mod phone;
mod renewal;
mod report;
mod setup;
mod training;
