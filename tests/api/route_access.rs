//! The one role matrix: every route of the application with the access it needs. A route added
//! without a row here fails `every_route_has_a_row_in_the_role_matrix`; a row whose access differs
//! from the route's registration fails it too. `the_access_check_refuses_before_any_handler_runs`
//! then asks every route, as every role, and checks the refusals: signed out → sign-in page,
//! outsider → 404, a role without the right → 403. (What each allowed role then gets is tested by
//! the tables in `role_matrix.rs`, `incidents.rs` and `corrective_actions.rs`, with real records.)

use pmark::domain::Role;
use pmark::web::routes::Access;
use pmark::web::viewer::Need;
use reqwest::StatusCode;

use crate::helpers::{location, new_client, spawn_app};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum May {
    Anyone,
    SignedIn,
    /// Every member of the organisation.
    Members,
    /// Admins and officers.
    Editors,
    /// Admins.
    Admins,
    /// Admins and auditors.
    AuditTrail,
}

impl May {
    fn of(access: Access) -> Self {
        match access {
            Access::Anyone => May::Anyone,
            Access::SignedIn => May::SignedIn,
            Access::Member(Need::Read) => May::Members,
            Access::Member(Need::Edit) => May::Editors,
            Access::Member(Need::Manage) => May::Admins,
            Access::Member(Need::AuditTrail) => May::AuditTrail,
        }
    }

    fn allows(self, role: Role) -> bool {
        match self {
            May::Anyone | May::SignedIn | May::Members => true,
            May::Editors => matches!(role, Role::Admin | Role::Officer),
            May::Admins => role == Role::Admin,
            May::AuditTrail => matches!(role, Role::Admin | Role::Auditor),
        }
    }
}

use May::*;

/// The role matrix: method, route, who may use it.
const MATRIX: &[(&str, &str, May)] = &[
    ("GET", "/healthz", Anyone),
    ("GET", "/static/{name}", Anyone),
    ("GET", "/", Anyone),
    ("GET", "/setup", Anyone),
    ("POST", "/setup", Anyone),
    ("GET", "/login", Anyone),
    ("POST", "/login", Anyone),
    ("POST", "/logout", Anyone),
    ("POST", "/lang", Anyone),
    ("GET", "/account", SignedIn),
    ("POST", "/account/profile", SignedIn),
    ("POST", "/account/password", SignedIn),
    ("POST", "/account/reminders", SignedIn),
    // Signed-in admins of any organisation (checked by the handler: role_matrix.rs).
    ("GET", "/catalog", SignedIn),
    // JSON errors (401, 403) from the handler itself: assess.rs.
    ("POST", "/api/v1/assess", Anyone),
    ("GET", "/invitations/{token}", Anyone),
    ("POST", "/invitations/{token}", Anyone),
    ("GET", "/orgs/new", SignedIn),
    ("POST", "/orgs/new", SignedIn),
    ("GET", "/orgs/{org}/settings", Admins),
    ("POST", "/orgs/{org}/settings", Admins),
    ("GET", "/orgs/{org}", Members),
    ("GET", "/orgs/{org}/controls", Members),
    ("GET", "/orgs/{org}/controls/{control}", Members),
    ("POST", "/orgs/{org}/controls/{control}", Editors),
    ("POST", "/orgs/{org}/controls/{control}/evidence", Editors),
    ("GET", "/orgs/{org}/evidence/{evidence}/download", Members),
    ("GET", "/orgs/{org}/duties", Members),
    ("POST", "/orgs/{org}/duties", Editors),
    ("POST", "/orgs/{org}/duties/{duty}", Editors),
    ("GET", "/orgs/{org}/duties/{duty}/{year}/{slot}", Members),
    ("POST", "/orgs/{org}/duties/{duty}/{year}/{slot}", Editors),
    ("POST", "/orgs/{org}/duties/{duty}/{year}/{slot}/evidence", Editors),
    ("GET", "/orgs/{org}/members", Members),
    ("POST", "/orgs/{org}/members/{membership}/role", Admins),
    ("POST", "/orgs/{org}/members/{membership}/remove", Admins),
    ("POST", "/orgs/{org}/invitations", Admins),
    ("POST", "/orgs/{org}/invitations/{invitation}/revoke", Admins),
    ("GET", "/orgs/{org}/audit", AuditTrail),
    ("GET", "/orgs/{org}/mail", Admins),
    ("POST", "/orgs/{org}/mail/recipients", Admins),
    ("POST", "/orgs/{org}/mail/recipients/{id}/remove", Admins),
    ("POST", "/orgs/{org}/mail/test", Admins),
    ("POST", "/orgs/{org}/mail/outbox/{id}/retry", Admins),
    ("GET", "/orgs/{org}/certification", Members),
    ("POST", "/orgs/{org}/certification", Editors),
    ("POST", "/orgs/{org}/certification/renewed", Editors),
    ("GET", "/orgs/{org}/incidents", Members),
    ("POST", "/orgs/{org}/incidents", Editors),
    ("GET", "/orgs/{org}/incidents/new", Editors),
    ("GET", "/orgs/{org}/incidents/{incident}", Members),
    ("POST", "/orgs/{org}/incidents/{incident}", Editors),
    ("GET", "/orgs/{org}/incidents/{incident}/edit", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/reports/{track}", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/reviews/{review}", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/timeline", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/status", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/evidence", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/actions", Editors),
    ("GET", "/orgs/{org}/corrective-actions", Members),
    ("GET", "/orgs/{org}/corrective-actions/{action}", Members),
    ("POST", "/orgs/{org}/corrective-actions/{action}/complete", Editors),
    ("POST", "/orgs/{org}/corrective-actions/{action}/evidence", Editors),
    ("GET", "/orgs/{org}/report", Members),
    ("GET", "/orgs/{org}/report.xlsx", Members),
    ("GET", "/orgs/{org}/report.pdf", Members),
    ("GET", "/orgs/{org}/report/csv/{section}", Members),
];

