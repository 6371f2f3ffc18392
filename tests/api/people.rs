//! People (従業者) and departments from the HR list: `pmark import people` refuses bad cells by
//! line and column and writes nothing, a dry run writes nothing, an import creates departments
//! and people with their history, a re-import updates by employee number, and a full list marks
//! those missing from it as left without deleting them.

use std::io::Write;
use std::process::Stdio;

use pmark::domain::people::EmploymentType;
use pmark::domain::term::Term;
use pmark::entities::{audit_event, department, person};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::cli::pmark;
use crate::helpers::test_settings;

pub const LIST: &str = "社員番号,氏名,フリガナ,所属,雇用区分,入社日,メールアドレス,PMS役割,備考\n\
    0001,山田 花子,ヤマダ ハナコ,総務部,正社員,2015/4/1,hanako@example.jp,個人情報保護管理者,\n\
    0002,佐藤 一郎,ｻﾄｳ ｲﾁﾛｳ,営業部／第一課,パート,令和2年10月1日,,,週3日\n\
    ０００３,鈴木 次郎,すずき じろう,営業部／第一課,派遣,2023-01-16,,,\n";

struct Org {
    dir: tempfile::TempDir,
    url: String,
    db: DatabaseConnection,
    id: i32,
}

async fn organisation() -> Org {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(&dir).await;
    let mut child = pmark(dir.path(), &settings.database.url)
        .args([
            "user",
            "create",
            "--email",
            "hr@example.jp",
            "--name",
            "人事",
            "--org-name",
            "株式会社名簿",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a long enough password\n").unwrap();
    assert!(child.wait().unwrap().success());
    let db = pmark::store::connect(&settings.database).await.unwrap();
    let id = pmark::store::organisations::all(&db).await.unwrap()[0].id;
    Org { url: settings.database.url.clone(), dir, db, id }
}

/// Runs `pmark import people` on `text` written as `name`; returns (exit code, stdout, stderr).
fn import(org: &Org, name: &str, bytes: &[u8], extra: &[&str]) -> (i32, String, String) {
    let file = org.dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let output = pmark(org.dir.path(), &org.url)
        .args(["import", "people", "--org", "株式会社名簿"])
        .arg(&file)
        .args(extra)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (output.status.code().unwrap_or(-1), text(&output.stdout), text(&output.stderr))
}

async fn people(org: &Org) -> Vec<person::Model> {
    let mut all = person::Entity::find().filter(person::Column::OrganisationId.eq(org.id)).all(&org.db).await.unwrap();
    all.sort_by(|a, b| a.employee_number.cmp(&b.employee_number));
    all
}

#[tokio::test]
async fn a_bad_cell_is_named_by_line_and_column_and_nothing_is_written() {
    let org = organisation().await;
    let bad = "社員番号,氏名,入社日\n0001,山田 花子,2015/4/1\n0002,佐藤 一郎,2020/13/1\n0003,,2021/4/1\n";
    let (code, _, stderr) = import(&org, "bad.csv", bad.as_bytes(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("3行目・列「入社日」「2020/13/1」"), "{stderr}");
    assert!(stderr.contains("4行目・列「氏名」"), "{stderr}");
    assert!(stderr.contains("何も取り込んでいません"), "{stderr}");
    assert!(people(&org).await.is_empty(), "not even the good first row");

    let (code, _, stderr) = import(&org, "nonumber.csv", "氏名\n山田\n".as_bytes(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("1行目・列「社員番号」") && stderr.contains("必須の列がありません"), "{stderr}");
}

#[tokio::test]
async fn a_dry_run_says_what_would_happen_and_writes_nothing() {
    let org = organisation().await;
    let (code, stdout, stderr) = import(&org, "list.csv", LIST.as_bytes(), &["--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("列「備考」は取り込みません"), "{stdout}");
    assert!(stdout.contains("2 0001 山田 花子: 新規登録"), "{stdout}");
    assert!(stdout.contains("新しい部門：営業部 / 第一課"), "{stdout}");
    assert!(stdout.contains("新規 3 人"), "{stdout}");
    assert!(people(&org).await.is_empty());
    assert_eq!(department::Entity::find().count(&org.db).await.unwrap(), 0);
}

#[tokio::test]
async fn an_import_creates_departments_and_people_and_a_reimport_updates_by_number_and_marks_leavers() {
    let org = organisation().await;
    let (code, stdout, stderr) = import(&org, "list.csv", LIST.as_bytes(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("新規 3 人") && stdout.contains("新しい部門 3 件"), "{stdout}");
    let all = people(&org).await;
    assert_eq!(all.len(), 3);
    assert_eq!(all[1].kana.as_deref(), Some("サトウ イチロウ"), "half-width kana made full-width");
    assert_eq!(all[1].employment, EmploymentType::PartTime);
    assert_eq!(all[2].employee_number, "0003", "full-width digits made half-width");
    assert_eq!(all[2].kana.as_deref(), Some("スズキ ジロウ"));
    assert_eq!(all[0].roles, r#"["pi_manager"]"#);
    let departments =
        pmark::store::people::department_paths(&pmark::store::people::departments(&org.db, org.id).await.unwrap());
    assert_eq!(departments[&all[1].department_id.unwrap()], ["営業部", "第一課"], "nested under 営業部");
    let created = audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq("person"))
        .filter(audit_event::Column::Action.eq("create"))
        .count(&org.db)
        .await
        .unwrap();
    assert_eq!(created, 3, "each person's creation is in the audit trail");

    // The same list again changes nothing.
    let (_, stdout, _) = import(&org, "list.csv", LIST.as_bytes(), &[]);
    assert!(stdout.contains("新規 0 人、変更 0 人、変更なし 3 人"), "{stdout}");

    // Next year's list: 0002 moved to 総務部, 0003 is no longer there, 0004 joined.
    let next = "社員番号,氏名,所属,雇用区分\n0001,山田 花子,総務部,正社員\n0002,佐藤 一郎,総務部,パート\n0004,高橋 三郎,営業部,正社員\n";
    let (_, stdout, _) = import(&org, "next.csv", next.as_bytes(), &["--full", "--dry-run"]);
    assert!(stdout.contains("3 0002 佐藤 一郎: 変更（所属）"), "only the department moves: {stdout}");
    assert!(!stdout.contains("0001 山田 花子"), "unchanged rows are not listed: {stdout}");
    assert!(stdout.contains("- 0003 鈴木 次郎: 名簿にないため退職扱い"), "{stdout}");
    let (code, stdout, stderr) = import(&org, "next.csv", next.as_bytes(), &["--full"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("新規 1 人") && stdout.contains("退職扱い 1 人"), "{stdout}");
    let all = people(&org).await;
    assert_eq!(all.len(), 4, "the leaver is kept");
    assert!(all[2].left_on.is_some(), "0003 marked as left");
    assert_eq!(all[0].kana.as_deref(), Some("ヤマダ ハナコ"), "a column the list lacks keeps the stored value");
    assert_eq!(all[0].email.as_deref(), Some("hanako@example.jp"));
    assert_eq!(all[0].roles, r#"["pi_manager"]"#);
}

#[tokio::test]
async fn an_xlsx_and_a_shift_jis_csv_are_read_alike() {
    let org = organisation().await;
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(LIST);
    let (code, stdout, stderr) = import(&org, "sjis.csv", &sjis, &["--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("新規 3 人"), "{stdout}");

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in LIST.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            sheet.write(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), cell).unwrap();
        }
    }
    let (code, stdout, stderr) = import(&org, "list.xlsx", &book.save_to_buffer().unwrap(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("新規 3 人"), "{stdout}");
}

mod pages {
    use reqwest::StatusCode;
    use reqwest::multipart::{Form, Part};

    use crate::helpers::{count, spawn_app, texts};

    fn upload(text: &str, full: bool) -> Form {
        let form = Form::new().part("file", Part::bytes(text.as_bytes().to_vec()).file_name("従業者名簿.csv"));
        if full { form.text("full", "1") } else { form }
    }

    #[tokio::test]
    async fn the_import_page_lists_refused_cells_and_writes_nothing() {
        let app = spawn_app().await;
        let org = app.set_up_admin().await;
        let bad = "社員番号,氏名,入社日\n0001,山田 花子,2015/4/1\n0002,佐藤 一郎,2020/13/1\n";
        let page = app.post_multipart(&app.client, &format!("/orgs/{org}/people/import"), upload(bad, false)).await;
        assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = page.text().await.unwrap();
        assert_eq!(
            texts(&html, "#refusals tr[data-line='3'] td"),
            [
                "3",
                "入社日",
                "2020/13/1",
                "日付として読めません（2024年4月1日、2024/4/1、令和6年4月1日 などの形式で入力してください）。"
            ]
        );
        assert_eq!(count(&html, "#import-form input[type=file]"), 1, "the form is there to choose the corrected file");
        let listed = app.get(&app.client, &format!("/orgs/{org}/people?presence=all")).await.text().await.unwrap();
        assert_eq!(count(&listed, "#people tbody tr"), 0);
    }

    #[tokio::test]
    async fn a_preview_shows_what_an_import_does_and_importing_applies_it() {
        let app = spawn_app().await;
        let org = app.set_up_admin().await;
        let page =
            app.post_multipart(&app.client, &format!("/orgs/{org}/people/import"), upload(super::LIST, false)).await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert_eq!(texts(&html, "#import-counts li[data-count=created]"), ["新規登録：3 人"]);
        assert_eq!(texts(&html, "#new-departments li"), ["営業部", "営業部 / 第一課", "総務部"]);
        assert_eq!(count(&html, "#import-lines tbody tr"), 3);
        let listed = app.get(&app.client, &format!("/orgs/{org}/people")).await.text().await.unwrap();
        assert_eq!(count(&listed, "#people tbody tr"), 0, "a preview writes nothing");

        let content = crate::helpers::attr(&html, "#apply-form input[name=content]", "value").unwrap();
        let apply = Form::new().text("file_name", "従業者名簿.csv").text("content", content);
        let applied = app.post_multipart(&app.client, &format!("/orgs/{org}/people/import/apply"), apply).await;
        assert_eq!(applied.status(), StatusCode::SEE_OTHER);
        let listed = app.get(&app.client, &format!("/orgs/{org}/people")).await.text().await.unwrap();
        assert!(texts(&listed, ".flash").join("").contains("新規 3 人"), "{:?}", texts(&listed, ".flash"));
        assert_eq!(
            texts(&listed, "#people tbody tr td:first-child"),
            ["0002", "0003", "0001"],
            "by reading: サトウ, スズキ, ヤマダ"
        );
        let part_time =
            app.get(&app.client, &format!("/orgs/{org}/people?employment=part_time")).await.text().await.unwrap();
        assert_eq!(texts(&part_time, "#people tbody tr td:first-child"), ["0002"]);
        let searched = app
            .get(&app.client, &format!("/orgs/{org}/people?q=%E3%83%A4%E3%83%9E%E3%83%80"))
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(texts(&searched, "#people tbody tr td:first-child"), ["0001"], "found by its reading");

        // The person's page names the department and keeps the history in words.
        let id = crate::helpers::attr(&listed, "#people tr[data-number='0002']", "data-id").unwrap();
        let person = app.get(&app.client, &format!("/orgs/{org}/people/{id}")).await.text().await.unwrap();
        assert!(
            texts(&person, "#person dd").iter().any(|d| d == "営業部 / 第一課"),
            "{:?}",
            texts(&person, "#person dd")
        );
        assert!(person.contains("パート・アルバイト"));
    }

    #[tokio::test]
    async fn a_full_list_marks_those_missing_as_left_and_the_list_shows_them_apart() {
        let app = spawn_app().await;
        let org = app.set_up_admin().await;
        let import = |text: &'static str| {
            let app = &app;
            async move {
                let html = app
                    .post_multipart(&app.client, &format!("/orgs/{org}/people/import"), upload(text, true))
                    .await
                    .text()
                    .await
                    .unwrap();
                let content = crate::helpers::attr(&html, "#apply-form input[name=content]", "value").unwrap();
                let apply = Form::new().text("file_name", "x.csv").text("content", content).text("full", "1");
                let applied = app.post_multipart(&app.client, &format!("/orgs/{org}/people/import/apply"), apply).await;
                assert_eq!(applied.status(), StatusCode::SEE_OTHER);
                html
            }
        };
        import(super::LIST).await;
        let preview = import("社員番号,氏名\n0001,山田 花子\n0002,佐藤 一郎\n").await;
        assert_eq!(texts(&preview, "#leavers li"), ["0003 鈴木 次郎"]);
        let current = app.get(&app.client, &format!("/orgs/{org}/people")).await.text().await.unwrap();
        assert_eq!(count(&current, "#people tbody tr"), 2, "{:?}", texts(&current, "#people tbody tr"));
        let left = app.get(&app.client, &format!("/orgs/{org}/people?presence=left")).await.text().await.unwrap();
        assert_eq!(texts(&left, "#people tbody tr td:first-child"), ["0003"], "left as of today");
        let everyone = app.get(&app.client, &format!("/orgs/{org}/people?presence=all")).await.text().await.unwrap();
        assert_eq!(count(&everyone, "#people tbody tr.left"), 1);
    }
}

#[tokio::test]
async fn an_attendance_sheet_is_recorded_for_a_training_and_a_bad_cell_writes_nothing() {
    let org = organisation().await;
    assert_eq!(import(&org, "list.csv", LIST.as_bytes(), &[]).0, 0);
    let values = pmark::store::trainings::TrainingValues {
        pms_year: 2026,
        title: "全社教育".to_owned(),
        topics: pmark::domain::training::Topic::ALL.to_vec(),
        method: "集合研修".to_owned(),
        audience: pmark::domain::training::Audience::default(),
        starts_on: "2026-06-01".parse().unwrap(),
        ends_on: "2026-06-30".parse().unwrap(),
        pass_mark: Some(80),
        notes: String::new(),
    };
    let training =
        pmark::store::trainings::create(&org.db, &pmark::store::audit::Actor::command_line(), org.id, &values)
            .await
            .unwrap();
    let run = |name: &str, text: &str, extra: &[&str]| {
        let file = org.dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let output = pmark(org.dir.path(), &org.url)
            .args(["import", "attendance", "--org", "株式会社名簿", "--training", &training.id.to_string()])
            .arg(&file)
            .args(extra)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, _, stderr) = run("bad.csv", "社員番号,受講日,点数\n0001,2026/6/10,90\n0099,2026/6/10,90\n", &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("3行目・列「社員番号」「0099」"), "{stderr}");
    let sheet = "社員番号,受講日,点数\n0001,2026/6/10,90\n0002,2026/6/11,60\n";
    let (code, stdout, stderr) = run("sheet.csv", sheet, &["--dry-run"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("対象 3 人のうち受講済み 1 人（33%）、不合格 1 人、未受講 1 人"), "{stdout}");
    let recorded = || async { pmark::entities::training_attendance::Entity::find().count(&org.db).await.unwrap() };
    assert_eq!(recorded().await, 0, "a dry run writes nothing; nor did the refused sheet");
    let (code, stdout, _) = run("sheet.csv", sheet, &[]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("受講記録を 2 件登録しました"), "{stdout}");
    assert_eq!(recorded().await, 2);
}

#[tokio::test]
async fn a_person_is_linked_to_the_member_with_the_same_address() {
    use sea_orm::EntityTrait;
    let app = crate::helpers::spawn_app().await;
    let org = app.set_up_admin().await;
    let list = "社員番号,氏名,メールアドレス\n1,山田 花子,Admin@Example.jp\n2,佐藤 一郎,sato@example.jp\n";
    let read = pmark::import::people::read(&pmark::import::sheet::read(list.as_bytes()).unwrap()).unwrap();
    let plan = pmark::store::people::plan_import(&app.db, org, &read.rows, &read.present, false).await.unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let actor = pmark::store::audit::Actor::command_line();
    pmark::store::people::apply_import(&app.db, &actor, org, &plan, today).await.unwrap();
    let yamada = pmark::store::people::find_by_number(&app.db, org, "1").await.unwrap().unwrap();
    let sato = pmark::store::people::find_by_number(&app.db, org, "2").await.unwrap().unwrap();
    let admin = pmark::entities::user::Entity::find().all(&app.db).await.unwrap()[0].id;
    assert_eq!(yamada.user_id, Some(admin), "the same address, whatever its case");
    assert_eq!(sato.user_id, None, "no member has that address");
    let html = app.get(&app.client, &format!("/orgs/{org}/people/{}", yamada.id)).await.text().await.unwrap();
    let facts = crate::helpers::texts(&html, "#person dd");
    assert_eq!(facts.last().map(String::as_str), Some("山田 花子"), "the member account: {facts:?}");
    // Another organisation's member with the address is not linked.
    let (other, _) = app.add_organisation("別会社", "sato@example.jp").await;
    assert_ne!(other, org);
    assert_eq!(pmark::store::people::link_members(&app.db, org).await.unwrap(), 0);
}
