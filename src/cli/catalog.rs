//! `pmark catalog`: prints a catalog edition, each item with its crosswalk ids in the other
//! edition, as JSON or CSV. Needs no database.

use std::io::Write;

use anyhow::Context;
use serde::Serialize;

use crate::domain::catalog::{CatalogRow, Catalogs, Edition};

/// The output formats of `pmark catalog`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogFormat {
    Json,
    Csv,
}

#[derive(Serialize)]
struct Listing<'a> {
    edition: Edition,
    version: &'a str,
    /// The edition the `crosswalk` ids belong to.
    crosswalk_edition: Edition,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    parent_id: Option<&'a str>,
    kind: &'static str,
    title_ja: &'a str,
    title_en: &'a str,
    description_ja: &'a str,
    description_en: &'a str,
    /// `seen` or `unverified` (the heading).
    verification: &'static str,
    source: &'a str,
    crosswalk: Vec<Link<'a>>,
}

#[derive(Serialize)]
struct Link<'a> {
    id: &'a str,
    confidence: &'static str,
}

fn item<'a>(row: &CatalogRow<'a>) -> Item<'a> {
    let entry = row.entry;
    Item {
        id: &entry.id,
        parent_id: entry.parent_id.as_deref(),
        kind: entry.kind.as_str(),
        title_ja: &entry.title_ja,
        title_en: &entry.title_en,
        description_ja: &entry.description_ja,
        description_en: &entry.description_en,
        verification: entry.verification(),
        source: &entry.source,
        crosswalk: row.counterparts.iter().map(|c| Link { id: c.id, confidence: c.confidence.as_str() }).collect(),
    }
}

/// The catalog of `edition` as text in `format`.
///
/// # Errors
/// When the built-in catalogs are invalid (naming the file and id).
pub fn render(edition: Edition, format: CatalogFormat) -> anyhow::Result<String> {
    let catalogs = Catalogs::builtin().context("the built-in control catalogs or their crosswalk are invalid")?;
    let rows = catalogs.rows(edition);
    let items: Vec<Item<'_>> = rows.iter().map(item).collect();
    match format {
        CatalogFormat::Json => {
            let listing = Listing { edition, version: edition.version(), crosswalk_edition: edition.other(), items };
            Ok(serde_json::to_string_pretty(&listing)? + "\n")
        }
        CatalogFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let crosswalk_column = format!("crosswalk_{}", edition.other().as_str().replace('-', "_"));
            writer.write_record([
                "id",
                "parent_id",
                "kind",
                "title_ja",
                "title_en",
                "description_ja",
                "description_en",
                "verification",
                &crosswalk_column,
                "source",
            ])?;
            for (row, item) in rows.iter().zip(&items) {
                // The catalog's convention: an inferred pair ends with `?`.
                let crosswalk = row.counterparts.iter().map(|c| c.label()).collect::<Vec<_>>().join("; ");
                writer.write_record([
                    item.id,
                    item.parent_id.unwrap_or_default(),
                    item.kind,
                    item.title_ja,
                    item.title_en,
                    item.description_ja,
                    item.description_en,
                    item.verification,
                    &crosswalk,
                    item.source,
                ])?;
            }
            Ok(String::from_utf8(writer.into_inner()?)?)
        }
    }
}

/// Prints the catalog of `edition` on standard output.
///
/// # Errors
/// Invalid built-in catalogs, or standard output closed with an error.
pub fn catalog(edition: Edition, format: CatalogFormat) -> anyhow::Result<()> {
    let output = render(edition, format)?;
    match std::io::stdout().lock().write_all(output.as_bytes()) {
        // A reader that stopped early (`| head`) is not an error of ours.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("cannot write to standard output"),
        _ => Ok(()),
    }
}
