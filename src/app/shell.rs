//! The shell around the pure core: the terminal, the event loop, signals, and the effects
//! (service calls, drafts). It blocks on one channel fed by an input thread and a signal
//! thread, drains everything queued, and draws once — only when something changed.

mod drafts;
mod effects;
mod frame_writer;
pub mod lean_backend;
mod place;
pub mod present;
mod present_case;
mod present_common;
mod present_detail;
mod present_glance;
mod present_group;
mod present_handover;
mod present_hit;
mod present_report;
mod present_roster;
mod present_tip;
mod roster_loader;

use std::io;
use std::path::PathBuf;
use std::sync::mpsc;

use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::Backend;

use crate::domain::Instant;
use crate::i18n::Lang;
use crate::service::DeskApi;
use crate::ui::theme::Theme;

use super::keymap::Keymap;
use super::keys::KeyPress;
use super::messages::{Action, Ctx, Effect};
use super::state::State;
use super::update::update;
use drafts::Drafts;
use frame_writer::FrameWriter;
use lean_backend::LeanBackend;
use place::{Place, PlaceFile};

/// The console over one service: state, keymap, theme, drafts. Drivable with any ratatui
/// backend, which is how the tests and the wire benchmark run it.
pub struct App<'a> {
    desk: &'a dyn DeskApi,
    pub state: State,
    pub keymap: Keymap,
    pub theme: Theme,
    drafts: Option<Drafts>,
    place: Option<PlaceFile>,
    row_cap: usize,
}

pub struct Options {
    pub lang: Lang,
    pub officer: Option<crate::domain::RecordId>,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Where drafts live; `None` keeps none (tests).
    pub drafts_dir: Option<PathBuf>,
    /// Where the console keeps its place (view and row) for the next session, which opens
    /// there; `None` keeps none (tests, and a console told which view to open).
    pub place_file: Option<PathBuf>,
    /// The most rows a view loads: [`present::ROW_CAP`] (tests lower it).
    pub row_cap: usize,
    /// The duty shifts (`[handover]` in the config file), for the handover form.
    pub shifts: crate::domain::shifts::ShiftPlan,
    /// Idle time before the session locks (`[session] lock_after_minutes`); it locks only
    /// if the session's account has a PIN.
    pub lock_after: chrono::Duration,
    /// The view the console opens on: "Shift at a glance" for an officer (the tests and the
    /// wire bench open the Wanted view, whose figures go back further).
    pub first_view: super::views::View,
}

impl<'a> App<'a> {
    pub fn new(desk: &'a dyn DeskApi, options: Options) -> App<'a> {
        App {
            desk,
            state: State {
                shifts: options.shifts,
                lock: super::lock::Lock {
                    after: Some(options.lock_after),
                    ..Default::default()
                },
                view: options.first_view,
                ..State::new(options.lang, options.officer)
            },
            keymap: options.keymap,
            theme: options.theme,
            drafts: options.drafts_dir.map(Drafts::new),
            place: options.place_file.map(PlaceFile::new),
            row_cap: options.row_cap,
        }
    }

    /// Loads the first view and offers any draft left by an earlier session.
    pub fn start(&mut self, height: u16, now: Instant) {
        let who = self.desk.whoami().ok();
        let locked = who.as_ref().is_some_and(|who| who.locked);
        // Only a session that can be unlocked locks.
        if !who.as_ref().is_some_and(|who| who.has_pin) {
            self.state.lock.after = None;
        }
        // The forms are filled in for the session's officer, who is the one the service
        // lets sign (a configured `--officer` only stands in when the session has none).
        if let Some(who) = &who
            && let Some(role) = who.role
        {
            self.state.session_role = Some((who.user.clone(), role));
        }
        if let Some(who) = who
            && let Some(officer) = who.officer
        {
            self.state.officer = Some(officer);
            // A session with a role is the daemon's: it acts as this officer, so the forms
            // say so rather than offer a field it would ignore.
            self.state.officer_fixed = who.role.is_some();
        }
        self.state.lock.last_key = Some(now);
        // Where the last session was (a dropped link, say): that view, that row.
        if let Some(place) = self.place.as_mut().and_then(PlaceFile::load) {
            self.state.view = place.view;
            self.state.table.resume_key = place.row;
        }
        self.act(Action::Resized { height }, now);
        if locked {
            // A new connection of a locked account: the PIN first, then the first view.
            self.act(Action::LockedByService, now);
        } else {
            let first = self.state.view;
            self.perform(Effect::Load(first), now);
            self.perform(Effect::LoadDuty, now);
        }
        let found = self
            .drafts
            .as_ref()
            .map(Drafts::load_all)
            .unwrap_or_default();
        if !found.is_empty() {
            self.act(Action::DraftsFound(found), now);
        }
    }

    /// Applies an action and performs its effects; true if the screen may have changed.
    pub fn act(&mut self, action: Action, now: Instant) -> bool {
        let ctx = Ctx {
            now,
            keymap: &self.keymap,
        };
        let outcome = update(&mut self.state, action, &ctx);
        let mut redraw = outcome.redraw;
        for effect in outcome.effects {
            redraw |= self.perform(effect, now);
        }
        redraw
    }

    /// Keeps the console's place for the next session, once the view's rows are there
    /// (before, no row is selected and the place would lose its row).
    pub fn keep_place(&mut self) {
        if let Some(file) = &mut self.place
            && self.state.table.loaded
        {
            file.keep(Place {
                view: self.state.view,
                row: self.state.table.selected_key(),
            });
        }
    }

    pub fn press(&mut self, key: KeyPress, now: Instant) -> bool {
        self.act(Action::Key(key), now)
    }

    pub fn draw<B: Backend>(&self, terminal: &mut Terminal<B>) -> Result<(), B::Error> {
        terminal.draw(|frame| crate::ui::render(frame, &self.state, &self.theme, &self.keymap))?;
        Ok(())
    }
}

/// Restores the terminal however the console ends (return, error or panic).
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        enable_raw_mode()?;
        // No mouse capture: mouse reports flood a slow uplink.
        crossterm::execute!(io::stdout(), EnterAlternateScreen, crossterm::cursor::Hide)?;
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            default_hook(info);
        }));
        Ok(TerminalGuard)
    }
}

