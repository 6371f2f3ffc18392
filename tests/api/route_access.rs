//! The one role matrix: every route of the application with who may use it. A route added
//! without a row here fails `every_route_has_a_row_in_the_role_matrix`; a row whose access differs
//! from the route's registration fails it too. `the_access_check_refuses_before_any_handler_runs`
//! then asks every route, as every role, and checks the refusals: signed out → sign-in page,
//! outsider → 404, a role without the right → 403.
//! `each_role_gets_exactly_what_it_may_with_real_records` asks the routes again with real records
//! and valid forms (the probes below): an allowed role gets the page or the redirect of a saved
//! form, a refused one gets its refusal, and a refused request changes nothing in the database.

use pmark::domain::Role;
use pmark::web::routes::Access;
use pmark::web::viewer::Need;
use reqwest::{Client, Response, StatusCode};
use sea_orm::{EntityTrait, JsonValue};

use crate::helpers::{TestApp, location, new_client, spawn_app};
use crate::incidents::{jimos, record};

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
    /// Registered for anyone signed in; the handler then admits the admins of any organisation.
    AnyAdmin,
    /// Registered for anyone signed in; the organisation named in the form must be one of theirs
    /// (another organisation's id: 404).
    OwnOrganisations,
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

    /// The access the route is registered with (the handler may check more).
    fn registered(self) -> Self {
        match self {
            May::AnyAdmin | May::OwnOrganisations => May::SignedIn,
            may => may,
        }
    }

    /// Whether a member of the organisation with `role` may.
    fn allows(self, role: Role) -> bool {
        match self {
            May::Anyone | May::SignedIn | May::Members | May::OwnOrganisations => true,
            May::Editors => matches!(role, Role::Admin | Role::Officer),
            May::Admins | May::AnyAdmin => role == Role::Admin,
            May::AuditTrail => matches!(role, Role::Admin | Role::Auditor),
        }
    }

    /// The status `asker` is refused with, or `None` when it may.
    fn refusal(self, asker: Asker) -> Option<StatusCode> {
        match asker {
            Asker::SignedOut => (self != May::Anyone).then_some(StatusCode::SEE_OTHER),
            // An admin of another organisation.
            Asker::Outsider => match self {
                May::Anyone | May::SignedIn | May::AnyAdmin => None,
                _ => Some(StatusCode::NOT_FOUND),
            },
            Asker::Member(role) => (!self.allows(role)).then_some(StatusCode::FORBIDDEN),
        }
    }
}

