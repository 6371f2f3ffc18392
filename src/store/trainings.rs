//! Trainings (教育) and their attendances: a plan saved through one exhaustive `Edit`, attendances
//! recorded one by one or from a sheet, and each person's standing with the 教育実施サマリー
//! computed from the rows in three queries, whatever the number of people.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::people::EmploymentType;
use crate::domain::term::Term;
use crate::domain::training::{self, Attendance, Audience, Plan, Standing, Summary, Topic, Worker};
use crate::entities::{person, training as training_row, training_attendance};
use crate::store::audit::{self, Actor, Entry};
use crate::store::edit::Edit;

/// A training's plan as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingValues {
    pub pms_year: i32,
    pub title: String,
    pub topics: Vec<Topic>,
    pub method: String,
    pub audience: Audience,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub pass_mark: Option<i32>,
    pub notes: String,
}

fn names<T: Term>(values: &[T]) -> String {
    serde_json::to_string(&values.iter().map(|v| v.as_str()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".to_owned())
}

fn parsed<T: Term>(stored: &str) -> Vec<T> {
    serde_json::from_str::<Vec<String>>(stored).unwrap_or_default().iter().filter_map(|n| T::parse(n).ok()).collect()
}

/// The plan of a stored training, as the rules read it.
pub fn plan_of(row: &training_row::Model) -> Plan {
    Plan {
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        pass_mark: row.pass_mark,
        audience: Audience {
            departments: serde_json::from_str(&row.audience_departments).unwrap_or_default(),
            employments: parsed::<EmploymentType>(&row.audience_employments),
        },
    }
}

/// The topics a stored training covers.
pub fn topics_of(row: &training_row::Model) -> Vec<Topic> {
    parsed(&row.topics)
}

/// The fields a save of a training writes, each with its history. Exhaustive: a field added to
/// `TrainingValues` is a compile error here until it is written and recorded.
fn edit(current: Option<&training_row::Model>, values: &TrainingValues) -> Edit<training_row::Column> {
    use training_row::Column as Col;
    let TrainingValues { pms_year, title, topics, method, audience, starts_on, ends_on, pass_mark, notes } = values;
    let Audience { departments, employments } = audience;
    let departments = serde_json::to_string(departments).unwrap_or_else(|_| "[]".to_owned());
    let c = current;
    Edit::new()
        .field("pms_year", Col::PmsYear, c.map(|c| &c.pms_year), pms_year)
        .field("title", Col::Title, c.map(|c| &c.title), title)
        .field("topics", Col::Topics, c.map(|c| &c.topics), &names(topics))
        .field("method", Col::Method, c.map(|c| &c.method), method)
        .field("audience_departments", Col::AudienceDepartments, c.map(|c| &c.audience_departments), &departments)
        .field(
            "audience_employments",
            Col::AudienceEmployments,
            c.map(|c| &c.audience_employments),
            &names(employments),
        )
        .field("starts_on", Col::StartsOn, c.map(|c| &c.starts_on), starts_on)
        .field("ends_on", Col::EndsOn, c.map(|c| &c.ends_on), ends_on)
        .field("pass_mark", Col::PassMark, c.map(|c| &c.pass_mark), pass_mark)
        .field("notes", Col::Notes, c.map(|c| &c.notes), notes)
}

/// Records a new training.
///
/// # Errors
/// When a write fails.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    values: &TrainingValues,
) -> Result<training_row::Model, DbErr> {
    let edit = edit(None, values);
    let now = Utc::now();
    let mut created = training_row::ActiveModel {
        organisation_id: Set(organisation_id),
        lock_version: Set(1),
        created_by: Set(actor.user_id.unwrap_or_default()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    edit.apply(&mut created);
    let created = created.insert(db).await?;
    audit::record(db, actor, Entry::new(Some(organisation_id), "training", created.id, "create", edit.changes()))
        .await?;
    Ok(created)
}

/// The organisation's trainings, newest PMS year first.
///
/// # Errors
/// When the query fails.
pub async fn list<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Vec<training_row::Model>, DbErr> {
    training_row::Entity::find()
        .filter(training_row::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(training_row::Column::PmsYear)
        .order_by_desc(training_row::Column::StartsOn)
        .all(db)
        .await
}

/// One training of the organisation.
///
/// # Errors
/// When the query fails.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    id: i32,
) -> Result<Option<training_row::Model>, DbErr> {
    training_row::Entity::find_by_id(id).filter(training_row::Column::OrganisationId.eq(organisation_id)).one(db).await
}

/// One attendance as entered or read from a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceValues {
    pub person_id: i32,
    pub attended_on: NaiveDate,
    pub score: Option<i32>,
    pub note: Option<String>,
}

/// Records attendances of a training (a retest is one more), each in the audit trail of the
/// training.
///
/// # Errors
/// When a write fails.
pub async fn record_attendances<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    training: &training_row::Model,
    attendances: &[AttendanceValues],
) -> Result<usize, DbErr> {
    use training_attendance::Column as Col;
    let now = Utc::now();
    let mut rows = Vec::with_capacity(attendances.len());
    let mut entries = Vec::with_capacity(attendances.len());
    for values in attendances {
        // Exhaustive: a field added to `AttendanceValues` is a compile error here.
        let AttendanceValues { person_id, attended_on, score, note } = values;
        let edit = Edit::new()
            .field("person_id", Col::PersonId, None, person_id)
            .field("attended_on", Col::AttendedOn, None, attended_on)
            .field("score", Col::Score, None, score)
            .field("note", Col::Note, None, note);
        let mut row = training_attendance::ActiveModel {
            organisation_id: Set(training.organisation_id),
            training_id: Set(training.id),
            recorded_by: Set(actor.user_id.unwrap_or_default()),
            created_at: Set(now),
            ..Default::default()
        };
        edit.apply(&mut row);
        rows.push(row);
        entries.push(Entry::new(
            Some(training.organisation_id),
            "training",
            training.id,
            "record_attendance",
            edit.changes(),
        ));
    }
    // A sheet of thousands of attendances is a few dozen statements, not two per row.
    super::insert_in_chunks(db, rows).await?;
    audit::record_many(db, actor, entries).await?;
    Ok(attendances.len())
}

/// Where a training stands: each person of its audience with their standing, and the summary.
pub struct TrainingState {
    pub standings: Vec<(person::Model, Standing)>,
    pub summary: Summary,
}

/// Loads the organisation's people and the training's attendances (two queries) and applies the
/// rules.
///
/// # Errors
/// When a query fails.
pub async fn state<C: ConnectionTrait>(db: &C, training: &training_row::Model) -> Result<TrainingState, DbErr> {
    let people = person::Entity::find()
        .filter(person::Column::OrganisationId.eq(training.organisation_id))
        .order_by_asc(person::Column::Kana)
        .order_by_asc(person::Column::Name)
        .all(db)
        .await?;
    let rows = training_attendance::Entity::find()
        .filter(training_attendance::Column::TrainingId.eq(training.id))
        .all(db)
        .await?;
    let attendances: Vec<Attendance> = rows
        .iter()
        .map(|a| Attendance { person_id: a.person_id, attended_on: a.attended_on, score: a.score })
        .collect();
    let workers: Vec<Worker> = people
        .iter()
        .map(|p| Worker {
            id: p.id,
            department_id: p.department_id,
            employment: p.employment,
            joined_on: p.joined_on,
            left_on: p.left_on,
        })
        .collect();
    let plan = plan_of(training);
    let (standings, summary) = training::assess(&plan, &workers, &attendances);
    let by_id: std::collections::HashMap<i32, &person::Model> = people.iter().map(|p| (p.id, p)).collect();
    let standings = standings
        .into_iter()
        .filter_map(|(worker, standing)| by_id.get(&worker.id).map(|p| ((*p).clone(), standing)))
        .collect();
    Ok(TrainingState { standings, summary })
}

/// The latest training that has started (by start date) with its total counts: three queries.
///
/// # Errors
/// When a query fails.
pub async fn latest_counts<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Option<(training_row::Model, crate::domain::training::Counts)>, DbErr> {
    use sea_orm::QuerySelect;
    let Some(latest) = training_row::Entity::find()
        .filter(training_row::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(training_row::Column::StartsOn)
        .order_by_desc(training_row::Column::Id)
        .limit(1)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let computed = state(db, &latest).await?;
    Ok(Some((latest, computed.summary.total)))
}
