//! The console in a real terminal (a pty), the way a duty officer meets it over SSH on a
//! flaky link: when the link drops (the terminal hangs up) it must leave within 2 s and keep
//! the draft of the form being typed; the next start offers that draft; SIGTERM and `q`
//! restore the terminal (leave the alternate screen).
//!
//! Output is read in a thread from a non-blocking copy of the pty master, so the test can
//! close every copy of the master at the moment it chooses: that is the hang-up. (The writer
//! of portable-pty is not used: dropping it types Enter and Ctrl-D into the terminal, which
//! a real dropped link does not, and Enter would submit the form.)
//!
//! `cargo test --test pty -- --nocapture` prints the measured exit latencies.

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::{BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long the console may take to leave once the link is gone or it is told to.
const EXIT_LIMIT: Duration = Duration::from_secs(2);
/// The first screen: opening the store (and loading the sample for `demo`), unoptimised.
const FIRST_SCREEN: Duration = Duration::from_secs(20);
const ECHO: Duration = Duration::from_secs(1);
const POLL: Duration = Duration::from_millis(5);

const NOTE: &str = "bắt tại chợ";
const LEAVE_ALTERNATE_SCREEN: &str = "\x1b[?1049l";

/// trucban running in an 80×24 pty.
struct Console {
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
    fn start(home: &Path, args: &[&str]) -> Console {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let cmd = common::trucban_command(home, args);
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

    fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// Everything the console wrote so far.
    fn output(&self) -> Vec<u8> {
        self.output.lock().expect("output lock").clone()
    }

    /// The text on the wire without escape sequences and blanks: ratatui skips blank cells
    /// and moves the cursor over them, so words on screen need not be contiguous bytes.
    fn text(&self) -> String {
        squeeze(&visible_text(&self.output()))
    }

    /// Waits until `needle` (blanks ignored) was drawn; false on timeout.
    fn wait_for(&self, needle: &str, timeout: Duration) -> bool {
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
    fn wait_for_first_screen(&self) {
        if !self.wait_for("TN-000001", FIRST_SCREEN) {
            panic!(
                "the first rows (\"TN-000001\") did not appear within {FIRST_SCREEN:?}; \
                 exited: {:?}; output so far:\n{}",
                self.exited(),
                visible_text(&self.output())
            );
        }
    }

    fn exited(&self) -> bool {
        // `try_wait` needs `&mut` and reaps; /proc tells without either (Z = exited, unreaped).
        !Path::new(&format!("/proc/{}", self.pid())).exists()
            || proc_state(self.pid()).is_some_and(|s| s == 'Z')
    }

    fn send(&mut self, bytes: &[u8]) {
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
    fn hang_up(&mut self) -> Instant {
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
    fn wait_exit(&mut self, since: Instant, what: &str) -> (ExitStatus, Duration) {
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
    fn final_output(&mut self) -> Vec<u8> {
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
fn visible_text(bytes: &[u8]) -> String {
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

fn squeeze(text: &str) -> String {
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

fn drafts_in(data: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data.join("drafts")) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    found.sort();
    found
}

/// Opens the demo, starts "Change wanted status" on the first record, types the note, then
/// drops the link. Asserts the exit within 2 s and the draft on disk; returns the latency.
fn type_a_note_and_drop_the_link(home: &Path, data: &Path) -> Duration {
    let data_arg = data.to_str().expect("utf-8 temp path");
    let mut console = Console::start(
        home,
        &["--data-dir", data_arg, "demo", "--officer", "CB-000003"],
    );
    console.wait_for_first_screen();
    console.send(b"a");
    assert!(
        console.wait_for("Đổi tình trạng truy nã", ECHO * 5),
        "`a` did not open the form; screen text:\n{}",
        visible_text(&console.output())
    );
    console.send(b"\t");
    console.send(NOTE.as_bytes());
    let echoed = console.wait_for(NOTE, ECHO);
    if !echoed {
        println!("(the note was not seen on screen within {ECHO:?}; hanging up anyway)");
    }

    let hung_up = console.hang_up();
    let (status, latency) = console.wait_exit(hung_up, "the terminal hung up");
    println!("hang-up → exit: {} ms ({status:?})", latency.as_millis());
    assert!(
        status.success(),
        "a hang-up must end the console cleanly, not in a crash: {status:?}"
    );

    let drafts = drafts_in(data);
    assert_eq!(
        drafts.len(),
        1,
        "expected exactly one draft in {}/drafts, found {drafts:?}",
        data.display()
    );
    let draft = std::fs::read_to_string(&drafts[0]).expect("read the draft");
    assert!(
        draft.contains(NOTE),
        "the draft {} lacks the typed note {NOTE:?}: {draft}",
        drafts[0].display()
    );
    latency
}

#[test]
fn the_console_exits_within_2s_when_the_terminal_closes_and_keeps_the_draft() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("data");
    type_a_note_and_drop_the_link(home.path(), &data);
}

#[test]
fn a_second_start_offers_the_draft() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("data");
    type_a_note_and_drop_the_link(home.path(), &data);

    let data_arg = data.to_str().expect("utf-8 temp path");
    let mut console = Console::start(home.path(), &["--data-dir", data_arg]);
    console.wait_for_first_screen();
    assert!(
        console.wait_for("Bản nháp", ECHO * 5),
        "the second start did not offer the draft; screen text:\n{}",
        visible_text(&console.output())
    );
    console.send(b"\x1b");
    // A lone ESC: give it time to be read alone, or ESC q would read as Alt-q.
    std::thread::sleep(Duration::from_millis(300));
    console.send(b"q");
    let sent = Instant::now();
    let (status, latency) = console.wait_exit(sent, "`q`");
    println!("q → exit: {} ms ({status:?})", latency.as_millis());
    assert!(status.success(), "`q` should exit with success: {status:?}");
    let output = console.final_output();
    let tail = &output[output.len().saturating_sub(64)..];
    assert!(
        String::from_utf8_lossy(tail).contains(LEAVE_ALTERNATE_SCREEN),
        "the last output does not leave the alternate screen: {:?}",
        String::from_utf8_lossy(tail)
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("data");
    let data_arg = data.to_str().expect("utf-8 temp path");
    let mut console = Console::start(
        home.path(),
        &["--data-dir", data_arg, "demo", "--officer", "CB-000003"],
    );
    console.wait_for_first_screen();
    let pid = console.pid().to_string();
    let sent = Instant::now();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("run kill");
    assert!(kill.success(), "kill -TERM {pid} failed: {kill:?}");
    let (status, latency) = console.wait_exit(sent, "SIGTERM");
    println!("SIGTERM → exit: {} ms ({status:?})", latency.as_millis());
    let output = console.final_output();
    assert!(
        String::from_utf8_lossy(&output).contains(LEAVE_ALTERNATE_SCREEN),
        "the console did not leave the alternate screen after SIGTERM; last output: {:?}",
        String::from_utf8_lossy(&output[output.len().saturating_sub(200)..])
    );
}

/// The first frame is drawn before the store is opened; when the open fails (here: another
/// process holds the store), the terminal is restored first and the reason printed after,
/// where it stays readable.
#[test]
fn a_store_in_use_is_reported_after_the_terminal_is_restored() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("data");
    let _held = trucban::store::Store::open(&data, chrono::Utc::now()).expect("hold the store");
    let data_arg = data.to_str().expect("utf-8 temp path");
    let mut console = Console::start(home.path(), &["--data-dir", data_arg]);
    let (status, _) = console.wait_exit(Instant::now(), "a refused open");
    assert_eq!(status.exit_code(), 1, "{status:?}");
    let output = String::from_utf8_lossy(&console.final_output()).into_owned();
    let Some((console_part, after)) = output.split_once(LEAVE_ALTERNATE_SCREEN) else {
        panic!("the terminal was not restored: {output:?}")
    };
    let drawn = squeeze(&visible_text(console_part.as_bytes()));
    assert!(
        drawn.contains(&squeeze("trucban │ Truy nã"))
            && drawn.contains(&squeeze("Đang mở kho dữ liệu…")),
        "the first frame did not say the store was opening: {drawn:?}"
    );
    let message = visible_text(after.as_bytes());
    assert!(
        message.contains("is in use by process") && message.contains("Close that trucban first"),
        "the reason is not printed after the terminal is restored: {message:?}"
    );
}
