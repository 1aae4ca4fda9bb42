//! The other files that promise durability, each under power cuts: form drafts, the search
//! index file, backups and restores (the seal is covered by the store test: a store whose
//! seal and log disagree refuses to open, and it must open after every cut).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Utc;
use rand::{Rng, SeedableRng};
use trucban::app::keys::parse_script;
use trucban::i18n::Lang;
use trucban::store::SledBackend;

use super::common::console;
use super::{Bench, acknowledged};

/// Cuts per test here (`TRUCBAN_POWER_CUTS` scales them with the store test's).
fn cuts(default: usize) -> usize {
    std::env::var("TRUCBAN_POWER_CUTS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(default, |n| n.div_ceil(2).max(1))
}

fn trucban(args: &[&std::ffi::OsStr]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trucban"));
    command
        .args(args)
        .env_remove("TRUCBAN_DATA_DIR")
        .env_remove("TRUCBAN_SOCKET")
        .env("LANG", "en_US.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs `command` and kills it after `after` if it is still running; whether it finished
/// with success (what it told its user) first.
fn run_until(mut command: Command, after: Duration) -> bool {
    let mut child = command.spawn().expect("start trucban");
    let started = std::time::Instant::now();
    while started.elapsed() < after {
        if let Some(status) = child.try_wait().expect("wait") {
            if !status.success() {
                let mut err = String::new();
                if let Some(mut stderr) = child.stderr.take() {
                    std::io::Read::read_to_string(&mut stderr, &mut err).ok();
                }
                println!("{status}: {err}");
            }
            return status.success();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    child.wait().expect("reap");
    false
}

/// The console writes the open form's draft on every key (temporary file, fsync, rename,
/// directory fsync). Keys are typed while the power is cut at random instants: each cut
/// must hold a draft with at least every key handled before it, readable.
#[test]
fn every_key_of_a_draft_survives_power_cuts() {
    const NOTES: &str = "Đối tượng Lò Văn Pánh tạm giữ tại trụ sở; ca sau theo dõi NT-000009. ";
    let bench = Bench::new();
    let desk = console::desk();
    let fs = bench.mount();
    let mut app = console::app(&desk, Lang::Vi, "default", Some(bench.mount.join("drafts")));
    console::screen(&mut app, ":kyca<Enter>");
    let cuts = cuts(50);
    let handled = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    let state = fs.state.clone();
    let images = bench.images();
    let mut typed = String::new();
    let taken: Vec<(usize, PathBuf)> = std::thread::scope(|scope| {
        let cutter = scope.spawn(|| {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x6472_6166);
            let mut taken = Vec::new();
            for cut in 0..cuts {
                std::thread::sleep(Duration::from_millis(rng.random_range(0..12)));
                // Read before the cut: every key counted here was handled before it.
                let keys = handled.load(Ordering::SeqCst);
                let image = images.join(format!("cut{cut}"));
                state
                    .lock()
                    .expect("state")
                    .write_durable(&image)
                    .expect("snapshot");
                taken.push((keys, image));
            }
            done.store(true, Ordering::SeqCst);
            taken
        });
        for c in NOTES.chars().cycle() {
            if done.load(Ordering::SeqCst) {
                break;
            }
            let key = parse_script(&c.to_string()).expect("key").remove(0);
            app.press(key, console::now());
            typed.push(c);
            handled.store(typed.chars().count(), Ordering::SeqCst);
        }
        cutter.join().expect("cutter")
    });
    drop(app);
    let mut lost = Vec::new();
    for (cut, (keys, image)) in taken.iter().enumerate() {
        let drafts: Vec<PathBuf> = std::fs::read_dir(image.join("drafts"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        let drafts: Vec<&PathBuf> = drafts
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        if *keys == 0 && drafts.is_empty() {
            continue;
        }
        let held = drafts.first().and_then(|p| {
            let json: serde_json::Value = serde_json::from_slice(&std::fs::read(p).ok()?).ok()?;
            json["fields"][0]["value"].as_str().map(str::to_string)
        });
        match held {
            Some(text) if drafts.len() == 1 && typed.starts_with(&text) => {
                if text.chars().count() < *keys {
                    lost.push(format!(
                        "cut {cut}: {keys} keys handled, the draft holds {}",
                        text.chars().count()
                    ));
                }
            }
            other => lost.push(format!(
                "cut {cut}: {keys} keys handled, drafts {drafts:?} hold {other:?}"
            )),
        }
    }
    println!(
        "{} cuts while {} keys were typed; {} lost",
        taken.len(),
        typed.chars().count(),
        lost.len()
    );
    assert!(lost.is_empty(), "{lost:#?}");
    assert!(
        typed.chars().count() > cuts,
        "too few keys typed to mean anything"
    );
}

/// The search index file (a cache beside the store) under cuts while `trucban search`
/// writes it and the crash test's writer changes the store: after each cut a search gives
/// what it gives with the file removed (rebuilt from the records). A cut may lose the file,
/// never leave one that is read as valid and wrong.
#[test]
fn the_search_index_file_is_right_or_rebuilt_after_power_cuts() {
    let bench = Bench::new();
    let data = bench.image.join("data");
    acknowledged::seed(&data);
    let writer = acknowledged::writer_binary();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x696e_6478);
    let search = |dir: &Path| {
        let out = trucban(&[
            "search".as_ref(),
            "Khách".as_ref(),
            "--json".as_ref(),
            "--limit".as_ref(),
            "500".as_ref(),
            "--data-dir".as_ref(),
            dir.as_os_str(),
        ])
        .output()
        .expect("search");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let cuts = cuts(25);
    let mut with_file = 0;
    for cut in 0..cuts {
        let fs = bench.mount();
        let mounted = bench.mount.join("data");
        if cut % 2 == 0 {
            let mut write = Command::new(&writer);
            write
                .arg(&mounted)
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            run_until(write, Duration::from_millis(rng.random_range(100..500)));
        }
        let searching = trucban(&[
            "search".as_ref(),
            "Khách".as_ref(),
            "--data-dir".as_ref(),
            mounted.as_os_str(),
        ]);
        run_until(searching, Duration::from_millis(rng.random_range(0..1500)));
        fs.cut(&bench.image).expect("cut");
        with_file += usize::from(data.join("search-index").exists());
        let (kept, rebuilt) = (bench.images().join("kept"), bench.images().join("rebuilt"));
        for copy in [&kept, &rebuilt] {
            copy_dir(&data, copy);
        }
        let _ = std::fs::remove_file(rebuilt.join("search-index"));
        assert_eq!(
            String::from_utf8_lossy(&search(&kept)),
            String::from_utf8_lossy(&search(&rebuilt)),
            "cut {cut}: the index file kept by the cut answers otherwise than a rebuild"
        );
        for copy in [&kept, &rebuilt] {
            std::fs::remove_dir_all(copy).expect("remove copy");
        }
    }
    println!("{cuts} cuts; the index file was there after {with_file} of them");
}

/// `trucban backup` cut at random moments over an older backup of the same name: after the
/// cut the file is the older backup or a complete new one, never a half one; and once
/// `backup` reported success, the new one.
#[test]
fn a_backup_cut_midway_leaves_the_old_one_or_a_complete_new_one() {
    let bench = Bench::new();
    let data = bench.image.join("data");
    acknowledged::seed(&data);
    let writer = acknowledged::writer_binary();
    std::fs::create_dir_all(bench.image.join("backups")).expect("backups dir");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x6261_636b);
    let cuts = cuts(25);
    let mut complete: Option<Vec<u8>> = None;
    let (mut told, mut new_ones) = (0, 0);
    for cut in 0..cuts {
        let fs = bench.mount();
        let mounted = bench.mount.join("data");
        let mut write = Command::new(&writer);
        write
            .arg(&mounted)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        run_until(write, Duration::from_millis(rng.random_range(50..300)));
        let file = bench.mount.join("backups").join("desk.trucban-backup");
        let backup = trucban(&[
            "backup".as_ref(),
            file.as_os_str(),
            "--force".as_ref(),
            "--data-dir".as_ref(),
            mounted.as_os_str(),
        ]);
        let ok = run_until(backup, Duration::from_millis(rng.random_range(0..800)));
        told += usize::from(ok);
        fs.cut(&bench.image).expect("cut");
        let kept = bench.image.join("backups").join("desk.trucban-backup");
        let bytes = std::fs::read(&kept).ok();
        let same = bytes.is_some() && bytes == complete;
        if ok {
            assert!(
                !same,
                "cut {cut}: backup reported success, the old file is there"
            );
        }
        if !same {
            match (&bytes, trucban::store::backup::verify(&kept)) {
                (Some(_), Ok(_)) => new_ones += 1,
                (None, _) if complete.is_none() && !ok => {}
                (_, verified) => {
                    panic!("cut {cut}: neither the old backup nor a complete new one: {verified:?}")
                }
            }
            complete = bytes;
        }
    }
    println!(
        "{cuts} cuts; backup reported success {told} times; a new complete backup after {new_ones} cuts"
    );
    assert!(
        new_ones > 0 && told > 0,
        "no cut came after a backup finished"
    );
}

/// `trucban restore` into a new place, cut at random moments: what the cut leaves is an
/// empty place (no store opens there) or the complete store, equal to the backup and
/// checked; once restore reported success, the complete store.
#[test]
fn a_restore_cut_midway_leaves_an_empty_place_or_the_whole_store() {
    let bench = Bench::new();
    let source = bench.images().join("source");
    acknowledged::seed(&source);
    let file = bench.images().join("desk.trucban-backup");
    let summary = SledBackend::open(&source, Utc::now())
        .expect("open")
        .backup(&file)
        .expect("backup");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x7273_7472);
    let cuts = cuts(25);
    let (mut told, mut whole, mut empty) = (0, 0, 0);
    for cut in 0..cuts {
        let fs = bench.mount();
        let place = bench.mount.join("restored");
        let restore = trucban(&[
            "restore".as_ref(),
            file.as_os_str(),
            "--data-dir".as_ref(),
            place.as_os_str(),
        ]);
        let ok = run_until(restore, Duration::from_millis(rng.random_range(0..2500)));
        told += usize::from(ok);
        fs.cut(&bench.image).expect("cut");
        let left = bench.image.join("restored");
        if SledBackend::exists(&left) {
            let store = SledBackend::open(&left, Utc::now())
                .unwrap_or_else(|e| panic!("cut {cut}: a store is there and does not open: {e}"));
            let check = store.check().expect("check");
            assert!(check.intact(), "cut {cut}: the restored store: {check:?}");
            let again = store
                .backup(&bench.images().join("again"))
                .expect("backup of the restored store");
            assert_eq!(
                again.counts, summary.counts,
                "cut {cut}: a partial store opens"
            );
            whole += 1;
        } else {
            assert!(
                !ok,
                "cut {cut}: restore reported success, and no store is there"
            );
            empty += 1;
        }
        // The next restore goes into an empty place again.
        let _ = std::fs::remove_dir_all(&left);
    }
    println!(
        "{cuts} cuts of restore: reported success {told} times; a whole store {whole}, an empty place {empty}"
    );
    assert!(
        whole > 0 && empty > 0,
        "the cuts never fell during a restore"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("copy dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}
