//! Rows for screening hits: exported for reports and kept importable so that a store's
//! export round-trips, steps and reasons as JSON.

use super::super::cells::json_array_of;
use crate::domain::screening::{Band, Reason};
use crate::domain::{Hit, HitList, HitStep, Kind, Record};
use crate::i18n::Said;

use super::{Mapping, col, id_column, read_own_id};

pub fn hits() -> Mapping {
    Mapping {
        kind: Kind::Hit,
        columns: vec![
            id_column(),
            col("guest_stay_id", true, "the guest stay screened"),
            col("list", true, "`wanted` or `watch`"),
            col("listed_id", true, "the wanted notice or watch entry"),
            col("person_id", true, "the listed person"),
            col("score", true, "score from 0 to 1"),
            col("band", true, "`alert` or `review`"),
            col(
                "reasons",
                false,
                "JSON array of reasons (`{\"code\": …}`), as `trucban screen --json` prints them",
            ),
            col("found_at", true, "when the hit was found"),
            col(
                "deadline",
                true,
                "when the issuing agency's confirmation is due",
            ),
            col("especially_dangerous", true, "`true` or `false`"),
            col(
                "steps",
                false,
                "JSON array of steps `{\"at\", \"officer_id\", \"outcome\", \"confirmed_by\", \"confirmed_at\", \"note\"}`; outcome `confirmed`, `not_the_person` or `escalated`",
            ),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Hit);
            let guest_stay_id = r.id("guest_stay_id", Kind::GuestStay);
            let list = r.parsed("list", HitList::parse, &HitList::expected());
            let listed_id = r.opt_any_id("listed_id");
            let person_id = r.id("person_id", Kind::Person);
            let score = r.parsed(
                "score",
                |s| s.parse::<f64>().ok().filter(|v| (0.0..=1.0).contains(v)),
                &Said::new("số từ 0 đến 1", "a number from 0 to 1"),
            );
            let band = r.parsed("band", Band::parse, &Band::expected());
            let reasons: Option<Vec<Reason>> =
                r.json("reasons", &json_array_of("lý do", "reasons"));
            let found_at = r.instant("found_at");
            let deadline = r.instant("deadline");
            let dangerous = r.parsed(
                "especially_dangerous",
                |s| s.parse::<bool>().ok(),
                &Said::both("true / false"),
            );
            let steps: Option<Vec<HitStep>> =
                r.json("steps", &json_array_of("bước xử lý", "steps"));
            let listed_id = match (listed_id?, list?) {
                (Some(l), HitList::Wanted) if l.kind() == Kind::Wanted => l,
                (Some(l), HitList::Watch) if l.kind() == Kind::WatchEntry => l,
                _ => {
                    r.fail(
                        "listed_id",
                        Said::new(
                            "không phải thông báo của danh sách đã ghi (cần TN-… cho truy nã, LD-… cho theo dõi)",
                            "is not a notice of the list named (expected TN-… for wanted, LD-… for watch)",
                        ),
                    );
                    return None;
                }
            };
            Some(vec![Record::Hit(Hit {
                id: id?,
                guest_stay_id: guest_stay_id?,
                list: list?,
                listed_id,
                person_id: person_id?,
                score: score?,
                band: band?,
                reasons: reasons?,
                found_at: found_at?,
                deadline: deadline?,
                especially_dangerous: dangerous?,
                steps: steps?,
            })])
        },
        write: |record, _, w| {
            let Record::Hit(h) = record else {
                return None;
            };
            w.show(h.id)
                .show(h.guest_stay_id)
                .text(h.list.code())
                .show(h.listed_id)
                .show(h.person_id)
                .text(&format!("{:.4}", h.score))
                .text(h.band.code())
                .json(&h.reasons, h.reasons.is_empty())
                .instant(h.found_at)
                .instant(h.deadline)
                .show(h.especially_dangerous)
                .json(&h.steps, h.steps.is_empty());
            Some(())
        },
    }
}
