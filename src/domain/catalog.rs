//! Control catalogs as data: JIS Q 15001 Annex A clause ids, headings, the JIPDEC guideline's
//! J-numbers and our own one-line descriptions. A clause id means something only with its catalog
//! version, so every stored control carries the version too.

use std::collections::HashMap;

/// The catalog new organisations start with.
pub const CURRENT_VERSION: &str = "JIS Q 15001:2017";

/// The catalogs compiled into pmark: (version name, CSV text).
const BUILTIN: &[(&str, &str)] = &[(CURRENT_VERSION, include_str!("../../catalog/jisq15001-2017.csv"))];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// Groups clauses (A.3.3 計画).
    Section,
    /// A control an organisation implements.
    Control,
}

/// How sure we are that the heading matches the standard (from the shared research).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    Yes,
    Partly,
    No,
}

impl Checked {
    pub fn as_str(self) -> &'static str {
        match self {
            Checked::Yes => "yes",
            Checked::Partly => "partly",
            Checked::No => "no",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    pub id: String,
    pub parent_id: Option<String>,
    pub kind: EntryKind,
    pub title_ja: String,
    pub title_en: String,
    /// The JIPDEC guideline J-number, without the `?` of an inferred mapping.
    pub guideline_ref: Option<String>,
    /// The J-number mapping is our inference, not read from the guideline.
    pub guideline_inferred: bool,
    /// The reference as shown: `J.3.1.1`, `J.9.2?` when inferred, empty when none.
    pub guideline_label: String,
    pub checked: Checked,
    pub description_ja: String,
    pub description_en: String,
    /// 0 for top-level entries (A.3.3), 1 for their children, …
    pub depth: usize,
    /// The top-level entry this one belongs to (itself for a top-level entry).
    pub top_level_id: String,
}

impl CatalogEntry {
    pub fn is_control(&self) -> bool {
        self.kind == EntryKind::Control
    }

    /// The guideline reference as shown: `J.3.1.1`, or `J.9.2?` when inferred.
    pub fn guideline_display(&self) -> &str {
        &self.guideline_label
    }
}

/// A catalog row that could not be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("catalog {version}, line {line}: {message}")]
pub struct CatalogError {
    pub version: String,
    pub line: usize,
    pub message: String,
}

/// One version of a catalog, in document order.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub version: String,
    entries: Vec<CatalogEntry>,
    index: HashMap<String, usize>,
}

#[derive(Debug, serde::Deserialize)]
struct Row {
    id: String,
    parent_id: String,
    kind: String,
    title_ja: String,
    title_en: String,
    guideline_ref: String,
    checked: String,
    description_ja: String,
    description_en: String,
}

