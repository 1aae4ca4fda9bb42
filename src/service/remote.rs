//! [`RemoteDesk`]: the service API over a connection to `trucban serve` (the multi-officer
//! mode). Each call is a frame with a request ID; one reader thread takes the daemon's
//! frames, hands each reply to the call waiting for it, and passes pushed changes to the
//! console through [`DeskApi::pushed`].

use crate::i18n::Said;
use std::collections::HashMap;
use std::io;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use serde_json::Value;

use super::wire::{self, Call, Message, Pushed, Request, WireError};
use super::{DeskApi, Result, ServiceError};

type Waiting = HashMap<u64, mpsc::SyncSender<std::result::Result<Value, WireError>>>;

/// Why the connection is gone: seen here, or said by the daemon (its `Bye`).
#[derive(Clone, Debug)]
enum Gone {
    Seen(Said),
    Said(WireError),
}

impl Gone {
    fn error(self) -> ServiceError {
        match self {
            Gone::Seen(why) => ServiceError::Daemon(why),
            Gone::Said(e) => e.into(),
        }
    }
}

/// What the reader thread and the callers share.
struct Shared {
    waiting: Mutex<Waiting>,
    /// Set when the connection is gone: why, for every later call.
    closed: Mutex<Option<Gone>>,
}

impl Shared {
    fn close(&self, why: Gone) {
        if let Ok(mut closed) = self.closed.lock() {
            closed.get_or_insert(why);
        }
        // Dropping the senders wakes every waiting call.
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.clear();
        }
    }

    fn closed(&self) -> Option<Gone> {
        self.closed.lock().ok().and_then(|c| c.clone())
    }
}

/// One connection to the daemon: where calls are written, and what its reader shares.
struct Link {
    writer: UnixStream,
    shared: Arc<Shared>,
}

pub struct RemoteDesk {
    socket: PathBuf,
    link: Arc<Mutex<Link>>,
    next_id: AtomicU64,
    pushed: Mutex<Option<mpsc::Receiver<Pushed>>>,
    /// Whether a lost link is connected again by itself ([`RemoteDesk::following`]); cleared
    /// when the desk is dropped, which ends the reader.
    follow: Arc<std::sync::atomic::AtomicBool>,
}

/// Waits between attempts to reconnect: quick at first (a daemon restarted by systemd is back
/// within a second or two), then every few seconds.
const RECONNECT_BACKOFF_MS: [u64; 6] = [250, 500, 1_000, 2_000, 4_000, 5_000];

/// Waits between attempts while the daemon refuses this user: the refusal is audited, and
/// an account comes back by an administrator's hand, not in seconds.
const REFUSED_RETRY_MS: u64 = 60_000;

/// Connects to `socket` and reads the daemon's greeting; the stream, ready for calls.
fn handshake(socket: &Path) -> Result<UnixStream> {
    let stream = UnixStream::connect(socket).map_err(|e| {
        let io = crate::i18n::io_error(&e);
        ServiceError::Daemon(Said::new(
            format!(
                "không kết nối được tới trucban serve tại {}: {}",
                socket.display(),
                io.vi
            ),
            format!(
                "cannot connect to trucban serve at {}: {}",
                socket.display(),
                io.en
            ),
        ))
    })?;
    greeted(stream, socket)
}

/// The daemon's greeting on `stream`: a daemon speaking another protocol, or refusing this
/// user, says so before any call.
fn greeted(stream: UnixStream, socket: &Path) -> Result<UnixStream> {
    let daemon = |e: io::Error| ServiceError::Daemon(at_socket(socket, &e));
    let mut reader = stream.try_clone().map_err(daemon)?;
    match wire::read_message(&mut reader, wire::MAX_REPLY) {
        Ok(Some(body)) => match wire::decode_message(&body)? {
            Message::Hello { protocol } if protocol == wire::PROTOCOL => Ok(stream),
            Message::Hello { protocol } => Err(ServiceError::Daemon(Said::new(
                format!(
                    "trucban serve tại {} dùng giao thức {protocol}, trucban này {}: chạy cùng một phiên bản",
                    socket.display(),
                    wire::PROTOCOL
                ),
                format!(
                    "trucban serve at {} speaks protocol {protocol}, this trucban {}: run the same version",
                    socket.display(),
                    wire::PROTOCOL
                ),
            ))),
            Message::Bye(bye) => Err(bye.error.into()),
            other => Err(ServiceError::Daemon(Said::new(
                format!(
                    "trucban serve tại {} mở đầu bằng {other:?} thay vì lời chào",
                    socket.display()
                ),
                format!(
                    "trucban serve at {} began with {other:?} instead of a greeting",
                    socket.display()
                ),
            ))),
        },
        Ok(None) => Err(ServiceError::Daemon(Said::new(
            format!("trucban serve tại {} đã đóng kết nối", socket.display()),
            format!(
                "trucban serve at {} closed the connection",
                socket.display()
            ),
        ))),
        Err(e) => Err(ServiceError::Daemon(Said::both(format!(
            "{}: {e}",
            socket.display()
        )))),
    }
}

