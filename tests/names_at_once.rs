#![allow(clippy::panic)]
//! A table's rows name other records (a wanted notice its person): the console asks for
//! them all in one `get_many`, not with one `get` per row. Through the daemon each request
//! is a round trip on the officer's link, and each `get` is an audit entry saying the
//! officer opened that record, which they did not: the Wanted view of the sample cost 300
//! of each before.
//!
//! The console is hung up (an SSH link dropped) a moment after its rows show: the reads it
//! audited and its log-off must be on the disk all the same.

mod common;

use std::time::Duration;

use common::pty::Console;

#[test]
fn the_wanted_view_asks_for_its_persons_at_once_and_audits_no_opening() {
    let desk = common::Desk::new();
    desk.ok(&["seed", "--sample"]);
    let data = desk.path().join("data");
    let data = data.to_str().expect("utf-8 path");
    let mut console = Console::start(desk.path(), &["--data-dir", data, "--lang", "en"]);
    console.wait_for_first_screen();
    assert!(
        console.wait_for("TN-000001", Duration::from_secs(10)),
        "the Wanted rows never showed:\n{}",
        console.text()
    );
    // The link dropped a moment after the rows showed (SIGHUP, the terminal gone).
    let since = console.hang_up();
    console.wait_exit(since, "the console after a hang-up");
    let audit: serde_json::Value =
        serde_json::from_str(&desk.ok(&["audit", "--json"])).expect("the audit as JSON");
    let actions: Vec<&str> = audit
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    let gets = actions.iter().filter(|a| **a == "get").count();
    let at_once = actions.iter().filter(|a| **a == "get_many").count();
    assert_eq!(gets, 0, "one get per row: {actions:?}");
    assert!(at_once >= 1, "the persons never asked for: {actions:?}");
    // What was audited without a sync of its own is on the disk once the console closed,
    // even a moment after it read: its reads and its log-off.
    assert!(actions.contains(&"logoff"), "no log-off: {actions:?}");
}

/// What a get of each would give, in one answer; and no more than the bound at once (a
/// client asking for millions gets a refusal, not a reply the daemon must hold).
#[test]
fn get_many_answers_what_gets_answer_and_refuses_past_its_bound() {
    use trucban::domain::{Kind, RecordId};
    use trucban::service::{DeskApi, MAX_GET_MANY, ServiceError};
    let store = common::console::desk();
    let desk = &store.desk;
    let ids: Vec<RecordId> = (1..=40)
        .map(|n| RecordId::new(Kind::Person, n))
        .chain([
            RecordId::new(Kind::Wanted, 3),
            RecordId::new(Kind::Person, 999_999),
        ])
        .collect();
    let one_by_one: Vec<_> = ids
        .iter()
        .filter_map(|id| desk.get(*id).expect("get"))
        .collect();
    assert_eq!(desk.get_many(ids).expect("get_many"), one_by_one);
    let too_many = vec![RecordId::new(Kind::Person, 1); MAX_GET_MANY + 1];
    match desk.get_many(too_many) {
        Err(ServiceError::Invalid(said)) => assert!(said.en.contains("at most")),
        other => panic!("{} ids answered: {other:?}", MAX_GET_MANY + 1),
    }
}
