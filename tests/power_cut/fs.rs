//! A FUSE filesystem that knows what a power cut would keep (the model is `model.rs`).
//!
//! Files are opened with `FOPEN_DIRECT_IO`, and entries and attributes are never cached by
//! the kernel, so every write reaches this filesystem when the writer's call returns and no
//! kernel cache can stand in for the disk.

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use fuser::{
    Errno, FileAttr, FileHandle, FileType, Filesystem, FopenFlags, Generation, INodeNo, OpenFlags,
    RenameFlags, ReplyAttr, ReplyCreate, ReplyData, ReplyDirectory, ReplyEmpty, ReplyEntry,
    ReplyOpen, ReplyStatfs, ReplyWrite, Request, TimeOrNow,
};

use super::model::{Dir, File, Node, PAGE, State, TTL};

/// The FUSE side: every call locks the shared state.
pub struct PowerCutFs(pub Arc<Mutex<State>>);

impl PowerCutFs {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn entry(reply: ReplyEntry, made: Result<FileAttr, Errno>) {
    match made {
        Ok(attr) => reply.entry(&TTL, &attr, Generation(0)),
        Err(e) => reply.error(e),
    }
}

fn done(reply: ReplyEmpty, result: Result<(), Errno>) {
    match result {
        Ok(()) => reply.ok(),
        Err(e) => reply.error(e),
    }
}

impl Filesystem for PowerCutFs {
    fn lookup(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        let mut s = self.state();
        let found = s.child(parent.0, name).and_then(|c| c.ok_or(Errno::ENOENT));
        entry(
            reply,
            found.and_then(|ino| s.attr(ino).ok_or(Errno::ENOENT)),
        );
    }

