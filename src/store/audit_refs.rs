//! What a batch of audit entries refers to (users, members, invitations, reminder addresses,
//! controls, incidents, corrective actions, duties, filings, timeline entries), loaded with one query per kind of record, whatever the
//! number of entries: so that a history can name them instead of showing ids.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde_json::Value;

use crate::entities::{
    audit_event, corrective_action, department, duty, duty_record, incident, incident_filing, incident_timeline,
    invitation, membership, organisation_control, person, reminder_recipient, user,
};
use crate::store::audit_fields::{self, ValueKind};

/// The referenced records of a batch of entries, by id. Records that no longer exist are absent.
#[derive(Debug, Default, Clone)]
pub struct Refs {
    /// Users' display names.
    pub users: HashMap<i32, String>,
    /// Control rows: `(catalog version, clause id)`.
    pub controls: HashMap<i32, (String, String)>,
    /// Incident titles.
    pub incidents: HashMap<i32, String>,
    /// Corrective action titles.
    pub corrective_actions: HashMap<i32, String>,
    pub duties: HashMap<i32, duty::Model>,
    /// Duty records: `(duty id, PMS year, slot)`.
    pub duty_records: HashMap<i32, (i32, i32, i32)>,
    /// Filings: `(incident id, track)`.
    pub filings: HashMap<i32, (i32, String)>,
    /// Timeline entries: `(incident id, kind)`.
    pub timelines: HashMap<i32, (i32, String)>,
    /// Memberships: the member's user id.
    pub members: HashMap<i32, i32>,
    /// Invitations: the invited address.
    pub invitations: HashMap<i32, String>,
    /// Extra reminder addresses.
    pub recipients: HashMap<i32, String>,
    /// Departments: their path (`営業部 / 第一課`).
    pub departments: HashMap<i32, String>,
    /// People: their name.
    pub people: HashMap<i32, String>,
}

/// The ids a batch of entries mentions, per kind of record.
#[derive(Default)]
struct Wanted {
    users: BTreeSet<i32>,
    controls: BTreeSet<i32>,
    incidents: BTreeSet<i32>,
    corrective_actions: BTreeSet<i32>,
    duties: BTreeSet<i32>,
    duty_records: BTreeSet<i32>,
    filings: BTreeSet<i32>,
    timelines: BTreeSet<i32>,
    members: BTreeSet<i32>,
    invitations: BTreeSet<i32>,
    recipients: BTreeSet<i32>,
    departments: BTreeSet<i32>,
    people: BTreeSet<i32>,
}

/// An id stored as a JSON number or as text.
pub fn id_of(value: &Value) -> Option<i32> {
    match value {
        Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

impl Wanted {
    fn of(events: &[audit_event::Model]) -> Self {
        let mut wanted = Self::default();
        for event in events {
            wanted.users.extend(event.actor_user_id);
            if let Ok(id) = event.entity_id.parse::<i32>() {
                match event.entity.as_str() {
                    "control" => wanted.controls.insert(id),
                    "incident" => wanted.incidents.insert(id),
                    "corrective_action" => wanted.corrective_actions.insert(id),
                    "duty" => wanted.duties.insert(id),
                    "duty_record" => wanted.duty_records.insert(id),
                    "incident_filing" => wanted.filings.insert(id),
                    "incident_timeline" => wanted.timelines.insert(id),
                    "user" => wanted.users.insert(id),
                    "membership" => wanted.members.insert(id),
                    "invitation" => wanted.invitations.insert(id),
                    "reminder_recipient" => wanted.recipients.insert(id),
                    "department" => wanted.departments.insert(id),
                    "person" => wanted.people.insert(id),
                    _ => false,
                };
            }
            let changes = serde_json::from_str::<serde_json::Map<String, Value>>(&event.changes).unwrap_or_default();
            for (field, change) in &changes {
                if audit_fields::kind(&event.entity, &event.action, field) == Some(ValueKind::Departments) {
                    for side in ["before", "after"] {
                        let ids = change
                            .get(side)
                            .and_then(Value::as_str)
                            .and_then(|t| serde_json::from_str::<Vec<i32>>(t).ok());
                        wanted.departments.extend(ids.unwrap_or_default());
                    }
                    continue;
                }
                let set = match audit_fields::kind(&event.entity, &event.action, field) {
                    Some(ValueKind::User) => &mut wanted.users,
                    Some(ValueKind::Incident) => &mut wanted.incidents,
                    Some(ValueKind::CorrectiveAction) => &mut wanted.corrective_actions,
                    Some(ValueKind::Duty) => &mut wanted.duties,
                    Some(ValueKind::Department) => &mut wanted.departments,
                    Some(ValueKind::Person) => &mut wanted.people,
                    _ => continue,
                };
                set.extend(["before", "after"].iter().filter_map(|side| change.get(*side).and_then(id_of)));
            }
        }
        wanted
    }
}

/// Loads what `events` refer to, within the organisation: at most thirteen queries, none for a
/// kind of record the entries do not mention.
///
/// # Errors
/// When a query fails.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    events: &[audit_event::Model],
) -> Result<Refs, DbErr> {
    load_kinds(db, organisation_id, events, false).await
}

/// Like `load`, but always thirteen queries (an empty one for a kind the entries do not mention):
/// for a page whose query count must not depend on what its latest entries are about.
///
/// # Errors
/// When a query fails.
pub async fn load_every_kind<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    events: &[audit_event::Model],
) -> Result<Refs, DbErr> {
    load_kinds(db, organisation_id, events, true).await
}

