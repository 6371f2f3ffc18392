//! `pmark backup --out FILE` and `pmark restore FILE`: one gzip-compressed tar archive with a
//! consistent copy of an SQLite database (taken with `VACUUM INTO` while the server runs), the
//! evidence files and the generated session key. Evidence files are never changed once written,
//! and the database is copied first, so every evidence row in the copy finds its file. With
//! PostgreSQL the archive holds the files and a note: the database itself is backed up with
//! `pg_dump`. With `uploads.storage = "database"` the evidence content is a table of the database:
//! inside the SQLite copy, or in the `pg_dump` (the note says so); files kept on disk before a
//! switch are archived all the same. A restore goes into an empty data folder only.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};

use crate::settings::{EvidenceStorage, Settings};
use crate::store;

const MANIFEST: &str = "MANIFEST.json";
const DATABASE: &str = "pmark.db";
const SESSION_KEY: &str = "session.key";
const POSTGRES_NOTE: &str = "POSTGRESQL.txt";
const EVIDENCE: &str = "evidence";
const FORMAT: u32 = 1;

const NOTE: &str = "This pmark installation keeps its database in PostgreSQL, which is not in this archive.
Back it up with pg_dump at the same time as this archive, for example:

    pg_dump --format=custom --file=pmark.pgdump \"$PMARK__DATABASE__URL\"

and restore it into an empty database with:

    pg_restore --no-owner --dbname=\"$PMARK__DATABASE__URL\" pmark.pgdump

This archive holds the evidence files (evidence/) and the generated session key, if any.
";

const NOTE_EVIDENCE_IN_DATABASE: &str = "
This installation keeps evidence files in the database (uploads.storage = \"database\"): their
content is in the table evidence_blobs, so it is in the pg_dump, not in this archive. Files under
evidence/ here, if any, are ones kept on disk before the switch (pmark copies them into the
database when it starts).
";

/// The first entry of every archive.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    pmark_version: String,
    created_at: String,
    /// `sqlite` (the database is in the archive) or `postgres` (it is not).
    database: String,
    evidence_files: usize,
    /// `files` or `database`: where the evidence content was kept (`uploads.storage`).
    #[serde(default)]
    evidence_storage: String,
}

/// Deletes a temporary file when dropped (on every early return).
struct Temporary(PathBuf);

impl Drop for Temporary {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A sibling of `path` named `.<name>.<suffix>-<random>`, so that a rename to `path` is atomic.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{suffix}-{}", &crate::security::tokens::new_token()[..12]))
}

/// `pmark backup --out FILE`.
///
/// # Errors
/// A message naming `--out`, `database.url` or `data.dir` when it cannot be read or written.
pub async fn backup(settings: &Settings, out: &Path) -> anyhow::Result<()> {
    if out.is_dir() {
        bail!("--out: {} is a folder; give a file name such as pmark-backup.tar.gz", out.display());
    }
    let sqlite = store::database::sqlite_file(&settings.database.url).map(PathBuf::from);
    if settings.database.url.starts_with("sqlite:") && sqlite.is_none() {
        bail!("database.url: an in-memory database cannot be backed up");
    }
    let db = store::connect(&settings.database).await?;
    let snapshot = match &sqlite {
        Some(_) => {
            let target = Temporary(sibling(out, "db"));
            store::database::snapshot_sqlite(&db, &target.0)
                .await
                .with_context(|| format!("--out: cannot write the database copy next to {}", out.display()))?;
            Some(target)
        }
        None => None,
    };
    db.close().await.ok();
    let data_dir = settings.data.dir.clone();
    let partial = Temporary(sibling(out, "partial"));
    let database_copy = snapshot.as_ref().map(|t| t.0.clone());
    let partial_path = partial.0.clone();
    let storage = settings.uploads.storage_for(&settings.database.url);
    let evidence =
        tokio::task::spawn_blocking(move || write_archive(&partial_path, &data_dir, database_copy.as_deref(), storage))
            .await??;
    std::fs::rename(&partial.0, out).with_context(|| format!("--out: cannot write {}", out.display()))?;
    std::mem::forget(partial);
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    match (sqlite, storage) {
        (Some(_), EvidenceStorage::Files) => {
            println!("{}: the database, {evidence} evidence files ({size} bytes)", out.display());
        }
        (Some(_), EvidenceStorage::Database) => println!(
            "{}: the database with the evidence kept in it, {evidence} evidence files kept on disk ({size} bytes)",
            out.display()
        ),
        (None, EvidenceStorage::Database) => println!(
            "{}: {evidence} evidence files kept on disk ({size} bytes); the PostgreSQL database, with the evidence kept in it, is not in it: back it up with pg_dump (see {POSTGRES_NOTE} inside)",
            out.display()
        ),
        (None, EvidenceStorage::Files) => println!(
            "{}: {evidence} evidence files ({size} bytes); the PostgreSQL database is not in it: back it up with pg_dump (see {POSTGRES_NOTE} inside)",
            out.display()
        ),
    }
    Ok(())
}

