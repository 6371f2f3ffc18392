//! How much evidence each control has. Evidence counts for the control it serves: attached to the
//! control itself, to a record of a duty (the duty's control, e.g. an internal audit's record for
//! A.3.7.2), or to a training (the control of the training duties, A.3.4.5). One grouped query; the
//! controls page (through the snapshot) and the report both count with `EvidenceCounts`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};

use crate::domain::duties::RecordKind;
use crate::entities::{duty, duty_record, evidence, organisation_control};

/// Evidence count and latest effective date of one control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EvidenceSummary {
    pub count: i64,
    pub latest: Option<NaiveDate>,
}

impl EvidenceSummary {
    fn add(&mut self, count: i64, latest: Option<NaiveDate>) {
        self.count += count;
        self.latest = self.latest.max(latest);
    }
}

/// The evidence attached to one thing (a control row, a duty record of a duty, a training).
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct EvidenceGroup {
    pub control_row_id: Option<i32>,
    pub duty_record_id: Option<i32>,
    /// The duty of `duty_record_id`.
    pub duty_id: Option<i32>,
    pub training_id: Option<i32>,
    pub count: i64,
    pub latest: Option<NaiveDate>,
}

/// An organisation's evidence, counted by what it is attached to.
#[derive(Debug, Clone, Default)]
pub struct EvidenceCounts {
    pub groups: Vec<EvidenceGroup>,
}

impl EvidenceCounts {
    /// Evidence items per duty record.
    pub fn by_record(&self) -> HashMap<i32, usize> {
        let mut counts = HashMap::new();
        for group in &self.groups {
            if let Some(id) = group.duty_record_id {
                *counts.entry(id).or_default() += usize::try_from(group.count).unwrap_or(0);
            }
        }
        counts
    }

    /// Evidence items per training.
    pub fn by_training(&self) -> HashMap<i32, usize> {
        let mut counts = HashMap::new();
        for group in &self.groups {
            if let Some(id) = group.training_id {
                *counts.entry(id).or_default() += usize::try_from(group.count).unwrap_or(0);
            }
        }
        counts
    }

    /// The evidence of each control row of `controls` (by row id): its own, its duties' records'
    /// and, for the controls of the training duties among `duties`, the trainings'.
    pub fn by_control(
        &self,
        controls: &[organisation_control::Model],
        duties: &[duty::Model],
    ) -> HashMap<i32, EvidenceSummary> {
        let row_of: HashMap<&str, i32> = controls.iter().map(|c| (c.control_id.as_str(), c.id)).collect();
        let duty_control: HashMap<i32, i32> =
            duties.iter().filter_map(|d| Some((d.id, *row_of.get(d.control_id.as_str())?))).collect();
        let training_controls: HashSet<i32> = duties
            .iter()
            .filter(|d| d.record_kind == RecordKind::Training)
            .filter_map(|d| row_of.get(d.control_id.as_str()).copied())
            .collect();
        let mut summaries: HashMap<i32, EvidenceSummary> = HashMap::new();
        for group in &self.groups {
            let mut served: Vec<i32> = group.control_row_id.into_iter().collect();
            served.extend(group.duty_id.and_then(|d| duty_control.get(&d)).copied());
            if group.training_id.is_some() {
                served.extend(training_controls.iter().copied());
            }
            served.sort_unstable();
            served.dedup();
            for row in served {
                summaries.entry(row).or_default().add(group.count, group.latest);
            }
        }
        summaries
    }
}

/// Loads the evidence counts of an organisation in one grouped query (a row per control, duty
/// record and training that has evidence).
///
/// # Errors
/// When the query fails.
pub async fn load<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<EvidenceCounts, DbErr> {
    let groups = evidence::Entity::find()
        .select_only()
        .column(evidence::Column::ControlRowId)
        .column(evidence::Column::DutyRecordId)
        .column_as(Expr::col((duty_record::Entity, duty_record::Column::DutyId)), "duty_id")
        .column(evidence::Column::TrainingId)
        .column_as(evidence::Column::Id.count(), "count")
        .column_as(evidence::Column::EffectiveOn.max(), "latest")
        .join(
            sea_orm::JoinType::LeftJoin,
            evidence::Entity::belongs_to(duty_record::Entity)
                .from(evidence::Column::DutyRecordId)
                .to(duty_record::Column::Id)
                .into(),
        )
        .filter(evidence::Column::OrganisationId.eq(organisation_id))
        .filter(
            Condition::any()
                .add(evidence::Column::ControlRowId.is_not_null())
                .add(evidence::Column::DutyRecordId.is_not_null())
                .add(evidence::Column::TrainingId.is_not_null()),
        )
        .group_by(evidence::Column::ControlRowId)
        .group_by(evidence::Column::DutyRecordId)
        .group_by(Expr::col((duty_record::Entity, duty_record::Column::DutyId)))
        .group_by(evidence::Column::TrainingId)
        .into_model::<EvidenceGroup>()
        .all(db)
        .await?;
    Ok(EvidenceCounts { groups })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::Utc;

    /// A control row of the 2017 catalog, applicable and not started.
    pub(crate) fn control(id: i32, control_id: &str) -> organisation_control::Model {
        let now = Utc::now();
        organisation_control::Model {
            id,
            organisation_id: 1,
            catalog_version: "JIS Q 15001:2017".into(),
            control_id: control_id.into(),
            applicable: true,
            not_applicable_reason: None,
            status: crate::domain::control::ControlStatus::NotStarted,
            owner_user_id: None,
            internal_rule: String::new(),
            notes: String::new(),
            last_reviewed_on: None,
            next_review_due: None,
            lock_version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    fn duty(id: i32, control_id: &str, kind: RecordKind) -> duty::Model {
        let now = Utc::now();
        duty::Model {
            id,
            organisation_id: 1,
            builtin_key: None,
            name: Some(format!("duty {id}")),
            catalog_version: "JIS Q 15001:2017".into(),
            control_id: control_id.into(),
            frequency: crate::domain::pms_year::Frequency::Yearly,
            due_month: 4,
            record_kind: kind,
            enabled: true,
            lock_version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    fn group(control: Option<i32>, record: Option<(i32, i32)>, training: Option<i32>, count: i64) -> EvidenceGroup {
        EvidenceGroup {
            control_row_id: control,
            duty_record_id: record.map(|r| r.0),
            duty_id: record.map(|r| r.1),
            training_id: training,
            count,
            latest: NaiveDate::from_ymd_opt(2026, 4, 1),
        }
    }

    #[test]
    fn evidence_on_a_record_or_a_training_counts_for_the_control_it_serves() {
        let controls = [control(10, "A.3.4.5"), control(20, "A.3.7.2"), control(30, "A.3.3.1")];
        let duties = [duty(1, "A.3.4.5", RecordKind::Training), duty(2, "A.3.7.2", RecordKind::InternalAudit)];
        let counts = EvidenceCounts {
            groups: vec![
                group(None, None, Some(7), 2),
                group(None, Some((5, 2)), None, 1),
                group(Some(30), None, None, 3),
                group(Some(20), None, None, 1),
            ],
        };
        let by_control = counts.by_control(&controls, &duties);
        assert_eq!(by_control[&10].count, 2, "the training's evidence");
        assert_eq!(by_control[&20].count, 2, "the audit record's and the control's own");
        assert_eq!(by_control[&30].count, 3);
        assert_eq!(by_control[&10].latest, NaiveDate::from_ymd_opt(2026, 4, 1));
        assert_eq!(counts.by_record()[&5], 1);
        assert_eq!(counts.by_training()[&7], 2);
    }
}
