#![allow(clippy::panic)]
//! The daemon (`trucban serve`) and its socket protocol: every request through the socket
//! gives what the store itself gives, errors arrive as the same errors, the socket is placed
//! safely, pushes reach the other consoles, many clients lose no write, and a client that
//! stops reading is held to a bounded queue.

mod common;
use common::running::{log_entry, now, start, start_with};

use std::collections::BTreeSet;
use std::time::Duration;

use trucban::domain::shifts::ShiftPlan;
use trucban::domain::*;
use trucban::i18n::Lang;
use trucban::service::wire::{Pushed, Request};
use trucban::service::{
    DeskApi, Format, ImportSource, ListQuery, LocalDesk, ServiceError, TipStep,
};
use trucban::store::SyncMode;

fn first(desk: &LocalDesk, kind: Kind) -> Record {
    desk.list(&ListQuery::all(kind))
        .expect("list")
        .records
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("the sample has a {}", kind.name()))
}

/// Same value, or errors with the same message.
fn same<T: PartialEq + std::fmt::Debug>(
    method: &str,
    remote: Result<T, ServiceError>,
    local: Result<T, ServiceError>,
) {
    match (remote, local) {
        (Ok(r), Ok(l)) => assert_eq!(r, l, "{method}: the daemon's answer differs"),
        (Err(r), Err(l)) => assert_eq!(r.to_string(), l.to_string(), "{method}: errors differ"),
        (r, l) => panic!("{method}: through the daemon {r:?}, in-process {l:?}"),
    }
}

fn search_ready(desk: &dyn DeskApi) -> Vec<trucban::search::Hit> {
    // The daemon loads its index when it starts; a search before that is refused, not
    // wrong. Wait for it (bounded, so a hang fails rather than blocks).
    for _ in 0..600 {
        match desk.search("lò", None, 20, Lang::Vi) {
            Ok(hits) => return hits,
            Err(ServiceError::SearchNotReady) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("search: {e}"),
        }
    }
    panic!("the search index never loaded");
}

