//! The search index kept beside the store, current with every write.
//!
//! Building it from the records takes seconds at a million (every record decoded), so it is
//! saved to a file next to the store and read back in a fraction of a second. The store logs
//! which records each write changed (see `store/changes.rs`); whoever reads the file applies
//! the records changed since it was saved, and after each write of its own, the records that
//! write changed. The file is a cache: missing, damaged, from another store or older than a
//! bulk load means rebuild — never a wrong answer.
//!
//! The console loads it in the background (its first screen does not wait; a search typed
//! meanwhile is told "not ready" and retried); a one-shot command loads it on first use.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, RwLock};

use crate::domain::{Kind, Record, RecordId};
use crate::i18n::Lang;
use crate::search::persist::{self, Stamp};
use crate::search::{Entry, Hit, SearchIndex, detail_of, entries_of};
use crate::store::Backend;

use super::{Result, ServiceError};

/// The kinds the index holds.
const SEARCHED: [Kind; 8] = [
    Kind::Person,
    Kind::Wanted,
    Kind::WatchEntry,
    Kind::GuestStay,
    Kind::Establishment,
    Kind::Officer,
    Kind::Group,
    Kind::Campaign,
];

/// Catching up on more changes than this (and a tenth of the index) costs more than a
/// rebuild.
const REBUILD_ABOVE: usize = 50_000;
/// After applying more changes than this on load, the file is saved again so that the next
/// start need not repeat the work.
const SAVE_ABOVE: usize = 1_000;

struct Live {
    index: SearchIndex,
    /// The store generation the index reflects.
    applied: u64,
}

enum State {
    Idle,
    Loading,
    Ready(Arc<RwLock<Live>>),
    Failed(String),
}

pub struct LiveSearch {
    store: Arc<dyn Backend>,
    /// The cached index, beside the engine's files (none: an engine keeping no files on
    /// this host rebuilds at start).
    file: Option<PathBuf>,
    state: Mutex<State>,
    loaded: Condvar,
}

fn poisoned<T>(_: T) -> ServiceError {
    ServiceError::invalid(
        "chỉ mục tìm kiếm bị hỏng khoá (lỗi trong trucban): khởi động lại",
        "search index lock poisoned (a bug in trucban): restart it",
    )
}

impl LiveSearch {
    pub fn new(store: Arc<dyn Backend>) -> Arc<LiveSearch> {
        let file = store.files().map(|f| f.with_file_name("search-index"));
        Arc::new(LiveSearch {
            store,
            file,
            state: Mutex::new(State::Idle),
            loaded: Condvar::new(),
        })
    }

