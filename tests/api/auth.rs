use pmark::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, count, input_value, location, new_client, spawn_app, texts};

#[tokio::test]
async fn signing_in_renews_the_session_cookie_and_signing_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let client = new_client();
    let anonymous = client.get(app.url("/login")).send().await.unwrap();
    let before = anonymous.cookies().find(|c| c.name() == "pmark_session").map(|c| c.value().to_owned());
    let response = app.sign_in(&client, "admin@example.jp", PASSWORD).await;
    let cookie = response.cookies().find(|c| c.name() == "pmark_session").expect("a session cookie");
    assert!(cookie.http_only(), "HttpOnly");
    assert!(cookie.same_site_lax(), "SameSite=Lax");
    assert!(!cookie.secure(), "not Secure on a plain-http public URL");
    assert_ne!(Some(cookie.value().to_owned()), before, "the session key changes at sign-in");
    let stolen = cookie.value().to_owned();

    assert_eq!(app.get(&client, &format!("/orgs/{org}")).await.status(), StatusCode::OK);
    let logout = app.post_form(&client, "/logout", &[]).await;
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    let after = app.get(&client, &format!("/orgs/{org}")).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(location(&after).starts_with("/login?next="));

    // A copy of the old cookie is dead too: the session was deleted on the server.
    let replay = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let replayed = replay
        .get(app.url(&format!("/orgs/{org}")))
        .header("cookie", format!("pmark_session={stolen}"))
        .send()
        .await
        .unwrap();
    assert_eq!(replayed.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    let client = new_client();
    let wrong =
        app.post_form(&client, "/login", &[("email", "admin@example.jp"), ("password", "not the password")]).await;
    let wrong_status = wrong.status();
    let wrong_html = wrong.text().await.unwrap();
    let unknown =
        app.post_form(&client, "/login", &[("email", "nobody@example.jp"), ("password", "not the password")]).await;
    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), wrong_status);
    let unknown_html = unknown.text().await.unwrap();
    assert_eq!(texts(&wrong_html, "#login-failure"), texts(&unknown_html, "#login-failure"));
    assert_eq!(texts(&wrong_html, "#login-failure").len(), 1);
    assert_eq!(input_value(&wrong_html, "email").as_deref(), Some("admin@example.jp"), "the address is kept");
}

#[tokio::test]
async fn after_five_failures_even_the_right_password_waits_and_unknown_accounts_look_the_same() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    let client = new_client();
    for email in ["admin@example.jp", "ghost@example.jp"] {
        for attempt in 1..=5 {
            let response = app.post_form(&client, "/login", &[("email", email), ("password", "wrong guess")]).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{email} attempt {attempt}");
        }
    }
    let locked = app.post_form(&client, "/login", &[("email", "admin@example.jp"), ("password", PASSWORD)]).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    let locked_text = texts(&locked.text().await.unwrap(), "#login-failure");
    let ghost = app.post_form(&client, "/login", &[("email", "ghost@example.jp"), ("password", PASSWORD)]).await;
    assert_eq!(ghost.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(texts(&ghost.text().await.unwrap(), "#login-failure"), locked_text);
    // Another account is not affected.
    let other = app.add_member(None, Role::Viewer, "other@example.jp").await;
    assert_eq!(app.get(&other.client, "/account").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_lockout_ends_after_the_configured_time() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    // Whole milliseconds: PostgreSQL keeps microseconds, chrono has nanoseconds.
    let now = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 3);
    let policy = pmark::store::throttle::Policy { max_failures: 2, lockout: chrono::Duration::minutes(15) };
    let reserve = |at| pmark::store::throttle::reserve_attempt(&app.db, "x@example.jp", at, policy);
    assert!(reserve(now).await.unwrap());
    assert!(pmark::store::throttle::locked_until(&app.db, "x@example.jp", now).await.unwrap().is_none());
    assert!(reserve(now).await.unwrap());
    let until = pmark::store::throttle::locked_until(&app.db, "x@example.jp", now).await.unwrap().expect("locked");
    assert_eq!(until, now + chrono::Duration::minutes(15));
    assert!(!reserve(now).await.unwrap(), "a locked address gets no attempt");
    let later = now + chrono::Duration::minutes(16);
    assert!(pmark::store::throttle::locked_until(&app.db, "x@example.jp", later).await.unwrap().is_none());
    // The first failure after a lockout counts from one again.
    assert!(reserve(later).await.unwrap());
    assert!(pmark::store::throttle::locked_until(&app.db, "x@example.jp", later).await.unwrap().is_none());
}

