//! The search index file and the change log: a reopened store answers from the file, with
//! every write made since (by this process or another) taken in; a damaged, foreign or
//! outdated file is rebuilt, never misread.

#![allow(clippy::panic)]

mod engine;

use std::path::Path;

use chrono::Utc;
use trucban::domain::{Kind, Record};
use trucban::service::{DeskApi, LocalDesk};

fn open(dir: &Path) -> LocalDesk {
    LocalDesk::over(
        engine::open(dir, Utc::now()),
        trucban::domain::Clock::system(),
    )
}

fn seeded(dir: &Path) -> LocalDesk {
    let desk = open(dir);
    desk.load(&trucban::sample::sample(20261115))
        .expect("load sample");
    desk
}

fn index_file(dir: &Path) -> std::path::PathBuf {
    dir.join("search-index")
}

/// (id, title) of the hits, in order.
fn ids(desk: &LocalDesk, query: &str) -> Vec<(String, String)> {
    desk.search(query, None, 10, trucban::i18n::Lang::Vi)
        .expect("search")
        .into_iter()
        .map(|h| (h.id, h.title))
        .collect()
}

/// The first person of the store and a wanted notice about them, if any.
fn a_wanted_person(desk: &LocalDesk) -> (trucban::domain::Person, String) {
    for record in desk.store().scan(Kind::Wanted) {
        if let Ok(Record::Wanted(w)) = record
            && let Ok(Some(Record::Person(p))) = desk.get(w.person_id)
        {
            return (p, w.id.to_string());
        }
    }
    panic!("the sample has wanted notices");
}

fn rename(desk: &LocalDesk, mut person: trucban::domain::Person, name: &str) {
    person.full_name = name.to_string();
    desk.save(Record::Person(person)).expect("save person");
}

#[test]
fn a_write_shows_at_once_in_the_loaded_index_notices_included() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = seeded(dir.path());
    let (person, notice) = a_wanted_person(&desk);
    let old = person.full_name.clone();
    assert!(ids(&desk, &old).iter().any(|(id, _)| *id == notice));
    rename(&desk, person, "Vàng Seo Thổng");
    let hits = ids(&desk, "vang seo thong");
    assert!(hits.iter().any(|(id, _)| *id == notice), "{hits:?}");
    assert!(
        hits.iter().all(|(_, title)| title == "Vàng Seo Thổng"),
        "{hits:?}"
    );
    assert!(
        ids(&desk, &old).iter().all(|(id, _)| *id != notice),
        "the old name no longer finds the notice"
    );
}

#[test]
fn a_reopened_store_reads_the_file_and_takes_in_later_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (person, notice, before) = {
        let desk = seeded(dir.path());
        let (person, notice) = a_wanted_person(&desk);
        (person, notice, ids(&desk, "nguyen van"))
    };
    let file = std::fs::read(index_file(dir.path())).expect("the first search saved the index");
    assert_eq!(ids(&open(dir.path()), "nguyen van"), before);

    // Another process writes without loading the index: the log carries the change.
    rename(&open(dir.path()), person, "Vàng Seo Thổng");
    let desk = open(dir.path());
    let hits = ids(&desk, "vang seo thong");
    assert!(hits.iter().any(|(id, _)| *id == notice), "{hits:?}");
    assert_eq!(
        std::fs::read(index_file(dir.path())).expect("file"),
        file,
        "one change is applied from the log, not by rewriting the file"
    );
}

#[test]
fn a_damaged_or_foreign_file_is_rebuilt_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let before = ids(&seeded(dir.path()), "giang a su");
    assert!(!before.is_empty());
    let path = index_file(dir.path());
    let good = std::fs::read(&path).expect("file");

    let mut damaged = good.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x20;
    std::fs::write(&path, &damaged).expect("damage");
    assert_eq!(ids(&open(dir.path()), "giang a su"), before);
    assert_eq!(std::fs::read(&path).expect("file"), good, "rebuilt");

    // The file of another store, copied over: its store id differs.
    let other = tempfile::tempdir().expect("temp dir");
    drop(ids(&open(other.path()), "x"));
    std::fs::copy(index_file(other.path()), &path).expect("copy");
    assert_eq!(ids(&open(dir.path()), "giang a su"), before);
}

#[test]
fn a_bulk_load_after_the_file_forces_a_rebuild() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop(ids(&seeded(dir.path()), "a"));
    let desk = open(dir.path());
    let first = desk.store().reserve_ids(Kind::Person, 1).expect("an ID");
    let mut person = match desk.store().scan(Kind::Person).next() {
        Some(Ok(Record::Person(p))) => p,
        other => panic!("a person: {other:?}"),
    };
    person.id = trucban::domain::RecordId::new(Kind::Person, first);
    person.full_name = "Thào Mí Chứ".into();
    desk.store()
        .bulk_load(&[Record::Person(person)])
        .expect("bulk load");
    drop(desk);
    let hits = ids(&open(dir.path()), "thao mi chu");
    assert_eq!(hits.first().map(|h| h.1.as_str()), Some("Thào Mí Chứ"));
}

#[test]
fn the_change_log_is_pruned_once_the_file_holds_the_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = seeded(dir.path());
    assert!(!desk.store().changes_since(0).expect("log").is_empty());
    drop(ids(&desk, "a"));
    assert!(
        desk.store().changes_since(0).expect("log").is_empty(),
        "saving the rebuilt index forgets the log"
    );
    let (person, _) = a_wanted_person(&desk);
    rename(&desk, person, "Lò Thị Xuân");
    assert_eq!(desk.store().changes_since(0).expect("log").len(), 1);
}