/// `SOCKET: what the system said`, in both languages.
fn at_socket(socket: &std::path::Path, e: &io::Error) -> Said {
    let io = crate::i18n::io_error(e);
    Said::new(
        format!("{}: {}", socket.display(), io.vi),
        format!("{}: {}", socket.display(), io.en),
    )
}

fn poisoned_state() -> Said {
    Said::new(
        "trạng thái kết nối bị hỏng (lỗi trong trucban)",
        "the connection state is poisoned (a bug in trucban)",
    )
}

fn fresh_shared() -> Arc<Shared> {
    Arc::new(Shared {
        waiting: Mutex::new(HashMap::new()),
        closed: Mutex::new(None),
    })
}

impl RemoteDesk {
    /// Connects to the daemon at `socket` and checks its protocol version.
    pub fn connect(socket: &Path) -> Result<RemoteDesk> {
        Self::start(handshake(socket)?, socket)
    }

    /// The desk over a connected stream (`socket` names it in messages).
    pub fn over(stream: UnixStream, socket: &Path) -> Result<RemoteDesk> {
        Self::start(greeted(stream, socket)?, socket)
    }

    fn start(stream: UnixStream, socket: &Path) -> Result<RemoteDesk> {
        let daemon = |e: io::Error| ServiceError::Daemon(at_socket(socket, &e));
        let reader = stream.try_clone().map_err(daemon)?;
        let shared = fresh_shared();
        let link = Arc::new(Mutex::new(Link {
            writer: stream,
            shared: shared.clone(),
        }));
        let follow = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (pushed_tx, pushed_rx) = mpsc::channel();
        let reading = Reading {
            socket: socket.to_path_buf(),
            link: Arc::downgrade(&link),
            follow: follow.clone(),
            pushed: pushed_tx,
        };
        std::thread::Builder::new()
            .name("trucban-remote-reader".into())
            .spawn(move || reading.run(reader, shared))
            .map_err(daemon)?;
        Ok(RemoteDesk {
            socket: socket.to_path_buf(),
            link,
            next_id: AtomicU64::new(1),
            pushed: Mutex::new(Some(pushed_rx)),
            follow,
        })
    }

