//! Tips received over the last six weeks: most verified or passed on, a few still open —
//! some of them overdue, some extended — so that the tips view shows every state. No
//! informant is generated: the sample never carries one (it is restricted data).

use chrono::Duration;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::places::{BORDER_COMMUNES, COMMUNES};
use super::{at_local, between, chance, days_back, id, pick, weighted};
use crate::domain::{
    Kind, Officer, OfficerRole, Tip, TipChannel, TipExtension, TipRules, TipStatus,
};

const TIPS: usize = 24;

const REPORTED: [&str; 6] = [
    "Nghi vận chuyển ma túy qua đường mòn khu vực {c}",
    "Tố giác đánh bạc ăn tiền tại một nhà dân ở {c}",
    "Phát hiện người lạ nghi xuất cảnh trái phép qua {b}",
    "Tin báo mất trộm trâu tại {c}",
    "Nghi mua bán người, dụ dỗ phụ nữ sang biên giới tại {b}",
    "Tố giác khai thác khoáng sản trái phép tại {c}",
];

/// `handled`: a stream of its own for when the finished tips were handled, so that adding
/// it left every other draw of the tips as it was.
pub fn build(rng: &mut ChaCha8Rng, handled: &mut ChaCha8Rng, officers: &[Officer]) -> Vec<Tip> {
    let desk: Vec<&Officer> = officers
        .iter()
        .filter(|o| o.role == OfficerRole::Duty)
        .take(8)
        .collect();
    let rules = TipRules::default();
    let mut tips: Vec<Tip> = (0..TIPS)
        .map(|_| {
            let received_at = between(rng, at_local(days_back(42), 0), at_local(days_back(0), 0));
            let commune = pick(rng, &COMMUNES).name;
            let border = *pick(rng, &BORDER_COMMUNES);
            let content = pick(rng, &REPORTED)
                .replace("{c}", commune)
                .replace("{b}", border);
            let place = if content.contains(border) {
                border
            } else {
                commune
            };
            let channel = weighted(
                rng,
                &[
                    (TipChannel::Phone, 6),
                    (TipChannel::InPerson, 3),
                    (TipChannel::OtherUnit, 2),
                    (TipChannel::Letter, 1),
                ],
            );
            let taken_by = pick(rng, &desk).id;
            let verifier = Some(pick(rng, &desk).id);
            Tip {
                id: id(Kind::Tip, 0),
                received_at,
                channel,
                content,
                place: place.to_string(),
                taken_by,
                verifier,
                status: TipStatus::Received,
                first_deadline: rules.deadline_for(received_at),
                extensions: Vec::new(),
                settled_at: None,
            }
        })
        .collect();
    tips.sort_by_key(|t| t.received_at);
    let now = at_local(days_back(0), 12 * 3600);
    for (i, tip) in tips.iter_mut().enumerate() {
        tip.id = id(Kind::Tip, i);
        let age = (now - tip.received_at).num_days();
        tip.status = if age > 25 && chance(rng, 0.8) {
            if chance(rng, 0.5) {
                TipStatus::Passed
            } else {
                TipStatus::Closed
            }
        } else if age > 2 {
            TipStatus::Verifying
        } else {
            TipStatus::Received
        };
        // Handled mostly within the 20 days, now and then a few days late.
        if !tip.is_open() {
            let days = if chance(handled, 0.85) {
                handled.random_range(3..20)
            } else {
                handled.random_range(21..26)
            };
            tip.settled_at = Some(tip.received_at + Duration::days(days));
        }
        // Some of the older open tips were extended (a complex case, art. 147(2)).
        if tip.is_open() && age > 15 && chance(rng, 0.4) {
            let officer_id = tip.verifier.unwrap_or(tip.taken_by);
            tip.extensions.push(TipExtension {
                at: tip.first_deadline - Duration::days(1),
                officer_id,
                new_deadline: tip.first_deadline + Duration::days(40),
                reason: "Vụ việc có nhiều tình tiết phức tạp, cần xác minh tại nhiều địa bàn"
                    .into(),
            });
        }
    }
    tips
}

#[cfg(test)]
mod tests {
    use crate::domain::Record;

    #[test]
    fn the_sample_has_tips_in_every_state() {
        let now = super::super::reference_end();
        let tips: Vec<_> = super::super::sample(11)
            .into_iter()
            .filter_map(|r| match r {
                Record::Tip(t) => Some(t),
                _ => None,
            })
            .collect();
        assert!(tips.iter().any(|t| t.is_overdue(now)), "an overdue tip");
        assert!(
            tips.iter().any(|t| t.is_open() && !t.is_overdue(now)),
            "an open tip"
        );
        assert!(tips.iter().any(|t| !t.is_open()), "a finished tip");
        assert!(
            tips.iter().any(|t| !t.extensions.is_empty()),
            "an extended tip"
        );
    }
}
