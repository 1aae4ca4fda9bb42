//! The one way a subcommand gets a desk. Through the daemon when one is to be used (see
//! `open.rs`); otherwise the store itself, with the configuration's rules, behind the store
//! owner's session — so that a command run on the store acts, is checked and is audited as
//! the OS user's officer exactly as the same command through `trucban serve` is.

use crate::domain::{Clock, RecordId};
use crate::service::LocalDesk;
use crate::service::session::SessionDesk;

use super::config::Config;
use super::open::{Opened, Opener};

/// What every store-backed subcommand opens its desk with.
pub struct Desks<'a> {
    pub opener: &'a Opener,
    pub config: &'a Config,
    /// `--officer` (or the config's): the officer the owner's session acts as on the store
    /// itself. A daemon ignores it: there the account says who the officer is.
    pub officer: Option<RecordId>,
}

impl Desks<'_> {
    /// The daemon's session, or the owner's session on the existing store.
    pub fn desk(&self) -> anyhow::Result<Opened> {
        self.opener.desk(|desk| self.owner(desk))
    }

    /// As [`Desks::desk`], for a command that may make the store (`import`).
    pub fn desk_or_new(&self) -> anyhow::Result<Opened> {
        self.opener.desk_or_new(|desk| self.owner(desk))
    }

    fn owner(&self, desk: LocalDesk) -> anyhow::Result<SessionDesk> {
        owner_session(
            &with_config(desk, self.config),
            self.officer,
            &self.opener.clock,
        )
    }
}

/// The rules the configuration sets (`[lodging]`, `[screening]`, `[tips]`, `[roster]`) on a
/// desk over the store itself; a daemon applies its own.
pub fn with_config(desk: LocalDesk, config: &Config) -> LocalDesk {
    desk.with_declaration_rules(config.lodging.clone())
        .with_screening(config.screening)
        .with_tip_rules(config.tips.clone())
        .with_report_baseline(config.baseline.clone())
        .with_roster_rules(config.roster)
}

/// The store owner's session on an embedded desk: everything allowed, everything audited
/// under the OS user running trucban.
pub fn owner_session(
    desk: &LocalDesk,
    officer: Option<RecordId>,
    clock: &Clock,
) -> anyhow::Result<SessionDesk> {
    Ok(SessionDesk::owner(
        desk,
        &crate::service::session::current_os_user(),
        officer,
        clock.clone(),
    )?)
}
