//! "Shift at a glance" in the console (`:tinhhinh`, the first view of a shift): its rows are
//! the work waiting — open hits by time left, then open tips, overdue first — each opening its
//! record and taking its forms (`a`) as in its own view; the rest of the answer (who is on
//! duty, last night's late declarations, the duty log, the charts) goes to the state for
//! `ui::glance` to draw beside them.

use crate::domain::glance::Glance;
use crate::domain::shifts::ShiftWindow;
use crate::domain::{Instant, Record};
use crate::i18n::Lang;
use crate::service::{DeskApi, Result};

use super::present::{Loaded, row};
use super::present_common::Names;
use super::present_tip;
use crate::app::table::{Cell, Row};

pub fn load(
    desk: &dyn DeskApi,
    shift: ShiftWindow,
    lang: Lang,
    now: Instant,
    beside: bool,
) -> Result<(Glance, Loaded)> {
    let glance = desk.shift_glance(shift, now, beside)?;
    let mut names = Names::new(desk, lang);
    let named: Vec<_> = glance
        .hits
        .iter()
        .flat_map(|h| [h.guest_stay_id, h.person_id, h.listed_id])
        .collect();
    names.fetch_named_by(&[], &named);
    let mut rows: Vec<Row> = glance
        .hits
        .iter()
        .map(|h| {
            // The hits queue's row: ID, time left, band, guest, listed person.
            let full = row(&Record::Hit(h.clone()), &mut names, lang, now);
            let about = full.title().to_string();
            let mut cells = full.cells;
            cells.truncate(2);
            cells.push(Cell::new(about.clone()));
            Row::new(h.id, cells).with_title(about)
        })
        .collect();
    rows.extend(glance.tips.iter().map(|t| {
        // The tips view's row: ID, deadline, received, place, content.
        let mut cells = present_tip::cells(t, now, lang);
        let about = format!("{} · {}", t.place, t.content);
        cells.truncate(2);
        cells.push(Cell::new(about));
        Row::new(t.id, cells)
    }));
    let total = rows.len();
    Ok((glance, Loaded { rows, total }))
}
