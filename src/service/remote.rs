//! [`RemoteDesk`]: the service API over a connection to `trucban serve` (the multi-officer
//! mode). Each call is a frame with a request ID; one reader thread takes the daemon's
//! frames, hands each reply to the call waiting for it, and passes pushed changes to the
//! console through [`DeskApi::pushed`].

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
    Seen(String),
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

pub struct RemoteDesk {
    socket: PathBuf,
    writer: Mutex<UnixStream>,
    shared: Arc<Shared>,
    next_id: AtomicU64,
    pushed: Mutex<Option<mpsc::Receiver<Pushed>>>,
}

impl RemoteDesk {
    /// Connects to the daemon at `socket` and checks its protocol version.
    pub fn connect(socket: &Path) -> Result<RemoteDesk> {
        let stream = UnixStream::connect(socket).map_err(|e| {
            ServiceError::Daemon(format!(
                "cannot connect to trucban serve at {}: {e}",
                socket.display()
            ))
        })?;
        Self::over(stream, socket)
    }

    /// The desk over a connected stream (`socket` names it in messages).
    pub fn over(stream: UnixStream, socket: &Path) -> Result<RemoteDesk> {
        let daemon = |e: io::Error| ServiceError::Daemon(format!("{}: {e}", socket.display()));
        let mut reader = stream.try_clone().map_err(daemon)?;
        // The greeting first: a daemon speaking another protocol, or refusing this user,
        // says so before any call.
        match wire::read_message(&mut reader, wire::MAX_REPLY) {
            Ok(Some(body)) => match wire::decode_message(&body)? {
                Message::Hello { protocol } if protocol == wire::PROTOCOL => {}
                Message::Hello { protocol } => {
                    return Err(ServiceError::Daemon(format!(
                        "trucban serve at {} speaks protocol {protocol}, this trucban {}: run the same version",
                        socket.display(),
                        wire::PROTOCOL
                    )));
                }
                Message::Bye(e) => return Err(e.into()),
                other => {
                    return Err(ServiceError::Daemon(format!(
                        "trucban serve at {} began with {other:?} instead of a greeting",
                        socket.display()
                    )));
                }
            },
            Ok(None) => {
                return Err(ServiceError::Daemon(format!(
                    "trucban serve at {} closed the connection",
                    socket.display()
                )));
            }
            Err(e) => return Err(ServiceError::Daemon(format!("{}: {e}", socket.display()))),
        }
        let shared = Arc::new(Shared {
            waiting: Mutex::new(HashMap::new()),
            closed: Mutex::new(None),
        });
        let (pushed_tx, pushed_rx) = mpsc::channel();
        let for_reader = shared.clone();
        std::thread::Builder::new()
            .name("trucban-remote-reader".into())
            .spawn(move || read_loop(reader, &for_reader, &pushed_tx))
            .map_err(daemon)?;
        Ok(RemoteDesk {
            socket: socket.to_path_buf(),
            writer: Mutex::new(stream),
            shared,
            next_id: AtomicU64::new(1),
            pushed: Mutex::new(Some(pushed_rx)),
        })
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// Sends `request` and waits for its reply.
    fn call(&self, request: Request) -> Result<Value> {
        if let Some(why) = self.shared.closed() {
            return Err(why.error());
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::sync_channel(1);
        self.shared
            .waiting
            .lock()
            .map_err(|_| ServiceError::Daemon("the connection state is poisoned".into()))?
            .insert(id, tx);
        let bytes = match wire::encode_within(&Call { id, request }, wire::MAX_REQUEST) {
            Ok(bytes) => bytes,
            Err(e) => {
                if let Ok(mut waiting) = self.shared.waiting.lock() {
                    waiting.remove(&id);
                }
                return Err(e.into());
            }
        };
        let written = {
            let mut writer = self
                .writer
                .lock()
                .map_err(|_| ServiceError::Daemon("the connection state is poisoned".into()))?;
            io::Write::write_all(&mut *writer, &bytes)
        };
        if let Err(e) = written {
            if let Ok(mut waiting) = self.shared.waiting.lock() {
                waiting.remove(&id);
            }
            let why = format!(
                "lost the connection to trucban serve at {}: {e}",
                self.socket.display()
            );
            self.shared.close(Gone::Seen(why.clone()));
            return Err(ServiceError::Daemon(why));
        }
        match rx.recv() {
            Ok(result) => result.map_err(ServiceError::from),
            Err(_) => Err(self
                .shared
                .closed()
                .unwrap_or_else(|| {
                    Gone::Seen(format!(
                        "lost the connection to trucban serve at {}",
                        self.socket.display()
                    ))
                })
                .error()),
        }
    }
}

impl Drop for RemoteDesk {
    fn drop(&mut self) {
        // Ends the reader thread: it sees the end of the stream.
        if let Ok(writer) = self.writer.lock() {
            let _ = writer.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn read_loop(mut reader: UnixStream, shared: &Shared, pushed: &mpsc::Sender<Pushed>) {
    let why = loop {
        let body = match wire::read_message(&mut reader, wire::MAX_REPLY) {
            Ok(Some(body)) => body,
            Ok(None) => break Gone::Seen("trucban serve closed the connection".to_string()),
            Err(e) => break Gone::Seen(format!("lost the connection to trucban serve: {e}")),
        };
        match wire::decode_message(&body) {
            Ok(Message::Reply { id, result }) => {
                let waiter = shared.waiting.lock().ok().and_then(|mut w| w.remove(&id));
                if let Some(waiter) = waiter {
                    let _ = waiter.send(result);
                }
            }
            // The console may not read them (a command-line call never does): nobody
            // listening is fine.
            Ok(Message::Pushed(change)) => {
                let _ = pushed.send(change);
            }
            Ok(Message::Bye(e)) => break Gone::Said(e),
            Ok(Message::Hello { .. }) => {}
            Err(e) => break Gone::Seen(format!("trucban serve sent something unreadable: {e}")),
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
                        ServiceError::Daemon(format!(
                            "trucban serve answered {} with something unexpected: {e}",
                            stringify!($name)
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
