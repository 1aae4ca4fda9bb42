//! A deployment made on this machine from the repo's own files, as `docs/deploy` says:
//!
//! - the binary installed as `/usr/local/bin/trucban` (the path `ForceCommand` names);
//! - the daemon user `trucban` and its group, officers' OS users in that group, key login
//!   only, each given an account;
//! - `trucban serve` run as the unit `docs/deploy/trucban.service` runs it — its `ExecStart`,
//!   `User`, `Environment`, `UMask` and runtime directory `/run/trucban` (mode 0750), taken
//!   from the unit file — without systemd; only its `--data-dir` is a directory of the
//!   test's, not `/var/lib/trucban`, so that a run leaves no store behind;
//! - an `sshd` of its own on a loopback port, with its own host key and a config that
//!   `Include`s `docs/deploy/sshd_config.trucban` unchanged.
//!
//! Needs root (it makes users and writes `/usr/local/bin` and `/run`) and OpenSSH's server
//! and client (`.ci/run` installs them). Without them [`Deployment::start`] says the test did
//! not run — and fails under `CI=true`, where they are installed: there it never skips.
//! Deployments take a lock: the paths above are the machine's, one deployment at a time.

#![allow(dead_code)] // shared by the test and the bench, which use different parts
#![allow(clippy::panic)] // test helpers fail loudly by design

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const SOCKET: &str = "/run/trucban/trucban.sock";
pub const BINARY: &str = "/usr/local/bin/trucban";
const RUNTIME_DIR: &str = "/run/trucban";
const SSHD: &str = "/usr/sbin/sshd";
const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// An officer's OS user and the officer it is (an account).
pub struct Officer {
    pub user: &'static str,
    pub officer: &'static str,
}

pub struct Deployment {
    pub dir: tempfile::TempDir,
    pub sshd_port: u16,
    sshd: Child,
    serve: Option<Child>,
    key: PathBuf,
    sshd_log: PathBuf,
    _lock: std::fs::File,
}

fn run(what: &str, command: &mut Command) -> String {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn exists(user: &str) -> bool {
    Command::new("id")
        .arg(user)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Why this machine cannot run the deployment, if it cannot.
fn missing() -> Option<String> {
    // SAFETY: geteuid only reads the process's credentials.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not root (the test makes OS users and writes /usr/local/bin, /run)".into());
    }
    for tool in [
        SSHD,
        "/usr/bin/ssh",
        "/usr/bin/ssh-keygen",
        "/usr/sbin/runuser",
    ] {
        if !Path::new(tool).exists() {
            return Some(format!(
                "{tool} is missing (openssh-server, openssh-client, util-linux)"
            ));
        }
    }
    None
}

/// The test could not run here: said, and a failure under CI=true.
pub fn not_run(test: &str) -> bool {
    let Some(why) = missing() else {
        return false;
    };
    // CI may run as a user without root: there the test says so rather than fail; a
    // missing OpenSSH, which `.ci/run` installs, fails it.
    assert!(
        why.starts_with("not root") || std::env::var("CI").map_or(true, |ci| ci != "true"),
        "{test}: CI=true and {why}: `.ci/run` installs OpenSSH; this test must not skip"
    );
    eprintln!("{test}: not run: {why}");
    true
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn wait_until(what: &str, within: Duration, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < within, "{what}: not within {within:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The unit's service settings (`Key=value` lines of `[Service]`), in order.
fn unit_settings() -> Vec<(String, String)> {
    let unit = std::fs::read_to_string(Path::new(REPO).join("docs/deploy/trucban.service"))
        .expect("docs/deploy/trucban.service");
    let mut in_service = false;
    let mut out = Vec::new();
    for line in unit.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_service = line == "[Service]";
            continue;
        }
        if !in_service || line.starts_with('#') {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            out.push((key.to_string(), value.to_string()));
        }
    }
    out
}

fn setting<'a>(settings: &'a [(String, String)], key: &str) -> &'a str {
    settings
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("trucban.service has no {key}="))
}

