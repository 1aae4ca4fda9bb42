//! The roster page's data from the service (the page itself, and its keys, are pure: see
//! [`crate::app::roster_page`]).

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
