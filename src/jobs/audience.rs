//! Who an organisation's reminder e-mails go to: the renewal reminders and the incident digest
//! share it.

use sea_orm::ConnectionTrait;

use crate::domain::Lang;
use crate::store;

/// Who receives an organisation's reminders: its admins and officers, and its extra addresses.
pub struct Audience {
    members: Vec<store::organisations::Member>,
    extra: Vec<crate::entities::reminder_recipient::Model>,
}

impl Audience {
    /// The organisation's members and extra addresses.
    ///
    /// # Errors
    /// When a query fails.
    pub async fn load<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Self, sea_orm::DbErr> {
        Ok(Self {
            members: store::organisations::members(db, organisation_id).await?,
            extra: store::reminder_recipients::list(db, organisation_id).await?,
        })
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
