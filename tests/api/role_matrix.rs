//! Every role against every route, as tables: the foundation's routes and the PMS routes.

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
    /// A multipart body instead of `fields`.
    multipart: Option<fn() -> reqwest::multipart::Form>,
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

    let actor = pmark::store::audit::Actor::command_line();
    let address = pmark::domain::EmailAddress::parse("extra@example.jp").unwrap();
    pmark::store::reminder_recipients::add(&app.db, &actor, org, &address, pmark::domain::Lang::Ja).await.unwrap();
    let recipient = pmark::store::reminder_recipients::list(&app.db, org).await.unwrap()[0].id;
    let failed_row = crate::outbox::failed_row(&app, org).await;

    let get = |path: String, expect| Case { method: "GET", path, fields: vec![], multipart: None, expect };
    let post = |path: String, fields: Vec<(&'static str, String)>, expect| Case {
        method: "POST",
        path,
        fields,
        multipart: None,
        expect,
    };
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
        get(format!("/orgs/{org}/mail"), [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT]),
        get(format!("/orgs/{org}/mail?state=failed"), [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT]),
        post(
            format!("/orgs/{org}/mail/recipients"),
            vec![("email", "more@example.jp".into()), ("lang", "en".into())],
            [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT],
        ),
        post(
            format!("/orgs/{org}/mail/recipients/{recipient}/remove"),
            vec![],
            [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT],
        ),
        post(
            format!("/orgs/{org}/mail/test"),
            vec![],
            [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT],
        ),
        post(
            format!("/orgs/{org}/mail/outbox/{failed_row}/retry"),
            vec![],
            [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT],
        ),
        post(
            "/account/reminders".into(),
            vec![("organisation_id", org.to_string()), ("opt_out", "true".into())],
            [REDIRECT, REDIRECT, REDIRECT, REDIRECT, NOT_FOUND, REDIRECT],
        ),
    ];

    let clients = [&officer.client, &auditor.client, &viewer.client, &outsider.client, &anonymous, &app.client];
    run(&app, &cases, clients).await;
}

/// Runs every case for every client: officer, auditor, viewer, outsider, anonymous, and the admin
/// last, so that its successful removals and revocations do not change the others' answers.
async fn run(app: &TestApp, cases: &[Case], clients: [&Client; 6]) {
    let order = ["officer", "auditor", "viewer", "outsider", "anonymous", "admin"];
    let mut failures = Vec::new();
    for case in cases {
        for (who, client) in order.into_iter().zip(clients) {
            let column = WHO.iter().position(|w| *w == who).unwrap();
            let status = match &case.multipart {
                Some(make) => app.post_multipart(client, &case.path, make()).await.status(),
                None => request(app, client, case).await,
            }
            .as_u16();
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

fn upload() -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("kind", "link")
        .text("description", "規程")
        .text("effective_on", "2026-04-01")
        .text("url", "https://example.jp/rule")
}

#[tokio::test]
async fn each_role_gets_exactly_what_it_may_on_every_pms_route() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let auditor = app.add_member(Some(org), Role::Auditor, "auditor@example.jp").await;
    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    let (_, outsider) = app.add_organisation("他社株式会社", "outsider@example.jp").await;
    let anonymous = new_client();

    let control = format!("/orgs/{org}/controls/A.3.3.1");
    assert_eq!(
        app.post_multipart(&app.client, &format!("{control}/evidence"), upload()).await.status(),
        StatusCode::SEE_OTHER
    );
    let control_row = pmark::store::controls::find(&app.db, org, "JIS Q 15001:2017", "A.3.3.1").await.unwrap().unwrap();
    let evidence =
        pmark::store::evidence::list_for(&app.db, org, pmark::store::evidence::Subject::Control(control_row.id))
            .await
            .unwrap()[0]
            .id;
    let duties = pmark::store::duties::list(&app.db, org).await.unwrap();
    let training = duties.iter().find(|d| d.builtin_key.as_deref() == Some("training")).unwrap().id;
    let review = duties.iter().find(|d| d.builtin_key.as_deref() == Some("management_review")).unwrap().id;
    let record = pmark::store::duties::NewRecord {
        performed_on: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        performed_by: "x".into(),
        summary: "x".into(),
        ..Default::default()
    };
    pmark::store::duties::record(&app.db, &pmark::store::audit::Actor::command_line(), &duties[0], 2025, 0, &record)
        .await
        .unwrap();
    let recorded = format!("/orgs/{org}/duties/{}/2025/0", duties[0].id);
    let version = control_row.lock_version.to_string();

    let get = |path: String, expect| Case { method: "GET", path, fields: vec![], multipart: None, expect };
    let post = |path: String, fields: Vec<(&'static str, String)>, expect| Case {
        method: "POST",
        path,
        fields,
        multipart: None,
        expect,
    };
    let multipart =
        |path: String, expect| Case { method: "POST", path, fields: vec![], multipart: Some(upload), expect };
    let edit = [REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT];
    let read = [OK, OK, OK, OK, NOT_FOUND, REDIRECT];
    let cases = vec![
        get(format!("/orgs/{org}/controls"), read),
        get(format!("/orgs/{org}/controls?status=implemented&review=overdue"), read),
        get(control.clone(), read),
        get(format!("/orgs/{org}/duties"), read),
        get(format!("/orgs/{org}/duties?year=2025"), read),
        get(recorded.clone(), read),
        get(format!("/orgs/{org}/duties/{training}/2025/0"), read),
        // A link has no file to download: 404 for members too.
        get(
            format!("/orgs/{org}/evidence/{evidence}/download"),
            [NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, REDIRECT],
        ),
        get("/catalog".into(), [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, REDIRECT]),
        post(
            control.clone(),
            vec![("lock_version", version.clone()), ("applicable", "yes".into()), ("status", "in_progress".into())],
            [409, REDIRECT, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT],
        ),
        // (The officer, asked first, saves; the admin then holds a stale version: 409.)
        multipart(format!("{control}/evidence"), edit),
        multipart(format!("{recorded}/evidence"), edit),
        post(
            format!("/orgs/{org}/duties"),
            vec![
                ("name", "独自".into()),
                ("control_id", "A.3.3.1".into()),
                ("frequency", "yearly".into()),
                ("due_month", "5".into()),
            ],
            edit,
        ),
        post(format!("/orgs/{org}/duties/{training}"), vec![("enabled", "on".into()), ("due_month", "9".into())], edit),
        post(
            format!("/orgs/{org}/duties/{review}/2025/0"),
            vec![
                ("performed_on", "2026-02-10".into()),
                ("performed_by", "社長".into()),
                ("summary", "レビュー".into()),
                ("decisions", "継続".into()),
            ],
            edit,
        ),
    ];
    let clients = [&officer.client, &auditor.client, &viewer.client, &outsider.client, &anonymous, &app.client];
    run(&app, &cases, clients).await;
}
