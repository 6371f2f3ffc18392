//! The per-organisation page cache: one load per organisation version however many requests
//! ask at once, and never more organisations than its bound.

use std::sync::Arc;

use pmark::domain::OrganisationName;
use pmark::domain::catalog::Catalogs;
use pmark::store::audit::Actor;
use pmark::store::snapshot::SnapshotCache;
use sea_orm::ConnectionTrait;

use crate::helpers::{TestApp, spawn_app};

const CATALOG: &str = "JIS Q 15001:2017";

async fn organisations(app: &TestApp, count: usize) -> Vec<i32> {
    let admin = app.add_member(None, pmark::domain::Role::Admin, "cache-admin@example.jp").await;
    let catalogs = Catalogs::builtin().unwrap();
    let mut ids = Vec::new();
    for n in 0..count {
        let name = OrganisationName::parse(&format!("キャッシュ検証{n}")).unwrap();
        let org = pmark::store::organisations::create(
            &app.db,
            &Actor::command_line(),
            &name,
            admin.user_id,
            catalogs.current(),
        )
        .await
        .unwrap();
        ids.push(org.id);
    }
    ids
}

async fn current(app: &TestApp, org: i32) -> pmark::entities::organisation::Model {
    pmark::store::organisations::find(&app.db, org).await.unwrap().unwrap()
}

/// Asks for the snapshot of `org` from `readers` tasks at once; returns the versions they got.
async fn concurrent_gets(app: &TestApp, cache: &SnapshotCache, org: i32, readers: usize) -> Vec<i64> {
    let model = Arc::new(current(app, org).await);
    let tasks: Vec<_> = (0..readers)
        .map(|_| {
            let (cache, db, model) = (cache.clone(), app.db.clone(), model.clone());
            tokio::spawn(async move { cache.get(&db, &model, CATALOG, 2020).await.unwrap().version })
        })
        .collect();
    let mut versions = Vec::new();
    for task in tasks {
        versions.push(task.await.unwrap());
    }
    versions
}

#[tokio::test]
async fn concurrent_readers_of_a_changed_organisation_wait_for_one_load() {
    let app = spawn_app().await;
    let org = organisations(&app, 1).await[0];
    let cache = SnapshotCache::new(8);

    let first = concurrent_gets(&app, &cache, org, 32).await;
    assert_eq!(cache.loads(), 1, "32 readers of a cold organisation, one load");
    assert!(first.iter().all(|v| *v == first[0]));

    app.db
        .execute_unprepared(&format!("UPDATE organisations SET data_version = data_version + 1 WHERE id = {org}"))
        .await
        .unwrap();
    let second = concurrent_gets(&app, &cache, org, 32).await;
    assert_eq!(cache.loads(), 2, "32 readers after a version bump, one more load");
    assert!(second.iter().all(|v| *v == first[0] + 1), "every reader sees the new version: {second:?}");

    concurrent_gets(&app, &cache, org, 8).await;
    assert_eq!(cache.loads(), 2, "a fresh snapshot is not loaded again");
}

#[tokio::test]
async fn the_cache_keeps_at_most_its_bound_of_organisations_dropping_the_least_recently_used() {
    let app = spawn_app().await;
    let orgs = organisations(&app, 5).await;
    let cache = SnapshotCache::new(2);
    for org in &orgs {
        concurrent_gets(&app, &cache, *org, 2).await;
        assert!(cache.len() <= 2, "the cache holds {} organisations", cache.len());
    }
    assert_eq!(cache.loads(), 5);
    // The two used last are still there; the first was dropped and loads again.
    concurrent_gets(&app, &cache, orgs[4], 1).await;
    concurrent_gets(&app, &cache, orgs[3], 1).await;
    assert_eq!(cache.loads(), 5);
    concurrent_gets(&app, &cache, orgs[0], 1).await;
    assert_eq!(cache.loads(), 6);
    assert_eq!(cache.len(), 2);
}
