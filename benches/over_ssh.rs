//! The console on a real SSH link (not run in CI): `cargo bench --bench over_ssh`.
//!
//! Needs root, OpenSSH's server and client, and tig (`apt-get install openssh-server tig`).
//! It makes the deployment of `tests/ssh/deploy.rs` (sshd including
//! `docs/deploy/sshd_config.trucban`, `trucban serve` as the unit runs it, the release build
//! installed as `/usr/local/bin/trucban`) and a user outside the group `trucban` who runs tig
//! in a clone of this repository: the anchor, over the same link.
//!
//! **Bytes and packets** (a counting relay between client and server; server to client, SSH
//! framing and tags included): login to the first screen plus 5 s idle; one-row move (10,
//! averaged); page down; opening a detail; one filter character; for trucban `default`,
//! trucban `low-bandwidth` and tig. Twice: with the cipher OpenSSH negotiates for this
//! deployment (`chacha20-poly1305@openssh.com`, 8-byte padding; the length is encrypted, so
//! bytes are exact and the relay's reads stand for packets), and with
//! `aes128-gcm@openssh.com` (16-byte padding; lengths in the clear, every packet counted),
//! then also 60 s idle, with the config's keep-alives (every 20 s: a request down, its
//! answer up) counted apart. A key's answer is not measured across a minute's turn, when the
//! status line's clock redraws (that packet is the idle minute's).
//!
//! **A thin link** (the relay shaped to 64 kbit/s, 300 ms round trip, 1 % loss, seeded):
//! with the default cipher: key to screen — from the key typed to the last byte of the answer on the officer's
//! terminal — for row moves, filter characters and opening a detail (medians over 15 of
//! each, and the largest), and the first screen after the login's end (the client's
//! "Authenticated" line), over 5 logins.
//!
//! `OVER_SSH_IDLE_SECS` shortens the idle minute (for trying the bench out);
//! `OVER_SSH_SKIP_SHAPED=1` skips the thin link.

#[path = "../tests/ssh/mod.rs"]
mod ssh;

use std::process::Command;
use std::time::{Duration, Instant};

use ssh::deploy::Deployment;
use ssh::relay::{Link, Relay};
use ssh::terminal::Terminal;
use ssh::{OFFICERS, TIG_USER, first_screen, shows_rows};

const QUIET: Duration = Duration::from_millis(400);
const MOVES: usize = 10;

#[derive(Default, Debug)]
struct Figures {
    login: (usize, usize),
    login_time: Duration,
    moves: Vec<(usize, usize)>,
    page: (usize, usize),
    detail: (usize, usize),
    filter: (usize, usize),
    idle: (usize, usize),
    keepalives: (usize, usize),
}

/// What the server sent in answer to `keys`: waits for the answer to begin and to settle.
/// Not across a minute's turn: the status line's clock is measured apart (the idle minute).
/// Packets where the cipher lets them be told apart, else the relay's reads.
fn answer(terminal: &mut Terminal, relay: &Relay, keys: &[u8]) -> (usize, usize) {
    clear_of_the_minute();
    let mark = relay.mark_down();
    terminal.key_to_screen(keys, QUIET);
    let down = relay.down();
    let (bytes, packets) = down.since(&mark);
    (
        bytes,
        if down.framed {
            packets
        } else {
            down.reads_since(&mark)
        },
    )
}

/// The cipher the client is told to use.
#[derive(Clone, Copy, PartialEq)]
enum Cipher {
    /// What OpenSSH negotiates with this deployment's config: its lengths are hidden, so
    /// bytes are exact and packets are not seen (the relay's reads stand for them).
    Default,
    /// AES-GCM: the lengths travel in the clear, every packet is seen. Its 16-byte blocks pad
    /// a small packet more than chacha20's 8.
    Gcm,
}

impl Cipher {
    fn option(self) -> &'static str {
        match self {
            Cipher::Default => "Ciphers=chacha20-poly1305@openssh.com",
            Cipher::Gcm => "Ciphers=aes128-gcm@openssh.com",
        }
    }
}

