//! The list component on every list: a page costs the same queries and about the same bytes with
//! 60 rows as with 2,000; links keep the filters; every whitelisted sort works; garbage in the URL
//! falls back to the defaults; the search finds titles. Rows are seeded with bulk inserts.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use pmark::domain::corrective_action::ActionStatus;
use pmark::domain::incident::vocabulary::Priority;
use pmark::domain::incident::{CheckState, IncidentStatus};
use pmark::domain::outbox::{MessageKind, OutboxState};
use pmark::domain::term::Term;
use pmark::entities::{audit_event, control_check, corrective_action, incident, outbox};
use reqwest::StatusCode;
use scraper::{Html, Selector};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::helpers::{TestApp, count, spawn_app, spawn_app_with, texts};

/// Rows are inserted this many at a time (SQLite limits the parameters of one statement).
const CHUNK: usize = 100;

async fn admin_id(app: &TestApp, org: i32) -> i32 {
    pmark::store::organisations::members(&app.db, org).await.unwrap()[0].user.id
}

/// Incidents numbered `from..to`, each with a review of A.3.3.1; returns their ids.
async fn seed_incidents(app: &TestApp, org: i32, user: i32, from: usize, to: usize) -> Vec<i32> {
    let now = Utc::now();
    let numbers: Vec<usize> = (from..to).collect();
    for chunk in numbers.chunks(CHUNK) {
        let rows = chunk.iter().map(|&n| incident::ActiveModel {
            organisation_id: Set(org),
            title: Set(format!("事故{n:05} 漏えい")),
            description: Set(String::new()),
            cause_narrative: Set(String::new()),
            contractor: Set(String::new()),
            facts: Set("{}".into()),
            discovered_on: Set(NaiveDate::from_ymd_opt(
                2020 + (n % 5) as i32,
                1 + (n % 12) as u32,
                1 + (n % 28) as u32,
            )
            .unwrap()),
            status: Set(IncidentStatus::ALL[n % 3]),
            catalog_version: Set("JIS Q 15001:2017".into()),
            lock_version: Set(1),
            created_by: Set(user),
            created_at: Set(now),
            updated_by: Set(user),
            updated_at: Set(now),
            closed_at: Set(None),
            ..Default::default()
        });
        incident::Entity::insert_many(rows).exec(&app.db).await.unwrap();
    }
    let ids: Vec<i32> = incident::Entity::find()
        .select_only()
        .column(incident::Column::Id)
        .filter(incident::Column::OrganisationId.eq(org))
        .order_by_desc(incident::Column::Id)
        .limit((to - from) as u64)
        .into_tuple()
        .all(&app.db)
        .await
        .unwrap();
    for chunk in ids.chunks(CHUNK) {
        let rows = chunk.iter().map(|&id| control_check::ActiveModel {
            organisation_id: Set(org),
            incident_id: Set(id),
            control_id: Set("A.3.3.1".into()),
            catalog_version: Set("JIS Q 15001:2017".into()),
            priority: Set(Priority::ALL[id as usize % 3]),
            reasons_en: Set("[]".into()),
            reasons_ja: Set("[]".into()),
            flagged: Set(true),
            state: Set(CheckState::Open),
            created_at: Set(now),
            ..Default::default()
        });
        control_check::Entity::insert_many(rows).exec(&app.db).await.unwrap();
    }
    ids
}

