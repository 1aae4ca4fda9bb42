//! The seal: a witness, outside sled's files, of how far the store had got.
//!
//! sled recovers from a damaged or cut log by dropping everything from the damage on and
//! opening the older state that remains — consistent, so `check` passes, but without the
//! writes that were acknowledged after it: silently wrong data. So after each durable write
//! the store also writes its generation (see `changes.rs`) to `DATA_DIR/store.seal` (20
//! bytes, CRC-protected) and fsyncs it. At open, a store whose generation is behind its
//! seal has lost acknowledged writes and is refused, pointing to restore.
//!
//! The generation is read before sled's flush, so the seal never claims more than is on the
//! disk. A store without a seal (older trucban, or a fresh restore) gets one at open.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Result, StoreError};

pub(super) const FILE: &str = "store.seal";
const MAGIC: &[u8; 8] = b"TBSEAL01";

pub(super) struct Seal {
    file: File,
    path: PathBuf,
    /// The generation last written (writes only move it forward).
    sealed: Mutex<u64>,
}

fn encode(generation: u64) -> [u8; 20] {
    let mut out = [0u8; 20];
    out[..8].copy_from_slice(MAGIC);
    out[8..16].copy_from_slice(&generation.to_be_bytes());
    let crc = crc32fast::hash(&out[..16]);
    out[16..].copy_from_slice(&crc.to_be_bytes());
    out
}

fn decode(bytes: &[u8]) -> Option<u64> {
    let bytes: &[u8; 20] = bytes.try_into().ok()?;
    let crc = u32::from_be_bytes(bytes[16..].try_into().ok()?);
    (bytes[..8] == *MAGIC && crc32fast::hash(&bytes[..16]) == crc)
        .then(|| u64::from_be_bytes(bytes[8..16].try_into().unwrap_or_default()))
}

impl Seal {
    /// Opens the seal beside the store and compares it with the store's generation.
    pub(super) fn open(data_dir: &Path, store_dir: &Path, generation: u64) -> Result<Seal> {
        let path = data_dir.join(FILE);
        let io = |source| StoreError::Io {
            dir: data_dir.to_path_buf(),
            source,
        };
        let corrupt = |reason: String| StoreError::Corrupt {
            dir: store_dir.to_path_buf(),
            reason,
        };
        let existed = path.exists();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let seal = Seal {
            file,
            path,
            sealed: Mutex::new(0),
        };
        if existed {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut &seal.file, &mut bytes).map_err(io)?;
            let sealed = decode(&bytes).ok_or_else(|| {
                corrupt(format!(
                    "its seal {} is damaged, so it cannot be shown whole",
                    seal.path.display()
                ))
            })?;
            if sealed > generation {
                return Err(corrupt(format!(
                    "it holds writes up to generation {generation}, but writes up to {sealed} were saved: the end of its log is missing or damaged"
                )));
            }
        }
        seal.advance(generation, true)?;
        if !existed {
            File::open(data_dir)
                .and_then(|d| d.sync_all())
                .map_err(io)?;
        }
        Ok(seal)
    }

    /// Records that everything up to `generation` is on the disk.
    pub(super) fn advance(&self, generation: u64, force: bool) -> Result<()> {
        let mut sealed = self
            .sealed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if generation <= *sealed && !force {
            return Ok(());
        }
        let io = |source| StoreError::Io {
            dir: self.path.clone(),
            source,
        };
        self.file.write_all_at(&encode(generation), 0).map_err(io)?;
        self.file.set_len(20).map_err(io)?;
        self.file.sync_data().map_err(io)?;
        *sealed = generation;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn seal_round_trips_and_refuses_damage() {
        let bytes = super::encode(41);
        assert_eq!(super::decode(&bytes), Some(41));
        for i in 0..bytes.len() {
            let mut bad = bytes;
            bad[i] ^= 0x10;
            assert_eq!(super::decode(&bad), None, "byte {i}");
        }
        assert_eq!(super::decode(&bytes[..19]), None);
    }
}