/// One subject on a fresh relay: a trucban officer (with `theme`), or tig.
fn measure(
    deployment: &Deployment,
    theme: Option<&str>,
    cipher: Cipher,
    idle: Duration,
) -> Figures {
    let relay = Relay::start(deployment.sshd_port, None);
    let start = Instant::now();
    let (user, args): (&str, Vec<&str>) = match theme {
        Some(theme) => {
            fresh_officer(deployment, theme);
            (OFFICERS[0].user, vec![])
        }
        None => (TIG_USER, vec!["cd repo && exec tig"]),
    };
    // The first `-o` given wins over the one the deployment's client arguments carry.
    let mut terminal =
        Terminal::start(deployment.ssh_with(user, relay.port, &["-o", cipher.option()], &args));
    let ready: &dyn Fn(&str) -> bool = if theme.is_some() {
        &first_screen
    } else {
        &|s: &str| s.contains("[main]")
    };
    terminal.wait("the first screen", Duration::from_secs(60), ready);
    let mut figures = Figures {
        login_time: start.elapsed(),
        ..Figures::default()
    };
    std::thread::sleep(Duration::from_secs(5));
    let down = relay.down();
    figures.login = (
        down.bytes,
        if down.framed {
            down.packets.len()
        } else {
            down.reads
        },
    );
    if theme.is_some() {
        terminal.send(b":tn\r");
        terminal.wait("the Wanted view", Duration::from_secs(30), &|s| {
            shows_rows(s, "TN-")
        });
        terminal.settle(QUIET, Duration::from_secs(10));
    }
    for _ in 0..MOVES {
        figures.moves.push(answer(&mut terminal, &relay, b"j"));
    }
    figures.page = answer(&mut terminal, &relay, b"\x1b[6~");
    figures.detail = answer(&mut terminal, &relay, b"\r");
    // Back to the table (tig: close the diff), not measured.
    unmeasured(&mut terminal, if theme.is_some() { b"\x1b" } else { b"q" });
    unmeasured(&mut terminal, b"/");
    figures.filter = answer(&mut terminal, &relay, b"h");
    unmeasured(&mut terminal, b"\x1b");
    if idle.is_zero() {
        return figures;
    }
    std::thread::sleep(QUIET);
    let down_mark = relay.mark_down();
    let up_mark = relay.up().packets.len();
    let from = Instant::now();
    std::thread::sleep(idle);
    let down = relay.down();
    let up = relay.up();
    let replies: Vec<Instant> = up.packets[up_mark..]
        .iter()
        .filter(|p| p.at >= from)
        .map(|p| p.at)
        .collect();
    // A keep-alive: a packet down that the client answers within a second.
    let (mut alive_bytes, mut alive_packets, mut console_bytes, mut console_packets) = (0, 0, 0, 0);
    for packet in &down.packets[down_mark.packets..] {
        if replies
            .iter()
            .any(|r| *r >= packet.at && *r - packet.at < Duration::from_secs(1))
        {
            alive_bytes += packet.bytes;
            alive_packets += 1;
        } else {
            console_bytes += packet.bytes;
            console_packets += 1;
        }
    }
    figures.idle = (console_bytes, console_packets);
    figures.keepalives = (alive_bytes, alive_packets);
    drop(terminal);
    figures
}

/// Waits while the local clock is within 2 s of a minute's turn, when trucban's status
/// line redraws its clock (one packet, measured in the idle minute, not in a key's answer).
fn clear_of_the_minute() {
    use chrono::Timelike;
    // UTC and the console's UTC+7 turn their minutes together.
    let second = trucban::domain::Clock::system().now().second();
    if second >= 58 {
        std::thread::sleep(Duration::from_secs(u64::from(62 - second)));
    } else if second < 2 {
        std::thread::sleep(Duration::from_secs(u64::from(2 - second)));
    }
}

/// Sends `keys` that are not measured and waits for the screen to settle (tig draws
/// nothing for some of them).
fn unmeasured(terminal: &mut Terminal, keys: &[u8]) {
    terminal.send(keys);
    std::thread::sleep(QUIET);
    terminal.settle(QUIET, Duration::from_secs(10));
}

