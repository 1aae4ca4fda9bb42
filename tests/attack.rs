//! The attack suite: an officer with an account and a small client, against the daemon's
//! socket — forged officer, signer, author and reader fields; rewritten or removed steps
//! and histories; changes to closed records; restricted data overwritten or read; the lock
//! and the lockout escaped by reconnecting; twenty PIN guesses at once; every request a
//! role may not make (the rows: `attack/rows.rs`).
//!
//! Each row, against an in-process daemon and against `trucban serve` as a process: refused
//! with the expected error, which reads in Vietnamese and in English; the store unchanged
//! (every record, the targets' restricted values, and `check`); the refusal audited under
//! the attacker's user with the request's action. And a sweep generated from the list of
//! requests (`attack/sweep.rs`): every (role, request) — per kind for `save` and notes —
//! the list does not allow, sent as raw frames, refused and audited (146 today).

#![allow(clippy::panic)]

mod common;
use common::engine;
#[path = "attack/fixtures.rs"]
mod fixtures;
#[path = "attack/rows.rs"]
mod rows;
#[path = "attack/sweep.rs"]
mod sweep;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{SubsecRound, Utc};
use trucban::domain::audit::{AuditEntry, AuditQuery, Outcome, is_after};
use trucban::domain::{Clock, OfficerRole, RecordId};
use trucban::i18n::Lang;
use trucban::service::daemon::{self, Daemon};
use trucban::service::session::AccountGate;
use trucban::service::{DeskApi, LocalDesk, RemoteDesk, ServiceError};

use fixtures::{PIN, Targets, fingerprint, id};
use rows::{Ctx, Row};

fn officer_of(role: OfficerRole) -> RecordId {
    id(match role {
        OfficerRole::Duty => "CB-000020",
        OfficerRole::Supervisor => "CB-000004",
        OfficerRole::Admin => "CB-000001",
        OfficerRole::Auditor => "CB-000003",
    })
}

/// What is wrong with a row's outcome, if anything: not refused, refused with another
/// error, or an error that does not read in both languages.
fn judge(row: &Row, result: &Result<(), ServiceError>) -> Option<String> {
    match result {
        Ok(()) => Some(format!("{}: NOT REFUSED", row.name)),
        Err(e) if !row.expect.matches(e) => Some(format!(
            "{}: expected {:?}, got {e:?}",
            row.name, row.expect
        )),
        Err(e) => {
            let (vi, en) = (e.label(Lang::Vi), e.label(Lang::En));
            (vi.trim().is_empty() || en.trim().is_empty() || vi == en)
                .then(|| format!("{}: not in both languages: {vi:?} / {en:?}", row.name))
        }
    }
}

/// Whether `entries` hold the refusal of `row` by `user`.
fn audited(entries: &[AuditEntry], row: &Row, user: &str) -> bool {
    entries.iter().any(|e| {
        e.draft.user == user && e.draft.action == row.action && e.draft.outcome != Outcome::Ok
    })
}

fn ctx<'a>(desk: &'a RemoteDesk, t: &'a Targets, socket: &'a Path, store_dir: &'a Path) -> Ctx<'a> {
    Ctx {
        desk,
        t,
        socket,
        store_dir,
    }
}

