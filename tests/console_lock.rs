//! The session lock in the console, on a fake clock: after the idle time the console locks
//! the session in the service, the screen holds no record text (only the lock screen), the
//! service refuses the locked session's requests, a wrong PIN is refused with the tries
//! left, the right one brings back the view; and a session without a PIN never locks.

#![allow(clippy::panic)]

mod common;

use chrono::Duration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use trucban::app::App;
use trucban::app::keys::parse_script;
use trucban::app::update::Action;
use trucban::i18n::Lang;
use trucban::service::session::SessionDesk;
use trucban::service::{DeskApi, ServiceError};

use common::console::{desk, now, options, text};

const PIN: &str = "246810";

fn draw(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    app.draw(&mut terminal).expect("draw");
    text(terminal.backend().buffer())
}

fn press(app: &mut App, keys: &str, at: trucban::domain::Instant) {
    for key in parse_script(keys).expect("keys") {
        app.press(key, at);
    }
}

#[test]
fn an_idle_console_locks_shows_no_record_and_unlocks_with_the_pin() {
    let d = desk();
    d.desk
        .set_account("dan", "CB-000020".parse().expect("id"), Some(PIN.into()))
        .expect("account");
    let clock_now = now();
    let session = SessionDesk::admit(&d.desk, "dan", trucban::domain::Clock::fixed(clock_now))
        .expect("session");
    let mut app = App::new(&session, options(Lang::Vi, "default", None));
    app.start(24, now());
    press(&mut app, "j<Enter>", now());
    let before = draw(&app);
    // A record's detail is open: its name is on the screen.
    let name_line = before.lines().nth(2).unwrap_or_default().to_string();
    assert!(!name_line.trim().is_empty(), "{before}");
    assert_eq!(
        app.state.wakes_in(now()),
        Some(std::time::Duration::from_secs(60)),
        "the timers of an idle console: the status line's clock, then the lock"
    );
    assert_eq!(
        app.state.wakes_in(now() + Duration::seconds(14 * 60 + 30)),
        Some(std::time::Duration::from_secs(30)),
        "the lock, due at 15 minutes, with the clock's minute"
    );

    // 14 minutes: the clock moves, nothing else.
    app.act(Action::Tick, now() + Duration::minutes(14));
    assert!(!app.state.lock.locked);
    // 15 minutes without a key: locked.
    assert!(app.act(Action::Tick, now() + Duration::minutes(15)));
    let locked = draw(&app);
    assert!(locked.contains("phiên làm việc đã khoá"), "{locked}");
    for line in before.lines().skip(1).filter(|l| l.trim().len() > 3) {
        assert!(
            !locked.contains(line.trim()),
            "record text on the lock screen: {line}\n{locked}"
        );
    }
    assert!(app.state.details.is_empty() && app.state.table.rows.is_empty());
    // The service refuses the locked session, whatever a client asks.
    assert!(matches!(
        session.get("DT-000001".parse().expect("id")),
        Err(ServiceError::Locked)
    ));
    // Keys other than the PIN do nothing; the PIN shows as dots.
    press(&mut app, "q:j1357", now() + Duration::minutes(16));
    assert!(!app.state.quit);
    assert!(draw(&app).contains("●●●●"));
    press(&mut app, "99<Enter>", now() + Duration::minutes(16));
    let refused = draw(&app);
    assert!(refused.contains("Sai mã PIN (còn 4 lần"), "{refused}");
    assert!(app.state.lock.locked);
    press(
        &mut app,
        &format!("{PIN}<Enter>"),
        now() + Duration::minutes(17),
    );
    assert!(!app.state.lock.locked);
    let back = draw(&app);
    assert!(
        back.contains(name_line.trim()),
        "the detail reopens:\n{back}"
    );
}

#[test]
fn a_session_without_a_pin_never_locks() {
    let d = desk();
    let mut app = App::new(&d.desk, options(Lang::En, "default", None));
    app.start(24, now());
    // The status line's clock only, never the lock.
    assert_eq!(
        app.state.wakes_in(now()),
        Some(std::time::Duration::from_secs(60))
    );
    app.act(Action::Tick, now() + Duration::hours(3));
    assert!(!app.state.lock.locked);
    assert!(app.state.lock.due_at().is_none());
}

#[test]
fn a_console_of_a_locked_account_opens_on_the_pin_screen_and_follows_a_lock_made_elsewhere() {
    let d = desk();
    d.desk
        .set_account("dan", "CB-000020".parse().expect("id"), Some(PIN.into()))
        .expect("account");
    let clock = trucban::domain::Clock::fixed(now());
    let other = SessionDesk::admit(&d.desk, "dan", clock.clone()).expect("session");
    other.lock().expect("lock");

    // A new connection of the locked account: the PIN screen, no record loaded.
    let session = SessionDesk::admit(&d.desk, "dan", clock.clone()).expect("session");
    let mut app = App::new(&session, options(Lang::Vi, "default", None));
    app.start(24, now());
    assert!(app.state.lock.locked);
    assert!(app.state.table.rows.is_empty());
    assert!(draw(&app).contains("phiên làm việc đã khoá"));
    press(&mut app, &format!("{PIN}<Enter>"), now());
    assert!(!app.state.lock.locked);
    assert!(!app.state.table.rows.is_empty(), "the first view loads");

    // Locked from the other connection while this console works: its next request meets
    // the lock, and the console shows the PIN screen rather than an error over old rows.
    other.lock().expect("lock");
    press(&mut app, "j<Enter>", now());
    assert!(app.state.lock.locked, "{}", draw(&app));
    assert!(app.state.details.is_empty() && app.state.table.rows.is_empty());
}
