//! A campaign as the console shows it: the record's fields (dates, routes, posts), then
//! who is on duty now and on the next shift, the problems the roster checks find, and the
//! roster grid — one line per day and shift, each post with how many hold it (`–` when
//! nobody does), so that 14 days × 2 shifts × 5 posts fit the 80 × 24 screen as 28 lines.
//! The names of a shift are in "now" and "next"; `trucban roster show` prints any shift.

use crate::domain::roster_grid::RosterShift;
use crate::domain::time::clock;
use crate::domain::{Instant, RecordId};
use crate::i18n::Lang;
use crate::service::{DeskApi, Result};

use crate::app::state::Detail;

/// `08/11 ca ngày 07:30–19:30`
fn shift_title(s: &RosterShift, lang: Lang) -> String {
    format!(
        "{} {} {}–{}",
        lang.day(s.date),
        s.shift.label(lang),
        clock(s.start),
        clock(s.end)
    )
}

/// One line per post: `Chốt Ma Lù Thàng: Lò Văn Pánh*, Giàng A Sử` (`*` the leader).
fn holders(s: &RosterShift, lang: Lang) -> Vec<String> {
    s.posts
        .iter()
        .map(|p| {
            let names: Vec<String> = p
                .slots
                .iter()
                .map(|slot| match slot.role {
                    crate::domain::AssignmentRole::Leader => format!("{}*", slot.officer),
                    crate::domain::AssignmentRole::Member => slot.officer.clone(),
                })
                .collect();
            if names.is_empty() {
                format!("{}: {}", p.post, lang.pick("(trống)", "(nobody)"))
            } else {
                format!("{}: {}", p.post, names.join(", "))
            }
        })
        .collect()
}

/// The campaign's detail with its roster (see the module doc).
pub fn campaign_detail(
    desk: &dyn DeskApi,
    id: RecordId,
    lang: Lang,
    now: Instant,
) -> Result<Detail> {
    let mut detail = super::present::detail_for(desk, id, lang, None, now)?;
    let p = |vi: &str, en: &str| lang.pick_owned(vi, en);
    let duty = desk.on_duty(id, now)?;
    let problems = desk.roster_problems(id)?;
    let roster = desk.roster(id)?;
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    sections.push((
        p("Vấn đề phân công", "Roster problems"),
        problems.iter().map(|pr| pr.label(lang)).collect(),
    ));
    match &duty.now {
        Some(s) => sections.push((
            format!(
                "{} · {}",
                p("Đang trực", "On duty now"),
                shift_title(s, lang)
            ),
            holders(s, lang),
        )),
        None => sections.push((
            p("Đang trực", "On duty now"),
            vec![p("(ngoài đợt)", "(outside the campaign)")],
        )),
    }
    if let Some(s) = &duty.next {
        sections.push((
            format!(
                "{} · {}",
                p("Ca tiếp theo", "Next shift"),
                shift_title(s, lang)
            ),
            holders(s, lang),
        ));
    }
    let posts = roster
        .shifts
        .first()
        .map(|s| s.posts.len())
        .unwrap_or_default();
    let legend = (1..=posts)
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    // The heading over the day and the shift: as wide as they are in this language.
    let lead = roster
        .shifts
        .first()
        .map_or(5, |s| lang.day(s.date).chars().count())
        + 6;
    let mut grid = vec![format!("{:<lead$} {legend}", p("ngày ca", "day shift"))];
    grid.extend(roster.shifts.iter().map(|s| {
        let counts: Vec<String> = s
            .posts
            .iter()
            .map(|post| match post.slots.len() {
                0 => "–".to_string(),
                n => n.to_string(),
            })
            .collect();
        let shift = match s.shift {
            crate::domain::Shift::Day => p("ngày", "day"),
            crate::domain::Shift::Night => p("đêm", "night"),
        };
        format!("{} {shift:<5} {}", lang.day(s.date), counts.join(" "))
    }));
    sections.push((
        p(
            "Phân công (số người mỗi chốt; r: xem theo ngày)",
            "Roster (officers per post; r: day by day)",
        ),
        grid,
    ));
    let safe = |s: String| crate::domain::text::display_safe(&s).into_owned();
    detail.sections.extend(
        sections
            .into_iter()
            .map(|(t, lines)| (safe(t), lines.into_iter().map(safe).collect())),
    );
    Ok(detail)
}
