//! Rows for cases (vụ án): the offence as article and clause, the group and the source as
//! IDs, the status history as JSON. The status and the cleared date are the history's, so
//! they are written for the reader and not read back.

use super::super::cells::json_array_of;
use crate::domain::{Case, CaseStep, Charge, Kind, Record};
use crate::i18n::Said;

use super::{Mapping, col, id_column, read_own_id};

pub fn cases() -> Mapping {
    Mapping {
        kind: Kind::Case,
        columns: vec![
            id_column(),
            col("occurred_on", true, "the day it happened (local)"),
            col("place", true, "where"),
            col("summary", true, "what happened, in a line"),
            col("article", true, "Penal Code 2015 article (`251`)"),
            col(
                "clause",
                true,
                "its clause, khoản (`2`): the bracket decides a serious case",
            ),
            col(
                "group_id",
                false,
                "the criminal group that caused it (`BN-000004`)",
            ),
            col(
                "source",
                false,
                "where the desk learnt of it: a tip (`TB-…`), a duty-log entry (`NK-…`) or a hit (`NT-…`)",
            ),
            col(
                "recorded_at",
                true,
                "when the desk recorded it: the period it counts in",
            ),
            col(
                "recorded_by",
                true,
                "the officer who recorded it (`CB-000003`)",
            ),
            col(
                "history",
                false,
                "JSON array of status changes (`{\"at\", \"status\", \"officer_id\", \"note\"}`), oldest first; status `investigating`, `cleared`, `suspended` or `transferred`",
            ),
            col(
                "status",
                false,
                "written for the reader (the history's last); not read",
            ),
            col(
                "cleared_on",
                false,
                "written for the reader (from the history); not read",
            ),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Case);
            let occurred_on = r.date("occurred_on");
            let place = r.text("place");
            let summary = r.note("summary");
            let article = r.parsed(
                "article",
                |s| s.trim().parse::<u16>().ok(),
                &Said::new("một số điều (251)", "an article number (251)"),
            );
            let clause = r.parsed(
                "clause",
                |s| s.trim().parse::<u8>().ok(),
                &Said::new("một số khoản (2)", "a clause number (2)"),
            );
            let group_id = r.opt_id("group_id", Kind::Group);
            let source = r.opt_any_id("source");
            let recorded_at = r.instant("recorded_at");
            let recorded_by = r.id("recorded_by", Kind::Officer);
            let history: Option<Vec<CaseStep>> = r.json(
                "history",
                &json_array_of("lần chuyển tình trạng", "status changes"),
            );
            let charge = Charge {
                article: article?,
                clause: clause?,
            };
            if let Err(unknown) = charge.gravity() {
                r.fail(
                    "article",
                    Said::new(
                        unknown.said(crate::i18n::Lang::Vi),
                        unknown.said(crate::i18n::Lang::En),
                    ),
                );
                return None;
            }
            Some(vec![Record::Case(Case {
                id: id?,
                occurred_on: occurred_on?,
                place: place?,
                summary: summary?,
                charge,
                group_id: group_id?,
                source: source?,
                recorded_at: recorded_at?,
                recorded_by: recorded_by?,
                history: history?,
            })])
        },
        write: |record, _, w| {
            let Record::Case(c) = record else {
                return None;
            };
            w.show(c.id)
                .show(c.occurred_on)
                .text(&c.place)
                .text(&c.summary)
                .show(c.charge.article)
                .show(c.charge.clause)
                .opt_show(c.group_id)
                .opt_show(c.source)
                .instant(c.recorded_at)
                .show(c.recorded_by)
                .json(&c.history, c.history.is_empty())
                .show(c.status())
                .opt_show(c.cleared_on());
            Some(())
        },
    }
}