    fn getattr(&self, _req: &Request, ino: INodeNo, _fh: Option<FileHandle>, reply: ReplyAttr) {
        match self.state().attr(ino.0) {
            Some(attr) => reply.attr(&TTL, &attr),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn setattr(
        &self,
        _req: &Request,
        ino: INodeNo,
        _mode: Option<u32>,
        _uid: Option<u32>,
        _gid: Option<u32>,
        size: Option<u64>,
        _atime: Option<TimeOrNow>,
        _mtime: Option<TimeOrNow>,
        _ctime: Option<SystemTime>,
        _fh: Option<FileHandle>,
        _crtime: Option<SystemTime>,
        _chgtime: Option<SystemTime>,
        _bkuptime: Option<SystemTime>,
        _flags: Option<fuser::BsdFileFlags>,
        reply: ReplyAttr,
    ) {
        let mut s = self.state();
        if let Some(size) = size {
            match s.file(ino.0) {
                Ok(f) => f.resize(size as usize),
                Err(e) => return reply.error(e),
            }
        }
        match s.attr(ino.0) {
            Some(attr) => reply.attr(&TTL, &attr),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn mknod(
        &self,
        _req: &Request,
        parent: INodeNo,
        name: &OsStr,
        _mode: u32,
        _umask: u32,
        _rdev: u32,
        reply: ReplyEntry,
    ) {
        let made = self
            .state()
            .make(parent.0, name, Node::File(File::default()));
        entry(reply, made);
    }

    fn mkdir(
        &self,
        _req: &Request,
        parent: INodeNo,
        name: &OsStr,
        _mode: u32,
        _umask: u32,
        reply: ReplyEntry,
    ) {
        let made = self.state().make(parent.0, name, Node::Dir(Dir::default()));
        entry(reply, made);
    }

    fn unlink(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        let mut s = self.state();
        let removed = s.dir(parent.0).and_then(|d| match d.entries.remove(name) {
            Some(_) => Ok(()),
            None => Err(Errno::ENOENT),
        });
        done(reply, removed);
    }

    fn rmdir(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        let mut s = self.state();
        let removed = s
            .child(parent.0, name)
            .and_then(|c| c.ok_or(Errno::ENOENT))
            .and_then(|ino| match s.is_empty_dir(ino) {
                true => Ok(()),
                false => Err(Errno::ENOTEMPTY),
            })
            .and_then(|()| s.dir(parent.0).map(|d| d.entries.remove(name)).map(drop));
        done(reply, removed);
    }

    fn rename(
        &self,
        _req: &Request,
        parent: INodeNo,
        name: &OsStr,
        newparent: INodeNo,
        newname: &OsStr,
        flags: RenameFlags,
        reply: ReplyEmpty,
    ) {
        let renamed = self
            .state()
            .rename(parent.0, name, newparent.0, newname, flags);
        done(reply, renamed);
    }

    fn open(&self, _req: &Request, ino: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        match self.state().nodes.contains_key(&ino.0) {
            true => reply.opened(FileHandle(0), FopenFlags::FOPEN_DIRECT_IO),
            false => reply.error(Errno::ENOENT),
        }
    }

    fn create(
        &self,
        _req: &Request,
        parent: INodeNo,
        name: &OsStr,
        _mode: u32,
        _umask: u32,
        flags: i32,
        reply: ReplyCreate,
    ) {
        let mut s = self.state();
        let made = match s.child(parent.0, name) {
            Ok(Some(_)) if flags & libc::O_EXCL != 0 => Err(Errno::EEXIST),
            Ok(Some(ino)) => {
                if flags & libc::O_TRUNC != 0
                    && let Ok(f) = s.file(ino)
                {
                    f.resize(0);
                }
                s.attr(ino).ok_or(Errno::ENOENT)
            }
            Ok(None) => s.make(parent.0, name, Node::File(File::default())),
            Err(e) => Err(e),
        };
        match made {
            Ok(attr) => reply.created(
                &TTL,
                &attr,
                Generation(0),
                FileHandle(0),
                FopenFlags::FOPEN_DIRECT_IO,
            ),
            Err(e) => reply.error(e),
        }
    }

    fn read(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock_owner: Option<fuser::LockOwner>,
        reply: ReplyData,
    ) {
        let mut s = self.state();
        match s.file(ino.0) {
            Ok(f) => {
                let from = (offset as usize).min(f.data.len());
                let to = (from + size as usize).min(f.data.len());
                reply.data(&f.data[from..to]);
            }
            Err(e) => reply.error(e),
        }
    }

    fn write(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        data: &[u8],
        _write_flags: fuser::WriteFlags,
        _flags: OpenFlags,
        _lock_owner: Option<fuser::LockOwner>,
        reply: ReplyWrite,
    ) {
        let mut s = self.state();
        match s.file(ino.0) {
            Ok(f) => {
                let from = offset as usize;
                let to = from + data.len();
                if f.data.len() < to {
                    f.resize(to);
                }
                f.data[from..to].copy_from_slice(data);
                f.mark(from, to);
                reply.written(data.len() as u32);
            }
            Err(e) => reply.error(e),
        }
    }

    fn flush(
        &self,
        _req: &Request,
        _ino: INodeNo,
        _fh: FileHandle,
        _lock_owner: fuser::LockOwner,
        reply: ReplyEmpty,
    ) {
        reply.ok();
    }

    fn fsync(&self, _req: &Request, ino: INodeNo, _fh: FileHandle, _d: bool, reply: ReplyEmpty) {
        let mut s = self.state();
        s.syncs += 1;
        match s.nodes.get_mut(&ino.0) {
            Some(Node::File(f)) => f.sync(),
            Some(Node::Dir(d)) => d.durable = d.entries.clone(),
            None => return reply.error(Errno::ENOENT),
        }
        reply.ok();
    }

    fn fsyncdir(&self, _req: &Request, ino: INodeNo, _fh: FileHandle, _d: bool, reply: ReplyEmpty) {
        let mut s = self.state();
        s.syncs += 1;
        let synced = s.dir(ino.0).map(|d| d.durable = d.entries.clone());
        done(reply, synced);
    }

    fn readdir(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        mut reply: ReplyDirectory,
    ) {
        let mut s = self.state();
        let listed: Vec<(u64, OsString)> = match s.dir(ino.0) {
            Ok(d) => d.entries.iter().map(|(n, i)| (*i, n.clone())).collect(),
            Err(e) => return reply.error(e),
        };
        let mut all = vec![(ino.0, OsString::from(".")), (ino.0, OsString::from(".."))];
        all.extend(listed);
        for (i, (child, name)) in all.into_iter().enumerate().skip(offset as usize) {
            let kind = match s.nodes.get(&child) {
                Some(Node::Dir(_)) => FileType::Directory,
                _ => FileType::RegularFile,
            };
            if reply.add(INodeNo(child), (i + 1) as u64, kind, name) {
                break;
            }
        }
        reply.ok();
    }

    fn fallocate(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        length: u64,
        mode: i32,
        reply: ReplyEmpty,
    ) {
        let mut s = self.state();
        let grown = s.file(ino.0).map(|f| {
            let end = (offset + length) as usize;
            if mode & libc::FALLOC_FL_KEEP_SIZE == 0 && f.data.len() < end {
                f.resize(end);
            }
        });
        done(reply, grown);
    }

    fn statfs(&self, _req: &Request, _ino: INodeNo, reply: ReplyStatfs) {
        // Plenty of room: the harness cuts the power, it does not fill the disk.
        reply.statfs(
            1 << 24,
            1 << 23,
            1 << 23,
            1 << 20,
            1 << 19,
            PAGE as u32,
            255,
            PAGE as u32,
        );
    }

    fn access(&self, _req: &Request, _ino: INodeNo, _mask: fuser::AccessFlags, reply: ReplyEmpty) {
        reply.ok();
    }
}

/// The filesystem mounted at a directory; unmounted when dropped.
pub struct Mounted {
    pub state: Arc<Mutex<State>>,
    at: std::path::PathBuf,
    session: Option<fuser::BackgroundSession>,
}

impl Mounted {
    /// Mounts a filesystem holding what `image` holds (all of it durable) at `at`.
    pub fn from_image(image: &Path, at: &Path) -> std::io::Result<Mounted> {
        let state = Arc::new(Mutex::new(State::load(image)?));
        let mut config = fuser::Config::default();
        config.mount_options = vec![fuser::MountOption::FSName("trucban-power-cut".into())];
        let session = fuser::spawn_mount(PowerCutFs(state.clone()), at, &config)?;
        Ok(Mounted {
            state,
            at: at.to_path_buf(),
            session: Some(session),
        })
    }

    /// What a cut at this instant would leave, written into `into` (which must not exist),
    /// while the writers go on: the state is locked for the copy, so it is one instant.
    pub fn snapshot(&self, into: &Path) -> std::io::Result<()> {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write_durable(into)
    }

    /// Cuts the power: writes what survives into `image` (replaced) and unmounts. Every
    /// process writing here must be dead first (a live one would keep the mount busy).
    pub fn cut(mut self, image: &Path) -> std::io::Result<()> {
        if image.exists() {
            std::fs::remove_dir_all(image)?;
        }
        self.snapshot(image)?;
        self.unmount()
    }

    fn unmount(&mut self) -> std::io::Result<()> {
        let Some(session) = self.session.take() else {
            return Ok(());
        };
        // The kernel answers EBUSY while the last files' releases are still on their way
        // to us (they are sent after close returns): try again for a while.
        let path = std::ffi::CString::new(self.at.as_os_str().as_encoded_bytes())
            .map_err(std::io::Error::other)?;
        let started = std::time::Instant::now();
        loop {
            // SAFETY: a valid C string; umount(2) reads it only.
            if unsafe { libc::umount(path.as_ptr()) } == 0 {
                break;
            }
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EBUSY)
                || started.elapsed() > Duration::from_secs(10)
            {
                return Err(err);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        session.join()
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = self.unmount();
    }
}
