//! The shift handover and the periodic report through the service, on a small store built
//! here (not the sample) with a fixed clock: the sheet's text form (snapshot, 80 columns),
//! sign-off and acknowledgement (then no door changes it), and report counts checked
//! against figures worked out by hand.

#![allow(clippy::panic)]

mod engine;

use chrono::Duration;
use trucban::domain::report::Period;
use trucban::domain::rules::Refusal;
use trucban::domain::shifts::ShiftPlan;
use trucban::domain::time::parse_date;
use trucban::domain::*;
use trucban::i18n::Lang;
use trucban::service::{DeskApi, Format, ImportSource, ServiceError};
use unicode_width::UnicodeWidthStr;

#[path = "handover/fixture.rs"]
mod fixture;
use fixture::*;

const NOW: &str = "2026-11-27 05:00";

#[test]
fn the_handover_of_a_shift_is_composed_from_its_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = desk(dir.path());
    let plan = ShiftPlan::default();
    let now = t(NOW);
    let shift = plan.shift_at(now);
    assert_eq!(shift.start, t("2026-11-26 19:30"));
    desk.sign_handover(
        shift,
        id(Kind::Officer, 1),
        "Đối tượng Sùng Seo Dính đang tạm giữ tại trụ sở, chờ Cơ quan CSĐT đến nhận bàn giao.\nCa sau theo dõi nghi trùng NT-000001.",
        t("2026-11-27 04:50"),
    )
    .expect("signed");
    // A tip received in the window, with its informant, and one left overdue since October.
    let tip = |received: &str, content: &str| Tip {
        id: RecordId::new(Kind::Tip, 0),
        received_at: t(received),
        channel: TipChannel::Phone,
        content: content.into(),
        place: "bản Nậm Cung".into(),
        taken_by: id(Kind::Officer, 1),
        verifier: Some(id(Kind::Officer, 2)),
        status: TipStatus::Verifying,
        first_deadline: t(received) + Duration::days(20),
        extensions: Vec::new(),
        settled_at: None,
    };
    let informant = Informant {
        name: "Người Báo Tin Bí Mật".into(),
        contact: "0213 555 0999".into(),
        note: String::new(),
        officers: vec![id(Kind::Officer, 1)],
    };
    desk.save_tip(
        tip(
            "2026-11-26 22:10",
            "Có người lạ vận chuyển hàng cấm qua suối",
        ),
        Some(informant.clone()),
    )
    .expect("tip in the window");
    desk.save_tip(tip("2026-10-20 09:00", "Nghi đánh bạc tại lán nương"), None)
        .expect("old tip");
    // A case recorded in the window, and one recorded in October and cleared in it; one
    // recorded before and still open is in neither list.
    let case = |recorded: &str, history: Vec<CaseStep>| Case {
        id: RecordId::new(Kind::Case, 0),
        occurred_on: parse_date("2026-10-01").expect("date"),
        place: "bản Nậm Cung".into(),
        summary: "Vận chuyển heroin qua đường mòn".into(),
        charge: Charge {
            article: 250,
            clause: 1,
        },
        group_id: None,
        source: None,
        recorded_at: t(recorded),
        recorded_by: id(Kind::Officer, 1),
        history,
    };
    let step = |at: &str, status| CaseStep {
        at: t(at),
        status,
        officer_id: id(Kind::Officer, 1),
        note: String::new(),
    };
    desk.save(Record::Case(case("2026-11-27 02:15", vec![])))
        .expect("case in the window");
    desk.save(Record::Case(case(
        "2026-10-05 10:00",
        vec![
            step("2026-10-06 10:00", CaseStatus::Investigating),
            step("2026-11-27 01:00", CaseStatus::Cleared),
        ],
    )))
    .expect("case cleared in the window");
    desk.save(Record::Case(case(
        "2026-10-07 10:00",
        vec![step("2026-10-08 10:00", CaseStatus::Investigating)],
    )))
    .expect("case still open");
    let sheet = desk
        .handover_sheet(shift, plan.next(now), now, Lang::Vi)
        .expect("sheet");
    let counts: Vec<(&str, usize)> = sheet.sections.iter().map(|s| (s.key, s.count)).collect();
    assert_eq!(
        counts,
        vec![
            ("wanted_changes", 1),
            ("new_wanted", 1),
            ("new_watch", 1),
            ("sightings", 1),
            ("tips_received", 1),
            ("tips_overdue", 1),
            ("cases_opened", 1),
            ("cases_cleared", 1),
            ("hits_pending", 1),
            ("hits_confirmed", 1),
            ("hits_ruled_out", 1),
            ("late_declarations", 1),
            ("inspections_done", 1),
            ("inspections_due", 1),
            ("duty_log", 2),
            ("next_roster", 2),
        ]
    );
    let text = sheet.to_text(Lang::Vi, 80);
    let json = serde_json::to_string(&sheet).expect("json");
    for secret in [&informant.name, &informant.contact] {
        assert!(
            !text.contains(secret.as_str()) && !json.contains(secret.as_str()),
            "{secret} leaked"
        );
    }
    for line in text.lines() {
        assert!(line.width() <= 80, "{} columns: {line}", line.width());
    }
    insta::assert_snapshot!("handover_text_vi", text);
    // Markdown (issue 16): one blank line between blocks, and the two signature lines of a
    // paper sổ giao ca, in both languages.
    for (lang, outgoing, incoming) in [
        (Lang::Vi, "NGƯỜI GIAO CA", "NGƯỜI NHẬN CA"),
        (Lang::En, "OUTGOING OFFICER", "INCOMING OFFICER"),
    ] {
        let md = sheet.to_markdown(lang);
        assert!(!md.contains("\n\n\n"), "{lang:?}: double blank line:\n{md}");
        assert!(
            md.contains(&format!("| {outgoing} | {incoming} |")),
            "{lang:?}:\n{md}"
        );
        let text = sheet.to_text(lang, 80);
        assert!(
            text.contains(outgoing) && text.contains(incoming),
            "{lang:?}:\n{text}"
        );
        // The unit heads the sheet top left, the state's name top right (issue 16).
        let mut headed = sheet.clone();
        headed.unit = vec!["CÔNG AN TỈNH LAI CHÂU".into(), "PHÒNG PC02".into()];
        let state = match lang {
            Lang::Vi => "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            Lang::En => "SOCIALIST REPUBLIC OF VIET NAM",
        };
        let text = headed.to_text(lang, 80);
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("CÔNG AN TỈNH LAI CHÂU") && first.ends_with(state),
            "{lang:?}:\n{text}"
        );
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("PHÒNG PC02"))
        );
        let md = headed.to_markdown(lang);
        assert!(
            md.starts_with("**CÔNG AN TỈNH LAI CHÂU**") && md.contains(state),
            "{lang:?}:\n{md}"
        );
    }
    let english = desk
        .handover_sheet(shift, plan.next(now), now, Lang::En)
        .expect("sheet")
        .to_text(Lang::En, 80);
    assert!(english.contains("Hits pending (1)") && english.contains("30 min left"));
    let json: serde_json::Value = serde_json::to_value(&sheet).expect("json");
    assert_eq!(json["sections"][0]["items"][0]["id"], "TN-000001");
}

