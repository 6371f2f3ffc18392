//! People (従業者) and departments (部門) of an organisation: the list, one person's save, and the
//! synchronisation with an HR list. An import is planned first (what it would create, change and
//! mark as left, with nothing written), and the same plan is applied in one transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::people::{EmploymentType, PersonValues, PmsRole};
use crate::entities::{department, person};
use crate::import::people::PersonRow;
use crate::store::audit::{self, Actor, Entry};
use crate::store::edit::Edit;
use crate::store::paging::{self, Page, PageRequest, SortKey};

/// The roles as stored: a JSON array of their names.
pub fn roles_json(roles: &[PmsRole]) -> String {
    serde_json::to_string(&roles.iter().map(|r| r.as_str()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".to_owned())
}

/// The stored roles (names the domain does not know are left out).
pub fn roles_of(stored: &str) -> Vec<PmsRole> {
    use crate::domain::term::Term;
    serde_json::from_str::<Vec<String>>(stored)
        .unwrap_or_default()
        .iter()
        .filter_map(|name| PmsRole::parse(name).ok())
        .collect()
}

/// The fields a save of a person writes, each with its history. Exhaustive: a field added to
/// `PersonValues` is a compile error here until it is written and recorded.
fn edit(current: Option<&person::Model>, values: &PersonValues, department_id: Option<i32>) -> Edit<person::Column> {
    use person::Column as Col;
    let PersonValues { employee_number, name, kana, employment, employment_label, joined_on, left_on, email, roles } =
        values;
    let c = current;
    Edit::new()
        .field("employee_number", Col::EmployeeNumber, c.map(|c| &c.employee_number), employee_number)
        .field("name", Col::Name, c.map(|c| &c.name), name)
        .field("kana", Col::Kana, c.map(|c| &c.kana), kana)
        .field("department_id", Col::DepartmentId, c.map(|c| &c.department_id), &department_id)
        .field("employment", Col::Employment, c.map(|c| &c.employment), employment)
        .field("employment_label", Col::EmploymentLabel, c.map(|c| &c.employment_label), employment_label)
        .field("joined_on", Col::JoinedOn, c.map(|c| &c.joined_on), joined_on)
        .field("left_on", Col::LeftOn, c.map(|c| &c.left_on), left_on)
        .field("email", Col::Email, c.map(|c| &c.email), email)
        .field("roles", Col::Roles, c.map(|c| &c.roles), &roles_json(roles))
}

/// The departments of an organisation, by id.
///
/// # Errors
/// When the query fails.
pub async fn departments<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Vec<department::Model>, DbErr> {
    department::Entity::find()
        .filter(department::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(department::Column::Name)
        .all(db)
        .await
}

/// Each department's path from the top (`["営業部", "第一課"]`), by id.
pub fn department_paths(departments: &[department::Model]) -> HashMap<i32, Vec<String>> {
    let by_id: HashMap<i32, &department::Model> = departments.iter().map(|d| (d.id, d)).collect();
    by_id
        .keys()
        .map(|id| {
            let mut path = Vec::new();
            let mut at = by_id.get(id).copied();
            // Bounded: a cycle (only possible by hand in the database) cannot loop forever.
            while let Some(d) = at
                && path.len() < 10
            {
                path.push(d.name.clone());
                at = d.parent_id.and_then(|p| by_id.get(&p).copied());
            }
            path.reverse();
            (*id, path)
        })
        .collect()
}

/// How the people list can be sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonSort {
    /// By フリガナ, then name (the default: how a Japanese roster is read).
    Kana,
    EmployeeNumber,
    JoinedOn,
}

impl SortKey for PersonSort {
    const ALL: &'static [Self] = &[PersonSort::Kana, PersonSort::EmployeeNumber, PersonSort::JoinedOn];
    const DEFAULT: Self = PersonSort::Kana;

    fn key(self) -> &'static str {
        match self {
            PersonSort::Kana => "kana",
            PersonSort::EmployeeNumber => "employee_number",
            PersonSort::JoinedOn => "joined_on",
        }
    }
}

/// Who is listed: those in post on a day, those who had left by it, or everyone. A person counts
/// as left from their leaving date on (an import marks the missing as left on its day, and the
/// list should show that at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Presence {
    #[default]
    Current,
    Left,
    All,
}

/// Which people to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFilter {
    pub presence: Presence,
    pub department_id: Option<i32>,
    pub employment: Option<EmploymentType>,
    /// Part of the name, the kana or the employee number.
    pub text: String,
}

