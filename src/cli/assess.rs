//! `pmark assess FILE`: the check assessment of an incident described in a JSON file (or `-`
//! for standard input). Needs no database.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, anyhow};

use super::Format;
use crate::domain::Lang;
use crate::domain::catalog::Catalogs;
use crate::domain::incident::{CheckRules, IncidentFacts};

/// The check rules as the server loads them: the built-in rules checked against the current
/// catalog.
///
/// # Errors
/// When the built-in catalog or rules are invalid (naming the rule).
pub fn load_rules() -> anyhow::Result<CheckRules> {
    let catalogs = Catalogs::builtin().context("the built-in control catalog is invalid")?;
    Ok(CheckRules::builtin(catalogs.current())?)
}

fn read_input(file: &Path) -> anyhow::Result<String> {
    let mut text = String::new();
    if file.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text).context("-: cannot read standard input")?;
    } else {
        text = std::fs::read_to_string(file).with_context(|| format!("{}: cannot read the file", file.display()))?;
    }
    Ok(text)
}

/// Prints the assessment of the incident in `file` as pretty JSON or as text in `lang`.
///
/// # Errors
/// A message naming the unreadable file, the JSON syntax error (line and column) or the bad
/// field; or invalid built-in rules.
pub fn assess(file: &Path, format: Format, lang: Lang) -> anyhow::Result<()> {
    let rules = load_rules()?;
    let text = read_input(file)?;
    let facts = IncidentFacts::from_json_text(&text).map_err(|e| anyhow!("{}: {e}", file.display()))?;
    let assessment = rules.assess(&facts);
    let output = match format {
        Format::Json => serde_json::to_string_pretty(&assessment)? + "\n",
        Format::Text => crate::view::assessment_text::render(&assessment, lang),
    };
    match std::io::stdout().lock().write_all(output.as_bytes()) {
        // A reader that stopped early (`| head`) is not an error of ours.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("cannot write to standard output"),
        _ => Ok(()),
    }
}