#[test]
fn an_acknowledged_handover_never_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = desk(dir.path());
    let shift = ShiftPlan::default().shift_at(t(NOW));
    let a = id(Kind::Officer, 1);
    let b = id(Kind::Officer, 2);
    // Not signed yet: nothing to acknowledge.
    let Record::Handover(draft) = desk
        .sign_handover(shift, a, "bản đầu", t(NOW))
        .expect("signed")
    else {
        panic!("a handover")
    };
    // The outgoing officer may amend before the acknowledgement (same record).
    let Record::Handover(signed) = desk
        .sign_handover(shift, a, "bản sửa", t(NOW))
        .expect("amended")
    else {
        panic!("a handover")
    };
    assert_eq!((signed.id, signed.text.as_str()), (draft.id, "bản sửa"));
    let own = desk.acknowledge_handover(signed.id, a, "", t(NOW));
    assert!(
        matches!(
            &own,
            Err(ServiceError::Rule(
                trucban::domain::rules::Refusal::SelfAcknowledged { .. }
            ))
        ),
        "{own:?}"
    );
    let unknown = desk.acknowledge_handover(signed.id, id(Kind::Officer, 99), "", t(NOW));
    assert!(unknown.is_err());
    let Record::Handover(acked) = desk
        .acknowledge_handover(signed.id, b, "Đã nhận đủ hồ sơ", t("2026-11-27 07:35"))
        .expect("acknowledged")
    else {
        panic!("a handover")
    };
    let ack = acked.acknowledged.clone().expect("kept");
    assert_eq!((ack.officer, ack.remarks.as_str()), (b, "Đã nhận đủ hồ sơ"));
    assert_eq!((acked.from_officer, acked.to_officer), (a, Some(b)));

    // Every door is shut: sign again, acknowledge again, save, import.
    assert!(desk.sign_handover(shift, a, "sửa sau", t(NOW)).is_err());
    assert!(
        desk.acknowledge_handover(acked.id, id(Kind::Officer, 3), "", t(NOW))
            .is_err()
    );
    let mut changed = acked.clone();
    changed.text = "sửa sau".into();
    // `save` does not write handovers at all: it names the requests that do.
    let saved = desk.save(Record::Handover(changed.clone()));
    assert!(
        matches!(&saved, Err(ServiceError::Rule(Refusal::UseRequest { .. }))),
        "{saved:?}"
    );
    let mut exported = desk.export(Kind::Handover, Format::Json).expect("export");
    let as_is = desk.import(
        Kind::Handover,
        &ImportSource {
            name: "handovers.json".into(),
            bytes: exported.clone(),
            format: Format::Json,
            on_disk: None,
        },
    );
    assert!(
        as_is.is_ok(),
        "the same values again are no change: {as_is:?}"
    );
    let text = String::from_utf8(exported)
        .expect("utf-8")
        .replace("bản sửa", "bản khác");
    exported = text.into_bytes();
    let import = desk.import(
        Kind::Handover,
        &ImportSource {
            name: "handovers.json".into(),
            bytes: exported,
            format: Format::Json,
            on_disk: None,
        },
    );
    assert!(import.is_err(), "{import:?}");
    assert_eq!(
        desk.get(acked.id).expect("read"),
        Some(Record::Handover(acked))
    );
}

