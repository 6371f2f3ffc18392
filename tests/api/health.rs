use reqwest::StatusCode;

use crate::helpers::{new_client, spawn_app};

#[tokio::test]
async fn healthz_reports_ok_with_the_database_and_version() {
    let app = spawn_app().await;
    let response = app.get(&new_client(), "/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn healthz_answers_503_when_the_database_is_unreachable() {
    let app = spawn_app().await;
    // A second instance on its own database, whose connection pool is then closed under it.
    let dir = tempfile::tempdir().unwrap();
    let mut settings = crate::helpers::test_settings(&dir).await;
    settings.database.max_connections = 1;
    let db = pmark::store::connect(&settings.database).await.unwrap();
    pmark::store::migrate(&db).await.unwrap();
    let application = pmark::startup::Application::build_with_database(settings, db.clone()).await.unwrap();
    let port = application.port();
    tokio::spawn(application.run_until_stopped());
    db.close_by_ref().await.unwrap();
    let response = app.client.get(format!("http://127.0.0.1:{port}/healthz")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "error");
    assert_eq!(body["database"], "unreachable");
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    for path in ["/healthz", "/login", "/no-such-page", "/static/app.css"] {
        let response = app.get(&new_client(), path).await;
        let headers = response.headers();
        let csp = headers.get("content-security-policy").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert!(csp.contains("script-src 'self'"), "{path}: CSP {csp:?}");
        assert!(!csp.contains("unsafe-inline"), "{path}: CSP allows inline code");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert_eq!(headers.get("x-frame-options").unwrap(), "DENY", "{path}");
        assert_eq!(headers.get("referrer-policy").unwrap(), "same-origin", "{path}");
        assert_eq!(headers.get("x-request-id").unwrap().len(), 36, "{path}: a UUID request id");
    }
}

#[tokio::test]
async fn error_pages_use_the_layout_and_show_the_request_id_but_no_internals() {
    let app = spawn_app().await;
    let response = app.get(&new_client(), "/no-such-page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let request_id = response.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned();
    let html = response.text().await.unwrap();
    assert_eq!(crate::helpers::texts(&html, "code.request-id"), vec![request_id]);
    assert_eq!(crate::helpers::count(&html, "header.site-header"), 1, "error page extends the layout");
    assert_eq!(crate::helpers::texts(&html, "html").len(), 1);
    assert!(crate::helpers::texts(&html, "h1")[0].contains("404"));
}

#[tokio::test]
async fn static_assets_are_served_with_cache_headers_and_unknown_ones_are_404() {
    let app = spawn_app().await;
    let client = new_client();
    let css = app.get(&client, "/static/app.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/css"));
    assert!(css.headers().get("cache-control").unwrap().to_str().unwrap().contains("max-age"));
    let etag = css.headers().get("etag").unwrap().clone();
    let again = client.get(app.url("/static/app.css")).header("if-none-match", etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(app.get(&client, "/static/../Cargo.toml").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&client, "/static/secret.key").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_failing_session_store_answers_the_error_page_with_the_request_id() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    app.set_up_admin().await;
    app.db.execute_unprepared("DROP TABLE sessions").await.unwrap();
    let response = app.get(&app.client, "/account").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let request_id = response.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned();
    let html = response.text().await.unwrap();
    assert_eq!(crate::helpers::texts(&html, "code.request-id"), vec![request_id]);
    assert_eq!(crate::helpers::count(&html, "header.site-header"), 1, "the error page in the layout");
    assert!(crate::helpers::texts(&html, "h1")[0].contains("503"));
    assert!(!html.contains("sessions"), "no internals on the page");
}

#[tokio::test]
async fn a_session_that_cannot_be_saved_answers_the_error_page_not_an_empty_500() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    app.set_up_admin().await;
    // Sessions still load, but none can be written (a full disk, a locked table): signing in has
    // to save one after the handler ran.
    let refuse = match app.db.get_database_backend() {
        sea_orm::DbBackend::Postgres => vec![
            "CREATE FUNCTION refuse_sessions() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_sessions BEFORE INSERT OR UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION refuse_sessions()",
        ],
        _ => vec![
            "CREATE TRIGGER refuse_session_inserts BEFORE INSERT ON sessions BEGIN SELECT RAISE(FAIL, 'refused'); END",
            "CREATE TRIGGER refuse_session_updates BEFORE UPDATE ON sessions BEGIN SELECT RAISE(FAIL, 'refused'); END",
        ],
    };
    for sql in refuse {
        app.db.execute_unprepared(sql).await.unwrap();
    }
    let client = new_client();
    let response = app
        .post_form(
            &client,
            "/login",
            &[("email", "admin@example.jp"), ("password", crate::helpers::PASSWORD), ("next", "/")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().get("content-security-policy").is_some(), "the headers of every response");
    assert!(response.headers().get("set-cookie").is_none(), "no session was kept");
    let request_id = response.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned();
    let html = response.text().await.unwrap();
    assert_eq!(crate::helpers::texts(&html, "code.request-id"), vec![request_id]);
    assert_eq!(crate::helpers::count(&html, "header.site-header"), 1, "the error page in the layout");
    assert!(!html.contains("refused"), "no internals on the page");
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_public_url_is_https() {
    let plain = spawn_app().await;
    let response = plain.get(&new_client(), "/login").await;
    assert!(response.headers().get("strict-transport-security").is_none(), "no HSTS over plain http");
    let tls = crate::helpers::spawn_app_with(|s| s.server.public_url = "https://pmark.example.jp".into(), None).await;
    for path in ["/login", "/healthz", "/no-such-page"] {
        let response = tls.get(&new_client(), path).await;
        let hsts = response.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(hsts.as_deref(), Some("max-age=31536000"), "{path}");
    }
}
