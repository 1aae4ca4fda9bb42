#![allow(clippy::panic)]
//! The link between `trucban serve` and its PostgreSQL database cut (issue 17): a proxy the
//! test controls stands between them, on a Unix socket, and is cut — every open connection
//! closed, each new one closed as it comes — then mended.
//!
//! While it is cut, two officers' consoles (80×24 ptys, Vietnamese and English) say in their
//! language that the database does not answer and that they are reconnecting, and keep the
//! rows they showed; a view they cannot load reads as not loaded; a write is refused with
//! `store.database_unreachable`, never reported saved. Once the proxy is mended, the
//! consoles carry on by themselves (no restart of anything), the same session writes
//! again, every acknowledged write is there and the refused one is not, and the store's
//! check (the audit chain with it) passes.
//!
//! Needs PostgreSQL (`TRUCBAN_TEST_POSTGRES`, as `.ci/run` sets): without, it says so and
//! does nothing, except under CI=true, where it fails.

mod common;

use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::engine;
use common::pty::Console;
use common::running::log_entry;
use common::served::Served;
use trucban::domain::{Kind, RecordId};
use trucban::service::{DeskApi, ListQuery, RemoteDesk};
use trucban::store::{Backend, PgBackend};

/// The pool waits up to 5 s for a connection before it says the database is away.
const SAID_WITHIN: Duration = Duration::from_secs(12);
const BACK_WITHIN: Duration = Duration::from_secs(12);

/// Forwards each connection made to `DIR/.s.PGSQL.5432` to the real server's socket, until
/// cut.
struct Proxy {
    dir: tempfile::TempDir,
    cut: Arc<AtomicBool>,
    live: Arc<Mutex<Vec<UnixStream>>>,
}

impl Proxy {
    fn start(server_socket: PathBuf) -> Proxy {
        let dir = tempfile::Builder::new()
            .prefix("trucban-proxy")
            .tempdir_in("/tmp")
            .expect("proxy dir");
        let listener = UnixListener::bind(dir.path().join(".s.PGSQL.5432")).expect("bind");
        let (cut, live) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(Mutex::new(Vec::new())),
        );
        let (is_cut, held) = (cut.clone(), live.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if is_cut.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = UnixStream::connect(&server_socket) else {
                    continue;
                };
                let mut ends = held.lock().expect("live");
                for end in [&client, &server] {
                    ends.push(end.try_clone().expect("clone"));
                }
                drop(ends);
                pipe(&client, &server);
                pipe(&server, &client);
            }
        });
        Proxy { dir, cut, live }
    }

    /// The connection string of `dbname` through the proxy.
    fn url(&self, dbname: &str) -> String {
        format!(
            "host={} user=postgres dbname={dbname}",
            self.dir.path().display()
        )
    }

    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for end in self.live.lock().expect("live").drain(..) {
            let _ = end.shutdown(std::net::Shutdown::Both);
        }
    }

    fn mend(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

fn pipe(from: &UnixStream, to: &UnixStream) {
    let (mut from, mut to) = (
        from.try_clone().expect("clone"),
        to.try_clone().expect("clone"),
    );
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from, &mut to);
        let _ = to.shutdown(std::net::Shutdown::Write);
    });
}

