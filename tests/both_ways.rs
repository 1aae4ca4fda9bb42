#![allow(clippy::panic)]
//! Every subcommand both ways: on a store D itself (`--data-dir D`) and through `trucban
//! serve` over a copy of D (`--socket S`), one after the other, comparing what each prints on
//! stdout and how it exits — writes included (`import`, `roster add|move|swap`, `handover
//! sign|acknowledge`, `account set`), so that both stores stay the same and every later
//! command still compares like with like.
//!
//! The OS user running the test has an account; its officer changes between phases (an
//! administrator imports, a supervisor edits the roster and signs, a duty officer takes the
//! shift over, an auditor reads the trail), because the daemon holds each officer to their
//! role while the store's owner may do anything. A phase change stops the daemon, sets the
//! account on both stores the same way, and starts it again.
//!
//! What must differ is normalised, each at its place with the reason: the path a message
//! names, the time a backup took, and the bytes of the audit trail (the daemon writes its own
//! log-on entries). The commands that work on a store directory (`seed`, `gen`, `demo`,
//! `restore`) refuse a socket, saying so.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const PIN: &str = "246810";
/// Sample officers by role: an administrator, a supervisor, a duty officer, an auditor.
const ADMIN: &str = "CB-000001";
const SUPERVISOR: &str = "CB-000004";
const DUTY: &str = "CB-000013";
const AUDITOR: &str = "CB-000003";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What a run printed and how it exited.
#[derive(Debug, PartialEq, Clone)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// An officer's shell (a home of its own, no trucban settings, English unless `--lang`), the
/// store D, its copy under a daemon, and the work directory for files.
struct World {
    home: tempfile::TempDir,
    work: tempfile::TempDir,
    daemon: Option<std::process::Child>,
}

impl World {
    fn data(&self) -> PathBuf {
        self.work.path().join("data")
    }

    fn copy(&self) -> PathBuf {
        self.work.path().join("copy")
    }

    fn socket(&self) -> PathBuf {
        self.work.path().join("run").join("trucban.sock")
    }

    fn file(&self, name: &str) -> String {
        self.work.path().join(name).display().to_string()
    }

