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
        unit: "Công an huyện Phong Thổ".into(),
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
    // The chains interleave: the unit's, the desk's, the unit's again.
    let mut refused = draft.clone();
    refused.unit = String::new();
    refused.outcome = trucban::domain::audit::Outcome::Refused;
    desk.store().append_audit(&refused).expect("desk's chain");
    desk.store().append_audit(&draft).expect("unit's chain");
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
    let units: Vec<&str> = original
        .audit_heads
        .iter()
        .map(|h| h.unit.as_str())
        .collect();
    assert_eq!(units, ["", "Công an huyện Phong Thổ"], "two chains moved");
    assert_eq!(
        in_database.verify_audit().expect("verify"),
        Ok(original.audit_heads.iter().map(|h| h.seq).sum::<u64>())
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

#[test]
fn a_database_from_before_chains_per_unit_keeps_its_chain_as_the_desks() {
    let Some((_temp, _, database)) = engine::own_database("migrate::chains_per_unit") else {
        return;
    };
    // The schema and three entries as a trucban of migration V1 wrote them: one chain, its
    // head in the single row, no unit anywhere.
    PgBackend::schema_up_to(&database, 1).expect("schema V1");
    let now = common::running::now();
    let draft = |n: u32| trucban::domain::audit::AuditDraft {
        at: now + chrono::Duration::seconds(i64::from(n)),
        user: "dan".into(),
        officer: None,
        action: "search".into(),
        record: None,
        detail: format!("tìm {n}"),
        outcome: trucban::domain::audit::Outcome::Ok,
        unit: String::new(),
    };
    let mut old: Vec<trucban::domain::audit::AuditEntry> = Vec::new();
    for n in 1..=3 {
        let last = old.last().map(|e| (e.seq, e.hash.as_str()));
        old.push(trucban::domain::audit::AuditEntry::chain(last, draft(n)));
    }
    let mut client = postgres::Client::connect(&database, postgres::NoTls).expect("connect");
    for e in &old {
        let body = serde_json::to_string(e).expect("json");
        assert!(!body.contains("unit"), "{body}");
        client
            .execute(
                "INSERT INTO audit (seq, hash, entry) VALUES ($1, $2, $3::text::jsonb)",
                &[&(e.seq as i64), &e.hash, &body],
            )
            .expect("an old entry");
    }
    let last = old.last().expect("entries");
    client
        .execute(
            "INSERT INTO audit_head (seq, hash) VALUES ($1, $2)",
            &[&(last.seq as i64), &last.hash],
        )
        .expect("the old head");
    drop(client);

    // Opened by this trucban (migration V2): the old chain is the desk's and verifies; a
    // unit starts its own; the desk's goes on from the old head.
    let store = PgBackend::open(&database, now).expect("open and upgrade");
    assert_eq!(store.verify_audit().expect("verify"), Ok(3));
    let mut unit = draft(4);
    unit.unit = "Công an xã Dào San".into();
    assert_eq!(store.append_audit(&unit).expect("unit").seq, 1);
    assert_eq!(store.append_audit(&draft(5)).expect("desk").seq, 4);
    assert_eq!(store.verify_audit().expect("verify"), Ok(5));
    let listed = store.audit_entries(&Default::default()).expect("list");
    assert_eq!(listed[..3], old[..]);
    assert_eq!(listed.len(), 5);
    assert!(store.check().expect("check").intact());
}
