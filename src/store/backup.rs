//! Backups: a point-in-time copy of every tree of the store in one file, and its restore.
//!
//! sled 0.34 has no snapshot, and reading tree after tree while writes go on could catch a
//! write in one tree and miss it in the next (a record without its index entry). So every
//! write holds the store's gate shared for its transaction, and a backup holds it exclusive
//! while it reads: it sees each write whole or not at all, and every write acknowledged
//! before it started. Writers wait meanwhile (the figure is in the README); readers do not.
//!
//! The file, streamed (never the whole store in memory):
//!
//! ```text
//! "trucban-backup\n"                              magic
//! body: per tree (by name): 'T' u32 len, name; per entry: 'E' u32 len, key, u32 len, value
//!       then 'Z'
//! trailer: JSON {"format","sha256","trees","entries","counts"}, then its length (u64 BE)
//! ```
//!
//! The SHA-256 covers the body only: two stores with the same content give the same sum,
//! which is how a restore is proved equal to its backup. All lengths are big-endian. The
//! file is written to a temporary file beside the target, fsynced, renamed over the target,
//! and the directory fsynced: a reader never sees half a backup.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Result, SledBackend, StoreError, faults};
use crate::domain::{Instant, Kind};

pub const FORMAT: u32 = 1;
const MAGIC: &[u8] = b"trucban-backup\n";

/// Whether `path` is a regular file that begins as a trucban backup does.
pub fn is_backup_file(path: &Path) -> bool {
    let mut magic = vec![0; MAGIC.len()];
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
        && File::open(path).is_ok_and(|mut f| f.read_exact(&mut magic).is_ok())
        && magic == MAGIC
}
/// Entries written to sled per batch during a restore.
const BATCH: usize = 10_000;
/// Entries a restore writes between two flushes, so that what sled holds unwritten stays
/// small whatever the store's size. (The memory a restore of 1,000,000 persons and stays
/// took, 11.6 GB, came from writing with sled batches; see `write_partial`.)
const FLUSH_EVERY: u64 = 200_000;
/// Longest key or value a backup may hold (sled's own values are far smaller in practice).
const MAX_LEN: u32 = 1 << 30;

/// What a backup holds, as its trailer says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSummary {
    pub format: u32,
    /// SHA-256 of the content (hex): equal stores, equal sums.
    pub sha256: String,
    pub trees: u64,
    pub entries: u64,
    /// Records per collection, in `Kind::ALL` order.
    pub counts: Vec<(String, u64)>,
}

