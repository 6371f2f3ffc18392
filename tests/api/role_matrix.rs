//! Every role against every route of the foundation, as a table.

use pmark::domain::Role;
use reqwest::{Client, StatusCode};

use crate::helpers::{TestApp, new_client, spawn_app};

const OK: u16 = 200;
const REDIRECT: u16 = 303;
const FORBIDDEN: u16 = 403;
const NOT_FOUND: u16 = 404;

/// Who asks, in the order of the expectation columns.
const WHO: [&str; 6] = ["admin", "officer", "auditor", "viewer", "outsider", "anonymous"];

struct Case {
    method: &'static str,
    path: String,
    fields: Vec<(&'static str, String)>,
    /// Expected status per `WHO`.
    expect: [u16; 6],
}

async fn request(app: &TestApp, client: &Client, case: &Case) -> StatusCode {
    if case.method == "GET" {
        app.get(client, &case.path).await.status()
    } else {
        let fields: Vec<(&str, &str)> = case.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post_form(client, &case.path, &fields).await.status()
    }
}

#[tokio::test]
async fn each_role_gets_exactly_what_it_may_on_every_route() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let auditor = app.add_member(Some(org), Role::Auditor, "auditor@example.jp").await;
    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    let target = app.add_member(Some(org), Role::Viewer, "target@example.jp").await;
    let (_, outsider) = app.add_organisation("他社株式会社", "outsider@example.jp").await;
    let anonymous = new_client();

    let members = pmark::store::organisations::members(&app.db, org).await.unwrap();
    let target_membership = members.iter().find(|m| m.user.id == target.user_id).unwrap().membership_id;
    let invite = app
        .post_form(&app.client, &format!("/orgs/{org}/invitations"), &[("email", "new@example.jp"), ("role", "viewer")])
        .await;
    assert_eq!(invite.status(), StatusCode::SEE_OTHER);
    let invitation = pmark::store::invitations::pending(&app.db, org, chrono::Utc::now()).await.unwrap()[0].id;

    let get = |path: String, expect| Case { method: "GET", path, fields: vec![], expect };
    let post =
        |path: String, fields: Vec<(&'static str, String)>, expect| Case { method: "POST", path, fields, expect };
    let cases = vec![
        get(format!("/orgs/{org}"), [OK, OK, OK, OK, NOT_FOUND, REDIRECT]),
        get(format!("/orgs/{org}/members"), [OK, OK, OK, OK, NOT_FOUND, REDIRECT]),
        get(format!("/orgs/{org}/settings"), [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT]),
        get(format!("/orgs/{org}/audit"), [OK, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, REDIRECT]),
        get(format!("/orgs/{org}/audit?page=2"), [OK, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, REDIRECT]),
        get("/account".into(), [OK, OK, OK, OK, OK, REDIRECT]),
        get("/orgs/new".into(), [OK, OK, OK, OK, OK, REDIRECT]),
        post(
            format!("/orgs/{org}/settings"),
            vec![("name", "株式会社ジモス検証".into()), ("pms_year_start_month", "4".into())],
            [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT],
        ),
        post(
            format!("/orgs/{org}/invitations"),
            vec![("email", "someone@example.jp".into()), ("role", "viewer".into())],
            [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT],
        ),
        post(
            format!("/orgs/{org}/members/{target_membership}/role"),
            vec![("role", "viewer".into())],
            [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT],
        ),
        post(
            format!("/orgs/{org}/invitations/{invitation}/revoke"),
            vec![],
            [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT],
        ),
        post(
            format!("/orgs/{org}/members/{target_membership}/remove"),
            vec![],
            [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT],
        ),
    ];

    // Admin last, so that its successful removals and revocations do not change the others' answers.
    let clients: [(&str, &Client); 6] = [
        ("officer", &officer.client),
        ("auditor", &auditor.client),
        ("viewer", &viewer.client),
        ("outsider", &outsider.client),
        ("anonymous", &anonymous),
        ("admin", &app.client),
    ];
    let mut failures = Vec::new();
    for case in &cases {
        for (who, client) in clients {
            let column = WHO.iter().position(|w| *w == who).unwrap();
            let status = request(&app, client, case).await.as_u16();
            if status != case.expect[column] {
                failures.push(format!(
                    "{who} {} {}: got {status}, expected {}",
                    case.method, case.path, case.expect[column]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "role matrix mismatches:\n{}", failures.join("\n"));
}