impl Catalog {
    /// Parses and validates a catalog CSV (header: id, parent_id, kind, title_ja, title_en,
    /// guideline_ref, checked, description_ja, description_en).
    ///
    /// # Errors
    /// The first bad row, with its line number: unknown kind or checked value, a duplicate id,
    /// a parent that does not come before its child, an empty heading or description.
    pub fn parse(version: &str, csv_text: &str) -> Result<Self, CatalogError> {
        let error = |line: usize, message: String| CatalogError { version: version.to_owned(), line, message };
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let mut entries: Vec<CatalogEntry> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (n, record) in reader.deserialize::<Row>().enumerate() {
            let line = n + 2;
            let row = record.map_err(|e| error(line, e.to_string()))?;
            if !row.id.starts_with("A.") || row.id.split('.').skip(1).any(|part| part.parse::<u32>().is_err()) {
                return Err(error(line, format!("id `{}` is not an Annex A clause id", row.id)));
            }
            if index.contains_key(&row.id) {
                return Err(error(line, format!("id `{}` appears twice", row.id)));
            }
            let kind = match row.kind.as_str() {
                "section" => EntryKind::Section,
                "control" => EntryKind::Control,
                other => return Err(error(line, format!("kind `{other}` is not section or control"))),
            };
            let checked = match row.checked.as_str() {
                "yes" => Checked::Yes,
                "partly" => Checked::Partly,
                "no" => Checked::No,
                other => return Err(error(line, format!("checked `{other}` is not yes, partly or no"))),
            };
            for (field, value) in [
                ("title_ja", &row.title_ja),
                ("title_en", &row.title_en),
                ("description_ja", &row.description_ja),
                ("description_en", &row.description_en),
            ] {
                if value.trim().is_empty() {
                    return Err(error(line, format!("{field} is empty for `{}`", row.id)));
                }
            }
            let parent_id = Some(row.parent_id.trim().to_owned()).filter(|p| !p.is_empty());
            let (depth, top_level_id) = match &parent_id {
                None => (0, row.id.clone()),
                Some(parent) => {
                    let parent_entry = index.get(parent).map(|&i: &usize| &entries[i]).ok_or_else(|| {
                        error(line, format!("parent `{parent}` of `{}` is not listed before it", row.id))
                    })?;
                    (parent_entry.depth + 1, parent_entry.top_level_id.clone())
                }
            };
            let reference = row.guideline_ref.trim();
            let guideline_inferred = reference.ends_with('?');
            let guideline_ref = Some(reference.trim_end_matches('?').to_owned()).filter(|r| !r.is_empty());
            let guideline_label = match (&guideline_ref, guideline_inferred) {
                (Some(r), true) => format!("{r}?"),
                (Some(r), false) => r.clone(),
                (None, _) => String::new(),
            };
            index.insert(row.id.clone(), entries.len());
            entries.push(CatalogEntry {
                guideline_label,
                id: row.id,
                parent_id,
                kind,
                title_ja: row.title_ja,
                title_en: row.title_en,
                guideline_ref,
                guideline_inferred,
                checked,
                description_ja: row.description_ja,
                description_en: row.description_en,
                depth,
                top_level_id,
            });
        }
        if entries.is_empty() {
            return Err(error(1, "the catalog has no rows".to_owned()));
        }
        Ok(Self { version: version.to_owned(), entries, index })
    }

    pub fn entries(&self) -> &[CatalogEntry] {
        &self.entries
    }

    pub fn controls(&self) -> impl Iterator<Item = &CatalogEntry> {
        self.entries.iter().filter(|e| e.is_control())
    }

    pub fn get(&self, id: &str) -> Option<&CatalogEntry> {
        self.index.get(id).map(|&i| &self.entries[i])
    }

    /// Document position of an id, for ordering stored controls like the catalog.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }
}

/// Every catalog pmark knows, loaded once at start.
#[derive(Debug, Clone)]
pub struct Catalogs {
    catalogs: Vec<Catalog>,
}

impl Catalogs {
    /// Parses the catalogs compiled into pmark.
    ///
    /// # Errors
    /// The first invalid row of any catalog.
    pub fn builtin() -> Result<Self, CatalogError> {
        let catalogs = BUILTIN.iter().map(|(version, text)| Catalog::parse(version, text)).collect::<Result<_, _>>()?;
        Ok(Self { catalogs })
    }

    pub fn current(&self) -> &Catalog {
        self.get(CURRENT_VERSION).unwrap_or(&self.catalogs[0])
    }

    pub fn get(&self, version: &str) -> Option<&Catalog> {
        self.catalogs.iter().find(|c| c.version == version)
    }

    pub fn all(&self) -> &[Catalog] {
        &self.catalogs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let shared = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/domain/catalog-jisq15001-2017.csv"
        ));
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
        let err = Catalog::parse("t", &bad_kind).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("chapter"));
        let orphan = format!("{header}A.3.1.1,A.3.1,control,一般,General,,yes,d,d\n");
        assert!(Catalog::parse("t", &orphan).unwrap_err().message.contains("parent"));
        let twice = format!("{header}A.3.1,,section,一般,General,,yes,d,d\nA.3.1,,section,一般,General,,yes,d,d\n");
        assert_eq!(Catalog::parse("t", &twice).unwrap_err().line, 3);
        let empty = format!("{header}A.3.1,,section,一般,General,,yes,,d\n");
        assert!(Catalog::parse("t", &empty).unwrap_err().message.contains("description_ja"));
        let bad_id = format!("{header}B.1,,section,一般,General,,yes,d,d\n");
        assert!(Catalog::parse("t", &bad_id).is_err());
    }
}