impl Deployment {
    /// Makes the deployment for `officers` (and, if given, a user outside the group, for
    /// tig over the same link). None, said, where the machine cannot (see [`not_run`]).
    pub fn start(test: &str, officers: &[Officer], other_user: Option<&str>) -> Option<Self> {
        if not_run(test) {
            return None;
        }
        let lock = std::fs::File::create("/tmp/trucban-ssh-deployment.lock").expect("lock file");
        {
            use std::os::fd::AsRawFd;
            // SAFETY: flock on a descriptor this function owns.
            assert_eq!(unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) }, 0);
        }
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        let settings = unit_settings();
        let daemon_user = setting(&settings, "User").to_string();
        let group = setting(&settings, "Group").to_string();
        // The unit's set-up lines: the group, then the daemon's system user in it.
        run("groupadd", Command::new("groupadd").args(["-f", &group]));
        if !exists(&daemon_user) {
            run(
                "useradd (daemon)",
                Command::new("useradd").args([
                    "--system",
                    "--home-dir",
                    "/var/lib/trucban",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    "-g",
                    &group,
                    &daemon_user,
                ]),
            );
        }
        let install = PathBuf::from(format!("{BINARY}.installing"));
        std::fs::copy(env!("CARGO_BIN_EXE_trucban"), &install).expect("install the binary");
        std::fs::set_permissions(&install, std::fs::Permissions::from_mode(0o755))
            .expect("chmod the binary");
        std::fs::rename(&install, BINARY).expect("install the binary");

        let key = dir.path().join("officer_key");
        let host_key = dir.path().join("host_key");
        for k in [&key, &host_key] {
            run(
                "ssh-keygen",
                Command::new("ssh-keygen")
                    .args(["-q", "-t", "ed25519", "-N", "", "-f"])
                    .arg(k),
            );
        }
        let public = std::fs::read_to_string(key.with_extension("pub")).expect("public key");
        let users: Vec<(&str, bool)> = officers
            .iter()
            .map(|o| (o.user, true))
            .chain(other_user.map(|u| (u, false)))
            .collect();
        for &(user, in_group) in &users {
            if !exists(user) {
                run(
                    "useradd",
                    Command::new("useradd").args(["-m", "-s", "/bin/bash", user]),
                );
            }
            // Key login only: no password at all (`*`), not a locked account (`!`).
            run(
                "usermod -p",
                Command::new("usermod").args(["-p", "*", user]),
            );
            if in_group {
                run(
                    "usermod -aG",
                    Command::new("usermod").args(["-aG", &group, user]),
                );
            } else {
                let _ = Command::new("gpasswd").args(["-d", user, &group]).output();
            }
            let home = PathBuf::from(format!("/home/{user}"));
            // What an earlier run left: drafts, the place, settings.
            let _ = std::fs::remove_dir_all(home.join(".local/share/trucban"));
            let _ = std::fs::remove_dir_all(home.join(".config/trucban"));
            let ssh = home.join(".ssh");
            std::fs::create_dir_all(&ssh).expect(".ssh");
            std::fs::write(ssh.join("authorized_keys"), &public).expect("authorized_keys");
            std::fs::set_permissions(&ssh, std::fs::Permissions::from_mode(0o700)).expect("chmod");
            std::fs::set_permissions(
                ssh.join("authorized_keys"),
                std::fs::Permissions::from_mode(0o600),
            )
            .expect("chmod");
            run(
                "chown",
                Command::new("chown").args(["-R", &format!("{user}:"), &home.to_string_lossy()]),
            );
        }

        // The store: seeded with the sample, an account per officer (PIN on stdin).
        let data = dir.path().join("data");
        std::fs::create_dir(&data).expect("data dir");
        run(
            "chown data",
            Command::new("chown").arg(&daemon_user).arg(&data),
        );
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        let as_daemon = |args: &[&str]| {
            let mut c = Command::new("runuser");
            c.args(["-u", &daemon_user, "--", BINARY]).args(args);
            c.arg("--data-dir").arg(&data).env("HOME", dir.path());
            c
        };
        run(
            "seed",
            as_daemon(&["seed", "--sample"]).stdout(Stdio::null()),
        );
        for o in officers {
            let mut child = as_daemon(&["account", "set", o.user, o.officer])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
                .expect("account set");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(b"246810\n")
                .expect("pin");
            assert!(
                child.wait().expect("account set").success(),
                "account set {}",
                o.user
            );
        }

        // sshd: its own port, host key and pid file; the deployment's file included unchanged.
        let sshd_port = free_port();
        let config = dir.path().join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {sshd_port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\n\
                 AuthorizedKeysFile .ssh/authorized_keys\nPubkeyAuthentication yes\n\
                 PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n\
                 LogLevel DEBUG1\nInclude {REPO}/docs/deploy/sshd_config.trucban\n",
                host_key.display(),
                dir.path().join("sshd.pid").display(),
            ),
        )
        .expect("sshd_config");
        std::fs::create_dir_all("/run/sshd").expect("/run/sshd");
        let sshd_log = dir.path().join("sshd.log");
        let sshd = Command::new(SSHD)
            .arg("-D")
            .arg("-E")
            .arg(&sshd_log)
            .arg("-f")
            .arg(&config)
            .spawn()
            .expect("start sshd");
        wait_until("sshd listening", Duration::from_secs(10), || {
            std::net::TcpStream::connect(("127.0.0.1", sshd_port)).is_ok()
        });
        let mut deployment = Deployment {
            dir,
            sshd_port,
            sshd,
            serve: None,
            key,
            sshd_log,
            _lock: lock,
        };
        deployment.start_serve();
        for o in officers {
            // Officers of Lai Châu work in Vietnamese (their own config file says so: the
            // link carries no locale).
            deployment.user_config(o.user, "lang = \"vi\"\n");
        }
        Some(deployment)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `trucban serve` as the unit runs it: its user, environment, umask and runtime
    /// directory; its `ExecStart` with the test's data directory.
    pub fn start_serve(&mut self) {
        let settings = unit_settings();
        let user = setting(&settings, "User");
        let group = setting(&settings, "Group");
        let mode = setting(&settings, "RuntimeDirectoryMode");
        let umask = setting(&settings, "UMask");
        let exec: Vec<String> = setting(&settings, "ExecStart")
            .split_whitespace()
            .map(|word| {
                if word == "/var/lib/trucban" {
                    self.data().to_string_lossy().into_owned()
                } else {
                    word.to_string()
                }
            })
            .collect();
        let _ = std::fs::remove_dir_all(RUNTIME_DIR);
        std::fs::create_dir(RUNTIME_DIR).expect("/run/trucban");
        run(
            "chown /run/trucban",
            Command::new("chown").args([&format!("{user}:{group}"), RUNTIME_DIR]),
        );
        let mode = u32::from_str_radix(mode, 8).expect("RuntimeDirectoryMode");
        std::fs::set_permissions(RUNTIME_DIR, std::fs::Permissions::from_mode(mode))
            .expect("chmod /run/trucban");
        let mut command = Command::new("runuser");
        command
            .args(["-u", user, "--", "env", "-i"])
            .arg(format!("RUNTIME_DIRECTORY={RUNTIME_DIR}"))
            .arg("PATH=/usr/local/bin:/usr/bin:/bin");
        for (key, value) in &settings {
            if key == "Environment" {
                command.arg(value);
            }
        }
        command
            .args(["sh", "-c", &format!("umask {umask} && exec \"$@\""), "sh"])
            .args(&exec)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        self.serve = Some(command.spawn().expect("start trucban serve"));
        wait_until("the daemon's socket", Duration::from_secs(30), || {
            std::os::unix::net::UnixStream::connect(SOCKET).is_ok()
        });
    }

    /// The daemon's process ID (the `trucban serve` under runuser, env and sh's exec).
    pub fn serve_pid(&self) -> u32 {
        let out = run(
            "pgrep",
            Command::new("pgrep").args(["-f", "-x", &format!("{BINARY} serve .*")]),
        );
        out.lines()
            .next()
            .and_then(|l| l.trim().parse().ok())
            .expect("the daemon's pid")
    }

    /// Connections the daemon holds open: its Unix sockets, less the one it listens on.
    pub fn daemon_connections(&self) -> usize {
        let pid = self.serve_pid();
        let sockets = std::fs::read_dir(format!("/proc/{pid}/fd"))
            .expect("the daemon's descriptors")
            .flatten()
            .filter(|fd| {
                std::fs::read_link(fd.path())
                    .is_ok_and(|target| target.to_string_lossy().starts_with("socket:"))
            })
            .count();
        sockets.saturating_sub(1)
    }

    /// The `ssh` client for `user` through `port` (the relay's), into a pty: `-tt`, the
    /// test's key only, no user config, AES-GCM (the relay reads packet lengths), and
    /// `args` after the destination.
    pub fn ssh(&self, user: &str, port: u16, args: &[&str]) -> portable_pty::CommandBuilder {
        self.ssh_with(user, port, &[], args)
    }

    /// As [`Self::ssh`], with client `options` before the destination (they win over the
    /// defaults: ssh takes the first value given).
    pub fn ssh_with(
        &self,
        user: &str,
        port: u16,
        options: &[&str],
        args: &[&str],
    ) -> portable_pty::CommandBuilder {
        let mut c = portable_pty::CommandBuilder::new("ssh");
        c.args(options);
        for arg in self.ssh_args(user, port) {
            c.arg(arg);
        }
        c.args(args);
        c.env("TERM", "xterm-256color");
        c.env("LANG", "C.UTF-8");
        c
    }

    /// The client's arguments, the destination last.
    pub fn ssh_args(&self, user: &str, port: u16) -> Vec<String> {
        let known = self.dir.path().join("known_hosts");
        [
            "-tt",
            "-F",
            "/dev/null",
            "-p",
            &port.to_string(),
            "-i",
            &self.key.to_string_lossy(),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            &format!("UserKnownHostsFile={}", known.display()),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "Ciphers=aes128-gcm@openssh.com",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            &format!("{user}@127.0.0.1"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    /// A one-shot `ssh` (no terminal) for `user`, with `extra` options before the
    /// destination and `command` after it: (exit status, stdout, stderr).
    pub fn ssh_once(&self, user: &str, extra: &[&str], command: &[&str]) -> (i32, String, String) {
        let mut args = self.ssh_args(user, self.sshd_port);
        args.retain(|a| a != "-tt");
        let destination = args.pop().expect("destination");
        let out = Command::new("ssh")
            .arg("-T")
            .args(&args)
            .args(extra)
            .arg(destination)
            .args(command)
            .stdin(Stdio::null())
            .output()
            .expect("ssh");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// What sshd logged (LogLevel DEBUG1).
    pub fn sshd_log(&self) -> String {
        std::fs::read_to_string(&self.sshd_log).unwrap_or_default()
    }

    /// Writes `user`'s own config file (`~/.config/trucban/config.toml`), as the user.
    pub fn user_config(&self, user: &str, text: &str) {
        let dir = PathBuf::from(format!("/home/{user}/.config/trucban"));
        std::fs::create_dir_all(&dir).expect("config dir");
        std::fs::write(dir.join("config.toml"), text).expect("config");
        run(
            "chown",
            Command::new("chown").args([
                "-R",
                &format!("{user}:"),
                &format!("/home/{user}/.config"),
            ]),
        );
    }

    /// Consoles still running for `user` (processes of the installed binary).
    pub fn consoles_of(&self, user: &str) -> usize {
        Command::new("pgrep")
            .args(["-u", user, "-f", BINARY])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).lines().count())
            .unwrap_or(0)
    }
}

impl Drop for Deployment {
    fn drop(&mut self) {
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
        if let Some(mut serve) = self.serve.take() {
            // runuser passes SIGTERM on to the daemon, which closes cleanly.
            // SAFETY: kill on a child this deployment started.
            unsafe { libc::kill(serve.id() as i32, libc::SIGTERM) };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = serve.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = serve.kill();
            let _ = serve.wait();
        }
        let _ = std::fs::remove_dir_all(RUNTIME_DIR);
    }
}