#[test]
fn report_counts_match_the_hand_computed_figures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = desk(dir.path());
    let d = |s| parse_date(s).expect("date");
    // 1 Oct – 30 Nov (61 days); the previous period is 1 Aug – 30 Sep.
    let report = desk
        .report(
            Period::new(d("2026-10-01"), d("2026-11-30")).expect("p"),
            Lang::En,
        )
        .expect("report");
    assert_eq!(
        (report.previous_period.from, report.previous_period.to),
        (d("2026-08-01"), d("2026-09-30"))
    );
    let c = &report.current;
    let p = &report.previous;
    // Notice 1 arrested 26 Nov; notice 3 surrendered 10 Oct; notice 4 cancelled 20 Sep.
    assert_eq!((c.arrested, c.surrendered, c.cancelled), (1, 1, 0));
    assert_eq!((p.arrested, p.surrendered, p.cancelled), (0, 0, 1));
    // Still wanted at the end: notice 2 only (new 27 Nov). At 30 Sep: notices 1 and 3.
    assert_eq!(c.still_wanted, 1);
    assert_eq!(p.still_wanted, 2);
    assert_eq!(
        (c.still_wanted_by[0].class, c.still_wanted_by[0].danger),
        ("ordinary", "dangerous")
    );
    assert_eq!((c.sightings, c.persons_sighted), (1, 1));
    // Hits: 4 found in the period; 1 confirmed, 2 ruled out; 1 still open at the end.
    assert_eq!(
        (
            c.hits_found,
            c.hits_confirmed,
            c.hits_not_the_person,
            c.hits_open
        ),
        (4, 1, 2, 1)
    );
    assert_eq!(p.hits_found, 0);
    // Inspections: 26 Nov with 2 violations now; 15 Aug with none before.
    assert_eq!(
        (c.inspections, c.inspections_with_violations, c.violations),
        (1, 1, 2)
    );
    assert_eq!((p.inspections, p.violations), (1, 0));
    // Campaign 1: 20 Nov – 30 Nov = 11 days; campaign 2: 1 – 4 Oct = 4 days now,
    // 25 – 30 Sep = 6 days before; on Ma Lù Thàng both count.
    let route = |f: &trucban::domain::report::Figures, r: &str| {
        f.campaign_days_by_route.get(r).copied().unwrap_or(0)
    };
    assert_eq!(route(c, "Lai Châu – Ma Lù Thàng"), 15);
    assert_eq!(route(c, "Các xã biên giới"), 4);
    assert_eq!(route(p, "Lai Châu – Ma Lù Thàng"), 6);
    // Assignments dated 1 Oct, 26 Nov, 27 Nov ×2.
    assert_eq!(c.officer_shifts_by_post.get("Chốt Ma Lù Thàng"), Some(&4));
    // Groups filed: 1 (15 Oct) and 4 (1 Oct) now, 3 (20 Aug) before; 5 (1 Dec) in neither.
    // Neutralised: 4 (30 Nov) now, 2 (10 Sep) before. Group 6 has no dates: in neither.
    assert_eq!((c.groups_filed, c.groups_neutralised), (2, 1));
    assert_eq!((p.groups_filed, p.groups_neutralised), (1, 1));
    let g = &report.groups_now;
    assert_eq!(
        (
            g.on_file,
            g.active,
            g.under_investigation,
            g.dismantled,
            g.transnational
        ),
        (6, 2, 1, 3, 2)
    );
    assert_eq!((g.undated_filed, g.undated_neutralised), (1, 1));
    let line = |key: &str| {
        let l = report
            .lines
            .iter()
            .find(|l| l.key == key)
            .unwrap_or_else(|| panic!("no line {key}"));
        (l.current, l.previous, l.change)
    };
    assert_eq!(line("groups_filed"), (2, 1, 1));
    assert_eq!(line("groups_neutralised"), (1, 1, 0));
    // One step back: 1 Aug – 30 Sep (group 3 filed, group 2 neutralised) beside
    // 1 Jun – 31 Jul (none).
    let before = desk
        .report(report.previous_period, Lang::En)
        .expect("report");
    assert_eq!(
        (
            before.current.groups_filed,
            before.current.groups_neutralised
        ),
        (1, 1)
    );
    assert_eq!(
        (
            before.previous.groups_filed,
            before.previous.groups_neutralised
        ),
        (0, 0)
    );
    let arrested = report
        .lines
        .iter()
        .find(|l| l.key == "arrested")
        .expect("line");
    assert_eq!(
        (arrested.current, arrested.previous, arrested.change),
        (1, 0, 1)
    );
    let text = report.to_text(Lang::Vi);
    for line in text.lines() {
        assert!(line.width() <= 80, "{line}");
    }
    assert!(
        text.contains("Băng nhóm không ghi ngày (hồ sơ cũ) không được tính vào kỳ nào."),
        "{text}"
    );
    assert!(
        report
            .to_markdown(Lang::En)
            .contains("Groups without dates (older records) are counted in no period."),
    );
}
