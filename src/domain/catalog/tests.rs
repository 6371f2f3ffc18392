//! The catalogs and the crosswalk as shipped, and the refusals of bad rows.

use super::*;
use crate::domain::term::Term;

#[test]
fn the_builtin_catalog_loads_with_its_version_and_every_shared_clause() {
    let catalogs = Catalogs::builtin().unwrap();
    let current = catalogs.current();
    assert_eq!(current.version, "JIS Q 15001:2017");
    assert_eq!(current.entries().len(), 52);
    let register = current.get("A.3.3.1").unwrap();
    assert_eq!(register.title_ja, "個人情報の特定");
    assert_eq!(register.guideline_display(), "J.3.1.1");
    assert_eq!(register.top_level_id, "A.3.3");
    assert_eq!(register.depth, 1);
    let third_party = current.get("A.3.4.2.8.1").unwrap();
    assert_eq!(third_party.depth, 3);
    assert_eq!(third_party.top_level_id, "A.3.4");
    assert!(current.get("A.3.8").unwrap().is_control(), "corrective action is a top-level control");
    assert!(current.entries().iter().any(|e| e.guideline_inferred));
}

#[test]
fn the_shipped_catalog_matches_the_shared_ids_and_headings() {
    let shared =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/domain/catalog-jisq15001-2017.csv"));
    let Ok(shared) = shared else { return };
    let mut reader = csv::Reader::from_reader(shared.as_bytes());
    let catalogs = Catalogs::builtin().unwrap();
    let ours = catalogs.current();
    let mut n = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let entry = ours.get(&record[0]).unwrap_or_else(|| panic!("{} missing", &record[0]));
        assert_eq!(entry.title_ja, &record[3]);
        assert_eq!(entry.title_en, &record[4]);
        assert_eq!(entry.checked.as_str(), &record[6]);
        n += 1;
    }
    assert_eq!(n, ours.entries().len());
}

#[test]
fn bad_rows_are_refused_with_their_line() {
    let header = "id,parent_id,kind,title_ja,title_en,guideline_ref,checked,description_ja,description_en\n";
    let bad_kind = format!("{header}A.3.1,,chapter,一般,General,,yes,d,d\n");
    let err = Catalog::parse(Edition::Jisq15001v2017, &bad_kind).unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.message.contains("chapter"));
    let orphan = format!("{header}A.3.1.1,A.3.1,control,一般,General,,yes,d,d\n");
    assert!(Catalog::parse(Edition::Jisq15001v2017, &orphan).unwrap_err().message.contains("parent"));
    let twice = format!("{header}A.3.1,,section,一般,General,,yes,d,d\nA.3.1,,section,一般,General,,yes,d,d\n");
    assert_eq!(Catalog::parse(Edition::Jisq15001v2017, &twice).unwrap_err().line, 3);
    let empty = format!("{header}A.3.1,,section,一般,General,,yes,,d\n");
    assert!(Catalog::parse(Edition::Jisq15001v2017, &empty).unwrap_err().message.contains("description_ja"));
    let bad_id = format!("{header}B.1,,section,一般,General,,yes,d,d\n");
    assert!(Catalog::parse(Edition::Jisq15001v2017, &bad_id).is_err());
}

fn crosswalk_error(text: &str) -> CatalogError {
    let catalogs = Catalogs::builtin().unwrap();
    let header = "annex_a_2017,guideline_2024,confidence,source,note\n";
    let complete: String = catalogs.crosswalk().links().iter().fold(String::new(), |mut all, link| {
        let j = link.guideline_2024.clone().unwrap_or_default();
        let confidence = link.confidence.map(|c| c.as_str()).unwrap_or_default();
        all.push_str(&format!("{},{j},{confidence},s,n\n", link.annex_a_2017));
        all
    });
    let annex_a = catalogs.edition(Edition::Jisq15001v2017);
    let guideline = catalogs.edition(Edition::Guideline2024);
    Crosswalk::parse(&format!("{header}{complete}{text}"), annex_a, guideline).unwrap_err()
}

#[test]
fn both_editions_load_with_their_codes_and_versions() {
    let catalogs = Catalogs::builtin().unwrap();
    let guideline = catalogs.edition(Edition::Guideline2024);
    assert_eq!(guideline.version, GUIDELINE_2024_VERSION);
    assert_eq!(Edition::parse("guideline-2024").unwrap(), Edition::Guideline2024);
    assert_eq!(catalogs.edition(Edition::parse("jisq15001-2017").unwrap()).version, "JIS Q 15001:2017");
    assert_eq!(catalogs.current().version, CURRENT_VERSION, "organisations still get the 2017 catalog");
    let change = guideline.get("J.3.4").unwrap();
    assert_eq!(change.title_ja, "変更の計画策定");
    assert!(!change.is_unverified());
    assert_eq!(change.parent_id.as_deref(), Some("J.3"));
    for id in ["J.8.3", "J.8.8.4", "J.8.9", "J.8.10", "J.11"] {
        assert!(guideline.get(id).is_some(), "{id} is in the 2024 catalog");
    }
    assert!(guideline.get("J.9.2").unwrap().is_unverified(), "J.9.2's heading was not seen in a source");
    assert!(guideline.entries().iter().all(|e| !e.source.is_empty()), "every J-item names where it was looked up");
}

