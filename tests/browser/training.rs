//! A training from plan to summary: the officer plans it in the form, records who attended with
//! their scores, reads the 教育実施サマリー and queues the follow-up notices.

use crate::helpers::Browser;

#[tokio::test]
async fn a_training_runs_from_plan_to_summary_in_the_browser() {
    let browser = Browser::start().await;
    let org = browser.set_up_admin().await;
    // The HR list, as `pmark import people` would have brought it in.
    let list = "社員番号,氏名,フリガナ,雇用区分,メールアドレス\n\
        1,山田 花子,ヤマダ ハナコ,正社員,yamada@example.jp\n\
        2,佐藤 一郎,サトウ イチロウ,正社員,sato@example.jp\n\
        3,鈴木 三郎,スズキ サブロウ,パート,\n";
    let read = pmark::import::people::read(&pmark::import::sheet::read(list.as_bytes()).unwrap()).unwrap();
    let db = &browser.app.db;
    let plan = pmark::store::people::plan_import(db, org, &read.rows, &read.present, false).await.unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let actor = pmark::store::audit::Actor::command_line();
    pmark::store::people::apply_import(db, &actor, org, &plan, today).await.unwrap();

    // The plan: a year, a title, the four topics, a method, a period and a pass mark.
    browser.goto(&format!("/orgs/{org}/trainings")).await;
    browser.fill("#f-pms_year", "2026").await;
    browser.fill("#f-title", "2026年度 個人情報保護教育").await;
    assert_eq!(browser.count("#f-topics input:checked").await, 4, "a new plan starts with the four required topics");
    browser.fill("#f-method", "eラーニングと理解度テスト").await;
    browser.set_value("#f-starts_on", "2026-06-01").await;
    browser.set_value("#f-ends_on", "2026-06-30").await;
    browser.fill("#f-pass_mark", "80").await;
    browser.click_and_wait_for_page("#training-form button[type=submit]").await;
    browser.expect("#summary-table").await;
    assert_eq!(browser.text("h1").await, "2026年度 個人情報保護教育");

    // Attendances typed in: 山田 passes, 佐藤 fails the test; 鈴木 has not attended.
    for (number, score) in [("1", "95"), ("2", "60")] {
        browser.fill("#f-employee_number", number).await;
        browser.set_value("#f-attended_on", "2026-06-10").await;
        browser.fill("#f-score", score).await;
        browser.click_and_wait_for_page("#attendance-form button[type=submit]").await;
    }

    let total = browser.text("#summary-table tr[data-row=total]").await;
    assert!(total.contains("33%"), "one of three trained: {total}");
    assert_eq!(browser.text("#standing-table tr[data-number='2'] .badge").await, "不合格（再テスト要）");
    assert_eq!(browser.text("#standing-table tr[data-number='3'] .badge").await, "未受講");
    let plan = browser.text("#follow-up-plan").await;
    assert!(plan.contains("2 人"), "佐藤 and 鈴木 are due: {plan}");
    assert!(browser.text("#follow-up-unreachable").await.contains("鈴木 三郎"), "鈴木 has no address and no head");
    browser.click_and_wait_for_page("#follow-up-form button[type=submit]").await;
    assert!(browser.text(".flash").await.contains("1 通"), "佐藤's notice queued");
    browser.assert_no_message_ids_shown().await;
    let path = browser.save_screenshot("training.png").await;
    assert!(std::fs::metadata(&path).expect("training.png written").len() > 10_000);
    browser.close().await;
}
