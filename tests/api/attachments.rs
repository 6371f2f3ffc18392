//! The one evidence component, over every record type that has evidence: the same upload, the
//! same rules and dates, the same refused form, the same download.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{TestApp, count, location, spawn_app_with};
use crate::incidents::{jimos, record};

/// The record types that take evidence.
const KINDS: [Kind; 4] = [Kind::Control, Kind::DutyRecord, Kind::CorrectiveAction, Kind::Incident];

#[derive(Debug, Clone, Copy)]
enum Kind {
    Control,
    DutyRecord,
    CorrectiveAction,
    Incident,
}

/// A record with evidence: its page, its upload address, extra form fields, and the list's id.
struct Target {
    page: String,
    upload: String,
    /// The same upload address in another organisation (for records named by id).
    foreign_upload: Option<String>,
    extra: Vec<(&'static str, String)>,
    list: &'static str,
}

fn today_in_japan() -> chrono::NaiveDate {
    pmark::clock::Clock::system().today()
}

async fn target(app: &TestApp, org: i32, other_org: i32, kind: Kind) -> Target {
    let at = |page: String, list, extra, id_based: Option<String>| Target {
        upload: format!("{page}/evidence"),
        foreign_upload: id_based,
        page,
        extra,
        list,
    };
    match kind {
        Kind::Control => at(format!("/orgs/{org}/controls/A.3.3.1"), "#evidence-list", Vec::new(), None),
        Kind::DutyRecord => {
            let duty = pmark::store::duties::list(&app.db, org)
                .await
                .unwrap()
                .into_iter()
                .find(|d| d.builtin_key.as_deref() == Some("register_review"))
                .unwrap()
                .id;
            let year = 2024;
            let page = format!("/orgs/{org}/duties/{duty}/{year}/0");
            let recorded = app
                .post_form(
                    &app.client,
                    &page,
                    &[("performed_on", "2024-06-01"), ("performed_by", "山田"), ("summary", "台帳を見直した")],
                )
                .await;
            assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
            let foreign = format!("/orgs/{other_org}/duties/{duty}/{year}/0/evidence");
            at(page, "#evidence-list", Vec::new(), Some(foreign))
        }
        Kind::CorrectiveAction => {
            let incident = record(app, org, &jimos()).await;
            let owner = pmark::store::organisations::members(&app.db, org).await.unwrap()[0].user.id.to_string();
            let created = app
                .post_form(
                    &app.client,
                    &format!("/orgs/{org}/incidents/{incident}/actions"),
                    &[("title", "改ざん検知"), ("owner", &owner), ("due_on", "2019-12-31")],
                )
                .await;
            assert_eq!(created.status(), StatusCode::SEE_OTHER);
            let action = pmark::store::corrective_actions::of_incident(&app.db, org, incident).await.unwrap()[0].id;
            let foreign = format!("/orgs/{other_org}/corrective-actions/{action}/evidence");
            at(format!("/orgs/{org}/corrective-actions/{action}"), "#evidence-list", Vec::new(), Some(foreign))
        }
        Kind::Incident => {
            let incident = record(app, org, &jimos()).await;
            let foreign = format!("/orgs/{other_org}/incidents/{incident}/evidence");
            let extra = vec![("attach_to", "filing:ppc_final".to_owned())];
            at(format!("/orgs/{org}/incidents/{incident}"), "#incident-evidence", extra, Some(foreign))
        }
    }
}

fn with_extra(mut form: Form, target: &Target) -> Form {
    for (name, value) in &target.extra {
        form = form.text(*name, value.clone());
    }
    form
}

fn file(target: &Target, bytes: Vec<u8>, effective_on: chrono::NaiveDate) -> Form {
    with_extra(
        Form::new()
            .text("kind", "file")
            .text("description", "証跡ファイル")
            .text("effective_on", effective_on.to_string())
            .part("file", Part::bytes(bytes).file_name("証跡.pdf").mime_str("application/pdf").unwrap()),
        target,
    )
}

fn link(target: &Target, url: &str) -> Form {
    with_extra(
        Form::new()
            .text("kind", "link")
            .text("description", "公開ページ")
            .text("effective_on", "2019-10-01")
            .text("url", url.to_owned()),
        target,
    )
}

#[tokio::test]
async fn every_record_type_takes_files_and_links_by_the_same_rules_and_refuses_alike() {
    let app = spawn_app_with(|s| s.uploads.max_mb = 1, None).await;
    let org = app.set_up_admin().await;
    let (other_org, outsider) = app.add_organisation("他社", "outsider@example.jp").await;
    for kind in KINDS {
        let target = target(&app, org, other_org, kind).await;

        // The page's form posts to the upload address and scrolls back to itself.
        let page = app.get(&app.client, &target.page).await.text().await.unwrap();
        let action = "form#evidence-form[action$='#evidence-form'][enctype='multipart/form-data']";
        assert_eq!(count(&page, action), 1, "{kind:?}: the form");

        // A file dated today in Japan is accepted, listed and downloaded.
        let content = format!("{kind:?} の証跡").into_bytes();
        let stored =
            app.post_multipart(&app.client, &target.upload, file(&target, content.clone(), today_in_japan())).await;
        assert_eq!(stored.status(), StatusCode::SEE_OTHER, "{kind:?}: a file dated today in Japan");
        assert_eq!(location(&stored), format!("{}#evidence", target.page), "{kind:?}");
        let page = app.get(&app.client, &target.page).await.text().await.unwrap();
        let download = crate::helpers::attr(&page, &format!("{} a.download", target.list), "href")
            .unwrap_or_else(|| panic!("{kind:?}: a download link"));
        let downloaded = app.get(&app.client, &download).await;
        assert_eq!(downloaded.status(), StatusCode::OK, "{kind:?}");
        assert_eq!(downloaded.bytes().await.unwrap().to_vec(), content, "{kind:?}");

        // A link.
        let linked = app.post_multipart(&app.client, &target.upload, link(&target, "https://example.jp/notice")).await;
        assert_eq!(linked.status(), StatusCode::SEE_OTHER, "{kind:?}: a link");
        let page = app.get(&app.client, &target.page).await.text().await.unwrap();
        assert_eq!(count(&page, &format!("{} a[href='https://example.jp/notice']", target.list)), 1, "{kind:?}");
        assert_eq!(count(&page, &format!("{} tbody tr", target.list)), 2, "{kind:?}");

        // A bad link comes back as a link, with its value, the summary and 422.
        let refused = app.post_multipart(&app.client, &target.upload, link(&target, "javascript:alert(1)")).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{kind:?}: a bad link");
        let html = refused.text().await.unwrap();
        assert_eq!(count(&html, "#evidence-form input[name=kind][value=link][checked]"), 1, "{kind:?}: still a link");
        assert_eq!(count(&html, "#evidence-form input[name=url][value='javascript:alert(1)']"), 1, "{kind:?}");
        assert_eq!(count(&html, "#evidence-form .error-summary a[href='#ev-url']"), 1, "{kind:?}: the summary");
        assert_eq!(count(&html, "#evidence-form #ev-url"), 1, "{kind:?}: the summary's link has a target");
        assert_eq!(count(&html, "header.site-header"), 1, "{kind:?}: the whole page");

        // Tomorrow in Japan is the future everywhere.
        let tomorrow = today_in_japan().succ_opt().unwrap();
        let future = app.post_multipart(&app.client, &target.upload, file(&target, b"x".to_vec(), tomorrow)).await;
        assert_eq!(future.status(), StatusCode::UNPROCESSABLE_ENTITY, "{kind:?}: a future date");
        assert_eq!(count(&future.text().await.unwrap(), "#evidence-form #e-effective_on"), 1, "{kind:?}");

        // Over the size limit.
        let big = file(&target, vec![b'x'; 1024 * 1024 + 1], today_in_japan());
        let oversize = app.post_multipart(&app.client, &target.upload, big).await;
        assert_eq!(oversize.status(), StatusCode::PAYLOAD_TOO_LARGE, "{kind:?}: oversize");
        assert_eq!(count(&oversize.text().await.unwrap(), "#evidence-form #e-file"), 1, "{kind:?}");

        // Another organisation's member, at this address or through their own organisation.
        let foreign = app.post_multipart(&outsider.client, &target.upload, link(&target, "https://x.example")).await;
        assert_eq!(foreign.status(), StatusCode::NOT_FOUND, "{kind:?}: not a member");
        if let Some(path) = &target.foreign_upload {
            let through_own = app.post_multipart(&outsider.client, path, link(&target, "https://x.example")).await;
            assert_eq!(through_own.status(), StatusCode::NOT_FOUND, "{kind:?}: a record of another organisation");
        }

        // Reloading the upload address after a refusal goes back to the page.
        let reloaded = app.get(&app.client, &target.upload).await;
        assert_eq!(reloaded.status(), StatusCode::SEE_OTHER, "{kind:?}: GET on the upload address");
        assert_eq!(location(&reloaded), format!("{}#evidence", target.page), "{kind:?}");
    }
    use sea_orm::{EntityTrait, PaginatorTrait};
    let stored = pmark::entities::evidence::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(stored, 2 * KINDS.len() as u64, "only the accepted uploads are stored");
}
