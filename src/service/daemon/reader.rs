//! One connection's incoming side: requests read with time limits and within the daemon's
//! byte budget for requests being read.
//!
//! Between requests a client may stay quiet up to the idle timeout. Once the first byte of a
//! request has come, the whole request must come within the frame timeout: a client that
//! sends half a frame and stops holds a thread and a buffer only that long. Bytes of requests
//! not yet complete are counted across every connection; past the daemon's budget the
//! client whose bytes pass it is closed ([`Closed::Busy`]) rather than let twenty half-sent
//! 8 MiB imports hold 160 MiB.

use std::io::{self, Read};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::super::wire::{self, Closed, FrameError};

/// The time limits a reader keeps.
#[derive(Clone, Copy, Debug)]
pub(super) struct Limits {
    pub idle: Option<Duration>,
    pub frame: Duration,
}

/// Why no request came.
pub(super) enum Ended {
    /// The client closed, or the connection broke.
    Gone,
    /// The daemon closes it, for this reason.
    Closed(Closed),
    /// A message longer than the protocol allows.
    TooLarge { len: u64, max: usize },
}

pub(super) struct TimedReader {
    stream: UnixStream,
    limits: Limits,
    /// When the request being read began (its first byte).
    began: Option<Instant>,
    /// Bytes of the request being read, counted in `in_flight`.
    counted: usize,
    in_flight: Arc<AtomicUsize>,
    budget: usize,
    timeout_set: Option<Option<Duration>>,
}

impl TimedReader {
    pub fn new(
        stream: UnixStream,
        limits: Limits,
        in_flight: Arc<AtomicUsize>,
        budget: usize,
    ) -> TimedReader {
        TimedReader {
            stream,
            limits,
            began: None,
            counted: 0,
            in_flight,
            budget,
            timeout_set: None,
        }
    }

    /// The next request's body.
    pub fn next_request(&mut self) -> Result<Vec<u8>, Ended> {
        self.release();
        let read = wire::read_message(self, wire::MAX_REQUEST);
        let ended = match read {
            Ok(Some(body)) => return Ok(body),
            Ok(None) => Ended::Gone,
            Err(FrameError::TooLarge { len, max }) => Ended::TooLarge { len, max },
            Err(FrameError::Io(e)) => match e.get_ref().and_then(|e| e.downcast_ref::<Closed>()) {
                Some(closed) => Ended::Closed(*closed),
                None if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
                {
                    Ended::Closed(if self.began.is_some() {
                        Closed::FrameTimeout
                    } else {
                        Closed::Idle
                    })
                }
                None => Ended::Gone,
            },
        };
        self.release();
        Err(ended)
    }

    /// The request is read (or abandoned): its bytes leave the daemon's count.
    pub fn release(&mut self) {
        self.in_flight.fetch_sub(self.counted, Ordering::SeqCst);
        self.counted = 0;
        self.began = None;
    }

    fn set_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        if self.timeout_set != Some(timeout) {
            self.stream.set_read_timeout(timeout)?;
            self.timeout_set = Some(timeout);
        }
        Ok(())
    }
}

impl Read for TimedReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let timeout = match self.began {
            None => self.limits.idle,
            Some(began) => {
                let left = self.limits.frame.saturating_sub(began.elapsed());
                if left.is_zero() {
                    return Err(io::Error::other(Closed::FrameTimeout));
                }
                // Whole milliseconds: the kernel rounds, and a zero timeout means "forever".
                Some(left.max(Duration::from_millis(1)))
            }
        };
        self.set_timeout(timeout)?;
        let n = self.stream.read(buf)?;
        if n > 0 {
            self.began.get_or_insert_with(Instant::now);
            self.counted += n;
            let now = self.in_flight.fetch_add(n, Ordering::SeqCst) + n;
            if now > self.budget {
                return Err(io::Error::other(Closed::Busy));
            }
        }
        Ok(n)
    }
}

impl Drop for TimedReader {
    fn drop(&mut self) {
        self.release();
    }
}
