//! Where the content of evidence files is kept, behind one interface: files under
//! `data.dir/evidence/` (one machine), or the `evidence_blobs` table (every instance on the
//! database). Both stage an upload the same way first (`EvidenceFiles::stage`: size limit,
//! SHA-256, nothing left behind on a refusal); they differ only in where the staged bytes go and
//! where a download reads them.
//!
//! Switching an install from files to the database keeps the old files: `copy_files_in` (run at
//! start) copies every file whose row has no blob yet into the database, and until then, or when
//! a copy failed, a download with no blob reads the file. Switching back, content kept in the
//! database stays there and is read from there.

use std::pin::Pin;

use actix_web::web::Bytes;
use futures_util::Stream;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, FromQueryResult, Set, Statement,
};
use tokio::io::AsyncReadExt;

use crate::entities::evidence_blob;
use crate::settings::EvidenceStorage;
use crate::store::files::{EvidenceFiles, StagedFile};

/// Why content could not be kept or read.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The evidence content of this instance: the staging folder and one of the two places.
#[derive(Debug, Clone)]
pub struct EvidenceStore {
    files: EvidenceFiles,
    place: Place,
}

/// The two implementations.
#[derive(Debug, Clone)]
enum Place {
    Files(FilePlace),
    Database(DatabasePlace),
}

/// Content as files, moved from staging to `evidence/<org>/<key>`.
#[derive(Debug, Clone)]
struct FilePlace;

/// Content as rows of `evidence_blobs`, written in the caller's transaction.
#[derive(Debug, Clone)]
struct DatabasePlace;

impl FilePlace {
    async fn keep(files: &EvidenceFiles, staged: StagedFile, key: &str) -> Result<(), ContentError> {
        Ok(files.commit(staged, key).await?)
    }

    async fn forget(files: &EvidenceFiles, key: &str) {
        files.remove(key).await;
    }

    async fn download(db: &DatabaseConnection, files: &EvidenceFiles, key: &str) -> Result<Download, ContentError> {
        match file_download(files, key).await {
            Ok(download) => Ok(download),
            // Kept in the database while the install used it, before it switched back to files.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match blob_download(db, key).await? {
                Some(download) => Ok(download),
                None => Err(e.into()),
            },
            Err(e) => Err(e.into()),
        }
    }
}

impl DatabasePlace {
    async fn keep<C: ConnectionTrait>(db: &C, staged: StagedFile, key: &str) -> Result<(), ContentError> {
        let content = staged.read().await?;
        insert_blob(db, key, content).await?;
        // Dropping the staged file deletes it.
        drop(staged);
        Ok(())
    }

    async fn download(db: &DatabaseConnection, files: &EvidenceFiles, key: &str) -> Result<Download, ContentError> {
        match blob_download(db, key).await? {
            Some(download) => Ok(download),
            // Kept as a file before the install switched to the database, not copied in yet.
            None => Ok(file_download(files, key).await?),
        }
    }
}

/// How much of a content one read takes: a download holds one chunk in memory, not the file.
const CHUNK: u64 = 256 * 1024;

/// A kept content, read a chunk at a time as the response is sent.
pub struct Download {
    pub size_bytes: u64,
    pub chunks: Pin<Box<dyn Stream<Item = Result<Bytes, ContentError>>>>,
}

async fn file_download(files: &EvidenceFiles, key: &str) -> std::io::Result<Download> {
    let file = files.open_file(key).await?;
    let size_bytes = file.metadata().await?.len();
    let chunks = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buffer = vec![0; usize::try_from(CHUNK).unwrap_or(usize::MAX)];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(read) => {
                buffer.truncate(read);
                Some((Ok(Bytes::from(buffer)), Some(file)))
            }
            Err(e) => Some((Err(e.into()), None)),
        }
    });
    Ok(Download { size_bytes, chunks: Box::pin(chunks) })
}

#[derive(Debug, FromQueryResult)]
struct BlobSize {
    size_bytes: i64,
}

#[derive(Debug, FromQueryResult)]
struct BlobChunk {
    chunk: Vec<u8>,
}

/// The blob under `key` as a stream of `substr` reads (one query a chunk: a blob is never
/// changed, so the chunks are of one content), or `None` when there is none.
async fn blob_download(db: &DatabaseConnection, key: &str) -> Result<Option<Download>, DbErr> {
    let backend = db.get_database_backend();
    let placeholder = if backend == DatabaseBackend::Postgres { "$1" } else { "?" };
    let size = BlobSize::find_by_statement(Statement::from_sql_and_values(
        backend,
        format!("SELECT size_bytes FROM evidence_blobs WHERE storage_key = {placeholder}"),
        [key.into()],
    ))
    .one(db)
    .await?;
    let Some(BlobSize { size_bytes }) = size else { return Ok(None) };
    let size_bytes = u64::try_from(size_bytes).unwrap_or(0);
    let state = (db.clone(), key.to_owned(), 0u64);
    let chunks = futures_util::stream::unfold(Some(state), move |state| async move {
        let (db, key, offset) = state?;
        if offset >= size_bytes {
            return None;
        }
        // `substr` counts from 1, in bytes for `bytea` and `blob` alike.
        let statement = Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT substr(content, {}, {CHUNK}) AS chunk FROM evidence_blobs WHERE storage_key = {placeholder}",
                offset + 1
            ),
            [key.clone().into()],
        );
        match BlobChunk::find_by_statement(statement).one(&db).await {
            Ok(Some(BlobChunk { chunk })) if !chunk.is_empty() => {
                let next = offset + chunk.len() as u64;
                Some((Ok(Bytes::from(chunk)), Some((db, key, next))))
            }
            Ok(_) => Some((Err(ContentError::Io(std::io::Error::other("the evidence content ended early"))), None)),
            Err(e) => Some((Err(e.into()), None)),
        }
    });
    Ok(Some(Download { size_bytes, chunks: Box::pin(chunks) }))
}