fn restore() {
    let _ = disable_raw_mode();
    let _ = crossterm::execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show);
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

enum Wake {
    Input(Event),
    /// EOF or an error reading the terminal: the link is gone.
    InputClosed,
    /// SIGHUP (the SSH link dropped) or SIGTERM.
    Signal,
    /// A change pushed by the daemon (another officer saved): only when one happens.
    Pushed(crate::domain::Pushed),
}

fn spawn_feeders(tx: mpsc::Sender<Wake>) -> io::Result<()> {
    let signals_tx = tx.clone();
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGTERM,
    ])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = signals_tx.send(Wake::Signal);
        }
    });
    watch_for_hangup(tx.clone());
    std::thread::spawn(move || {
        loop {
            match event::read() {
                Ok(event) => {
                    if tx.send(Wake::Input(event)).is_err() {
                        return;
                    }
                }
                Err(_) => {
                    let _ = tx.send(Wake::InputClosed);
                    return;
                }
            }
        }
    });
    Ok(())
}

/// Waits up to `timeout` for stdin to report a hang-up or an error; true if it did.
fn stdin_hung_up(timeout: &rustix::event::Timespec) -> bool {
    use rustix::event::{PollFd, PollFlags, poll};
    use std::os::fd::AsFd;
    let stdin = io::stdin();
    let fd = stdin.as_fd();
    let mut fds = [PollFd::new(&fd, PollFlags::empty())];
    match poll(&mut fds, Some(timeout)) {
        Ok(0) | Err(rustix::io::Errno::INTR) => false,
        Ok(_) => fds[0]
            .revents()
            .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL),
        Err(_) => true,
    }
}

