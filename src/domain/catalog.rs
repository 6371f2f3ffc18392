//! Control catalogs as data: the JIPDEC guideline's J-items (2024 edition, JIS Q 15001:2023準拠),
//! JIS Q 15001:2017 Annex A clause ids, their headings and our own one-line descriptions, and the
//! crosswalk between the two (`crosswalk`). A clause id means something only with its catalog
//! version, so every stored control carries the version too.

mod crosswalk;

use std::collections::HashMap;

pub use crosswalk::{Confidence, Counterpart, Crosswalk, CrosswalkLink};

use crate::domain::term::term;

/// The catalog new organisations start with.
pub const CURRENT_VERSION: &str = "JIS Q 15001:2017";

/// The version name of the 2024 guideline's catalog.
pub const GUIDELINE_2024_VERSION: &str = "構築・運用指針 JIS Q 15001:2023準拠 ver1.0";

term! {
    /// A catalog edition, by its code on the command line and in URLs. The 2024 guideline first:
    /// it is what examinations follow since 2024-10-01.
    Edition, "edition" {
        Guideline2024 => "guideline-2024",
        Jisq15001v2017 => "jisq15001-2017",
    }
}

impl Edition {
    /// The version name stored with controls of this edition.
    pub fn version(self) -> &'static str {
        match self {
            Edition::Guideline2024 => GUIDELINE_2024_VERSION,
            Edition::Jisq15001v2017 => CURRENT_VERSION,
        }
    }

    /// The file the catalog is compiled from, for error messages.
    pub fn file(self) -> &'static str {
        match self {
            Edition::Guideline2024 => "catalog/guideline-2024.csv",
            Edition::Jisq15001v2017 => "catalog/jisq15001-2017.csv",
        }
    }

    /// The edition the crosswalk maps this one to.
    pub fn other(self) -> Edition {
        match self {
            Edition::Guideline2024 => Edition::Jisq15001v2017,
            Edition::Jisq15001v2017 => Edition::Guideline2024,
        }
    }

    fn builtin_text(self) -> &'static str {
        match self {
            Edition::Guideline2024 => include_str!("../../catalog/guideline-2024.csv"),
            Edition::Jisq15001v2017 => include_str!("../../catalog/jisq15001-2017.csv"),
        }
    }

    /// The prefix of its ids (`J.`, `A.`) and the columns its file has beyond the shared ones.
    fn id_prefix_and_columns(self) -> (&'static str, [&'static str; 2]) {
        match self {
            Edition::Guideline2024 => ("J.", ["verification", "source"]),
            Edition::Jisq15001v2017 => ("A.", ["guideline_ref", "checked"]),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// Groups clauses (A.3.3 計画).
    Section,
    /// A control an organisation implements.
    Control,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Section => "section",
            EntryKind::Control => "control",
        }
    }
}

/// How sure we are that the heading matches the standard or the guideline (from the shared
/// research; the 2024 guideline's `seen` is `Yes`, `unverified` is `No`).
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
    /// Where the heading was seen (URLs and notes; empty for the 2017 catalog).
    pub source: String,
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

    /// The heading was not seen in (or checked against) a source.
    pub fn is_unverified(&self) -> bool {
        self.checked != Checked::Yes
    }

    /// `seen` or `unverified`, as the 2024 catalog file and `pmark catalog` write it.
    pub fn verification(&self) -> &'static str {
        if self.is_unverified() { "unverified" } else { "seen" }
    }
}

/// A catalog or crosswalk row that could not be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}: {message}")]
pub struct CatalogError {
    /// The data file (`catalog/crosswalk-2017-2024.csv`).
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// One version of a catalog, in document order.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub edition: Edition,
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
    description_ja: String,
    description_en: String,
    // The columns of one edition only; `parse` checks the header has them.
    #[serde(default)]
    guideline_ref: String,
    #[serde(default)]
    checked: String,
    #[serde(default)]
    verification: String,
    #[serde(default)]
    source: String,
}