#[test]
fn every_request_through_the_socket_answers_as_the_store_does() {
    let running = start();
    let remote = running.connect();
    let local = running.local();
    let at = now();
    let mut called: BTreeSet<&str> = BTreeSet::new();
    let mut call = |name: &'static str| {
        called.insert(name);
        name
    };

    same(call("stats"), remote.stats(), local.stats());
    let wanted = first(local, Kind::Wanted);
    same(call("get"), remote.get(wanted.id()), local.get(wanted.id()));
    let named = vec![first(local, Kind::Person).id(), wanted.id()];
    let (many, local_many) = (remote.get_many(named.clone()), local.get_many(named));
    same(call("get_many"), many, local_many);
    let query = ListQuery {
        kind: Kind::GuestStay,
        contains: Some("lo".into()),
        sort: trucban::service::SortBy::Title,
        descending: true,
        offset: 2,
        limit: 7,
    };
    same(call("list"), remote.list(&query), local.list(&query));
    let status = match &wanted {
        Record::Wanted(w) => w.status,
        _ => unreachable!(),
    };
    same(
        call("wanted_with_status"),
        remote.wanted_with_status(status),
        local.wanted_with_status(status),
    );
    let week = at - chrono::Duration::days(7);
    same(
        call("guests_checked_in"),
        remote.guests_checked_in(week, at),
        local.guests_checked_in(week, at),
    );
    let place = first(local, Kind::Establishment).id();
    same(
        call("guests_of"),
        remote.guests_of(place),
        local.guests_of(place),
    );
    let assignment = match first(local, Kind::Assignment) {
        Record::Assignment(a) => a,
        _ => unreachable!(),
    };
    same(
        call("roster_on"),
        remote.roster_on(assignment.date),
        local.roster_on(assignment.date),
    );
    same(call("related"), remote.related(place), local.related(place));
    same(
        call("late_declarations"),
        remote.late_declarations(week, at, at),
        local.late_declarations(week, at, at),
    );
    let hits = local.hit_counts(week).expect("hit counts");
    same(
        call("hit_counts"),
        remote.hit_counts(week),
        Ok(hits.clone()),
    );
    same(
        call("inspection_candidates"),
        remote.inspection_candidates(at, &hits),
        local.inspection_candidates(at, &hits),
    );
    call("search");
    assert_eq!(search_ready(&remote), search_ready(local));
    let campaign = assignment.campaign_id;
    same(
        call("roster"),
        remote.roster(campaign),
        local.roster(campaign),
    );
    same(
        call("on_duty"),
        remote.on_duty(campaign, at),
        local.on_duty(campaign, at),
    );
    same(
        call("roster_problems"),
        remote.roster_problems(campaign),
        local.roster_problems(campaign),
    );
    let plan = ShiftPlan::default();
    let shift = plan.shift_at(at);
    let next = plan.next(at);
    same(
        call("handover_sheet"),
        remote.handover_sheet(shift, next, at, Lang::En),
        local.handover_sheet(shift, next, at, Lang::En),
    );
    let period = trucban::domain::report::Period::new(
        at.date_naive() - chrono::Duration::days(30),
        at.date_naive(),
    )
    .expect("period");
    same(
        call("report"),
        remote.report(period, Lang::Vi),
        local.report(period, Lang::Vi),
    );
    same(
        call("report_records"),
        remote.report_records(period, "hits_found"),
        local.report_records(period, "hits_found"),
    );
    same(
        call("tips_overdue"),
        remote.tips_overdue(at),
        local.tips_overdue(at),
    );
    let shift = trucban::domain::shifts::ShiftPlan::default().shift_at(at);
    same(
        call("shift_glance"),
        remote.shift_glance(shift, at, true),
        local.shift_glance(shift, at, true),
    );
    same(
        call("duty_status"),
        remote.duty_status(at),
        local.duty_status(at),
    );
    same(
        call("tips_received"),
        remote.tips_received(at - chrono::Duration::days(60), at),
        local.tips_received(at - chrono::Duration::days(60), at),
    );

    // Export and import: bytes cross (base64) intact, and the file goes back in.
    let exported = remote.export(Kind::Officer, Format::Csv);
    call("export_page");
    same("export", exported, local.export(Kind::Officer, Format::Csv));
    let officers = remote.export(Kind::Officer, Format::Csv).expect("export");
    let source = ImportSource {
        name: "officers.csv".into(),
        bytes: officers,
        format: Format::Csv,
        on_disk: None,
    };
    let report = remote.import(Kind::Officer, &source).expect("import");
    call("import");
    // The store's own export, back in: every row as the store holds it, nothing rewritten.
    assert_eq!((report.created, report.updated), (0, 0));
    assert_eq!(
        report.unchanged,
        local.stats().expect("stats").count(Kind::Officer)
    );
    let guests = remote
        .export(Kind::GuestStay, Format::Csv)
        .expect("export guests");
    let guests = ImportSource {
        name: "guests.csv".into(),
        bytes: guests,
        format: Format::Csv,
        on_disk: None,
    };
    same(
        call("screen_file"),
        remote.screen_file(&guests),
        local.screen_file(&guests),
    );

    // Writes: the daemon's answer is what the store now holds.
    let officer = first(local, Kind::Officer).id();
    let other_officer = local
        .list(&ListQuery::all(Kind::Officer))
        .expect("officers")
        .records[1]
        .id();
    let saved = remote
        .save(log_entry(officer, "Kiểm tra qua socket"))
        .expect("save");
    call("save");
    assert_eq!(
        remote.get(saved).expect("get"),
        local.get(saved).expect("get")
    );
    let changed = remote
        .change_wanted_status(wanted.id(), status, "ghi chú", Some(officer), at)
        .expect("status");
    call("change_wanted_status");
    assert_eq!(Some(changed), local.get(wanted.id()).expect("get"));
    let hit = first(local, Kind::Hit).id();
    let step = HitStep {
        at,
        officer_id: officer,
        outcome: HitOutcome::Escalated,
        confirmed_by: None,
        confirmed_at: None,
        note: "báo lãnh đạo".into(),
    };
    call("add_hit_step");
    match remote.add_hit_step(hit, step) {
        Ok(record) => assert_eq!(Some(record), local.get(hit).expect("get")),
        // A hit whose outcome is final refuses more steps: the same refusal arrives.
        Err(ServiceError::Rule(_)) => {}
        Err(e) => panic!("add_hit_step: {e}"),
    }
    // A double booking: refused through the socket as in-process, nothing written.
    let other_post = local
        .roster(campaign)
        .expect("roster")
        .shifts
        .iter()
        .flat_map(|s| s.posts.iter().map(|p| p.post.clone()))
        .find(|p| *p != assignment.post)
        .expect("a campaign with two posts");
    let twice = trucban::service::roster::RosterEdit::Add(Assignment {
        id: RecordId::new(Kind::Assignment, 0),
        post: other_post,
        ..assignment.clone()
    });
    let refused = remote.edit_roster(officer, twice);
    call("edit_roster");
    // The refusal arrives whole: its problem, with the records named (the refused addition
    // took no number, as in-process: it is the unnumbered one of the two).
    match refused {
        Err(ServiceError::RosterRefused(problems)) => match problems.as_slice() {
            [
                problem @ trucban::domain::roster::RosterProblem::DoubleBooked {
                    officer_id, ..
                },
            ] => {
                assert_eq!(*officer_id, assignment.officer_id);
                let mut named = problem.records();
                named.sort();
                assert_eq!(
                    named,
                    vec![RecordId::new(Kind::Assignment, 0), assignment.id]
                );
            }
            other => panic!("edit_roster: {other:?}"),
        },
        other => panic!("expected RosterRefused, got {other:?}"),
    }
    let signed = remote
        .sign_handover(shift, officer, "Ca trực bình thường", at)
        .expect("sign");
    call("sign_handover");
    assert_eq!(Some(signed.clone()), local.get(signed.id()).expect("get"));
    let acknowledged = remote
        .acknowledge_handover(signed.id(), other_officer, "đã nhận", at)
        .expect("acknowledge");
    call("acknowledge_handover");
    assert_eq!(Some(acknowledged), local.get(signed.id()).expect("get"));
    let mut tip = match first(local, Kind::Tip) {
        Record::Tip(t) => t,
        _ => unreachable!(),
    };
    tip.id = RecordId::new(Kind::Tip, 0);
    tip.status = TipStatus::Received;
    tip.extensions.clear();
    let informant = Informant {
        name: "Người báo tin".into(),
        contact: String::new(),
        note: String::new(),
        officers: vec![officer],
    };
    let tip_id = remote.save_tip(tip, Some(informant.clone())).expect("tip");
    call("save_tip");
    same(
        call("informant"),
        remote.informant(tip_id, officer),
        Ok(informant),
    );
    // Not named on it: refused, the same refusal.
    same(
        "informant",
        remote.informant(tip_id, other_officer),
        local.informant(tip_id, other_officer),
    );
    let stepped = remote
        .tip_step(
            tip_id,
            TipStep {
                status: TipStatus::Verifying,
                verifier: Some(officer),
                extension: None,
            },
        )
        .expect("tip step");
    call("tip_step");
    assert_eq!(Some(stepped), local.get(tip_id).expect("get"));

    // Sessions, access, audit, check and backup (the open gate serves the desk itself: the
    // roles and the lock are tested through AccountGate in tests/daemon_sessions.rs).
    same(call("whoami"), remote.whoami(), local.whoami());
    same(call("lock"), remote.lock(), local.lock());
    same(
        call("unlock"),
        remote.unlock("246810"),
        local.unlock("246810"),
    );
    let officers: Vec<RecordId> = vec![officer];
    let note = trucban::domain::access::RestrictedNote {
        text: "Nhân chứng: giữ bí mật".into(),
        officers,
        by: None,
        at,
    };
    remote
        .set_restricted_note(wanted.id(), note.clone())
        .expect("note");
    call("set_restricted_note");
    same(
        call("restricted_note"),
        remote.restricted_note(wanted.id(), Some(officer)),
        local.restricted_note(wanted.id(), Some(officer)),
    );
    remote
        .set_account("trucban-test", officer, Some("246810".into()))
        .expect("account");
    call("set_account");
    same(call("accounts"), remote.accounts(), local.accounts());
    let query = trucban::domain::audit::AuditQuery::default();
    same(call("audit"), remote.audit(&query), local.audit(&query));
    same(
        call("audit_verify"),
        remote.audit_verify(),
        local.audit_verify(),
    );
    same(call("check"), remote.check(), local.check());
    let backup = running.dir.path().join("through-the-socket.bak");
    call("backup");
    if common::engine::server().is_some() {
        // On PostgreSQL a backup is PostgreSQL's own (pg_dump): refused alike through the
        // socket and in-process.
        let code = |r: Result<_, ServiceError>| r.map(drop).map_err(|e| e.code().to_string());
        let refused = code(remote.backup(&backup, false));
        assert_eq!(refused, Err("backup.use_database_tools".to_string()));
        assert_eq!(refused, code(local.backup(&backup, false)));
    } else {
        backups_through_the_socket(&running, &remote, local, &backup);
    }

    let all: BTreeSet<&str> = Request::METHODS.iter().copied().collect();
    assert_eq!(
        called, all,
        "a DeskApi method crosses the socket without a round-trip test here"
    );
}