/// Corrective actions numbered `from..to`, each for one of `incidents`.
async fn seed_actions(app: &TestApp, org: i32, user: i32, incidents: &[i32], from: usize, to: usize) {
    let now = Utc::now();
    let numbers: Vec<usize> = (from..to).collect();
    for chunk in numbers.chunks(CHUNK) {
        let rows = chunk.iter().map(|&n| corrective_action::ActiveModel {
            organisation_id: Set(org),
            incident_id: Set(Some(incidents[n % incidents.len()])),
            title: Set(format!("是正{n:05} 手順の見直し")),
            description: Set(String::new()),
            owner: Set(user.to_string()),
            due_on: Set(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap() - Duration::days((n % 400) as i64)),
            control_ids: Set("[]".into()),
            status: Set(ActionStatus::ALL[n % 2]),
            created_by: Set(user),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        corrective_action::Entity::insert_many(rows).exec(&app.db).await.unwrap();
    }
}

/// Audit entries numbered `from..to`, a minute apart from 2026-03-01 00:00 UTC.
async fn seed_audit(app: &TestApp, org: i32, from: usize, to: usize) {
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let numbers: Vec<usize> = (from..to).collect();
    for chunk in numbers.chunks(CHUNK) {
        let rows = chunk.iter().map(|&n| audit_event::ActiveModel {
            organisation_id: Set(Some(org)),
            actor_user_id: Set(None),
            actor_label: Set(format!("user{:02}@example.jp", n % 7)),
            occurred_at: Set(start + Duration::minutes(n as i64)),
            entity: Set(["incident", "control", "duty"][n % 3].into()),
            entity_id: Set(format!("{n:05}")),
            action: Set("update".into()),
            changes: Set(r#"{"title":{"before":"前","after":"後"}}"#.into()),
            ..Default::default()
        });
        audit_event::Entity::insert_many(rows).exec(&app.db).await.unwrap();
    }
}

/// Outbox rows numbered `from..to`, in every state.
async fn seed_outbox(app: &TestApp, org: i32, from: usize, to: usize) {
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let numbers: Vec<usize> = (from..to).collect();
    for chunk in numbers.chunks(CHUNK) {
        let rows = chunk.iter().map(|&n| outbox::ActiveModel {
            organisation_id: Set(Some(org)),
            dedupe_key: Set(format!("seed:{n}")),
            kind: Set(MessageKind::Test),
            recipients: Set(r#"["admin@example.jp"]"#.into()),
            lang: Set(pmark::domain::Lang::Ja),
            subject: Set(format!("件名{n:05}")),
            body_text: Set(String::new()),
            body_html: Set(String::new()),
            state: Set(OutboxState::ALL[n % 4]),
            attempts: Set((n % 4) as i32),
            next_attempt_at: Set(start),
            created_at: Set(start + Duration::minutes(n as i64)),
            ..Default::default()
        });
        outbox::Entity::insert_many(rows).exec(&app.db).await.unwrap();
    }
}

/// Seeds `from..to` rows of every list.
async fn seed_all(app: &TestApp, org: i32, from: usize, to: usize) {
    let user = admin_id(app, org).await;
    let incidents = seed_incidents(app, org, user, from, to).await;
    seed_actions(app, org, user, &incidents, from, to).await;
    seed_audit(app, org, from, to).await;
    seed_outbox(app, org, from, to).await;
}

/// The queries and the body size of a page, requested twice (the first may refresh caches).
async fn measure(app: &TestApp, counter: &AtomicUsize, path: &str) -> (usize, usize) {
    app.get(&app.client, path).await.bytes().await.unwrap();
    counter.store(0, Ordering::SeqCst);
    let response = app.get(&app.client, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let body = response.bytes().await.unwrap();
    (counter.load(Ordering::SeqCst), body.len())
}

/// `path` and the CSS selector of its list's rows.
fn lists(org: i32) -> [(String, &'static str); 5] {
    [
        (format!("/orgs/{org}/incidents"), "#incidents tbody tr"),
        (format!("/orgs/{org}/corrective-actions"), "#actions tbody tr"),
        (format!("/orgs/{org}/audit"), "#audit-trail tbody tr"),
        (format!("/orgs/{org}/controls/A.3.3.1"), "#incident-checks li"),
        (format!("/orgs/{org}/mail"), "#outbox tbody tr"),
    ]
}

#[tokio::test]
async fn a_list_costs_the_same_queries_and_about_the_same_bytes_with_2000_rows_as_with_60() {
    let counter = Arc::new(AtomicUsize::new(0));
    let app = spawn_app_with(|_| {}, Some(counter.clone())).await;
    let org = app.set_up_admin().await;
    let mut stages = Vec::new();
    for (from, to) in [(0, 10), (10, 60), (60, 2000)] {
        seed_all(&app, org, from, to).await;
        let mut measured = Vec::new();
        for (path, rows) in lists(org) {
            let (queries, bytes) = measure(&app, &counter, &path).await;
            let html = app.get(&app.client, &path).await.text().await.unwrap();
            measured.push((path, queries, bytes, count(&html, rows)));
        }
        stages.push(measured);
    }
    let [ten, sixty, full] = [&stages[0], &stages[1], &stages[2]];
    for i in 0..ten.len() {
        let path = &ten[i].0;
        assert_eq!(ten[i].1, full[i].1, "{path}: the same queries with 10 and 2,000 rows");
        assert_eq!(sixty[i].1, full[i].1, "{path}: the same queries with 60 and 2,000 rows");
        assert!(ten[i].3 >= 10 && ten[i].3 < 50, "{path}: every row of a short list, {}", ten[i].3);
        assert_eq!((sixty[i].3, full[i].3), (50, 50), "{path}: one page of 50 rows");
        // Both pages show 50 rows; only the pager and the totals may grow.
        let bound = sixty[i].2 + sixty[i].2 / 10;
        assert!(full[i].2 < bound, "{path}: {} bytes with 2,000 rows, {} with 60", full[i].2, sixty[i].2);
    }
}

/// The `href` of the first element matching `css`.
fn href(html: &str, css: &str) -> String {
    let document = Html::parse_document(html);
    let selector = Selector::parse(css).unwrap();
    document.select(&selector).next().and_then(|a| a.value().attr("href")).unwrap_or_default().to_owned()
}

/// The parameters of a link.
fn params(link: &str) -> Vec<(String, String)> {
    let query = link.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let query = query.split('#').next().unwrap_or_default();
    serde_html_form::from_str(query).unwrap_or_default()
}

fn has(link: &str, key: &str, value: &str) -> bool {
    params(link).iter().any(|(k, v)| k == key && v == value)
}

#[tokio::test]
async fn paging_and_sorting_links_keep_the_filters_search_and_page_size() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let user = admin_id(&app, org).await;
    seed_incidents(&app, org, user, 0, 60).await;
    let first = format!("/orgs/{org}/incidents?status=closed&q=%E6%BC%8F%E3%81%88%E3%81%84&per=10&sort=title&dir=desc");
    let html = app.get(&app.client, &first).await.text().await.unwrap();
    assert_eq!(count(&html, "#incidents tbody tr"), 10);
    assert_eq!(texts(&html, ".list-summary").first().map(|s| s.starts_with("1–10件 / 全20件")), Some(true));
    let next = href(&html, ".pager a[rel=next]");
    for (key, value) in [("status", "closed"), ("q", "漏えい"), ("per", "10"), ("sort", "title"), ("dir", "desc")] {
        assert!(has(&next, key, value), "{key} kept in {next}");
    }
    assert!(has(&next, "page", "2"));
    let second = app.get(&app.client, &next).await.text().await.unwrap();
    assert_eq!(count(&second, "#incidents tbody tr .badge.status-closed"), 10, "page 2 is still filtered");
    assert_eq!(count(&second, ".pager a[rel=next]"), 0, "20 closed incidents: two pages");
    let titles = texts(&second, "#incidents tbody td:nth-child(2)");
    assert!(titles.windows(2).all(|w| w[0] >= w[1]), "still by title, descending: {titles:?}");

    let sort = href(&second, "th a[data-sort=discovered_on]");
    assert!(has(&sort, "status", "closed") && has(&sort, "q", "漏えい") && has(&sort, "per", "10"), "{sort}");
    assert!(!params(&sort).iter().any(|(k, _)| k == "page"), "a new order starts at page 1: {sort}");
    let form_keeps = count(&second, "#incident-filters input[type=hidden][name=sort][value=title]");
    assert_eq!(form_keeps, 1, "the filter form keeps the order");

    // The outbox's state links keep the order, its pager keeps the state.
    seed_outbox(&app, org, 0, 240).await;
    let mail = app.get(&app.client, &format!("/orgs/{org}/mail?state=failed&sort=subject&dir=asc")).await;
    let mail = mail.text().await.unwrap();
    let next = href(&mail, ".pager a[rel=next]");
    assert!(has(&next, "state", "failed") && has(&next, "sort", "subject") && has(&next, "page", "2"), "{next}");
    let sent = href(&mail, "a[data-state=sent]");
    assert!(has(&sent, "state", "sent") && has(&sent, "sort", "subject"), "{sent}");
}

/// The values of an attribute, or the texts, of the cells matching `css`.
fn column(html: &str, css: &str, attr: Option<&str>) -> Vec<String> {
    let document = Html::parse_document(html);
    let selector = Selector::parse(css).unwrap();
    document
        .select(&selector)
        .map(|e| match attr {
            Some(attr) => e.value().attr(attr).unwrap_or_default().to_owned(),
            None => e.text().collect::<String>().trim().to_owned(),
        })
        .collect()
}

fn rank(status: &str) -> usize {
    ["open", "contained", "closed", "done"].iter().position(|s| status.contains(s)).unwrap_or(9)
}

#[tokio::test]
async fn every_whitelisted_sort_orders_its_column_both_ways() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    seed_all(&app, org, 0, 40).await;
    // (list, sort key, cells, attribute, key for the expected order)
    type Key = fn(&str) -> String;
    let text: Key = |s| s.to_owned();
    let status: Key = |s| rank(s).to_string();
    let number: Key = |s| format!("{:09}", s.parse::<u64>().unwrap_or(0));
    // 2026年1月5日 09:30 → 2026-01-05 09:30: pages write dates for people, the order is the date's.
    let date: Key = |s| {
        let digits: Vec<u32> = s.split(|c: char| !c.is_ascii_digit()).filter_map(|p| p.parse().ok()).collect();
        assert!(digits.len() >= 3 && s.contains('年'), "a Japanese date: {s}");
        digits.iter().enumerate().map(|(i, n)| if i == 0 { format!("{n:04}") } else { format!("{n:02}") }).collect()
    };
    let cases: [(&str, &str, &str, Option<&str>, Key); 13] = [
        ("incidents", "discovered_on", "#incidents tbody td:nth-child(1)", None, date),
        ("incidents", "title", "#incidents tbody td:nth-child(2)", None, text),
        ("incidents", "status", "#incidents tbody td:nth-child(3) .badge", Some("class"), status),
        ("corrective-actions", "due_on", "#actions tbody td:nth-child(1)", None, date),
        ("corrective-actions", "title", "#actions tbody td:nth-child(2)", None, text),
        ("corrective-actions", "status", "#actions tbody tr", Some("data-status"), text),
        ("audit", "when", "#audit-trail tbody td:nth-child(1)", None, date),
        ("audit", "who", "#audit-trail tbody td:nth-child(2)", None, text),
        ("audit", "what", "#audit-trail tbody td:nth-child(3)", Some("data-entity"), text),
        ("mail", "created", "#outbox tbody td:nth-child(1)", None, date),
        ("mail", "subject", "#outbox tbody td:nth-child(2)", None, text),
        ("mail", "state", "#outbox tbody tr", Some("data-state"), text),
        ("mail", "attempts", "#outbox tbody td:nth-child(5)", None, number),
    ];
    for (list, key, cells, attr, order) in cases {
        let mut seen = Vec::new();
        for dir in ["asc", "desc"] {
            let path = format!("/orgs/{org}/{list}?sort={key}&dir={dir}&per=200");
            let response = app.get(&app.client, &path).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            let html = response.text().await.unwrap();
            assert_eq!(count(&html, &format!("th[aria-sort] a[data-sort={key}]")), 1, "{path}: marked sorted");
            let values: Vec<String> = column(&html, cells, attr).iter().map(|v| order(v)).collect();
            assert!(values.len() >= 10, "{path}: {values:?}");
            let mut sorted = values.clone();
            sorted.sort();
            if dir == "desc" {
                sorted.reverse();
            }
            assert_eq!(values, sorted, "{path}");
            seen.push(values);
        }
        assert_ne!(seen[0], seen[1], "{list} {key}: the two directions differ");
    }
}

#[tokio::test]
async fn garbage_paging_and_sorting_parameters_give_the_default_page() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    seed_all(&app, org, 0, 120).await;
    let garbage = "page=abc&per=-5&sort=%27%3Bdrop%20table&dir=sideways&status=%00&year=x&overdue=maybe&what=nope&from=2026-99-99&to=yesterday&state=zzz&q=";
    for (path, rows) in lists(org) {
        let response = app.get(&app.client, &format!("{path}?{garbage}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        assert_eq!(count(&html, rows), 50, "{path}: the first page of 50");
        let nul = app.get(&app.client, &format!("{path}?q=%00a&who=%00")).await;
        assert_eq!(nul.status(), StatusCode::OK, "{path}: a NUL in the search");
        for page in ["99999999999999999999999999", "3", "-1&page=9"] {
            let response = app.get(&app.client, &format!("{path}?page={page}&per=x")).await;
            assert_eq!(response.status(), StatusCode::OK, "{path} page {page}");
        }
        let last = app.get(&app.client, &format!("{path}?page=99999999999999999999999999")).await;
        let html = last.text().await.unwrap();
        assert_eq!(count(&html, ".pager a[rel=next]"), 0, "{path}: a page past the end is the last page");
        assert_eq!(count(&html, ".pager a[rel=prev]"), 1, "{path}");
    }
    let small = app.get(&app.client, &format!("/orgs/{org}/incidents?per=3")).await.text().await.unwrap();
    assert_eq!(count(&small, "#incidents tbody tr"), 10, "at least ten rows per page");
    let large = app.get(&app.client, &format!("/orgs/{org}/incidents?per=100000")).await.text().await.unwrap();
    assert_eq!(count(&large, "#incidents tbody tr"), 120, "at most 200 rows per page");
}

#[tokio::test]
async fn the_search_finds_a_title_and_takes_wildcards_literally() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let user = admin_id(&app, org).await;
    let ids = seed_incidents(&app, org, user, 0, 30).await;
    incident::Entity::update_many()
        .col_expr(incident::Column::Title, sea_orm::sea_query::Expr::value("Laptop紛失 100%"))
        .filter(incident::Column::Id.eq(ids[5]))
        .exec(&app.db)
        .await
        .unwrap();
    seed_actions(&app, org, user, &ids, 0, 30).await;
    let search = |q: &str| format!("/orgs/{org}/incidents?q={}", pmark::web::urlencode(q));
    for (q, expected) in
        [("laptop", 1), ("LAPTOP紛失", 1), ("100%", 1), ("%", 1), ("_", 0), ("事故00012", 1), ("漏えい", 29)]
    {
        let html = app.get(&app.client, &search(q)).await.text().await.unwrap();
        assert_eq!(count(&html, "#incidents tbody tr"), expected, "search {q:?}");
        assert_eq!(count(&html, &format!("#f-q[value=\"{q}\"]")), 1, "the box keeps {q:?}");
    }
    let html = app.get(&app.client, &search("laptop")).await.text().await.unwrap();
    assert_eq!(count(&html, &format!("#incidents tbody tr[data-id='{}']", ids[5])), 1);

    let actions = app.get(&app.client, &format!("/orgs/{org}/corrective-actions?q=%E6%98%AF%E6%AD%A300007")).await;
    let html = actions.text().await.unwrap();
    assert_eq!(texts(&html, "#actions tbody td:nth-child(2)"), vec!["是正00007 手順の見直し"]);
    assert_eq!(count(&html, "#actions tbody td:nth-child(4) a"), 1, "with its incident's title");
    let done = app.get(&app.client, &format!("/orgs/{org}/corrective-actions?status=done")).await;
    assert_eq!(count(&done.text().await.unwrap(), "#actions tbody tr[data-status=done]"), 15);
}

#[tokio::test]
async fn the_audit_trail_filters_by_who_what_and_period_in_japan_time() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    // 2026-03-01 00:00 UTC plus n minutes: entry 930 is 15:30 UTC, 00:30 on 2 March in Japan.
    seed_audit(&app, org, 0, 1000).await;
    let get = |query: String| {
        let app = &app;
        async move { app.get(&app.client, &format!("/orgs/{org}/audit?{query}&per=200")).await.text().await.unwrap() }
    };
    let who = get("who=user03%40".into()).await;
    assert!(column(&who, "#audit-trail tbody td:nth-child(2)", None).iter().all(|a| a == "user03@example.jp"));
    assert_eq!(texts(&who, ".list-summary")[0], "1–143件 / 全143件", "1000 entries, every seventh");
    let what = get("what=duty".into()).await;
    let entities = column(&what, "#audit-trail tbody td:nth-child(3)", Some("data-entity"));
    assert!(entities.len() == 200 && entities.iter().all(|e| e == "duty"), "{entities:?}");
    assert_eq!(count(&what, "#f-what option[value=duty][selected]"), 1);
    // 2 March in Japan starts at 15:00 UTC on 1 March: entries 900 to 999.
    let second_of_march = get("from=2026-03-02&to=2026-03-02".into()).await;
    assert_eq!(texts(&second_of_march, ".list-summary")[0], "1–100件 / 全100件");
    let first_of_march = get("to=2026-03-01&what=incident".into()).await;
    assert_eq!(texts(&first_of_march, ".list-summary")[0], "1–200件 / 全300件", "entries 0..900, every third");
    let next = href(&first_of_march, ".pager a[rel=next]");
    assert!(has(&next, "to", "2026-03-01") && has(&next, "what", "incident") && has(&next, "per", "200"), "{next}");
}

#[tokio::test]
async fn the_summary_and_the_pager_are_in_english_too() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    seed_audit(&app, org, 0, 2000).await;
    app.post_form(&app.client, "/lang", &[("lang", "en"), ("next", "/")]).await;
    let html = app.get(&app.client, &format!("/orgs/{org}/audit?page=2")).await.text().await.unwrap();
    assert_eq!(texts(&html, ".list-summary")[0], "51–100 of 2,002");
    assert_eq!(count(&html, ".pager a[aria-label='Page 41']"), 1, "the last page, 2,002 entries by 50");
    assert_eq!(texts(&html, ".pager a[rel=next]")[0], "Next →");
}
