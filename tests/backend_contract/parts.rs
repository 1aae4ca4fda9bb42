//! The contract's write of parts ([`Backend::write_in_parts`]): whole with its audit entry,
//! references reaching into earlier parts; or nothing — when a part is refused, when the
//! one handing the parts stops, and when the process dies in the middle (the store opened
//! again holds none of it).

use super::*;

/// What a write of parts may change, to compare before and after.
fn state(backend: &dyn Backend) -> (Vec<Vec<Record>>, Vec<u64>, Vec<ChainHead>) {
    let kinds = [Kind::Person, Kind::WatchEntry];
    (
        kinds.iter().map(|k| all(backend, *k)).collect(),
        Kind::ALL
            .iter()
            .map(|k| backend.count(*k).expect("count"))
            .collect(),
        backend.audit_heads().expect("heads"),
    )
}

/// Three parts: two new persons; a watch entry naming the first of them and a sample
/// person renamed; a third new person.
fn parts(backend: &dyn Backend, sample: &[Record]) -> Vec<Vec<Record>> {
    let first = fresh(backend, sample, Kind::Person);
    let second = fresh(backend, sample, Kind::Person);
    let mut entry = fresh(backend, sample, Kind::WatchEntry);
    if let Record::WatchEntry(e) = &mut entry {
        e.person_id = first.id();
    }
    let mut renamed = of_kind(sample, Kind::Person)[0].clone();
    if let Record::Person(p) = &mut renamed {
        p.full_name.push_str(" (đổi tên)");
    }
    let third = fresh(backend, sample, Kind::Person);
    vec![vec![first, second], vec![entry, renamed], vec![third]]
}

fn handing(parts: Vec<Vec<Record>>) -> impl FnMut() -> trucban::store::Result<Option<Vec<Record>>> {
    let mut parts = parts.into_iter();
    move || Ok(parts.next())
}

#[test]
fn a_write_in_parts_lands_whole_with_its_audit_entry() {
    let (_dir, backend, sample) = seeded();
    let persons = backend.count(Kind::Person).expect("count");
    let floor = backend.cache_floor().expect("floor");
    let generation = backend.generation().expect("generation");
    let heads = backend.audit_heads().expect("heads");
    let parts = parts(&*backend, &sample);
    let audit = draft("import", Some(parts[0][0].id()));
    let written = backend
        .write_in_parts(&mut handing(parts.clone()), &|| Some(audit.clone()), None)
        .expect("write in parts")
        .expect("the audit entry");
    assert_eq!(written.draft, audit);
    for record in parts.iter().flatten() {
        assert_eq!(
            backend.get(record.id()).expect("get").as_ref(),
            Some(record)
        );
    }
    assert_eq!(backend.count(Kind::Person).expect("count"), persons + 3);
    let after = backend.audit_heads().expect("heads");
    assert_eq!(after[0].seq, heads.first().map_or(0, |h| h.seq) + 1);
    // What it changed is announced: by the change log, or by a raised cache floor.
    if backend.cache_floor().expect("floor") <= floor {
        let announced: HashSet<RecordId> = changes_after(&*backend, generation)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        for record in parts.iter().flatten() {
            assert!(
                announced.contains(&record.id()),
                "{} not announced",
                record.id()
            );
        }
    }
    let report = backend.check().expect("check");
    assert!(report.intact(), "{:?}", report.problems);
}

#[test]
fn a_write_in_parts_refused_or_stopped_leaves_nothing() {
    for how in ["stopped", "rule", "reference"] {
        let (_dir, backend, sample) = seeded();
        let mut parts = parts(&*backend, &sample);
        let before = state(&*backend);
        let refused = parts[1][1].id();
        let check =
            move |_: Option<&Record>, new: &Record| match how == "rule" && new.id() == refused {
                true => Err(Refusal::Closed {
                    id: refused,
                    what: "contract".into(),
                }),
                false => Ok(()),
            };
        if how == "reference"
            && let Record::WatchEntry(e) = &mut parts[1][0]
        {
            e.person_id = RecordId::new(Kind::Person, 8_888_888);
        }
        let mut handed = 0;
        let mut next = || {
            handed += 1;
            match (how, handed) {
                ("stopped", 3) => Err(StoreError::Stopped),
                (_, n) => Ok(parts.get(n - 1).cloned()),
            }
        };
        let audit = draft("import", None);
        let result = backend.write_in_parts(&mut next, &|| Some(audit.clone()), Some(&check));
        match how {
            "stopped" => assert!(matches!(result, Err(StoreError::Stopped)), "{result:?}"),
            "rule" => assert!(matches!(result, Err(StoreError::Rule(_))), "{result:?}"),
            _ => assert!(
                matches!(result, Err(StoreError::MissingReference { .. })),
                "{result:?}"
            ),
        }
        assert!(state(&*backend) == before, "{how}: something of it stayed");
        let report = backend.check().expect("check");
        assert!(report.intact(), "{how}: {:?}", report.problems);
    }
}

#[test]
fn a_write_in_parts_cut_short_by_the_process_dying_is_gone_when_the_store_opens() {
    let (dir, backend, sample) = seeded();
    let parts = parts(&*backend, &sample);
    let before = state(&*backend);
    let mut handed = 0;
    let mut next = || {
        handed += 1;
        match handed {
            3 => panic!("the process dies in the middle of the write"),
            n => Ok(parts.get(n - 1).cloned()),
        }
    };
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        backend.write_in_parts(&mut next, &|| None, None)
    }));
    assert!(died.is_err(), "the writer was to die");
    drop(backend);
    let backend = engine(dir.path());
    assert!(state(&*backend) == before, "a part stayed");
    for record in parts.iter().flatten() {
        if sample.iter().all(|s| s.id() != record.id()) {
            assert_eq!(backend.get(record.id()).expect("get"), None);
        }
    }
    let report = backend.check().expect("check");
    assert!(report.intact(), "{:?}", report.problems);
}