impl BackupSummary {
    pub fn total_records(&self) -> u64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("backup file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} is not a usable trucban backup: {reason}. Nothing was written",
        path.display()
    )]
    Invalid { path: PathBuf, reason: String },
    #[error(
        "restore writes only into an empty store, and {} already holds one: give another --data-dir (or move that one away first)",
        dir.display()
    )]
    NotEmpty { dir: PathBuf },
    /// The store is on PostgreSQL, which is backed up with its own tools.
    #[error(
        "a store on PostgreSQL is backed up with PostgreSQL's own tools (pg_dump, or pgBackRest for point-in-time recovery): see \"Beyond one host\" in the README; nothing was written"
    )]
    NotThisEngine,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Hashes and counts what passes through.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn len_u32(len: usize) -> std::io::Result<[u8; 4]> {
    u32::try_from(len)
        .ok()
        .filter(|n| *n <= MAX_LEN)
        .map(u32::to_be_bytes)
        .ok_or_else(|| std::io::Error::other(format!("an entry of {len} bytes is too long")))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl SledBackend {
    /// Writes a consistent backup of every tree to `path` (see the module doc).
    pub fn backup(&self, path: &Path) -> Result<BackupSummary, BackupError> {
        let io = |source| BackupError::Io {
            path: path.to_path_buf(),
            source,
        };
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temp = tempfile::Builder::new()
            .prefix(".trucban-backup-")
            .tempfile_in(parent)
            .map_err(io)?;
        let mut out = BufWriter::new(temp.as_file().try_clone().map_err(io)?);
        out.write_all(MAGIC).map_err(io)?;
        let mut body = Hashing {
            inner: out,
            hash: Sha256::new(),
        };
        let (trees, entries, counts) = {
            // Exclusive: no write is half done while we read (see the module doc).
            let _gate = self
                .gate
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            faults::guard(&self.dir, || self.write_body(&mut body))?
        };
        let summary = BackupSummary {
            format: FORMAT,
            sha256: hex(&body.hash.finalize()),
            trees,
            entries,
            counts,
        };
        let mut out = body.inner;
        let trailer = serde_json::to_vec(&summary).map_err(|e| io(e.into()))?;
        out.write_all(&trailer).map_err(io)?;
        out.write_all(&(trailer.len() as u64).to_be_bytes())
            .map_err(io)?;
        out.flush().map_err(io)?;
        drop(out);
        temp.as_file().sync_all().map_err(io)?;
        temp.persist(path).map_err(|e| io(e.error))?;
        File::open(parent).and_then(|d| d.sync_all()).map_err(io)?;
        Ok(summary)
    }

    /// The body: every tree by name, every entry in key order.
    fn write_body<W: Write>(&self, out: &mut W) -> Result<BodyTotals> {
        let io = |source| StoreError::Io {
            dir: self.dir.clone(),
            source,
        };
        let mut names = self.db.tree_names();
        names.sort();
        crate::progress::stage(crate::progress::Stage::BackingUp, None);
        let mut entries = 0u64;
        let mut counts: Vec<(String, u64)> = Kind::ALL
            .iter()
            .map(|k| (k.name().to_string(), 0))
            .collect();
        for name in &names {
            let tree = self.db.open_tree(name)?;
            out.write_all(b"T").map_err(io)?;
            out.write_all(&len_u32(name.len()).map_err(io)?)
                .map_err(io)?;
            out.write_all(name).map_err(io)?;
            let kind = kind_of_tree(name);
            for item in tree.iter() {
                let (key, value) = item?;
                out.write_all(b"E").map_err(io)?;
                out.write_all(&len_u32(key.len()).map_err(io)?)
                    .map_err(io)?;
                out.write_all(&key).map_err(io)?;
                out.write_all(&len_u32(value.len()).map_err(io)?)
                    .map_err(io)?;
                out.write_all(&value).map_err(io)?;
                entries += 1;
                if entries.is_multiple_of(1024) {
                    crate::progress::advance(1024);
                }
                if let Some(kind) = kind {
                    counts[kind.index()].1 += 1;
                }
            }
        }
        out.write_all(b"Z").map_err(io)?;
        Ok((names.len() as u64, entries, counts))
    }
}

/// The collection a tree holds the records of (`rec/NAME`), if it holds records.
fn kind_of_tree(name: &[u8]) -> Option<Kind> {
    std::str::from_utf8(name)
        .ok()
        .and_then(|n| n.strip_prefix("rec/"))
        .and_then(Kind::from_name)
}

/// Trees, entries, and records per collection of a body written.
type BodyTotals = (u64, u64, Vec<(String, u64)>);

/// One item of a backup body.
enum Item {
    Tree(Vec<u8>),
    Entry(Vec<u8>, Vec<u8>),
    End,
}

/// Reads a backup body item by item, hashing what it reads.
struct BodyReader<R> {
    inner: R,
    hash: Sha256,
    /// Bytes of body left (the trailer follows).
    left: u64,
}

impl<R: Read> BodyReader<R> {
    fn bytes(&mut self, n: usize) -> std::result::Result<Vec<u8>, String> {
        if n as u64 > self.left {
            return Err("the content ends in the middle of an entry".into());
        }
        let mut buf = vec![0; n];
        self.inner
            .read_exact(&mut buf)
            .map_err(|e| format!("cannot read: {e}"))?;
        self.left -= n as u64;
        self.hash.update(&buf);
        Ok(buf)
    }

    fn sized(&mut self) -> std::result::Result<Vec<u8>, String> {
        let len = u32::from_be_bytes(
            self.bytes(4)?
                .try_into()
                .map_err(|_| "bad length".to_string())?,
        );
        if len > MAX_LEN {
            return Err(format!("an entry claims {len} bytes"));
        }
        self.bytes(len as usize)
    }

    fn next(&mut self) -> std::result::Result<Item, String> {
        match self.bytes(1)?.first() {
            Some(b'T') => Ok(Item::Tree(self.sized()?)),
            Some(b'E') => {
                let key = self.sized()?;
                Ok(Item::Entry(key, self.sized()?))
            }
            Some(b'Z') => Ok(Item::End),
            other => Err(format!("unexpected byte {other:?} in the content")),
        }
    }
}

/// An opened backup file whose trailer has been read (not yet its body).
struct BackupFile {
    path: PathBuf,
    summary: BackupSummary,
    body_len: u64,
}

impl BackupFile {
    fn open(path: &Path) -> Result<BackupFile, BackupError> {
        let invalid = |reason: String| BackupError::Invalid {
            path: path.to_path_buf(),
            reason,
        };
        let io = |source| BackupError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let mut magic = vec![0; MAGIC.len()];
        if len < (MAGIC.len() + 8) as u64 || file.read_exact(&mut magic).is_err() || magic != MAGIC
        {
            return Err(invalid("it does not start as one".into()));
        }
        file.seek(SeekFrom::End(-8)).map_err(io)?;
        let mut tail = [0u8; 8];
        file.read_exact(&mut tail).map_err(io)?;
        let trailer_len = u64::from_be_bytes(tail);
        let body_len = len
            .checked_sub(MAGIC.len() as u64 + 8)
            .and_then(|n| n.checked_sub(trailer_len))
            .ok_or_else(|| invalid("its trailer is cut".into()))?;
        file.seek(SeekFrom::Start(MAGIC.len() as u64 + body_len))
            .map_err(io)?;
        let mut trailer = vec![0; usize::try_from(trailer_len).unwrap_or(0)];
        file.read_exact(&mut trailer).map_err(io)?;
        let summary: BackupSummary = serde_json::from_slice(&trailer)
            .map_err(|e| invalid(format!("its trailer does not read ({e})")))?;
        if summary.format != FORMAT {
            return Err(invalid(format!(
                "format {} (this trucban reads format {FORMAT})",
                summary.format
            )));
        }
        Ok(BackupFile {
            path: path.to_path_buf(),
            summary,
            body_len,
        })
    }

    /// Reads the body from the start, handing each tree's entries to `each`; then checks
    /// the sum and the totals against the trailer.
    fn walk(
        &self,
        mut each: impl FnMut(&[u8], Vec<(Vec<u8>, Vec<u8>)>) -> Result<(), BackupError>,
    ) -> Result<(), BackupError> {
        let invalid = |reason: String| BackupError::Invalid {
            path: self.path.clone(),
            reason,
        };
        let io = |source| BackupError::Io {
            path: self.path.clone(),
            source,
        };
        let mut file = File::open(&self.path).map_err(io)?;
        file.seek(SeekFrom::Start(MAGIC.len() as u64)).map_err(io)?;
        let mut body = BodyReader {
            inner: BufReader::new(file),
            hash: Sha256::new(),
            left: self.body_len,
        };
        let (mut trees, mut entries) = (0u64, 0u64);
        let mut records = vec![0u64; Kind::ALL.len()];
        // The collection of the tree being read, found once per tree.
        let mut tree_kind: Option<Kind> = None;
        let mut tree: Option<Vec<u8>> = None;
        let mut batch = Vec::new();
        loop {
            let item = body.next().map_err(invalid)?;
            if let Item::Entry(key, value) = item {
                if tree.is_none() {
                    return Err(invalid("an entry before any tree".into()));
                }
                batch.push((key, value));
                entries += 1;
                if let Some(kind) = tree_kind {
                    records[kind.index()] += 1;
                }
                if batch.len() >= BATCH
                    && let Some(name) = &tree
                {
                    each(name, std::mem::take(&mut batch))?;
                }
                continue;
            }
            if let Some(name) = tree.take() {
                each(&name, std::mem::take(&mut batch))?;
            }
            match item {
                Item::Tree(name) => {
                    trees += 1;
                    tree_kind = kind_of_tree(&name);
                    tree = Some(name);
                }
                _ => break,
            }
        }
        if body.left != 0 {
            return Err(invalid("bytes after the end of the content".into()));
        }
        let sum = hex(&body.hash.finalize());
        if sum != self.summary.sha256 {
            return Err(invalid(format!(
                "its content has SHA-256 {sum}, but the file says {} (damaged or altered)",
                self.summary.sha256
            )));
        }
        if (trees, entries) != (self.summary.trees, self.summary.entries) {
            return Err(invalid(format!(
                "it holds {trees} trees and {entries} entries, but says {} and {}",
                self.summary.trees, self.summary.entries
            )));
        }
        // The counts per collection are the trailer's too, which the sum does not cover:
        // each must be what the content holds (a backup made before a collection existed
        // does not name it, and holds none of it).
        for kind in Kind::ALL {
            let said = self
                .summary
                .counts
                .iter()
                .find(|(name, _)| name == kind.name())
                .map_or(0, |(_, n)| *n);
            if said != records[kind.index()] {
                return Err(invalid(format!(
                    "it holds {} records of {}, but says {said}",
                    records[kind.index()],
                    kind.name()
                )));
            }
        }
        if let Some((name, _)) = self
            .summary
            .counts
            .iter()
            .find(|(name, n)| *n > 0 && Kind::from_name(name).is_none())
        {
            return Err(invalid(format!(
                "it counts records of {name:?}, a collection this version does not know"
            )));
        }
        Ok(())
    }
}

/// What a restore did: the backup's summary and the check of the restored store.
#[derive(Debug)]
pub struct Restored {
    pub summary: BackupSummary,
    pub check: super::check::CheckReport,
}

/// Reads a backup's trailer and verifies its whole content, writing nothing.
pub fn verify(file: &Path) -> Result<BackupSummary, BackupError> {
    let backup = BackupFile::open(file)?;
    backup.walk(|_, _| Ok(()))?;
    Ok(backup.summary)
}

/// Restores `file` into `data_dir/store`, which must not exist or be empty: verifies the
/// file (format and checksum) before writing anything, then builds the whole store in
/// `data_dir/restoring` — written, opened once (sled's own first-open writes, the schema,
/// the counts, the seal) and checked there — and only then moves it into place. A power
/// cut before the move leaves an empty place (and a `restoring` directory the next restore
/// clears); after it, the complete store.
pub fn restore(data_dir: &Path, file: &Path, now: Instant) -> Result<Restored, BackupError> {
    let target = data_dir.join("store");
    let io = |source| BackupError::Io {
        path: data_dir.to_path_buf(),
        source,
    };
    if std::fs::read_dir(&target).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(BackupError::NotEmpty { dir: target });
    }
    let backup = BackupFile::open(file)?;
    crate::progress::stage(
        crate::progress::Stage::Verifying,
        Some(backup.summary.entries),
    );
    backup.walk(|_, entries| {
        crate::progress::advance(entries.len() as u64);
        Ok(())
    })?;

    crate::durable::create_dir_all(data_dir).map_err(io)?;
    let place = data_dir.join("restoring");
    // Left by a restore that was interrupted (this layout, or the one before it): it was
    // never moved into place.
    for left in [&place, &data_dir.join("store.restoring")] {
        if left.exists() {
            std::fs::remove_dir_all(left).map_err(io)?;
        }
    }
    let built = build_in(&backup, &place, now);
    let check = match built {
        Ok(check) => check,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&place);
            return Err(e);
        }
    };
    if target.exists() {
        std::fs::remove_dir(&target).map_err(io)?;
    }
    // A seal left from a store that was here before would not describe this one: the new
    // store's seal replaces it (a cut between the two renames leaves the store without a
    // seal, which it is given at its next open).
    std::fs::rename(place.join("store"), &target).map_err(io)?;
    std::fs::rename(
        place.join(super::seal::FILE),
        data_dir.join(super::seal::FILE),
    )
    .map_err(io)?;
    crate::durable::sync_dir(data_dir).map_err(io)?;
    std::fs::remove_dir_all(&place).map_err(io)?;
    Ok(Restored {
        summary: backup.summary,
        check,
    })
}

