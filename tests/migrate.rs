//! `trucban migrate` (issue 17): a store directory into an empty PostgreSQL database and
//! back, everything kept — records, accounts, restricted values, the audit chain with its
//! hashes — verified by counts and content checksums; a target that holds anything is
//! refused and left as it was.
//!
//! Needs a PostgreSQL server (`TRUCBAN_TEST_POSTGRES`, which `.ci/run` sets): without one
//! these tests say so and do nothing, except under CI=true, where they fail.

#![allow(clippy::panic)]

mod common;

use std::path::Path;
use std::process::Output;

use common::engine;
use trucban::domain::access::RestrictedNote;
use trucban::domain::{Informant, Kind, Record};
use trucban::service::DeskApi;
use trucban::store::moving::fingerprint;
use trucban::store::{Backend, PgBackend, SledBackend, Write};

fn trucban(args: &[&str], home: &Path) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_trucban"))
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("TRUCBAN_SOCKET")
        .env_remove("TRUCBAN_DATA_DIR")
        .env_remove("TRUCBAN_DATABASE")
        .output()
        .expect("run trucban")
}

/// A sled store with the sample, an account, a tip's informant, a restricted note and
/// audit entries.
fn source(dir: &Path) {
    let now = common::running::now();
    let store = SledBackend::open(dir, now).expect("open");
    let sample = trucban::cli::sample_records(now).expect("sample");
    let desk = trucban::service::LocalDesk::new(store, trucban::domain::Clock::fixed(now));
    desk.load(&sample).expect("load");
    desk.set_account(
        "dan",
        "CB-000020".parse().expect("id"),
        Some("246810".into()),
    )
    .expect("account");
    let tip = sample
        .iter()
        .find(|r| r.kind() == Kind::Tip)
        .expect("a tip")
        .clone();
    let informant = Informant {
        name: "Người báo tin (hư cấu)".into(),
        contact: "0000".into(),
        note: String::new(),
        officers: vec!["CB-000020".parse().expect("id")],
    };
    let note = RestrictedNote {
        text: "ghi chú mật (hư cấu)".into(),
        officers: vec!["CB-000020".parse().expect("id")],
        by: Some("CB-000020".parse().expect("id")),
        at: now,
    };
    let draft = trucban::domain::audit::AuditDraft {
        at: now,
        user: "dan".into(),
        officer: Some("CB-000020".parse().expect("id")),
        action: "save_tip".into(),
        record: Some(tip.id()),
        detail: String::new(),
        outcome: trucban::domain::audit::Outcome::Ok,
    };
    desk.store()
        .write(&Write {
            records: std::slice::from_ref(&tip),
            informant: Some((tip.id(), &informant)),
            note: Some((tip.id(), &note)),
            audit: Some(&draft),
            ..Write::default()
        })
        .expect("write");
    assert!(matches!(tip, Record::Tip(_)));
}

#[test]
fn a_store_moves_into_postgresql_and_back_whole() {
    let Some(server) = engine::postgres_server("migrate::round_trip") else {
        return;
    };
    let temp = tempfile::tempdir().expect("temp");
    let (a, b) = (temp.path().join("a"), temp.path().join("b"));
    source(&a);
    let database = engine::database_on(&server, &temp.path().join("db")).expect("database");
    let (a_str, b_str) = (a.to_str().expect("utf-8"), b.to_str().expect("utf-8"));

    let out = trucban(
        &["migrate", "--from", a_str, "--to", &database],
        temp.path(),
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("agree in counts and content checksums"),
        "{said}"
    );
    let out = trucban(
        &["migrate", "--from", &database, "--to", b_str],
        temp.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let now = common::running::now();
    let original = fingerprint(&SledBackend::open(&a, now).expect("a")).expect("a");
    let in_database = PgBackend::open(&database, now).expect("db");
    assert_eq!(fingerprint(&in_database).expect("db"), original);
    assert_eq!(
        in_database.verify_audit().expect("verify"),
        Ok(original.audit_head.clone().expect("head").0)
    );
    assert!(in_database.check().expect("check").intact());
    let back = SledBackend::open(&b, now).expect("b");
    assert_eq!(fingerprint(&back).expect("b"), original);
    assert_eq!(original.restricted.0, 2, "the informant and the note moved");
    assert_eq!(original.accounts.0, 1);
    assert!(back.check().expect("check").intact());
    // New IDs in the moved store come after the moved ones.
    let highest = back
        .scan(Kind::Tip)
        .map(|r| r.expect("tip").id().num())
        .max()
        .expect("tips");
    assert!(in_database.reserve_ids(Kind::Tip, 1).expect("reserve") > highest);
}

#[test]
fn a_target_that_holds_anything_is_refused_and_left_as_it_was() {
    let Some(server) = engine::postgres_server("migrate::refused") else {
        return;
    };
    let temp = tempfile::tempdir().expect("temp");
    let a = temp.path().join("a");
    source(&a);
    let database = engine::database_on(&server, &temp.path().join("db")).expect("database");
    let now = common::running::now();
    {
        let target: std::sync::Arc<dyn Backend> =
            std::sync::Arc::new(PgBackend::open(&database, now).expect("db"));
        let officer = trucban::cli::sample_records(now)
            .expect("sample")
            .into_iter()
            .find(|r| r.kind() == Kind::Officer)
            .expect("officer");
        target.put(&[officer]).expect("one record");
    }
    let before = fingerprint(&PgBackend::open(&database, now).expect("db")).expect("db");
    let out = trucban(
        &[
            "migrate",
            "--from",
            a.to_str().expect("utf-8"),
            "--to",
            &database,
        ],
        temp.path(),
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("[migrate.target_not_empty]") && said.contains("nothing was written"),
        "{said}"
    );
    assert_eq!(
        fingerprint(&PgBackend::open(&database, now).expect("db")).expect("db"),
        before
    );
    // A directory that holds a store, the same.
    let out = trucban(
        &[
            "migrate",
            "--from",
            &database,
            "--to",
            a.to_str().expect("utf-8"),
        ],
        temp.path(),
    );
    assert_eq!(out.status.code(), Some(1));
}
