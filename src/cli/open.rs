//! Where a command's desk comes from. One rule keeps a command from reporting on the wrong
//! store:
//!
//! - `--socket PATH` (or `TRUCBAN_SOCKET`) means through the daemon there, and nothing else:
//!   if it does not answer the command fails; a command that cannot work through a daemon
//!   (`seed`, `gen`, `demo`, `restore`) refuses. Neither ever opens a store of its own.
//! - With neither a socket nor a data directory given, a daemon answering on a default socket
//!   is used; one that answers but refuses the officer is an error, not a reason to go around
//!   it to the store.
//! - Otherwise the store at the data directory, which must exist: only `seed`, `gen`, `demo`,
//!   `import` and `restore` make a store, and only at the data directory they work on.

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

use crate::domain::Clock;
use crate::domain::text::display_safe;
use crate::i18n::Lang;
use crate::service::daemon::socket;
use crate::service::{DeskApi, LocalDesk, RemoteDesk};
use crate::store::{PgBackend, SledBackend};

/// A desk chosen at run time: the daemon's or the store's own.
pub type AnyDesk = Box<dyn DeskApi + Send>;

/// Where an opened desk reads from, for messages ("the store at …").
#[derive(Clone, Debug)]
pub enum Place {
    Daemon(PathBuf),
    Store(PathBuf),
    /// A PostgreSQL database, named without its password.
    Database(String),
}

impl Place {
    pub fn describe(&self, lang: Lang) -> String {
        let path = |p: &Path| display_safe(&p.display().to_string()).into_owned();
        match (self, lang) {
            (Place::Daemon(s), Lang::Vi) => format!("kho của trucban serve tại {}", path(s)),
            (Place::Daemon(s), Lang::En) => format!("the store of trucban serve at {}", path(s)),
            (Place::Store(d), Lang::Vi) => format!("kho tại {}", path(d)),
            (Place::Store(d), Lang::En) => format!("the store at {}", path(d)),
            (Place::Database(db), Lang::Vi) => format!("kho trên cơ sở dữ liệu {db}"),
            (Place::Database(db), Lang::En) => format!("the store in the database {db}"),
        }
    }
}

pub struct Opened {
    pub desk: AnyDesk,
    pub place: Place,
}

/// What every command needs to find its desk: the command line's socket and data directory,
/// and the clock. Its refusals are said in both languages (see `told.rs`).
pub struct Opener {
    pub socket: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    /// `--database` or `[store] database`: the store is in PostgreSQL, not the data directory.
    pub database: Option<String>,
    pub clock: Clock,
}

impl Opener {
    /// The daemon to work through, if any: `Err` when `--socket` names one that does not
    /// answer, or when a daemon answers and refuses.
    pub fn remote(&self) -> anyhow::Result<Option<(RemoteDesk, PathBuf)>> {
        if let Some(path) = &self.socket {
            let stream = UnixStream::connect(path).map_err(|e| self.unreachable(path, &e))?;
            return Ok(Some((RemoteDesk::over(stream, path)?, path.clone())));
        }
        if self.data_dir.is_some() || self.database.is_some() {
            return Ok(None);
        }
        for path in socket::client_candidates() {
            // Nobody listening there: try the next, then the store. Somebody listening
            // speaks for the store, refusal included.
            if let Ok(stream) = UnixStream::connect(&path) {
                return Ok(Some((RemoteDesk::over(stream, &path)?, path)));
            }
        }
        Ok(None)
    }