/// One page of the organisation's people as of `today`: two queries.
///
/// # Errors
/// When a query fails.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    filter: &PersonFilter,
    today: NaiveDate,
    request: PageRequest<PersonSort>,
) -> Result<Page<person::Model>, DbErr> {
    let mut query = person::Entity::find().filter(person::Column::OrganisationId.eq(organisation_id));
    query = match filter.presence {
        Presence::Current => query.filter(in_post_on(today)),
        Presence::Left => query.filter(person::Column::LeftOn.lte(today)),
        Presence::All => query,
    };
    if let Some(department) = filter.department_id {
        query = query.filter(person::Column::DepartmentId.eq(department));
    }
    if let Some(employment) = filter.employment {
        query = query.filter(person::Column::Employment.eq(employment));
    }
    if !filter.text.is_empty() {
        let column = |c: person::Column| Expr::col((person::Entity, c));
        query = query.filter(
            sea_orm::Condition::any()
                .add(paging::contains(column(person::Column::Name), &filter.text))
                .add(paging::contains(column(person::Column::Kana), &filter.text))
                .add(paging::contains(column(person::Column::EmployeeNumber), &filter.text)),
        );
    }
    query = match request.sort {
        PersonSort::Kana => {
            query.order_by(person::Column::Kana, request.order()).order_by(person::Column::Name, request.order())
        }
        PersonSort::EmployeeNumber => query.order_by(person::Column::EmployeeNumber, request.order()),
        PersonSort::JoinedOn => query.order_by(person::Column::JoinedOn, request.order()),
    };
    paging::fetch(db, query.order_by(person::Column::Id, request.order()), request.page, request.per).await
}

/// One person of the organisation.
///
/// # Errors
/// When the query fails.
pub async fn find<C: ConnectionTrait>(db: &C, organisation_id: i32, id: i32) -> Result<Option<person::Model>, DbErr> {
    person::Entity::find_by_id(id).filter(person::Column::OrganisationId.eq(organisation_id)).one(db).await
}

/// People in post on `today`: not left, or leaving later.
fn in_post_on(today: NaiveDate) -> sea_orm::Condition {
    sea_orm::Condition::any().add(person::Column::LeftOn.is_null()).add(person::Column::LeftOn.gt(today))
}

/// The people of the organisation in post on `today` who hold `role`, by kana.
///
/// # Errors
/// When the query fails.
pub async fn in_post_with_role<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    role: PmsRole,
    today: NaiveDate,
) -> Result<Vec<person::Model>, DbErr> {
    let holders = person::Entity::find()
        .filter(person::Column::OrganisationId.eq(organisation_id))
        // Roles are stored as a JSON list of names: the LIKE narrows, the parse below decides.
        .filter(person::Column::Roles.contains(format!("\"{}\"", role.as_str())))
        .filter(in_post_on(today))
        .order_by_asc(person::Column::Kana)
        .order_by_asc(person::Column::Name)
        .all(db)
        .await?;
    Ok(holders.into_iter().filter(|p| roles_of(&p.roles).contains(&role)).collect())
}

/// The person of the organisation with this employee number.
///
/// # Errors
/// When the query fails.
pub async fn find_by_number<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    employee_number: &str,
) -> Result<Option<person::Model>, DbErr> {
    person::Entity::find()
        .filter(person::Column::OrganisationId.eq(organisation_id))
        .filter(person::Column::EmployeeNumber.eq(employee_number))
        .one(db)
        .await
}

/// What an import would do to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Create,
    /// The names of the fields that change.
    Update(Vec<&'static str>),
    Unchanged,
}

/// An import planned against the stored people: nothing written yet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportPlan {
    /// Each importable row with what it would do.
    pub rows: Vec<(PersonRow, Outcome)>,
    /// Department paths that do not exist yet, created on apply.
    pub new_departments: Vec<Vec<String>>,
    /// People in post who are not in the list, marked as left on the import day (a full list only).
    pub leavers: Vec<person::Model>,
    /// The organisation's people as the plan read them, by employee number: what applying it
    /// updates (plan and apply run in one transaction).
    pub stored: HashMap<String, person::Model>,
}

impl ImportPlan {
    pub fn count(&self, wanted: fn(&Outcome) -> bool) -> usize {
        self.rows.iter().filter(|(_, o)| wanted(o)).count()
    }
}

