//! Who made a change and which record it was about, in words.

use crate::entities::audit_event;
use crate::i18n;

use super::Context;
use super::values::label_or_raw;

/// The record an entry is about.
pub struct Subject {
    /// `管理策 A.3.7.2 …`, `事故「…」`.
    pub name: String,
    /// The record's page, when it has one and still exists.
    pub link: Option<String>,
}

/// The actor of an entry: the member's name, else what ran the change, else the recorded label.
pub fn actor(ctx: &Context<'_>, event: &audit_event::Model) -> String {
    if let Some(name) = event.actor_user_id.and_then(|id| ctx.refs.users.get(&id)) {
        return name.clone();
    }
    match event.actor_label.as_str() {
        "cli" | "setup" => i18n::t(ctx.lang, &format!("history-actor-{}", event.actor_label)),
        label => label.to_owned(),
    }
}

/// The record `entity` #`entity_id` in words, with a link to its page.
pub fn of(ctx: &Context<'_>, entity: &str, entity_id: &str) -> Subject {
    let id = entity_id.parse::<i32>().ok();
    named(ctx, entity, id).unwrap_or_else(|| Subject {
        name: i18n::t_args(
            ctx.lang,
            "history-subject-other",
            &[
                ("entity", label_or_raw(ctx.lang, &format!("audit-entity-{entity}"), entity)),
                ("id", entity_id.to_owned()),
            ],
        ),
        link: match entity {
            "duty" => Some(format!("/orgs/{}/duties", ctx.org)),
            "membership" | "invitation" => Some(format!("/orgs/{}/members", ctx.org)),
            _ => None,
        },
    })
}

fn text(ctx: &Context<'_>, key: &str, args: &[(&'static str, String)]) -> String {
    i18n::t_args(ctx.lang, key, args)
}

fn incident_title(ctx: &Context<'_>, id: i32) -> String {
    ctx.refs.incidents.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
}

/// The subject when its record is known; `None` for other kinds and deleted records.
fn named(ctx: &Context<'_>, entity: &str, id: Option<i32>) -> Option<Subject> {
    let id = id?;
    let org = ctx.org;
    let subject = match entity {
        "control" => {
            let (version, clause) = ctx.refs.controls.get(&id)?;
            let title = ctx
                .catalogs
                .get(version)
                .and_then(|catalog| catalog.get(clause))
                .map(|entry| crate::view::controls_tree::title(entry, ctx.lang))
                .unwrap_or_default();
            Subject {
                name: text(ctx, "history-subject-control", &[("clause", clause.clone()), ("title", title)]),
                link: Some(format!("/orgs/{org}/controls/{clause}")),
            }
        }
        "incident" => Subject {
            name: text(ctx, "history-subject-incident", &[("title", ctx.refs.incidents.get(&id)?.clone())]),
            link: Some(format!("/orgs/{org}/incidents/{id}")),
        },
        "incident_filing" => {
            let (incident, track) = ctx.refs.filings.get(&id)?;
            let track = label_or_raw(ctx.lang, &format!("filing-track-{track}"), track);
            Subject {
                name: text(
                    ctx,
                    "history-subject-filing",
                    &[("title", incident_title(ctx, *incident)), ("track", track)],
                ),
                link: Some(format!("/orgs/{org}/incidents/{incident}#filings")),
            }
        }
        "incident_timeline" => {
            let (incident, kind) = ctx.refs.timelines.get(&id)?;
            let kind = label_or_raw(ctx.lang, &format!("timeline-kind-{kind}"), kind);
            Subject {
                name: text(
                    ctx,
                    "history-subject-timeline",
                    &[("title", incident_title(ctx, *incident)), ("kind", kind)],
                ),
                link: Some(format!("/orgs/{org}/incidents/{incident}#timeline")),
            }
        }
        "corrective_action" => Subject {
            name: text(
                ctx,
                "history-subject-corrective-action",
                &[("title", ctx.refs.corrective_actions.get(&id)?.clone())],
            ),
            link: Some(format!("/orgs/{org}/corrective-actions/{id}")),
        },
        "duty" => Subject {
            name: text(ctx, "history-subject-duty", &[("name", super::values::duty_name(ctx, id)?)]),
            link: Some(format!("/orgs/{org}/duties")),
        },
        "duty_record" => {
            let (duty, year, slot) = ctx.refs.duty_records.get(&id)?;
            let name = super::values::duty_name(ctx, *duty).unwrap_or_else(|| format!("#{duty}"));
            Subject {
                name: text(ctx, "history-subject-duty-record", &[("name", name), ("year", year.to_string())]),
                link: Some(format!("/orgs/{org}/duties/{duty}/{year}/{slot}")),
            }
        }
        "user" => Subject {
            name: text(ctx, "history-subject-user", &[("name", ctx.refs.users.get(&id)?.clone())]),
            link: None,
        },
        "membership" => {
            let user = ctx.refs.members.get(&id)?;
            Subject {
                name: text(ctx, "history-subject-member", &[("name", ctx.refs.users.get(user)?.clone())]),
                link: Some(format!("/orgs/{org}/members")),
            }
        }
        "invitation" => Subject {
            name: text(ctx, "history-subject-invitation", &[("email", ctx.refs.invitations.get(&id)?.clone())]),
            link: Some(format!("/orgs/{org}/members")),
        },
        "reminder_recipient" => Subject {
            name: text(ctx, "history-subject-recipient", &[("email", ctx.refs.recipients.get(&id)?.clone())]),
            link: Some(format!("/orgs/{org}/mail")),
        },
        "organisation" if id == org => Subject {
            name: text(ctx, "history-subject-organisation", &[]),
            link: Some(format!("/orgs/{org}/settings")),
        },
        "pms_structure" if id == org => Subject {
            name: text(ctx, "history-subject-pms_structure", &[]),
            link: Some(format!("/orgs/{org}/settings#pms-structure")),
        },
        "certification" => Subject {
            name: text(ctx, "history-subject-certification", &[]),
            link: Some(format!("/orgs/{org}/certification")),
        },
        _ => return None,
    };
    Some(subject)
}
