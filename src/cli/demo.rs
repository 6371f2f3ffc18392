//! `pmark demo`: an organisation filled with plausible records — every control with a status,
//! owner and two pieces of evidence, and years of duty records — for trying pmark out and for the
//! benchmarks. Never run it against a production database you care about: it adds, it does not ask.

use chrono::Datelike;
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::domain::OrganisationName;
use crate::domain::catalog::Catalog;
use crate::domain::control::{ControlStatus, default_next_review};
use crate::domain::duties::RecordKind;
use crate::domain::pms_year::{Month, PmsYear, occurrences};
use crate::store::audit::Actor;
use crate::store::controls::ControlChanges;
use crate::store::duties::NewRecord;
use crate::store::duties::schedule_of;
use crate::store::evidence::{Content, NewEvidence, Subject};
use crate::store::{self};

/// What `seed` made.
#[derive(Debug, Clone, Copy)]
pub struct Seeded {
    pub organisation_id: i32,
    pub controls: usize,
    pub evidence: usize,
    pub records: usize,
}

/// Creates an organisation named `name` administered by `admin_user_id`, with `years` PMS years
/// of records up to today; none for the training duty when `with_trainings` (the trainings
/// `demo_people` records fulfil it).
///
/// # Errors
/// When a write fails.
pub async fn seed(
    db: &DatabaseConnection,
    catalog: &Catalog,
    name: &OrganisationName,
    admin_user_id: i32,
    years: i32,
    with_trainings: bool,
) -> anyhow::Result<Seeded> {
    let actor = Actor::command_line();
    let txn = db.begin().await?;
    let org = store::organisations::create(&txn, &actor, name, admin_user_id, catalog).await?;
    let today = crate::clock::Clock::system().today();
    let statuses =
        [ControlStatus::Implemented, ControlStatus::Implemented, ControlStatus::InProgress, ControlStatus::NeedsReview];
    let controls = store::controls::list(&txn, org.id, &catalog.version).await?;
    let mut evidence = 0;
    for (i, control) in controls.iter().enumerate() {
        let last = today - chrono::Duration::days(i64::try_from(i * 9 % 400).unwrap_or(0));
        let changes = ControlChanges {
            applicable: true,
            not_applicable_reason: None,
            status: statuses[i % statuses.len()],
            owner_user_id: Some(admin_user_id),
            internal_rule: format!("個人情報保護規程 第{}条", i + 1),
            notes: String::new(),
            last_reviewed_on: Some(last),
            next_review_due: Some(default_next_review(last)),
        };
        store::controls::update(&txn, &actor, control, control.lock_version, &changes).await?;
        for n in 0..2 {
            let new = NewEvidence {
                subject: Subject::Control(control.id),
                description: format!("{} 運用記録 {}", control.control_id, n + 1),
                effective_on: last - chrono::Duration::days(30 * n),
                supersedes_id: None,
                content: Content::Link(format!("https://intranet.example.jp/pms/{}/{}", control.control_id, n + 1)),
            };
            store::evidence::insert(&txn, &actor, org.id, new).await?;
            evidence += 1;
        }
    }
    let start = Month::APRIL;
    let current = PmsYear::containing(today, start);
    let duties = store::duties::list(&txn, org.id).await?;
    let mut records = 0;
    for label in current.label - years + 1..=current.label {
        let year = PmsYear { label, start_month: start };
        for duty in duties.iter().filter(|d| !(with_trainings && d.record_kind == RecordKind::Training)) {
            let (frequency, due_month) = schedule_of(duty);
            for occurrence in occurrences(frequency, due_month, year).into_iter().filter(|o| o.due_on < today) {
                let performed_on = occurrence.due_on - chrono::Duration::days(i64::from(occurrence.due_on.day() % 7));
                let record = NewRecord {
                    performed_on,
                    performed_by: "PMS事務局".into(),
                    summary: format!("{} 実施", performed_on),
                    people_in_scope: Some(120),
                    people_trained: Some(120),
                    absentee_follow_up: None,
                    findings_count: Some(2),
                    decisions: Some("PMSの継続的改善を指示".into()),
                };
                store::duties::record(&txn, &actor, duty, occurrence.pms_year, occurrence.slot, &record).await?;
                records += 1;
            }
        }
    }
    txn.commit().await?;
    Ok(Seeded { organisation_id: org.id, controls: controls.len(), evidence, records })
}