impl Catalog {
    /// Parses and validates a catalog CSV of an edition. Both have id, parent_id, kind, title_ja,
    /// title_en, description_ja and description_en; the 2017 catalog adds guideline_ref and
    /// checked (yes/partly/no), the 2024 guideline verification (seen/unverified) and source.
    ///
    /// # Errors
    /// The first bad row, with its file and line: a missing column, an id of another edition,
    /// an unknown kind or verification value, a duplicate id, a parent that does not come before
    /// its child, an empty heading or description.
    pub fn parse(edition: Edition, csv_text: &str) -> Result<Self, CatalogError> {
        let error = |line: usize, message: String| CatalogError { file: edition.file().to_owned(), line, message };
        let (prefix, own_columns) = edition.id_prefix_and_columns();
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let headers = reader.headers().map_err(|e| error(1, e.to_string()))?.clone();
        if let Some(missing) = own_columns.iter().find(|c| !headers.iter().any(|h| h == **c)) {
            return Err(error(1, format!("column `{missing}` is missing")));
        }
        let mut entries: Vec<CatalogEntry> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (n, record) in reader.deserialize::<Row>().enumerate() {
            let line = n + 2;
            let row = record.map_err(|e| error(line, e.to_string()))?;
            let Some(number) = row.id.strip_prefix(prefix) else {
                return Err(error(line, format!("id `{}` does not start with `{prefix}`", row.id)));
            };
            if number.split('.').any(|part| part.parse::<u32>().is_err()) {
                return Err(error(line, format!("id `{}` is not a clause number", row.id)));
            }
            if index.contains_key(&row.id) {
                return Err(error(line, format!("id `{}` appears twice", row.id)));
            }
            let kind = match row.kind.as_str() {
                "section" => EntryKind::Section,
                "control" => EntryKind::Control,
                other => return Err(error(line, format!("kind `{other}` is not section or control"))),
            };
            let checked = match (edition, row.checked.as_str(), row.verification.as_str()) {
                (Edition::Jisq15001v2017, "yes", _) | (Edition::Guideline2024, _, "seen") => Checked::Yes,
                (Edition::Jisq15001v2017, "partly", _) => Checked::Partly,
                (Edition::Jisq15001v2017, "no", _) | (Edition::Guideline2024, _, "unverified") => Checked::No,
                (Edition::Jisq15001v2017, other, _) => {
                    return Err(error(line, format!("checked `{other}` is not yes, partly or no")));
                }
                (Edition::Guideline2024, _, other) => {
                    return Err(error(line, format!("verification `{other}` is not seen or unverified")));
                }
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
                source: row.source,
                depth,
                top_level_id,
            });
        }
        if entries.is_empty() {
            return Err(error(1, "the catalog has no rows".to_owned()));
        }
        Ok(Self { edition, version: edition.version().to_owned(), entries, index })
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

/// Every catalog pmark knows and the crosswalk between them, loaded and validated once at start
/// (`startup` refuses to start when this fails).
#[derive(Debug, Clone)]
pub struct Catalogs {
    /// The 2024 guideline, then JIS Q 15001:2017 (see `edition`).
    catalogs: Vec<Catalog>,
    crosswalk: Crosswalk,
}

impl Catalogs {
    /// Parses the catalogs and the crosswalk compiled into pmark.
    ///
    /// # Errors
    /// The first invalid row of any catalog or of the crosswalk, naming its file.
    pub fn builtin() -> Result<Self, CatalogError> {
        let parse = |edition: Edition| Catalog::parse(edition, edition.builtin_text());
        let (guideline, annex_a) = (parse(Edition::Guideline2024)?, parse(Edition::Jisq15001v2017)?);
        let crosswalk = Crosswalk::builtin(&annex_a, &guideline)?;
        Ok(Self { catalogs: vec![guideline, annex_a], crosswalk })
    }

    /// The catalog of `CURRENT_VERSION`, what organisations get today.
    pub fn current(&self) -> &Catalog {
        self.get(CURRENT_VERSION).unwrap_or(&self.catalogs[1])
    }

    pub fn get(&self, version: &str) -> Option<&Catalog> {
        self.catalogs.iter().find(|c| c.version == version)
    }

    /// The catalog of an edition.
    pub fn edition(&self, edition: Edition) -> &Catalog {
        match edition {
            Edition::Guideline2024 => &self.catalogs[0],
            Edition::Jisq15001v2017 => &self.catalogs[1],
        }
    }

    pub fn all(&self) -> &[Catalog] {
        &self.catalogs
    }

    pub fn crosswalk(&self) -> &Crosswalk {
        &self.crosswalk
    }

    /// The entries of an edition in document order, each with its ids in the other edition.
    pub fn rows(&self, edition: Edition) -> Vec<CatalogRow<'_>> {
        self.edition(edition)
            .entries()
            .iter()
            .map(|entry| CatalogRow { entry, counterparts: self.crosswalk.counterparts(edition, &entry.id) })
            .collect()
    }
}

/// A catalog entry with the crosswalk ids of the other edition, as `pmark catalog` and `/catalog`
/// show it.
#[derive(Debug, Clone)]
pub struct CatalogRow<'a> {
    pub entry: &'a CatalogEntry,
    pub counterparts: Vec<Counterpart<'a>>,
}

#[cfg(test)]
mod tests;
