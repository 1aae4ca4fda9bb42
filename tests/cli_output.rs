//! A command's `--output` is replaced whole or not at all when it is a file, and written in
//! place when it is not: renaming a finished file over `/dev/null`, a named pipe or a link
//! would replace the device, the pipe or the link itself (a test that exported to
//! `/dev/null` as root once turned the host's `/dev/null` into a file full of compiler
//! errors).

#![allow(clippy::panic)] // test helpers fail loudly by design

mod common;

use std::io::Read;
use std::os::unix::fs::FileTypeExt;

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("listed")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".tmp"))
        .collect()
}

#[test]
fn an_export_into_a_named_pipe_goes_through_it_and_leaves_the_pipe() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    let expected = desk.ok(&["export", "officers"]);
    let pipe = desk.path().join("officers.pipe");
    nix::unistd::mkfifo(&pipe, nix::sys::stat::Mode::S_IRWXU).expect("mkfifo");
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || {
            let mut read = String::new();
            std::fs::File::open(&pipe)
                .expect("opened for reading")
                .read_to_string(&mut read)
                .expect("read");
            read
        })
    };
    desk.ok(&[
        "export",
        "officers",
        "--output",
        pipe.to_str().expect("utf-8"),
    ]);
    // Asked before reading: had the pipe been replaced, its reader would wait for ever.
    let kind = std::fs::symlink_metadata(&pipe)
        .expect("still there")
        .file_type();
    assert!(kind.is_fifo(), "the pipe was replaced: {kind:?}");
    assert_eq!(reader.join().expect("reader"), expected);
    assert!(
        leftovers(desk.path()).is_empty(),
        "{:?}",
        leftovers(desk.path())
    );
}

#[test]
fn an_export_through_a_link_replaces_its_target_and_keeps_the_link() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    let expected = desk.ok(&["export", "officers"]);
    let elsewhere = desk.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("dir");
    let target = elsewhere.join("officers.csv");
    std::fs::write(&target, "old").expect("old file");
    let link = desk.path().join("officers.csv");
    std::os::unix::fs::symlink(&target, &link).expect("link");

    desk.ok(&[
        "export",
        "officers",
        "--output",
        link.to_str().expect("utf-8"),
    ]);
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    assert_eq!(std::fs::read_to_string(&target).expect("target"), expected);
    assert!(
        leftovers(&elsewhere).is_empty(),
        "{:?}",
        leftovers(&elsewhere)
    );
}
