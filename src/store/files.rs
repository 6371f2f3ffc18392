//! Evidence files on disk, under `data.dir/evidence/`, outside the web root. A file is first
//! written to `tmp/` while its size and SHA-256 are computed, then moved to its final name only
//! once its database row exists; files are never overwritten.

use std::path::{Path, PathBuf};

use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::security::tokens;

/// The evidence folder.
#[derive(Debug, Clone)]
pub struct EvidenceFiles {
    root: PathBuf,
}

/// A file written to the staging folder, not yet part of the evidence. Dropping it without
/// committing deletes it, so no early return can leave it behind.
#[derive(Debug)]
pub struct StagedFile {
    /// `None` once committed (moved to its final name).
    path: Option<PathBuf>,
    pub size_bytes: u64,
    pub sha256: String,
}

impl StagedFile {
    /// The staged bytes, to copy them elsewhere (the database) before the file is dropped.
    ///
    /// # Errors
    /// When the file was committed already or cannot be read.
    pub async fn read(&self) -> std::io::Result<Vec<u8>> {
        match &self.path {
            Some(path) => tokio::fs::read(path).await,
            None => Err(std::io::Error::other("the staged file was already committed")),
        }
    }
}

impl Drop for StagedFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Why a file was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl EvidenceFiles {
    /// Opens the folder, deleting whatever an interrupted upload left in staging.
    ///
    /// # Errors
    /// When the folders cannot be created.
    pub fn open(data_dir: &Path) -> std::io::Result<Self> {
        let root = data_dir.join("evidence");
        let staging = root.join("tmp");
        std::fs::create_dir_all(&staging)?;
        for entry in std::fs::read_dir(&staging)?.flatten() {
            let _ = std::fs::remove_file(entry.path());
        }
        Ok(Self { root })
    }

    /// Creates, writes and deletes a file in the staging folder, to learn at start whether
    /// uploads can be stored (a read-only folder or disk says so here).
    ///
    /// # Errors
    /// The file system's refusal.
    pub fn check_writable(&self) -> std::io::Result<()> {
        use std::io::Write;
        let path = self.root.join("tmp").join(format!("write-probe-{}", tokens::new_token()));
        let written =
            std::fs::File::create_new(&path).and_then(|mut f| f.write_all(b"probe").and_then(|()| f.sync_all()));
        let _ = std::fs::remove_file(&path);
        written
    }

