//! The renewal picture of a Privacy Mark cycle as pages and the report show it: the window, the
//! phase in words, the milestones and the cycle's timeline.

use chrono::NaiveDate;

use crate::domain::certification::CertificationStatus;
use crate::domain::renewal::{Phase, RenewalWindow};
use crate::entities::certification;
use crate::i18n;

/// The renewal picture of the current cycle.
pub struct RenewalView {
    pub window: RenewalWindow,
    /// The phase in words (申請受付期間中: あと23日).
    pub phase_text: String,
    /// `early`, `preparing`, `open`, `closed`, `expired`, `applied`: for the badge colour.
    pub phase_key: &'static str,
    pub milestones: Vec<(String, NaiveDate, bool)>,
    /// The cycle as a picture.
    pub timeline: crate::view::certification_timeline::CycleTimeline,
}

/// Where `today` stands for a cycle, in the viewer's language, with the renewal settings given
/// (the web pages, the report and the shell share it).
pub fn renewal_view_with(
    renewal: &crate::settings::RenewalSettings,
    cert: &certification::Model,
    locale: i18n::Locale,
    today: NaiveDate,
) -> RenewalView {
    let lang = locale.lang;
    let window = renewal.window(cert.valid_until);
    let days = |n: i64| vec![("days", n.to_string())];
    let (phase_key, phase_text) = match (cert.status, cert.applied_on, window.phase(today)) {
        (CertificationStatus::RenewalApplied, Some(applied), _) => {
            ("applied", i18n::t_args(lang, "renewal-phase-applied", &[("date", locale.date(applied))]))
        }
        (CertificationStatus::Revoked, _, _) => ("expired", i18n::t(lang, "renewal-phase-revoked")),
        (CertificationStatus::Lapsed, _, _) | (_, _, Phase::Expired) => {
            ("expired", i18n::t(lang, "renewal-phase-expired"))
        }
        (_, _, Phase::Early { days_to_prepare }) => {
            ("early", i18n::t_args(lang, "renewal-phase-early", &days(days_to_prepare)))
        }
        (_, _, Phase::Preparing { days_to_open }) => {
            ("preparing", i18n::t_args(lang, "renewal-phase-preparing", &days(days_to_open)))
        }
        (_, _, Phase::WindowOpen { days_left }) => ("open", i18n::t_args(lang, "renewal-phase-open", &days(days_left))),
        (_, _, Phase::WindowClosed { days_to_expiry }) => {
            ("closed", i18n::t_args(lang, "renewal-phase-closed", &days(days_to_expiry)))
        }
    };
    let milestones = window
        .milestones()
        .into_iter()
        .map(|(milestone, date)| (milestone.label_key(), date, date < today))
        .collect::<Vec<_>>();
    let names: Vec<(&str, NaiveDate)> =
        milestones.iter().map(|(key, date, _)| (i18n::text(lang, key), *date)).collect();
    let timeline = crate::view::certification_timeline::build(cert.valid_from, &window, today, &names, locale);
    RenewalView { window, phase_text, phase_key, milestones, timeline }
}
