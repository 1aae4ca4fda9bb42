//! `trucban serve` as a separate process for the tests that need the real daemon: started on
//! a store and a socket, stopped with SIGTERM (checked) or killed, and killed when dropped.

#![allow(clippy::panic)] // test helpers fail loudly by design

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

pub struct Served(std::process::Child);

impl Served {
    /// Starts `trucban --data-dir DATA serve --socket SOCKET` with `home` as its HOME, and
    /// waits until the socket answers.
    pub fn start(home: &Path, data: &Path, socket: &Path) -> Served {
        let data = data.to_str().expect("utf-8 path");
        Served::start_on(home, &["--data-dir", data], socket)
    }

    /// Starts `trucban STORE serve --socket SOCKET`, where STORE says where the store is
    /// (`--data-dir DIR`, `--database URL`).
    pub fn start_on(home: &Path, store: &[&str], socket: &Path) -> Served {
        let child = Command::new(env!("CARGO_BIN_EXE_trucban"))
            .args(store)
            .arg("serve")
            .arg("--socket")
            .arg(socket)
            .env("HOME", home)
            .env_remove("TRUCBAN_DATA_DIR")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start trucban serve");
        let daemon = Served(child);
        for _ in 0..400 {
            if std::os::unix::net::UnixStream::connect(socket).is_ok() {
                return daemon;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("trucban serve never answered on {}", socket.display());
    }

    fn pid(&self) -> nix::unistd::Pid {
        nix::unistd::Pid::from_raw(i32::try_from(self.0.id()).expect("pid"))
    }

    /// SIGTERM, and the daemon must stop cleanly.
    pub fn stop(mut self) {
        nix::sys::signal::kill(self.pid(), nix::sys::signal::Signal::SIGTERM).expect("SIGTERM");
        let status = self.0.wait().expect("wait for trucban serve");
        assert!(status.success(), "trucban serve stopped with {status}");
    }

    /// kill -9: no goodbye to anyone.
    pub fn kill(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
