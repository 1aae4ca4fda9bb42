//! The index as a file, so that a console or a one-shot `trucban search` on a million
//! records reads it in a fraction of a second instead of rebuilding it for seconds. It is a
//! cache: stamped with the store's identity and generation, checksummed, and checked entry by
//! entry on reading. Anything wrong with it means "rebuild", never "misread".
//!
//! Layout (little-endian): magic, format, store id, generation, then each table as a length
//! and its items, then the CRC-32 of everything before it.

use std::io::{self, Read, Write};

use crate::domain::Kind;

use super::index::{FIELDS, Packed, SearchIndex};
use super::strings::StrTable;

const MAGIC: &[u8; 16] = b"trucban-search\n\0";
const FORMAT: u32 = 1;
/// Bytes of one entry in the file.
const ENTRY_BYTES: usize = 8 + 4 + 4 + 4 + 2 * FIELDS + 4;

/// What the file says it was built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub store_id: u64,
    pub generation: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("not a search index file of this trucban ({0})")]
    Foreign(&'static str),
    #[error("damaged search index file ({0})")]
    Damaged(&'static str),
}

struct Checksummed<T> {
    inner: T,
    crc: crc32fast::Hasher,
}

impl<W: Write> Write for Checksummed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<R: Read> Read for Checksummed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }
}

fn put_u64(w: &mut impl Write, v: u64) -> io::Result<()> {
    w.write_all(&v.to_le_bytes())
}

fn put_u32s(w: &mut impl Write, values: &[u32]) -> io::Result<()> {
    put_u64(w, values.len() as u64)?;
    let mut buf = Vec::with_capacity(64 * 1024);
    for chunk in values.chunks(16 * 1024) {
        buf.clear();
        chunk
            .iter()
            .for_each(|v| buf.extend_from_slice(&v.to_le_bytes()));
        w.write_all(&buf)?;
    }
    Ok(())
}

fn put_text(w: &mut impl Write, text: &str) -> io::Result<()> {
    put_u64(w, text.len() as u64)?;
    w.write_all(text.as_bytes())
}

fn put_table(w: &mut impl Write, table: &StrTable) -> io::Result<()> {
    put_text(w, &table.text)?;
    put_u32s(w, &table.ends)
}

/// Writes `index` stamped with `stamp`.
pub fn write(index: &SearchIndex, stamp: Stamp, out: impl Write) -> io::Result<()> {
    let mut w = Checksummed {
        inner: io::BufWriter::with_capacity(1 << 20, out),
        crc: crc32fast::Hasher::new(),
    };
    w.write_all(MAGIC)?;
    w.write_all(&FORMAT.to_le_bytes())?;
    put_u64(&mut w, stamp.store_id)?;
    put_u64(&mut w, stamp.generation)?;
    put_u64(&mut w, index.sorted as u64)?;
    put_text(&mut w, &index.arena)?;
    put_u64(&mut w, index.entries.len() as u64)?;
    let mut buf = Vec::with_capacity(ENTRY_BYTES * 1024);
    for chunk in index.entries.chunks(1024) {
        buf.clear();
        for e in chunk {
            buf.extend_from_slice(&e.id.to_le_bytes());
            buf.extend_from_slice(&e.at.to_le_bytes());
            buf.extend_from_slice(&e.tokens.to_le_bytes());
            buf.extend_from_slice(&e.letters.to_le_bytes());
            e.lens
                .iter()
                .for_each(|l| buf.extend_from_slice(&l.to_le_bytes()));
            let kind = u8::try_from(e.kind.index()).unwrap_or(u8::MAX);
            buf.extend_from_slice(&[e.names, e.others, kind, u8::from(e.dead)]);
        }
        w.write_all(&buf)?;
    }
    put_u32s(&mut w, &index.token_ids)?;
    put_table(&mut w, &index.dictionary)?;
    put_table(&mut w, &index.sounds)?;
    put_table(&mut w, &index.marked)?;
    let crc = w.crc.clone().finalize();
    w.inner.write_all(&crc.to_le_bytes())?;
    w.inner.flush()
}

/// Reads lengths no larger than what is left of the file, so a damaged length cannot make
/// it allocate gigabytes.
struct Reader<R> {
    r: Checksummed<R>,
    left: u64,
}