/// A backup through the socket is the one written in-process, and the daemon writes one
/// with its own rights only where it may (the sled engine's files).
fn backups_through_the_socket(
    running: &common::running::Running,
    remote: &trucban::service::RemoteDesk,
    local: &LocalDesk,
    backup: &std::path::Path,
) {
    let summary = remote.backup(backup, false).expect("backup");
    assert_eq!(
        summary.sha256,
        local
            .backup(&running.dir.path().join("in-process.bak"), false)
            .expect("backup")
            .sha256
    );

    // The daemon writes a backup with its own rights: never into the store's directory or
    // beside its socket, never from a relative path, never over a file that is no backup.
    let before = local.store().generation().expect("generation");
    let store_dir = local
        .store()
        .files()
        .expect("a store on disk")
        .to_path_buf();
    let socket_dir = running.socket().parent().expect("socket dir").to_path_buf();
    let not_a_backup = running.dir.path().join("notes.txt");
    std::fs::write(&not_a_backup, "ghi chú").expect("write");
    for refused in [
        store_dir.join("snap.bak"),
        store_dir.join("sub").join("..").join("db"),
        store_dir
            .parent()
            .expect("data dir")
            .join("beside-the-seal.bak"),
        socket_dir.join("x.bak"),
        std::path::PathBuf::from("relative.bak"),
        not_a_backup.clone(),
    ] {
        // Even when asked to replace what is there.
        match remote.backup(&refused, true) {
            Err(ServiceError::Invalid(why)) => assert!(why.en.starts_with("backup: "), "{why}"),
            other => panic!("backup to {} not refused: {other:?}", refused.display()),
        }
    }
    assert_eq!(
        std::fs::read_to_string(&not_a_backup).expect("read"),
        "ghi chú"
    );
    assert!(!socket_dir.join("x.bak").exists());
    assert!(local.check().expect("check").intact());
    // A refusal writes nothing but (through a session) its audit entry.
    assert_eq!(local.store().generation().expect("generation"), before);
    // An earlier backup is replaced only when asked to.
    match remote.backup(backup, false) {
        Err(ServiceError::Invalid(why)) => assert!(why.en.contains("--force"), "{why}"),
        other => panic!("an earlier backup replaced unasked: {other:?}"),
    }
    remote
        .backup(backup, true)
        .expect("backup over the earlier one");
}