    /// The desk of the daemon when one is to be used, else `local` made from the store at
    /// the data directory, which must exist.
    pub fn desk<D: DeskApi + Send + 'static>(
        &self,
        local: impl FnOnce(LocalDesk) -> anyhow::Result<D>,
    ) -> anyhow::Result<Opened> {
        self.open(false, local)
    }

    /// As [`Opener::desk`], for a command that may make the store (`import`).
    pub fn desk_or_new<D: DeskApi + Send + 'static>(
        &self,
        local: impl FnOnce(LocalDesk) -> anyhow::Result<D>,
    ) -> anyhow::Result<Opened> {
        self.open(true, local)
    }

    fn open<D: DeskApi + Send + 'static>(
        &self,
        may_create: bool,
        local: impl FnOnce(LocalDesk) -> anyhow::Result<D>,
    ) -> anyhow::Result<Opened> {
        if let Some((remote, path)) = self.remote()? {
            return Ok(Opened {
                desk: Box::new(remote),
                place: Place::Daemon(path),
            });
        }
        let dir = self.data_dir()?;
        let store = match may_create {
            true => self.create_for_import(&dir)?,
            false => self.existing(&dir)?,
        };
        Ok(Opened {
            desk: Box::new(local(store)?),
            place: self.place(dir),
        })
    }

    /// The data directory: `--data-dir`, else the platform's.
    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(dir) = &self.data_dir {
            return Ok(dir.clone());
        }
        directories::ProjectDirs::from("vn", "Cong an tinh Lai Chau", "trucban")
            .map(|d| d.data_dir().to_path_buf())
            .ok_or_else(|| {
                super::told::told(
                    "store.no_home",
                    "không có thư mục nhà để giữ kho: chỉ định --data-dir DIR",
                    "no home directory to keep the store in: give --data-dir DIR",
                )
            })
    }

    /// The store at `dir`, which must exist (this command does not make one).
    pub fn existing(&self, dir: &Path) -> anyhow::Result<LocalDesk> {
        self.must_exist(dir)?;
        self.create(dir)
    }

    /// Where the store is: the database when one is named, else the directory.
    pub fn place(&self, dir: PathBuf) -> Place {
        match &self.database {
            Some(url) => Place::Database(shown_database(url)),
            None => Place::Store(dir),
        }
    }

    /// The store's place as a message names it: the database, or the directory.
    pub fn shown(&self, dir: &Path) -> String {
        match &self.database {
            Some(url) => shown_database(url),
            None => display_safe(&dir.display().to_string()).into_owned(),
        }
    }

    /// Refuses when there is no store at `dir`, saying how to reach or make one (a database
    /// is a store, empty or not, once it can be reached).
    pub fn must_exist(&self, dir: &Path) -> anyhow::Result<()> {
        if self.database.is_some() || SledBackend::exists(dir) {
            return Ok(());
        }
        let dir = display_safe(&dir.display().to_string()).into_owned();
        Err(super::told::told(
            "store.none",
            format!(
                "không có kho dữ liệu tại {dir}, và lệnh này không tạo kho: chỉ định --data-dir của kho, --socket nếu trucban serve giữ kho, hoặc tạo kho bằng `trucban import`, `trucban seed --sample` hay `trucban restore`"
            ),
            format!(
                "there is no store at {dir}, and this command does not make one: give the store's --data-dir, --socket if trucban serve holds it, or make one with `trucban import`, `trucban seed --sample` or `trucban restore`"
            ),
        ))
    }

    /// The store at `dir`, made if there is none (for the commands that may make one).
    pub fn create(&self, dir: &Path) -> anyhow::Result<LocalDesk> {
        if let Some(url) = &self.database {
            return Ok(LocalDesk::new(
                PgBackend::open(url, self.clock.now())?,
                self.clock.clone(),
            ));
        }
        Ok(LocalDesk::new(
            SledBackend::open(dir, self.clock.now())?,
            self.clock.clone(),
        ))
    }

    /// As [`Opener::create`], for an import: on sled with a small page cache (an import
    /// writes through the store once; a year of declarations in bounded memory).
    fn create_for_import(&self, dir: &Path) -> anyhow::Result<LocalDesk> {
        if self.database.is_some() {
            return self.create(dir);
        }
        Ok(LocalDesk::new(
            SledBackend::open_for_scan(dir, self.clock.now())?,
            self.clock.clone(),
        ))
    }

    /// Refuses a command that works on a store directory when it was told to work through a
    /// daemon: it must not quietly work on a store of its own instead.
    pub fn store_only(&self, command: &str) -> anyhow::Result<()> {
        if self.socket.is_none() {
            return Ok(());
        }
        Err(super::told::told(
            "usage.store_only",
            format!(
                "`trucban {command}` làm việc trên một thư mục kho, không qua trucban serve: bỏ --socket (và TRUCBAN_SOCKET), chỉ định --data-dir DIR; không có gì được ghi"
            ),
            format!(
                "`trucban {command}` works on a store directory, not through trucban serve: drop --socket (and TRUCBAN_SOCKET) and give --data-dir DIR; nothing was written"
            ),
        ))
    }

    fn unreachable(&self, path: &Path, e: &std::io::Error) -> anyhow::Error {
        let path = display_safe(&path.display().to_string()).into_owned();
        let e = crate::i18n::io_error(e);
        super::told::told(
            "daemon.unreachable",
            format!(
                "không kết nối được trucban serve tại {path} ({}); không đọc kho nào khác. Kiểm tra trucban serve đang chạy, hoặc bỏ --socket (và TRUCBAN_SOCKET) và chỉ định --data-dir DIR",
                e.vi
            ),
            format!(
                "cannot reach trucban serve at {path} ({}); no other store was read. Check that trucban serve is running, or drop --socket (and TRUCBAN_SOCKET) and give --data-dir DIR",
                e.en
            ),
        )
    }
}

/// A database address as it may be shown: its host, port and name, never its password.
fn shown_database(url: &str) -> String {
    use std::str::FromStr;
    let Ok(config) = postgres::Config::from_str(url) else {
        return "?".into();
    };
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_default();
    let name = config.get_dbname().unwrap_or("");
    display_safe(&format!("{host}/{name}")).into_owned()
}

/// A store named on the command line (`trucban migrate`): a PostgreSQL database when it
/// reads as one (`postgres://…`, `postgresql://…`, or `key=value` words), else a directory,
/// which must hold a store unless `may_create`. With where it is, for messages.
pub fn engine_at(
    spec: &str,
    clock: &Clock,
    may_create: bool,
) -> anyhow::Result<(std::sync::Arc<dyn crate::store::Backend>, String)> {
    let is_database =
        spec.starts_with("postgres://") || spec.starts_with("postgresql://") || spec.contains('=');
    if is_database {
        let store = PgBackend::open(spec, clock.now())?;
        return Ok((std::sync::Arc::new(store), shown_database(spec)));
    }
    let dir = PathBuf::from(spec);
    let opener = Opener {
        socket: None,
        data_dir: Some(dir.clone()),
        database: None,
        clock: clock.clone(),
    };
    if !may_create {
        opener.must_exist(&dir)?;
    }
    let store = SledBackend::open(&dir, clock.now())?;
    Ok((std::sync::Arc::new(store), opener.shown(&dir)))
}