impl<R: Read> Reader<R> {
    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], PersistError> {
        let mut b = [0u8; N];
        self.r.read_exact(&mut b).map_err(truncated)?;
        self.left = self.left.saturating_sub(N as u64);
        Ok(b)
    }

    fn u64(&mut self) -> Result<u64, PersistError> {
        Ok(u64::from_le_bytes(self.bytes()?))
    }

    /// A count of items of `size` bytes, refused if the file cannot hold them.
    fn count(&mut self, size: usize) -> Result<usize, PersistError> {
        let n = self.u64()?;
        if n.saturating_mul(size as u64) > self.left {
            return Err(PersistError::Damaged("a length runs past the end"));
        }
        usize::try_from(n).map_err(|_| PersistError::Damaged("a length is too large"))
    }

    fn chunks(
        &mut self,
        n: usize,
        size: usize,
        mut each: impl FnMut(&[u8]),
    ) -> Result<(), PersistError> {
        let mut buf = vec![0u8; size * 4096];
        let mut left = n;
        while left > 0 {
            let take = left.min(4096);
            let part = &mut buf[..take * size];
            self.r.read_exact(part).map_err(truncated)?;
            part.chunks_exact(size).for_each(&mut each);
            left -= take;
        }
        self.left = self.left.saturating_sub((n * size) as u64);
        Ok(())
    }

    fn u32s(&mut self) -> Result<Vec<u32>, PersistError> {
        let n = self.count(4)?;
        let mut out = Vec::with_capacity(n);
        self.chunks(n, 4, |b| {
            out.push(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        })?;
        Ok(out)
    }

    fn text(&mut self) -> Result<String, PersistError> {
        let n = self.count(1)?;
        let mut bytes = vec![0u8; n];
        self.r.read_exact(&mut bytes).map_err(truncated)?;
        self.left = self.left.saturating_sub(n as u64);
        String::from_utf8(bytes).map_err(|_| PersistError::Damaged("text is not UTF-8"))
    }

    fn table(&mut self) -> Result<StrTable, PersistError> {
        Ok(StrTable {
            text: self.text()?,
            ends: self.u32s()?,
        })
    }
}

fn truncated(e: io::Error) -> PersistError {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        PersistError::Damaged("truncated")
    } else {
        PersistError::Io(e)
    }
}

fn entry_from(b: &[u8]) -> Option<Packed> {
    let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let mut lens = [0u16; FIELDS];
    for (n, l) in lens.iter_mut().enumerate() {
        *l = u16::from_le_bytes([b[20 + 2 * n], b[21 + 2 * n]]);
    }
    let tail = 20 + 2 * FIELDS;
    Some(Packed {
        id: u64::from_le_bytes(b[..8].try_into().ok()?),
        at: u32_at(8),
        tokens: u32_at(12),
        letters: u32_at(16),
        lens,
        names: b[tail],
        others: b[tail + 1],
        kind: *Kind::ALL.get(usize::from(b[tail + 2]))?,
        dead: match b[tail + 3] {
            0 => false,
            1 => true,
            _ => return None,
        },
    })
}

/// Reads an index written by [`write`]; `size` is the file's length in bytes.
pub fn read(input: impl Read, size: u64) -> Result<(SearchIndex, Stamp), PersistError> {
    let mut r = Reader {
        r: Checksummed {
            inner: io::BufReader::with_capacity(1 << 20, input),
            crc: crc32fast::Hasher::new(),
        },
        left: size,
    };
    if &r.bytes::<16>()? != MAGIC {
        return Err(PersistError::Foreign("wrong magic"));
    }
    if u32::from_le_bytes(r.bytes()?) != FORMAT {
        return Err(PersistError::Foreign("another format version"));
    }
    let stamp = Stamp {
        store_id: r.u64()?,
        generation: r.u64()?,
    };
    let sorted = usize::try_from(r.u64()?).map_err(|_| PersistError::Damaged("sorted"))?;
    let arena = r.text()?;
    let n = r.count(ENTRY_BYTES)?;
    let mut entries = Vec::with_capacity(n);
    let mut bad = false;
    r.chunks(n, ENTRY_BYTES, |b| match entry_from(b) {
        Some(e) => entries.push(e),
        None => bad = true,
    })?;
    if bad {
        return Err(PersistError::Damaged(
            "an entry has an unknown kind or flag",
        ));
    }
    let token_ids = r.u32s()?;
    let dictionary = r.table()?;
    let sounds = r.table()?;
    let marked = r.table()?;
    let computed = r.r.crc.clone().finalize();
    let mut crc = [0u8; 4];
    r.r.inner.read_exact(&mut crc).map_err(truncated)?;
    if u32::from_le_bytes(crc) != computed {
        return Err(PersistError::Damaged("checksum differs"));
    }
    if r.r.inner.read(&mut [0u8; 1])? != 0 {
        return Err(PersistError::Damaged("bytes after the checksum"));
    }
    let mut index = SearchIndex::from_parts(
        arena,
        entries,
        token_ids,
        [dictionary, sounds, marked],
        sorted,
    );
    if !index.check_and_count() {
        return Err(PersistError::Damaged("an entry points outside its tables"));
    }
    Ok((index, stamp))
}

