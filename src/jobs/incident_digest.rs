//! The daily digest: for every organisation, once a day (Japan time), the filings due tomorrow,
//! due today or past their date, the corrective actions past due and the checks still open, and
//! the PMS plan (PMS年間計画) items due within two weeks or overdue: duty occurrences not recorded
//! and control reviews. Filings to the PPC and the notice to the individuals are legal duties:
//! members who opted out of other reminders still get those, in a digest of their own, without
//! the plan.

use crate::domain::outbox::MessageKind;
use std::collections::{BTreeMap, HashMap};

use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::Lang;
use crate::domain::incident::filings::Track;
use crate::domain::lang::DateStyle;
use crate::i18n::{self, Translator};
use crate::jobs::audience::Audience;
use crate::store::{self, outbox::NewMessage};

/// When a filing is reminded of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    DueTomorrow,
    DueToday,
    /// Days past the target date.
    PastDue(i64),
}

impl Urgency {
    /// The urgency of a filing with target `due_on` on `today`, if it is reminded today.
    pub fn of(due_on: NaiveDate, today: NaiveDate) -> Option<Self> {
        let days = (today - due_on).num_days();
        match days {
            -1 => Some(Urgency::DueTomorrow),
            0 => Some(Urgency::DueToday),
            d if d > 0 => Some(Urgency::PastDue(d)),
            _ => None,
        }
    }
}

/// One filing line of a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingLine {
    pub incident_id: i32,
    pub incident: String,
    pub track: Track,
    pub due_on: NaiveDate,
    pub latest_on: Option<NaiveDate>,
    pub urgency: Urgency,
}

/// Days ahead that a PMS plan item is reminded of.
pub const PLAN_LOOK_AHEAD_DAYS: i64 = 14;

/// A duty occurrence of the PMS plan with no record, due soon or overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyLine {
    pub duty: crate::entities::duty::Model,
    pub pms_year: i32,
    pub slot: u32,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

/// A control whose review is due soon or overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewLine {
    pub control_id: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

/// What one organisation's digest holds today.
#[derive(Debug, Clone, Default)]
pub struct Digest {
    pub organisation_id: i32,
    pub organisation: String,
    /// How the organisation writes dates (西暦 or 和暦).
    pub dates: DateStyle,
    pub filings: Vec<FilingLine>,
    /// `(id, title, due date)` of corrective actions past due.
    pub overdue_actions: Vec<(i32, String, NaiveDate)>,
    /// `(incident id, incident title, open checks)`.
    pub open_checks: Vec<(i32, String, usize)>,
    /// PMS年間計画: duty occurrences due within two weeks or overdue, by due date.
    pub duties_due: Vec<DutyLine>,
    /// Control reviews due within two weeks or overdue, by due date.
    pub reviews_due: Vec<ReviewLine>,
}

impl Digest {
    fn is_empty(&self) -> bool {
        !self.has_incident_items() && !self.has_plan_items()
    }

    fn has_incident_items(&self) -> bool {
        !(self.filings.is_empty() && self.overdue_actions.is_empty() && self.open_checks.is_empty())
    }

    fn has_plan_items(&self) -> bool {
        !(self.duties_due.is_empty() && self.reviews_due.is_empty())
    }

    fn count(&self) -> usize {
        self.filings.len()
            + self.overdue_actions.len()
            + self.open_checks.len()
            + self.duties_due.len()
            + self.reviews_due.len()
    }

    /// The subject's key: what the digest is about.
    fn subject_key(&self) -> &'static str {
        match (self.has_incident_items(), self.has_plan_items()) {
            (true, true) => "digest-subject-both",
            (false, true) => "digest-subject-plan",
            _ => "digest-subject",
        }
    }

    /// The part that is a legal duty (filings to the PPC, the notice to the individuals).
    fn legal_only(&self) -> Self {
        Self {
            organisation_id: self.organisation_id,
            organisation: self.organisation.clone(),
            dates: self.dates,
            filings: self.filings.iter().filter(|r| r.track.is_legal_duty()).cloned().collect(),
            overdue_actions: Vec::new(),
            open_checks: Vec::new(),
            duties_due: Vec::new(),
            reviews_due: Vec::new(),
        }
    }
}

