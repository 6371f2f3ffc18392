//! The web layer: routes, middleware and one module per resource.

pub mod account;
pub mod api;
pub mod assets;
pub mod audit_trail;
pub mod auth;
pub mod catalog;
pub mod certification;
pub mod certification_timeline;
pub mod controls;
pub mod corrective_actions;
pub mod csrf;
pub mod dashboard;
pub mod duties;
pub mod error;
pub mod error_pages;
pub mod evidence;
pub mod forms;
pub mod health;
pub mod home;
pub mod incidents;
pub mod invitations;
pub mod language;
pub mod mail;
pub mod members;
pub mod organisations;
pub mod page;
pub mod report;
pub mod session;
pub mod setup;
pub mod state;
pub mod viewer;

use actix_web::web;

/// Registers every route. Organisation routes sit in one scope, so a request is matched against
/// the few patterns of its own level only.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/static/{name}", web::get().to(assets::serve))
        .route("/", web::get().to(home::index))
        .service(web::resource("/setup").route(web::get().to(setup::form)).route(web::post().to(setup::submit)))
        .service(web::resource("/login").route(web::get().to(auth::form)).route(web::post().to(auth::submit)))
        .route("/logout", web::post().to(auth::logout))
        .route("/lang", web::post().to(language::switch))
        .route("/account", web::get().to(account::show))
        .route("/catalog", web::get().to(catalog::index))
        .route("/api/v1/assess", web::post().to(api::assess::assess))
        .service(
            web::resource("/account/profile")
                .route(web::post().to(account::update_profile))
                .route(forms::back_to("/account#profile-form")),
        )
        .service(
            web::resource("/account/password")
                .route(web::post().to(account::change_password))
                .route(forms::back_to("/account#password-form")),
        )
        .service(
            web::resource("/account/reminders")
                .route(web::post().to(account::update_reminders))
                .route(forms::back_to("/account")),
        )
        .service(
            web::resource("/invitations/{token}")
                .route(web::get().to(invitations::show))
                .route(web::post().to(invitations::accept)),
        )
        .service(
            web::scope("/orgs")
                .service(
                    web::resource("/new")
                        .route(web::get().to(organisations::new_form))
                        .route(web::post().to(organisations::create)),
                )
                .service(web::scope("/{org}").configure(organisation_routes)),
        );
}