/// Plans an import of `rows`, read from a sheet with the columns `present`: a column the sheet
/// lacks keeps each stored person's value. With `full_list`, people in post who are not in the
/// list are to be marked as left on the import day. Two queries, whatever the number of rows.
///
/// # Errors
/// When a query fails.
pub async fn plan_import<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    rows: &[PersonRow],
    present: &[&'static str],
    full_list: bool,
) -> Result<ImportPlan, DbErr> {
    let stored: HashMap<String, person::Model> = person::Entity::find()
        .filter(person::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.employee_number.clone(), p))
        .collect();
    let departments = departments(db, organisation_id).await?;
    let known: HashMap<Vec<String>, i32> =
        department_paths(&departments).into_iter().map(|(id, path)| (path, id)).collect();
    let mut new_departments: BTreeMap<Vec<String>, ()> = BTreeMap::new();
    let mut plan = ImportPlan::default();
    let paths = department_paths(&departments);
    for row in rows {
        let current = stored.get(&row.person.employee_number);
        let row = merged(row, current, present, &paths);
        for depth in 1..=row.department.len() {
            let path = row.department[..depth].to_vec();
            if !known.contains_key(&path) {
                new_departments.insert(path, ());
            }
        }
        let outcome = match current {
            None => Outcome::Create,
            Some(current) => {
                let department_id = known.get(&row.department).copied();
                let mut changed = edit(Some(current), &row.person, department_id).changed_names();
                // A department still to be created is a move, though its id is not known yet.
                if !row.department.is_empty() && department_id.is_none() && !changed.contains(&"department_id") {
                    changed.push("department_id");
                }
                if changed.is_empty() { Outcome::Unchanged } else { Outcome::Update(changed) }
            }
        };
        plan.rows.push((row, outcome));
    }
    plan.new_departments = new_departments.into_keys().collect();
    if full_list {
        let listed: std::collections::HashSet<&str> = rows.iter().map(|r| r.person.employee_number.as_str()).collect();
        let mut leavers: Vec<person::Model> = stored
            .values()
            .filter(|p| !listed.contains(p.employee_number.as_str()) && p.left_on.is_none())
            .cloned()
            .collect();
        leavers.sort_by(|a, b| a.employee_number.cmp(&b.employee_number));
        plan.leavers = leavers;
    }
    plan.stored = stored;
    Ok(plan)
}

/// The row with the stored values of the columns the sheet lacks.
fn merged(
    row: &PersonRow,
    current: Option<&person::Model>,
    present: &[&str],
    paths: &HashMap<i32, Vec<String>>,
) -> PersonRow {
    let Some(current) = current else { return row.clone() };
    let stored = values_of(current);
    let has = |column: &str| present.contains(&column);
    let new = &row.person;
    let pick =
        |column: &str, sheet: &Option<String>, kept: Option<String>| if has(column) { sheet.clone() } else { kept };
    let (employment, employment_label) = if has("employment") {
        (new.employment, new.employment_label.clone())
    } else {
        (stored.employment, stored.employment_label.clone())
    };
    PersonRow {
        line: row.line,
        department: if has("department") {
            row.department.clone()
        } else {
            current.department_id.and_then(|id| paths.get(&id).cloned()).unwrap_or_default()
        },
        person: PersonValues {
            employee_number: new.employee_number.clone(),
            name: new.name.clone(),
            kana: pick("kana", &new.kana, stored.kana),
            employment,
            employment_label,
            joined_on: if has("joined_on") { new.joined_on } else { stored.joined_on },
            left_on: if has("left_on") { new.left_on } else { stored.left_on },
            email: pick("email", &new.email, stored.email),
            roles: if has("roles") { new.roles.clone() } else { stored.roles },
        },
    }
}

/// What an applied import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub left: usize,
    pub departments: usize,
}

