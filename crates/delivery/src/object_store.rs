//! Where produced media lives: a flat namespace of immutable objects under `/`-separated
//! keys (`renditions/12/aac-lc-128/3f…/4.m4s`). The local backend keeps them as files; an
//! S3 backend can implement the same trait so nodes share what one of them produced.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use bytes::Bytes;

#[derive(Debug, thiserror::Error)]
pub enum ObjectStoreError {
    #[error("`{0}` is not a valid object key")]
    InvalidKey(String),
    #[error("object store i/o on {path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// An object and its size, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub key: String,
    pub size: u64,
}

/// An object's content as its backend holds it, so a server can send it the cheapest way.
#[derive(Debug)]
pub enum ObjectBody {
    /// A local file, open, whose first `len` bytes are the object: a server sends them
    /// from the page cache (`sendfile`) or reads them in chunks, never whole into memory.
    /// Objects are replaced by renaming and deleted by unlinking, never rewritten in place,
    /// so an open object keeps its length while it is sent, even when evicted meanwhile.
    File { file: std::fs::File, len: u64 },
    /// Bytes in memory: a backend that downloads objects (S3).
    Bytes(Bytes),
}

impl ObjectBody {
    pub fn len(&self) -> u64 {
        match self {
            Self::File { len, .. } => *len,
            Self::Bytes(bytes) => bytes.len() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole content in memory, for what must change it (decryption); a file is read on
    /// the blocking pool.
    pub async fn into_bytes(self) -> std::io::Result<Bytes> {
        match self {
            Self::Bytes(bytes) => Ok(bytes),
            Self::File { file, len } => {
                tokio::task::spawn_blocking(move || read_span(&file, 0, len)).await.map_err(std::io::Error::other)?
            }
        }
    }
}

/// `len` bytes of `file` from `start`, with positioned reads (the file's cursor is not
/// used); a file shorter than that is an `UnexpectedEof` error. Blocking.
pub fn read_span(file: &std::fs::File, start: u64, len: u64) -> std::io::Result<Bytes> {
    let len = usize::try_from(len).map_err(std::io::Error::other)?;
    let mut bytes = vec![0; len];
    std::os::unix::fs::FileExt::read_exact_at(file, &mut bytes, start)?;
    Ok(Bytes::from(bytes))
}

#[async_trait]
pub trait ObjectStore: Send + Sync + 'static {
    /// The object, or `None` when there is none under `key`.
    async fn get(&self, key: &str) -> Result<Option<ObjectBody>, ObjectStoreError>;
    /// Stores the object whole: readers see either nothing or all of it.
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), ObjectStoreError>;
    /// Every object whose key starts with `prefix`.
    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectStoreError>;
    /// Deletes every object whose key starts with `prefix` (a `/`-terminated folder).
    async fn delete_prefix(&self, prefix: &str) -> Result<(), ObjectStoreError>;
}

/// Objects as files under one directory. Writes go to a temporary file renamed into place,
/// so a crash never leaves a half-written object under its key.
pub struct LocalObjectStore {
    root: PathBuf,
}

impl LocalObjectStore {
    pub fn open(root: &Path) -> Result<Self, ObjectStoreError> {
        let staging = root.join(STAGING_DIR);
        std::fs::create_dir_all(&staging).map_err(|source| io_error(&staging, source))?;
        Ok(Self { root: root.to_owned() })
    }

    fn path_of(&self, key: &str) -> Result<PathBuf, ObjectStoreError> {
        if is_valid_key(key) { Ok(self.root.join(key)) } else { Err(ObjectStoreError::InvalidKey(key.to_owned())) }
    }
}

/// Smaller objects (media segments: ~100 KB at 128 kbps) are read in the same trip to the
/// blocking pool that opens them: one hop and a copy cost less than sending a file span,
/// whose mapping and unmapping (a TLB shootdown across cores) are paid per response.
pub const FILE_OBJECT_MIN_BYTES: u64 = 1024 * 1024;

/// Temporary files of writes in progress; not part of the namespace.
const STAGING_DIR: &str = ".staging";

/// Relative, no empty, `.` or `..` segments, and a conservative alphabet: keys are built by
/// us, so anything else is a bug, never a path to follow.
fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"-_.".contains(&byte))
        })
}

fn io_error(path: &Path, source: std::io::Error) -> ObjectStoreError {
    ObjectStoreError::Io { path: path.display().to_string(), source }
}

