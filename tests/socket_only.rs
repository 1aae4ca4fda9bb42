#![allow(clippy::panic)]
//! `--socket` means through the daemon and nothing else. Every subcommand is run as an
//! officer would on a host where `trucban serve` holds the store, with `HOME`,
//! `XDG_DATA_HOME` and `XDG_CONFIG_HOME` in a temporary directory (so the platform's default
//! store is there): first with `--socket` at the live daemon — each prints what the embedded
//! store itself gives, or refuses — then at a dead socket and at a stale one, where each
//! fails (exit 1) saying so. None ever prints a result from another store, and none creates
//! a store under the temporary home.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// An officer's shell: a home of its own, no trucban settings, English messages.
struct Shell {
    home: tempfile::TempDir,
}

impl Shell {
    fn new() -> Shell {
        Shell {
            home: tempfile::tempdir().expect("temp home"),
        }
    }

    fn command(&self, args: &[&str], stdin: Option<&str>) -> Output {
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
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::piped());
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
            let _ = input.write_all(stdin.unwrap_or("").as_bytes());
        }
        child.wait_with_output().expect("wait for trucban")
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args, None)
    }

    /// Every store (a `store` directory or a seal) under the home: there must be none.
    fn stores_under_home(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut dirs = vec![self.home.path().to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                let name = entry.file_name();
                if name == "store" || name == "store.seal" || name == "store.holder" {
                    found.push(path.clone());
                }
                if path.is_dir() {
                    dirs.push(path);
                }
            }
        }
        found
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The commands that read: each must print through the daemon exactly what the store
/// itself prints (and exit the same). `{guests}` is a guest file of the test.
fn reading_commands(today: &str, week_ago: &str) -> Vec<Vec<String>> {
    let list: &[&[&str]] = &[
        &["stats", "--json"],
        &["stats"],
        &["export", "wanted"],
        &["export", "guests", "--format", "json"],
        &["export", "officers", "--format", "text"],
        &["search", "Giàng", "--json"],
        &["search", "Lò Văn"],
        &["late", "--from", "{week_ago}", "--to", "{today}", "--json"],
        &["late", "--from", "{week_ago}", "--to", "{today}"],
        &["inspect-next", "--json"],
        &["inspect-next", "--limit", "3"],
        &["roster", "check", "--json"],
        &["roster", "check"],
        &["roster", "show", "--campaign", "CD-000001", "--json"],
        &["handover", "--shift", "previous", "--format", "json"],
        &["handover", "--shift", "GC-000001"],
        &[
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "{today}",
            "--format",
            "json",
        ],
        &["report", "--from", "{week_ago}", "--to", "{today}"],
        &["screen", "{guests}", "--json"],
        &["screen", "{guests}"],
        &["account", "list"],
    ];
    list.iter()
        .map(|args| {
            args.iter()
                .map(|a| a.replace("{today}", today).replace("{week_ago}", week_ago))
                .collect()
        })
        .collect()
}

fn with_guests(args: &[String], guests: &Path) -> Vec<String> {
    args.iter()
        .map(|a| a.replace("{guests}", &guests.display().to_string()))
        .collect()
}

/// What `trucban ARGS` printed and how it exited, to compare runs.
#[derive(Debug, PartialEq)]
struct Result {
    code: Option<i32>,
    stdout: String,
}

fn result(out: &Output) -> Result {
    Result {
        code: out.status.code(),
        stdout: text(&out.stdout),
    }
}

fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn socket_means_the_daemon_or_an_error_never_another_store() {
    let shell = Shell::new();
    let work = tempfile::tempdir().expect("work dir");
    let data = work.path().join("data");
    let data_arg = data.to_str().expect("utf-8 path");
    let socket = work.path().join("run").join("trucban.sock");
    let socket_arg = socket.to_str().expect("utf-8 path");

    // The host's store: the sample, and the officer's account (an administrator).
    let out = shell.run(&["--data-dir", data_arg, "seed", "--sample"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let me = common::me();
    let out = shell.command(
        &["--data-dir", data_arg, "account", "set", &me, "CB-000001"],
        Some("246810\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let guests = work.path().join("tonight.csv");
    std::fs::write(
        &guests,
        format!(
            "{}\nCS-000001,Giàng A Páo,1990-03-04,male,999012345678,VNM,2026-11-20T21:00:00+07:00,,101,2026-11-20T21:30:00+07:00\nCS-000001,Nguyen Van Test,1985,male,999012345679,VNM,2026-11-20T22:00:00+07:00,,102,\n",
            common::GUEST_HEADER
        ),
    )
    .expect("guest file");

    let today = shell.run(&["--data-dir", data_arg, "late", "--json"]);
    assert!(today.status.success(), "{}", text(&today.stderr));
    let today_date = trucban::domain::time::local_date(trucban::domain::Clock::system().now());
    let week_ago = (today_date - chrono::Duration::days(6)).to_string();
    let today = today_date.to_string();
    let commands: Vec<Vec<String>> = reading_commands(&today, &week_ago)
        .iter()
        .map(|c| with_guests(c, &guests))
        .collect();

    // What the store itself prints, before and after the daemon runs (a deadline may pass
    // in between: the daemon's answer must be one of the two).
    let embedded = |args: &[String]| {
        let mut full = vec!["--data-dir".to_string(), data_arg.to_string()];
        full.extend(args.iter().cloned());
        result(&shell.run(&refs(&full)))
    };
    let before: Vec<Result> = commands.iter().map(|c| embedded(c)).collect();
    // The store is not empty to these commands: the false all-clear would show.
    let late_rows: serde_json::Value = serde_json::from_str(&before[7].stdout).expect("late json");
    assert!(
        late_rows.as_array().is_some_and(|rows| !rows.is_empty()),
        "the sample has late guests this week: {late_rows}"
    );
    assert!(before[9].stdout.len() > 100, "{}", before[9].stdout);
    assert!(before[12].stdout.contains("CD-"), "{}", before[12].stdout);

    let daemon = common::served::Served::start(shell.home.path(), &data, &socket);
    let through = |args: &[String]| {
        let mut full = vec!["--socket".to_string(), socket_arg.to_string()];
        full.extend(args.iter().cloned());
        shell.run(&refs(&full))
    };
    let mut daemon_results = Vec::new();
    for args in &commands {
        let out = through(args);
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(3),
            "trucban --socket {args:?}: {}",
            text(&out.stderr)
        );
        daemon_results.push(result(&out));
    }

    // Writes go to the daemon's store.
    let out = through(&[
        "import".into(),
        "guests".into(),
        guests.display().to_string(),
    ]);
    assert!(out.status.success(), "import: {}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("2 rows imported into guests (2 new, 0 updated, 0 unchanged)"),
        "{}",
        text(&out.stdout)
    );
    let backup = work.path().join("host.backup");
    let out = through(&["backup".into(), backup.display().to_string()]);
    assert!(out.status.success(), "backup: {}", text(&out.stderr));
    assert!(backup.exists());
    let out = through(&["check".into()]);
    assert!(out.status.success(), "check: {}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!(
            "the store of trucban serve at {socket_arg}: intact"
        )),
        "{}",
        text(&out.stdout)
    );
    // The auditor reads the daemon's audit, which has this test's own requests in it.
    let out = shell.command(
        &["--socket", socket_arg, "account", "set", &me, "CB-000003"],
        None,
    );
    assert!(out.status.success(), "account set: {}", text(&out.stderr));
    let out = through(&[
        "audit".into(),
        "--json".into(),
        "--limit".into(),
        "500".into(),
    ]);
    assert!(out.status.success(), "audit: {}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("\"import\""),
        "{}",
        text(&out.stdout)
    );
    let out = through(&["audit".into(), "verify".into()]);
    assert!(out.status.success(), "audit verify: {}", text(&out.stderr));

    // The commands that work on a store directory refuse a socket; nothing is made.
    let restore_into = work.path().join("restored");
    let restore_arg = restore_into.display().to_string();
    let backup_arg = backup.display().to_string();
    let store_only: Vec<Vec<&str>> = vec![
        vec!["seed", "--sample"],
        vec!["gen", "--scale", "10"],
        vec!["demo"],
        vec!["restore", &backup_arg, "--data-dir", &restore_arg],
        vec!["restore", &backup_arg],
    ];
    for args in &store_only {
        let mut full = vec!["--socket", socket_arg];
        full.extend(args.iter().copied());
        let out = shell.run(&full);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let message = text(&out.stderr);
        assert!(
            message.contains("works on a store directory, not through trucban serve"),
            "{args:?}: {message}"
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
    }
    assert!(!restore_into.exists(), "restore made {restore_arg}");
    // A second daemon on the same socket is refused.
    let out = shell.run(&["--socket", socket_arg, "serve"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(shell.stores_under_home().is_empty());
    daemon.stop();

    // Same answers as the store's own, before or after.
    let after: Vec<Result> = commands.iter().map(|c| embedded(c)).collect();
    for (i, args) in commands.iter().enumerate() {
        let got = &daemon_results[i];
        // The import above changed the store after the daemon's run: compare with before
        // when after differs for that reason.
        assert!(
            got == &before[i] || got == &after[i],
            "trucban {args:?} through the daemon printed other than the store itself:\n--- through the daemon (exit {:?})\n{}\n--- the store (exit {:?})\n{}",
            got.code,
            got.stdout,
            before[i].code,
            before[i].stdout
        );
    }

    // A dead socket (the daemon gone, its socket removed) and a stale one (a socket file
    // nobody listens on): every command that needs a store fails and says so.
    let stale = work.path().join("stale.sock");
    drop(std::os::unix::net::UnixListener::bind(&stale).expect("bind"));
    assert!(stale.exists());
    let mut every: Vec<Vec<String>> = commands.clone();
    let more: &[&[&str]] = &[
        &["import", "guests", "{guests}"],
        &["export", "hits"],
        &["backup", "{backup}"],
        &["check"],
        &["check", "--json"],
        &["audit"],
        &["audit", "verify"],
        &["account", "set", "{me}", "CB-000001"],
        &["seed", "--sample"],
        &["gen", "--scale", "10"],
        &["demo"],
        &["restore", "{backup}"],
        &["serve"],
        &[],
    ];
    for args in more {
        every.push(
            args.iter()
                .map(|a| {
                    a.replace("{guests}", &guests.display().to_string())
                        .replace(
                            "{backup}",
                            &work.path().join("new.backup").display().to_string(),
                        )
                        .replace("{me}", &me)
                })
                .collect(),
        );
    }
    for dead in [socket.as_path(), stale.as_path()] {
        let dead_arg = dead.to_str().expect("utf-8 path");
        for args in &every {
            // `serve` listens on the socket it is given; the others talk to it.
            let mut full = vec!["--socket".to_string(), dead_arg.to_string()];
            full.extend(args.iter().cloned());
            let out = shell.run(&refs(&full));
            let message = text(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(1),
                "trucban --socket {dead_arg} {args:?} exited {:?}: {message}\n{}",
                out.status.code(),
                text(&out.stdout)
            );
            assert!(
                out.stdout.is_empty(),
                "{args:?} printed: {}",
                text(&out.stdout)
            );
            assert!(
                message.contains("cannot reach trucban serve")
                    || message.contains("not through trucban serve")
                    || message.contains("there is no store at"),
                "{args:?}: {message}"
            );
        }
    }
    // The same through TRUCBAN_SOCKET.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trucban"));
    let out = cmd
        .args(["late"])
        .env("HOME", shell.home.path())
        .env("XDG_DATA_HOME", shell.home.path().join("share"))
        .env("XDG_RUNTIME_DIR", shell.home.path().join("run"))
        .env("TRUCBAN_SOCKET", &socket)
        .env("LANG", "vi_VN.UTF-8")
        .env_remove("TRUCBAN_DATA_DIR")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("không kết nối được trucban serve"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert!(
        shell.stores_under_home().is_empty(),
        "a store was made under the home: {:?}",
        shell.stores_under_home()
    );
    // The commands that read no store print what they print anywhere, and make nothing.
    let sample_dir = work.path().join("sample-files");
    let sample_arg = sample_dir.display().to_string();
    for args in [
        &["columns", "guests"][..],
        &["keys"],
        &["write-sample", &sample_arg],
    ] {
        let mut full = vec!["--socket", socket_arg];
        full.extend(args.iter().copied());
        let with_socket = shell.run(&full);
        assert!(with_socket.status.success(), "{args:?}");
        assert_eq!(with_socket.stdout, shell.run(args).stdout, "{args:?}");
    }
    assert!(sample_dir.join("guests.csv").exists());
    assert!(!trucban::store::SledBackend::exists(&sample_dir));
    // Without any socket, the platform's store (under the temporary home) does not exist,
    // and the commands that only read say so instead of making it.
    for args in [
        &["late"][..],
        &["stats"],
        &["roster", "check"],
        &["inspect-next"],
    ] {
        let out = shell.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            text(&out.stderr).contains("there is no store at"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    assert!(shell.stores_under_home().is_empty());
}
