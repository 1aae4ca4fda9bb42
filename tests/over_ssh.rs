#![allow(clippy::panic)]
//! End to end through OpenSSH: `sshd` with the repo's `docs/deploy/sshd_config.trucban`
//! included unchanged, `trucban serve` run as `docs/deploy/trucban.service` says, two officers
//! logging in with `ssh -tt` and getting the console through `ForceCommand` (see
//! `tests/ssh/deploy.rs` for what is made and how). Between client and server a relay counts
//! bytes and SSH packets, and cuts the link when told.
//!
//! Needs root and OpenSSH (`.ci/run` installs it); elsewhere each test says it did not run.
//! The figures (bytes, packets, times on a shaped link, beside tig): `cargo bench --bench
//! over_ssh`.

mod ssh;

use std::time::{Duration, Instant};

use ssh::deploy::Deployment;
use ssh::relay::Relay;
use ssh::{OFFICERS, log_in, shows_rows};

const SCREEN: Duration = Duration::from_secs(20);

#[test]
fn two_officers_work_through_sshd_and_the_config_refuses_the_rest() {
    let Some(deployment) = Deployment::start("over_ssh", &OFFICERS, None) else {
        return;
    };
    let relay = Relay::start(deployment.sshd_port, None);
    let [a, b] = [OFFICERS[0].user, OFFICERS[1].user];
    let mut first = log_in(&deployment, &relay, a);
    let mut second = log_in(&deployment, &relay, b);
    // The second officer watches the sightings; the first records one on a watch entry.
    second.send(b":ph\r");
    second.wait("the Sightings view", SCREEN, &|s| shows_rows(s, "PH-"));
    let before = second.screen();
    first.send(b":ld\r");
    first.wait("the Watchlists view", SCREEN, &|s| shows_rows(s, "LD-"));
    first.send("a\tChợ phiên Sìn Hồ (qua SSH)\r".as_bytes());
    first.wait("the confirmation", SCREEN, &|s| {
        s.contains("Lưu nội dung này?")
    });
    first.send(b"\r");
    first.wait("the sighting saved", SCREEN, &|s| s.contains("Đã lưu PH-"));
    let saved = first.screen();
    let id = saved
        .split("Đã lưu ")
        .nth(1)
        .and_then(|rest| rest.get(..9))
        .expect("the saved sighting's ID")
        .to_string();
    assert!(!before.contains(&id), "{id} shown before it was saved");
    // Pushed: the other console counts it without a key pressed, and shows it at the end.
    let rows = rows_counted(&before);
    second.wait(&format!("{id} pushed to {b}"), SCREEN, &|s| {
        rows_counted(s) == rows + 1
    });
    second.send(b"G");
    second.wait(&format!("{id} on {b}'s screen"), SCREEN, &|s| {
        s.contains(&id)
    });

    // A command instead of the console: the forced command runs, never the shell.
    let (_, out, err) = deployment.ssh_once(a, &[], &["echo", "SHELL-OK-$((6*7))"]);
    assert!(
        !out.contains("SHELL-OK-42") && !err.contains("SHELL-OK-42"),
        "a shell ran: {out}{err}"
    );
    // Port forwarding (a stdio forward is a direct-tcpip channel): refused.
    let port = deployment.sshd_port.to_string();
    let (status, out, err) = deployment.ssh_once(a, &["-W", &format!("127.0.0.1:{port}")], &[]);
    assert_ne!(status, 0, "a TCP forward was opened: {out}{err}");
    assert!(
        err.contains("administratively prohibited") || err.contains("forwarding failed"),
        "{err}"
    );
    assert!(!out.starts_with("SSH-"), "the forward reached sshd: {out}");
    // Agent forwarding: asked for with an agent running, refused by the server.
    let agent = deployment.dir.path().join("agent.sock");
    let mut agent_process = std::process::Command::new("ssh-agent")
        .args(["-D", "-a"])
        .arg(&agent)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("ssh-agent");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !agent.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut with_agent = deployment.ssh(a, deployment.sshd_port, &[]);
    with_agent.arg("-A");
    with_agent.env("SSH_AUTH_SOCK", &agent);
    let forwarded = ssh::terminal::Terminal::start(with_agent);
    // The console opens where this officer last was (see the dropped-link test).
    forwarded.wait("a console with -A", ssh::FIRST_SCREEN, &|s| {
        s.contains("trực ban") && s.contains('▶')
    });
    let log = deployment.sshd_log();
    let _ = agent_process.kill();
    let _ = agent_process.wait();
    assert!(
        log.contains("agent forwarding disabled"),
        "sshd did not refuse the agent; its log:\n{log}"
    );
    assert!(
        !log.contains("Accepted password"),
        "a password login was accepted"
    );
    drop(forwarded);
    drop(second);
    first.send(b":q\r");
}