/// crossterm 0.29 never reports end of input on a hung-up terminal: its reader retries
/// forever (crossterm issue #793). So a second thread sleeps in `poll` on stdin — no busy
/// loop — and wakes the console when the terminal reports a hang-up or an error. Usually
/// SIGHUP arrives first; this covers the cases where it does not (a wrapper that blocks it).
fn watch_for_hangup(tx: mpsc::Sender<Wake>) {
    std::thread::spawn(move || {
        let minute = rustix::event::Timespec {
            tv_sec: 60,
            tv_nsec: 0,
        };
        while !stdin_hung_up(&minute) {
            // poll returns early only on an event; input is the reader's business.
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        let _ = tx.send(Wake::InputClosed);
    });
}

/// Draws a frame; `Ok(false)` when the terminal has gone away meanwhile — the end of the
/// session, not an error to report (there would be nowhere to report it).
fn draw(app: &App, terminal: &mut Terminal<LeanBackend<FrameWriter>>) -> io::Result<bool> {
    draw_state(terminal, &app.state, &app.theme, &app.keymap)
}

/// As [`draw`], for a state without an app: the frame drawn before the store is open.
fn draw_state(
    terminal: &mut Terminal<LeanBackend<FrameWriter>>,
    state: &State,
    theme: &Theme,
    keymap: &Keymap,
) -> io::Result<bool> {
    match terminal.draw(|frame| crate::ui::render(frame, state, theme, keymap)) {
        Ok(_) => Ok(true),
        Err(_)
            if stdin_hung_up(&rustix::event::Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            }) =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// Passes the daemon's pushed changes into the event loop (in-process desks push none).
fn forward_pushed(desk: &dyn DeskApi, tx: mpsc::Sender<Wake>) {
    if let Some(pushed) = desk.pushed() {
        std::thread::spawn(move || {
            for change in pushed {
                if tx.send(Wake::Pushed(change)).is_err() {
                    return;
                }
            }
        });
    }
}

fn merge_pushed(
    earlier: Option<crate::domain::Pushed>,
    change: crate::domain::Pushed,
) -> crate::domain::Pushed {
    use crate::domain::Pushed;
    match (earlier, change) {
        (None, change) => change,
        (Some(Pushed::Changed { mut ids }), Pushed::Changed { ids: more }) => {
            ids.extend(more);
            Pushed::Changed { ids }
        }
        _ => Pushed::Resync,
    }
}

enum Next {
    Wake(Wake),
    /// Time to ask the service again for what the state waits on.
    Retry,
    Closed,
}

/// The next thing to act on. Blocks with no timeout — an idle console wakes for nothing and
/// sends nothing — except when the state asks to be woken (see [`State::wakes_in`]: a search
/// waiting for the index, a countdown on screen).
fn next_wake(rx: &mpsc::Receiver<Wake>, wake_in: Option<std::time::Duration>) -> Next {
    if let Some(after) = wake_in {
        return match rx.recv_timeout(after) {
            Ok(wake) => Next::Wake(wake),
            Err(mpsc::RecvTimeoutError::Timeout) => Next::Retry,
            Err(mpsc::RecvTimeoutError::Disconnected) => Next::Closed,
        };
    }
    match rx.recv() {
        Ok(wake) => Next::Wake(wake),
        Err(_) => Next::Closed,
    }
}

/// Runs the console on the desk that `open` returns. The store is opened here, after the
/// first frame, not by the caller: opening sled takes 0.3 s and more on a million records
/// (more right after a write), and the first paint must not wait for it. An error from
/// `open` (the store in use by another process…) is returned once the terminal is restored,
/// so the caller can print it where the officer sees it. Every action is stamped by `clock`.
pub fn run<D: DeskApi>(
    open: impl FnOnce() -> anyhow::Result<D>,
    options: Options,
    clock: crate::domain::Clock,
) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel();
    let pushed_tx = tx.clone();
    spawn_feeders(tx)?;
    let _guard = TerminalGuard::enter()?;
    // ratatui's Terminal shows the cursor when dropped and reports a failure on stderr; on a
    // hung-up terminal both fail and printing to a dead stderr panics. The guard restores
    // the terminal (ignoring errors), so the Terminal is never dropped.
    let mut terminal =
        std::mem::ManuallyDrop::new(Terminal::new(LeanBackend::new(FrameWriter::default()))?);
    let opening = State {
        view: options.first_view,
        ..State::opening(options.lang, options.officer, clock.now())
    };
    if !draw_state(&mut terminal, &opening, &options.theme, &options.keymap)? {
        return Ok(());
    }
    // Keys typed meanwhile wait in the channel and act on the loaded view.
    let desk = open()?;
    forward_pushed(&desk, pushed_tx);
    let mut app = App::new(&desk, options);
    app.start(terminal.size()?.height, clock.now());
    if !draw(&app, &mut terminal)? {
        return Ok(());
    }
    desk.warm_up();
    // Block until something happens; then drain what else is queued and draw once.
    loop {
        let first = match next_wake(&rx, app.state.wakes_in(clock.now())) {
            Next::Wake(wake) => wake,
            Next::Retry => {
                if app.act(Action::Tick, clock.now()) && !draw(&app, &mut terminal)? {
                    return Ok(());
                }
                continue;
            }
            Next::Closed => break,
        };
        let mut redraw = false;
        let mut pushed = None;
        let mut next = Some(first);
        while let Some(wake) = next {
            match wake {
                Wake::Input(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                    redraw |= app.press(KeyPress::from_event(key), clock.now());
                }
                Wake::Input(Event::Resize(_, height)) => {
                    redraw |= app.act(Action::Resized { height }, clock.now());
                }
                Wake::Input(_) => {}
                // The link or the store lost or back: acted on at once, in order (what was merged first).
                Wake::Pushed(change) if change.acted_on_at_once() => {
                    if let Some(earlier) = pushed.take() {
                        redraw |= app.act(Action::Pushed(earlier), clock.now());
                    }
                    redraw |= app.act(Action::Pushed(change), clock.now());
                }
                // Merged, and acted on once the queue is drained: one reload for a burst.
                Wake::Pushed(change) => pushed = Some(merge_pushed(pushed.take(), change)),
                // Drafts are written on every edit, so there is nothing left to save.
                Wake::InputClosed | Wake::Signal => return Ok(()),
            }
            next = rx.try_recv().ok();
        }
        if let Some(change) = pushed {
            redraw |= app.act(Action::Pushed(change), clock.now());
        }
        if app.state.quit {
            break;
        }
        app.keep_place();
        if redraw && !draw(&app, &mut terminal)? {
            return Ok(());
        }
    }
    Ok(())
}
