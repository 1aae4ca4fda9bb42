use super::*;
use crate::domain::time::parse_instant;

fn now() -> Instant {
    parse_instant("2026-11-27 09:30").expect("time")
}

#[test]
fn a_status_change_needs_a_note_and_an_officer() {
    let id = RecordId::new(Kind::Wanted, 15);
    let mut form =
        Form::for_record(Kind::Wanted, id, "Lò Văn Pánh", None, now(), Lang::Vi).expect("form");
    let errors = form.validate(Lang::En).expect_err("empty");
    assert_eq!(errors.len(), 2);
    form.focus = 1;
    "bắt tại chợ".chars().for_each(|c| form.type_char(c));
    form.focus = 2;
    "CB-000003".chars().for_each(|c| form.type_char(c));
    form.focus = 0;
    form.cycle_choice(1);
    let Ok(Submission::WantedStatus {
        status, note, by, ..
    }) = form.validate(Lang::Vi)
    else {
        panic!("valid")
    };
    assert_eq!(
        (status, note.as_str(), by.num()),
        (WantedStatus::Surrendered, "bắt tại chợ", 3)
    );
}

#[test]
fn escape_characters_cannot_be_typed_into_a_field() {
    let mut form = Form::for_record(
        Kind::WatchEntry,
        RecordId::new(Kind::WatchEntry, 1),
        "x",
        None,
        now(),
        Lang::Vi,
    )
    .expect("form");
    form.focus = 1;
    for c in ['a', '\u{1b}', '[', '\u{9b}', 'b'] {
        form.type_char(c);
    }
    assert_eq!(form.fields[1].value, "a[b");
}

#[test]
fn a_failed_check_needs_a_violation_and_drafts_round_trip() {
    let mut form = Form::for_record(
        Kind::Establishment,
        RecordId::new(Kind::Establishment, 4),
        "Nhà nghỉ",
        Some(RecordId::new(Kind::Officer, 1)),
        now(),
        Lang::Vi,
    )
    .expect("form");
    form.focus = 3;
    form.cycle_choice(1);
    let errors = form.validate(Lang::Vi).expect_err("needs violation");
    assert_eq!(
        errors,
        vec![(
            form.index("violations"),
            "Có mục không đạt: ghi vi phạm".to_string()
        )]
    );
    let json = serde_json::to_string(&form).expect("draft");
    let back: Form = serde_json::from_str(&json).expect("draft back");
    assert_eq!(back.fields, form.fields);
    assert_eq!(form.draft_key(), "inspection-cs-000004");
}

/// What a form fills in is in the officer's language and saves as it stands.
#[test]
fn pre_filled_dates_are_in_the_officers_language_and_save_as_they_are() {
    let officer = Some(RecordId::new(Kind::Officer, 1));
    let entry = RecordId::new(Kind::WatchEntry, 1);
    for (lang, shown) in [
        (Lang::Vi, "27/11/2026 09:30"),
        (Lang::En, "27 Nov 2026 09:30"),
    ] {
        let mut form =
            Form::for_record(Kind::WatchEntry, entry, "x", officer, now(), lang).expect("form");
        assert_eq!(form.value("at"), shown);
        form.focus = form.index("place");
        "chợ".chars().for_each(|c| form.type_char(c));
        let Ok(Submission::Sighting(s)) = form.validate(lang) else {
            panic!("{lang:?}: the pre-filled time did not save")
        };
        assert_eq!(s.at, now());

        let place = RecordId::new(Kind::Establishment, 4);
        let form =
            Form::for_record(Kind::Establishment, place, "x", officer, now(), lang).expect("form");
        assert_eq!(form.value("date"), &shown[..shown.len() - 6]);
        assert!(form.validate(lang).is_ok(), "{lang:?}: inspection date");

        let shift = crate::domain::shifts::ShiftWindow {
            start: now(),
            end: now() + chrono::Duration::hours(12),
        };
        let mut form = Form::handover(shift, officer, lang);
        assert!(
            form.target_title.starts_with(shown),
            "{}",
            form.target_title
        );
        "yên".chars().for_each(|c| form.type_char(c));
        let Ok(Submission::SignHandover { shift: saved, .. }) = form.validate(lang) else {
            panic!("{lang:?}: the pre-filled shift did not save")
        };
        assert_eq!(saved, shift);
    }
}
