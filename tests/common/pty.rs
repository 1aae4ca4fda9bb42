//! trucban in a real terminal (an 80×24 pty) for the tests that drive the binary as an
//! officer's SSH session does: output read in a thread from a non-blocking copy of the pty
//! master, so that a test can close every copy of the master when it chooses — the hang-up.
//! (The writer of portable-pty is not used: dropping it types Enter and Ctrl-D into the
//! terminal, which a real dropped link does not.)

#![allow(clippy::panic)] // test helpers fail loudly by design

use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::{BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long the console may take to leave once the link is gone or it is told to.
pub const EXIT_LIMIT: Duration = Duration::from_secs(2);
/// The first screen: opening the store (and loading the sample for `demo`), unoptimised.
pub const FIRST_SCREEN: Duration = Duration::from_secs(20);
pub const POLL: Duration = Duration::from_millis(5);

/// trucban running in an 80×24 pty.
pub struct Console {
    child: Box<dyn Child + Send + Sync>,
    /// `None` once the terminal is closed (hung up).
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<File>,
    reader: Option<JoinHandle<()>>,
    stop_reading: Arc<AtomicBool>,
    output: Arc<Mutex<Vec<u8>>>,
}

impl Console {
    /// Starts `trucban ARGS` in a new pty; `home` keeps it away from the user's own keymap,
    /// themes and data.
    pub fn start(home: &Path, args: &[&str]) -> Console {
        Console::start_command(super::trucban_command(home, args))
    }

    /// Starts `cmd` (a shell around trucban, say) in a new pty.
    pub fn start_command(cmd: portable_pty::CommandBuilder) -> Console {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let child = pair
            .slave
            .spawn_command(cmd)
            .expect("spawn trucban in the pty");
        // Only the child holds the terminal side: when it exits, reading the master ends.
        drop(pair.slave);

        let writer = master_copy(pair.master.as_ref());
        let mut reader = master_copy(pair.master.as_ref());
        let stop_reading = Arc::new(AtomicBool::new(false));
        let output = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let stop = Arc::clone(&stop_reading);
            let output = Arc::clone(&output);
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) => return,
                        Ok(n) => output
                            .lock()
                            .expect("output lock")
                            .extend_from_slice(&buf[..n]),
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        Err(e) if e.kind() == ErrorKind::WouldBlock => {
                            // Everything written so far is read: stop here if asked.
                            if stop.load(Ordering::SeqCst) {
                                return;
                            }
                            std::thread::sleep(POLL);
                        }
                        // EIO: the terminal side is closed (the child has exited).
                        Err(_) => return,
                    }
                }
            })
        };
        Console {
            child,
            master: Some(pair.master),
            writer: Some(writer),
            reader: Some(reader),
            stop_reading,
            output,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// Everything the console wrote so far.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().expect("output lock").clone()
    }

    /// The text on the wire without escape sequences and blanks: ratatui skips blank cells
    /// and moves the cursor over them, so words on screen need not be contiguous bytes.
    pub fn text(&self) -> String {
        squeeze(&visible_text(&self.output()))
    }

    /// The 80×24 screen as the terminal shows it now (not everything ever written).
    pub fn screen(&self) -> String {
        let rows = std::num::NonZeroU16::new(24).expect("rows");
        let cols = std::num::NonZeroU16::new(80).expect("cols");
        let mut parser = vt100::Parser::new(rows, cols, 0);
        parser.process(&self.output());
        parser.screen().contents()
    }

    /// Waits until the screen holds what `needle` looks for; fails saying `what`, with the
    /// screen, after `within`.
    pub fn wait_screen(&self, what: &str, within: Duration, needle: &dyn Fn(&str) -> bool) {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if needle(&self.screen()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{what}: not on screen within {within:?}; the screen:\n{}",
            self.screen()
        );
    }

    /// Waits until `needle` (blanks ignored) was drawn; false on timeout.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> bool {
        let needle = squeeze(needle);
        let deadline = Instant::now() + timeout;
        loop {
            if self.text().contains(&needle) {
                return true;
            }
            if Instant::now() >= deadline || self.exited() {
                return self.text().contains(&needle);
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits for the first rows of the Wanted view. The chrome ("Truy nã") comes earlier,
    /// before the store is opened; the rows come once it is open (and the sample loaded).
    pub fn wait_for_first_screen(&self) {
        if !self.wait_for("TN-000001", FIRST_SCREEN) {
            panic!(
                "the first rows (\"TN-000001\") did not appear within {FIRST_SCREEN:?}; \
                 exited: {:?}; output so far:\n{}",
                self.exited(),
                visible_text(&self.output())
            );
        }
    }

    pub fn exited(&self) -> bool {
        // `try_wait` needs `&mut` and reaps; /proc tells without either (Z = exited, unreaped).
        !Path::new(&format!("/proc/{}", self.pid())).exists()
            || proc_state(self.pid()).is_some_and(|s| s == 'Z')
    }

    pub fn send(&mut self, bytes: &[u8]) {
        let writer = self.writer.as_mut().expect("the terminal is open");
        let mut rest = bytes;
        let deadline = Instant::now() + Duration::from_secs(5);
        while !rest.is_empty() {
            match writer.write(rest) {
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                    std::thread::sleep(POLL)
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => panic!("typing into the pty: {e}"),
            }
        }
    }

    /// Closes the terminal as a dropped SSH link does: every copy of the master is closed,
    /// so the kernel hangs up the child's terminal (SIGHUP; reads give EIO). Returns when.
    pub fn hang_up(&mut self) -> Instant {
        self.stop_reading.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            reader.join().expect("reader thread");
        }
        self.writer = None;
        self.master = None;
        Instant::now()
    }

    /// Waits up to [`EXIT_LIMIT`] after `since` for the child to exit; on timeout kills it
    /// and fails, saying what its threads were doing.
    pub fn wait_exit(&mut self, since: Instant, what: &str) -> (ExitStatus, Duration) {
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return (status, since.elapsed());
            }
            if since.elapsed() > EXIT_LIMIT {
                let threads = thread_states(self.pid());
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "the console did not exit within {EXIT_LIMIT:?} after {what}; killed it. \
                     Its threads then (name state wchan; R = running, S = sleeping):\n{threads}"
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// After the child exited: the rest of its output, once the reader reached the end.
    pub fn final_output(&mut self) -> Vec<u8> {
        if let Some(reader) = self.reader.take() {
            let deadline = Instant::now() + Duration::from_secs(2);
            while !reader.is_finished() && Instant::now() < deadline {
                std::thread::sleep(POLL);
            }
            // Still running only if something else holds the terminal open: stop it anyway.
            self.stop_reading.store(true, Ordering::SeqCst);
            reader.join().expect("reader thread");
        }
        self.output()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        // A failed test must not leave a console running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.stop_reading.store(true, Ordering::SeqCst);
    }
}

/// A non-blocking copy of the master's descriptor.
fn master_copy(master: &dyn MasterPty) -> File {
    let fd = master
        .as_raw_fd()
        .expect("a unix pty master has a descriptor");
    // SAFETY: `fd` belongs to `master`, which is alive for this call; it is duplicated at
    // once and the copy is owned on its own.
    let copy: OwnedFd = unsafe { BorrowedFd::borrow_raw(fd) }
        .try_clone_to_owned()
        .expect("dup the pty master");
    // std has no fcntl; UnixStream::set_nonblocking is ioctl(FIONBIO), valid on any
    // descriptor. O_NONBLOCK belongs to the open file, so every copy is non-blocking.
    let stream = UnixStream::from(copy);
    stream.set_nonblocking(true).expect("non-blocking pty");
    File::from(OwnedFd::from(stream))
}

/// The printable text of terminal output: escape sequences and control bytes removed.
pub fn visible_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => match chars.next() {
                // CSI: parameters, then one final byte in @..~
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC: up to BEL or ST (ESC \)
                Some(']') => {
                    while let Some(c) = chars.next() {
                        if c == '\x07' {
                            break;
                        }
                        if c == '\x1b' {
                            chars.next();
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\n' => out.push('\n'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The state letter of a process (R, S, D, Z…) from /proc.
fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")?.1.chars().next()
}

fn thread_states(pid: u32) -> String {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return "(gone)".into();
    };
    let mut lines = Vec::new();
    for task in tasks.flatten() {
        let path = task.path();
        let read = |name: &str| {
            std::fs::read_to_string(path.join(name))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let state = read("stat")
            .rsplit_once(") ")
            .map(|(_, rest)| rest.chars().take(1).collect::<String>())
            .unwrap_or_default();
        lines.push(format!("  {} {state} {}", read("comm"), read("wchan")));
    }
    lines.join("\n")
}