/// Issue 16 friction: a hit's detail comes in the language the console asks in, through the
/// socket as in-process (`đang truy nã` was shown to English consoles); the records found
/// are the same in both languages.
#[test]
fn search_details_come_in_the_language_asked() {
    let running = start();
    let remote = running.connect();
    let local = running.local();
    search_ready(&remote);
    let ask = |desk: &dyn DeskApi, lang: Lang| {
        desk.search("kind:wanted tt:wanted", None, 20, lang)
            .expect("search")
    };
    let (en, vi) = (ask(&remote, Lang::En), ask(&remote, Lang::Vi));
    assert_eq!(
        en,
        ask(local, Lang::En),
        "the daemon's English answer differs"
    );
    assert_eq!(
        vi,
        ask(local, Lang::Vi),
        "the daemon's Vietnamese answer differs"
    );
    assert!(!en.is_empty());
    assert_eq!(
        en.iter().map(|h| &h.id).collect::<Vec<_>>(),
        vi.iter().map(|h| &h.id).collect::<Vec<_>>()
    );
    for (en, vi) in en.iter().zip(&vi) {
        assert!(
            en.detail.contains("wanted") && !en.detail.contains("truy nã"),
            "{en:?}"
        );
        assert!(vi.detail.contains("đang truy nã"), "{vi:?}");
    }
}

