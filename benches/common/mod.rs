//! What the daemon benchmarks share: a store for `trucban serve` with an account for this OS
//! user, the daemon as a process (so that its memory is its own), and the figures.
#![allow(dead_code)]

pub mod pty;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use trucban::service::{DeskApi, RemoteDesk, ServiceError};

pub const BIN: &str = env!("CARGO_BIN_EXE_trucban");

pub fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// A `/proc/PID/status` figure in KiB (`VmRSS:`, `VmHWM:`).
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

pub fn wait_for(socket: &Path) -> anyhow::Result<RemoteDesk> {
    for _ in 0..600 {
        if let Ok(desk) = RemoteDesk::connect(socket) {
            return Ok(desk);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    anyhow::bail!("trucban serve never answered on {}", socket.display())
}

/// Runs `trucban ARGS`, failing with its error output.
/// Where the benchmark's store is: `--database $BENCH_DATABASE` (an empty PostgreSQL
/// database, to measure that engine), else `--data-dir DATA`.
pub fn store_args(data: &Path) -> Vec<std::ffi::OsString> {
    match std::env::var("BENCH_DATABASE") {
        Ok(url) if !url.is_empty() => vec!["--database".into(), url.into()],
        _ => vec!["--data-dir".into(), data.into()],
    }
}

pub fn trucban(args: &[&str], data: &Path) -> anyhow::Result<()> {
    let out = Command::new(BIN)
        .args(args)
        .args(store_args(data))
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "trucban {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// Gives this OS user an account on `officer` (the daemon admits only users with one).
pub fn account_for_me(data: &Path, officer: &str) -> anyhow::Result<()> {
    let me = nix::unistd::User::from_uid(nix::unistd::geteuid())?
        .map(|u| u.name)
        .context("no user name for this uid")?;
    let mut account = Command::new(BIN)
        .args(["account", "set", &me, officer])
        .args(store_args(data))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    {
        use std::io::Write;
        account
            .stdin
            .take()
            .context("stdin")?
            .write_all(b"246810\n")?;
    }
    anyhow::ensure!(account.wait()?.success(), "account set failed");
    Ok(())
}

/// `trucban serve` on `data`, answering on `socket` with its search index loaded, in the
/// environment the systemd unit gives it.
pub struct Served {
    pub child: Child,
    pub socket: PathBuf,
    pub first: RemoteDesk,
}

impl Served {
    pub fn start(data: &Path, socket: &Path, config: Option<&Path>) -> anyhow::Result<Served> {
        let mut cmd = Command::new(BIN);
        if let Some(config) = config {
            cmd.arg("--config").arg(config);
        }
        // As the systemd unit runs it (docs/deploy/trucban.service).
        let child = cmd
            .env("MALLOC_ARENA_MAX", "2")
            .arg("serve")
            .args(store_args(data))
            .arg("--socket")
            .arg(socket)
            .stderr(Stdio::null())
            .spawn()?;
        let first = wait_for(socket)?;
        loop {
            match first.search("lo", None, 1, trucban::i18n::Lang::Vi) {
                Err(ServiceError::SearchNotReady) => std::thread::sleep(Duration::from_millis(50)),
                other => {
                    other?;
                    break;
                }
            }
        }
        Ok(Served {
            child,
            socket: socket.to_path_buf(),
            first,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn rss(&self) -> u64 {
        status_kib(self.pid(), "VmRSS:").unwrap_or(0)
    }

    /// SIGTERM, and its exit status.
    pub fn stop(mut self) -> anyhow::Result<std::process::ExitStatus> {
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(i32::try_from(self.child.id())?),
            nix::sys::signal::Signal::SIGTERM,
        )?;
        Ok(self.child.wait()?)
    }
}

/// Runs `trucban ARGS` and samples its peak resident memory until it exits.
pub fn run_measured(args: &[&str]) -> anyhow::Result<(Duration, u64)> {
    let began = Instant::now();
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id();
    let mut peak = 0;
    loop {
        if let Some(hwm) = status_kib(pid, "VmHWM:") {
            peak = peak.max(hwm);
        }
        if let Some(status) = child.try_wait()? {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                std::io::Read::read_to_string(&mut e, &mut err)?;
            }
            anyhow::ensure!(status.success(), "trucban {}: {err}", args.join(" "));
            return Ok((began.elapsed(), peak));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
