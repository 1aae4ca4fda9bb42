//! Rows for campaigns, roster assignments, the duty log and handovers.

use crate::domain::{
    Acknowledgement, Assignment, AssignmentRole, Campaign, DutyLogEntry, Handover, Kind, Record,
    Shift,
};
use crate::i18n::Said;

use super::{Mapping, col, id_column, read_own_id};

pub fn campaigns() -> Mapping {
    Mapping {
        kind: Kind::Campaign,
        columns: vec![
            id_column(),
            col("name", true, "campaign name"),
            col("start_date", true, "first day `YYYY-MM-DD`"),
            col("end_date", true, "last day `YYYY-MM-DD`"),
            col("objective", true, "objective"),
            col("routes", false, "routes, separated by `;`"),
            col("posts", false, "posts, separated by `;`"),
            col("lead_unit", true, "lead unit"),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Campaign);
            let name = r.text("name");
            let start = r.date("start_date");
            let end = r.date("end_date");
            let objective = r.note("objective");
            let routes = r.list("routes");
            let posts = r.list("posts");
            let lead_unit = r.text("lead_unit");
            if let (Some(s), Some(e)) = (start, end)
                && e < s
            {
                r.fail(
                    "end_date",
                    Said::new("trước start_date", "is before start_date"),
                );
                return None;
            }
            Some(vec![Record::Campaign(Campaign {
                id: id?,
                name: name?,
                start: start?,
                end: end?,
                objective: objective?,
                routes: routes?,
                posts: posts?,
                lead_unit: lead_unit?,
            })])
        },
        write: |record, _, w| {
            let Record::Campaign(c) = record else {
                return None;
            };
            w.show(c.id)
                .text(&c.name)
                .show(c.start)
                .show(c.end)
                .text(&c.objective)
                .list(&c.routes)
                .list(&c.posts)
                .text(&c.lead_unit);
            Some(())
        },
    }
}

pub fn roster() -> Mapping {
    Mapping {
        kind: Kind::Assignment,
        columns: vec![
            id_column(),
            col("campaign_id", true, "the campaign (`CD-000002`)"),
            col("officer_id", true, "the officer"),
            col("date", true, "day `YYYY-MM-DD`"),
            col("shift", true, "`day` or `night`"),
            col("post", true, "post or route"),
            col("role", true, "`leader` or `member`"),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Assignment);
            let campaign_id = r.id("campaign_id", Kind::Campaign);
            let officer_id = r.id("officer_id", Kind::Officer);
            let date = r.date("date");
            let shift = r.parsed("shift", Shift::parse, &Shift::expected());
            let post = r.text("post");
            let role = r.parsed("role", AssignmentRole::parse, &AssignmentRole::expected());
            Some(vec![Record::Assignment(Assignment {
                id: id?,
                campaign_id: campaign_id?,
                officer_id: officer_id?,
                date: date?,
                shift: shift?,
                post: post?,
                role: role?,
            })])
        },
        write: |record, _, w| {
            let Record::Assignment(a) = record else {
                return None;
            };
            w.show(a.id)
                .show(a.campaign_id)
                .show(a.officer_id)
                .show(a.date)
                .show(a.shift)
                .text(&a.post)
                .show(a.role);
            Some(())
        },
    }
}

pub fn log() -> Mapping {
    Mapping {
        kind: Kind::DutyLog,
        columns: vec![
            id_column(),
            col("at", true, "time of the entry"),
            col("officer_id", true, "officer who wrote it"),
            col("text", true, "the entry"),
            col(
                "record_id",
                false,
                "the record it is about, any kind (`TN-000123`)",
            ),
            col("corrects", false, "the entry it corrects (`NK-000042`)"),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::DutyLog);
            let at = r.instant("at");
            let officer_id = r.id("officer_id", Kind::Officer);
            let text = r.text("text");
            let record = r.opt_any_id("record_id");
            let corrects = r.opt_id("corrects", Kind::DutyLog);
            Some(vec![Record::DutyLog(DutyLogEntry {
                id: id?,
                at: at?,
                officer_id: officer_id?,
                text: text?,
                record: record?,
                corrects: corrects?,
            })])
        },
        write: |record, _, w| {
            let Record::DutyLog(l) = record else {
                return None;
            };
            w.show(l.id)
                .instant(l.at)
                .show(l.officer_id)
                .text(&l.text)
                .opt_show(l.record)
                .opt_show(l.corrects);
            Some(())
        },
    }
}

pub fn handovers() -> Mapping {
    Mapping {
        kind: Kind::Handover,
        columns: vec![
            id_column(),
            col("shift_start", true, "start of the shift handed over"),
            col("shift_end", true, "end of the shift"),
            col("from_officer", true, "outgoing officer"),
            col("to_officer", false, "incoming officer"),
            col("text", false, "the outgoing officer's text"),
            col("signed_at", false, "when it was signed; empty = draft"),
            col(
                "acknowledged_by",
                false,
                "incoming officer who acknowledged it",
            ),
            col(
                "acknowledged_at",
                false,
                "when it was acknowledged (with acknowledged_by)",
            ),
            col("remarks", false, "the incoming officer's remarks"),
        ],
        read: |r| {
            let id = read_own_id(r, Kind::Handover);
            let shift_start = r.instant("shift_start");
            let shift_end = r.instant("shift_end");
            let from_officer = r.id("from_officer", Kind::Officer);
            let to_officer = r.opt_id("to_officer", Kind::Officer);
            let text = r.note("text");
            let signed_at = r.opt_instant("signed_at");
            let acknowledged_by = r.opt_id("acknowledged_by", Kind::Officer);
            let acknowledged_at = r.opt_instant("acknowledged_at");
            let remarks = r.note("remarks");
            let acknowledged = match (acknowledged_by?, acknowledged_at?) {
                (Some(officer), Some(at)) => Some(Acknowledgement {
                    officer,
                    at,
                    remarks: remarks?,
                }),
                (None, None) => None,
                (Some(_), None) => {
                    r.fail(
                        "acknowledged_at",
                        Said::new("ghi thời điểm tiếp nhận", "give when it was acknowledged"),
                    );
                    return None;
                }
                (None, Some(_)) => {
                    r.fail(
                        "acknowledged_by",
                        Said::new("ghi ai tiếp nhận", "give who acknowledged it"),
                    );
                    return None;
                }
            };
            Some(vec![Record::Handover(Handover {
                id: id?,
                shift_start: shift_start?,
                shift_end: shift_end?,
                from_officer: from_officer?,
                to_officer: to_officer?,
                text: text?,
                signed_at: signed_at?,
                acknowledged,
            })])
        },
        write: |record, _, w| {
            let Record::Handover(h) = record else {
                return None;
            };
            w.show(h.id)
                .instant(h.shift_start)
                .instant(h.shift_end)
                .show(h.from_officer)
                .opt_show(h.to_officer)
                .text(&h.text)
                .opt_instant(h.signed_at)
                .opt_show(h.acknowledged.as_ref().map(|a| a.officer))
                .opt_instant(h.acknowledged.as_ref().map(|a| a.at))
                .text(h.acknowledged.as_ref().map_or("", |a| a.remarks.as_str()));
            Some(())
        },
    }
}