#[test]
fn every_route_has_a_row_in_the_role_matrix() {
    let routes = pmark::web::route_table().describe();
    let mut problems = Vec::new();
    // The GET of a POST-only address (a 303 back to its page) needs what its POST needs.
    for back in routes.iter().filter(|r| r.back_to.is_some()) {
        if !MATRIX.iter().any(|(m, p, may)| *m == "POST" && *p == back.path && *may == May::of(back.access)) {
            problems.push(format!("GET {} (back to its page): no POST row with the same access", back.path));
        }
    }
    let registered: Vec<(String, String, May)> = routes
        .into_iter()
        .filter(|r| r.back_to.is_none())
        .map(|r| (r.method.to_string(), r.path, May::of(r.access)))
        .collect();
    for (method, path, may) in &registered {
        match MATRIX.iter().find(|(m, p, _)| m == method && p == path) {
            None => problems.push(format!("{method} {path}: no row in the role matrix")),
            Some((_, _, row)) if row != may => {
                problems.push(format!("{method} {path}: registered for {may:?}, the matrix says {row:?}"));
            }
            Some(_) => {}
        }
    }
    for (method, path, _) in MATRIX {
        if !registered.iter().any(|(m, p, _)| m == method && p == path) {
            problems.push(format!("{method} {path}: in the matrix but not registered"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `pattern` with `{org}` as `org` and every other placeholder as an id nobody has.
fn concrete(pattern: &str, org: i32) -> String {
    pattern
        .split('/')
        .map(|part| match part {
            "{org}" => org.to_string(),
            p if p.starts_with('{') => "999999".to_owned(),
            p => p.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn the_access_check_refuses_before_any_handler_runs() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let auditor = app.add_member(Some(org), Role::Auditor, "auditor@example.jp").await;
    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    let (_, outsider) = app.add_organisation("他社株式会社", "outsider@example.jp").await;
    let anonymous = new_client();
    let members = [(Role::Officer, &officer.client), (Role::Auditor, &auditor.client), (Role::Viewer, &viewer.client)];

    let mut problems = Vec::new();
    let mut checked = 0;
    let backs: Vec<(&str, String, May)> = pmark::web::route_table()
        .describe()
        .into_iter()
        .filter(|r| r.back_to.is_some())
        .map(|r| ("GET", r.path, May::of(r.access)))
        .collect();
    let rows = MATRIX.iter().map(|(m, p, may)| (*m, (*p).to_owned(), *may)).chain(backs);
    for (method, pattern, may) in rows {
        let (method, pattern, may) = (&method, pattern.as_str(), &may);
        if *may == Anyone {
            continue;
        }
        let path = concrete(pattern, org);
        let ask = |client| {
            let (app, path) = (&app, path.clone());
            async move {
                if *method == "GET" { app.get(client, &path).await } else { app.post_form(client, &path, &[]).await }
            }
        };
        let signed_out = ask(&anonymous).await;
        if signed_out.status() != StatusCode::SEE_OTHER || !location(&signed_out).starts_with("/login") {
            problems.push(format!("signed out {method} {path}: {}", signed_out.status()));
        }
        checked += 1;
        if *may == SignedIn {
            continue;
        }
        let status = ask(&outsider.client).await.status();
        if status != StatusCode::NOT_FOUND {
            problems.push(format!("outsider {method} {path}: {status}, expected 404"));
        }
        for (role, client) in members {
            let status = ask(client).await.status();
            let refused = status == StatusCode::FORBIDDEN;
            if refused == may.allows(role) {
                problems.push(format!("{role:?} {method} {path}: {status} ({may:?})"));
            }
        }
    }
    assert!(checked > 50, "the matrix lost its rows: {checked}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
