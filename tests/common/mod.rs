//! Helpers shared by the integration tests: run the real binary on a temporary store.

#![allow(dead_code)]

pub mod console;
pub mod console_command;
#[path = "../engine/mod.rs"]
pub mod engine;
pub mod pty;
pub mod running;
pub mod served;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Desk {
    pub dir: tempfile::TempDir,
}

impl Desk {
    pub fn new() -> Desk {
        Desk {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        // The store in `data/`, or its database when the tests run on PostgreSQL.
        Command::new(env!("CARGO_BIN_EXE_trucban"))
            .args(engine::store_args(&self.path().join("data")))
            .args(args)
            .env_remove("TRUCBAN_DATA_DIR")
            .output()
            .expect("run trucban")
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "trucban {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path().join(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }

    pub fn import(&self, kind: &str, name: &str, bytes: &[u8]) -> Output {
        let path = self.write(name, bytes);
        self.run(&["import", kind, path.to_str().expect("utf-8 path")])
    }

    /// Gives the OS user running the tests an account (officer `officer`, PIN `pin`): the
    /// daemon admits only users with one.
    pub fn account_for_me(&self, officer: &str, pin: &str) {
        account_for_me_on(&engine::store_args(&self.path().join("data")), officer, pin);
    }

    pub fn stats(&self) -> String {
        self.ok(&["stats", "--json"])
    }
}

pub const OFFICERS: &str = "id,badge_no,full_name,rank,unit,role\n\
CB-000001,LC-10001,Tòng Văn Khánh,Đại úy,Phòng PC02,duty\n\
CB-000002,LC-10002,Lò Thị Hoa,Thượng úy,Phòng PC06,supervisor\n";

pub const ESTABLISHMENTS: &str = "id,name,kind,commune,former_district,address,owner,phone,certificate_no,rooms,risk\n\
CS-000001,Nhà nghỉ Hoa Ban,guesthouse,Tân Phong,TP Lai Châu,Số 12 đường Trần Phú,Lý Văn Tài,0213 555 0101,12/GCN-ANTT,14,medium\n";

pub const GUEST_HEADER: &str = "establishment_id,full_name,date_of_birth,gender,id_number,nationality,check_in,check_out,room,declared_at";

/// A store with two officers and one establishment, ready for guest imports.
pub fn desk_with_establishment() -> Desk {
    let desk = Desk::new();
    assert!(
        desk.import("officers", "officers.csv", OFFICERS.as_bytes())
            .status
            .success()
    );
    let out = desk.import(
        "establishments",
        "establishments.csv",
        ESTABLISHMENTS.as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    desk
}

/// Gives the OS user running the tests an account (officer `officer`, PIN `pin`) in the
/// store `store` names (`--data-dir DIR`, `--database URL`).
pub fn account_for_me_on(store: &[String], officer: &str, pin: &str) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_trucban"))
        .args(store)
        .args(["account", "set", &me(), officer])
        .env_remove("TRUCBAN_DATA_DIR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("run trucban account set");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{pin}\n").as_bytes())
        .expect("pin");
    assert!(child.wait().expect("wait").success(), "account set failed");
}

pub fn guest_row(name: &str, dob: &str, check_in: &str) -> String {
    format!("CS-000001,{name},{dob},male,999012345678,VNM,{check_in},,101,{check_in}")
}

/// `trucban ARGS` as a pty test starts it: in `home`, with a terminal type and a Vietnamese
/// locale, and none of the user's own settings (config, data, officer, colours).
pub fn trucban_command(home: &Path, args: &[&str]) -> portable_pty::CommandBuilder {
    // The tests drive the Wanted view's rows; an officer's console opens on Shift at a glance.
    console_command::console_command(env!("CARGO_BIN_EXE_trucban"), home, "truyna", args)
}

/// The OS user name the daemon learns for this process (from the kernel and the user
/// database).
pub fn me() -> String {
    trucban::service::session::current_os_user()
}
