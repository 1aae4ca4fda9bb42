//! The two ways to run trucban side by side (the store itself and a daemon over its copy),
//! and what is made the same before comparing them. See `tests/both_ways.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What a run printed and how it exited.
#[derive(Debug, PartialEq, Clone)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// An officer's shell (a home of its own, no trucban settings, English unless `--lang`), the
/// store D, its copy under a daemon, and the work directory for files.
pub struct World {
    pub home: tempfile::TempDir,
    pub work: tempfile::TempDir,
    pub daemon: Option<std::process::Child>,
}

impl World {
    pub fn data(&self) -> PathBuf {
        self.work.path().join("data")
    }

    pub fn copy(&self) -> PathBuf {
        self.work.path().join("copy")
    }

    pub fn socket(&self) -> PathBuf {
        self.work.path().join("run").join("trucban.sock")
    }

    pub fn file(&self, name: &str) -> String {
        self.work.path().join(name).display().to_string()
    }

    pub fn run(&self, args: &[&str], stdin: &str) -> Run {
        let home = self.home.path();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_trucban"));
        cmd.args(args)
            .current_dir(home)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("share"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            // No default socket answers here: only the one named.
            .env("XDG_RUNTIME_DIR", home.join("run"))
            .env("LANG", "en_US.UTF-8")
            .env_remove("RUNTIME_DIRECTORY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for var in [
            "TRUCBAN_DATA_DIR",
            "TRUCBAN_SOCKET",
            "TRUCBAN_OFFICER",
            "LC_ALL",
        ] {
            cmd.env_remove(var);
        }
        let mut child = cmd.spawn().expect("run trucban");
        {
            use std::io::Write;
            let mut input = child.stdin.take().expect("stdin");
            let _ = input.write_all(stdin.as_bytes());
        }
        let out: Output = child.wait_with_output().expect("wait for trucban");
        Run {
            code: out.status.code(),
            stdout: text(&out.stdout),
            stderr: text(&out.stderr),
        }
    }

    pub fn embedded(&self, args: &[&str], stdin: &str) -> Run {
        let data = self.data().display().to_string();
        let mut full = vec!["--data-dir", &data];
        full.extend_from_slice(args);
        self.run(&full, stdin)
    }

    pub fn through(&self, args: &[&str], stdin: &str) -> Run {
        let socket = self.socket().display().to_string();
        let mut full = vec!["--socket", &socket];
        full.extend_from_slice(args);
        self.run(&full, stdin)
    }

    /// `trucban serve` over the copy; waits until it answers.
    pub fn start(&mut self) {
        let child = Command::new(env!("CARGO_BIN_EXE_trucban"))
            .arg("--data-dir")
            .arg(self.copy())
            .arg("serve")
            .arg("--socket")
            .arg(self.socket())
            .env("HOME", self.home.path())
            .env_remove("TRUCBAN_DATA_DIR")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start trucban serve");
        self.daemon = Some(child);
        for _ in 0..400 {
            if std::os::unix::net::UnixStream::connect(self.socket()).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "trucban serve never answered on {}",
            self.socket().display()
        );
    }

    pub fn stop(&mut self) {
        let Some(mut child) = self.daemon.take() else {
            return;
        };
        let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).expect("pid"));
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).expect("SIGTERM");
        let status = child.wait().expect("wait for trucban serve");
        assert!(status.success(), "trucban serve stopped with {status}");
    }

    /// The OS user's account becomes `officer`'s on both stores, set the same way on each
    /// (the daemon stopped: it holds its store), then the daemon starts again.
    pub fn act_as(&mut self, officer: &str) {
        self.stop();
        let me = super::common::me();
        for dir in [self.data(), self.copy()] {
            let dir = dir.display().to_string();
            let out = self.run(&["--data-dir", &dir, "account", "set", &me, officer], "");
            assert_eq!(out.code, Some(0), "account set: {}", out.stderr);
        }
        self.start();
    }

    /// Runs `args` both ways and asserts the same stdout and exit code (after `normal`), and
    /// the same stderr when `same_stderr`. A read may meet a deadline or a minute passing
    /// between its two runs: it is run both ways once more before it counts as a
    /// difference. A write is never run twice.
    pub fn both(&self, args: &[&str], expect: i32, check: Check) -> Run {
        let compare = |stdin: &str| {
            let embedded = self.embedded(args, stdin);
            let through = self.through(args, stdin);
            (embedded, through)
        };
        let (mut embedded, mut through) = compare(check.stdin);
        let same = |a: &Run, b: &Run| {
            a.code == b.code
                && normal(&a.stdout, self) == normal(&b.stdout, self)
                && (!check.stderr || normal(&a.stderr, self) == normal(&b.stderr, self))
        };
        if !check.write && !same(&embedded, &through) {
            (embedded, through) = compare(check.stdin);
        }
        assert!(
            same(&embedded, &through),
            "trucban {args:?} printed other through the daemon than on the store itself:\n--- --data-dir (exit {:?})\n{}\n{}\n--- --socket (exit {:?})\n{}\n{}",
            embedded.code,
            embedded.stdout,
            embedded.stderr,
            through.code,
            through.stdout,
            through.stderr,
        );
        assert_eq!(
            embedded.code,
            Some(expect),
            "trucban {args:?}: {}",
            embedded.stderr
        );
        embedded
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(mut child) = self.daemon.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// How a pair of runs is compared.
#[derive(Clone, Copy)]
pub struct Check {
    /// It writes: run once each way, never again.
    pub write: bool,
    /// Its message on stderr must be the same too (the refusals a write prints).
    pub stderr: bool,
    pub stdin: &'static str,
}

pub const READ: Check = Check {
    write: false,
    stderr: false,
    stdin: "",
};
pub const WRITE: Check = Check {
    write: true,
    stderr: true,
    stdin: "",
};

/// What must differ between the two ways, made the same:
/// - the place a message names (the store at D, the store of trucban serve at S): it is
///   where each way reads, the point of the message;
/// - a backup's wall time, entry count and checksum: the backup holds the audit trail, in
///   which the daemon writes its own log-on entries (so bytes and entries differ while the
///   records — compared line by line below the first two — are the same);
/// - when a handover was signed and acknowledged: each way stamps its own write with its
///   own clock, one after the other, and the two may fall in different seconds.
pub fn normal(output: &str, world: &World) -> String {
    let output = &write_times_hidden(output);
    let mut out = output
        .replace(
            &format!("the store at {}", world.data().display()),
            "the store at <STORE>",
        )
        .replace(
            &format!("kho tại {}", world.data().display()),
            "kho tại <STORE>",
        )
        .replace(
            &format!("the store of trucban serve at {}", world.socket().display()),
            "the store at <STORE>",
        )
        .replace(
            &format!("kho của trucban serve tại {}", world.socket().display()),
            "kho tại <STORE>",
        );
    // A check counts the audit entries it verified, and their chains: the daemon's trail
    // has its own.
    for (before, after) in [
        ("audit chains intact:", ""),
        ("kiểm toán nguyên vẹn:", ""),
        ("", " chains"),
        ("", " chuỗi"),
        ("", " audit entries checked"),
        ("", " mục nhật ký kiểm toán"),
        ("\"audit_entries\":", ""),
    ] {
        out = number_hidden(&out, before, after);
    }
    if out.starts_with("backup written to ") {
        out = out
            .lines()
            .map(|line| match line {
                l if l.starts_with("backup written to ") => {
                    l.split(" records,").next().unwrap_or(l).to_string()
                }
                l if l.trim_start().starts_with("sha256 ") => "  sha256 <the trail's>".into(),
                l => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    out
}

/// `text` (a handover as JSON) with the instants of its signing and acknowledgement hidden.
pub fn write_times_hidden(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let hidden = |line: &str| match line.find(": \"") {
        Some(at) => format!("{}: \"<WRITTEN>\",", &line[..at]),
        None => line.to_string(),
    };
    lines
        .iter()
        .enumerate()
        .map(|(n, line)| {
            let key = line.trim_start();
            let acknowledged_at = key.starts_with("\"at\": ")
                && n >= 2
                && lines[n - 1].trim_start().starts_with("\"officer\": ")
                && lines[n - 2].trim_start().starts_with("\"acknowledged\": {");
            if key.starts_with("\"signed_at\": ") || acknowledged_at {
                hidden(line)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` with every number that sits right after `before` (skipping spaces) or right
/// before `after` replaced by `N`.
pub fn number_hidden(text: &str, before: &str, after: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            // Only as much as the marks can cover: an export has many numbers.
            let head: String = chars[start.saturating_sub(before.chars().count() + 4)..start]
                .iter()
                .collect();
            let tail: String = chars[i..chars.len().min(i + after.chars().count())]
                .iter()
                .collect();
            let hide = (!before.is_empty() && head.trim_end().ends_with(before))
                || (!after.is_empty() && tail.starts_with(after));
            if hide {
                out.push('N');
            } else {
                out.extend(&chars[start..i]);
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The audit entries as JSON, without what the two trails cannot share: their sequence
/// numbers, times and hash chain (each trail has the daemon's own log-on entries in it).
pub fn audit_without_chain(json: &str) -> Vec<serde_json::Value> {
    let entries: serde_json::Value = serde_json::from_str(json).expect("audit json");
    entries
        .as_array()
        .expect("an array")
        .iter()
        .map(|e| {
            let mut e = e.clone();
            for field in ["seq", "at", "prev", "hash"] {
                e.as_object_mut().expect("an object").remove(field);
            }
            e
        })
        .collect()
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        // Who holds the store: the copy is held by nobody until its daemon starts.
        if name == "store.holder" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
