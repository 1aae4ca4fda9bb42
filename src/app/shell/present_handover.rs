//! A handover's detail beyond its own fields: the acknowledgement, and the sheet composed
//! from its shift's window (the same sections `trucban handover` prints), each item a link
//! to its record.

use crate::domain::Handover;
use crate::domain::shifts::ShiftWindow;
use crate::i18n::Lang;
use crate::service::{DeskApi, Result};

use crate::app::state::Link;

/// Extra fields, sections and links of a handover's detail.
pub struct Extra {
    pub fields: Vec<(String, String)>,
    pub sections: Vec<(String, Vec<String>)>,
    pub links: Vec<Link>,
}

pub fn extra(
    desk: &dyn DeskApi,
    h: &Handover,
    lang: Lang,
    now: crate::domain::Instant,
) -> Result<Extra> {
    let mut fields = Vec::new();
    if let Some(a) = &h.acknowledged {
        fields.push((
            lang.pick("Nhận ca lúc", "Acknowledged").to_string(),
            lang.date_time(a.at),
        ));
        fields.push((
            lang.pick("Ý kiến người nhận", "Remarks").to_string(),
            a.remarks.clone(),
        ));
    }
    let shift = ShiftWindow {
        start: h.shift_start,
        end: h.shift_end,
    };
    // The roster slot of the next shift depends only on its start: this shift's end.
    let next = ShiftWindow {
        start: h.shift_end,
        end: h.shift_end,
    };
    let sheet = desk.handover_sheet(shift, next, now, lang)?;
    let mut sections = Vec::new();
    let mut links = Vec::new();
    for s in sheet.sections.iter().filter(|s| s.count > 0) {
        sections.push((
            s.title.clone(),
            s.items
                .iter()
                .map(|i| format!("{} {}", i.id, i.text))
                .collect(),
        ));
        for item in &s.items {
            if !links.iter().any(|l: &Link| l.id == item.id) {
                links.push(Link {
                    id: item.id,
                    label: crate::domain::text::display_safe(&format!("{} {}", item.id, item.text))
                        .into_owned(),
                });
            }
        }
    }
    Ok(Extra {
        fields,
        sections,
        links,
    })
}
