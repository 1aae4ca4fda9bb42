//! `trucban serve`: one process owns the store and serves [`DeskApi`] to every console on
//! the host over a Unix socket (see [`super::wire`] for the protocol, [`socket`] for where
//! the socket lives).
//!
//! Each connection gets a reader thread (requests, answered in order on the officer's own
//! session) and a writer thread fed by a bounded queue. The kernel says who connected
//! (`SO_PEERCRED`); a [`Gate`] turns that peer into a session — [`OpenGate`] serves the
//! shared desk to anyone, the session layer (identities, roles, audit) plugs in here.
//!
//! After every request that wrote, the records it changed are pushed to every connection.
//! A push never waits: when a client's queue is full (a 3G link, or a client that stopped
//! reading), the change is dropped and one [`Pushed::Resync`] is sent once the queue moves,
//! so a slow client never slows the others nor grows the daemon's memory.

pub mod socket;

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use super::wire::{self, Message, Pushed, WireError};
use super::{DeskApi, LocalDesk, Result};

/// Who is on the other end of a connection, as the kernel says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    pub uid: u32,
    pub gid: u32,
    pub pid: i32,
    /// The OS user name of `uid`, if the system knows it.
    pub user: Option<String>,
}

impl Peer {
    /// The peer of a connected socket (`SO_PEERCRED`), its user name from the user database.
    pub fn of(stream: &UnixStream) -> std::io::Result<Peer> {
        let cred = nix::sys::socket::getsockopt(stream, nix::sys::socket::sockopt::PeerCredentials)
            .map_err(std::io::Error::from)?;
        let user = super::session::user_name(cred.uid());
        Ok(Peer {
            uid: cred.uid(),
            gid: cred.gid(),
            pid: cred.pid(),
            user,
        })
    }

    pub fn describe(&self) -> String {
        format!(
            "uid {} ({}) pid {}",
            self.uid,
            crate::domain::text::display_safe(self.user.as_deref().unwrap_or("?")),
            self.pid
        )
    }
}

/// A session for one connection: the desk its requests run on.
pub type Session = Box<dyn DeskApi + Send>;

/// Lets a peer in, with its own session, or refuses it (the refusal is sent to the client).
pub trait Gate: Send + Sync {
    fn admit(&self, peer: &Peer, desk: &LocalDesk) -> Result<Session>;
    /// The connection of an admitted peer ended (log-off).
    fn left(&self, _peer: &Peer) {}
}

/// Serves the shared desk to anyone who can open the socket (the directory and socket modes
/// decide who can): the embedded mode's rules, shared.
pub struct OpenGate;

impl Gate for OpenGate {
    fn admit(&self, _peer: &Peer, desk: &LocalDesk) -> Result<Session> {
        Ok(Box::new(desk.clone()))
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    pub socket: PathBuf,
    /// Frames queued per client before pushes are dropped (and a resync sent later).
    pub queue_frames: usize,
    /// A client that takes longer than this to take one frame is disconnected.
    pub write_timeout: Option<Duration>,
    /// The kernel's send buffer per connection (`SO_SNDBUF`), if not the system's default.
    pub send_buffer: Option<usize>,
    /// Changes pushed by ID up to this many; more become one resync.
    pub max_ids_per_push: usize,
}

impl Options {
    pub fn new(socket: PathBuf) -> Options {
        Options {
            socket,
            queue_frames: 64,
            write_timeout: Some(Duration::from_secs(120)),
            send_buffer: None,
            max_ids_per_push: 500,
        }
    }
}

/// One connection's queue, as seen from outside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientStats {
    pub peer: Peer,
    /// Frames waiting for the client now, with the one being written.
    pub held_frames: usize,
    /// The most frames ever held for it; never above `queue_frames + 1`.
    pub max_held_frames: usize,
    pub held_bytes: usize,
    pub max_held_bytes: usize,
    /// Pushes dropped because its queue was full.
    pub dropped_pushes: u64,
    pub requests: u64,
}

type Frame = Arc<Vec<u8>>;

/// One connection's counters, shared by its reader (who queues) and its writer.
#[derive(Default)]
struct Counters {
    held_frames: AtomicI64,
    max_held_frames: AtomicUsize,
    held_bytes: AtomicI64,
    max_held_bytes: AtomicUsize,
    dropped: AtomicU64,
    requests: AtomicU64,
    /// A push was dropped: the writer sends a resync after its next frame.
    resync: AtomicBool,
}

