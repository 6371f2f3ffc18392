//! Training person by person: a plan with its audience, attendances with test scores and
//! retests, and the 教育実施サマリー computed from them (on both databases).

use chrono::NaiveDate;
use pmark::domain::people::EmploymentType;
use pmark::domain::training::{Audience, Standing, Topic};
use pmark::store::audit::Actor;
use pmark::store::trainings::{AttendanceValues, TrainingValues};

use crate::helpers::spawn_app;
use sea_orm::EntityTrait;

fn d(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// Imports a people list (CSV text) into `org` as of `today`.
async fn import_people(db: &sea_orm::DatabaseConnection, org: i32, list: &str, today: NaiveDate) {
    let read = pmark::import::people::read(&pmark::import::sheet::read(list.as_bytes()).unwrap()).unwrap();
    let plan = pmark::store::people::plan_import(db, org, &read.rows, &read.present, false).await.unwrap();
    pmark::store::people::apply_import(db, &Actor::command_line(), org, &plan, today).await.unwrap();
}

/// The yearly training of 2026 for everyone, on the four topics, in June.
fn yearly_training(pass_mark: Option<i32>) -> TrainingValues {
    TrainingValues {
        pms_year: 2026,
        title: "2026年度 個人情報保護教育".to_owned(),
        topics: vec![Topic::Policy, Topic::Importance, Topic::Roles, Topic::Consequences],
        method: "eラーニング".to_owned(),
        audience: Audience::default(),
        starts_on: d("2026-06-01"),
        ends_on: d("2026-06-30"),
        pass_mark,
        notes: String::new(),
    }
}

#[tokio::test]
async fn the_summary_is_computed_from_attendances_by_employment_type_with_retests_and_follow_ups() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let db = &app.db;
    let actor = Actor::command_line();
    let list = "社員番号,氏名,雇用区分,入社日,退職日\n\
        1,山田,正社員,2015/4/1,\n2,佐藤,正社員,2016/4/1,\n3,鈴木,パート,2020/4/1,\n\
        4,高橋,派遣,2026/8/1,\n5,田中,正社員,2010/4/1,2026/3/31\n";
    import_people(db, org, list, d("2026-12-01")).await;
    let people = pmark::store::people::page(
        db,
        org,
        &pmark::store::people::PersonFilter { presence: pmark::store::people::Presence::All, ..Default::default() },
        d("2026-12-01"),
        pmark::store::paging::PageRequest {
            page: 1,
            per: 50,
            sort: pmark::store::people::PersonSort::EmployeeNumber,
            descending: false,
        },
    )
    .await
    .unwrap()
    .rows;
    let id = |number: &str| people.iter().find(|p| p.employee_number == number).unwrap().id;

    let values = yearly_training(Some(80));
    let training = pmark::store::trainings::create(db, &actor, org, &values).await.unwrap();
    let at = |number: &str, on: &str, score: i32| AttendanceValues {
        person_id: id(number),
        attended_on: d(on),
        score: Some(score),
        note: None,
    };
    let recorded = pmark::store::trainings::record_attendances(
        db,
        &actor,
        &training,
        &[at("1", "2026-06-10", 95), at("3", "2026-06-12", 60), at("3", "2026-07-20", 85), at("2", "2026-06-15", 40)],
    )
    .await
    .unwrap();
    assert_eq!(recorded, 4);

    let state = pmark::store::trainings::state(db, &training).await.unwrap();
    let standing = |number: &str| state.standings.iter().find(|(p, _)| p.employee_number == number).map(|(_, s)| *s);
    assert_eq!(standing("1"), Some(Standing::Trained));
    assert_eq!(standing("2"), Some(Standing::Failed), "40 is below the pass mark of 80");
    assert_eq!(standing("3"), Some(Standing::Trained), "passed the retest after the period");
    assert_eq!(standing("4"), Some(Standing::Newcomer), "joined after the training");
    assert_eq!(standing("5"), None, "left before the training began");
    let regular = state.summary.by_employment[&EmploymentType::Regular];
    assert_eq!((regular.audience, regular.trained, regular.failed, regular.rate()), (2, 1, 1, 50));
    assert_eq!(state.summary.total.audience, 3);
    assert_eq!(state.summary.total.newcomers, 1);
    assert_eq!(state.summary.followed_up, 1, "鈴木's passing retest came after the period");

    // The training's history names the person and the topics in words.
    let html = app.get(&app.client, &format!("/orgs/{org}/audit?what=training")).await.text().await.unwrap();
    assert!(html.contains("個人情報保護方針"), "topics by their labels");
    assert!(html.contains("鈴木"), "the person by name");
}