#[tokio::test]
async fn parallel_wrong_passwords_get_only_the_allowed_attempts_and_then_the_right_one_waits() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    let client = new_client();
    let token = app.csrf_token(&client).await;
    let attempt = |password: &'static str| {
        client
            .post(app.url("/login"))
            .form(&[("email", "admin@example.jp"), ("password", password), ("csrf_token", token.as_str())])
            .send()
    };
    let answers = futures_util::future::join_all((0..20).map(|_| attempt("wrong guess"))).await;
    let statuses: Vec<StatusCode> = answers.into_iter().map(|r| r.expect("POST").status()).collect();
    let verified = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((verified, refused), (5, 15), "only auth.max_failed_logins guesses are verified: {statuses:?}");
    let right = attempt(PASSWORD).await.expect("POST");
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS, "the right password waits out the lockout too");
}

#[tokio::test]
async fn the_current_password_check_on_the_account_page_is_throttled_too() {
    let app = spawn_app().await;
    let member = app.add_member(None, Role::Viewer, "member@example.jp").await;
    let (app, member) = (&app, &member);
    let change = |current: &'static str| async move {
        let fields = [
            ("current_password", current),
            ("new_password", "a brand new passphrase"),
            ("new_password_confirmation", "a brand new passphrase"),
        ];
        app.post_form(&member.client, "/account/password", &fields).await
    };
    for attempt in 1..=5 {
        assert_eq!(change("wrong guess").await.status(), StatusCode::UNPROCESSABLE_ENTITY, "attempt {attempt}");
    }
    let locked = change(PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(count(&locked.text().await.unwrap(), "#e-current_password"), 1, "the field says why");
    // The password did not change: the old one still signs in once the lockout is over.
    app.clock.set(chrono::Utc::now() + chrono::Duration::minutes(60));
    app.sign_in(&new_client(), "member@example.jp", PASSWORD).await;
}

#[tokio::test]
async fn an_empty_login_form_gets_field_errors_and_422() {
    let app = spawn_app().await;
    let response = app.post_form(&new_client(), "/login", &[("email", ""), ("password", "")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(count(&html, "#e-email"), 1);
    assert_eq!(count(&html, "#e-password"), 1);
}

#[tokio::test]
async fn pages_behind_sign_in_redirect_to_the_login_page_and_back() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let client = new_client();
    let response = app.get(&client, &format!("/orgs/{org}/members")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/login?next=%2Forgs%2F{org}%2Fmembers"));
    let signed_in = app
        .post_form(
            &client,
            "/login",
            &[("email", "admin@example.jp"), ("password", PASSWORD), ("next", &format!("/orgs/{org}/members"))],
        )
        .await;
    assert_eq!(location(&signed_in), format!("/orgs/{org}/members"));
    let evil = app
        .post_form(
            &new_client(),
            "/login",
            &[("email", "admin@example.jp"), ("password", PASSWORD), ("next", "https://evil.example/")],
        )
        .await;
    assert_eq!(location(&evil), "/", "no open redirect");
}

async fn session_rows(app: &crate::helpers::TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    pmark::entities::session::Entity::find().count(&app.db).await.unwrap()
}

#[tokio::test]
async fn anonymous_visits_store_no_session_and_the_sign_in_form_still_works() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    let before = session_rows(&app).await;
    for _ in 0..5 {
        let visitor = new_client();
        assert_eq!(app.get(&visitor, "/login").await.status(), StatusCode::OK);
        assert_eq!(app.get(&visitor, "/healthz").await.status(), StatusCode::OK);
        assert_eq!(app.get(&visitor, "/login").await.status(), StatusCode::OK);
    }
    assert_eq!(session_rows(&app).await, before, "no session row for visitors who only looked");

    // The sign-in form's token works in the browser that fetched it, and only there.
    let browser = new_client();
    let token = app.csrf_token(&browser).await;
    let elsewhere = new_client();
    app.get(&elsewhere, "/login").await;
    for client in [&elsewhere, &new_client()] {
        let replayed = client
            .post(app.url("/login"))
            .form(&[("email", "admin@example.jp"), ("password", PASSWORD), ("csrf_token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(replayed.status(), StatusCode::FORBIDDEN, "a token is bound to its browser");
    }
    let signed_in = browser
        .post(app.url("/login"))
        .form(&[("email", "admin@example.jp"), ("password", PASSWORD), ("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(session_rows(&app).await, before + 1, "signing in stores the session");
    assert_eq!(app.get(&browser, "/account").await.status(), StatusCode::OK);
}
