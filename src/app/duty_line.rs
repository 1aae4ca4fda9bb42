//! The status line under the title, on every view: the shift and its clock (to the minute),
//! the open and overdue hits, the overdue tips, and the officer with the session's role.
//! Built here as words with a tone; `ui::bars` only draws them. What is overdue is said in
//! words and with `‼`, never by colour alone (a mono terminal, a colour-blind officer).

use crate::domain::duty::DutyStatus;
use crate::domain::time::clock;
use crate::i18n::Lang;

use super::state::State;
use super::table::Tone;

/// Between the parts of the line.
pub const SEPARATOR: &str = " │ ";

/// The parts of the line in order, most important first (the last is cut first at 80
/// columns): shift and clock, hits, tips, officer.
pub fn parts(state: &State) -> Vec<(String, Tone)> {
    let lang = state.lang;
    let mut parts = Vec::new();
    if let Some(now) = state.clock {
        let (_, shift) = state.shifts.shift_at(now).roster_slot();
        let label = shift.label(lang);
        // "Ca ngày 14:05" / "Day shift 14:05": the first letter up, as a heading.
        let mut chars = label.chars();
        let label: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        parts.push((format!("{label} {}", clock(now)), Tone::Normal));
        if let Some(duty) = &state.duty {
            parts.extend(counts(duty, now, lang));
        }
    }
    parts.push((officer(state), Tone::Muted));
    parts
}

/// The hits part and the tips part. The overdue ones in the danger tone, with `‼`.
fn counts(duty: &DutyStatus, now: crate::domain::Instant, lang: Lang) -> Vec<(String, Tone)> {
    let open = duty.open_hits();
    let late = duty.overdue_hits(now);
    let hits = match (open, late, lang) {
        (0, _, Lang::Vi) => ("✓ không có nghi trùng chờ".to_string(), Tone::Ok),
        (0, _, Lang::En) => ("✓ no open hits".to_string(), Tone::Ok),
        (n, 0, Lang::Vi) => (format!("⚑ {n} nghi trùng chờ"), Tone::Warning),
        (1, 0, Lang::En) => ("⚑ 1 open hit".to_string(), Tone::Warning),
        (n, 0, Lang::En) => (format!("⚑ {n} open hits"), Tone::Warning),
        (n, late, Lang::Vi) => (format!("⚑ {n} nghi trùng, ‼ {late} QUÁ HẠN"), Tone::Danger),
        (n, late, Lang::En) => (
            format!(
                "⚑ {n} open hit{}, ‼ {late} OVERDUE",
                if n == 1 { "" } else { "s" }
            ),
            Tone::Danger,
        ),
    };
    let tips = match (duty.overdue_tips(now), lang) {
        (0, Lang::Vi) => ("tin báo đúng hạn".to_string(), Tone::Normal),
        (0, Lang::En) => ("no tip overdue".to_string(), Tone::Normal),
        (n, Lang::Vi) => (format!("‼ {n} tin báo quá hạn"), Tone::Danger),
        (1, Lang::En) => ("‼ 1 tip overdue".to_string(), Tone::Danger),
        (n, Lang::En) => (format!("‼ {n} tips overdue"), Tone::Danger),
    };
    vec![hits, tips]
}

/// `CB-000012 trực ban`: the session's officer and role (the store's owner on an embedded
/// console, which answers to no role).
fn officer(state: &State) -> String {
    let lang = state.lang;
    let role = match &state.session_role {
        Some((_, role)) => role.label(lang),
        None => lang.pick("chủ kho", "store owner"),
    };
    match state.officer {
        Some(id) => format!("{id} {role}"),
        None => role.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_instant;

    fn at(text: &str) -> crate::domain::Instant {
        parse_instant(text).expect("time")
    }

    fn state(lang: Lang) -> State {
        let mut state = State::new(lang, None);
        state.clock = Some(at("2026-12-02T14:05:00+07:00"));
        state.duty = Some(DutyStatus {
            hit_deadlines: vec![
                at("2026-12-02T14:00:00+07:00"),
                at("2026-12-02T15:00:00+07:00"),
            ],
            tip_deadlines: vec![],
        });
        state
    }

    #[test]
    fn an_overdue_hit_is_said_in_words_and_a_glyph_in_both_languages() {
        let texts = |lang| -> Vec<(String, Tone)> { parts(&state(lang)) };
        assert_eq!(
            texts(Lang::Vi)[..2],
            [
                ("Ca ngày 14:05".to_string(), Tone::Normal),
                ("⚑ 2 nghi trùng, ‼ 1 QUÁ HẠN".to_string(), Tone::Danger)
            ]
        );
        assert_eq!(texts(Lang::En)[1].0, "⚑ 2 open hits, ‼ 1 OVERDUE");
        assert_eq!(texts(Lang::En)[2].0, "no tip overdue");
        assert_eq!(texts(Lang::En)[3].0, "store owner");
    }
}
