//! Who an organisation's reminder e-mails go to: the renewal reminders and the incident digest
//! share it.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;

use crate::domain::Lang;
use crate::store;

/// Who receives an organisation's reminders: its admins and officers, and its extra addresses.
#[derive(Default)]
pub struct Audience {
    members: Vec<store::organisations::Member>,
    extra: Vec<crate::entities::reminder_recipient::Model>,
}

impl Audience {
    /// The audiences of many organisations in two grouped queries (per thousand organisations);
    /// an organisation without members or extra addresses is absent.
    ///
    /// # Errors
    /// When a query fails.
    pub async fn load_many<C: ConnectionTrait>(
        db: &C,
        organisation_ids: &[i32],
    ) -> Result<HashMap<i32, Self>, sea_orm::DbErr> {
        if organisation_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut audiences: HashMap<i32, Self> = HashMap::new();
        for (id, members) in store::organisations::members_of_many(db, organisation_ids).await? {
            audiences.entry(id).or_default().members = members;
        }
        for (id, extra) in store::reminder_recipients::of_many(db, organisation_ids).await? {
            audiences.entry(id).or_default().extra = extra;
        }
        Ok(audiences)
    }

    /// The addresses that read `lang`: admins and officers (except those who opted out, unless
    /// the reminder is about a `legal_duty`), then the extra addresses.
    pub fn recipients(&self, lang: Lang, legal_duty: bool) -> Vec<String> {
        let members = self
            .members
            .iter()
            .filter(|m| m.role.can_edit() && (legal_duty || !m.reminders_opt_out))
            .filter(|m| m.user.locale == lang)
            .map(|m| m.user.email.clone());
        let extra = self.extra.iter().filter(|r| r.lang == lang).map(|r| r.email.clone());
        let mut all: Vec<String> = members.chain(extra).collect();
        all.sort_unstable_by_key(|a| a.to_lowercase());
        all.dedup_by_key(|a| a.to_lowercase());
        all
    }
}
