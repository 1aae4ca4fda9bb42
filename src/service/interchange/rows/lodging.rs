//! Rows for establishments, guest stays and inspections.

use super::super::cells::json_array_of;
use crate::domain::{
    CheckItem, Establishment, EstablishmentKind, Gender, GuestIdentity, GuestStay, Inspection,
    Kind, Record, Risk,
};
use crate::i18n::Said;

use super::{
    Mapping, NATIONALITY, col, id_column, nationality_forms, parse_nationality, read_id_doc,
    read_own_id, write_id_doc,
};

pub fn establishments() -> Mapping {
    Mapping {
        kind: Kind::Establishment,
        columns: vec![
            id_column(),
            col("name", true, "establishment name"),
            col(
                "kind",
                true,
                "`hotel`, `guesthouse`, `lodging_house` or `homestay`",
            ),
            col("commune", true, "commune (xã/phường)"),
            col("former_district", false, "district before the 2025 reform"),
            col("address", true, "street address"),
            col("owner", true, "owner's name"),
            col("phone", true, "phone"),
            col(
                "certificate_no",
                false,
                "security-conditions certificate number",
            ),
            col("rooms", true, "number of rooms (1–2000)"),
            col("risk", true, "`low`, `medium` or `high`"),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Establishment);
            let name = r.text("name");
            let kind = r.parsed(
                "kind",
                EstablishmentKind::parse,
                &EstablishmentKind::expected(),
            );
            let commune = r.text("commune");
            let former_district = r.opt_text("former_district");
            let address = r.text("address");
            let owner = r.text("owner");
            let phone = r.text("phone");
            let certificate_no = r.opt_text("certificate_no");
            let rooms = r.parsed(
                "rooms",
                |s| s.parse().ok().filter(|n| (1..=2000).contains(n)),
                &Said::new("số nguyên 1–2000", "a whole number 1–2000"),
            );
            let risk = r.parsed("risk", Risk::parse, &Risk::expected());
            Some(vec![Record::Establishment(Establishment {
                id: id?,
                name: name?,
                kind: kind?,
                commune: commune?,
                former_district,
                address: address?,
                owner: owner?,
                phone: phone?,
                certificate_no,
                rooms: rooms?,
                risk: risk?,
            })])
        },
        write: |record, _, w| {
            let Record::Establishment(e) = record else {
                return None;
            };
            w.show(e.id)
                .text(&e.name)
                .show(e.kind)
                .text(&e.commune)
                .opt_text(e.former_district.as_deref())
                .text(&e.address)
                .text(&e.owner)
                .text(&e.phone)
                .opt_text(e.certificate_no.as_deref())
                .show(e.rooms)
                .show(e.risk);
            Some(())
        },
    }
}

pub fn guests() -> Mapping {
    Mapping {
        kind: Kind::GuestStay,
        columns: vec![
            id_column(),
            col("establishment_id", true, "the establishment (`CS-000012`)"),
            col("full_name", true, "guest's name as declared"),
            col(
                "other_names",
                false,
                "other written forms (Hán characters, pinyin, Sino-Vietnamese), separated by `;`",
            ),
            col(
                "date_of_birth",
                true,
                "`YYYY-MM-DD` (or `DD/MM/YYYY`) or `YYYY`; empty = not declared",
            ),
            col(
                "gender",
                true,
                "`male`, `female` or `unknown` (or `M`, `F`, `nam`, `nữ`)",
            ),
            col(
                "id_kind",
                false,
                "`cccd`, `cmnd`, `passport`, `border_pass`, `other`; empty = guessed from the number",
            ),
            col(
                "id_number",
                true,
                "identity document number; empty = not declared",
            ),
            col("nationality", true, NATIONALITY),
            col("check_in", true, "arrival time"),
            col("check_out", true, "departure time; empty = still staying"),
            col("room", true, "room; may be empty"),
            col(
                "declared_at",
                true,
                "when the stay was declared to the police; empty = not declared",
            ),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::GuestStay);
            let establishment_id = r.id("establishment_id", Kind::Establishment);
            let full_name = r.text("full_name");
            let other_names = r.list("other_names");
            let birth = r.birth("date_of_birth");
            let gender = r.parsed("gender", Gender::parse_declared, &Gender::expected());
            let id_doc = read_id_doc(r);
            let nationality = r.parsed("nationality", parse_nationality, &nationality_forms());
            let check_in = r.instant("check_in");
            let check_out = r.opt_instant("check_out");
            let room = r.opt_text("room");
            let declared_at = r.opt_instant("declared_at");
            if let (Some(i), Some(Some(o))) = (check_in, check_out)
                && o < i
            {
                r.fail(
                    "check_out",
                    Said::new(
                        "trước check_in (đổi chỗ hai cột?)",
                        "is before check_in (swap them?)",
                    ),
                );
                return None;
            }
            Some(vec![Record::GuestStay(GuestStay {
                id: id?,
                establishment_id: establishment_id?,
                guest: GuestIdentity {
                    full_name: full_name?,
                    other_names: other_names?,
                    birth: birth?,
                    gender: gender?,
                    id_doc: id_doc?,
                    nationality: nationality?,
                },
                check_in: check_in?,
                check_out: check_out?,
                room,
                declared_at: declared_at?,
            })])
        },
        write: |record, _, w| {
            let Record::GuestStay(g) = record else {
                return None;
            };
            w.show(g.id)
                .show(g.establishment_id)
                .text(&g.guest.full_name)
                .list(&g.guest.other_names)
                .opt_show(g.guest.birth)
                .show(g.guest.gender);
            write_id_doc(w, g.guest.id_doc.as_ref());
            w.text(&g.guest.nationality)
                .instant(g.check_in)
                .opt_instant(g.check_out)
                .opt_text(g.room.as_deref())
                .opt_instant(g.declared_at);
            Some(())
        },
    }
}

pub fn inspections() -> Mapping {
    Mapping {
        kind: Kind::Inspection,
        columns: vec![
            id_column(),
            col("establishment_id", true, "the establishment inspected"),
            col("date", true, "inspection date `YYYY-MM-DD`"),
            col("officer_id", true, "inspecting officer"),
            col(
                "items",
                false,
                "JSON array of `{\"item\": \"…\", \"result\": \"pass\"|\"fail\"|\"n/a\"}`",
            ),
            col("violations", false, "violations found, separated by `;`"),
            col("note", false, "note"),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Inspection);
            let establishment_id = r.id("establishment_id", Kind::Establishment);
            let date = r.date("date");
            let officer_id = r.id("officer_id", Kind::Officer);
            let items: Option<Vec<CheckItem>> =
                r.json("items", &json_array_of("mục kiểm tra", "check items"));
            let violations = r.list("violations");
            let note = r.note("note");
            Some(vec![Record::Inspection(Inspection {
                id: id?,
                establishment_id: establishment_id?,
                date: date?,
                officer_id: officer_id?,
                items: items?,
                violations: violations?,
                note: note?,
            })])
        },
        write: |record, _, w| {
            let Record::Inspection(i) = record else {
                return None;
            };
            w.show(i.id)
                .show(i.establishment_id)
                .show(i.date)
                .show(i.officer_id)
                .json(&i.items, i.items.is_empty())
                .list(&i.violations)
                .text(&i.note);
            Some(())
        },
    }
}