/// Applies a plan in the transaction that planned it (it updates the people as the plan read
/// them): creates the departments, creates and updates the people, marks the leavers, and records
/// each change in the audit trail.
///
/// # Errors
/// When a write fails.
pub async fn apply_import<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    plan: &ImportPlan,
    today: NaiveDate,
) -> Result<Imported, DbErr> {
    let now = Utc::now();
    let mut done = Imported::default();
    let mut paths: HashMap<Vec<String>, i32> =
        department_paths(&departments(db, organisation_id).await?).into_iter().map(|(id, path)| (path, id)).collect();
    for path in &plan.new_departments {
        let parent = path.len().checked_sub(1).and_then(|n| paths.get(&path[..n]).copied());
        let created = department::ActiveModel {
            organisation_id: Set(organisation_id),
            parent_id: Set(parent),
            name: Set(path.last().cloned().unwrap_or_default()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let changes = audit::Changes::new().created("name", path.join(" / "));
        audit::record(db, actor, Entry::new(Some(organisation_id), "department", created.id, "create", changes))
            .await?;
        paths.insert(path.clone(), created.id);
        done.departments += 1;
    }
    // New people are inserted a few hundred per statement and their history recorded in batches:
    // a first import of thousands of people is a few dozen statements, not thousands.
    let mut created: Vec<(person::ActiveModel, audit::Changes, &str)> = Vec::new();
    for (row, outcome) in &plan.rows {
        let department_id = if row.department.is_empty() { None } else { paths.get(&row.department).copied() };
        match (outcome, plan.stored.get(&row.person.employee_number)) {
            (Outcome::Unchanged, _) => done.unchanged += 1,
            (_, Some(current)) => {
                if save(db, actor, organisation_id, Some(current), &row.person, department_id).await? {
                    done.updated += 1;
                } else {
                    done.unchanged += 1;
                }
            }
            (_, None) => {
                let edit = edit(None, &row.person, department_id);
                let mut new = person::ActiveModel {
                    organisation_id: Set(organisation_id),
                    user_id: Set(None),
                    lock_version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                };
                edit.apply(&mut new);
                created.push((new, edit.changes(), row.person.employee_number.as_str()));
                done.created += 1;
            }
        }
    }
    insert_created(db, actor, organisation_id, created).await?;
    link_members(db, organisation_id).await?;
    for leaver in &plan.leavers {
        let values = PersonValues { left_on: Some(today), ..values_of(leaver) };
        save(db, actor, organisation_id, Some(leaver), &values, leaver.department_id).await?;
        done.left += 1;
    }
    Ok(done)
}

/// Inserts new people in chunks, then records their creation with the ids the database gave
/// them (found by employee number, unique in the organisation).
async fn insert_created<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    created: Vec<(person::ActiveModel, audit::Changes, &str)>,
) -> Result<(), DbErr> {
    /// People per INSERT: 15 columns each, well under the bound-parameter limits.
    const CHUNK: usize = 500;
    let mut rest = created.into_iter().peekable();
    while rest.peek().is_some() {
        let chunk: Vec<_> = rest.by_ref().take(CHUNK).collect();
        let numbers: Vec<String> = chunk.iter().map(|(_, _, number)| (*number).to_owned()).collect();
        let rows: Vec<person::ActiveModel> = chunk.iter().map(|(row, _, _)| row.clone()).collect();
        super::insert_in_chunks(db, rows).await?;
        let ids: HashMap<String, i32> = person::Entity::find()
            .select_only()
            .column(person::Column::EmployeeNumber)
            .column(person::Column::Id)
            .filter(person::Column::OrganisationId.eq(organisation_id))
            .filter(person::Column::EmployeeNumber.is_in(numbers))
            .into_tuple::<(String, i32)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let entries = chunk
            .into_iter()
            .filter_map(|(_, changes, number)| {
                ids.get(number).map(|id| Entry::new(Some(organisation_id), "person", id, "create", changes))
            })
            .collect();
        audit::record_many(db, actor, entries).await?;
    }
    Ok(())
}

/// Links each person not linked yet to the organisation's member with the same e-mail address:
/// one statement. A link is derived, not entered, so it is not an entry of the audit trail.
///
/// # Errors
/// When the update fails.
pub async fn link_members<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let org = if backend == sea_orm::DbBackend::Postgres { "$1" } else { "?" };
    let member = "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id \
                  WHERE m.organisation_id = people.organisation_id AND LOWER(u.email) = LOWER(people.email)";
    let sql = format!(
        "UPDATE people SET user_id = ({member}) \
         WHERE organisation_id = {org} AND user_id IS NULL AND email IS NOT NULL AND EXISTS ({member})"
    );
    let done = db.execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, [organisation_id.into()])).await?;
    Ok(done.rows_affected())
}

/// A stored person's values.
pub fn values_of(person: &person::Model) -> PersonValues {
    PersonValues {
        employee_number: person.employee_number.clone(),
        name: person.name.clone(),
        kana: person.kana.clone(),
        employment: person.employment,
        employment_label: person.employment_label.clone(),
        joined_on: person.joined_on,
        left_on: person.left_on,
        email: person.email.clone(),
        roles: roles_of(&person.roles),
    }
}

/// Creates (`current` is `None`) or updates a person of the organisation; returns whether
/// anything was written.
///
/// # Errors
/// When a write fails.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    current: Option<&person::Model>,
    values: &PersonValues,
    department_id: Option<i32>,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let edit = edit(current, values, department_id);
    let changes = edit.changes();
    let (id, action) = match current {
        Some(_) if changes.is_empty() => return Ok(false),
        Some(current) => {
            let mut active: person::ActiveModel = current.clone().into();
            edit.apply(&mut active);
            active.lock_version = Set(current.lock_version + 1);
            active.updated_at = Set(now);
            active.update(db).await?;
            (current.id, "update")
        }
        None => {
            let mut created = person::ActiveModel {
                organisation_id: Set(organisation_id),
                user_id: Set(None),
                lock_version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            edit.apply(&mut created);
            (created.insert(db).await?.id, "create")
        }
    };
    audit::record(db, actor, Entry::new(Some(organisation_id), "person", id, action, changes)).await?;
    Ok(true)
}