impl Counters {
    fn counted(&self, frame: &Frame) {
        let frames = self.held_frames.fetch_add(1, Ordering::SeqCst) + 1;
        let bytes = self
            .held_bytes
            .fetch_add(frame.len() as i64, Ordering::SeqCst)
            + frame.len() as i64;
        self.max_held_frames
            .fetch_max(usize::try_from(frames).unwrap_or(0), Ordering::SeqCst);
        self.max_held_bytes
            .fetch_max(usize::try_from(bytes).unwrap_or(0), Ordering::SeqCst);
    }

    /// Written to the socket, or never queued.
    fn written(&self, frame: &Frame) {
        self.held_frames.fetch_sub(1, Ordering::SeqCst);
        self.held_bytes
            .fetch_sub(frame.len() as i64, Ordering::SeqCst);
    }
}

/// The queue side of a connection. The writer thread holds only the receiver and the
/// counters, so the queue closes when the reader and the daemon's list let go of this.
struct Client {
    peer: Peer,
    tx: mpsc::SyncSender<Frame>,
    stream: UnixStream,
    counters: Arc<Counters>,
}

impl Client {
    /// A reply: may wait for room, holding up only this client's own requests.
    fn send(&self, frame: Frame) -> bool {
        let counted = frame.clone();
        match self.tx.send(frame) {
            // Counted once queued (the writer may count it out first: the tally only ever
            // lags behind what is held, never runs ahead of it).
            Ok(()) => {
                self.counters.counted(&counted);
                true
            }
            Err(_) => false,
        }
    }

    /// A push: never waits; dropped (and a resync owed) when the queue is full.
    fn push(&self, frame: &Frame) {
        match self.tx.try_send(frame.clone()) {
            Ok(()) => self.counters.counted(frame),
            Err(_) => {
                self.counters.dropped.fetch_add(1, Ordering::Relaxed);
                self.counters.resync.store(true, Ordering::SeqCst);
            }
        }
    }

    fn stats(&self) -> ClientStats {
        let c = &self.counters;
        ClientStats {
            peer: self.peer.clone(),
            held_frames: usize::try_from(c.held_frames.load(Ordering::SeqCst)).unwrap_or(0),
            max_held_frames: c.max_held_frames.load(Ordering::SeqCst),
            held_bytes: usize::try_from(c.held_bytes.load(Ordering::SeqCst)).unwrap_or(0),
            max_held_bytes: c.max_held_bytes.load(Ordering::SeqCst),
            dropped_pushes: c.dropped.load(Ordering::Relaxed),
            requests: c.requests.load(Ordering::Relaxed),
        }
    }
}

struct Shared {
    desk: LocalDesk,
    gate: Arc<dyn Gate>,
    options: Options,
    clients: Mutex<HashMap<u64, Arc<Client>>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    /// The store generation whose changes have been pushed.
    pushed_generation: Mutex<u64>,
    stopping: AtomicBool,
    next_client: AtomicU64,
}

/// A running daemon. [`Daemon::stop`] (or dropping it) closes every connection, syncs the
/// store and removes the socket.
pub struct Daemon {
    shared: Arc<Shared>,
    /// The listening socket, shut down to wake the accept loop when stopping.
    listener: UnixListener,
    accept: Option<JoinHandle<()>>,
    stopped: bool,
}

/// The frame of a push, shared by every client's queue.
fn push_frame(pushed: &Pushed) -> Option<Frame> {
    wire::encode(&Message::Pushed(pushed.clone()))
        .ok()
        .map(Arc::new)
}

impl Daemon {
    /// Takes the socket and starts serving `desk` through `gate`.
    pub fn start(desk: LocalDesk, gate: Arc<dyn Gate>, options: Options) -> anyhow::Result<Daemon> {
        let listener = socket::bind(&options.socket)?;
        // A backup written by the daemon never lands beside its socket.
        let desk = match options.socket.parent() {
            Some(dir) => desk.guarding(dir),
            None => desk,
        };
        let generation = desk.store().generation()?;
        let shared = Arc::new(Shared {
            desk,
            gate,
            options,
            clients: Mutex::new(HashMap::new()),
            threads: Mutex::new(Vec::new()),
            pushed_generation: Mutex::new(generation),
            stopping: AtomicBool::new(false),
            next_client: AtomicU64::new(1),
        });
        // The search index loads while the first officers connect.
        shared.desk.warm_up();
        let for_accept = shared.clone();
        let wake = listener.try_clone()?;
        let accept = std::thread::Builder::new()
            .name("trucban-accept".into())
            .spawn(move || accept_loop(&listener, &for_accept))?;
        Ok(Daemon {
            shared,
            listener: wake,
            accept: Some(accept),
            stopped: false,
        })
    }

