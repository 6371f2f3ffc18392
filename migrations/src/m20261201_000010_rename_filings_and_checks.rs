//! One meaning per word: an incident's reports to the authorities become *filings* (the
//! audit-prep report keeps "report"), and the controls an incident flags are *checked* (a
//! control's periodic review keeps "review"). Renames the tables, the evidence column and the
//! timeline kind `report`. The audit trail is append-only and keeps the names it was written
//! with: `store::audit` reads the old names as the new ones (`RENAMED`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn rename(manager: &SchemaManager<'_>, forward: bool) -> Result<(), DbErr> {
    let tables = [("incident_reports", "incident_filings"), ("control_reviews", "control_checks")];
    for (old, new) in tables {
        let (from, to) = if forward { (old, new) } else { (new, old) };
        manager.rename_table(Table::rename().table(Alias::new(from), Alias::new(to)).to_owned()).await?;
    }
    let (from, to) = if forward {
        ("incident_report_id", "incident_filing_id")
    } else {
        ("incident_filing_id", "incident_report_id")
    };
    manager
        .alter_table(
            Table::alter().table(Alias::new("evidence")).rename_column(Alias::new(from), Alias::new(to)).to_owned(),
        )
        .await?;
    let db = manager.get_connection();
    let (from, to) = if forward { ("report", "filing") } else { ("filing", "report") };
    db.execute_unprepared(&format!("UPDATE incident_timeline SET kind = '{to}' WHERE kind = '{from}'")).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rename(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rename(manager, false).await
    }
}
