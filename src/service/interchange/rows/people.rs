//! Rows for officers, persons, criminal groups and wanted notices.

use super::super::cells::json_array_of;
use crate::domain::{
    Agency, CriminalGroup, Danger, GroupKind, GroupStatus, Kind, Member, MemberRole, Offence,
    Officer, OfficerRole, Record, StatusChange, WantedClass, WantedNotice, WantedStatus,
};
use crate::i18n::Said;

use super::{
    Mapping, col, id_column, person_columns, person_of, read_embedded_person, read_own_id,
    read_person, write_person,
};

pub fn officers() -> Mapping {
    Mapping {
        kind: Kind::Officer,
        columns: vec![
            id_column(),
            col("badge_no", true, "badge number (số hiệu)"),
            col("full_name", true, "full name"),
            col("rank", true, "rank: `Thiếu úy`, `Đại úy`, `Thiếu tá` …"),
            col("unit", true, "unit: `Phòng PC02`, `Công an xã Thu Lũm` …"),
            col("role", true, "`duty`, `supervisor`, `admin` or `auditor`"),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Officer);
            let badge_no = r.text("badge_no");
            let full_name = r.text("full_name");
            let rank = r.text("rank");
            let unit = r.text("unit");
            let role = r.parsed("role", OfficerRole::parse, &OfficerRole::expected());
            Some(vec![Record::Officer(Officer {
                id: id?,
                badge_no: badge_no?,
                full_name: full_name?,
                rank: rank?,
                unit: unit?,
                role: role?,
            })])
        },
        write: |record, _, w| {
            let Record::Officer(o) = record else {
                return None;
            };
            w.show(o.id)
                .text(&o.badge_no)
                .text(&o.full_name)
                .text(&o.rank)
                .text(&o.unit)
                .show(o.role);
            Some(())
        },
    }
}

pub fn persons() -> Mapping {
    let mut columns = vec![id_column()];
    columns.extend(person_columns(false));
    Mapping {
        kind: Kind::Person,
        columns,
        read: |r| {
            let id = read_own_id(r, Kind::Person);
            let person = read_person(r, crate::domain::RecordId::new(Kind::Person, 0));
            let mut person = person?;
            person.id = id?;
            Some(vec![Record::Person(person)])
        },
        write: |record, _, w| {
            let Record::Person(p) = record else {
                return None;
            };
            w.show(p.id);
            write_person(w, p);
            Some(())
        },
    }
}

pub fn groups() -> Mapping {
    Mapping {
        kind: Kind::Group,
        columns: vec![
            id_column(),
            col("name", true, "group name"),
            col(
                "kind",
                true,
                "`criminal`, `drug`, `economic`, `high_tech`, `environmental` or `trafficking`",
            ),
            col("area", true, "where it operates"),
            col(
                "members",
                false,
                "`DT-000001 leader; DT-000002 member; …` (person ID and role)",
            ),
            col("transnational", true, "`true` or `false`"),
            col("status", true, "`active`, `investigating` or `dismantled`"),
            col("filed_on", true, "date the group was filed `YYYY-MM-DD`"),
            col(
                "neutralised_on",
                false,
                "date it was neutralised `YYYY-MM-DD`: given exactly when status is `dismantled`, not before `filed_on`",
            ),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Group);
            let name = r.text("name");
            let kind = r.parsed("kind", GroupKind::parse, &GroupKind::expected());
            let area = r.text("area");
            let members = r.list("members").and_then(|items| {
                let parsed: Option<Vec<Member>> =
                    items.iter().map(|item| parse_member(item)).collect();
                if parsed.is_none() {
                    r.fail(
                        "members",
                        Said::new(
                            "không hợp lệ (cần `DT-000001 leader; DT-000002 member`)",
                            "is not valid (expected `DT-000001 leader; DT-000002 member`)",
                        ),
                    );
                }
                parsed
            });
            let transnational =
                r.parsed("transnational", parse_bool, &Said::both("`true` / `false`"));
            let status = r.parsed("status", GroupStatus::parse, &GroupStatus::expected());
            let filed_on = r.date("filed_on");
            let neutralised_on = r.opt_date("neutralised_on");
            let (status, filed_on, neutralised_on) = (status?, filed_on?, neutralised_on?);
            if let Err(p) =
                crate::domain::group_dates::check(status, Some(filed_on), neutralised_on)
            {
                r.fail(p.column, p.message);
                return None;
            }
            Some(vec![Record::Group(CriminalGroup {
                id: id?,
                name: name?,
                kind: kind?,
                area: area?,
                members: members?,
                transnational: transnational?,
                status,
                filed_on: Some(filed_on),
                neutralised_on,
            })])
        },
        write: |record, _, w| {
            let Record::Group(g) = record else {
                return None;
            };
            let members: Vec<String> = g
                .members
                .iter()
                .map(|m| format!("{} {}", m.person_id, m.role))
                .collect();
            w.show(g.id)
                .text(&g.name)
                .show(g.kind)
                .text(&g.area)
                .list(&members)
                .show(g.transnational)
                .show(g.status)
                .opt_show(g.filed_on)
                .opt_show(g.neutralised_on);
            Some(())
        },
    }
}

