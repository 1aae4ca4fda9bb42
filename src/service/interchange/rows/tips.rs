//! Rows for tips (tin báo). The informant is restricted and has no column: an export never
//! carries it and an import cannot set it (the console records it apart, see
//! `DeskApi::save_tip`).

use super::super::cells::json_array_of;
use crate::domain::{Kind, Record, Tip, TipChannel, TipExtension, TipStatus};
use crate::i18n::Said;

use super::{Mapping, col, id_column, read_own_id};

pub fn tips() -> Mapping {
    Mapping {
        kind: Kind::Tip,
        columns: vec![
            id_column(),
            col("received_at", true, "when the desk received it"),
            col(
                "channel",
                true,
                "`phone`, `in_person`, `other_unit`, `letter`, `online` or `other`",
            ),
            col("content", true, "what was reported (never who reported it)"),
            col("place", true, "where"),
            col("taken_by", true, "the officer who took it (`CB-000003`)"),
            col("verifier", false, "the officer assigned to verify it"),
            col(
                "status",
                true,
                "`received`, `verifying`, `passed` (to investigators) or `closed`",
            ),
            col(
                "deadline",
                true,
                "the verification deadline set at receipt (20 days after it by default, CPC art. 147)",
            ),
            col(
                "extensions",
                false,
                "JSON array of extensions (`{\"at\", \"officer_id\", \"new_deadline\", \"reason\"}`), oldest first",
            ),
            col(
                "settled_at",
                false,
                "when it was handled (passed on or closed); empty while open",
            ),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Tip);
            let received_at = r.instant("received_at");
            let channel = r.parsed("channel", TipChannel::parse, &TipChannel::expected());
            let content = r.note("content");
            let place = r.text("place");
            let taken_by = r.id("taken_by", Kind::Officer);
            let verifier = r.opt_id("verifier", Kind::Officer);
            let status = r.parsed("status", TipStatus::parse, &TipStatus::expected());
            let first_deadline = r.instant("deadline");
            let extensions: Option<Vec<TipExtension>> =
                r.json("extensions", &json_array_of("lần gia hạn", "extensions"));
            let settled_at = r.opt_instant("settled_at");
            if let (Some(received), Some(deadline)) = (received_at, first_deadline)
                && deadline <= received
            {
                r.fail(
                    "deadline",
                    Said::new("không sau received_at", "is not after received_at"),
                );
                return None;
            }
            Some(vec![Record::Tip(Tip {
                id: id?,
                received_at: received_at?,
                channel: channel?,
                content: content?,
                place: place?,
                taken_by: taken_by?,
                verifier: verifier?,
                status: status?,
                first_deadline: first_deadline?,
                extensions: extensions?,
                settled_at: settled_at?,
            })])
        },
        write: |record, _, w| {
            let Record::Tip(t) = record else {
                return None;
            };
            w.show(t.id)
                .instant(t.received_at)
                .show(t.channel)
                .text(&t.content)
                .text(&t.place)
                .show(t.taken_by)
                .opt_show(t.verifier)
                .show(t.status)
                .instant(t.first_deadline)
                .json(&t.extensions, t.extensions.is_empty())
                .opt_instant(t.settled_at);
            Some(())
        },
    }
}