/// The evidence files under `data_dir/evidence/<organisation>/<key>` (not the staging folder),
/// as (name in the archive, path on disk).
fn evidence_files(data_dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let root = data_dir.join(EVIDENCE);
    let mut files = Vec::new();
    let Ok(organisations) = std::fs::read_dir(&root) else { return Ok(files) };
    for organisation in organisations {
        let organisation = organisation.with_context(|| format!("data.dir: cannot read {}", root.display()))?;
        let name = organisation.file_name().to_string_lossy().into_owned();
        if !organisation.file_type()?.is_dir() || !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        for file in std::fs::read_dir(organisation.path())? {
            let file = file?;
            if file.file_type()?.is_file() {
                files.push((format!("{EVIDENCE}/{name}/{}", file.file_name().to_string_lossy()), file.path()));
            }
        }
    }
    files.sort();
    Ok(files)
}

fn write_archive(
    path: &Path,
    data_dir: &Path,
    database: Option<&Path>,
    storage: EvidenceStorage,
) -> anyhow::Result<usize> {
    let evidence = evidence_files(data_dir)?;
    let file = File::create(path).with_context(|| format!("--out: cannot create {}", path.display()))?;
    let mut archive =
        tar::Builder::new(flate2::write::GzEncoder::new(BufWriter::new(file), flate2::Compression::default()));
    let manifest = Manifest {
        format: FORMAT,
        pmark_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: chrono::Utc::now().to_rfc3339(),
        database: if database.is_some() { "sqlite" } else { "postgres" }.to_owned(),
        evidence_files: evidence.len(),
        evidence_storage: match storage {
            EvidenceStorage::Files => "files",
            EvidenceStorage::Database => "database",
        }
        .to_owned(),
    };
    append_bytes(&mut archive, MANIFEST, serde_json::to_string_pretty(&manifest)?.as_bytes(), 0o644)?;
    match database {
        Some(copy) => archive.append_path_with_name(copy, DATABASE)?,
        None => {
            let note = match storage {
                EvidenceStorage::Files => NOTE.to_owned(),
                EvidenceStorage::Database => format!("{NOTE}{NOTE_EVIDENCE_IN_DATABASE}"),
            };
            append_bytes(&mut archive, POSTGRES_NOTE, note.as_bytes(), 0o644)?;
        }
    }
    let key = data_dir.join(SESSION_KEY);
    if key.is_file() {
        archive.append_path_with_name(&key, SESSION_KEY)?;
    }
    for (name, path) in &evidence {
        archive
            .append_path_with_name(path, name)
            .with_context(|| format!("data.dir: cannot read {}", path.display()))?;
    }
    let mut writer = archive.into_inner()?.finish()?;
    writer.flush()?;
    writer.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(evidence.len())
}

fn append_bytes<W: Write>(archive: &mut tar::Builder<W>, name: &str, bytes: &[u8], mode: u32) -> anyhow::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(mode);
    header.set_mtime(u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0));
    header.set_cksum();
    archive.append_data(&mut header, name, bytes)?;
    Ok(())
}