#[test]
fn every_attack_is_refused_by_the_daemon_in_process() {
    let rows = rows::all();
    assert!(rows.len() >= 40, "{} rows", rows.len());
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let now = Utc::now().trunc_subsecs(0);
    let t = fixtures::seed(&data, now);
    let desk = LocalDesk::over(engine::open(&data, now), Clock::fixed(now));
    let daemon = Daemon::start(
        desk,
        Arc::new(AccountGate::new(Clock::system())),
        daemon::Options::new(dir.path().join("run").join("trucban.sock")),
    )
    .expect("daemon");
    let (store, socket) = (daemon.desk().store(), daemon.socket().to_path_buf());
    let me = common::me();
    let mut failures = Vec::new();
    for row in &rows {
        // A fresh account each row (a new PIN clears any lock a row before left).
        daemon
            .desk()
            .set_account(&me, officer_of(row.role), Some(PIN.into()))
            .expect("account");
        let before = fingerprint(store, &t);
        let seen = store.audit_heads().expect("head");
        let result = {
            let desk = RemoteDesk::connect(&socket).expect("admitted");
            (row.attack)(&ctx(&desk, &t, &socket, &data))
        };
        failures.extend(judge(row, &result));
        if fingerprint(store, &t) != before {
            failures.push(format!("{}: THE STORE CHANGED", row.name));
        }
        let check = store.check().expect("check");
        if !check.intact() {
            failures.push(format!("{}: check found {:?}", row.name, check.problems));
        }
        let entries: Vec<AuditEntry> = store
            .audit_entries(&AuditQuery::default())
            .expect("audit")
            .into_iter()
            .filter(|e| is_after(e, &seen))
            .collect();
        if !audited(&entries, row, &me) {
            failures.push(format!("{}: refusal not audited", row.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
    println!("{} attacks refused, audited, store unchanged", rows.len());
}

#[test]
fn every_request_a_role_may_not_make_is_refused_and_audited() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let now = Utc::now().trunc_subsecs(0);
    let t = fixtures::seed(&data, now);
    let desk = LocalDesk::over(engine::open(&data, now), Clock::fixed(now));
    let daemon = Daemon::start(
        desk,
        Arc::new(AccountGate::new(Clock::system())),
        daemon::Options::new(dir.path().join("run").join("trucban.sock")),
    )
    .expect("daemon");
    let (store, socket) = (daemon.desk().store(), daemon.socket().to_path_buf());
    let me = common::me();
    let mut failures = Vec::new();
    let mut sent = 0;
    for role in [
        OfficerRole::Duty,
        OfficerRole::Supervisor,
        OfficerRole::Admin,
        OfficerRole::Auditor,
    ] {
        daemon
            .desk()
            .set_account(&me, officer_of(role), Some(PIN.into()))
            .expect("account");
        let before = fingerprint(store, &t);
        let seen = store.audit_heads().expect("head");
        let forbidden = sweep::forbidden_for(role, &t, store);
        for (name, request) in &forbidden {
            sent += 1;
            match sweep::call(&socket, request.clone()) {
                Err(trucban::service::wire::WireError::Forbidden(_)) => {}
                other => failures.push(format!("{role:?} {name}: {other:?}")),
            }
        }
        if fingerprint(store, &t) != before {
            failures.push(format!("{role:?}: THE STORE CHANGED"));
        }
        let refused: Vec<String> = store
            .audit_entries(&AuditQuery::default())
            .expect("audit")
            .into_iter()
            .filter(|e| {
                is_after(e, &seen) && e.draft.user == me && e.draft.outcome == Outcome::Refused
            })
            .map(|e| e.draft.action)
            .collect();
        for (name, _) in &forbidden {
            let method = name.split(' ').next().unwrap_or_default();
            if !refused.iter().any(|a| a == method) {
                failures.push(format!("{role:?} {name}: refusal not audited"));
            }
        }
    }
    assert!(store.check().expect("check").intact());
    assert!(
        failures.is_empty(),
        "{} of {sent} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{sent} forbidden requests refused and audited");
}

/// `trucban serve` as deployed (a process of its own), started with the attacker's
/// account pointed at `role`'s officer; stopped with SIGTERM.
struct Serve {
    child: std::process::Child,
    socket: PathBuf,
}

impl Serve {
    fn start(data: &Path, socket: &Path) -> Serve {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_trucban"))
            .arg("serve")
            .arg("--data-dir")
            .arg(data)
            .arg("--socket")
            .arg(socket)
            .env_remove("TRUCBAN_DATA_DIR")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start trucban serve");
        let serve = Serve {
            child,
            socket: socket.to_path_buf(),
        };
        for _ in 0..600 {
            if std::os::unix::net::UnixStream::connect(&serve.socket).is_ok() {
                return serve;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("trucban serve never answered");
    }

    fn stop(mut self) {
        let pid = nix::unistd::Pid::from_raw(i32::try_from(self.child.id()).expect("pid"));
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).expect("signal");
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "trucban serve stopped with {status}");
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn every_attack_is_refused_by_trucban_serve() {
    let rows = rows::all();
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let socket = dir.path().join("run").join("trucban.sock");
    let now = Utc::now().trunc_subsecs(0);
    let t = fixtures::seed(&data, now);
    let me = common::me();
    // One daemon per role; a row that locks the account gets one of its own.
    let mut phases: Vec<Vec<&Row>> = Vec::new();
    for row in &rows {
        let locks = matches!(row.expect, rows::Expect::Locked | rows::Expect::LockedOut);
        match phases.last_mut() {
            Some(phase) if !locks && phase[0].role == row.role && !phase_locks(phase) => {
                phase.push(row)
            }
            _ => phases.push(vec![row]),
        }
    }
    let mut failures = Vec::new();
    for phase in &phases {
        let (before, seen) = {
            let store = engine::open(&data, now);
            let desk = LocalDesk::over(store, Clock::fixed(now));
            desk.set_account(&me, officer_of(phase[0].role), Some(PIN.into()))
                .expect("account");
            let head = desk.store().audit_heads().expect("head");
            (fingerprint(desk.store(), &t), head)
        };
        let serve = Serve::start(&data, &socket);
        for row in phase {
            let desk = RemoteDesk::connect(&socket).expect("admitted");
            let result = (row.attack)(&ctx(&desk, &t, &socket, &data));
            failures.extend(judge(row, &result));
        }
        serve.stop();
        let store = engine::open(&data, now);
        if fingerprint(&*store, &t) != before {
            failures.push(format!("{:?} phase: THE STORE CHANGED", phase[0].role));
        }
        let check = store.check().expect("check");
        if !check.intact() {
            failures.push(format!("check found {:?}", check.problems));
        }
        let entries: Vec<AuditEntry> = store
            .audit_entries(&AuditQuery::default())
            .expect("audit")
            .into_iter()
            .filter(|e| is_after(e, &seen))
            .collect();
        for row in phase {
            if !audited(&entries, row, &me) {
                failures.push(format!("{}: refusal not audited", row.name));
            }
        }
        match store.verify_audit().expect("verify") {
            Ok(_) => {}
            Err(broken) => failures.push(format!("audit chain broken: {broken:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures over {} rows:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
    println!(
        "{} attacks refused by trucban serve in {} runs",
        rows.len(),
        phases.len()
    );
}

fn phase_locks(phase: &[&Row]) -> bool {
    phase
        .iter()
        .any(|r| matches!(r.expect, rows::Expect::Locked | rows::Expect::LockedOut))
}