impl SearchIndex {
    /// After reading from a file: counts the live entries and checks that every offset
    /// points inside its table, so a damaged file is refused rather than misread.
    pub(super) fn check_and_count(&mut self) -> bool {
        let tables = self.dictionary.is_well_formed()
            && self.sounds.is_well_formed()
            && self.marked.is_well_formed()
            && self.sounds.len() == self.dictionary.len()
            && self.sorted <= self.entries.len();
        let (dictionary, marked) = (self.dictionary.len(), self.marked.len());
        let tokens_ok = |e: &Packed| {
            let start = e.tokens as usize;
            let names = usize::from(e.names);
            let others = usize::from(e.others);
            let Some(ids) = self.token_ids.get(start..start + 2 * names + others) else {
                return false;
            };
            ids[..names + others]
                .iter()
                .all(|t| (*t as usize) < dictionary)
                && ids[names + others..].iter().all(|t| (*t as usize) < marked)
        };
        let text_ok = |e: &Packed| {
            let end = e.at as usize + e.lens.iter().map(|l| usize::from(*l)).sum::<usize>();
            let mut at = e.at as usize;
            end <= self.arena.len()
                && e.lens.iter().all(|l| {
                    let ok = self.arena.is_char_boundary(at);
                    at += usize::from(*l);
                    ok && self.arena.is_char_boundary(at)
                })
        };
        let sorted_ok = self.entries[..self.sorted]
            .windows(2)
            .all(|w| (w[0].kind, w[0].id) <= (w[1].kind, w[1].id));
        if !(tables && sorted_ok && self.entries.iter().all(|e| tokens_ok(e) && text_ok(e))) {
            return false;
        }
        self.live = 0;
        for i in 0..self.entries.len() {
            let e = self.entries[i];
            if !e.dead {
                self.live += 1;
                self.count(&e, true);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Kind, RecordId};
    use crate::search::Entry;

    fn sample() -> SearchIndex {
        let names = [
            "Giàng A Sử",
            "Nguyễn Văn Hùng",
            "Lò Văn Hưng",
            "Đặng Thị Ngọc Ánh",
        ];
        SearchIndex::new(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    Entry::new(Kind::Person, RecordId::new(Kind::Person, i as u64 + 1), n)
                        .with_fields(Some("1990-05-12"), Some("999000111"), Some("Thu Lũm"), None)
                })
                .collect(),
        )
    }

    fn bytes(index: &SearchIndex) -> Vec<u8> {
        let mut out = Vec::new();
        let stamp = Stamp {
            store_id: 7,
            generation: 42,
        };
        write(index, stamp, &mut out).expect("write to memory");
        out
    }

    #[test]
    fn an_index_reads_back_and_answers_the_same() {
        let index = sample();
        let file = bytes(&index);
        let (back, stamp) = read(file.as_slice(), file.len() as u64).expect("reads");
        assert_eq!(
            stamp,
            Stamp {
                store_id: 7,
                generation: 42
            }
        );
        assert_eq!(back.len(), index.len());
        for q in ["giang a su", "hùng", "hung", "sinh:1990 anh", "id:999"] {
            assert_eq!(back.search(q, None, 10), index.search(q, None, 10), "{q}");
        }
    }

    #[test]
    fn every_damaged_byte_and_every_truncation_is_refused() {
        let file = bytes(&sample());
        for at in 0..file.len() {
            let mut damaged = file.clone();
            damaged[at] ^= 0x5a;
            assert!(
                read(damaged.as_slice(), damaged.len() as u64).is_err(),
                "byte {at}"
            );
            let cut = &file[..at];
            assert!(read(cut, cut.len() as u64).is_err(), "cut at {at}");
        }
    }
}
