//! The officer's terminal: an 80×24 pty on this side of the link, running the `ssh` client,
//! its output kept with the time each piece arrived and shown through a terminal emulator
//! (vt100), so that a test can wait for what is on screen and time it.

#![allow(dead_code)] // shared by the test and the bench, which use different parts
#![allow(clippy::panic)] // test helpers fail loudly by design

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub struct Terminal {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    /// When the last output arrived.
    last_arrival: Arc<Mutex<Instant>>,
}

impl Terminal {
    pub fn start(command: CommandBuilder) -> Terminal {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let child = pair.slave.spawn_command(command).expect("spawn ssh");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let output = Arc::new(Mutex::new(Vec::new()));
        let last_arrival = Arc::new(Mutex::new(Instant::now()));
        {
            let output = Arc::clone(&output);
            let last_arrival = Arc::clone(&last_arrival);
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        return;
                    }
                    let mut output = output.lock().expect("output");
                    output.extend_from_slice(&buf[..n]);
                    *last_arrival.lock().expect("arrival") = Instant::now();
                }
            });
        }
        Terminal {
            child,
            master: pair.master,
            writer,
            output,
            last_arrival,
        }
    }

    /// When the last byte so far arrived.
    pub fn last_arrival(&self) -> Instant {
        *self.last_arrival.lock().expect("arrival")
    }

    pub fn output_len(&self) -> usize {
        self.output.lock().expect("output").len()
    }

    /// Types `bytes` and returns when the screen's answer had fully arrived, measured from
    /// the key: its output began, then nothing more came for `quiet`.
    pub fn key_to_screen(&mut self, bytes: &[u8], quiet: Duration) -> Duration {
        let before = self.output_len();
        let start = Instant::now();
        self.send(bytes);
        while self.output_len() == before {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no answer to {bytes:?}"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        while self.last_arrival().elapsed() < quiet {
            std::thread::sleep(Duration::from_millis(5));
        }
        self.last_arrival() - start
    }

    pub fn output(&self) -> Vec<u8> {
        self.output.lock().expect("output").clone()
    }

    /// The 80×24 screen as a terminal shows it now.
    pub fn screen(&self) -> String {
        let rows = std::num::NonZeroU16::new(24).expect("rows");
        let cols = std::num::NonZeroU16::new(80).expect("cols");
        let mut parser = vt100::Parser::new(rows, cols, 0);
        parser.process(&self.output());
        parser.screen().contents()
    }

    /// The screen line holding the table's selection marker (`▶`), if any.
    pub fn selected_row(&self) -> Option<String> {
        self.screen()
            .lines()
            .find(|line| line.contains('▶'))
            .map(str::to_string)
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("type into the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Waits until `done` holds for the screen; the time it took, or a failure naming `what`.
    pub fn wait(&self, what: &str, within: Duration, done: &dyn Fn(&str) -> bool) -> Duration {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return start.elapsed();
            }
            if start.elapsed() > within {
                panic!("{what}: not on screen within {within:?}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Waits until the screen has not changed for `quiet` (the output stopped growing).
    pub fn settle(&self, quiet: Duration, within: Duration) {
        let start = Instant::now();
        let mut last = self.output().len();
        let mut since = Instant::now();
        while start.elapsed() < within {
            std::thread::sleep(Duration::from_millis(10));
            let now = self.output().len();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return;
            }
        }
    }

    pub fn exited(&mut self) -> Option<portable_pty::ExitStatus> {
        self.child.try_wait().expect("try_wait")
    }

    /// Waits for the ssh client to end (the link cut, or the console left).
    pub fn wait_exit(&mut self, within: Duration) -> Option<portable_pty::ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < within {
            if let Some(status) = self.exited() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = &self.master;
    }
}