async fn load_kinds<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    events: &[audit_event::Model],
    every_kind: bool,
) -> Result<Refs, DbErr> {
    let mut wanted = Wanted::of(events);
    let mut refs = Refs::default();
    if every_kind || !wanted.duty_records.is_empty() {
        refs.duty_records = duty_record::Entity::find()
            .select_only()
            .columns([duty_record::Column::Id, duty_record::Column::DutyId])
            .columns([duty_record::Column::PmsYear, duty_record::Column::Slot])
            .filter(duty_record::Column::OrganisationId.eq(organisation_id))
            .filter(duty_record::Column::Id.is_in(wanted.duty_records.iter().copied()))
            .into_tuple::<(i32, i32, i32, i32)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, duty, year, slot)| (id, (duty, year, slot)))
            .collect();
        wanted.duties.extend(refs.duty_records.values().map(|(duty, _, _)| *duty));
    }
    if every_kind || !wanted.members.is_empty() {
        refs.members = membership::Entity::find()
            .select_only()
            .columns([membership::Column::Id, membership::Column::UserId])
            .filter(membership::Column::OrganisationId.eq(organisation_id))
            .filter(membership::Column::Id.is_in(wanted.members.iter().copied()))
            .into_tuple::<(i32, i32)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        wanted.users.extend(refs.members.values().copied());
    }
    if every_kind || !wanted.invitations.is_empty() {
        refs.invitations = invitation::Entity::find()
            .select_only()
            .columns([invitation::Column::Id, invitation::Column::Email])
            .filter(invitation::Column::OrganisationId.eq(organisation_id))
            .filter(invitation::Column::Id.is_in(wanted.invitations.iter().copied()))
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
    }
    if every_kind || !wanted.recipients.is_empty() {
        refs.recipients = reminder_recipient::Entity::find()
            .select_only()
            .columns([reminder_recipient::Column::Id, reminder_recipient::Column::Email])
            .filter(reminder_recipient::Column::OrganisationId.eq(organisation_id))
            .filter(reminder_recipient::Column::Id.is_in(wanted.recipients.iter().copied()))
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
    }
    if every_kind || !wanted.people.is_empty() {
        refs.people = person::Entity::find()
            .select_only()
            .columns([person::Column::Id, person::Column::Name])
            .filter(person::Column::OrganisationId.eq(organisation_id))
            .filter(person::Column::Id.is_in(wanted.people.iter().copied()))
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
    }
    if every_kind || !wanted.departments.is_empty() {
        // Every department of the organisation (a few dozen rows): a path needs its parents.
        let all =
            department::Entity::find().filter(department::Column::OrganisationId.eq(organisation_id)).all(db).await?;
        refs.departments = crate::store::people::department_paths(&all)
            .into_iter()
            .filter(|(id, _)| wanted.departments.contains(id))
            .map(|(id, path)| (id, path.join(" / ")))
            .collect();
    }
    if every_kind || !wanted.users.is_empty() {
        refs.users = user::Entity::find()
            .select_only()
            .columns([user::Column::Id, user::Column::DisplayName])
            .filter(user::Column::Id.is_in(wanted.users.iter().copied()))
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
    }
    if every_kind || !wanted.controls.is_empty() {
        refs.controls = organisation_control::Entity::find()
            .select_only()
            .columns([organisation_control::Column::Id, organisation_control::Column::CatalogVersion])
            .column(organisation_control::Column::ControlId)
            .filter(organisation_control::Column::OrganisationId.eq(organisation_id))
            .filter(organisation_control::Column::Id.is_in(wanted.controls.iter().copied()))
            .into_tuple::<(i32, String, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, version, clause)| (id, (version, clause)))
            .collect();
    }
    if every_kind || !wanted.filings.is_empty() {
        refs.filings = incident_filing::Entity::find()
            .select_only()
            .columns([incident_filing::Column::Id, incident_filing::Column::IncidentId])
            .column(incident_filing::Column::Track)
            .filter(incident_filing::Column::OrganisationId.eq(organisation_id))
            .filter(incident_filing::Column::Id.is_in(wanted.filings.iter().copied()))
            .into_tuple::<(i32, i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, incident, track)| (id, (incident, track)))
            .collect();
        wanted.incidents.extend(refs.filings.values().map(|(incident, _)| *incident));
    }
    if every_kind || !wanted.timelines.is_empty() {
        refs.timelines = incident_timeline::Entity::find()
            .select_only()
            .columns([incident_timeline::Column::Id, incident_timeline::Column::IncidentId])
            .column(incident_timeline::Column::Kind)
            .filter(incident_timeline::Column::OrganisationId.eq(organisation_id))
            .filter(incident_timeline::Column::Id.is_in(wanted.timelines.iter().copied()))
            .into_tuple::<(i32, i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, incident, kind)| (id, (incident, kind)))
            .collect();
        wanted.incidents.extend(refs.timelines.values().map(|(incident, _)| *incident));
    }
    if every_kind || !wanted.incidents.is_empty() {
        refs.incidents = incident::Entity::find()
            .select_only()
            .columns([incident::Column::Id, incident::Column::Title])
            .filter(incident::Column::OrganisationId.eq(organisation_id))
            .filter(incident::Column::Id.is_in(wanted.incidents.iter().copied()))
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
    }
    if every_kind || !wanted.corrective_actions.is_empty() {
        refs.corrective_actions = corrective_action::Entity::find()
            .select_only()
            .columns([corrective_action::Column::Id, corrective_action::Column::Title])
            .filter(corrective_action::Column::OrganisationId.eq(organisation_id))
            .filter(corrective_action::Column::Id.is_in(wanted.corrective_actions.iter().copied()))
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
    }
    if every_kind || !wanted.duties.is_empty() {
        refs.duties = duty::Entity::find()
            .filter(duty::Column::OrganisationId.eq(organisation_id))
            .filter(duty::Column::Id.is_in(wanted.duties.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect();
    }
    Ok(refs)
}