    fn run(&self, args: &[&str], stdin: &str) -> Run {
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

    fn embedded(&self, args: &[&str], stdin: &str) -> Run {
        let data = self.data().display().to_string();
        let mut full = vec!["--data-dir", &data];
        full.extend_from_slice(args);
        self.run(&full, stdin)
    }

    fn through(&self, args: &[&str], stdin: &str) -> Run {
        let socket = self.socket().display().to_string();
        let mut full = vec!["--socket", &socket];
        full.extend_from_slice(args);
        self.run(&full, stdin)
    }

    /// `trucban serve` over the copy; waits until it answers.
    fn start(&mut self) {
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

    fn stop(&mut self) {
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
    fn act_as(&mut self, officer: &str) {
        self.stop();
        let me = common::me();
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
    fn both(&self, args: &[&str], expect: i32, check: Check) -> Run {
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
struct Check {
    /// It writes: run once each way, never again.
    write: bool,
    /// Its message on stderr must be the same too (the refusals a write prints).
    stderr: bool,
    stdin: &'static str,
}

const READ: Check = Check {
    write: false,
    stderr: false,
    stdin: "",
};
const WRITE: Check = Check {
    write: true,
    stderr: true,
    stdin: "",
};

/// What must differ between the two ways, made the same:
/// - the place a message names (the store at D, the store of trucban serve at S): it is
///   where each way reads, the point of the message;
/// - a backup's wall time, entry count and checksum: the backup holds the audit trail, in
///   which the daemon writes its own log-on entries (so bytes and entries differ while the
///   records — compared line by line below the first two — are the same).
fn normal(output: &str, world: &World) -> String {
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
    // A check counts the audit entries it verified: the daemon's trail has its own.
    for (before, after) in [
        ("audit chain intact:", ""),
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

/// `text` with every number that sits right after `before` (skipping spaces) or right
/// before `after` replaced by `N`.
fn number_hidden(text: &str, before: &str, after: &str) -> String {
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
fn audit_without_chain(json: &str) -> Vec<serde_json::Value> {
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

fn copy_dir(from: &Path, to: &Path) {
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

/// The world: the sample in D, the OS user an administrator on it, D copied, the daemon
/// over the copy.
fn world() -> World {
    let mut world = World {
        home: tempfile::tempdir().expect("home"),
        work: tempfile::tempdir().expect("work"),
        daemon: None,
    };
    let out = world.embedded(&["seed", "--sample"], "");
    assert_eq!(out.code, Some(0), "seed: {}", out.stderr);
    let out = world.embedded(
        &["account", "set", &common::me(), ADMIN],
        &format!("{PIN}\n"),
    );
    assert_eq!(out.code, Some(0), "account set: {}", out.stderr);
    copy_dir(&world.data(), &world.copy());
    world.start();
    world
}

fn guests_file(world: &World) -> String {
    let path = world.file("tonight.csv");
    std::fs::write(
        &path,
        format!(
            "{}\nCS-000001,Giàng A Páo,1990-03-04,male,999012345678,VNM,2026-11-20T21:00:00+07:00,,101,2026-11-20T21:30:00+07:00\nCS-000001,Nguyen Van Test,1985,male,999012345679,VNM,2026-11-20T22:00:00+07:00,,102,\n",
            common::GUEST_HEADER
        ),
    )
    .expect("guest file");
    path
}

/// The sample's first assignment (CD-000001's first day): the sample's dates move with the
/// day it is seeded on, so the edits take theirs from it.
struct Assignment {
    officer: String,
    date: String,
    shift: String,
}

fn first_assignment(world: &World) -> Assignment {
    let out = world.embedded(&["export", "roster"], "");
    let line = out.stdout.lines().nth(1).expect("an assignment");
    let fields: Vec<&str> = line.split(',').collect();
    assert_eq!(fields[..2], ["PC-000001", "CD-000001"], "{line}");
    Assignment {
        officer: fields[2].into(),
        date: fields[3].into(),
        shift: fields[4].into(),
    }
}

#[test]
fn every_subcommand_prints_the_same_on_the_store_and_through_the_daemon() {
    let mut world = world();
    let guests = guests_file(&world);
    let bad_guests = world.file("bad.csv");
    std::fs::write(
        &bad_guests,
        format!(
            "{}\nCS-000001,Giàng A Páo,31/02/1990,male,1,VNM,x,,101,\n",
            common::GUEST_HEADER
        ),
    )
    .expect("bad file");
    let first = first_assignment(&world);
    let today = trucban::domain::time::local_date(trucban::domain::Clock::system().now());
    let week_ago = (today - chrono::Duration::days(6)).to_string();
    let today = today.to_string();

    // The administrator: every read, the import, accounts, check and backup.
    let reads: &[&[&str]] = &[
        &["stats"],
        &["stats", "--json"],
        &["search", "Giàng", "--json"],
        &["search", "Lò Văn", "--kind", "persons", "--limit", "5"],
        &["export", "wanted"],
        &["export", "guests", "--format", "json"],
        &["export", "officers", "--format", "text"],
        &["columns", "guests"],
        &["keys"],
        &["requests"],
        &["late", "--from", &week_ago, "--to", &today],
        &["late", "--from", &week_ago, "--to", &today, "--json"],
        &["inspect-next", "--json"],
        &["--lang", "vi", "inspect-next", "--limit", "3"],
        &["roster", "check", "--campaign", "CD-000001"],
        &["--lang", "vi", "roster", "check", "--json"],
        &[
            "roster",
            "show",
            "--campaign",
            "CD-000001",
            "--date",
            &first.date,
        ],
        &["handover", "--shift", "previous", "--format", "json"],
        &["handover", "show", "--shift", "GC-000001", "--format", "md"],
        &["--lang", "vi", "handover", "--shift", "GC-000002"],
        &["report", "--from", &week_ago, "--to", &today],
        &[
            "report",
            "--from",
            "2026-01-01",
            "--to",
            &today,
            "--format",
            "json",
        ],
        &["screen", &guests],
        &["screen", &guests, "--json"],
        &["account", "list"],
        &["check"],
        &["--lang", "vi", "check", "--json"],
    ];
    for args in reads {
        world.both(args, exit_of(args), READ);
    }
    // The same bad input refused the same way (exit 2), in both languages.
    let bad: &[&[&str]] = &[
        &["roster", "show", "--campaign", "CD-000099"],
        &["--lang", "vi", "roster", "check", "--campaign", "CD-000099"],
        &["handover", "--shift", "GC-009999"],
        &["--lang", "vi", "handover", "--shift", "tomorrow"],
    ];
    for args in bad {
        world.both(args, 2, WRITE);
    }
    let out = world.both(&["import", "guests", &guests], 0, WRITE);
    assert!(
        out.stdout
            .contains("2 rows imported into guests (2 new, 0 updated)"),
        "{}",
        out.stdout
    );
    world.both(&["import", "guests", &bad_guests], 2, WRITE);
    world.both(&["export", "guests", "--format", "csv"], 0, READ);
    let out = world.both(
        &["account", "set", "khach-test", DUTY],
        0,
        Check {
            stdin: "135790\n",
            ..WRITE
        },
    );
    assert!(out.stdout.contains("khach-test"), "{}", out.stdout);
    world.both(&["account", "list"], 0, READ);
    let backup = world.file("both.backup");
    world.both(&["backup", &backup], 0, WRITE);

    // The supervisor edits the roster and signs the current shift's handover.
    world.act_as(SUPERVISOR);
    let out = world.both(
        &[
            "roster",
            "add",
            AUDITOR,
            "--campaign",
            "CD-000001",
            "--date",
            &first.date,
            "--shift",
            "night",
            "--post",
            "Chốt Ma Lù Thàng",
        ],
        0,
        WRITE,
    );
    assert!(out.stdout.starts_with("Saved PC-"), "{}", out.stdout);
    // A double booking: refused with the problem, in Vietnamese, nothing saved.
    let out = world.both(
        &[
            "--lang",
            "vi",
            "roster",
            "add",
            &first.officer,
            "--campaign",
            "CD-000001",
            "--date",
            &first.date,
            "--shift",
            &first.shift,
            "--post",
            "Chốt Ma Lù Thàng",
            "--role",
            "leader",
        ],
        2,
        WRITE,
    );
    assert!(out.stderr.contains("hai nơi cùng lúc"), "{}", out.stderr);
    world.both(
        &["roster", "move", "PC-000002", "--post", "Chốt Ma Lù Thàng"],
        0,
        WRITE,
    );
    world.both(
        &["--lang", "vi", "roster", "swap", "PC-000002", "PC-000004"],
        0,
        WRITE,
    );
    world.both(&["roster", "move", "PC-999999"], 2, WRITE);
    world.both(
        &["roster", "show", "--campaign", "CD-000001", "--json"],
        0,
        READ,
    );
    world.both(
        &["roster", "check", "--campaign", "CD-000001", "--json"],
        0,
        READ,
    );
    let out = world.both(
        &["handover", "sign", "--text", "Bàn giao: tình hình ổn định"],
        0,
        WRITE,
    );
    assert!(
        out.stdout.contains(&format!("by {SUPERVISOR}")),
        "{}",
        out.stdout
    );
    // "Signed GC-000007: …": the handover signed.
    let handover = out.stdout["Signed ".len()..]
        .split(':')
        .next()
        .expect("an ID")
        .to_string();
    // The signer does not take the shift over.
    let out = world.both(&["handover", "acknowledge", &handover], 2, WRITE);
    assert!(
        out.stderr.contains("cannot also take over"),
        "{}",
        out.stderr
    );

    // The duty officer takes it over; then it is closed.
    world.act_as(DUTY);
    let out = world.both(
        &[
            "--lang",
            "vi",
            "handover",
            "acknowledge",
            &handover,
            "--remarks",
            "Đã nhận đủ",
        ],
        0,
        WRITE,
    );
    assert!(out.stdout.contains(DUTY), "{}", out.stdout);
    world.both(&["handover", "acknowledge", &handover], 2, WRITE);
    world.both(
        &["handover", "sign", "--shift", &handover, "--text", "x"],
        2,
        WRITE,
    );
    world.both(
        &["handover", "--shift", &handover, "--format", "json"],
        0,
        READ,
    );

    // The auditor reads the trail: the entries this test's writes left, the same both ways
    // but for the chain (see `audit_without_chain`); and each chain verifies.
    world.act_as(AUDITOR);
    for record in [handover.as_str(), "PC-000002"] {
        let args = ["audit", "--record", record, "--json"];
        let (embedded, through) = (world.embedded(&args, ""), world.through(&args, ""));
        assert_eq!(
            (embedded.code, through.code),
            (Some(0), Some(0)),
            "{}",
            through.stderr
        );
        let entries = audit_without_chain(&embedded.stdout);
        assert!(!entries.is_empty(), "no audit entry for {record}");
        assert_eq!(
            entries,
            audit_without_chain(&through.stdout),
            "audit of {record}"
        );
    }
    world.both(&["audit", "verify"], 0, READ);

    // The commands that work on a store directory refuse the socket (exit 1) and print
    // nothing; on the store itself they refuse a store that is not empty (exit 2).
    let restore_into = world.file("restored");
    let store_only: &[&[&str]] = &[
        &["seed", "--sample"],
        &["gen", "--scale", "10"],
        &["demo"],
        &["restore", &backup],
        &["restore", &backup, "--data-dir", &restore_into],
    ];
    for args in store_only {
        let out = world.through(args, "");
        assert_eq!(out.code, Some(1), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("works on a store directory, not through trucban serve"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
    assert!(!Path::new(&restore_into).exists());
    for args in [&["seed", "--sample"][..], &["gen", "--scale", "10"]] {
        let out = world.embedded(args, "");
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("needs an empty store"),
            "{}",
            out.stderr
        );
    }
    let out = world.embedded(&["restore", &backup], "");
    assert_ne!(out.code, Some(0), "restore over a store: {}", out.stdout);
    let out = world.through(&["--lang", "vi", "restore", &backup], "");
    assert!(
        out.stderr.contains("không qua trucban serve"),
        "{}",
        out.stderr
    );

    // In the end both stores hold the same records.
    world.stop();
    let counts = |dir: PathBuf| {
        let dir = dir.display().to_string();
        world
            .run(&["--data-dir", &dir, "stats", "--json"], "")
            .stdout
    };
    assert_eq!(counts(world.data()), counts(world.copy()));
}

/// The exit code a read is expected to give: 3 for a roster check of every campaign (one of
/// the sample's rosters has problems; CD-000001's has none), 0 for everything else.
fn exit_of(args: &[&str]) -> i32 {
    if args.contains(&"check") && args.contains(&"roster") && !args.contains(&"--campaign") {
        3
    } else {
        0
    }
}