/// The rows the view counts (`1/401` at the right of the key bar).
fn rows_counted(screen: &str) -> usize {
    screen
        .lines()
        .rev()
        .find_map(|line| {
            let last = line.split_whitespace().last()?;
            last.split_once('/')?.1.parse().ok()
        })
        .unwrap_or_else(|| panic!("no row count on the screen:\n{screen}"))
}

/// One frame, one write: a row move reaches the officer as one SSH packet; an idle console
/// sends nothing (15 s: under the config's 20 s keep-alive, under a minute of the clock —
/// which may tick once).
#[test]
fn a_row_move_is_one_ssh_packet_and_an_idle_console_sends_nothing() {
    let Some(deployment) = Deployment::start("over_ssh", &OFFICERS, None) else {
        return;
    };
    let relay = Relay::start(deployment.sshd_port, None);
    let mut console = log_in(&deployment, &relay, OFFICERS[0].user);
    console.send(b":tn\r");
    console.wait("the Wanted view", SCREEN, &|s| shows_rows(s, "TN-"));
    console.settle(Duration::from_millis(500), SCREEN);
    let mut moves = Vec::new();
    for _ in 0..10 {
        let before_row = console.selected_row();
        let mark = relay.mark_down();
        console.send(b"j");
        console.wait("the row moved", SCREEN, &|_| {
            console.selected_row() != before_row
        });
        console.settle(Duration::from_millis(300), SCREEN);
        moves.push(relay.down().since(&mark));
    }
    println!("row moves (bytes, SSH packets from the server): {moves:?}");
    assert!(
        moves.iter().all(|&(_, packets)| packets == 1),
        "a row move in more than one SSH packet: {moves:?}"
    );
    let mark = relay.mark_down();
    std::thread::sleep(Duration::from_secs(15));
    let (bytes, packets) = relay.down().since(&mark);
    assert!(
        packets <= 1 && bytes <= 100,
        "idle 15 s: {bytes} B in {packets} packets"
    );
}

/// The link drops mid-form: the daemon is left with no session of it, and the officer who
/// logs in again finds the console where it was — same view, same row — and the form's
/// draft offered.
#[test]
fn after_a_dropped_link_the_console_reopens_where_it_was() {
    let Some(deployment) = Deployment::start("over_ssh", &OFFICERS, None) else {
        return;
    };
    let relay = Relay::start(deployment.sshd_port, None);
    let user = OFFICERS[0].user;
    let idle_connections = deployment.daemon_connections();
    let mut console = log_in(&deployment, &relay, user);
    assert!(deployment.daemon_connections() > idle_connections);
    console.send(b":ld\r");
    console.wait("the Watchlists view", SCREEN, &|s| shows_rows(s, "LD-"));
    console.send(b"jjj");
    console.settle(Duration::from_millis(500), SCREEN);
    let row = console.selected_row().expect("a selected row");
    console.send("a\tNà Hừ (chưa xong)".as_bytes());
    console.wait("the form", SCREEN, &|s| s.contains("chưa xong"));
    console.settle(Duration::from_millis(500), SCREEN);

    relay.cut();
    assert!(
        console.wait_exit(Duration::from_secs(10)).is_some(),
        "the ssh client outlived its link"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while (deployment.consoles_of(user) > 0 || deployment.daemon_connections() > idle_connections)
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        deployment.consoles_of(user),
        0,
        "the console outlived the link"
    );
    assert_eq!(
        deployment.daemon_connections(),
        idle_connections,
        "the daemon holds a dead session"
    );

    let again = ssh::terminal::Terminal::start(deployment.ssh(user, relay.port, &[]));
    again.wait("the draft offered", SCREEN, &|s| {
        s.contains("Có bản nháp chưa lưu")
    });
    let screen = again.screen();
    assert!(
        screen.contains("Lưu động"),
        "not the Watchlists view:\n{screen}"
    );
    assert_eq!(
        again.selected_row().as_deref().map(str::trim),
        Some(row.trim()),
        "not the same row:\n{screen}"
    );
}
