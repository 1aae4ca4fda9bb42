//! The lock belongs to the account, not to the connection: through the daemon, a new
//! connection of a locked or locked-out account starts locked; PIN failures are counted in
//! the store one after another, so twenty guesses at once on twenty connections get five
//! in all; refused log-ons are rate-limited and audited at most once a minute per user.

#![allow(clippy::panic)]

mod common;
use common::engine;

use std::sync::Arc;

use chrono::{SubsecRound, Utc};
use trucban::domain::RecordId;
use trucban::domain::access::UnlockRefused;
use trucban::domain::audit::{AuditQuery, Outcome};
use trucban::service::daemon::{self, Daemon};
use trucban::service::session::AccountGate;
use trucban::service::{DeskApi, LocalDesk, RemoteDesk, ServiceError};

const PIN: &str = "246810";

fn id(text: &str) -> RecordId {
    text.parse().expect("id")
}

fn start(dir: &std::path::Path, with_account: bool) -> Daemon {
    let now = Utc::now().trunc_subsecs(0);
    let desk = LocalDesk::over(
        engine::open(&dir.join("data"), now),
        trucban::domain::Clock::fixed(now),
    );
    desk.load(&trucban::cli::sample_records(now).expect("sample"))
        .expect("load");
    if with_account {
        desk.set_account(&common::me(), id("CB-000020"), Some(PIN.into()))
            .expect("account");
    }
    Daemon::start(
        desk,
        Arc::new(AccountGate::new(trucban::domain::Clock::system())),
        daemon::Options::new(dir.join("run").join("trucban.sock")),
    )
    .expect("start the daemon")
}

fn locked_out(r: Result<(), ServiceError>) -> bool {
    matches!(
        r,
        Err(ServiceError::Unlock(UnlockRefused::LockedOut { .. }))
    )
}

#[test]
fn a_new_connection_of_a_locked_account_starts_locked() {
    let dir = tempfile::tempdir().expect("temp");
    let daemon = start(dir.path(), true);
    let record = id("DT-000001");

    // Locked on one connection: another, new or already open, is locked too.
    let first = RemoteDesk::connect(daemon.socket()).expect("admitted");
    let open = RemoteDesk::connect(daemon.socket()).expect("admitted");
    first.lock().expect("lock");
    let again = RemoteDesk::connect(daemon.socket()).expect("admitted");
    assert!(again.whoami().expect("whoami").locked, "starts locked");
    assert!(matches!(again.get(record), Err(ServiceError::Locked)));
    assert!(matches!(open.get(record), Err(ServiceError::Locked)));
    // The PIN on any of them unlocks the account.
    again.unlock(PIN).expect("unlock");
    assert!(first.get(record).expect("read").is_some());
    drop((first, open, again));

    // Locked out by five wrong PINs, then the connection dropped: the next one is locked,
    // and even the right PIN is refused until the lockout ends.
    let guesser = RemoteDesk::connect(daemon.socket()).expect("admitted");
    for _ in 0..4 {
        assert!(matches!(
            guesser.unlock("111111"),
            Err(ServiceError::Unlock(UnlockRefused::WrongPin { .. }))
        ));
    }
    assert!(locked_out(guesser.unlock("111111")));
    drop(guesser);
    let escaped = RemoteDesk::connect(daemon.socket()).expect("admitted");
    assert!(escaped.whoami().expect("whoami").locked);
    assert!(matches!(escaped.get(record), Err(ServiceError::Locked)));
    assert!(locked_out(escaped.unlock(PIN)));
}

#[test]
fn twenty_guesses_at_once_get_five_in_all() {
    let dir = tempfile::tempdir().expect("temp");
    let daemon = start(dir.path(), true);
    let socket = daemon.socket().to_path_buf();
    let barrier = Arc::new(std::sync::Barrier::new(20));
    let guesses: Vec<_> = (0..20)
        .map(|i| {
            let socket = socket.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let desk = RemoteDesk::connect(&socket).expect("admitted");
                barrier.wait();
                desk.unlock(&format!("{:06}", 100_000 + i))
            })
        })
        .collect();
    let results: Vec<_> = guesses
        .into_iter()
        .map(|g| g.join().expect("guess"))
        .collect();
    let wrong = results
        .iter()
        .filter(|r| matches!(r, Err(ServiceError::Unlock(UnlockRefused::WrongPin { .. }))))
        .count();
    let out = results
        .iter()
        .filter(|r| {
            matches!(
                r,
                Err(ServiceError::Unlock(UnlockRefused::LockedOut { .. }))
            )
        })
        .count();
    assert_eq!(
        (wrong, out),
        (4, 16),
        "four wrong PINs, the fifth locks the account out, the rest find it locked out: {results:?}"
    );
    let account = daemon
        .desk()
        .store()
        .account(&common::me())
        .expect("read")
        .expect("account");
    assert!(account.locked_until.is_some(), "{account:?}");
    let desk = RemoteDesk::connect(&socket).expect("admitted");
    assert!(
        locked_out(desk.unlock(PIN)),
        "the right PIN after the lockout"
    );
    // Every guess is audited, refused.
    let unlocks = daemon
        .desk()
        .store()
        .audit_entries(&AuditQuery::default())
        .expect("audit")
        .into_iter()
        .filter(|e| e.draft.action == "unlock")
        .collect::<Vec<_>>();
    assert_eq!(unlocks.len(), 21);
    assert!(unlocks.iter().all(|e| e.draft.outcome == Outcome::Refused));
}

#[test]
fn refused_log_ons_are_rate_limited_and_audited_once_a_minute() {
    let dir = tempfile::tempdir().expect("temp");
    let daemon = start(dir.path(), false);
    let me = common::me();
    let mut too_many = 0;
    for _ in 0..50 {
        match RemoteDesk::connect(daemon.socket()) {
            Err(ServiceError::UnknownUser(_)) => {}
            Err(ServiceError::TooManyLogons(user)) => {
                assert_eq!(user, me);
                too_many += 1;
            }
            other => panic!("admitted without an account: {:?}", other.map(|_| ())),
        }
    }
    assert_eq!(
        too_many, 40,
        "ten refusals a minute, then refused without a look"
    );
    let refused: Vec<_> = daemon
        .desk()
        .store()
        .audit_entries(&AuditQuery::default())
        .expect("audit")
        .into_iter()
        .filter(|e| e.draft.action == "logon" && e.draft.outcome == Outcome::Refused)
        .collect();
    // Fifty attempts within the minute: one entry (the next minute's names the 49 others).
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(refused[0].draft.user, me);
    let label = ServiceError::TooManyLogons(me.clone());
    assert!(
        label
            .label(trucban::i18n::Lang::Vi)
            .contains("Quá nhiều lần")
    );
    assert!(label.label(trucban::i18n::Lang::En).contains("Too many"));
}