    /// This desk connects again by itself when the link is lost (the console's: it says
    /// [`Pushed::LinkLost`] at once, retries with backoff, and says [`Pushed::LinkBack`] on a
    /// new session). Calls made meanwhile fail at once with why.
    pub fn following(self) -> RemoteDesk {
        self.follow.store(true, Ordering::SeqCst);
        self
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// Sends `request` and waits for its reply.
    fn call(&self, request: Request) -> Result<Value> {
        let poisoned = || ServiceError::Daemon(poisoned_state());
        let mut link = self.link.lock().map_err(|_| poisoned())?;
        let shared = link.shared.clone();
        if let Some(why) = shared.closed() {
            return Err(why.error());
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::sync_channel(1);
        shared
            .waiting
            .lock()
            .map_err(|_| ServiceError::Daemon(poisoned_state()))?
            .insert(id, tx);
        let bytes = match wire::encode_within(&Call { id, request }, wire::MAX_REQUEST) {
            Ok(bytes) => bytes,
            Err(e) => {
                if let Ok(mut waiting) = shared.waiting.lock() {
                    waiting.remove(&id);
                }
                return Err(e.into());
            }
        };
        // Written under the link's lock (frames never interleave), answered outside it.
        let written = io::Write::write_all(&mut link.writer, &bytes);
        drop(link);
        if let Err(e) = written {
            if let Ok(mut waiting) = shared.waiting.lock() {
                waiting.remove(&id);
            }
            let io = crate::i18n::io_error(&e);
            let at = self.socket.display();
            let why = Said::new(
                format!("mất kết nối tới trucban serve tại {at}: {}", io.vi),
                format!("lost the connection to trucban serve at {at}: {}", io.en),
            );
            shared.close(Gone::Seen(why.clone()));
            return Err(ServiceError::Daemon(why));
        }
        match rx.recv() {
            Ok(result) => result.map_err(ServiceError::from),
            Err(_) => Err(shared
                .closed()
                .unwrap_or_else(|| {
                    Gone::Seen(Said::new(
                        format!(
                            "mất kết nối tới trucban serve tại {}",
                            self.socket.display()
                        ),
                        format!(
                            "lost the connection to trucban serve at {}",
                            self.socket.display()
                        ),
                    ))
                })
                .error()),
        }
    }
}

impl Drop for RemoteDesk {
    fn drop(&mut self) {
        // Ends the reader thread: it sees the end of the stream, and does not reconnect.
        self.follow.store(false, Ordering::SeqCst);
        if let Ok(link) = self.link.lock() {
            let _ = link.writer.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// The reader thread's own: where to reconnect, the link to renew, and where news goes.
struct Reading {
    socket: PathBuf,
    link: std::sync::Weak<Mutex<Link>>,
    follow: Arc<std::sync::atomic::AtomicBool>,
    pushed: mpsc::Sender<Pushed>,
}

impl Reading {
    fn following(&self) -> bool {
        self.follow.load(Ordering::SeqCst) && self.link.strong_count() > 0
    }

    /// Reads the link until it ends; a following desk then reconnects and reads on.
    fn run(self, mut reader: UnixStream, mut shared: Arc<Shared>) {
        loop {
            read_loop(reader, &shared, &self.pushed);
            if !self.following() || self.pushed.send(Pushed::LinkLost).is_err() {
                return;
            }
            let Some((next_reader, next_shared)) = self.reconnect() else {
                return;
            };
            reader = next_reader;
            shared = next_shared;
            if self.pushed.send(Pushed::LinkBack).is_err() {
                return;
            }
        }
    }

    /// Tries again and again, waiting longer each time, until a daemon greets it or the desk
    /// is dropped; swaps the new connection in for the calls.
    fn reconnect(&self) -> Option<(UnixStream, Arc<Shared>)> {
        let mut attempt = 0usize;
        let mut refused: Option<String> = None;
        loop {
            let wait = match refused {
                Some(_) => REFUSED_RETRY_MS,
                None => RECONNECT_BACKOFF_MS[attempt.min(RECONNECT_BACKOFF_MS.len() - 1)],
            };
            attempt += 1;
            // In short steps, so that a dropped desk ends this thread soon.
            for _ in 0..wait / 50 {
                if !self.following() {
                    return None;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            let stream = match handshake(&self.socket) {
                Ok(stream) => stream,
                // Nobody answers (yet): try again soon.
                Err(ServiceError::Daemon(_)) => continue,
                // The daemon answers and refuses: say why once, then try again slowly.
                Err(e) => {
                    let code = e.code();
                    if refused.as_ref() != Some(&code) {
                        let said = e.said();
                        let told = Pushed::LinkRefused {
                            code: code.clone(),
                            said,
                        };
                        if self.pushed.send(told).is_err() {
                            return None;
                        }
                        refused = Some(code);
                    }
                    continue;
                }
            };
            let Ok(reader) = stream.try_clone() else {
                continue;
            };
            let link = self.link.upgrade()?;
            let shared = fresh_shared();
            let mut current = link.lock().ok()?;
            *current = Link {
                writer: stream,
                shared: shared.clone(),
            };
            return Some((reader, shared));
        }
    }
}

fn read_loop(mut reader: UnixStream, shared: &Shared, pushed: &mpsc::Sender<Pushed>) {
    let why = loop {
        let body = match wire::read_message(&mut reader, wire::MAX_REPLY) {
            Ok(Some(body)) => body,
            Ok(None) => {
                break Gone::Seen(Said::new(
                    "trucban serve đã đóng kết nối",
                    "trucban serve closed the connection",
                ));
            }
            Err(e) => {
                break Gone::Seen(Said::new(
                    format!("mất kết nối tới trucban serve: {e}"),
                    format!("lost the connection to trucban serve: {e}"),
                ));
            }
        };
        match wire::decode_message(&body) {
            Ok(Message::Reply { id, result }) => {
                let waiter = shared.waiting.lock().ok().and_then(|mut w| w.remove(&id));
                if let Some(waiter) = waiter {
                    let _ = waiter.send(result.map_err(|failure| failure.error));
                }
            }
            // The console may not read them (a command-line call never does): nobody
            // listening is fine.
            // What the console's end says of the link is never taken from the daemon.
            Ok(Message::Pushed(change)) if change.about_the_link() => {}
            Ok(Message::Pushed(change)) => {
                let _ = pushed.send(change);
            }
            Ok(Message::Bye(bye)) => break Gone::Said(bye.error),
            Ok(Message::Hello { .. }) => {}
            Err(e) => {
                break Gone::Seen(Said::new(
                    format!("trucban serve gửi dữ liệu không đọc được: {e}"),
                    format!("trucban serve sent something unreadable: {e}"),
                ));
            }
        }
    };
    shared.close(why);
}

macro_rules! define_client {
    ($(
        $variant:ident fn $name:ident ( $( $arg:ident : $ty:ty $([$owned:ty])? ),* $(,)? )
            -> $ret:ty $(as $wire:ty)? { $($meta:tt)* }
    )*) => {
        impl DeskApi for RemoteDesk {
            $(
                fn $name(&self, $( $arg: $ty ),*) -> Result<$ret> {
                    let value = self.call(Request::$variant {
                        $( $arg: $crate::wire_take!($arg $(, $owned)?) ),*
                    })?;
                    $crate::wire_result_in!(value, $ret $(, $wire)?).map_err(|e| {
                        ServiceError::Daemon(Said::new(
                            format!(
                                "trucban serve trả lời {} bằng dữ liệu không mong đợi: {e}",
                                stringify!($name)
                            ),
                            format!(
                                "trucban serve answered {} with something unexpected: {e}",
                                stringify!($name)
                            ),
                        ))
                    })
                }
            )*

            fn pushed(&self) -> Option<mpsc::Receiver<Pushed>> {
                self.pushed.lock().ok().and_then(|mut p| p.take())
            }
        }
    };
}

crate::for_each_desk_method!(define_client);