/// `pmark restore FILE`: into the configured data folder, which must be empty (or absent), and,
/// for SQLite, the configured database file, which must not exist.
///
/// # Errors
/// A message naming `data.dir` or `database.url` when the target is not empty, or the archive
/// when it is not a pmark backup.
pub async fn restore(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let data_dir = settings.data.dir.clone();
    if std::fs::read_dir(&data_dir).is_ok_and(|mut entries| entries.next().is_some()) {
        bail!("data.dir: {} is not empty; restore into an empty folder", data_dir.display());
    }
    let sqlite = store::database::sqlite_file(&settings.database.url).map(PathBuf::from);
    if let Some(database) = &sqlite
        && database.exists()
    {
        bail!("database.url: {} already exists; restore where there is no database yet", database.display());
    }
    let archive = File::open(file).with_context(|| format!("FILE: cannot open {}", file.display()))?;
    std::fs::create_dir_all(&data_dir).with_context(|| format!("data.dir: cannot create {}", data_dir.display()))?;
    let target = data_dir.clone();
    let database = sqlite.clone();
    let name = file.display().to_string();
    let restored = tokio::task::spawn_blocking(move || extract(archive, &name, &target, database.as_deref())).await??;
    match (&restored.manifest.database[..], &sqlite) {
        ("sqlite", Some(database)) => {
            let db = store::connect(&settings.database).await?;
            let statement = sea_orm::Statement::from_string(db.get_database_backend(), "PRAGMA quick_check");
            let check = Check::find_by_statement(statement).one(&db).await?.map(|c| c.quick_check);
            if check.as_deref() != Some("ok") {
                bail!("FILE: the restored database at {} fails SQLite's check: {check:?}", database.display());
            }
            let organisations = store::organisations::all(&db).await?.len();
            db.close().await.ok();
            println!(
                "restored the database ({organisations} organisations) to {}, {} evidence files to {}",
                database.display(),
                restored.evidence,
                data_dir.display()
            );
        }
        _ => {
            println!("restored {} evidence files to {}", restored.evidence, data_dir.display());
            if restored.manifest.evidence_storage == "database" {
                println!(
                    "the database, with the evidence kept in it, is not in this archive: restore it from its pg_dump with pg_restore"
                );
            } else {
                println!("the database is not in this archive: restore it from its pg_dump with pg_restore");
            }
        }
    }
    Ok(())
}

#[derive(FromQueryResult)]
struct Check {
    quick_check: String,
}

struct Restored {
    manifest: Manifest,
    evidence: usize,
}

/// Whether `name` is `evidence/<digits>/<64 hex>`, the only evidence names pmark writes.
fn is_evidence_name(name: &str) -> bool {
    let mut parts = name.split('/');
    matches!((parts.next(), parts.next(), parts.next(), parts.next()), (Some(EVIDENCE), Some(org), Some(key), None)
        if !org.is_empty() && org.bytes().all(|b| b.is_ascii_digit())
            && key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn extract(archive: File, name: &str, data_dir: &Path, database: Option<&Path>) -> anyhow::Result<Restored> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(BufReader::new(archive)));
    let mut manifest: Option<Manifest> = None;
    let mut evidence = 0;
    for entry in archive.entries().with_context(|| format!("FILE: {name} is not a pmark backup"))? {
        let mut entry = entry.with_context(|| format!("FILE: {name} is damaged"))?;
        let path = entry.path()?.to_string_lossy().into_owned();
        if manifest.is_none() {
            if path != MANIFEST {
                bail!("FILE: {name} is not a pmark backup (no {MANIFEST} first)");
            }
            let mut text = String::new();
            entry.read_to_string(&mut text)?;
            let read: Manifest = serde_json::from_str(&text).with_context(|| format!("FILE: {name}: {MANIFEST}"))?;
            if read.format != FORMAT {
                bail!("FILE: {name} is a backup of format {}; this pmark reads format {FORMAT}", read.format);
            }
            if read.database == "sqlite" && database.is_none() {
                bail!("database.url: the archive holds an SQLite database; set an sqlite:// URL to restore it");
            }
            manifest = Some(read);
            continue;
        }
        let target = match path.as_str() {
            DATABASE => match database {
                Some(file) => {
                    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
                        std::fs::create_dir_all(parent)?;
                    }
                    file.to_path_buf()
                }
                None => bail!("database.url: the archive holds an SQLite database"),
            },
            SESSION_KEY => data_dir.join(SESSION_KEY),
            POSTGRES_NOTE => continue,
            evidence_name if is_evidence_name(evidence_name) => {
                evidence += 1;
                let target = data_dir.join(evidence_name);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                target
            }
            other => bail!("FILE: {name} holds an unexpected entry `{other}`"),
        };
        entry.unpack(&target).with_context(|| format!("cannot write {}", target.display()))?;
    }
    let manifest = manifest.with_context(|| format!("FILE: {name} is empty"))?;
    if manifest.database == "sqlite" && database.is_some_and(|file| !file.exists()) {
        bail!("FILE: {name} has no database in it");
    }
    Ok(Restored { manifest, evidence })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_pmark_writes_are_restored_as_evidence() {
        let key = "a".repeat(64);
        assert!(is_evidence_name(&format!("evidence/12/{key}")));
        assert!(!is_evidence_name(&format!("evidence/../{key}")));
        assert!(!is_evidence_name(&format!("evidence/12/{key}/x")));
        assert!(!is_evidence_name("evidence/12/short"));
        assert!(!is_evidence_name(&format!("/etc/{key}")));
    }
}