    /// Writes a stream to the staging folder, stopping at `limit` bytes. Nothing is left behind
    /// when it fails.
    ///
    /// # Errors
    /// `Empty`, `TooLarge`, `Interrupted`, or an I/O error.
    pub async fn stage<S, E>(&self, mut chunks: S, limit: u64) -> Result<StagedFile, StageError>
    where
        S: Stream<Item = Result<actix_web::web::Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let path = self.root.join("tmp").join(tokens::new_token());
        let result = async {
            let mut file = tokio::fs::File::create(&path).await?;
            let mut hasher = Sha256::new();
            let mut size: u64 = 0;
            while let Some(chunk) = chunks.next().await {
                let chunk = chunk.map_err(|e| StageError::Interrupted(e.to_string()))?;
                size += chunk.len() as u64;
                if size > limit {
                    return Err(StageError::TooLarge(limit));
                }
                hasher.update(&chunk);
                file.write_all(&chunk).await?;
            }
            file.flush().await?;
            file.sync_all().await?;
            if size == 0 {
                return Err(StageError::Empty);
            }
            Ok(StagedFile { path: Some(path.clone()), size_bytes: size, sha256: hex::encode(hasher.finalize()) })
        }
        .await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(&path).await;
        }
        result
    }

    /// A fresh storage key for a file of `organisation_id`.
    pub fn new_key(organisation_id: i32) -> String {
        format!("{organisation_id}/{}", tokens::new_token())
    }

    /// Moves a staged file to its final name; refuses to replace an existing file.
    ///
    /// # Errors
    /// When the key is malformed, the target exists, or the move fails.
    pub async fn commit(&self, mut staged: StagedFile, key: &str) -> std::io::Result<()> {
        let target = self.path_of(key)?;
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        if tokio::fs::try_exists(&target).await? {
            return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "evidence files are never overwritten"));
        }
        let Some(source) = staged.path.clone() else {
            return Err(std::io::Error::other("the staged file was already committed"));
        };
        tokio::fs::rename(&source, &target).await?;
        staged.path = None;
        Ok(())
    }

    /// Deletes a staged file that will not be used (dropping it does the same).
    pub async fn discard(&self, mut staged: StagedFile) {
        if let Some(path) = staged.path.take() {
            let _ = tokio::fs::remove_file(path).await;
        }
    }

    /// Deletes a committed file whose database row was rolled back.
    pub async fn remove(&self, key: &str) {
        if let Ok(path) = self.path_of(key) {
            let _ = tokio::fs::remove_file(path).await;
        }
    }

    /// Reads a committed file.
    ///
    /// # Errors
    /// When the key is malformed or the file cannot be read.
    pub async fn read(&self, key: &str) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(self.path_of(key)?).await
    }

    /// Opens a committed file for reading.
    ///
    /// # Errors
    /// When the key is malformed or the file cannot be opened.
    pub async fn open_file(&self, key: &str) -> std::io::Result<tokio::fs::File> {
        tokio::fs::File::open(self.path_of(key)?).await
    }

    /// Keys are `<organisation id>/<64 hex>`: nothing else can name a path.
    fn path_of(&self, key: &str) -> std::io::Result<PathBuf> {
        let valid = matches!(key.split_once('/'), Some((org, name))
            if !org.is_empty() && org.bytes().all(|b| b.is_ascii_digit())
                && name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()));
        if valid {
            Ok(self.root.join(key))
        } else {
            Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "malformed storage key"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::web::Bytes;

    fn stream(parts: &[&'static [u8]]) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Unpin {
        futures_util::stream::iter(parts.iter().map(|p| Ok(Bytes::from_static(p))).collect::<Vec<_>>())
    }

    fn leftovers(dir: &Path) -> usize {
        std::fs::read_dir(dir.join("evidence/tmp")).unwrap().count()
    }

    #[tokio::test]
    async fn a_file_is_hashed_staged_and_committed_once() {
        let dir = tempfile::tempdir().unwrap();
        let files = EvidenceFiles::open(dir.path()).unwrap();
        let staged = files.stage(stream(&[b"hello ", b"world"]), 100).await.unwrap();
        assert_eq!(staged.size_bytes, 11);
        assert_eq!(staged.sha256, "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
        let key = EvidenceFiles::new_key(7);
        files.commit(staged, &key).await.unwrap();
        assert_eq!(files.read(&key).await.unwrap(), b"hello world");
        let again = files.stage(stream(&[b"other"]), 100).await.unwrap();
        assert!(files.commit(again, &key).await.is_err(), "never overwritten");
        assert_eq!(files.read(&key).await.unwrap(), b"hello world");
    }

    #[tokio::test]
    async fn empty_and_oversize_files_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let files = EvidenceFiles::open(dir.path()).unwrap();
        assert!(matches!(files.stage(stream(&[]), 100).await, Err(StageError::Empty)));
        assert!(matches!(files.stage(stream(&[b"0123456789", b"0"]), 10).await, Err(StageError::TooLarge(10))));
        assert_eq!(leftovers(dir.path()), 0);
    }

    #[tokio::test]
    async fn a_staged_file_dropped_without_commit_is_deleted_and_staging_is_emptied_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let files = EvidenceFiles::open(dir.path()).unwrap();
        let staged = files.stage(stream(&[b"abandoned"]), 100).await.unwrap();
        assert_eq!(leftovers(dir.path()), 1);
        drop(staged);
        assert_eq!(leftovers(dir.path()), 0);
        std::fs::write(dir.path().join("evidence/tmp/left-by-a-crash"), b"x").unwrap();
        EvidenceFiles::open(dir.path()).unwrap();
        assert_eq!(leftovers(dir.path()), 0);
    }

    #[tokio::test]
    async fn keys_cannot_escape_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let files = EvidenceFiles::open(dir.path()).unwrap();
        for key in ["../secret", "1/../../etc/passwd", "/etc/passwd", "1/abc", ""] {
            assert!(files.read(key).await.is_err(), "{key}");
        }
    }
}
