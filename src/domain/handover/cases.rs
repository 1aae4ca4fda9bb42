//! The sheet's cases: those recorded in the shift, and those cleared in it (whenever they
//! were recorded).

use super::{Inputs, Item, Section, section};
use crate::i18n::Lang;

fn line(c: &crate::domain::Case, at: crate::domain::Instant, lang: Lang) -> String {
    let serious = if c.is_serious() {
        lang.pick(", trọng án", ", serious")
    } else {
        ""
    };
    format!(
        "{} {} ({}{serious}), {}: {}",
        lang.day_time(at),
        c.charge,
        c.charge.name(lang),
        c.place,
        c.summary
    )
}

/// Cases recorded in the window, in the order they were recorded.
pub fn cases_opened(inputs: &Inputs, lang: Lang) -> Section {
    let mut cases: Vec<&crate::domain::Case> = inputs
        .cases
        .iter()
        .filter(|c| inputs.in_window(c.recorded_at))
        .collect();
    cases.sort_by_key(|c| (c.recorded_at, c.id));
    let items = cases
        .into_iter()
        .map(|c| Item {
            id: c.id,
            text: line(c, c.recorded_at, lang),
        })
        .collect();
    section(
        "cases_opened",
        lang.pick("Vụ án ghi nhận", "Cases opened"),
        items,
    )
}

/// Cases cleared in the window.
pub fn cases_cleared(inputs: &Inputs, lang: Lang) -> Section {
    let mut cleared: Vec<(crate::domain::Instant, &crate::domain::Case)> = inputs
        .cases
        .iter()
        .filter_map(|c| {
            c.cleared_at()
                .filter(|at| inputs.in_window(*at))
                .map(|at| (at, c))
        })
        .collect();
    cleared.sort_by_key(|(at, c)| (*at, c.id));
    let items = cleared
        .into_iter()
        .map(|(at, c)| Item {
            id: c.id,
            text: line(c, at, lang),
        })
        .collect();
    section(
        "cases_cleared",
        lang.pick("Vụ án khám phá", "Cases cleared"),
        items,
    )
}
