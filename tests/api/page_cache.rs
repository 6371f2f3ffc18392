//! Pages served from the per-organisation cache (`web::cached`) stay per viewer: every form on a
//! cached page carries the CSRF token of the session that asked for it.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, new_client, texts};

fn csrf_values(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("input[name='csrf_token']").unwrap();
    document.select(&selector).filter_map(|e| e.value().attr("value").map(ToOwned::to_owned)).collect()
}

#[tokio::test]
async fn two_sessions_of_one_user_each_get_their_own_csrf_token_in_the_forms_of_a_cached_page() {
    let app = crate::helpers::spawn_app().await;
    let org = app.set_up_admin().await;
    let catalogs = pmark::domain::catalog::Catalogs::builtin().unwrap();
    pmark::cli::demo_incidents::seed(&app.db, catalogs.current(), org, 1, 1, app.clock.today()).await.unwrap();
    let incident = pmark::store::incidents::list(&app.db, org).await.unwrap()[0].id;
    let path = format!("/orgs/{org}/incidents/{incident}");
    let other = new_client();
    app.sign_in(&other, "admin@example.jp", PASSWORD).await;

    let mut tokens = Vec::new();
    for client in [&app.client, &other, &app.client] {
        let response = app.get(client, &path).await;
        assert_eq!(response.status(), StatusCode::OK);
        let html = response.text().await.unwrap();
        assert!(!texts(&html, "h1").is_empty());
        let values = csrf_values(&html);
        assert!(values.len() > 2, "the incident page has forms besides the layout's: {values:?}");
        assert!(values.iter().all(|v| *v == values[0]), "every form of the page has the session's token");
        tokens.push(values[0].clone());
    }
    assert_ne!(tokens[0], tokens[1], "the second session does not get the first one's token");
    assert_eq!(tokens[0], tokens[2], "the first session keeps its own token on the cached page");
}
