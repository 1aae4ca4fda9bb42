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
// Beside this file, not in tests/: cargo would take a file there for a test of its own.
#[path = "both_ways/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};

use harness::{Check, READ, WRITE, World, audit_without_chain, copy_dir};

const PIN: &str = "246810";
/// Sample officers by role: an administrator, a supervisor, a duty officer, an auditor.
const ADMIN: &str = "CB-000001";
const SUPERVISOR: &str = "CB-000004";
const DUTY: &str = "CB-000013";
const AUDITOR: &str = "CB-000003";

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
            .contains("2 rows imported into guests (2 new, 0 updated, 0 unchanged)"),
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
    world.both(&["backup", &backup, "--force"], 0, WRITE);

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

#[test]
fn only_the_times_of_a_signing_and_an_acknowledgement_are_hidden() {
    let sheet = "{\n  \"handover\": {\n    \"signed_at\": \"2026-12-04T01:24:46Z\",\n    \"acknowledged\": {\n      \"officer\": \"CB-000013\",\n      \"at\": \"2026-12-04T01:24:47Z\",\n      \"remarks\": \"Đã nhận đủ\"\n    }\n  },\n  \"steps\": [{\n      \"officer\": \"CB-000001\",\n      \"at\": \"2026-12-04T01:00:00Z\"\n  }]\n}";
    let hidden = harness::write_times_hidden(sheet);
    assert!(
        !hidden.contains("01:24:46") && !hidden.contains("01:24:47"),
        "{hidden}"
    );
    assert!(
        hidden.contains("\"at\": \"2026-12-04T01:00:00Z\""),
        "{hidden}"
    );
    assert_eq!(hidden.lines().count(), sheet.lines().count(), "{hidden}");
}
