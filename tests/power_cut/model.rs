//! What a power cut would keep: the model behind the FUSE filesystem (`fs.rs`).
//!
//! It holds every file and directory in memory and passes reads and writes through, but
//! keeps, beside what processes see, the *durable* state: a file's contents as of its last
//! fsync, a directory's names as of its last fsync. A cut keeps only that (as LazyFS does for
//! Jepsen): unsynced contents are gone, and a name created, renamed or removed without an
//! fsync of its directory is as it was. POSIX promises no more; ext4 often keeps more, which
//! is why a kill -9 test cannot tell an fsync from none.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::time::{Duration, SystemTime};

use fuser::{Errno, FileAttr, FileType, INodeNo, RenameFlags};

pub const PAGE: usize = 4096;
const ROOT: u64 = 1;
/// Nothing is cached by the kernel: what it asks is answered from the state as it is now.
pub const TTL: Duration = Duration::ZERO;

#[derive(Clone, Default)]
pub struct File {
    pub data: Vec<u8>,
    pub durable: Vec<u8>,
    /// Pages written since the last fsync (an fsync copies only these).
    dirty: BTreeSet<usize>,
}

impl File {
    pub fn mark(&mut self, from: usize, to: usize) {
        if to > from {
            self.dirty.extend(from / PAGE..=(to - 1) / PAGE);
        }
    }

    pub fn resize(&mut self, len: usize) {
        let old = self.data.len();
        self.data.resize(len, 0);
        self.mark(old.min(len), old.max(len));
    }

    pub fn sync(&mut self) {
        self.durable.resize(self.data.len(), 0);
        for page in std::mem::take(&mut self.dirty) {
            let from = page * PAGE;
            let to = (from + PAGE).min(self.data.len());
            if from < to {
                self.durable[from..to].copy_from_slice(&self.data[from..to]);
            }
        }
    }
}

#[derive(Clone, Default)]
pub struct Dir {
    pub entries: BTreeMap<OsString, u64>,
    pub durable: BTreeMap<OsString, u64>,
}

#[derive(Clone)]
pub enum Node {
    File(File),
    Dir(Dir),
}

/// The filesystem's state, shared by the FUSE session and the test that cuts the power.
#[derive(Default)]
pub struct State {
    pub nodes: HashMap<u64, Node>,
    next: u64,
    /// fsync and fsyncdir calls seen, for the test to show the writer asked for durability.
    pub syncs: u64,
}

impl State {
    /// A filesystem holding the files under `dir`, all of them durable (the disk as found).
    pub fn load(dir: &Path) -> std::io::Result<State> {
        let mut state = State {
            next: ROOT + 1,
            ..State::default()
        };
        state.nodes.insert(ROOT, Node::Dir(Dir::default()));
        state.load_into(ROOT, dir)?;
        Ok(state)
    }

    fn load_into(&mut self, parent: u64, dir: &Path) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let ino = self.next;
            self.next += 1;
            if entry.file_type()?.is_dir() {
                self.nodes.insert(ino, Node::Dir(Dir::default()));
                self.load_into(ino, &entry.path())?;
            } else {
                let data = std::fs::read(entry.path())?;
                let file = File {
                    durable: data.clone(),
                    data,
                    dirty: BTreeSet::new(),
                };
                self.nodes.insert(ino, Node::File(file));
            }
            if let Some(Node::Dir(d)) = self.nodes.get_mut(&parent) {
                d.entries.insert(entry.file_name(), ino);
                d.durable.insert(entry.file_name(), ino);
            }
        }
        Ok(())
    }

    /// Writes what a power cut now would leave into `dir` (which must not exist): the names
    /// each directory last synced, each file's contents as last synced.
    pub fn write_durable(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        self.write_durable_of(ROOT, dir)
    }

    fn write_durable_of(&self, ino: u64, dir: &Path) -> std::io::Result<()> {
        let Some(Node::Dir(d)) = self.nodes.get(&ino) else {
            return Ok(());
        };
        for (name, child) in &d.durable {
            let path = dir.join(name);
            match self.nodes.get(child) {
                Some(Node::Dir(_)) => {
                    std::fs::create_dir(&path)?;
                    self.write_durable_of(*child, &path)?;
                }
                Some(Node::File(f)) => std::fs::write(&path, &f.durable)?,
                None => {}
            }
        }
        Ok(())
    }

    pub fn attr(&self, ino: u64) -> Option<FileAttr> {
        let (kind, size, perm, nlink) = match self.nodes.get(&ino)? {
            Node::File(f) => (FileType::RegularFile, f.data.len() as u64, 0o644, 1),
            Node::Dir(_) => (FileType::Directory, 0, 0o755, 2),
        };
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        Some(FileAttr {
            ino: INodeNo(ino),
            size,
            blocks: size.div_ceil(512),
            atime: at,
            mtime: at,
            ctime: at,
            crtime: at,
            kind,
            perm,
            nlink,
            uid: 0,
            gid: 0,
            rdev: 0,
            blksize: PAGE as u32,
            flags: 0,
        })
    }

    pub fn dir(&mut self, ino: u64) -> Result<&mut Dir, Errno> {
        match self.nodes.get_mut(&ino) {
            Some(Node::Dir(d)) => Ok(d),
            Some(Node::File(_)) => Err(Errno::ENOTDIR),
            None => Err(Errno::ENOENT),
        }
    }

    pub fn file(&mut self, ino: u64) -> Result<&mut File, Errno> {
        match self.nodes.get_mut(&ino) {
            Some(Node::File(f)) => Ok(f),
            Some(Node::Dir(_)) => Err(Errno::EISDIR),
            None => Err(Errno::ENOENT),
        }
    }

    pub fn child(&mut self, parent: u64, name: &OsStr) -> Result<Option<u64>, Errno> {
        Ok(self.dir(parent)?.entries.get(name).copied())
    }

    pub fn make(&mut self, parent: u64, name: &OsStr, node: Node) -> Result<FileAttr, Errno> {
        if self.child(parent, name)?.is_some() {
            return Err(Errno::EEXIST);
        }
        let ino = self.next;
        self.next += 1;
        self.nodes.insert(ino, node);
        self.dir(parent)?.entries.insert(name.to_os_string(), ino);
        self.attr(ino).ok_or(Errno::EIO)
    }

    pub fn is_empty_dir(&self, ino: u64) -> bool {
        matches!(self.nodes.get(&ino), Some(Node::Dir(d)) if d.entries.is_empty())
    }

    pub fn rename(
        &mut self,
        parent: u64,
        name: &OsStr,
        to_parent: u64,
        to_name: &OsStr,
        flags: RenameFlags,
    ) -> Result<(), Errno> {
        let ino = self.child(parent, name)?.ok_or(Errno::ENOENT)?;
        if flags.contains(RenameFlags::RENAME_EXCHANGE) {
            return Err(Errno::EINVAL);
        }
        if let Some(old) = self.child(to_parent, to_name)? {
            if flags.contains(RenameFlags::RENAME_NOREPLACE) {
                return Err(Errno::EEXIST);
            }
            let dir = matches!(self.nodes.get(&old), Some(Node::Dir(_)));
            if dir && !self.is_empty_dir(old) {
                return Err(Errno::ENOTEMPTY);
            }
        }
        self.dir(parent)?.entries.remove(name);
        self.dir(to_parent)?
            .entries
            .insert(to_name.to_os_string(), ino);
        Ok(())
    }
}