/// Key to screen for `keys`, not across a minute's turn.
fn timed(terminal: &mut Terminal, keys: &[u8]) -> Duration {
    clear_of_the_minute();
    terminal.key_to_screen(keys, QUIET)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// The officer's console in `theme`, opening afresh: not where the last login left it.
fn fresh_officer(deployment: &Deployment, theme: &str) {
    deployment.user_config(
        OFFICERS[0].user,
        &format!("lang = \"vi\"\ntheme = \"{theme}\"\n"),
    );
    let _ = std::fs::remove_file(format!(
        "/home/{}/.local/share/trucban/place.json",
        OFFICERS[0].user
    ));
}

/// Key to screen on the shaped link, for the officer's console in `theme`.
fn shaped(deployment: &Deployment, theme: &str) {
    let link = Link::mountain_3g();
    let mut first_screens = Vec::new();
    let mut moves = Vec::new();
    let mut filters = Vec::new();
    let mut details = Vec::new();
    for login in 0..5 {
        fresh_officer(deployment, theme);
        let relay = Relay::start(
            deployment.sshd_port,
            Some(Link {
                seed: link.seed + login,
                ..link
            }),
        );
        let log = deployment
            .dir
            .path()
            .join(format!("ssh-{theme}-{login}.log"));
        let log_arg = log.to_string_lossy().into_owned();
        let mut terminal = Terminal::start(deployment.ssh_with(
            OFFICERS[0].user,
            relay.port,
            &["-o", Cipher::Default.option(), "-v", "-E", &log_arg],
            &[],
        ));
        // The login's end: the client's "Authenticated to" line, seen within 2 ms.
        let mut authenticated = None;
        let deadline = Instant::now() + Duration::from_secs(60);
        while authenticated.is_none() && Instant::now() < deadline {
            if std::fs::read_to_string(&log).is_ok_and(|l| l.contains("Authenticated to")) {
                authenticated = Some(Instant::now());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let authenticated = authenticated.expect("the login never ended");
        terminal.wait("the first screen", Duration::from_secs(60), &first_screen);
        // The screen is whole once the output has settled: its last byte's time.
        terminal.settle(QUIET, Duration::from_secs(30));
        first_screens.push(terminal.last_arrival() - authenticated);
        terminal.key_to_screen(b":tn\r", QUIET);
        for _ in 0..3 {
            moves.push(timed(&mut terminal, b"j"));
            moves.push(timed(&mut terminal, b"k"));
            moves.push(timed(&mut terminal, b"j"));
            details.push(timed(&mut terminal, b"\r"));
            terminal.key_to_screen(b"\x1b", QUIET);
        }
        terminal.key_to_screen(b"/", QUIET);
        for key in [b"n", b"g", b"u", b"y"] {
            filters.push(timed(&mut terminal, key));
        }
        terminal.key_to_screen(b"\x1b", QUIET);
    }
    let show = |what: &str, values: &[Duration]| {
        let largest = values.iter().max().copied().unwrap_or_default();
        println!(
            "  {what:<24} median {:>6.0} ms   largest {:>6.0} ms   ({} samples)",
            median(values.to_vec()).as_secs_f64() * 1e3,
            largest.as_secs_f64() * 1e3,
            values.len()
        );
    };
    println!(
        "thin link ({} kbit/s, {} ms round trip, {:.0} % loss), theme {theme}:",
        link.bits_per_second / 1000,
        link.round_trip.as_millis(),
        link.loss * 100.0
    );
    show("first screen after login", &first_screens);
    show("row move", &moves);
    show("filter character", &filters);
    show("open a detail", &details);
}

fn print_figures(name: &str, f: &Figures) {
    let moved: usize = f.moves.iter().map(|m| m.0).sum();
    let packets: usize = f.moves.iter().map(|m| m.1).sum();
    println!(
        "{name:<22} {:>6} / {:<3} {:>6.1} / {:<4.1} {:>5} / {:<2} {:>5} / {:<2} {:>5} / {:<2} {:>5} / {:<2} {:>6} / {:<2}   (first screen {:.2} s)",
        f.login.0,
        f.login.1,
        moved as f64 / f.moves.len() as f64,
        packets as f64 / f.moves.len() as f64,
        f.page.0,
        f.page.1,
        f.detail.0,
        f.detail.1,
        f.filter.0,
        f.filter.1,
        f.idle.0,
        f.idle.1,
        f.keepalives.0,
        f.keepalives.1,
        f.login_time.as_secs_f64(),
    );
    println!("    row moves: {:?}", f.moves);
}

fn main() {
    let idle = Duration::from_secs(
        std::env::var("OVER_SSH_IDLE_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(60),
    );
    let Some(deployment) = Deployment::start("over_ssh bench", &OFFICERS, Some(TIG_USER)) else {
        std::process::exit(1);
    };
    // tig's repository: a clone of this one, in the tig user's home.
    let repo = format!("/home/{TIG_USER}/repo");
    let _ = std::fs::remove_dir_all(&repo);
    let cloned = Command::new("git")
        .args(["clone", "-q", env!("CARGO_MANIFEST_DIR"), &repo])
        .status()
        .expect("git clone");
    assert!(cloned.success(), "git clone");
    Command::new("chown")
        .args(["-R", &format!("{TIG_USER}:"), &repo])
        .status()
        .expect("chown");

    // The thin link first: its times are measured while nothing else runs.
    if std::env::var("OVER_SSH_SKIP_SHAPED").is_err() {
        shaped(&deployment, "default");
        shaped(&deployment, "low-bandwidth");
    }
    let subjects: [(&str, Option<&str>); 3] = [
        ("trucban default", Some("default")),
        ("trucban low-bandwidth", Some("low-bandwidth")),
        ("tig (anchor)", None),
    ];
    for (cipher, heading, idle) in [
        (
            Cipher::Default,
            "chacha20-poly1305 (what OpenSSH negotiates here): B / the relay's reads",
            Duration::ZERO,
        ),
        (
            Cipher::Gcm,
            "aes128-gcm (packet lengths in the clear): B / SSH packets",
            idle,
        ),
    ] {
        println!(
            "Server to client through sshd, SSH framing included; {heading}; idle {} s:",
            idle.as_secs()
        );
        println!(
            "{:<22} {:>12} {:>14} {:>10} {:>10} {:>10} {:>10} {:>12}",
            "", "login+5 s", "row move", "page", "detail", "filter ch", "idle", "keep-alives"
        );
        for (name, theme) in subjects {
            let f = measure(&deployment, theme, cipher, idle);
            print_figures(name, &f);
        }
        println!();
    }
}