/// Routes under `/orgs/{org}`.
fn organisation_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(dashboard::show))
        .route("/controls", web::get().to(controls::index))
        .service(
            web::resource("/controls/{control}")
                .route(web::get().to(controls::show))
                .route(web::post().to(controls::update)),
        )
        .service(evidence::route::<controls::ControlEvidence>(
            "/controls/{control}/evidence",
            "/orgs/{org}/controls/{control}#evidence",
        ))
        .service(web::resource("/duties").route(web::get().to(duties::index)).route(web::post().to(duties::create)))
        .service(
            web::resource("/duties/{duty}")
                .route(web::post().to(duties::update_schedule))
                .route(forms::back_to("/orgs/{org}/duties#settings")),
        )
        .service(
            web::resource("/duties/{duty}/{year}/{slot}")
                .route(web::get().to(duties::show_occurrence))
                .route(web::post().to(duties::record)),
        )
        .service(evidence::route::<duties::RecordEvidence>(
            "/duties/{duty}/{year}/{slot}/evidence",
            "/orgs/{org}/duties/{duty}/{year}/{slot}#evidence",
        ))
        .route("/evidence/{evidence}/download", web::get().to(evidence::download))
        .service(
            web::resource("/settings")
                .route(web::get().to(organisations::settings_form))
                .route(web::post().to(organisations::update_settings)),
        )
        .route("/members", web::get().to(members::index))
        .service(
            web::resource("/members/{membership}/role")
                .route(web::post().to(members::change_role))
                .route(forms::back_to("/orgs/{org}/members")),
        )
        .service(
            web::resource("/members/{membership}/remove")
                .route(web::post().to(members::remove))
                .route(forms::back_to("/orgs/{org}/members")),
        )
        .service(
            web::resource("/invitations")
                .route(web::post().to(members::invite))
                .route(forms::back_to("/orgs/{org}/members#invite-form")),
        )
        .service(
            web::resource("/invitations/{invitation}/revoke")
                .route(web::post().to(members::revoke_invitation))
                .route(forms::back_to("/orgs/{org}/members")),
        )
        .route("/audit", web::get().to(audit_trail::index))
        .route("/mail", web::get().to(mail::show))
        .service(
            web::resource("/mail/recipients")
                .route(web::post().to(mail::add_recipient))
                .route(forms::back_to("/orgs/{org}/mail#recipient-form")),
        )
        .service(
            web::resource("/mail/recipients/{id}/remove")
                .route(web::post().to(mail::remove_recipient))
                .route(forms::back_to("/orgs/{org}/mail")),
        )
        .service(
            web::resource("/mail/test")
                .route(web::post().to(mail::send_test))
                .route(forms::back_to("/orgs/{org}/mail")),
        )
        .service(
            web::resource("/mail/outbox/{id}/retry")
                .route(web::post().to(mail::retry))
                .route(forms::back_to("/orgs/{org}/mail")),
        )
        .service(
            web::resource("/certification")
                .route(web::get().to(certification::show))
                .route(web::post().to(certification::save)),
        )
        .service(
            web::resource("/certification/renewed")
                .route(web::post().to(certification::record_renewal))
                .route(forms::back_to("/orgs/{org}/certification")),
        )
        .service(
            web::resource("/incidents")
                .route(web::get().to(incidents::index))
                .route(web::post().to(incidents::edit::create)),
        )
        .route("/incidents/new", web::get().to(incidents::edit::new_form))
        .service(
            web::resource("/incidents/{incident}")
                .route(web::get().to(incidents::show))
                .route(web::post().to(incidents::edit::update)),
        )
        .route("/incidents/{incident}/edit", web::get().to(incidents::edit::edit_form))
        .service(
            web::resource("/incidents/{incident}/reports/{track}")
                .route(web::post().to(incidents::actions::submit_report))
                .route(forms::back_to("/orgs/{org}/incidents/{incident}#reports")),
        )
        .service(
            web::resource("/incidents/{incident}/reviews/{review}")
                .route(web::post().to(incidents::actions::decide_review))
                .route(forms::back_to("/orgs/{org}/incidents/{incident}#reviews")),
        )
        .service(
            web::resource("/incidents/{incident}/timeline")
                .route(web::post().to(incidents::actions::add_timeline_entry))
                .route(forms::back_to("/orgs/{org}/incidents/{incident}#timeline")),
        )
        .service(
            web::resource("/incidents/{incident}/status")
                .route(web::post().to(incidents::actions::set_status))
                .route(forms::back_to("/orgs/{org}/incidents/{incident}#status")),
        )
        .service(
            web::resource("/incidents/{incident}/actions")
                .route(web::post().to(corrective_actions::create_for_incident))
                .route(forms::back_to("/orgs/{org}/incidents/{incident}#actions")),
        )
        .service(evidence::route::<incidents::evidence::IncidentEvidence>(
            "/incidents/{incident}/evidence",
            "/orgs/{org}/incidents/{incident}#evidence",
        ))
        .route("/report", web::get().to(report::show))
        .route("/report.xlsx", web::get().to(report::xlsx))
        .route("/report.pdf", web::get().to(report::pdf))
        .route("/report/csv/{section}", web::get().to(report::csv))
        .route("/corrective-actions", web::get().to(corrective_actions::index))
        .route("/corrective-actions/{action}", web::get().to(corrective_actions::show))
        .service(
            web::resource("/corrective-actions/{action}/complete")
                .route(web::post().to(corrective_actions::complete))
                .route(forms::back_to("/orgs/{org}/corrective-actions/{action}")),
        )
        .service(evidence::route::<corrective_actions::ActionEvidence>(
            "/corrective-actions/{action}/evidence",
            "/orgs/{org}/corrective-actions/{action}#evidence",
        ));
}

/// Percent-encodes a string for a query parameter.
pub fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)]).map(|s| s[1..].to_owned()).unwrap_or_default()
}

/// A local path to return to after a form, or `/`: never another site (no open redirect).
/// Browsers drop tabs and newlines from URLs and read `\\` as `/`, so any of those refuses it.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if ok { next.to_owned() } else { "/".to_owned() }
}

/// Today in Japan (JST), the day incident deadlines and reminders are counted in.
pub fn today_in_japan() -> chrono::NaiveDate {
    crate::jobs::incident_reminders::japan_day(chrono::Utc::now())
}

/// A timestamp as shown in the UI: Japan time (JST, UTC+9), where Privacy Mark holders work.
pub fn display_time(at: &chrono::DateTime<chrono::Utc>) -> String {
    let jst = chrono::FixedOffset::east_opt(9 * 3600).map_or_else(|| at.fixed_offset(), |tz| at.with_timezone(&tz));
    jst.format("%Y-%m-%d %H:%M JST").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_stay_on_this_site() {
        assert_eq!(safe_next("/orgs/1?x=2"), "/orgs/1?x=2");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
            "orgs/1",
            "/\t/evil.example",
            "/ /evil",
            "/a\\b",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
    }

    #[test]
    fn urlencode_escapes_query_characters() {
        assert_eq!(urlencode("/orgs/1?a=b&c"), "%2Forgs%2F1%3Fa%3Db%26c");
    }
}