fn parse_member(item: &str) -> Option<Member> {
    let (id, role) = item.split_once(' ')?;
    Some(Member {
        person_id: id
            .parse()
            .ok()
            .filter(|i: &crate::domain::RecordId| i.kind() == Kind::Person)?,
        role: MemberRole::parse(role)?,
    })
}

pub(super) fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "có" | "co" => Some(true),
        "false" | "no" | "0" | "không" | "khong" => Some(false),
        _ => None,
    }
}

pub fn wanted() -> Mapping {
    let mut columns = vec![
        id_column(),
        col(
            "person_id",
            false,
            "the person's ID; empty = a person with the same identity number, or a new person",
        ),
    ];
    columns.extend(person_columns(true));
    columns.extend([
        col("decision_no", true, "wanted decision number: `15/QĐ-CSĐT`"),
        col("decision_date", true, "decision date `YYYY-MM-DD`"),
        col("issuing_agency", true, "agency that issued the decision"),
        col("agency_address", false, "the agency's address"),
        col("agency_phone", true, "the agency's phone, to confirm a hit"),
        col("signer", false, "who signed the decision"),
        col("offence_article", false, "Penal Code 2015 article: `251`"),
        col("offence", true, "offence name: `Mua bán trái phép chất ma túy`"),
        col("class", true, "`special` (đặc biệt) or `ordinary` (thường)"),
        col("danger", true, "`none`, `dangerous` or `especially_dangerous`"),
        col("status", true, "`wanted`, `arrested`, `surrendered`, `cancelled` (đình nã) or `deceased`"),
        col("status_history", false, "JSON array of `{\"at\",\"status\",\"by\",\"note\"}`, oldest first; empty = one entry at the decision date"),
        col("last_known_location", false, "last known location"),
        col("group_id", false, "criminal group ID (`BN-000004`)"),
        col("last_verified", false, "date the notice was last verified `YYYY-MM-DD`"),
    ]);
    Mapping {
        kind: Kind::Wanted,
        columns,
        read: read_wanted,
        write: write_wanted,
    }
}

fn read_wanted(r: &mut crate::service::interchange::cells::CellReader) -> Option<Vec<Record>> {
    let id = read_own_id(r, Kind::Wanted);
    let person = read_embedded_person(r);
    let decision_no = r.text("decision_no");
    let decision_date = r.date("decision_date");
    let agency = r.text("issuing_agency");
    let address = r.opt_text("agency_address");
    let phone = r.text("agency_phone");
    let signer = r.opt_text("signer");
    let article = r.opt_text("offence_article");
    let offence = r.text("offence");
    let class = r.parsed("class", WantedClass::parse, &WantedClass::expected());
    let danger = r.parsed("danger", Danger::parse, &Danger::expected());
    let status = r.parsed("status", WantedStatus::parse, &WantedStatus::expected());
    let history: Option<Vec<StatusChange>> = r.json(
        "status_history",
        &json_array_of("lần đổi trạng thái", "status changes"),
    );
    let location = r.opt_text("last_known_location");
    let group_id = r.opt_id("group_id", Kind::Group);
    let last_verified = r.opt_date("last_verified");
    let (person, status, decision_date) = (person?, status?, decision_date?);
    let mut history = history?;
    if history.is_empty() {
        let at = decision_date
            .and_hms_opt(8, 0, 0)
            .and_then(|t| {
                t.and_local_timezone(crate::domain::time::vn_offset())
                    .single()
            })
            .map(|t| t.with_timezone(&chrono::Utc))?;
        history.push(StatusChange {
            at,
            status,
            by: None,
            note: String::new(),
        });
    }
    if history.last().map(|h| h.status) != Some(status) {
        r.fail(
            "status_history",
            Said::new(
                format!("kết thúc bằng trạng thái khác {status} (lần đổi cuối phải khớp `status`)"),
                format!(
                    "ends with a status other than {status} (the last change must match `status`)"
                ),
            ),
        );
        return None;
    }
    let notice = WantedNotice {
        id: id?,
        person_id: person.id,
        decision_no: decision_no?,
        decision_date,
        agency: Agency {
            name: agency?,
            address,
            phone: phone?,
        },
        signer,
        offence: Offence {
            article,
            name: offence?,
        },
        class: class?,
        danger: danger?,
        status,
        history,
        last_known_location: location,
        group_id: group_id?,
        last_verified: last_verified?,
    };
    Some(vec![Record::Person(person), Record::Wanted(notice)])
}

fn write_wanted(
    record: &Record,
    lookup: super::Lookup,
    w: &mut crate::service::interchange::cells::CellWriter,
) -> Option<()> {
    let Record::Wanted(n) = record else {
        return None;
    };
    let person = person_of(lookup, n.person_id)?;
    w.show(n.id).show(n.person_id);
    write_person(w, &person);
    w.text(&n.decision_no)
        .show(n.decision_date)
        .text(&n.agency.name)
        .opt_text(n.agency.address.as_deref())
        .text(&n.agency.phone)
        .opt_text(n.signer.as_deref())
        .opt_text(n.offence.article.as_deref())
        .text(&n.offence.name)
        .show(n.class)
        .show(n.danger)
        .show(n.status)
        .json(&n.history, false)
        .opt_text(n.last_known_location.as_deref())
        .opt_show(n.group_id)
        .opt_show(n.last_verified);
    Some(())
}
