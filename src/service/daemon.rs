//! `trucban serve`: one process owns the store and serves [`DeskApi`] to every console on
//! the host over a Unix socket (see [`super::wire`] for the protocol, [`socket`] for where
//! the socket lives).
//!
//! Each connection gets a reader thread (requests, answered in order on the officer's own
//! session, [`reader`]) and a writer thread fed by a queue bounded in bytes ([`client`]).
//! The kernel says who connected (`SO_PEERCRED`); a [`Gate`] turns that peer into a
//! session — [`OpenGate`] serves the shared desk to anyone, the session layer (identities,
//! roles, audit) plugs in here.
//!
//! After every request that wrote, the records it changed are pushed to every connection.
//! A push never waits: when a client's queue is full (a 3G link, or a client that stopped
//! reading), the change is dropped and one [`Pushed::Resync`] is sent once the queue moves,
//! so a slow client never slows the others nor grows the daemon's memory.
//!
//! What one client can make the daemon hold is bounded ([`Options`], `[daemon]` in the
//! config): connections in all and per OS user ([`limits`]), bytes of replies it leaves
//! unread, bytes of requests being read by everyone, time to finish a request it began, and
//! time without any request. Past a bound the daemon closes that connection, says why when
//! the client still reads ([`Closed`]), and audits it; the others go on.

mod client;
mod follow;
mod limits;
mod pool;
mod reader;
pub mod socket;

pub use client::ClientStats;

use std::collections::HashMap;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub use super::gate::{Gate, OpenGate, Peer, Session};
use super::wire::{self, Closed, Failure, Message, Pushed, WireError};
use super::{DeskApi, LocalDesk};
use client::{Bounds, Client, Frame};
use limits::{ClosingAudit, Connections};
use pool::Pool;
use reader::{Ended, Limits, TimedReader};

#[derive(Clone, Debug)]
pub struct Options {
    pub socket: PathBuf,
    /// Messages queued per client before pushes are dropped (and a resync sent later).
    pub queue_frames: usize,
    /// Bytes of replies and pushes held for one client that has not read them. A reply
    /// waits up to `stall` for the client to read below it; then the client is closed.
    pub reply_budget: usize,
    /// How long a reply waits for a client over its budget to read.
    pub stall: Duration,
    /// A client that takes longer than this to take one message is disconnected.
    pub write_timeout: Option<Duration>,
    /// The kernel's send buffer per connection (`SO_SNDBUF`), if not the system's default.
    pub send_buffer: Option<usize>,
    /// Changes pushed by ID up to this many; more become one resync.
    pub max_ids_per_push: usize,
    /// Connections held at once, in all and per OS user.
    pub max_connections: usize,
    pub max_per_user: usize,
    /// A request begun must be complete within this.
    pub frame_timeout: Duration,
    /// A connection without any request this long is closed (`None`: never).
    pub idle_timeout: Option<Duration>,
    /// Bytes of requests being read, all connections together.
    pub request_budget: usize,
    /// Threads that run requests, whoever sent them (a connection's own threads only move
    /// bytes).
    pub workers: usize,
    /// The language of what `serve` says on stderr.
    pub lang: crate::i18n::Lang,
}

impl Options {
    pub fn new(socket: PathBuf) -> Options {
        Options {
            socket,
            queue_frames: 64,
            reply_budget: 512 << 10,
            stall: Duration::from_secs(10),
            write_timeout: Some(Duration::from_secs(120)),
            send_buffer: None,
            max_ids_per_push: 500,
            max_connections: 512,
            max_per_user: 32,
            frame_timeout: Duration::from_secs(30),
            idle_timeout: Some(Duration::from_secs(24 * 3600)),
            request_budget: 32 << 20,
            workers: 16,
            lang: crate::i18n::Lang::default(),
        }
    }
}