/// The digests due on `today` (organisations with nothing to say are left out), from nine
/// queries whatever the number of organisations.
///
/// # Errors
/// When a query fails.
pub async fn plan<C: ConnectionTrait>(db: &C, today: NaiveDate) -> anyhow::Result<Vec<Digest>> {
    use chrono::Datelike;
    let horizon = today + chrono::Duration::days(PLAN_LOOK_AHEAD_DAYS);
    // The previous PMS year of any start month begins in the calendar year before last at the
    // earliest.
    let sources = store::digest_sources::load(db, today.year() - 2, horizon).await?;
    let organisations = store::organisations::all(db).await?;
    let names: HashMap<i32, (String, DateStyle)> =
        organisations.iter().map(|org| (org.id, (org.name.clone(), org.date_style))).collect();
    let mut digests: BTreeMap<i32, Digest> = BTreeMap::new();
    let titles: HashMap<i32, &str> = sources.open_incidents.iter().map(|i| (i.id, i.title.as_str())).collect();
    for row in &sources.outstanding_filings {
        let (Some(title), Some(due_on)) = (titles.get(&row.incident_id), row.due_on) else { continue };
        if let (Some(urgency), Some(digest)) =
            (Urgency::of(due_on, today), digest_of(&mut digests, &names, row.organisation_id))
        {
            digest.filings.push(FilingLine {
                incident_id: row.incident_id,
                incident: (*title).to_owned(),
                track: row.track,
                due_on,
                latest_on: row.latest_on,
                urgency,
            });
        }
    }
    for action in sources.open_actions.iter().filter(|a| a.due_on < today) {
        if let Some(digest) = digest_of(&mut digests, &names, action.organisation_id) {
            digest.overdue_actions.push((action.id, action.title.clone(), action.due_on));
        }
    }
    let mut open: HashMap<i32, usize> = HashMap::new();
    for check in sources.open_checks.iter().filter(|r| titles.contains_key(&r.incident_id)) {
        *open.entry(check.incident_id).or_default() += 1;
    }
    for incident in &sources.open_incidents {
        if let (Some(n), Some(digest)) =
            (open.get(&incident.id), digest_of(&mut digests, &names, incident.organisation_id))
        {
            digest.open_checks.push((incident.id, incident.title.clone(), *n));
        }
    }
    let plan_rows = PlanRows::of(&sources);
    for org in &organisations {
        let duties = plan_rows.due(org, today, horizon);
        if let (false, Some(digest)) = (duties.is_empty(), digest_of(&mut digests, &names, org.id)) {
            digest.duties_due = duties;
        }
    }
    for control in &sources.reviews_due {
        let Some(due_on) = control.next_review_due else { continue };
        if let Some(digest) = digest_of(&mut digests, &names, control.organisation_id) {
            digest.reviews_due.push(ReviewLine {
                control_id: control.control_id.clone(),
                due_on,
                overdue: due_on < today,
            });
        }
    }
    Ok(digests.into_values().filter(|d| !d.is_empty()).collect())
}

/// The PMS plan's rows of every organisation, grouped by organisation once.
#[derive(Default)]
struct PlanRows<'a> {
    duties: HashMap<i32, Vec<&'a crate::entities::duty::Model>>,
    records: HashMap<i32, Vec<crate::entities::duty_record::Model>>,
    trainings: HashMap<i32, Vec<crate::entities::training::Model>>,
}

impl<'a> PlanRows<'a> {
    fn of(sources: &'a store::digest_sources::DigestSources) -> Self {
        let mut rows = Self::default();
        for duty in &sources.duties {
            rows.duties.entry(duty.organisation_id).or_default().push(duty);
        }
        for record in &sources.records {
            rows.records.entry(record.organisation_id).or_default().push(record.clone());
        }
        for training in &sources.trainings {
            rows.trainings.entry(training.organisation_id).or_default().push(training.clone());
        }
        rows
    }

    /// The organisation's duty occurrences of the previous and the current PMS year that have
    /// no record and are due by `horizon` (overdue included), by due date: the dashboard's rule
    /// (`view::duty_schedule`).
    fn due(&self, org: &crate::entities::organisation::Model, today: NaiveDate, horizon: NaiveDate) -> Vec<DutyLine> {
        use crate::domain::pms_year::{Month, OccurrenceState, PmsYear};
        let Some(duties) = self.duties.get(&org.id) else { return Vec::new() };
        let records = self.records.get(&org.id).map_or(&[][..], Vec::as_slice);
        let trainings = self.trainings.get(&org.id).map_or(&[][..], Vec::as_slice);
        let start =
            u32::try_from(org.pms_year_start_month).ok().and_then(|m| Month::new(m).ok()).unwrap_or(Month::APRIL);
        let year = PmsYear::containing(today, start);
        let mut lines = Vec::new();
        for year in [year.previous(), year] {
            for row in crate::view::duty_schedule::rows(duties, records, trainings, year, today, Lang::Ja) {
                for item in &row.occurrences {
                    let due_on = item.occurrence.due_on;
                    let overdue = item.state == OccurrenceState::Overdue;
                    if overdue || (item.state == OccurrenceState::DueSoon && due_on <= horizon) {
                        lines.push(DutyLine {
                            duty: row.duty.clone(),
                            pms_year: item.occurrence.pms_year,
                            slot: item.occurrence.slot,
                            due_on,
                            overdue,
                        });
                    }
                }
            }
        }
        lines.sort_by_key(|l| (l.due_on, l.duty.id));
        lines
    }
}

/// The digest of an organisation that still exists, started on first use.
fn digest_of<'a>(
    digests: &'a mut BTreeMap<i32, Digest>,
    names: &HashMap<i32, (String, DateStyle)>,
    organisation_id: i32,
) -> Option<&'a mut Digest> {
    let (name, dates) = names.get(&organisation_id)?;
    Some(digests.entry(organisation_id).or_insert_with(|| Digest {
        organisation_id,
        organisation: name.clone(),
        dates: *dates,
        ..Digest::default()
    }))
}

