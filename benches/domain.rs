//! Criterion benchmarks of the domain code on the hot paths of the pages: deriving a PMS year's
//! duty occurrences, building the controls tree of the full catalog, and parsing the catalog.
//! Run with `cargo bench --bench domain`.

use std::collections::HashMap;
use std::hint::black_box;

use chrono::{NaiveDate, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use pmark::domain::Lang;
use pmark::domain::catalog::{Catalog, Catalogs, Edition};
use pmark::domain::pms_year::{Frequency, Month, PmsYear, occurrences};
use pmark::entities::organisation_control;
use pmark::store::evidence_counts::EvidenceSummary;
use pmark::view::controls_tree::{self, Filters, Inputs};

fn occurrence_derivation(c: &mut Criterion) {
    c.bench_function("occurrences of 8 duties over 5 PMS years", |b| {
        let duties = [
            (Frequency::Yearly, 5),
            (Frequency::Yearly, 6),
            (Frequency::Yearly, 6),
            (Frequency::Yearly, 9),
            (Frequency::Monthly, 4),
            (Frequency::Yearly, 8),
            (Frequency::Yearly, 12),
            (Frequency::Yearly, 2),
        ];
        b.iter(|| {
            let mut n = 0;
            for label in 2022..2027 {
                let year = PmsYear { label, start_month: Month::APRIL };
                for (frequency, month) in duties {
                    n += occurrences(frequency, Month::new(month).unwrap(), black_box(year)).len();
                }
            }
            n
        });
    });
}

fn controls_tree(c: &mut Criterion) {
    let catalogs = Catalogs::builtin().unwrap();
    let catalog = catalogs.current();
    let controls: Vec<organisation_control::Model> = catalog
        .controls()
        .enumerate()
        .map(|(i, entry)| organisation_control::Model {
            id: i32::try_from(i).unwrap(),
            organisation_id: 1,
            catalog_version: catalog.version.clone(),
            control_id: entry.id.clone(),
            applicable: i % 7 != 0,
            not_applicable_reason: None,
            status: pmark::domain::control::ControlStatus::ALL[i % 4],
            owner_user_id: Some(1),
            internal_rule: format!("規程 第{i}条"),
            notes: String::new(),
            last_reviewed_on: NaiveDate::from_ymd_opt(2026, 1, 1),
            next_review_due: NaiveDate::from_ymd_opt(2027, 1, 1),
            lock_version: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        })
        .collect();
    let evidence: HashMap<i32, EvidenceSummary> = controls
        .iter()
        .map(|c| (c.id, EvidenceSummary { count: 2, latest: NaiveDate::from_ymd_opt(2026, 4, 1) }))
        .collect();
    let names = HashMap::from([(1, "山田 花子".to_owned())]);
    let open_checks = std::collections::HashSet::new();
    let inputs = Inputs {
        catalog,
        controls: &controls,
        evidence: &evidence,
        member_names: &names,
        open_checks: &open_checks,
        lang: Lang::Ja,
        today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
    };
    c.bench_function("controls tree of the full catalog, unfiltered", |b| {
        b.iter(|| controls_tree::build(black_box(&inputs), &Filters::default()).len());
    });
    c.bench_function("controls tree of the full catalog, review overdue filter", |b| {
        let filters = Filters { review_overdue: true, ..Filters::default() };
        b.iter(|| controls_tree::build(black_box(&inputs), &filters).len());
    });
}

fn catalog_parse(c: &mut Criterion) {
    let text = include_str!("../catalog/jisq15001-2017.csv");
    c.bench_function("parse and validate the JIS Q 15001:2017 catalog", |b| {
        b.iter(|| Catalog::parse(Edition::Jisq15001v2017, black_box(text)).map(|c| c.entries().len()));
    });
}

criterion_group!(benches, occurrence_derivation, controls_tree, catalog_parse);
criterion_main!(benches);