#[tokio::test]
async fn a_training_is_planned_in_the_browser_and_its_page_shows_the_summary_and_who_is_missing() {
    use crate::helpers::{count, location, texts};
    use reqwest::StatusCode;
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let list =
        "社員番号,氏名,フリガナ,雇用区分\n1,山田 花子,ヤマダ ハナコ,正社員\n2,佐藤 一郎,サトウ イチロウ,パート\n";
    import_people(&app.db, org, list, d("2026-01-01")).await;

    // Three topics of four are refused, with the values kept.
    let mut fields = vec![
        ("pms_year", "2026"),
        ("title", "全社教育"),
        ("topics", "policy"),
        ("topics", "importance"),
        ("topics", "roles"),
        ("method", "集合研修"),
        ("starts_on", "2026-06-01"),
        ("ends_on", "2026-06-30"),
        ("pass_mark", "80"),
    ];
    let refused = app.post_form(&app.client, &format!("/orgs/{org}/trainings"), &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("4つの教育内容"), "the missing topic is named");
    assert_eq!(count(&html, "#training-form input[name=topics][checked]"), 3, "the choices are kept");
    fields.push(("topics", "consequences"));
    let created = app.post_form(&app.client, &format!("/orgs/{org}/trainings"), &fields).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let page = location(&created);

    let recorded = app
        .post_form(
            &app.client,
            &format!("{page}/attendances"),
            &[("employee_number", "１"), ("attended_on", "2026-06-10"), ("score", "90")],
        )
        .await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    let unknown = app
        .post_form(
            &app.client,
            &format!("{page}/attendances"),
            &[("employee_number", "99"), ("attended_on", "2026-06-10")],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let html = app.get(&app.client, &page).await.text().await.unwrap();
    assert_eq!(texts(&html, "#summary-table tr[data-row=total] td"), ["2", "1", "50%", "0", "1", "0"]);
    assert_eq!(texts(&html, "#standing-table tr[data-standing=not_yet] td:first-child"), ["2"]);
    let missing = app.get(&app.client, &format!("{page}?standing=not_yet")).await.text().await.unwrap();
    assert_eq!(count(&missing, "#standing-table tbody tr"), 1, "filtered to who is still to be trained");

    // The dashboard says who is still to be trained, and updates with the next attendance.
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(texts(&dashboard, "#dashboard-training p"), ["全社教育", "受講率 50%", "未受講・不合格 1 人"]);
    app.post_form(
        &app.client,
        &format!("{page}/attendances"),
        &[("employee_number", "2"), ("attended_on", "2026-06-11"), ("score", "90")],
    )
    .await;
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(texts(&dashboard, "#dashboard-training p"), ["全社教育", "受講率 100%"], "the cached summary follows");
}

#[tokio::test]
async fn the_audit_prep_report_prints_the_training_summary_computed_from_attendances() {
    use crate::helpers::texts;
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let actor = Actor::command_line();
    let list = "社員番号,氏名,雇用区分\n1,山田,正社員\n2,佐藤,正社員\n3,鈴木,パート\n";
    import_people(&app.db, org, list, d("2026-01-01")).await;
    let values = TrainingValues {
        pms_year: 2026,
        title: "2026年度 個人情報保護教育".to_owned(),
        topics: <Topic as pmark::domain::term::Term>::ALL.to_vec(),
        method: "集合研修".to_owned(),
        audience: Audience::default(),
        starts_on: d("2026-06-01"),
        ends_on: d("2026-06-30"),
        pass_mark: None,
        notes: String::new(),
    };
    let training = pmark::store::trainings::create(&app.db, &actor, org, &values).await.unwrap();
    let first = pmark::store::people::find_by_number(&app.db, org, "1").await.unwrap().unwrap();
    let third = pmark::store::people::find_by_number(&app.db, org, "3").await.unwrap().unwrap();
    let at = |person_id| AttendanceValues { person_id, attended_on: d("2026-06-10"), score: None, note: None };
    pmark::store::trainings::record_attendances(&app.db, &actor, &training, &[at(first.id), at(third.id)])
        .await
        .unwrap();

    let html =
        app.get(&app.client, &format!("/orgs/{org}/report?from=2026-04-01&to=2026-11-30")).await.text().await.unwrap();
    let row = texts(&html, "#education-rows tr td").join("|");
    assert!(row.contains("2026年度 個人情報保護教育|2026年6月30日|3|2|66%"), "{row}");
    assert!(row.contains("正社員 1/2 · パート・アルバイト 1/1"), "{row}");
    assert!(row.contains("未受講 1 人"), "{row}");
}

#[tokio::test]
async fn follow_up_notices_go_to_the_person_or_through_their_department_head_once_a_day() {
    use crate::helpers::{location, texts};
    use reqwest::StatusCode;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let actor = Actor::command_line();
    // 1 has an address; 2 has none and is reached through the head of 営業本部 (3), one level up;
    // 4 has none and no head above; 5 is trained; 6 left.
    let list = "社員番号,氏名,フリガナ,雇用区分,所属,メールアドレス,役割,退職日\n\
        1,山田 花子,ヤマダ ハナコ,正社員,営業本部/東京営業部,yamada@example.jp,,\n\
        2,佐藤 一郎,サトウ イチロウ,パート,営業本部/東京営業部,,,\n\
        3,鈴木 部長,スズキ ブチョウ,正社員,営業本部,suzuki@example.jp,部門責任者,\n\
        4,高橋 次郎,タカハシ ジロウ,正社員,総務部,,,\n\
        5,田中 三郎,タナカ サブロウ,正社員,総務部,tanaka@example.jp,,\n\
        6,伊藤 四郎,イトウ シロウ,正社員,総務部,ito@example.jp,,2026/10/31\n";
    import_people(&app.db, org, list, d("2026-12-01")).await;
    let values = yearly_training(None);
    let training = pmark::store::trainings::create(&app.db, &actor, org, &values).await.unwrap();
    let tanaka = pmark::store::people::find_by_number(&app.db, org, "5").await.unwrap().unwrap();
    let trained = AttendanceValues { person_id: tanaka.id, attended_on: d("2026-06-10"), score: None, note: None };
    pmark::store::trainings::record_attendances(&app.db, &actor, &training, &[trained]).await.unwrap();

    let page = format!("/orgs/{org}/trainings/{}", training.id);
    let html = app.get(&app.client, &page).await.text().await.unwrap();
    assert_eq!(
        texts(&html, "#follow-up-plan"),
        ["追加教育が必要な人：4 人（本人宛 2 通、部門責任者経由 1 人）"],
        "山田 and the head 鈴木 themselves; 佐藤 through 鈴木; not 田中 (trained) nor 伊藤 (left)"
    );
    assert!(texts(&html, "#follow-up-unreachable")[0].contains("高橋 次郎"), "who must be reached another way");

    let sent = app.post_form(&app.client, &format!("{page}/follow-ups"), &[("lang", "ja")]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert!(location(&sent).ends_with("#follow-up"));
    let rows = pmark::entities::outbox::Entity::find()
        .filter(pmark::entities::outbox::Column::Kind.eq("training_follow_up"))
        .all(&app.db)
        .await
        .unwrap();
    let mut to: Vec<(String, String)> = rows.iter().map(|r| (r.recipients.clone(), r.body_text.clone())).collect();
    to.sort();
    assert_eq!(to.len(), 3, "{to:?}");
    assert_eq!(to[0].0, r#"["suzuki@example.jp"]"#);
    assert_eq!(to[2].0, r#"["yamada@example.jp"]"#);
    let through_head = rows
        .iter()
        .find(|r| r.recipients.contains("suzuki") && r.body_text.contains("佐藤 一郎"))
        .expect("the head's notice lists 佐藤");
    assert!(through_head.body_text.starts_with("鈴木 部長 様"), "{}", through_head.body_text);
    assert!(through_head.body_text.contains("部門責任者のあなた"));
    assert_eq!(through_head.subject, "【追加教育のご案内】2026年度 個人情報保護教育");
    let own = rows.iter().find(|r| r.recipients.contains("yamada")).unwrap();
    assert!(own.body_text.contains("未受講") && !own.body_text.contains("佐藤"), "{}", own.body_text);

    // Asking again the same day adds nothing; the history says who asked and how many went.
    app.post_form(&app.client, &format!("{page}/follow-ups"), &[("lang", "ja")]).await;
    let again = pmark::entities::outbox::Entity::find()
        .filter(pmark::entities::outbox::Column::Kind.eq("training_follow_up"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(again.len(), 3, "once per addressee and day");
    let html = app.get(&app.client, &page).await.text().await.unwrap();
    let history = texts(&html, "#training-history tbody tr");
    assert_eq!(history.iter().filter(|h| h.contains("追加教育の案内")).count(), 1, "{history:?}");

    // A viewer reads the page but sends nothing.
    let viewer = app.add_member(Some(org), pmark::domain::Role::Viewer, "viewer@example.jp").await;
    let html = app.get(&viewer.client, &page).await.text().await.unwrap();
    assert!(texts(&html, "#follow-up-form").is_empty());
    let refused = app.post_form(&viewer.client, &format!("{page}/follow-ups"), &[("lang", "ja")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_yearly_training_duty_is_done_by_the_years_training_once_its_period_has_ended() {
    use crate::helpers::{attr, texts};
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let actor = Actor::command_line();
    import_people(&app.db, org, "社員番号,氏名\n1,山田\n", d("2026-01-01")).await;
    let calendar = app.get(&app.client, &format!("/orgs/{org}/duties?year=2026")).await.text().await.unwrap();
    assert!(calendar.contains("教育の実施"), "the training duty on the calendar");
    assert!(texts(&calendar, "a.done-by-training").is_empty(), "no training yet");

    // Planned for 2026, ended on June 30 (today is later): the occurrence is done by it.
    let training = pmark::store::trainings::create(&app.db, &actor, org, &yearly_training(None)).await.unwrap();
    let calendar = app.get(&app.client, &format!("/orgs/{org}/duties?year=2026")).await.text().await.unwrap();
    assert_eq!(texts(&calendar, "a.done-by-training"), ["2026年度 個人情報保護教育"]);
    assert_eq!(
        attr(&calendar, "a.done-by-training", "href").as_deref(),
        Some(format!("/orgs/{org}/trainings/{}", training.id).as_str())
    );
    let report =
        app.get(&app.client, &format!("/orgs/{org}/report?from=2026-04-01&to=2026-11-30")).await.text().await.unwrap();
    let rows = texts(&report, "tr.state-done");
    assert!(
        rows.iter().any(|r| r.contains("教育の実施")
            && r.contains("2026年6月30日")
            && r.contains("2026年度 個人情報保護教育")),
        "the report's operating records list it as done: {rows:?}"
    );
}

#[tokio::test]
async fn a_trainings_materials_are_its_evidence_and_count_in_the_report() {
    use crate::helpers::{count, texts};
    use reqwest::StatusCode;
    use reqwest::multipart::{Form, Part};
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let training =
        pmark::store::trainings::create(&app.db, &Actor::command_line(), org, &yearly_training(None)).await.unwrap();
    let page = format!("/orgs/{org}/trainings/{}", training.id);
    let file = |description: &'static str| {
        Form::new().text("kind", "file").text("description", description).text("effective_on", "2026-06-01").part(
            "file",
            Part::bytes(b"%PDF-1.4 slides".to_vec()).file_name("教材.pdf").mime_str("application/pdf").unwrap(),
        )
    };
    let refused = app.post_multipart(&app.client, &format!("{page}/evidence"), file("")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "a description is required");
    let html = refused.text().await.unwrap();
    assert_eq!(texts(&html, "h1"), ["2026年度 個人情報保護教育"], "the training page again, with the form refused");
    let uploaded = app.post_multipart(&app.client, &format!("{page}/evidence"), file("教育資料（スライド）")).await;
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);
    let html = app.get(&app.client, &page).await.text().await.unwrap();
    assert_eq!(count(&html, "#evidence-list tbody tr"), 1);
    assert!(html.contains("教育資料（スライド）"));

    // The report's operating records count it for the training duty the training fulfils.
    let report =
        app.get(&app.client, &format!("/orgs/{org}/report?from=2026-04-01&to=2026-11-30")).await.text().await.unwrap();
    let row = texts(&report, "tr.state-done").into_iter().find(|r| r.contains("教育の実施")).expect("the duty");
    assert!(row.ends_with('1'), "one evidence item: {row}");
}

#[tokio::test]
async fn an_organisation_of_5000_people_is_imported_and_its_training_page_is_paged() {
    use crate::helpers::count;
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let mut list = String::from("社員番号,氏名,所属,雇用区分\n");
    for i in 1..=5000 {
        list.push_str(&format!("{i:05},従業者{i},本部{}/第{}課,{}\n", i % 5, i % 20, ["正社員", "パート"][i % 2]));
    }
    import_people(&app.db, org, &list, d("2026-01-01")).await;
    let training =
        pmark::store::trainings::create(&app.db, &Actor::command_line(), org, &yearly_training(None)).await.unwrap();
    let numbers: Vec<String> = (1..=2500).map(|i| format!("{i:05}")).collect();
    let people = pmark::entities::person::Entity::find().all(&app.db).await.unwrap();
    let attended: Vec<AttendanceValues> = people
        .iter()
        .filter(|p| numbers.contains(&p.employee_number))
        .map(|p| AttendanceValues { person_id: p.id, attended_on: d("2026-06-10"), score: None, note: None })
        .collect();
    pmark::store::trainings::record_attendances(&app.db, &Actor::command_line(), &training, &attended).await.unwrap();
    let state = pmark::store::trainings::state(&app.db, &training).await.unwrap();
    assert_eq!((state.summary.total.audience, state.summary.total.trained), (5000, 2500));
    let html = app.get(&app.client, &format!("/orgs/{org}/trainings/{}", training.id)).await.text().await.unwrap();
    assert_eq!(count(&html, "#standing-table tbody tr"), 50, "one page of the 5,000 standings");
    assert!(html.contains("50%"));
}