/// Writes the backup into a store under `place` (a data directory of its own), opens it
/// once as trucban opens a store, checks it, and closes it with everything durable.
fn build_in(
    backup: &BackupFile,
    place: &Path,
    now: Instant,
) -> Result<super::check::CheckReport, BackupError> {
    let io = |source| BackupError::Io {
        path: place.to_path_buf(),
        source,
    };
    crate::durable::create_dir_all(place).map_err(io)?;
    write_partial(backup, &place.join("store"))?;
    let store = SledBackend::open_for_scan(place, now)?;
    let check = store.check()?;
    store.sync_now()?;
    drop(store);
    super::holder::wait_released(&place.join("store"), std::time::Duration::from_secs(10));
    crate::durable::sync_dir(place).map_err(io)?;
    Ok(check)
}

fn write_partial(backup: &BackupFile, partial: &Path) -> Result<(), BackupError> {
    // Written through once, as the store is then read: the same small cache serves.
    let db = sled::Config::new()
        .path(partial)
        .cache_capacity(super::SCAN_CACHE_BYTES)
        .open()
        .map_err(StoreError::Sled)?;
    let mut unflushed = 0u64;
    // The second reading is checked again: a file changed between the two is refused.
    crate::progress::stage(
        crate::progress::Stage::Restoring,
        Some(backup.summary.entries),
    );
    backup.walk(|name, entries| {
        let tree = db.open_tree(name).map_err(StoreError::Sled)?;
        let len = entries.len() as u64;
        crate::progress::advance(len);
        // One insert each, not a batch: sled 0.34 holds a large batch's pages far beyond
        // its cache (spacejam/sled#1303), and nothing here needs a batch's atomicity (the
        // store is moved into place only once whole).
        for (key, value) in entries {
            tree.insert(key, value).map_err(StoreError::Sled)?;
        }
        unflushed += len;
        if unflushed >= FLUSH_EVERY {
            db.flush().map_err(StoreError::Sled)?;
            unflushed = 0;
        }
        Ok(())
    })?;
    db.flush().map_err(StoreError::Sled)?;
    drop(db);
    // Closed: the store opened from it next must not find sled's lock still held.
    super::holder::wait_released(partial, std::time::Duration::from_secs(10));
    let io = |source| BackupError::Io {
        path: partial.to_path_buf(),
        source,
    };
    File::open(partial.join("db"))
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    File::open(partial).and_then(|d| d.sync_all()).map_err(io)?;
    Ok(())
}
