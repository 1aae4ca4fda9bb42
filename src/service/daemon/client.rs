//! One connection's outgoing side: a queue of whole messages, bounded in bytes, and the
//! writer thread that empties it into the socket.
//!
//! A reply may wait for room: while the bytes held for the client pass its budget, the
//! request's thread waits (up to the stall time) for the writer to move; a client that still
//! has not read by then does not read at all and is closed ([`Closed::NotReading`]). So one
//! client holds at most its budget plus one reply, however many requests it sends unread.
//! A push never waits: when it would pass the budget, or the queue holds
//! [`super::Options::queue_frames`] messages, it is dropped and one resync is owed (sent
//! after the next message), so a slow client never slows the others.

use std::collections::VecDeque;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::super::wire::{Closed, Pushed};
use super::{Peer, push_frame};

/// One message's frames, shared by every queue it is pushed to.
pub(super) type Frame = Arc<Vec<u8>>;

/// One connection's queue, as seen from outside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientStats {
    pub peer: Peer,
    /// Messages waiting for the client now, with the one being written.
    pub held_frames: usize,
    /// The most messages ever held for it.
    pub max_held_frames: usize,
    pub held_bytes: usize,
    pub max_held_bytes: usize,
    /// Pushes dropped because its queue was full.
    pub dropped_pushes: u64,
    pub requests: u64,
}

#[derive(Default)]
struct Held {
    waiting: VecDeque<Frame>,
    /// Messages and bytes held: those waiting and the one being written.
    frames: usize,
    bytes: usize,
    max_frames: usize,
    max_bytes: usize,
    /// A push was dropped: a resync goes after the next message.
    resync: bool,
    closed: bool,
}

impl Held {
    fn add(&mut self, frame: Frame) {
        self.frames += 1;
        self.bytes += frame.len();
        self.max_frames = self.max_frames.max(self.frames);
        self.max_bytes = self.max_bytes.max(self.bytes);
        self.waiting.push_back(frame);
    }
}

/// How often a reply waiting for a client over its budget looks again.
const STALL_POLL: Duration = Duration::from_millis(5);

/// The bounds a queue keeps.
#[derive(Clone, Copy, Debug)]
pub(super) struct Bounds {
    pub budget: usize,
    pub queue_frames: usize,
    pub stall: Duration,
}

/// The queue side of a connection, shared by its request thread, the pushes of every other
/// request, and its writer thread.
pub(super) struct Client {
    pub peer: Peer,
    /// Shut down to end both directions (the daemon stopping, or the client closed).
    pub stream: UnixStream,
    bounds: Bounds,
    held: Mutex<Held>,
    moved: Condvar,
    dropped: AtomicU64,
    pub requests: AtomicU64,
}

impl Client {
    pub fn new(peer: Peer, stream: UnixStream, bounds: Bounds) -> Client {
        Client {
            peer,
            stream,
            bounds,
            held: Mutex::new(Held::default()),
            moved: Condvar::new(),
            dropped: AtomicU64::new(0),
            requests: AtomicU64::new(0),
        }
    }

    /// A reply (or the greeting): waits while the client is over its budget, up to the
    /// stall time. `Err` when the client is gone or does not read.
    pub fn send(&self, frame: Frame) -> Result<(), Option<Closed>> {
        let Ok(mut held) = self.held.lock() else {
            return Err(None);
        };
        let began = Instant::now();
        while held.bytes > self.bounds.budget && !held.closed {
            if began.elapsed() >= self.bounds.stall {
                return Err(Some(Closed::NotReading));
            }
            // Polled with a relative sleep, not a timed wait on the condition: a timed wait
            // takes an absolute deadline on the monotonic clock, which a moved clock
            // (libfaketime, as the CI's second run uses) puts years away. Only a client over
            // its budget ever waits here.
            drop(held);
            std::thread::sleep(STALL_POLL);
            held = self.held.lock().map_err(|_| None)?;
        }
        if held.closed {
            return Err(None);
        }
        held.add(frame);
        self.moved.notify_all();
        Ok(())
    }

    /// A push: never waits; dropped, with a resync owed, when it does not fit.
    pub fn push(&self, frame: &Frame) {
        let Ok(mut held) = self.held.lock() else {
            return;
        };
        if held.closed {
            return;
        }
        if held.frames >= self.bounds.queue_frames || held.bytes + frame.len() > self.bounds.budget
        {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            held.resync = true;
            return;
        }
        held.add(frame.clone());
        self.moved.notify_all();
    }

    /// Ends the queue with `bye`: the writer writes it (after the message it is writing,
    /// instead of the others waiting) and stops.
    pub fn finish(&self, bye: Frame) {
        if let Ok(mut held) = self.held.lock() {
            if held.closed {
                return;
            }
            held.closed = true;
            held.waiting.clear();
            held.waiting.push_back(bye);
        }
        self.moved.notify_all();
    }

    /// Ends the queue once the writer has written what waits (the client closed its side,
    /// and may still read the replies to what it sent).
    pub fn drain(&self) {
        if let Ok(mut held) = self.held.lock() {
            held.closed = true;
        }
        self.moved.notify_all();
    }

    /// Ends the queue: the writer stops after the message it is writing.
    pub fn close(&self) {
        if let Ok(mut held) = self.held.lock() {
            held.closed = true;
            held.waiting.clear();
        }
        self.moved.notify_all();
    }

    /// The next message to write, waiting for one; `None` once closed.
    fn next(&self) -> Option<Frame> {
        let mut held = self.held.lock().ok()?;
        loop {
            // After `finish`, its bye is the one message left.
            if let Some(frame) = held.waiting.pop_front() {
                return Some(frame);
            }
            if held.closed {
                return None;
            }
            held = self.moved.wait(held).ok()?;
        }
    }

    /// `frame` is out of the daemon; says whether a resync is owed now.
    fn written(&self, frame: &Frame) -> bool {
        let Ok(mut held) = self.held.lock() else {
            return false;
        };
        held.frames = held.frames.saturating_sub(1);
        held.bytes = held.bytes.saturating_sub(frame.len());
        self.moved.notify_all();
        std::mem::take(&mut held.resync)
    }

    pub fn stats(&self) -> ClientStats {
        let held = self.held.lock();
        let (frames, bytes, max_frames, max_bytes) = held
            .map(|h| (h.frames, h.bytes, h.max_frames, h.max_bytes))
            .unwrap_or_default();
        ClientStats {
            peer: self.peer.clone(),
            held_frames: frames,
            max_held_frames: max_frames,
            held_bytes: bytes,
            max_held_bytes: max_bytes,
            dropped_pushes: self.dropped.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
        }
    }
}

/// The writer thread: whole messages, in order, each in one write.
pub(super) fn write_loop(mut stream: UnixStream, client: &Client) {
    let resync = push_frame(&Pushed::Resync);
    while let Some(frame) = client.next() {
        let written = stream.write_all(&frame);
        let owed = client.written(&frame);
        if written.is_err() {
            break;
        }
        if owed
            && let Some(resync) = &resync
            && stream.write_all(resync).is_err()
        {
            break;
        }
    }
    // A client that cannot be written to is gone: its reader sees the end too.
    client.close();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}
