//! Sample incidents for `pmark demo --incidents N`: real kinds of incident (the JIMOS card-data
//! leak, a BCC mistake, a stolen laptop, an insider at a subcontractor, phishing, a public cloud
//! bucket), spread over the years up to today, each assessed and recorded with its filings and
//! checks like one entered through the form; some filed and decided, some not.

use chrono::{Duration, NaiveDate};
use sea_orm::{DatabaseConnection, TransactionTrait};
use serde_json::{Value, json};

use crate::domain::catalog::Catalog;
use crate::domain::incident::{CheckRules, IncidentFacts};
use crate::store::{
    self,
    audit::Actor,
    incidents::{IncidentInput, IncidentText},
};

fn facts(kind: usize, discovered_on: NaiveDate) -> Value {
    let day = discovered_on.to_string();
    match kind % 6 {
        0 => json!({"title": "ECサイトのカード情報流出", "discovered_on": day, "kinds": ["leak"],
            "causes": ["web_vulnerability", "unauthorized_access"], "data": ["name", "credit_card", "card_security_code"],
            "affected_people": 107661, "parties": ["external_attacker"], "systems": ["ec_site"],
            "detected_by": "payment_processor", "strongly_encrypted": false, "retained_beyond_need": true}),
        1 => {
            json!({"title": "メールの BCC 誤り", "discovered_on": day, "kinds": ["leak"], "causes": ["misdelivery_email"],
            "data": ["email_address"], "affected_people": 89, "parties": ["own_staff"], "systems": ["email"],
            "detected_by": "customer"})
        }
        2 => json!({"title": "ノートPCの盗難", "discovered_on": day, "kinds": ["loss"], "causes": ["stolen_item"],
            "data": ["name", "contact"], "affected_people": 400, "parties": ["own_staff"], "systems": ["pc"],
            "detected_by": "internal", "strongly_encrypted": false}),
        3 => json!({"title": "再委託先従業者による持ち出し", "discovered_on": day, "kinds": ["leak", "misuse"],
            "causes": ["insider_theft", "removable_media"], "data": ["name", "contact", "date_of_birth"],
            "affected_people": 35040, "parties": ["subcontractor"], "systems": ["database", "usb_media"],
            "detected_by": "customer"}),
        4 => json!({"title": "フィッシングによるアカウント侵害", "discovered_on": day, "kinds": ["leak"],
            "causes": ["phishing", "unauthorized_access"], "data": ["name", "email_address", "login_credentials"],
            "affected_people": 1200, "parties": ["own_staff"], "systems": ["email", "cloud_storage"],
            "detected_by": "internal"}),
        _ => json!({"title": "クラウドストレージの公開設定誤り", "discovered_on": day, "kinds": ["leak"],
            "causes": ["misconfiguration"], "data": ["name", "contact"], "affected_people": null,
            "parties": ["contractor"], "systems": ["cloud_storage"], "detected_by": "external_report"}),
    }
}

/// Records sample incident number `n` (its kind varies with `n`), discovered on `discovered_on`,
/// assessed like one entered through the form.
async fn record<C: sea_orm::ConnectionTrait>(
    db: &C,
    catalog: &Catalog,
    rules: &CheckRules,
    organisation_id: i32,
    n: usize,
    discovered_on: NaiveDate,
) -> anyhow::Result<crate::entities::incident::Model> {
    let value = facts(n, discovered_on);
    let parsed = IncidentFacts::from_json(&value)?;
    let assessment = rules.assess(&parsed);
    let text = IncidentText {
        title: format!("{} #{}", value["title"].as_str().unwrap_or("事故"), n + 1),
        description: "デモデータ".to_owned(),
        cause_narrative: String::new(),
        contractor: String::new(),
    };
    let input = IncidentInput { text: &text, facts_json: &value.to_string(), discovered_on, assessment: &assessment };
    let (incident, _) =
        store::incidents::create(db, &Actor::command_line(), organisation_id, &input, &catalog.version).await?;
    Ok(incident)
}

/// Records one open sample incident (number `n`) discovered on `discovered_on`.
///
/// # Errors
/// When a write fails.
pub async fn seed_one(
    db: &DatabaseConnection,
    catalog: &Catalog,
    rules: &CheckRules,
    organisation_id: i32,
    n: usize,
    discovered_on: NaiveDate,
) -> anyhow::Result<()> {
    let txn = db.begin().await?;
    record(&txn, catalog, rules, organisation_id, n, discovered_on).await?;
    txn.commit().await?;
    Ok(())
}

/// Records `count` sample incidents for the organisation, discovered over `years` years up to
/// `today`. Returns how many were recorded.
///
/// # Errors
/// When a write fails.
pub async fn seed(
    db: &DatabaseConnection,
    catalog: &Catalog,
    organisation_id: i32,
    count: usize,
    years: i32,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let rules = CheckRules::builtin(catalog)?;
    let actor = Actor::command_line();
    let span_days = i64::from(years.max(1)) * 365;
    let txn = db.begin().await?;
    for n in 0..count {
        let back = i64::try_from(n).unwrap_or(0) * span_days / i64::try_from(count.max(1)).unwrap_or(1);
        let discovered_on = today - Duration::days(back);
        let incident = record(&txn, catalog, &rules, organisation_id, n, discovered_on).await?;
        // Older incidents were handled: their filings made (one in five late) and checks decided.
        if back > 90 {
            for filing in store::incidents::filings_of(&txn, incident.id).await?.into_iter().filter(|r| r.required) {
                let late = n % 5 == 0;
                let on = filing.due_on.unwrap_or(discovered_on) + Duration::days(if late { 7 } else { 0 });
                let made =
                    store::incident_progress::FilingMade { submitted_on: on, reference: Some(format!("R-{}", n + 1)) };
                store::incident_progress::record_filing(&txn, &actor, filing, &made).await?;
            }
            for check in store::incidents::checks_of_incident(&txn, incident.id).await? {
                store::incident_progress::decide_check(
                    &txn,
                    &actor,
                    check,
                    &store::incident_progress::CheckDecision {
                        state: crate::domain::incident::CheckState::NoChangeNeeded,
                        note: "既存の対策で十分".to_owned(),
                        corrective_action_id: None,
                    },
                )
                .await?;
            }
            store::incident_progress::set_status(
                &txn,
                &actor,
                incident,
                crate::domain::incident::IncidentStatus::Closed,
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(count)
}

/// Records a current Privacy Mark cycle for a sample organisation, valid from `valid_from` for
/// two years (granted two years before that).
///
/// # Errors
/// When a write fails.
pub async fn certify<C: sea_orm::ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    valid_from: NaiveDate,
) -> anyhow::Result<()> {
    use crate::domain::certification::CertificationStatus;
    use crate::store::certifications::CertificationValues;
    let values = CertificationValues {
        registration_number: "10823456(02)".to_owned(),
        examination_body: crate::domain::certification::ExaminationBody::Jipdec,
        examination_body_other: None,
        first_granted_on: valid_from - Duration::days(730),
        valid_from,
        valid_until: crate::domain::certification::two_year_expiry(valid_from),
        status: CertificationStatus::Valid,
        applied_on: None,
        notes: String::new(),
    };
    store::certifications::save(db, &Actor::command_line(), organisation_id, None, 0, &values)
        .await
        .map_err(|e| anyhow::anyhow!("the sample certification: {e}"))
}