/// `trucban --database URL ARGS`, which must succeed.
fn trucban(url: &str, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_trucban"))
        .args(["--database", url])
        .args(args)
        .env_remove("TRUCBAN_DATA_DIR")
        .output()
        .expect("run trucban");
    assert!(
        out.status.success(),
        "trucban {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct Words {
    away: &'static str,
    not_loaded: &'static str,
    back: &'static str,
}

const VI: Words = Words {
    away: "Mất kết nối cơ sở dữ liệu: màn hình có thể đã cũ, đang kết nối lại…",
    not_loaded: "(chưa tải được: cơ sở dữ liệu không trả lời)",
    back: "Cơ sở dữ liệu đã trả lời lại",
};
const EN: Words = Words {
    away: "The database does not answer: screen may be stale, reconnecting…",
    not_loaded: "(not loaded: the database does not answer)",
    back: "The database answers again",
};

fn logged(desk: &RemoteDesk) -> Vec<String> {
    desk.list(&ListQuery::all(Kind::DutyLog))
        .expect("list the duty log")
        .records
        .iter()
        .filter_map(|r| match r {
            trucban::domain::Record::DutyLog(entry) => Some(entry.text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_link_to_the_database_cut_refuses_writes_keeps_screens_and_mends_by_itself() {
    let Some((home, admin, direct)) = engine::own_database("pg_link_cut") else {
        return;
    };
    let dbname = direct.rsplit("dbname=").next().expect("dbname").to_string();
    let host = admin
        .split_whitespace()
        .find_map(|w| w.strip_prefix("host="))
        .expect("the test server is on a Unix socket (host=DIR)");
    let proxy = Proxy::start(Path::new(host).join(".s.PGSQL.5432"));
    let url = proxy.url(&dbname);
    trucban(&url, &["seed", "--sample"]);
    common::account_for_me_on(&["--database".into(), url.clone()], "CB-000004", "123456");
    let run = home.path().join("run");
    std::fs::create_dir(&run).expect("socket dir");
    std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .expect("chmod");
    let socket = run.join("trucban.sock");
    let _daemon = Served::start_on(home.path(), &["--database", &url], &socket);
    let socket_arg = socket.to_str().expect("utf-8");
    let consoles: Vec<(Console, &Words)> = [("vi", &VI), ("en", &EN)]
        .into_iter()
        .map(|(lang, words)| {
            let console = Console::start(home.path(), &["--socket", socket_arg, "--lang", lang]);
            console.wait_for_first_screen();
            console.wait_screen("the wanted rows", SAID_WITHIN, &|s| s.contains("TN-000001"));
            (console, words)
        })
        .collect();
    let desk = RemoteDesk::connect(&socket).expect("connect");
    let officer = RecordId::new(Kind::Officer, 4);
    let before = desk
        .save(log_entry(officer, "trước khi đứt: ghi được"))
        .expect("a write before the cut");

    proxy.cut();
    let cut_at = Instant::now();
    let refused = desk.save(log_entry(officer, "trong khi đứt: không được ghi"));
    let refused_after = cut_at.elapsed();
    let e = refused.expect_err("a write while the link is cut was reported saved");
    assert_eq!(e.code(), "store.database_unreachable", "refused as {e}");
    for (console, words) in &consoles {
        console.wait_screen("the database away", SAID_WITHIN, &|s| {
            s.contains(words.away)
        });
        // The rows it showed stay, under the banner.
        let now = console.screen();
        assert!(now.contains("TN-000001"), "rows dropped:\n{now}");
    }
    let said_after = cut_at.elapsed();
    // Known away now: the next write is refused without the first one's wait.
    let again_at = Instant::now();
    let again = desk.save(log_entry(officer, "trong khi đứt: lần hai"));
    let again_after = again_at.elapsed();
    let e = again.expect_err("a second write while cut was reported saved");
    assert_eq!(e.code(), "store.database_unreachable", "refused as {e}");
    // A view not loaded before reads as not loaded, never as an empty table.
    let mut consoles = consoles;
    for (console, words) in &mut consoles {
        console.send(b":nt\r");
        console.wait_screen("the hits view while away", SAID_WITHIN, &|s| {
            s.contains(words.not_loaded)
        });
    }

    proxy.mend();
    let mended_at = Instant::now();
    for (console, words) in &consoles {
        console.wait_screen("back by itself", BACK_WITHIN, &|s| {
            s.contains(words.back) && !s.contains(words.away) && s.contains("NT-0000")
        });
    }
    let back_after = mended_at.elapsed();
    // The same session writes again: nothing had to be restarted.
    let after = desk
        .save(log_entry(officer, "sau khi nối lại: ghi được"))
        .expect("a write after the link is mended");
    let texts = logged(&desk);
    assert!(texts.iter().any(|t| t == "trước khi đứt: ghi được"));
    assert!(texts.iter().any(|t| t == "sau khi nối lại: ghi được"));
    assert!(
        !texts.iter().any(|t| t.starts_with("trong khi đứt")),
        "a refused write is in the store"
    );
    assert_ne!(before, after);
    let store = PgBackend::open(&direct, common::running::now()).expect("open directly");
    assert_eq!(store.verify_audit().expect("verify").map(drop), Ok(()));
    trucban(&direct, &["check"]);
    eprintln!(
        "first write refused {refused_after:?} after the cut, the next in {again_after:?}; both consoles said so within {said_after:?}; back {back_after:?} after the proxy was mended"
    );
}
