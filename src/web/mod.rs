//! The web layer: routes, middleware and one module per resource.

pub mod account;
pub mod api;
pub mod assets;
pub mod audit_trail;
pub mod auth;
pub mod cached;
pub mod catalog;
pub mod certification;
pub mod controls;
pub mod corrective_actions;
pub mod csrf;
pub mod dashboard;
pub mod deadline;
pub mod duties;
pub mod error;
pub mod error_pages;
pub mod evidence;
pub mod forms;
pub mod headers;
pub mod health;
pub mod history;
pub mod home;
pub mod incidents;
pub mod invitations;
pub mod language;
pub mod list;
pub mod mail;
pub mod members;
pub mod organisations;
pub mod page;
pub mod people;
pub mod pms_structure;
pub mod report;
pub mod routes;
pub mod session;
pub mod setup;
pub mod state;
pub mod trainings;
pub mod viewer;

use actix_web::web;

/// Every route of the application, resource by resource, with the access each needs.
/// To add a page: write the handler in its resource's module and add a line to that module's
/// `routes` (the access level is part of the line; see `web::routes`).
pub fn route_table() -> routes::Routes {
    let mut r = routes::Routes::default();
    for add in [
        health::routes,
        assets::routes,
        home::routes,
        setup::routes,
        auth::routes,
        language::routes,
        account::routes,
        catalog::routes,
        api::routes,
        invitations::routes,
        organisations::routes,
        dashboard::routes,
        controls::routes,
        evidence::routes,
        duties::routes,
        members::routes,
        audit_trail::routes,
        mail::routes,
        certification::routes,
        incidents::routes,
        corrective_actions::routes,
        people::routes,
        trainings::routes,
        report::routes,
    ] {
        add(&mut r);
    }
    r
}

/// Registers every route (see `route_table`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    route_table().register(cfg);
}

/// Percent-encodes a string for a query parameter.
pub fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)]).map(|s| s[1..].to_owned()).unwrap_or_default()
}

/// A local path to return to after a form, or `/`: never another site (no open redirect).
/// Browsers drop tabs and newlines from URLs and read `\\` as `/`, so any of those refuses it.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if ok { next.to_owned() } else { "/".to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_stay_on_this_site() {
        assert_eq!(safe_next("/orgs/1?x=2"), "/orgs/1?x=2");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
            "orgs/1",
            "/\t/evil.example",
            "/ /evil",
            "/a\\b",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
    }

    #[test]
    fn urlencode_escapes_query_characters() {
        assert_eq!(urlencode("/orgs/1?a=b&c"), "%2Forgs%2F1%3Fa%3Db%26c");
    }
}
