//! The rules of a case (see [`crate::domain::cases`]): what it is when made, what never
//! changes, and how its history grows.

use super::{Acting, Refusal, StepReason, fixed, signed, signed_added};
use crate::domain::cases::{Case, CaseRefused, SOURCE_KINDS};
use crate::domain::ids::Kind;

pub(super) fn case(old: Option<&Case>, new: &Case, acting: &Acting) -> Result<(), Refusal> {
    let id = new.id;
    let step = |reason| Refusal::Step { id, reason };
    if new.charge.gravity().is_err() {
        return Err(step(StepReason::UnknownCharge {
            article: new.charge.article,
            clause: new.charge.clause,
        }));
    }
    if let Some(source) = new.source
        && !SOURCE_KINDS.contains(&source.kind())
    {
        return Err(step(StepReason::WrongKind {
            field: "source".into(),
            given: source,
            expected: "TB-, NK- / NT-".into(),
        }));
    }
    if let Some(group) = new.group_id
        && group.kind() != Kind::Group
    {
        return Err(step(StepReason::WrongKind {
            field: "group_id".into(),
            given: group,
            expected: "BN-".into(),
        }));
    }
    let mut replay = match old {
        Some(old) => {
            fixed(
                id,
                "recorded_at, recorded_by",
                old.recorded_at == new.recorded_at && old.recorded_by == new.recorded_by,
            )?;
            if !new.history.starts_with(&old.history) {
                return Err(Refusal::HistoryChanged {
                    id,
                    what: "status changes".into(),
                });
            }
            old.clone()
        }
        None => {
            signed(acting, id, "recorded_by", new.recorded_by)?;
            Case {
                history: Vec::new(),
                ..new.clone()
            }
        }
    };
    for added in &new.history[replay.history.len()..] {
        signed_added(
            acting,
            old.is_some(),
            id,
            "history officer_id",
            added.officer_id,
        )?;
        replay.add_step(added.clone()).map_err(|e| {
            step(match e {
                CaseRefused::NotFrom { from, to } => StepReason::CaseNotFrom { from, to },
                CaseRefused::BeforeLast => StepReason::CaseBeforeLast,
            })
        })?;
    }
    Ok(())
}
