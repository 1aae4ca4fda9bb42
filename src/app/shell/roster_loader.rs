//! The roster page's data from the service (the page itself, and its keys, are pure: see
//! [`crate::app::roster_page`]), and the words that say what an edit did once it is saved.

use crate::app::roster_page::RosterData;
use crate::domain::RecordId;

/// The roster page's data from the service.
pub fn load(
    desk: &dyn crate::service::DeskApi,
    id: RecordId,
) -> crate::service::Result<RosterData> {
    let Some(crate::domain::Record::Campaign(campaign)) = desk.get(id)? else {
        return Err(crate::service::ServiceError::NotFound(id));
    };
    Ok(RosterData {
        campaign_id: id,
        campaign_name: campaign.name,
        posts: campaign.posts,
        roster: desk.roster(id)?,
        problems: desk.roster_problems(id)?,
    })
}

/// What an edit does, for the message that says it was saved.
pub fn edit_summary(
    edit: &crate::domain::roster_grid::RosterEdit,
    lang: crate::i18n::Lang,
) -> String {
    use crate::domain::roster_grid::RosterEdit;
    let text = match edit {
        RosterEdit::Add(a) => format!(
            "{} {} · {} {} · {}",
            a.officer_id,
            a.role.label(lang),
            a.date.format("%d/%m"),
            a.shift.label(lang),
            a.post
        ),
        RosterEdit::Move {
            id,
            date,
            shift,
            post,
        } => format!(
            "{id} → {} {} · {post}",
            date.format("%d/%m"),
            shift.label(lang)
        ),
        RosterEdit::Swap { first, second } => format!(
            "{} {first} ⇄ {second}",
            lang.pick("đổi người", "officers swapped")
        ),
    };
    crate::domain::text::display_safe(&text).into_owned()
}
