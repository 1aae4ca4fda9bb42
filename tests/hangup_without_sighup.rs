//! A hang-up that no SIGHUP announces: the console runs on a pty that is not its
//! controlling terminal (as behind a wrapper that does not forward SIGHUP), and the pty's
//! master is closed. crossterm alone would retry its read forever (crossterm #793); the
//! console's watchdog must notice the hang-up and exit within 2 s, cleanly.

#![allow(clippy::panic)]

use std::io::Read;
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};

#[test]
fn the_console_exits_when_its_terminal_hangs_up_without_sighup() {
    // CLOEXEC: a master inherited by the child would keep the terminal from hanging up.
    let master =
        openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).expect("openpt");
    grantpt(&master).expect("grantpt");
    unlockpt(&master).expect("unlockpt");
    let name = ptsname(&master, Vec::new()).expect("ptsname");
    let slave: OwnedFd = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().expect("pty name"))
        .expect("open the pty slave")
        .into();
    let winsize = rustix::termios::Winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    rustix::termios::tcsetwinsize(&slave, winsize).expect("window size");
    let data = tempfile::tempdir().expect("temp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_trucban"))
        .arg("--data-dir")
        .arg(data.path().join("data"))
        .arg("demo")
        .env("TERM", "xterm-256color")
        .env("LANG", "vi_VN.UTF-8")
        .env("HOME", data.path())
        .env("XDG_CONFIG_HOME", data.path())
        // A new process group, and no controlling terminal is acquired: no SIGHUP will come.
        .process_group(0)
        .stdin(Stdio::from(slave.try_clone().expect("dup")))
        .stdout(Stdio::from(slave.try_clone().expect("dup")))
        // Errors go to a file, to be shown if the exit is not clean.
        .stderr(Stdio::from(
            std::fs::File::create(data.path().join("stderr")).expect("stderr file"),
        ))
        .spawn()
        .expect("start trucban");
    // Read until the first rows, then close the master: the terminal is gone. (The title
    // is drawn before the store is opened; this test is about the running console, so it
    // waits for the rows of its first view, Shift at a glance — the open hits — drawn once
    // the store is open and the sample loaded.)
    let mut reader = std::fs::File::from(master);
    let mut seen = Vec::new();
    let started = Instant::now();
    let mut chunk = [0u8; 65536];
    while !String::from_utf8_lossy(&seen).contains("NT-0000") {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no first screen"
        );
        match reader.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&chunk[..n]),
        }
    }
    drop(reader);
    let closed = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if closed.elapsed() > Duration::from_secs(2) {
            let _ = child.kill();
            panic!("the console was still running 2 s after its terminal hung up");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    println!(
        "hang-up without SIGHUP → exit: {} ms ({status:?})",
        closed.elapsed().as_millis()
    );
    let stderr = std::fs::read_to_string(data.path().join("stderr")).unwrap_or_default();
    assert!(status.success(), "{status:?}: {stderr}");
    drop(slave);
}
