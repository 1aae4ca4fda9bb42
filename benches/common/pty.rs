//! A console in an 80×24 pseudo-terminal, as an officer's SSH session gives it: what the
//! benchmarks that drive the real console share (first paint, idle bytes).

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{PtySize, native_pty_system};

#[path = "../../tests/common/console_command.rs"]
mod console_command;

pub const ROWS: NonZeroU16 = NonZeroU16::new(24).expect("24 is not 0");
pub const COLS: NonZeroU16 = NonZeroU16::new(80).expect("80 is not 0");
/// Longest wait for any one screen before the run is given up.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// The release `trucban`, or `TRUCBAN_BENCH_BIN` (to compare with another build).
pub fn binary() -> std::ffi::OsString {
    std::env::var_os("TRUCBAN_BENCH_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_trucban").into())
}

/// One console in a pty: its output arrives on `rx` with the time each chunk was read.
pub struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    rx: mpsc::Receiver<(Instant, Vec<u8>)>,
    parser: vt100::Parser,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    /// Starts the console on `store` (its `--data-dir` or `--database` arguments), opened
    /// on `view` (as `:` names it), with `extra` arguments; returns when it was spawned.
    pub fn start(
        store: &[&OsStr],
        view: &str,
        extra: &[&str],
        home: &Path,
    ) -> anyhow::Result<(Session, Instant)> {
        let pair = native_pty_system().openpty(PtySize {
            rows: ROWS.get(),
            cols: COLS.get(),
            pixel_width: 0,
            pixel_height: 0,
        })?;
        let mut cmd = console_command::console_command(binary(), home, view, store);
        cmd.args(extra);
        let mut reader = pair.master.try_clone_reader()?;
        let writer = pair.master.take_writer()?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        let spawned = Instant::now();
        let child = pair.slave.spawn_command(cmd)?;
        drop(pair.slave);
        Ok((
            Session {
                child,
                writer,
                rx,
                parser: vt100::Parser::new(ROWS, COLS, 0),
                _master: pair.master,
            },
            spawned,
        ))
    }

    /// Reads output until `done(screen)` holds; returns when the output that made it hold
    /// was read, and which answer `done` gave.
    pub fn until<T>(&mut self, mut done: impl FnMut(&str) -> Option<T>) -> Option<(Instant, T)> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let (at, bytes) = self.rx.recv_timeout(left).ok()?;
            // Looked at after every chunk: the time is that of the chunk that completed it.
            self.parser.process(&bytes);
            if let Some(found) = done(&self.parser.screen().contents()) {
                return Some((at, found));
            }
        }
    }

    /// Reads output until none has come for `quiet` (at most [`PATIENCE`]).
    pub fn settle(&mut self, quiet: Duration) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            match self.rx.recv_timeout(quiet) {
                Ok((_, bytes)) => self.parser.process(&bytes),
                Err(_) => return,
            }
        }
    }

    /// Everything written for `span` from now, as it was read: (when, bytes) per read.
    pub fn record(&mut self, span: Duration) -> Vec<(Instant, Vec<u8>)> {
        let deadline = Instant::now() + span;
        let mut out = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok((at, bytes)) => {
                    self.parser.process(&bytes);
                    out.push((at, bytes));
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        out
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    pub fn send(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.writer.write_all(bytes)?;
        self.writer.flush()?;
        Ok(())
    }

    /// `q`, then waits for the process to end (killing it after a while).
    pub fn quit(mut self) -> anyhow::Result<()> {
        // A lone ESC first closes whatever is open; the pause keeps it from reading as Alt.
        self.send(b"\x1b")?;
        std::thread::sleep(Duration::from_millis(300));
        self.send(b"q")?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.child.kill()?;
        self.child.wait()?;
        anyhow::bail!("trucban did not exit after `q`; killed it")
    }
}

/// The hint bar's `selected/shown` count, there once a view's rows are loaded.
pub fn hint_count(screen: &str) -> Option<(usize, usize)> {
    let hint = screen.lines().nth(usize::from(ROWS.get()) - 2)?;
    // Right-aligned at the end of the hint bar.
    let (selected, shown) = hint.split_whitespace().last()?.split_once('/')?;
    Some((selected.parse().ok()?, shown.parse().ok()?))
}