    pub fn socket(&self) -> &Path {
        &self.shared.options.socket
    }

    pub fn desk(&self) -> &LocalDesk {
        &self.shared.desk
    }

    /// Every connected client's queue.
    pub fn clients(&self) -> Vec<ClientStats> {
        self.shared
            .clients
            .lock()
            .map(|c| c.values().map(|c| c.stats()).collect())
            .unwrap_or_default()
    }

    /// Stops accepting, closes every connection, syncs the store and removes the socket.
    pub fn stop(&mut self) -> anyhow::Result<()> {
        if self.stopped {
            return Ok(());
        }
        self.stopped = true;
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees `stopping` (on Linux, shutting a listening
        // socket down ends a waiting accept; the connection covers the other systems).
        let _ = nix::sys::socket::shutdown(
            std::os::fd::AsRawFd::as_raw_fd(&self.listener),
            nix::sys::socket::Shutdown::Both,
        );
        drop(UnixStream::connect(&self.shared.options.socket));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        let clients: Vec<Arc<Client>> = self
            .shared
            .clients
            .lock()
            .map(|c| c.values().cloned().collect())
            .unwrap_or_default();
        for client in clients {
            let _ = client.stream.shutdown(std::net::Shutdown::Both);
        }
        let threads = std::mem::take(
            &mut *self
                .shared
                .threads
                .lock()
                .map_err(|_| anyhow::anyhow!("daemon state poisoned"))?,
        );
        for thread in threads {
            let _ = thread.join();
        }
        let _ = std::fs::remove_file(&self.shared.options.socket);
        self.shared.desk.store().sync_now()?;
        Ok(())
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

fn accept_loop(listener: &UnixListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let for_client = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("trucban-client".into())
            .spawn(move || serve_client(stream, &for_client));
        if let (Ok(handle), Ok(mut threads)) = (spawned, shared.threads.lock()) {
            threads.retain(|t| !t.is_finished());
            threads.push(handle);
        }
    }
}

/// One connection, on its own thread: greet, admit, then answer requests until it ends.
fn serve_client(stream: UnixStream, shared: &Arc<Shared>) {
    let options = &shared.options;
    if let Some(bytes) = options.send_buffer {
        let _ = nix::sys::socket::setsockopt(&stream, nix::sys::socket::sockopt::SndBuf, &bytes);
    }
    let _ = stream.set_write_timeout(options.write_timeout);
    let mut greeting = &stream;
    let peer = match Peer::of(&stream) {
        Ok(peer) => peer,
        Err(e) => {
            let _ = wire::write_message(
                &mut greeting,
                &Message::Bye(WireError::Protocol(format!(
                    "cannot tell who is connecting: {e}"
                ))),
            );
            return;
        }
    };
    let session = match shared.gate.admit(&peer, &shared.desk) {
        Ok(session) => session,
        Err(e) => {
            let _ = wire::write_message(&mut greeting, &Message::Bye(e.into()));
            return;
        }
    };
    let (Ok(write_half), Ok(mut read_half), Ok(shutdown_half)) =
        (stream.try_clone(), stream.try_clone(), stream.try_clone())
    else {
        return;
    };
    let (tx, rx) = mpsc::sync_channel::<Frame>(options.queue_frames.max(1));
    let counters = Arc::new(Counters::default());
    let client = Arc::new(Client {
        peer: peer.clone(),
        tx,
        stream: shutdown_half,
        counters: counters.clone(),
    });
    let hello = wire::encode(&Message::Hello {
        protocol: wire::PROTOCOL,
    })
    .map(Arc::new);
    // The greeting is queued before the client is listed for pushes: a change pushed by
    // another officer's write must never reach it before the greeting (the queue holds at
    // least one frame, so this does not wait for the writer thread).
    if let Ok(hello) = hello {
        client.send(hello);
    }
    let id = shared.next_client.fetch_add(1, Ordering::Relaxed);
    if let Ok(mut clients) = shared.clients.lock() {
        clients.insert(id, client.clone());
    }
    let writer = std::thread::Builder::new()
        .name("trucban-client-writer".into())
        .spawn(move || write_loop(write_half, &rx, &counters));
    loop {
        let body = match wire::read_frame(&mut read_half, wire::MAX_FRAME) {
            Ok(Some(body)) => body,
            Ok(None) => break,
            Err(wire::FrameError::TooLarge { len, max }) => {
                // The stream cannot be followed past a frame not read: say why and close.
                if let Ok(bye) = wire::encode(&Message::Bye(WireError::TooLarge {
                    len,
                    max: max as u64,
                })) {
                    client.send(Arc::new(bye));
                }
                break;
            }
            Err(wire::FrameError::Io(_)) => break,
        };
        client.counters.requests.fetch_add(1, Ordering::Relaxed);
        let reply = match wire::decode_call(&body) {
            Ok(call) => Message::Reply {
                id: call.id,
                result: wire::dispatch(session.as_ref(), call.request),
            },
            Err(e) => Message::Reply {
                id: id_of_bad_call(&body),
                result: Err(e),
            },
        };
        let frame = match wire::encode(&reply) {
            Ok(frame) => frame,
            Err(e) => {
                let Message::Reply { id, .. } = reply else {
                    break;
                };
                match wire::encode(&Message::Reply { id, result: Err(e) }) {
                    Ok(frame) => frame,
                    Err(_) => break,
                }
            }
        };
        if !client.send(Arc::new(frame)) {
            break;
        }
        push_changes(shared);
    }
    if let Ok(mut clients) = shared.clients.lock() {
        clients.remove(&id);
    }
    let _ = client.stream.shutdown(std::net::Shutdown::Both);
    drop(client);
    if let Ok(writer) = writer {
        let _ = writer.join();
    }
    shared.gate.left(&peer);
}

/// The request ID of a call that did not decode, if its JSON says one.
fn id_of_bad_call(body: &[u8]) -> u64 {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("id").and_then(serde_json::Value::as_u64))
        .unwrap_or(0)
}

fn write_loop(mut stream: UnixStream, rx: &mpsc::Receiver<Frame>, client: &Counters) {
    let resync = push_frame(&Pushed::Resync);
    for frame in rx {
        let written = stream.write_all(&frame);
        client.written(&frame);
        if written.is_err() {
            break;
        }
        if client.resync.swap(false, Ordering::SeqCst)
            && let Some(resync) = &resync
            && stream.write_all(resync).is_err()
        {
            break;
        }
    }
    // A client that cannot be written to is gone: its reader sees the end too.
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// After a request: if the store moved on, push what changed to every client.
fn push_changes(shared: &Shared) {
    let store = shared.desk.store();
    let Ok(now) = store.generation() else { return };
    let Ok(mut pushed) = shared.pushed_generation.lock() else {
        return;
    };
    if now <= *pushed {
        return;
    }
    let ids: Vec<_> = store
        .changes_since(*pushed)
        .map(|changes| changes.into_iter().map(|(id, _)| id).collect())
        .unwrap_or_default();
    *pushed = now;
    // None found (a bulk write, or a log pruned meanwhile) or too many: reload everything.
    let change = if ids.is_empty() || ids.len() > shared.options.max_ids_per_push {
        Pushed::Resync
    } else {
        Pushed::Changed { ids }
    };
    let Some(frame) = push_frame(&change) else {
        return;
    };
    if let Ok(clients) = shared.clients.lock() {
        for client in clients.values() {
            client.push(&frame);
        }
    }
}

/// `trucban serve`: opens the store, takes the socket, serves until SIGTERM or SIGINT, then
/// stops cleanly.
pub fn serve(desk: LocalDesk, gate: Arc<dyn Gate>, options: Options) -> anyhow::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ])?;
    let socket = options.socket.clone();
    let mut daemon = Daemon::start(desk, gate, options)?;
    let holder = daemon
        .desk()
        .store()
        .dir()
        .parent()
        .map(|d| d.join(crate::store::holder::FILE));
    if let Some(path) = holder {
        let mut note = crate::store::holder::Holder::current(daemon.desk().clock().now());
        note.socket = Some(socket.display().to_string());
        let _ = note.write(&path);
    }
    {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "trucban serve: listening on {} (stop with SIGTERM or Ctrl-C)",
            socket.display()
        );
    }
    let _ = signals.forever().next();
    daemon.stop()?;
    Ok(())
}
