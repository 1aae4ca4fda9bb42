//! Criminal groups' dates at every door: import names the file, line and column of a bad
//! date, a neutralised date before the filing date, and a status that does not match the
//! neutralised date (and writes nothing); a save refuses the same; export writes the dates
//! and import reads them back unchanged.

#![allow(clippy::panic)]

mod engine;

use chrono::Utc;
use trucban::domain::time::parse_date;
use trucban::domain::*;
use trucban::service::{DeskApi, Format, ImportSource, LocalDesk, ServiceError};

const HEADER: &str = "id,name,kind,area,members,transnational,status,filed_on,neutralised_on";

fn desk(dir: &std::path::Path) -> LocalDesk {
    LocalDesk::over(
        engine::open(dir, Utc::now()),
        trucban::domain::Clock::system(),
    )
}

fn import(desk: &LocalDesk, csv: &str) -> Result<usize, Vec<String>> {
    match desk.import(
        Kind::Group,
        &ImportSource {
            name: "groups.csv".into(),
            bytes: csv.as_bytes().to_vec(),
            format: Format::Csv,
            on_disk: None,
        },
    ) {
        Ok(report) => Ok(report.created + report.updated),
        Err(ServiceError::Import(problems)) => {
            Err(problems.iter().map(|p| p.to_string()).collect())
        }
        Err(other) => panic!("not an import problem: {other}"),
    }
}

fn row(status: &str, filed: &str, neutralised: &str) -> String {
    format!("BN-000001,Nhóm vận chuyển ma túy,drug,Phong Thổ,,true,{status},{filed},{neutralised}")
}

#[test]
fn good_rows_import_and_export_reads_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = desk(dir.path());
    let csv = format!(
        "{HEADER}\n{}\n{}\n",
        row("dismantled", "2025-03-01", "2026-09-10"),
        row("active", "2026-10-15", "").replace("BN-000001", "BN-000002")
    );
    assert_eq!(import(&desk, &csv), Ok(2));
    let Some(Record::Group(g)) = desk.get(RecordId::new(Kind::Group, 1)).expect("read") else {
        panic!("no group");
    };
    let d = |s| Some(parse_date(s).expect("date"));
    assert_eq!(
        (g.filed_on, g.neutralised_on),
        (d("2025-03-01"), d("2026-09-10"))
    );
    let exported = desk.export(Kind::Group, Format::Csv).expect("export");
    assert_eq!(String::from_utf8(exported).expect("utf-8"), csv);
}

#[test]
fn bad_dates_name_the_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = desk(dir.path());
    let csv = format!(
        "{HEADER}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        row("active", "2026-10-15", ""),
        row("active", "10/15/2026", ""),
        row("dismantled", "2026-10-15", "2026-10-14"),
        row("dismantled", "2026-10-15", ""),
        row("investigating", "2026-10-15", "2026-11-01"),
        row("active", "", ""),
    );
    let problems = import(&desk, &csv).expect_err("refused");
    assert_eq!(
        problems,
        [
            "groups.csv:3: column filed_on: \"10/15/2026\" is not valid (expected a date DD/MM/YYYY or YYYY-MM-DD)",
            "groups.csv:4: column neutralised_on: \"2026-10-14\" is before filed_on \"2026-10-15\" (a group is neutralised after it is filed)",
            "groups.csv:5: column neutralised_on: is empty but status is dismantled (give the date it was neutralised, YYYY-MM-DD)",
            "groups.csv:6: column neutralised_on: is \"2026-11-01\" but status is investigating (only a dismantled group has this date: clear it, or set status dismantled)",
            "groups.csv:7: column filed_on: is empty (expected a date DD/MM/YYYY or YYYY-MM-DD)",
        ]
    );
    assert_eq!(
        desk.list(&trucban::service::ListQuery::all(Kind::Group))
            .expect("list")
            .total,
        0
    );
}

#[test]
fn a_save_refuses_dates_that_do_not_match_the_status() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = desk(dir.path());
    let d = |s| Some(parse_date(s).expect("date"));
    let mut g = CriminalGroup {
        id: RecordId::new(Kind::Group, 0),
        name: "Nhóm khai thác gỗ trái phép".into(),
        kind: GroupKind::Environmental,
        area: "Mường Tè".into(),
        members: vec![],
        transnational: false,
        status: GroupStatus::Dismantled,
        filed_on: d("2026-01-05"),
        neutralised_on: None,
    };
    let refused = desk.save(Record::Group(g.clone())).expect_err("refused");
    assert!(
        refused
            .to_string()
            .contains("neutralised_on is empty but status is dismantled"),
        "{refused}"
    );
    g.filed_on = None;
    g.status = GroupStatus::Active;
    let refused = desk.save(Record::Group(g.clone())).expect_err("refused");
    assert!(
        refused.to_string().contains("filed_on is empty"),
        "{refused}"
    );
    g.filed_on = d("2026-01-05");
    let id = desk.save(Record::Group(g)).expect("saved");
    assert!(matches!(desk.get(id), Ok(Some(Record::Group(_)))));
}