/// Who asks.
#[derive(Debug, Clone, Copy)]
enum Asker {
    Member(Role),
    /// The admin of another organisation.
    Outsider,
    SignedOut,
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
    ("POST", "/account/reminders", OwnOrganisations),
    ("GET", "/catalog", AnyAdmin),
    // JSON errors (401, 403) from the handler itself: assess.rs.
    ("POST", "/api/v1/assess", Anyone),
    ("GET", "/invitations/{token}", Anyone),
    ("POST", "/invitations/{token}", Anyone),
    ("GET", "/orgs/new", SignedIn),
    ("POST", "/orgs/new", SignedIn),
    ("GET", "/orgs/{org}/settings", Admins),
    ("POST", "/orgs/{org}/settings", Admins),
    ("POST", "/orgs/{org}/pms-structure", Admins),
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
    ("POST", "/orgs/{org}/duties/{duty}/{year}/{slot}/correct", Editors),
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
    ("POST", "/orgs/{org}/certification/renewed/undo", Admins),
    ("GET", "/orgs/{org}/incidents", Members),
    ("POST", "/orgs/{org}/incidents", Editors),
    ("GET", "/orgs/{org}/incidents/new", Editors),
    ("GET", "/orgs/{org}/incidents/{incident}", Members),
    ("POST", "/orgs/{org}/incidents/{incident}", Editors),
    ("GET", "/orgs/{org}/incidents/{incident}/edit", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/filings/{track}", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/checks/{check}", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/timeline", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/status", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/evidence", Editors),
    ("POST", "/orgs/{org}/incidents/{incident}/actions", Editors),
    ("GET", "/orgs/{org}/people", Members),
    ("GET", "/orgs/{org}/people/import", Editors),
    ("POST", "/orgs/{org}/people/import", Editors),
    ("POST", "/orgs/{org}/people/import/apply", Editors),
    ("GET", "/orgs/{org}/people/{person}", Members),
    ("GET", "/orgs/{org}/trainings", Members),
    ("POST", "/orgs/{org}/trainings", Editors),
    ("GET", "/orgs/{org}/trainings/{training}", Members),
    ("POST", "/orgs/{org}/trainings/{training}/attendances", Editors),
    ("POST", "/orgs/{org}/trainings/{training}/follow-ups", Editors),
    ("POST", "/orgs/{org}/trainings/{training}/evidence", Editors),
    ("GET", "/orgs/{org}/corrective-actions", Members),
    ("GET", "/orgs/{org}/corrective-actions/{action}", Members),
    ("POST", "/orgs/{org}/corrective-actions/{action}/complete", Editors),
    ("POST", "/orgs/{org}/corrective-actions/{action}/correct", Editors),
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
        if !MATRIX.iter().any(|(m, p, may)| *m == "POST" && *p == back.path && may.registered() == May::of(back.access))
        {
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
            Some((_, _, row)) if row.registered() != *may => {
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
        if may.registered() == SignedIn {
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

/// One request of a matrix row with real records and a valid form.
struct Probe {
    /// The matrix row asked: its method and pattern.
    row: (&'static str, &'static str),
    path: String,
    body: Body,
    /// What an allowed asker gets.
    ok: u16,
    /// What an allowed asker gets once another one has done it (a decided check, a completed
    /// action, a save from a stale version).
    again: Option<u16>,
    /// Whether an allowed request changes the database (a dry run does not).
    writes: bool,
}

enum Body {
    Empty,
    Form(Vec<(&'static str, String)>),
    /// The form with the incident's current `lock_version` added, read before each request.
    IncidentForm(Vec<(&'static str, String)>, i32),
    Multipart(fn() -> reqwest::multipart::Form),
}

impl Probe {
    fn get(pattern: &'static str, path: String) -> Self {
        Probe { row: ("GET", pattern), path, body: Body::Empty, ok: 200, again: None, writes: true }
    }

    fn post(pattern: &'static str, path: String, fields: Vec<(&'static str, String)>) -> Self {
        Probe { row: ("POST", pattern), path, body: Body::Form(fields), ok: 303, again: None, writes: true }
    }

    fn upload(pattern: &'static str, path: String, form: fn() -> reqwest::multipart::Form) -> Self {
        Probe { row: ("POST", pattern), path, body: Body::Multipart(form), ok: 303, again: None, writes: true }
    }

    fn answering(self, ok: u16) -> Self {
        Probe { ok, ..self }
    }

    /// A POST that must write nothing, whoever sends it (a dry run).
    fn writing_nothing(self) -> Self {
        Probe { writes: false, ..self }
    }

    fn then(self, again: u16) -> Self {
        Probe { again: Some(again), ..self }
    }

    async fn ask(&self, app: &TestApp, org: i32, client: &Client) -> Response {
        let form = |fields: &[(&'static str, String)]| fields.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
        let fields = match &self.body {
            Body::Empty if self.row.0 == "GET" => return app.get(client, &self.path).await,
            Body::Empty => vec![],
            Body::Form(fields) => form(fields),
            Body::IncidentForm(fields, id) => {
                let current = pmark::store::incidents::find(&app.db, org, *id).await.unwrap().unwrap().lock_version;
                let mut fields = form(fields);
                fields.push(("lock_version", current.to_string()));
                fields
            }
            Body::Multipart(make) => return app.post_multipart(client, &self.path, make()).await,
        };
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post_form(client, &self.path, &fields).await
    }
}

/// Everything the application keeps about organisations, people and records (not the sessions
/// or the sign-in throttle), each table's rows sorted, to compare before and after a request.
async fn contents(app: &TestApp) -> Vec<Vec<String>> {
    use pmark::entities::*;
    async fn rows<E: EntityTrait>(app: &TestApp) -> Vec<String> {
        let rows: Vec<JsonValue> = E::find().into_json().all(&app.db).await.unwrap();
        let mut rows: Vec<String> = rows.iter().map(JsonValue::to_string).collect();
        rows.sort();
        rows
    }
    vec![
        rows::<audit_event::Entity>(app).await,
        rows::<certification::Entity>(app).await,
        rows::<control_check::Entity>(app).await,
        rows::<corrective_action::Entity>(app).await,
        rows::<department::Entity>(app).await,
        rows::<duty::Entity>(app).await,
        rows::<duty_record::Entity>(app).await,
        rows::<evidence::Entity>(app).await,
        rows::<incident::Entity>(app).await,
        rows::<incident_filing::Entity>(app).await,
        rows::<incident_timeline::Entity>(app).await,
        rows::<invitation::Entity>(app).await,
        rows::<membership::Entity>(app).await,
        rows::<organisation::Entity>(app).await,
        rows::<organisation_control::Entity>(app).await,
        rows::<outbox::Entity>(app).await,
        rows::<person::Entity>(app).await,
        rows::<reminder_recipient::Entity>(app).await,
        rows::<training::Entity>(app).await,
        rows::<training_attendance::Entity>(app).await,
        rows::<user::Entity>(app).await,
    ]
}

fn link(description: &'static str, attach_to: Option<&'static str>) -> reqwest::multipart::Form {
    let form = reqwest::multipart::Form::new()
        .text("kind", "link")
        .text("description", description)
        .text("effective_on", "2019-08-01")
        .text("url", "https://example.jp/rule");
    match attach_to {
        Some(target) => form.text("attach_to", target),
        None => form,
    }
}

#[tokio::test]
async fn each_role_gets_exactly_what_it_may_with_real_records() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let auditor = app.add_member(Some(org), Role::Auditor, "auditor@example.jp").await;
    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    let target = app.add_member(Some(org), Role::Viewer, "target@example.jp").await;
    let (_, outsider) = app.add_organisation("他社株式会社", "outsider@example.jp").await;
    let anonymous = new_client();
    let (db, actor) = (&app.db, pmark::store::audit::Actor::command_line());

    // The records the routes are asked about.
    let members = pmark::store::organisations::members(db, org).await.unwrap();
    let admin_id = members.iter().find(|m| m.user.email == "admin@example.jp").unwrap().user.id;
    let target_membership = members.iter().find(|m| m.user.id == target.user_id).unwrap().membership_id;
    let invite = [("email", "new@example.jp"), ("role", "viewer")];
    assert_eq!(app.post_form(&app.client, &format!("/orgs/{org}/invitations"), &invite).await.status(), 303);
    let invitation = pmark::store::invitations::pending(db, org, chrono::Utc::now()).await.unwrap()[0].id;
    let address = pmark::domain::EmailAddress::parse("extra@example.jp").unwrap();
    pmark::store::reminder_recipients::add(db, &actor, org, &address, pmark::domain::Lang::Ja).await.unwrap();
    let recipient = pmark::store::reminder_recipients::list(db, org).await.unwrap()[0].id;
    let failed_row = crate::outbox::failed_row(&app, org).await;

    let control = format!("/orgs/{org}/controls/A.3.3.1");
    let uploaded = app.post_multipart(&app.client, &format!("{control}/evidence"), link("規程", None)).await;
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);
    let control_row = pmark::store::controls::find(db, org, "JIS Q 15001:2017", "A.3.3.1").await.unwrap().unwrap();
    let subject = pmark::store::evidence::Subject::Control(control_row.id);
    let evidence = pmark::store::evidence::list_for(db, org, subject).await.unwrap()[0].id;
    let duties = pmark::store::duties::list(db, org).await.unwrap();
    let training = duties.iter().find(|d| d.builtin_key.as_deref() == Some("training")).unwrap().id;
    let review_duty = duties.iter().find(|d| d.builtin_key.as_deref() == Some("management_review")).unwrap().id;
    let done = pmark::store::duties::NewRecord {
        performed_on: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        performed_by: "x".into(),
        summary: "x".into(),
        ..Default::default()
    };
    pmark::store::duties::record(db, &actor, &duties[0], 2025, 0, &done).await.unwrap();
    let recorded = format!("/orgs/{org}/duties/{}/2025/0", duties[0].id);

    let incident = record(&app, org, &jimos()).await;
    let check = pmark::store::incidents::checks_of_incident(db, incident).await.unwrap()[0].id;
    let owner = admin_id.to_string();
    let raise = [("title", "WAF"), ("owner", owner.as_str()), ("due_on", "2019-12-31")];
    let raised = app.post_form(&app.client, &format!("/orgs/{org}/incidents/{incident}/actions"), &raise).await;
    assert_eq!(raised.status(), StatusCode::SEE_OTHER);
    let action = pmark::store::corrective_actions::of_incident(db, org, incident).await.unwrap()[0].id;

    // Z, with an address and never trained, is who the follow-up notices go to.
    let list = "\u{feff}社員番号,氏名,メールアドレス\n0001,A,\n0009,Z,z@example.jp\n";
    let sheet = pmark::import::sheet::read(list.as_bytes()).unwrap();
    let read = pmark::import::people::read(&sheet).unwrap();
    let plan = pmark::store::people::plan_import(db, org, &read.rows, &read.present, false).await.unwrap();
    pmark::store::people::apply_import(db, &actor, org, &plan, chrono::Utc::now().date_naive()).await.unwrap();
    let person = pmark::store::people::page(
        db,
        org,
        &pmark::store::people::PersonFilter::default(),
        chrono::Utc::now().date_naive(),
        pmark::store::paging::PageRequest {
            page: 1,
            per: 10,
            sort: pmark::store::people::PersonSort::Kana,
            descending: false,
        },
    )
    .await
    .unwrap()
    .rows[0]
        .id;

    let plan_id = pmark::store::trainings::create(
        db,
        &actor,
        org,
        &pmark::store::trainings::TrainingValues {
            pms_year: 2026,
            title: "全社教育".to_owned(),
            topics: <pmark::domain::training::Topic as pmark::domain::term::Term>::ALL.to_vec(),
            method: "集合研修".to_owned(),
            audience: pmark::domain::training::Audience::default(),
            starts_on: "2026-06-01".parse().unwrap(),
            ends_on: "2026-06-30".parse().unwrap(),
            pass_mark: None,
            notes: String::new(),
        },
    )
    .await
    .unwrap()
    .id;

    // A cycle applied for in its window, and a renewal decided on it: the undo probe removes the
    // renewed cycle, and the decision probe then decides again on the applied one.
    let applied = app.clock.today();
    let applied_cycle =
        app.certify(org, Some(applied), pmark::domain::certification::CertificationStatus::RenewalApplied, "").await;
    let expiry = applied_cycle.valid_until;
    let (next_from, next_until) = pmark::domain::certification::next_cycle(expiry);
    let decision = pmark::store::certifications::RenewalDecision {
        decided_on: applied,
        valid_from: next_from,
        valid_until: next_until,
    };
    let renewed_cycle =
        pmark::store::certifications::record_renewal(db, &actor, &applied_cycle, &decision).await.unwrap();

    let (o, i) = (format!("/orgs/{org}"), format!("/orgs/{org}/incidents/{incident}"));
    let s = |v: &str| v.to_owned();
    let probes = vec![
        Probe::get("/orgs/{org}", o.clone()),
        Probe::get("/orgs/{org}/members", format!("{o}/members")),
        Probe::get("/orgs/{org}/settings", format!("{o}/settings")),
        Probe::get("/orgs/{org}/audit", format!("{o}/audit")),
        Probe::get("/orgs/{org}/audit", format!("{o}/audit?page=2")),
        Probe::get("/account", s("/account")),
        Probe::get("/orgs/new", s("/orgs/new")),
        Probe::get("/catalog", s("/catalog")),
        Probe::post(
            "/orgs/{org}/settings",
            format!("{o}/settings"),
            vec![("name", s("株式会社ジモス")), ("pms_year_start_month", s("10"))],
        ),
        Probe::post(
            "/orgs/{org}/pms-structure",
            format!("{o}/pms-structure"),
            vec![("representative_name", s("代表取締役 田中")), ("lock_version", s("0"))],
        ),
        Probe::post(
            "/orgs/{org}/invitations",
            format!("{o}/invitations"),
            vec![("email", s("someone@example.jp")), ("role", s("viewer"))],
        ),
        Probe::post(
            "/orgs/{org}/members/{membership}/role",
            format!("{o}/members/{target_membership}/role"),
            vec![("role", s("auditor"))],
        ),
        Probe::post(
            "/orgs/{org}/invitations/{invitation}/revoke",
            format!("{o}/invitations/{invitation}/revoke"),
            vec![],
        ),
        Probe::post(
            "/orgs/{org}/members/{membership}/remove",
            format!("{o}/members/{target_membership}/remove"),
            vec![],
        ),
        Probe::get("/orgs/{org}/mail", format!("{o}/mail")),
        Probe::get("/orgs/{org}/mail", format!("{o}/mail?state=failed")),
        Probe::post(
            "/orgs/{org}/mail/recipients",
            format!("{o}/mail/recipients"),
            vec![("email", s("more@example.jp")), ("lang", s("en"))],
        ),
        Probe::post(
            "/orgs/{org}/mail/recipients/{id}/remove",
            format!("{o}/mail/recipients/{recipient}/remove"),
            vec![],
        ),
        Probe::post("/orgs/{org}/mail/test", format!("{o}/mail/test"), vec![]),
        Probe::post("/orgs/{org}/mail/outbox/{id}/retry", format!("{o}/mail/outbox/{failed_row}/retry"), vec![]),
        Probe::post(
            "/account/reminders",
            s("/account/reminders"),
            vec![("organisation_id", org.to_string()), ("opt_out", s("true"))],
        ),
        // The controls and the duties.
        Probe::get("/orgs/{org}/controls", format!("{o}/controls")),
        Probe::get("/orgs/{org}/controls", format!("{o}/controls?status=implemented&check=overdue")),
        Probe::get("/orgs/{org}/controls/{control}", control.clone()),
        Probe::get("/orgs/{org}/duties", format!("{o}/duties")),
        Probe::get("/orgs/{org}/duties", format!("{o}/duties?year=2025")),
        Probe::get("/orgs/{org}/duties/{duty}/{year}/{slot}", recorded.clone()),
        Probe::get("/orgs/{org}/duties/{duty}/{year}/{slot}", format!("{o}/duties/{training}/2025/0")),
        // A link has no file to download: 404 for members too.
        Probe::get("/orgs/{org}/evidence/{evidence}/download", format!("{o}/evidence/{evidence}/download"))
            .answering(404),
        // The version read at the start: the first editor saves, the next one holds a stale version.
        Probe::post(
            "/orgs/{org}/controls/{control}",
            control.clone(),
            vec![
                ("lock_version", control_row.lock_version.to_string()),
                ("applicable", s("yes")),
                ("status", s("in_progress")),
            ],
        )
        .then(409),
        Probe::upload("/orgs/{org}/controls/{control}/evidence", format!("{control}/evidence"), || link("規程", None)),
        Probe::post(
            "/orgs/{org}/duties/{duty}/{year}/{slot}/correct",
            format!("{recorded}/correct"),
            vec![
                ("performed_on", s("2025-06-02")),
                ("performed_by", s("y")),
                ("summary", s("y")),
                ("lock_version", s("1")),
            ],
        )
        .then(409),
        Probe::upload("/orgs/{org}/duties/{duty}/{year}/{slot}/evidence", format!("{recorded}/evidence"), || {
            link("規程", None)
        }),
        Probe::post(
            "/orgs/{org}/duties",
            format!("{o}/duties"),
            vec![("name", s("独自")), ("control_id", s("A.3.3.1")), ("frequency", s("yearly")), ("due_month", s("5"))],
        ),
        Probe::post(
            "/orgs/{org}/duties/{duty}",
            format!("{o}/duties/{training}"),
            vec![("enabled", s("on")), ("due_month", s("11"))],
        ),
        Probe::post(
            "/orgs/{org}/duties/{duty}/{year}/{slot}",
            format!("{o}/duties/{review_duty}/2025/0"),
            vec![
                ("performed_on", s("2026-02-10")),
                ("performed_by", s("社長")),
                ("summary", s("レビュー")),
                ("decisions", s("継続")),
            ],
        ),
        // The incidents and their corrective actions.
        Probe::get("/orgs/{org}/incidents", format!("{o}/incidents")),
        Probe::get("/orgs/{org}/incidents", format!("{o}/incidents?overdue=1")),
        Probe::get("/orgs/{org}/incidents/{incident}", i.clone()),
        Probe::get("/orgs/{org}/incidents/new", format!("{o}/incidents/new")),
        Probe::get("/orgs/{org}/incidents/{incident}/edit", format!("{i}/edit")),
        Probe {
            body: Body::IncidentForm(jimos().into_iter().map(|(k, v)| (k, s(v))).collect(), incident),
            ..Probe::post("/orgs/{org}/incidents/{incident}", i.clone(), vec![])
        },
        Probe::upload("/orgs/{org}/incidents/{incident}/evidence", format!("{i}/evidence"), || {
            link("控え", Some("filing:pmark_final"))
        }),
        Probe::post(
            "/orgs/{org}/incidents/{incident}/timeline",
            format!("{i}/timeline"),
            vec![("occurred_on", s("2019-07-27")), ("kind", s("detection")), ("note", s("連絡を受けた"))],
        ),
        Probe::post(
            "/orgs/{org}/incidents/{incident}/filings/{track}",
            format!("{i}/filings/pmark_final"),
            vec![("submitted_on", s("2019-07-29"))],
        ),
        Probe::post("/orgs/{org}/incidents/{incident}/status", format!("{i}/status"), vec![("status", s("contained"))]),
        Probe::post(
            "/orgs/{org}/incidents/{incident}/checks/{check}",
            format!("{i}/checks/{check}"),
            vec![("decision", s("no_change_needed")), ("note", s("対策済み"))],
        )
        .then(422),
        Probe::post(
            "/orgs/{org}/incidents",
            format!("{o}/incidents"),
            jimos().into_iter().map(|(k, v)| (k, s(v))).collect(),
        ),
        Probe::post(
            "/orgs/{org}/incidents/{incident}/actions",
            format!("{i}/actions"),
            vec![("title", s("教育")), ("owner", owner.clone()), ("due_on", s("2020-01-31"))],
        ),
        Probe::get("/orgs/{org}/people", format!("{o}/people")),
        Probe::get("/orgs/{org}/people/{person}", format!("{o}/people/{person}")),
        Probe::get("/orgs/{org}/people/import", format!("{o}/people/import")),
        Probe::upload("/orgs/{org}/people/import", format!("{o}/people/import"), || {
            reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes("社員番号,氏名\n0002,B\n".as_bytes()).file_name("名簿.csv"),
            )
        })
        .answering(200)
        .writing_nothing(),
        Probe::upload("/orgs/{org}/people/import/apply", format!("{o}/people/import/apply"), || {
            reqwest::multipart::Form::new()
                .text("file_name", "名簿.csv")
                .text("content", hex_of("社員番号,氏名\n0003,C\n"))
        })
        .then(303),
        Probe::get("/orgs/{org}/trainings", format!("{o}/trainings")),
        Probe::get("/orgs/{org}/trainings/{training}", format!("{o}/trainings/{plan_id}")),
        Probe::post(
            "/orgs/{org}/trainings",
            format!("{o}/trainings"),
            vec![
                ("pms_year", s("2026")),
                ("title", s("新任者教育")),
                ("topics", s("policy")),
                ("topics", s("importance")),
                ("topics", s("roles")),
                ("topics", s("consequences")),
                ("method", s("eラーニング")),
                ("starts_on", s("2026-07-01")),
                ("ends_on", s("2026-07-31")),
            ],
        ),
        Probe::post(
            "/orgs/{org}/trainings/{training}/attendances",
            format!("{o}/trainings/{plan_id}/attendances"),
            vec![("employee_number", s("0001")), ("attended_on", s("2026-06-10"))],
        ),
        Probe::post(
            "/orgs/{org}/trainings/{training}/follow-ups",
            format!("{o}/trainings/{plan_id}/follow-ups"),
            vec![("lang", s("ja"))],
        ),
        Probe::upload("/orgs/{org}/trainings/{training}/evidence", format!("{o}/trainings/{plan_id}/evidence"), || {
            link("教材", None)
        }),
        Probe::get("/orgs/{org}/corrective-actions", format!("{o}/corrective-actions")),
        Probe::get("/orgs/{org}/corrective-actions/{action}", format!("{o}/corrective-actions/{action}")),
        // A correction holds the version read: the first editor saves, the next one is stale.
        Probe::post(
            "/orgs/{org}/corrective-actions/{action}/correct",
            format!("{o}/corrective-actions/{action}/correct"),
            vec![
                ("title", s("WAF 導入")),
                ("owner", owner.clone()),
                ("due_on", s("2019-12-31")),
                ("completed_on", s("2019-12-20")),
                ("completion_note", s("完了")),
                ("lock_version", s("1")),
            ],
        )
        .then(409),
        Probe::post(
            "/orgs/{org}/corrective-actions/{action}/complete",
            format!("{o}/corrective-actions/{action}/complete"),
            vec![("completed_on", s("2019-12-20")), ("completion_note", s("完了"))],
        )
        .then(422),
        Probe::post(
            "/orgs/{org}/certification/renewed/undo",
            format!("{o}/certification/renewed/undo"),
            vec![("cycle", renewed_cycle.id.to_string()), ("confirmed", s("yes"))],
        ),
        Probe::post(
            "/orgs/{org}/certification/renewed",
            format!("{o}/certification/renewed"),
            vec![
                ("decided_on", applied.to_string()),
                ("valid_from", next_from.to_string()),
                ("valid_until", next_until.to_string()),
                ("cycle", applied_cycle.id.to_string()),
                ("confirmed", s("yes")),
            ],
        )
        .then(422),
    ];

    // The admin last, so that its removals and revocations do not change the others' answers.
    let askers = [
        (Asker::Member(Role::Officer), &officer.client),
        (Asker::Member(Role::Auditor), &auditor.client),
        (Asker::Member(Role::Viewer), &viewer.client),
        (Asker::Outsider, &outsider.client),
        (Asker::SignedOut, &anonymous),
        (Asker::Member(Role::Admin), &app.client),
    ];
    let mut problems = Vec::new();
    for probe in &probes {
        let (method, pattern) = probe.row;
        let Some((_, _, may)) = MATRIX.iter().find(|(m, p, _)| (*m, *p) == probe.row) else {
            panic!("{method} {pattern}: a probe of a route without a row in the role matrix");
        };
        let mut done = false;
        for (asker, client) in askers {
            let before = if method == "POST" { Some(contents(&app).await) } else { None };
            let response = probe.ask(&app, org, client).await;
            let status = response.status().as_u16();
            let refusal = may.refusal(asker);
            let expected = match refusal {
                Some(refused) => refused.as_u16(),
                None if done => probe.again.unwrap_or(probe.ok),
                None => probe.ok,
            };
            let what = format!("{asker:?} {method} {} ({may:?})", probe.path);
            if status != expected {
                problems.push(format!("{what}: {status}, expected {expected}"));
            } else if matches!(asker, Asker::SignedOut)
                && refusal.is_some()
                && !location(&response).starts_with("/login")
            {
                problems.push(format!("{what}: sent to {} instead of the sign-in page", location(&response)));
            }
            if let Some(before) = before {
                let changed = contents(&app).await != before;
                if refusal.is_some() && changed {
                    problems.push(format!("{what}: refused, yet the database changed"));
                }
                if refusal.is_none() && !done && !changed && probe.writes {
                    problems.push(format!("{what}: allowed, yet nothing changed"));
                }
                if !probe.writes && changed {
                    problems.push(format!("{what}: a dry run, yet the database changed"));
                }
            }
            done |= refusal.is_none();
        }
        if let Body::IncidentForm(_, id) = probe.body {
            // Both editors saved, each from the version it read; the last save is the admin's.
            let saved = pmark::store::incidents::find(db, org, id).await.unwrap().unwrap();
            assert_eq!((saved.lock_version, saved.updated_by), (3, admin_id), "the officer's and the admin's saves");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let incidents = pmark::entities::incident::Entity::find().all(db).await.unwrap();
    assert_eq!(incidents.len(), 3, "the first, the officer's and the admin's");
}

fn hex_of(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}