struct Shared {
    desk: LocalDesk,
    gate: Arc<dyn Gate>,
    options: Options,
    clients: Mutex<HashMap<u64, Arc<Client>>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    connections: Arc<Connections>,
    /// Bytes of requests being read now, all connections together.
    reading: Arc<AtomicUsize>,
    closings: ClosingAudit,
    pool: Pool,
    /// The store generation whose changes have been pushed.
    pushed_generation: Mutex<u64>,
    /// Why the store does not answer, while it does not (said to every console, and to
    /// each one that connects meanwhile); `None` while it answers.
    store_away: Mutex<Option<crate::i18n::Said>>,
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

/// The frames of a push, shared by every client's queue.
fn push_frame(pushed: &Pushed) -> Option<Frame> {
    frame_of(&Message::Pushed(pushed.clone()))
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
        let pool = Pool::new(options.workers)?;
        let shared = Arc::new(Shared {
            desk,
            gate,
            options,
            clients: Mutex::new(HashMap::new()),
            threads: Mutex::new(Vec::new()),
            connections: Arc::new(Connections::default()),
            reading: Arc::new(AtomicUsize::new(0)),
            closings: ClosingAudit::default(),
            pool,
            pushed_generation: Mutex::new(generation),
            store_away: Mutex::new(None),
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
        let for_follow = shared.clone();
        let follow = std::thread::Builder::new()
            .name("trucban-follow".into())
            .spawn(move || follow::follow_loop(&for_follow))?;
        if let Ok(mut threads) = shared.threads.lock() {
            threads.push(follow);
        }
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

    /// Connections held now (admitted or being admitted).
    pub fn connections(&self) -> usize {
        self.shared.connections.total()
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
            client.close();
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
        self.shared.pool.stop();
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
        let peer = match Peer::of(&stream) {
            Ok(peer) => peer,
            Err(e) => {
                say_bye(
                    &stream,
                    WireError::Protocol(format!("cannot tell who is connecting: {e}")),
                );
                continue;
            }
        };
        // Counted before a thread is made: a flood of connections costs a refusal each.
        let options = &shared.options;
        let place =
            match shared
                .connections
                .take(peer.uid, options.max_connections, options.max_per_user)
            {
                Ok(place) => place,
                Err(why) => {
                    say_bye(&stream, WireError::Closed(why));
                    shared.closings.closed(&shared.desk, &peer, why);
                    continue;
                }
            };
        let for_client = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("trucban-client".into())
            .stack_size(CONNECTION_STACK)
            .spawn(move || {
                serve_client(stream, peer, &for_client);
                drop(place);
            });
        if let (Ok(handle), Ok(mut threads)) = (spawned, shared.threads.lock()) {
            threads.retain(|t| !t.is_finished());
            threads.push(handle);
        }
    }
}

/// A connection's own threads only move bytes (the service's work runs on the pool).
const CONNECTION_STACK: usize = 128 << 10;

/// Tells a client why it is turned away, without waiting on it.
fn say_bye(stream: &UnixStream, why: WireError) {
    let _ = stream.set_nonblocking(true);
    let mut out = stream;
    let _ = wire::write_message(&mut out, &Message::Bye(why.into()));
}

/// One connection, on its own thread: admit, greet, then answer requests until it ends.
fn serve_client(stream: UnixStream, peer: Peer, shared: &Arc<Shared>) {
    let options = &shared.options;
    if let Some(bytes) = options.send_buffer {
        let _ = nix::sys::socket::setsockopt(&stream, nix::sys::socket::sockopt::SndBuf, &bytes);
    }
    let _ = stream.set_write_timeout(options.write_timeout);
    let admitted = {
        let (shared, peer) = (shared.clone(), peer.clone());
        shared.clone().pool.run(move || {
            shared
                .gate
                .admit(&peer, &shared.desk)
                .map_err(WireError::from)
        })
    };
    let mut session = match admitted {
        Some(Ok(session)) => Some(session),
        Some(Err(e)) => {
            let mut greeting = &stream;
            let _ = wire::write_message(&mut greeting, &Message::Bye(e.into()));
            return;
        }
        None => return,
    };
    let (Ok(write_half), Ok(read_half), Ok(shutdown_half)) =
        (stream.try_clone(), stream.try_clone(), stream.try_clone())
    else {
        return;
    };
    let client = Arc::new(Client::new(
        peer.clone(),
        shutdown_half,
        Bounds {
            budget: options.reply_budget,
            queue_frames: options.queue_frames.max(1),
            stall: options.stall,
        },
    ));
    // The greeting is queued before the client is listed for pushes: a change pushed by
    // another officer's write must never reach it before the greeting.
    if let Some(hello) = frame_of(&Message::Hello {
        protocol: wire::PROTOCOL,
    }) {
        let _ = client.send(hello);
    }
    let id = shared.next_client.fetch_add(1, Ordering::Relaxed);
    follow::listen(shared, id, &client);
    let for_writer = client.clone();
    let writer = std::thread::Builder::new()
        .name("trucban-client-writer".into())
        .stack_size(CONNECTION_STACK)
        .spawn(move || client::write_loop(write_half, &for_writer));
    let mut reader = TimedReader::new(
        read_half,
        Limits {
            idle: options.idle_timeout,
            frame: options.frame_timeout,
        },
        shared.reading.clone(),
        options.request_budget,
    );
    let closed = loop {
        let body = match reader.next_request() {
            Ok(body) => body,
            Err(Ended::Gone) => break None,
            Err(Ended::Closed(why)) => break Some(why),
            Err(Ended::TooLarge { len, max }) => {
                // The stream cannot be followed past a message not read: say why and close.
                let too_large = WireError::TooLarge {
                    len,
                    max: max as u64,
                };
                if let Some(bye) = frame_of(&Message::Bye(too_large.into())) {
                    let _ = client.send(bye);
                }
                break None;
            }
        };
        client.requests.fetch_add(1, Ordering::Relaxed);
        reader.release();
        let (Some(mine), for_job) = (session.take(), shared.clone()) else {
            break None;
        };
        // `None`: the daemon is stopping, or the request panicked and the session went
        // with it; the connection ends like one the client closed.
        let Some((back, reply)) = shared.pool.run(move || {
            let reply = answer(mine.as_ref(), &body);
            // Pushed before the next request of anyone's is answered on this worker.
            follow::push_changes(&for_job);
            (mine, reply)
        }) else {
            break None;
        };
        session = Some(back);
        if let Err(why) = client.send(reply) {
            break why;
        }
    };
    if let Ok(mut clients) = shared.clients.lock() {
        clients.remove(&id);
    }
    match closed {
        // It does not read: nothing can be said to it, and its writer may be stuck in a
        // write, which the shutdown ends.
        Some(Closed::NotReading) => {
            client.close();
            let _ = client.stream.shutdown(std::net::Shutdown::Both);
        }
        // It closed its side: what waits for it is still written.
        None => client.drain(),
        // Said by its writer, after the message it may be writing.
        Some(why) => match frame_of(&Message::Bye(WireError::Closed(why).into())) {
            Some(bye) => {
                client.finish(bye);
                let _ = client.stream.shutdown(std::net::Shutdown::Read);
            }
            None => client.close(),
        },
    }
    let for_job = (shared.clone(), peer.clone());
    shared.pool.run(move || {
        let (shared, peer) = for_job;
        if let Some(why) = closed {
            shared.closings.closed(&shared.desk, &peer, why);
        }
        // The session (and its log-off) ends on a worker too.
        drop(session);
        shared.gate.left(&peer);
    });
    if let Ok(writer) = writer {
        let _ = writer.join();
    }
}

/// The reply to one request's body, as frames (an error reply if the answer cannot be
/// encoded or is larger than any client takes).
fn answer(session: &dyn DeskApi, body: &[u8]) -> Frame {
    let (id, result) = match wire::decode_call(body) {
        Ok(call) => (call.id, wire::dispatch(session, call.request)),
        Err(e) => (id_of_bad_call(body), Err(e)),
    };
    let reply = Message::Reply {
        id,
        result: result.map_err(Failure::from),
    };
    let frames = wire::encode(&reply).or_else(|e| {
        wire::encode(&Message::Reply {
            id,
            result: Err(e.into()),
        })
    });
    Arc::new(frames.unwrap_or_default())
}

/// The frames of any message the daemon sends.
fn frame_of(message: &Message) -> Option<Frame> {
    wire::encode(message).ok().map(Arc::new)
}

/// The request ID of a call that did not decode, if its JSON says one.
fn id_of_bad_call(body: &[u8]) -> u64 {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("id").and_then(serde_json::Value::as_u64))
        .unwrap_or(0)
}

/// After a request: if the store moved on, push what changed to every client.
/// `trucban serve`: opens the store, takes the socket, serves until SIGTERM or SIGINT, then
/// stops cleanly.
pub fn serve(desk: LocalDesk, gate: Arc<dyn Gate>, options: Options) -> anyhow::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ])?;
    let (socket, options_lang) = (options.socket.clone(), options.lang);
    let mut daemon = Daemon::start(desk, gate, options)?;
    let holder = daemon
        .desk()
        .store()
        .data_dir()
        .map(|d| d.join(crate::store::holder::FILE));
    if let Some(path) = holder {
        let mut note = crate::store::holder::Holder::current(daemon.desk().clock().now());
        note.socket = Some(socket.display().to_string());
        let _ = note.write(&path);
    }
    {
        use std::io::Write as _;
        let socket = socket.display();
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            options_lang.pick_owned(
                &format!("trucban serve: đang nghe tại {socket} (dừng bằng SIGTERM hoặc Ctrl-C)"),
                &format!("trucban serve: listening on {socket} (stop with SIGTERM or Ctrl-C)"),
            )
        );
    }
    let _ = signals.forever().next();
    daemon.stop()?;
    Ok(())
}
