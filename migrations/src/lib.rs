//! Database migrations for pmark. One file per change; every file serves SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_create_accounts;
mod m20261127_000002_create_audit_events;
mod m20261127_000003_create_pms_records;
mod m20261127_000004_add_organisation_data_version;
mod m20261127_000005_add_session_user;
mod m20261127_000006_create_certifications;
mod m20261127_000007_create_outbox;
mod m20261127_000008_add_reminder_recipients;
mod m20261127_000009_create_incidents;
mod m20261201_000010_rename_filings_and_checks;
mod m20261201_000011_create_people;
mod m20261201_000012_create_trainings;
mod m20261201_170000_add_audit_event_indexes;
mod m20261201_180000_create_evidence_blobs;
mod m20261201_190000_people_bump_version;
mod m20261202_000013_add_outbox_org_indexes;
mod m20261202_000014_statement_level_version_bumps;
mod m20261203_000101_add_certification_renewal_decided_on;
mod m20261203_000120_create_pms_structures;
mod m20261203_000121_add_record_lock_versions;
mod m20261203_000130_add_organisation_date_style;

/// Runs every migration of pmark in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_create_accounts::Migration),
            Box::new(m20261127_000002_create_audit_events::Migration),
            Box::new(m20261127_000003_create_pms_records::Migration),
            Box::new(m20261127_000004_add_organisation_data_version::Migration),
            Box::new(m20261127_000005_add_session_user::Migration),
            Box::new(m20261127_000006_create_certifications::Migration),
            Box::new(m20261127_000007_create_outbox::Migration),
            Box::new(m20261127_000008_add_reminder_recipients::Migration),
            Box::new(m20261127_000009_create_incidents::Migration),
            Box::new(m20261201_000010_rename_filings_and_checks::Migration),
            Box::new(m20261201_000011_create_people::Migration),
            Box::new(m20261201_000012_create_trainings::Migration),
            Box::new(m20261201_170000_add_audit_event_indexes::Migration),
            Box::new(m20261201_180000_create_evidence_blobs::Migration),
            Box::new(m20261201_190000_people_bump_version::Migration),
            Box::new(m20261202_000013_add_outbox_org_indexes::Migration),
            Box::new(m20261202_000014_statement_level_version_bumps::Migration),
            Box::new(m20261203_000101_add_certification_renewal_decided_on::Migration),
            Box::new(m20261203_000120_create_pms_structures::Migration),
            Box::new(m20261203_000121_add_record_lock_versions::Migration),
            Box::new(m20261203_000130_add_organisation_date_style::Migration),
        ]
    }
}