    /// Starts loading in a background thread (the console: its first screen must not wait).
    pub fn start_loading(self: &Arc<Self>) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if !matches!(*state, State::Idle) {
            return;
        }
        *state = State::Loading;
        drop(state);
        let me = Arc::clone(self);
        std::thread::spawn(move || me.load_and_publish());
    }

    fn load_and_publish(&self) {
        let loaded = self.load();
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        // Under the state lock, so that a write finishing meanwhile (which found the index
        // still loading) is caught up here rather than missed.
        *state = match loaded.and_then(|mut live| {
            self.catch_up(&mut live)?;
            Ok(live)
        }) {
            Ok(live) => State::Ready(Arc::new(RwLock::new(live))),
            Err(e) => State::Failed(e.to_string()),
        };
        self.loaded.notify_all();
    }

    /// The best `limit` hits, their details in `lang`; with `wait` false, `NotReady` while
    /// the index loads.
    pub fn search(
        &self,
        query: &str,
        kind: Option<Kind>,
        limit: usize,
        wait: bool,
        lang: Lang,
    ) -> Result<Vec<Hit>> {
        let live = {
            let mut state = self.state.lock().map_err(poisoned)?;
            loop {
                match &*state {
                    State::Ready(live) => break Arc::clone(live),
                    State::Failed(e) => {
                        return Err(ServiceError::invalid(
                            format!("không nạp được chỉ mục tìm kiếm: {e}"),
                            format!("the search index could not be loaded: {e}"),
                        ));
                    }
                    State::Loading if wait => {
                        state = self.loaded.wait(state).map_err(poisoned)?;
                    }
                    State::Loading => return Err(ServiceError::SearchNotReady),
                    State::Idle => {
                        // A one-shot command: load here, on this thread.
                        *state = State::Loading;
                        drop(state);
                        self.load_and_publish();
                        state = self.state.lock().map_err(poisoned)?;
                    }
                }
            }
        };
        let live = live.read().map_err(poisoned)?;
        let mut hits = live.index.search(query, kind, limit);
        drop(live);
        for hit in &mut hits {
            hit.detail = self.detail(hit, lang).unwrap_or_default();
        }
        Ok(hits)
    }

    /// The detail line of a hit, from its record (the index keeps none: 25 bytes an entry).
    fn detail(&self, hit: &Hit, lang: Lang) -> Option<String> {
        let id: RecordId = hit.id.parse().ok()?;
        let record = self.store.get(id).ok()??;
        Some(detail_of(&record, &|p| self.person(p), lang))
    }

    fn person(&self, id: RecordId) -> Option<crate::domain::Person> {
        match self.store.get(id) {
            Ok(Some(Record::Person(p))) => Some(p),
            _ => None,
        }
    }

    /// After a write: brings a loaded index up to date. A loading one catches up when it is
    /// published; an idle one when it is loaded.
    pub fn after_write(&self) -> Result<()> {
        let state = self.state.lock().map_err(poisoned)?;
        if let State::Ready(live) = &*state {
            let mut live = live.write().map_err(poisoned)?;
            self.catch_up(&mut live)?;
        }
        Ok(())
    }

    /// Applies every record changed since the index's generation.
    fn catch_up(&self, live: &mut Live) -> Result<usize> {
        let now = self.store.generation()?;
        if now == live.applied {
            return Ok(0);
        }
        if self.store.cache_floor()? > live.applied {
            *live = self.rebuild()?;
            return Ok(0);
        }
        let changed = self.store.changes_since(live.applied)?;
        let ids: Vec<RecordId> = changed.iter().map(|(id, _)| *id).collect();
        self.refresh(&mut live.index, &ids)?;
        live.applied = now;
        Ok(ids.len())
    }

    /// Replaces the entries of `ids` with their records' current ones; a changed person
    /// also changes the notices and watch entries that show their name.
    fn refresh(&self, index: &mut SearchIndex, ids: &[RecordId]) -> Result<()> {
        let person = |id| self.person(id);
        let mut persons = HashSet::new();
        for id in ids.iter().filter(|id| SEARCHED.contains(&id.kind())) {
            let entries = match self.store.get(*id)? {
                Some(record) => entries_of(&record, &person),
                None => Vec::new(),
            };
            index.replace(*id, &entries);
            if id.kind() == Kind::Person {
                persons.insert(*id);
            }
        }
        if persons.is_empty() {
            return Ok(());
        }
        for kind in [Kind::Wanted, Kind::WatchEntry] {
            for record in self.store.scan(kind) {
                let record = record?;
                if record
                    .references()
                    .iter()
                    .any(|(_, target)| persons.contains(target))
                {
                    index.replace(record.id(), &entries_of(&record, &person));
                }
            }
        }
        Ok(())
    }

    /// The index from its file when that is usable, else rebuilt from the records.
    fn load(&self) -> Result<Live> {
        if let Some(mut live) = self.read_file()? {
            let pending = self.store.changes_since(live.applied)?.len();
            if pending <= REBUILD_ABOVE.max(live.index.len() / 10) {
                let applied = self.catch_up(&mut live)?;
                if applied > SAVE_ABOVE {
                    self.save(&live);
                }
                return Ok(live);
            }
        }
        let live = self.rebuild()?;
        self.save(&live);
        Ok(live)
    }

    fn read_file(&self) -> Result<Option<Live>> {
        let Some(Ok(file)) = self.file.as_ref().map(std::fs::File::open) else {
            return Ok(None);
        };
        let size = file.metadata().map_or(0, |m| m.len());
        let Ok((index, stamp)) = persist::read(file, size) else {
            return Ok(None);
        };
        let usable = stamp.store_id == self.store.store_id()?
            && stamp.generation >= self.store.cache_floor()?
            && stamp.generation <= self.store.generation()?;
        Ok(usable.then_some(Live {
            index,
            applied: stamp.generation,
        }))
    }

    /// Saves the index (temporary file, fsync, rename, directory fsync: a reader never sees
    /// half a file, and a cut leaves the old file or this one) and lets the store forget the
    /// changes it holds. A failure only costs a rebuild later.
    fn save(&self, live: &Live) {
        let saved = (|| -> anyhow::Result<()> {
            if let Some(file) = &self.file {
                let stamp = Stamp {
                    store_id: self.store.store_id()?,
                    generation: live.applied,
                };
                let dir = file.parent().unwrap_or(std::path::Path::new("."));
                let mut temp = tempfile::NamedTempFile::new_in(dir)?;
                persist::write(&live.index, stamp, &mut temp)?;
                // Durable before the changes it covers are pruned below: a cut then leaves
                // this file or the one before it, which the floor check turns away.
                temp.as_file().sync_all()?;
                temp.persist(file)?;
                crate::durable::sync_dir(dir)?;
            }
            self.store.prune_changes(live.applied)?;
            Ok(())
        })();
        // Nothing to tell the officer: the index works from memory either way.
        drop(saved);
    }

    /// Builds the index from every searched record: one thread decodes, this one packs.
    fn rebuild(&self) -> Result<Live> {
        let applied = self.store.generation()?;
        let mut index = SearchIndex::default();
        std::thread::scope(|scope| -> Result<()> {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Entry>>(8);
            let reader = scope.spawn(move || -> Result<()> {
                let person = |id| self.person(id);
                for kind in SEARCHED {
                    let mut batch = Vec::with_capacity(4096);
                    for record in self.store.scan(kind) {
                        batch.extend(entries_of(&record?, &person));
                        if batch.len() >= 4096 && tx.send(std::mem::take(&mut batch)).is_err() {
                            return Ok(());
                        }
                    }
                    if tx.send(batch).is_err() {
                        return Ok(());
                    }
                }
                Ok(())
            });
            crate::progress::stage(crate::progress::Stage::Indexing, None);
            for batch in rx {
                crate::progress::advance(batch.len() as u64);
                batch.iter().for_each(|e| index.push(e));
            }
            reader.join().map_err(|_| {
                ServiceError::invalid(
                    "luồng đọc chỉ mục tìm kiếm bị lỗi",
                    "search index reader failed",
                )
            })?
        })?;
        index.seal();
        Ok(Live { index, applied })
    }
}