#[async_trait]
impl ObjectStore for LocalObjectStore {
    /// Opens the file (open and `fstat` in one trip to the blocking pool): its bytes are
    /// never read here.
    async fn get(&self, key: &str) -> Result<Option<ObjectBody>, ObjectStoreError> {
        let path = self.path_of(key)?;
        tokio::task::spawn_blocking(move || {
            let opened = std::fs::File::open(&path).and_then(|file| {
                let len = file.metadata()?.len();
                if len >= FILE_OBJECT_MIN_BYTES {
                    return Ok(ObjectBody::File { file, len });
                }
                Ok(ObjectBody::Bytes(read_span(&file, 0, len)?))
            });
            match opened {
                Ok(object) => Ok(Some(object)),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(io_error(&path, source)),
            }
        })
        .await
        .map_err(|error| io_error(&self.root, std::io::Error::other(error)))?
    }

    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), ObjectStoreError> {
        let path = self.path_of(key)?;
        let staging = self.root.join(STAGING_DIR).join(format!("{:016x}", rand_suffix()));
        tokio::task::spawn_blocking(move || {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| io_error(parent, source))?;
            }
            std::fs::write(&staging, &bytes).map_err(|source| io_error(&staging, source))?;
            std::fs::rename(&staging, &path).map_err(|source| {
                let _ = std::fs::remove_file(&staging);
                io_error(&path, source)
            })
        })
        .await
        .map_err(|error| io_error(&self.root, std::io::Error::other(error)))?
    }

    async fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectStoreError> {
        let root = self.root.clone();
        let prefix = prefix.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut objects = Vec::new();
            list_files(&root, &root, &mut objects)?;
            objects.retain(|object: &ObjectInfo| object.key.starts_with(&prefix));
            objects.sort_by(|a, b| a.key.cmp(&b.key));
            Ok(objects)
        })
        .await
        .map_err(|error| io_error(&self.root, std::io::Error::other(error)))?
    }

    async fn delete_prefix(&self, prefix: &str) -> Result<(), ObjectStoreError> {
        let folder = prefix.strip_suffix('/').ok_or_else(|| ObjectStoreError::InvalidKey(prefix.to_owned()))?;
        let path = self.path_of(folder)?;
        match tokio::fs::remove_dir_all(&path).await {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(io_error(&path, error)),
            _ => Ok(()),
        }
    }
}

fn list_files(root: &Path, folder: &Path, objects: &mut Vec<ObjectInfo>) -> Result<(), ObjectStoreError> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(io_error(folder, source)),
    };
    for entry in entries {
        let entry = entry.map_err(|source| io_error(folder, source))?;
        let path = entry.path();
        let metadata = entry.metadata().map_err(|source| io_error(&path, source))?;
        if metadata.is_dir() {
            if path != root.join(STAGING_DIR) {
                list_files(root, &path, objects)?;
            }
        } else if let Ok(relative) = path.strip_prefix(root) {
            let key = relative.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
            objects.push(ObjectInfo { key, size: metadata.len() });
        }
    }
    Ok(())
}

/// Unique enough for staging names: writers of one key race only within one process.
fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
    (nanos as u64) ^ (u64::from(std::process::id()) << 40) ^ NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn objects_round_trip_list_and_delete_by_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalObjectStore::open(dir.path()).unwrap();
        let large = Bytes::from(vec![7u8; FILE_OBJECT_MIN_BYTES as usize]);
        store.put("a/1/x.m4s", Bytes::from_static(b"one")).await.unwrap();
        store.put("a/1/y.m4s", large.clone()).await.unwrap();
        store.put("a/2/x.m4s", Bytes::from_static(b"two")).await.unwrap();
        let object = store.get("a/1/y.m4s").await.unwrap().unwrap();
        assert!(
            matches!(object, ObjectBody::File { len, .. } if len == large.len() as u64),
            "a large object is its file"
        );
        assert_eq!(object.into_bytes().await.unwrap(), large);
        let small = store.get("a/1/x.m4s").await.unwrap().unwrap();
        assert!(
            matches!(&small, ObjectBody::Bytes(bytes) if bytes.as_ref() == b"one"),
            "a small one is read: {small:?}"
        );
        assert!(store.get("a/3/none").await.unwrap().is_none());
        let listed = store.list("a/1/").await.unwrap();
        assert_eq!(
            listed,
            [
                ObjectInfo { key: "a/1/x.m4s".into(), size: 3 },
                ObjectInfo { key: "a/1/y.m4s".into(), size: FILE_OBJECT_MIN_BYTES }
            ]
        );
        store.delete_prefix("a/1/").await.unwrap();
        assert!(store.get("a/1/x.m4s").await.unwrap().is_none());
        assert_eq!(store.list("").await.unwrap().len(), 1, "the other folder stays, staging is not listed");
        store.delete_prefix("a/9/").await.unwrap();
    }

    #[tokio::test]
    async fn an_open_object_keeps_its_bytes_when_deleted_or_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalObjectStore::open(dir.path()).unwrap();
        let segment = Bytes::from(vec![1u8; FILE_OBJECT_MIN_BYTES as usize]);
        store.put("r/1/0.m4s", segment.clone()).await.unwrap();
        let opened = store.get("r/1/0.m4s").await.unwrap().unwrap();
        let replaced = store.get("r/1/0.m4s").await.unwrap().unwrap();
        assert!(matches!(opened, ObjectBody::File { .. }));
        store.put("r/1/0.m4s", Bytes::from_static(b"new")).await.unwrap();
        store.delete_prefix("r/1/").await.unwrap();
        assert!(store.get("r/1/0.m4s").await.unwrap().is_none());
        assert_eq!(opened.into_bytes().await.unwrap(), segment, "evicted while being sent");
        assert_eq!(replaced.len(), segment.len() as u64);
        assert_eq!(replaced.into_bytes().await.unwrap(), segment, "replaced by a rename");
    }

    #[tokio::test]
    async fn keys_cannot_leave_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalObjectStore::open(&dir.path().join("store")).unwrap();
        for key in ["../x", "/etc/passwd", "a//b", "a/./b", "a b", ""] {
            assert!(matches!(store.put(key, Bytes::new()).await, Err(ObjectStoreError::InvalidKey(_))), "{key}");
        }
        assert!(store.delete_prefix("no-slash").await.is_err());
    }
}
