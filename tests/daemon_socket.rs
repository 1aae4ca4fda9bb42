#![allow(clippy::panic)]
//! Where the daemon listens and as what: the socket directory 0750 and the socket 0660, a
//! directory open to others refused, a connection refused with the gate's own error, a stale socket replaced and a live one refused; and
//! `trucban serve` as a process, referred to by other commands and stopped by SIGTERM.

mod common;
use common::engine;
use common::running::{now, start};

use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use trucban::i18n::Said;
use trucban::service::daemon::{self, Daemon, Gate, OpenGate, Peer, Session, socket};
use trucban::service::{LocalDesk, RemoteDesk, ServiceError};

/// Refuses every peer with the error it is given: the session layer's refusals.
/// How a refusal is made from its message.
type Refusal = fn(String) -> ServiceError;

struct Refusing(Refusal);

impl Gate for Refusing {
    fn admit(&self, peer: &Peer, _desk: &LocalDesk) -> Result<Session, ServiceError> {
        Err((self.0)(format!("refused {}", peer.describe())))
    }
}

#[test]
fn a_refused_connection_says_why_with_the_same_error() {
    let cases: [(Refusal, &str); 3] = [
        (ServiceError::UnknownUser, "UnknownUser"),
        (
            |who| {
                ServiceError::Forbidden(trucban::domain::access::Denial {
                    user: who,
                    role: None,
                    needs: trucban::domain::access::Permission::Read,
                })
            },
            "Forbidden",
        ),
        (|who| ServiceError::Refused(Said::both(who)), "Refused"),
    ];
    for (make, name) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        let desk = LocalDesk::over(
            engine::open(&dir.path().join("data"), now()),
            trucban::domain::Clock::fixed(now()),
        );
        let socket = dir.path().join("run").join("s.sock");
        let _daemon = Daemon::start(
            desk,
            Arc::new(Refusing(make)),
            daemon::Options::new(socket.clone()),
        )
        .expect("start");
        let error = match RemoteDesk::connect(&socket) {
            Ok(_) => panic!("{name}: admitted"),
            Err(e) => e,
        };
        assert!(format!("{error:?}").starts_with(name), "{name}: {error:?}");
        // The kernel told the daemon who we are.
        let me = nix::unistd::geteuid().as_raw();
        assert!(
            error.to_string().contains(&format!("uid {me}")),
            "{name}: {error}"
        );
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o7777
}

#[test]
fn the_socket_directory_is_0750_and_the_socket_0660() {
    let running = start();
    assert_eq!(mode(running.socket()), 0o660);
    assert_eq!(mode(&running.dir.path().join("run")), 0o750);
}

#[test]
fn a_directory_open_to_others_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = dir.path().join("run");
    std::fs::DirBuilder::new()
        .mode(0o755)
        .create(&run)
        .expect("dir");
    std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    match socket::bind(&run.join("s.sock")) {
        Err(e @ socket::SocketError::OpenDirectory { .. }) => {
            assert!(e.to_string().contains("755"), "{e}")
        }
        other => panic!("expected OpenDirectory, got {other:?}"),
    }
}

#[test]
fn a_stale_socket_is_replaced_and_a_live_one_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = dir.path().join("run");
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&run)
        .expect("dir");
    let path = run.join("s.sock");
    // A daemon that died: its socket file stays, nobody listens.
    drop(std::os::unix::net::UnixListener::bind(&path).expect("bind"));
    assert!(path.exists());
    let desk = LocalDesk::over(
        engine::open(&dir.path().join("a"), now()),
        trucban::domain::Clock::fixed(now()),
    );
    let first = Daemon::start(desk, Arc::new(OpenGate), daemon::Options::new(path.clone()))
        .expect("the stale socket is replaced");
    RemoteDesk::connect(&path).expect("the new daemon answers");
    // A second daemon on the same socket (another store) is refused, clearly.
    let other = LocalDesk::over(
        engine::open(&dir.path().join("b"), now()),
        trucban::domain::Clock::fixed(now()),
    );
    let refused = match Daemon::start(
        other,
        Arc::new(OpenGate),
        daemon::Options::new(path.clone()),
    ) {
        Ok(_) => panic!("a second daemon took a live socket"),
        Err(e) => e.to_string(),
    };
    assert!(refused.contains("already listening"), "{refused}");
    RemoteDesk::connect(&path).expect("the first daemon still answers");
    drop(first);
    assert!(
        !path.exists(),
        "the socket is removed when the daemon stops"
    );
}

/// `trucban serve` as a process: other commands go through it, a second embedded opener is
/// told to use it, and SIGTERM stops it cleanly (socket removed).
#[test]
fn trucban_serve_process_serves_refers_and_stops_on_sigterm() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    desk.account_for_me("CB-000004", "246810");
    let data = desk.path().join("data");
    let socket: PathBuf = desk.path().join("run").join("trucban.sock");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_trucban"))
        .arg("serve")
        .args(common::engine::store_args(&data))
        .arg("--socket")
        .arg(&socket)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start trucban serve");
    // Killed if the test fails before it stops the daemon itself.
    struct Reap(std::process::Child);
    impl Drop for Reap {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Reap(child);
    let mut up = false;
    for _ in 0..400 {
        if RemoteDesk::connect(&socket).is_ok() {
            up = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(up, "trucban serve never answered");
    // Through the daemon.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trucban"))
        .args(["stats", "--json", "--socket"])
        .arg(&socket)
        .env_remove("TRUCBAN_DATA_DIR")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(stats["officers"].as_u64().unwrap_or(0) > 0, "{stats}");
    // A refusal on the command line reads in the officer's language.
    for (lang, said) in [
        ("vi", "không được xem nhật ký kiểm toán"),
        ("en", "may not read the audit trail"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_trucban"))
            .args(["audit", "--lang", lang, "--socket"])
            .arg(&socket)
            .env_remove("TRUCBAN_DATA_DIR")
            .output()
            .expect("run");
        let message = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && message.contains(said),
            "{lang}: {message}"
        );
    }
    // Opening the store itself: told where the daemon is. (A store in PostgreSQL is one
    // many processes open at once — the daemons of several hosts — so there it opens.)
    let out = desk.run(&["stats"]);
    if common::engine::server().is_none() {
        assert!(!out.status.success());
        let message = String::from_utf8_lossy(&out.stderr);
        assert!(message.contains("trucban serve"), "{message}");
        assert!(message.contains(&socket.display().to_string()), "{message}");
    } else {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // SIGTERM: a clean stop.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(child.0.id()).expect("pid")),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("signal");
    let status = child.0.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    assert!(!socket.exists(), "the socket is removed");
    // And the store opens again.
    desk.ok(&["stats"]);
}