#[derive(Template)]
#[template(path = "email/incident_digest.txt")]
struct DigestText<'a> {
    ctx: Translator,
    digest: &'a Digest,
    base: &'a str,
}

#[derive(Template)]
#[template(path = "email/incident_digest.html")]
struct DigestHtml<'a> {
    ctx: Translator,
    digest: &'a Digest,
    base: &'a str,
}

impl DigestText<'_> {
    fn urgency(&self, line: &FilingLine) -> String {
        urgency_text(self.ctx.lang, line)
    }

    fn duty_name(&self, line: &DutyLine) -> String {
        crate::view::duty_schedule::duty_name(&line.duty, self.ctx.lang)
    }
}

impl DigestHtml<'_> {
    fn urgency(&self, line: &FilingLine) -> String {
        urgency_text(self.ctx.lang, line)
    }

    fn duty_name(&self, line: &DutyLine) -> String {
        crate::view::duty_schedule::duty_name(&line.duty, self.ctx.lang)
    }
}

fn urgency_text(lang: Lang, line: &FilingLine) -> String {
    match line.urgency {
        Urgency::DueTomorrow => i18n::t(lang, "digest-due-tomorrow"),
        Urgency::DueToday => i18n::t(lang, "digest-due-today"),
        Urgency::PastDue(days) => i18n::t_args(lang, "digest-past-due", &[("days", days.to_string())]),
    }
}

/// Enqueues today's digests: per organisation and language, the whole digest (the PMS plan
/// included) for the members who take every reminder (and the extra addresses), and the legal
/// part for those who opted out.
/// Each is keyed by the day, so it goes out once a day at most; the keys already in the outbox
/// are looked up first, so a later pass of the day renders nothing. Grouped queries only.
///
/// # Errors
/// When a query or a template fails.
pub async fn enqueue<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    public_url: &str,
    digests: &[Digest],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    const VARIANTS: [&str; 2] = ["all", "legal"];
    let key = |digest: &Digest, lang: Lang, variant: &str| {
        format!("{}:incident-digest:{today}:{}:{variant}", digest.organisation_id, lang.code())
    };
    let keys: Vec<String> = digests
        .iter()
        .flat_map(|d| Lang::ALL.into_iter().flat_map(move |lang| VARIANTS.map(|v| key(d, lang, v))))
        .collect();
    let existing = store::outbox::existing_keys(db, &keys).await?;
    let pending: Vec<&Digest> = digests
        .iter()
        .filter(|d| Lang::ALL.into_iter().any(|lang| VARIANTS.iter().any(|v| !existing.contains(&key(d, lang, v)))))
        .collect();
    let organisations: Vec<i32> = pending.iter().map(|d| d.organisation_id).collect();
    let audiences = Audience::load_many(db, &organisations).await?;
    let mut messages = Vec::new();
    for digest in pending {
        let Some(audience) = audiences.get(&digest.organisation_id) else { continue };
        let base = format!("{public_url}/orgs/{}", digest.organisation_id);
        let legal = digest.legal_only();
        for lang in Lang::ALL {
            let everyone = audience.recipients(lang, false);
            let legal_only: Vec<String> =
                audience.recipients(lang, true).into_iter().filter(|a| !everyone.contains(a)).collect();
            for (variant, content, recipients) in [("all", digest, everyone), ("legal", &legal, legal_only)] {
                let dedupe_key = key(digest, lang, variant);
                if recipients.is_empty() || content.is_empty() || existing.contains(&dedupe_key) {
                    continue;
                }
                let ctx = || Translator { lang, dates: digest.dates };
                let count = content.count();
                messages.push(NewMessage {
                    organisation_id: Some(digest.organisation_id),
                    dedupe_key,
                    kind: MessageKind::IncidentDigest,
                    recipients,
                    lang,
                    subject: i18n::t_args(
                        lang,
                        content.subject_key(),
                        &[("organisation", digest.organisation.clone()), ("count", count.to_string())],
                    ),
                    body_text: DigestText { ctx: ctx(), digest: content, base: &base }.render()?,
                    body_html: DigestHtml { ctx: ctx(), digest: content, base: &base }.render()?,
                    skip_reason: None,
                });
            }
        }
    }
    Ok(usize::try_from(store::outbox::enqueue_many(db, messages, now).await?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_report_is_reminded_the_day_before_on_the_day_and_every_day_after() {
        let due = day("2026-12-01");
        assert_eq!(Urgency::of(due, day("2026-11-29")), None);
        assert_eq!(Urgency::of(due, day("2026-11-30")), Some(Urgency::DueTomorrow));
        assert_eq!(Urgency::of(due, day("2026-12-01")), Some(Urgency::DueToday));
        assert_eq!(Urgency::of(due, day("2026-12-04")), Some(Urgency::PastDue(3)));
    }
}