async fn insert_blob<C: ConnectionTrait>(db: &C, key: &str, content: Vec<u8>) -> Result<(), DbErr> {
    let size_bytes = i64::try_from(content.len()).unwrap_or(i64::MAX);
    evidence_blob::ActiveModel { storage_key: Set(key.to_owned()), content: Set(content), size_bytes: Set(size_bytes) }
        .insert(db)
        .await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct MissingBlob {
    storage_key: String,
}

impl EvidenceStore {
    /// The store of `storage` over the evidence folder (its staging folder is used by both).
    pub fn new(files: EvidenceFiles, storage: EvidenceStorage) -> Self {
        let place = match storage {
            EvidenceStorage::Files => Place::Files(FilePlace),
            EvidenceStorage::Database => Place::Database(DatabasePlace),
        };
        Self { files, place }
    }

    /// Which of the two this is.
    pub fn storage(&self) -> EvidenceStorage {
        match self.place {
            Place::Files(_) => EvidenceStorage::Files,
            Place::Database(_) => EvidenceStorage::Database,
        }
    }

    /// The staging folder, where an upload is written while it is checked.
    pub fn staging(&self) -> &EvidenceFiles {
        &self.files
    }

    /// Keeps a staged file under `key`. With the database, `db` is the transaction that inserts
    /// the evidence row, so the row and its content are committed together; with files, the file
    /// is moved now and `forget` deletes it if that transaction then fails.
    ///
    /// # Errors
    /// When the file cannot be read or moved, or the insert fails.
    pub async fn keep<C: ConnectionTrait>(&self, db: &C, staged: StagedFile, key: &str) -> Result<(), ContentError> {
        match self.place {
            Place::Files(_) => FilePlace::keep(&self.files, staged, key).await,
            Place::Database(_) => DatabasePlace::keep(db, staged, key).await,
        }
    }

    /// Undoes `keep` after the transaction it was given did not commit.
    pub async fn forget(&self, key: &str) {
        match self.place {
            Place::Files(_) => FilePlace::forget(&self.files, key).await,
            // The rolled-back transaction took the blob with it.
            Place::Database(_) => {}
        }
    }

    /// The content kept under `key`, to stream: its size, and its chunks read as they are sent.
    ///
    /// # Errors
    /// When there is no such content or it cannot be opened.
    pub async fn download(&self, db: &DatabaseConnection, key: &str) -> Result<Download, ContentError> {
        match self.place {
            Place::Files(_) => FilePlace::download(db, &self.files, key).await,
            Place::Database(_) => DatabasePlace::download(db, &self.files, key).await,
        }
    }

    /// With the database: copies into it every evidence file of this data folder whose row has no
    /// blob yet (an install that kept files before), one at a time. Files are left in place, and
    /// a key another instance copied meanwhile is skipped. Returns how many were copied. With
    /// files: nothing to do.
    ///
    /// # Errors
    /// When a query fails (a file that cannot be read is logged and left to be read from disk).
    pub async fn copy_files_in<C: ConnectionTrait>(&self, db: &C) -> Result<usize, ContentError> {
        if let Place::Files(_) = self.place {
            return Ok(0);
        }
        let statement = Statement::from_string(
            db.get_database_backend(),
            "SELECT e.storage_key FROM evidence e LEFT JOIN evidence_blobs b ON b.storage_key = e.storage_key \
             WHERE e.storage_key IS NOT NULL AND b.storage_key IS NULL ORDER BY e.id",
        );
        let missing = MissingBlob::find_by_statement(statement).all(db).await?;
        let mut copied = 0;
        for MissingBlob { storage_key } in missing {
            let content = match self.files.read(&storage_key).await {
                Ok(content) => content,
                // Kept by another instance's folder (or lost): nothing of it here.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                // Still served from the file; the next start tries again.
                Err(e) => {
                    tracing::warn!(key = %storage_key, error = %e, "evidence file not copied into the database");
                    continue;
                }
            };
            match insert_blob(db, &storage_key, content).await {
                Ok(()) => copied += 1,
                Err(e) if crate::store::is_unique_violation(&e) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(copied)
    }
}
