//! Demo people and training: an HR list of `count` people generated as a CSV and read through the
//! same import as a real one, and one training per PMS year with attendances (most pass, a few
//! fail and retest, some are missing), so that the training pages, the summary and the benchmarks
//! have something realistic to show.

use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use crate::domain::term::Term;
use crate::domain::training::{Audience, Topic};
use crate::entities::person;
use crate::store;
use crate::store::audit::Actor;
use crate::store::trainings::{AttendanceValues, TrainingValues};

const FAMILY: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
];
const GIVEN: &[(&str, &str)] = &[
    ("花子", "ハナコ"),
    ("一郎", "イチロウ"),
    ("美咲", "ミサキ"),
    ("大輔", "ダイスケ"),
    ("結衣", "ユイ"),
    ("翔太", "ショウタ"),
    ("陽菜", "ヒナ"),
    ("健太", "ケンタ"),
];
const DEPARTMENTS: &[&str] =
    &["総務部", "営業部／第一課", "営業部／第二課", "開発部", "カスタマーサポート部", "経理部"];

/// The generated HR list.
fn hr_list(count: usize, today: NaiveDate) -> String {
    let mut csv = "社員番号,氏名,フリガナ,所属,雇用区分,入社日,退職日,メールアドレス,PMS役割\n".to_owned();
    for n in 0..count {
        let (family, family_kana) = FAMILY[n % FAMILY.len()];
        let (given, given_kana) = GIVEN[(n / FAMILY.len()) % GIVEN.len()];
        let employment = match n % 20 {
            0 => "役員",
            1..=3 => "パート・アルバイト",
            4 => "派遣社員",
            5 | 6 => "契約社員",
            _ => "正社員",
        };
        let joined = today - Duration::days(i64::try_from(n * 37 % 5000).unwrap_or(0) + 30);
        let left_on = joined + Duration::days(100);
        let left = if n % 25 == 24 && left_on < today { left_on.to_string() } else { String::new() };
        let role = match n {
            0 => "代表者",
            1 => "個人情報保護管理者",
            2 => "個人情報保護監査責任者",
            3 | 4 => "内部監査員",
            5 => "事務局",
            _ => "",
        };
        let _ = writeln!(
            csv,
            "{:05},{family} {given},{family_kana} {given_kana},{},{employment},{joined},{left},,{role}",
            n + 1,
            DEPARTMENTS[n % DEPARTMENTS.len()]
        );
    }
    csv
}

/// Imports `count` people and records a training per PMS year of the last `years` with its
/// attendances; returns the number of attendances.
///
/// # Errors
/// When the generated list is refused (a bug) or a write fails.
pub async fn seed(
    db: &DatabaseConnection,
    organisation_id: i32,
    count: usize,
    years: i32,
    today: NaiveDate,
    pms_year_start: u32,
) -> anyhow::Result<usize> {
    let actor = Actor::command_line();
    let sheet = crate::import::sheet::read(hr_list(count, today).as_bytes())?;
    let read = crate::import::people::read(&sheet)
        .map_err(|refused| anyhow::anyhow!("the demo HR list was refused: {refused:?}"))?;
    anyhow::ensure!(read.refusals.is_empty(), "the demo HR list was refused: {:?}", read.refusals.first());
    let txn = db.begin().await?;
    let plan = store::people::plan_import(&txn, organisation_id, &read.rows, &read.present, false).await?;
    store::people::apply_import(&txn, &actor, organisation_id, &plan, today).await?;
    let people = person::Entity::find().filter(person::Column::OrganisationId.eq(organisation_id)).all(&txn).await?;
    let mut attendances = 0;
    let this_year = if today.month() >= pms_year_start { today.year() } else { today.year() - 1 };
    for year in (this_year - years + 1)..=this_year {
        let starts_on = NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(today);
        let ends_on = NaiveDate::from_ymd_opt(year, 9, 30).unwrap_or(today);
        if starts_on > today {
            continue;
        }
        let values = TrainingValues {
            pms_year: year,
            title: format!("{year}年度 個人情報保護教育"),
            topics: Topic::ALL.to_vec(),
            method: "eラーニング".to_owned(),
            audience: Audience::default(),
            starts_on,
            ends_on,
            pass_mark: Some(80),
            notes: String::new(),
        };
        let training = store::trainings::create(&txn, &actor, organisation_id, &values).await?;
        let mut rows = Vec::new();
        for (n, person) in people.iter().enumerate() {
            let in_post =
                person.joined_on.is_none_or(|j| j <= ends_on) && person.left_on.is_none_or(|l| l >= starts_on);
            // The current year's training is still being caught up on: one in eight is missing.
            let missing = year == this_year && n % 8 == 3;
            if !in_post || missing {
                continue;
            }
            let on = starts_on + Duration::days(i64::try_from(n % 28).unwrap_or(0));
            let failed = n % 30 == 7;
            let score = if failed { 60 } else { 80 + i32::try_from(n % 21).unwrap_or(0) };
            rows.push(AttendanceValues { person_id: person.id, attended_on: on, score: Some(score), note: None });
            if failed && year < this_year {
                let retest = ends_on + Duration::days(14);
                rows.push(AttendanceValues {
                    person_id: person.id,
                    attended_on: retest,
                    score: Some(85),
                    note: Some("追加教育".to_owned()),
                });
            }
        }
        attendances += store::trainings::record_attendances(&txn, &actor, &training, &rows).await?;
    }
    txn.commit().await?;
    Ok(attendances)
}