#[test]
fn every_crosswalk_id_resolves_and_every_2017_control_has_a_row() {
    let catalogs = Catalogs::builtin().unwrap();
    let annex_a = catalogs.edition(Edition::Jisq15001v2017);
    let guideline = catalogs.edition(Edition::Guideline2024);
    for link in catalogs.crosswalk().links() {
        assert!(annex_a.get(&link.annex_a_2017).is_some(), "{}", link.annex_a_2017);
        if let Some(j) = &link.guideline_2024 {
            assert!(guideline.get(j).is_some(), "{j}");
        }
    }
    for control in annex_a.controls() {
        assert!(catalogs.crosswalk().links().iter().any(|l| l.annex_a_2017 == control.id), "{}", control.id);
    }
    let register = catalogs.crosswalk().counterparts(Edition::Jisq15001v2017, "A.3.3.1");
    assert_eq!(register.iter().map(Counterpart::label).collect::<Vec<_>>(), ["J.3.1.1"]);
    let back = catalogs.crosswalk().counterparts(Edition::Guideline2024, "J.9.2");
    assert_eq!(back.iter().map(Counterpart::label).collect::<Vec<_>>(), ["A.3.4.3.2?"]);
    assert!(catalogs.crosswalk().counterparts(Edition::Guideline2024, "J.3.4").is_empty(), "J.3.4 is new in 2024");
}

#[test]
fn the_2017_guideline_refs_agree_with_the_crosswalk() {
    let catalogs = Catalogs::builtin().unwrap();
    for entry in catalogs.current().entries() {
        let Some(reference) = &entry.guideline_ref else { continue };
        let counterparts = catalogs.crosswalk().counterparts(Edition::Jisq15001v2017, &entry.id);
        assert!(counterparts.iter().any(|c| c.id == reference), "{} → {reference}", entry.id);
    }
}

#[test]
fn a_crosswalk_row_with_an_unknown_id_is_refused_naming_the_id_and_file() {
    let unknown_j = crosswalk_error("A.3.3.1,J.99.1,inferred,s,n\n");
    assert_eq!(unknown_j.file, "catalog/crosswalk-2017-2024.csv");
    assert!(unknown_j.message.contains("`J.99.1`"), "{unknown_j}");
    assert!(unknown_j.to_string().starts_with("catalog/crosswalk-2017-2024.csv, line "), "{unknown_j}");
    let unknown_a = crosswalk_error("A.3.9,J.3.4,inferred,s,n\n");
    assert!(unknown_a.message.contains("`A.3.9`"), "{unknown_a}");
    let twice = crosswalk_error("A.3.3.1,J.3.1.1,seen,s,n\n");
    assert!(twice.message.contains("twice") && twice.message.contains("A.3.3.1"), "{twice}");
    let bad_confidence = crosswalk_error("A.3.3.1,J.3.4,probably,s,n\n");
    assert!(bad_confidence.message.contains("probably"), "{bad_confidence}");
    let silent = crosswalk_error("A.3.8,,,s,\n");
    assert!(silent.message.contains("no note"), "{silent}");
}

#[test]
fn a_crosswalk_that_leaves_out_a_2017_control_is_refused() {
    let catalogs = Catalogs::builtin().unwrap();
    let text = "annex_a_2017,guideline_2024,confidence,source,note\nA.3.3.1,J.3.1.1,seen,s,n\n";
    let annex_a = catalogs.edition(Edition::Jisq15001v2017);
    let err = Crosswalk::parse(text, annex_a, catalogs.edition(Edition::Guideline2024)).unwrap_err();
    assert!(err.message.contains("`A.3.1.1` is missing"), "{err}");
}

#[test]
fn a_guideline_row_with_a_missing_parent_or_a_foreign_id_is_refused() {
    let header = "id,parent_id,kind,title_ja,title_en,description_ja,description_en,verification,source\n";
    let orphan = format!("{header}J.3.4,J.3,control,変更の計画策定,Planning of changes,d,d,seen,s\n");
    let err = Catalog::parse(Edition::Guideline2024, &orphan).unwrap_err();
    assert_eq!(err.file, "catalog/guideline-2024.csv");
    assert!(err.message.contains("`J.3`"), "{err}");
    let foreign = format!("{header}A.3.1,,section,一般,General,d,d,seen,s\n");
    assert!(Catalog::parse(Edition::Guideline2024, &foreign).unwrap_err().message.contains("`J.`"));
    let unsure = format!("{header}J.3,,section,計画,Planning,d,d,maybe,s\n");
    assert!(Catalog::parse(Edition::Guideline2024, &unsure).unwrap_err().message.contains("maybe"));
    let twice = format!("{header}J.3,,section,計画,Planning,d,d,seen,s\nJ.3,,section,計画,Planning,d,d,seen,s\n");
    assert!(Catalog::parse(Edition::Guideline2024, &twice).unwrap_err().message.contains("twice"));
    let old_columns = "id,parent_id,kind,title_ja,title_en,guideline_ref,checked,description_ja,description_en\n";
    assert!(Catalog::parse(Edition::Guideline2024, old_columns).unwrap_err().message.contains("verification"));
}