#[test]
fn errors_arrive_as_the_same_errors() {
    let running = start();
    let remote = running.connect();
    let missing = RecordId::new(Kind::Wanted, 999_999);
    match remote.related(missing) {
        Err(ServiceError::NotFound(id)) => assert_eq!(id, missing),
        other => panic!("expected NotFound, got {other:?}"),
    }
    let officer = first(running.local(), Kind::Officer).id();
    match remote.save(log_entry(officer, "bad \u{1b}[31m text")) {
        Err(ServiceError::Invalid(message)) => assert!(
            message.en.contains("ESC")
                || message.en.contains("escape")
                || message.en.contains("control"),
            "{message}"
        ),
        other => panic!("expected Invalid, got {other:?}"),
    }
    let bad = ImportSource {
        name: "bad.csv".into(),
        bytes: b"full_name,date_of_birth\nA,31/02/1990\n".to_vec(),
        format: Format::Csv,
        on_disk: None,
    };
    let local_problems = match running.local().import(Kind::Person, &bad) {
        Err(ServiceError::Import(p)) => p,
        other => panic!("expected Import in-process, got {other:?}"),
    };
    match remote.import(Kind::Person, &bad) {
        Err(ServiceError::Import(problems)) => assert_eq!(problems, local_problems),
        other => panic!("expected Import, got {other:?}"),
    }
}

#[test]
fn a_change_is_pushed_to_the_other_consoles() {
    let running = start();
    let watcher = running.connect();
    let pushed = watcher.pushed().expect("a remote desk has pushes");
    assert!(watcher.pushed().is_none(), "taken once");
    let writer = running.connect();
    let officer = first(running.local(), Kind::Officer).id();
    let id = writer.save(log_entry(officer, "đẩy")).expect("save");
    loop {
        match pushed.recv_timeout(Duration::from_secs(20)) {
            Ok(Pushed::Changed { ids }) if ids.contains(&id) => break,
            Ok(_) => continue,
            Err(e) => panic!("no push reached the other console: {e}"),
        }
    }
    // A read changes nothing: no push follows it.
    writer.get(id).expect("get");
    writer.stats().expect("stats");
    let later = writer.save(log_entry(officer, "lần hai")).expect("save");
    match pushed.recv_timeout(Duration::from_secs(20)) {
        Ok(Pushed::Changed { ids }) => assert_eq!(ids, vec![later]),
        other => panic!("expected the second change only, got {other:?}"),
    }
}

// 20 clients through their sessions: tests/daemon_sessions.rs.

#[test]
fn a_client_that_stops_reading_is_held_to_its_queue_while_others_are_served() {
    const QUEUE: usize = 8;
    let running = start_with(SyncMode::UnsafeNone, |o| {
        o.queue_frames = QUEUE;
        o.send_buffer = Some(4096);
    });
    // Connects and never reads a byte: every push to it piles up.
    let stalled = std::os::unix::net::UnixStream::connect(running.socket()).expect("connect");
    let writer = running.connect();
    let reader = running.connect();
    let officer = first(running.local(), Kind::Officer).id();
    // Enough pushes to fill the kernel's buffer for it, then its queue, many times over.
    for n in 0..400 {
        writer
            .save(log_entry(officer, &format!("ghi {n}")))
            .expect("the others are served");
        reader.stats().expect("the others are served");
    }
    let stats = running.daemon.clients();
    let stuck = stats
        .iter()
        .find(|c| c.requests == 0)
        .expect("the stalled client is still connected");
    assert!(
        stuck.max_held_frames <= QUEUE + 1,
        "held {} frames for the stalled client (bound {})",
        stuck.max_held_frames,
        QUEUE + 1
    );
    assert!(
        stuck.dropped_pushes > 0,
        "its pushes were dropped (to be replaced by one resync): {stuck:?}"
    );
    // Bounded in bytes too: the queue's frames are small pushes.
    assert!(stuck.max_held_bytes <= (QUEUE + 1) * 1024, "{stuck:?}");
    for client in stats.iter().filter(|c| c.requests > 0) {
        assert_eq!(
            client.dropped_pushes, 0,
            "a reading client lost a push: {client:?}"
        );
    }
    drop(stalled);
}
