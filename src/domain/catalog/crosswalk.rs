//! The crosswalk between JIS Q 15001:2017 Annex A and the 2024 guideline's J-items
//! (`catalog/crosswalk-2017-2024.csv`): one row per pair, with how sure we are of it. Every 2017
//! control appears, with an empty J-id and a note when it has no counterpart.

use std::collections::HashSet;

use super::{Catalog, CatalogError, Edition};
use crate::domain::term::{Term, term};

/// The file the crosswalk is compiled from.
pub const FILE: &str = "catalog/crosswalk-2017-2024.csv";

const BUILTIN: &str = include_str!("../../../catalog/crosswalk-2017-2024.csv");

term! {
    /// How a pair of the crosswalk is known.
    Confidence, "crosswalk-confidence" {
        /// A source prints the pair.
        Seen => "seen",
        /// Our inference (same heading, a moved clause, a neighbour's numbering).
        Inferred => "inferred",
    }
}

/// One row of the crosswalk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrosswalkLink {
    pub annex_a_2017: String,
    /// `None` when the 2017 entry has no counterpart (the note says why).
    pub guideline_2024: Option<String>,
    /// `None` exactly when there is no counterpart.
    pub confidence: Option<Confidence>,
    pub source: String,
    pub note: String,
}

/// An id in the other edition, as shown beside an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counterpart<'a> {
    pub id: &'a str,
    pub confidence: Confidence,
}

impl Counterpart<'_> {
    /// The id as shown: `A.3.3.1`, or `J.9.2?` for an inferred pair (the catalog's convention).
    pub fn label(&self) -> String {
        match self.confidence {
            Confidence::Seen => self.id.to_owned(),
            Confidence::Inferred => format!("{}?", self.id),
        }
    }
}

#[derive(Debug, serde::Deserialize)]
struct Row {
    annex_a_2017: String,
    guideline_2024: String,
    confidence: String,
    source: String,
    note: String,
}

/// The validated crosswalk.
#[derive(Debug, Clone, Default)]
pub struct Crosswalk {
    links: Vec<CrosswalkLink>,
}

impl Crosswalk {
    pub(super) fn builtin(annex_a: &Catalog, guideline: &Catalog) -> Result<Self, CatalogError> {
        Self::parse(BUILTIN, annex_a, guideline)
    }

    /// Parses the crosswalk CSV (header: annex_a_2017, guideline_2024, confidence, source, note)
    /// against both catalogs.
    ///
    /// # Errors
    /// The first bad row, naming the file, the line and the id: an id in neither catalog, a pair
    /// listed twice, a confidence other than seen or inferred (or one given without a J-id), a
    /// row without a counterpart and without a note; or a 2017 control the file leaves out.
    pub fn parse(csv_text: &str, annex_a: &Catalog, guideline: &Catalog) -> Result<Self, CatalogError> {
        let error = |line: usize, message: String| CatalogError { file: FILE.to_owned(), line, message };
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let mut links = Vec::new();
        let mut pairs = HashSet::new();
        for (n, record) in reader.deserialize::<Row>().enumerate() {
            let line = n + 2;
            let row = record.map_err(|e| error(line, e.to_string()))?;
            let a = row.annex_a_2017.trim();
            let j = row.guideline_2024.trim();
            if annex_a.get(a).is_none() {
                return Err(error(line, format!("`{a}` is not an id of {}", annex_a.edition.file())));
            }
            if !j.is_empty() && guideline.get(j).is_none() {
                return Err(error(line, format!("`{j}` is not an id of {}", guideline.edition.file())));
            }
            if !pairs.insert((a.to_owned(), j.to_owned())) {
                return Err(error(line, format!("`{a}` → `{j}` appears twice")));
            }
            let confidence = match (j.is_empty(), row.confidence.trim()) {
                (true, "") if row.note.trim().is_empty() => {
                    return Err(error(line, format!("`{a}` has no counterpart and no note saying why")));
                }
                (true, "") => None,
                (true, _) => return Err(error(line, format!("`{a}` has a confidence but no J-id"))),
                (false, text) => Some(Confidence::parse(text).map_err(|e| error(line, format!("`{a}` → `{j}`: {e}")))?),
            };
            links.push(CrosswalkLink {
                annex_a_2017: a.to_owned(),
                guideline_2024: Some(j.to_owned()).filter(|j| !j.is_empty()),
                confidence,
                source: row.source,
                note: row.note,
            });
        }
        if let Some(missing) = annex_a.controls().find(|c| !links.iter().any(|l| l.annex_a_2017 == c.id)) {
            return Err(error(1, format!("the 2017 control `{}` is missing", missing.id)));
        }
        Ok(Self { links })
    }

    pub fn links(&self) -> &[CrosswalkLink] {
        &self.links
    }

    /// The ids in the other edition of an entry of `edition`, in file order.
    pub fn counterparts(&self, edition: Edition, id: &str) -> Vec<Counterpart<'_>> {
        self.links
            .iter()
            .filter_map(|link| {
                let (j, confidence) = (link.guideline_2024.as_deref()?, link.confidence?);
                match edition {
                    Edition::Jisq15001v2017 if link.annex_a_2017 == id => Some(Counterpart { id: j, confidence }),
                    Edition::Guideline2024 if j == id => Some(Counterpart { id: &link.annex_a_2017, confidence }),
                    _ => None,
                }
            })
            .collect()
    }
}
