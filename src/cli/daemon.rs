//! `trucban serve`: the daemon over the store at the data directory, with the bounds of
//! `[daemon]` in the config. How the other commands find it is `open.rs`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use crate::service::LocalDesk;
use crate::service::daemon::{self, socket};

/// `[daemon]`: what one client may make `trucban serve` hold. A key left out keeps the
/// default of [`daemon::Options::new`].
#[derive(Deserialize, Default, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DaemonConfig {
    /// Connections at once, in all (default 512).
    pub max_connections: Option<usize>,
    /// Connections at once of one OS user (default 32).
    pub max_per_user: Option<usize>,
    /// KiB of replies a client may leave unread before it is closed (default 512).
    pub reply_budget_kib: Option<usize>,
    /// Seconds to finish sending a request once begun (default 30).
    pub frame_timeout_seconds: Option<u64>,
    /// Minutes without any request before a connection is closed; 0: never (default 1440).
    pub idle_timeout_minutes: Option<u64>,
    /// MiB of requests being read, all clients together (default 32).
    pub request_budget_mib: Option<usize>,
}

impl DaemonConfig {
    /// Each value in its range, or the key and the range.
    pub fn validate(&self) -> Result<(), crate::i18n::Said> {
        let check =
            |key: &str, value: Option<u64>, low: u64, high: u64, unit: (&str, &str)| match value {
                Some(v) if !(low..=high).contains(&v) => {
                    Err(crate::i18n::out_of_range(key, v, (low, high), unit))
                }
                _ => Ok(()),
            };
        let wide = |v: Option<usize>| v.map(|v| v as u64);
        check(
            "max_connections",
            wide(self.max_connections),
            1,
            65_536,
            ("kết nối", "connections"),
        )?;
        check(
            "max_per_user",
            wide(self.max_per_user),
            1,
            65_536,
            ("kết nối", "connections"),
        )?;
        check(
            "reply_budget_kib",
            wide(self.reply_budget_kib),
            64,
            65_536,
            ("KiB", "KiB"),
        )?;
        check(
            "frame_timeout_seconds",
            self.frame_timeout_seconds,
            1,
            3600,
            ("giây", "seconds"),
        )?;
        check(
            "idle_timeout_minutes",
            self.idle_timeout_minutes,
            0,
            10_080,
            ("phút", "minutes"),
        )?;
        check(
            "request_budget_mib",
            wide(self.request_budget_mib),
            9,
            4096,
            ("MiB", "MiB"),
        )
    }

    /// The daemon's options on `socket`, with these values over the defaults.
    pub fn options(&self, socket: PathBuf) -> daemon::Options {
        let mut o = daemon::Options::new(socket);
        if let Some(n) = self.max_connections {
            o.max_connections = n;
        }
        if let Some(n) = self.max_per_user {
            o.max_per_user = n;
        }
        if let Some(k) = self.reply_budget_kib {
            o.reply_budget = k << 10;
        }
        if let Some(s) = self.frame_timeout_seconds {
            o.frame_timeout = Duration::from_secs(s);
        }
        if let Some(m) = self.idle_timeout_minutes {
            o.idle_timeout = (m > 0).then(|| Duration::from_secs(m * 60));
        }
        if let Some(m) = self.request_budget_mib {
            o.request_budget = m << 20;
        }
        o
    }
}

/// `trucban serve`: serves `desk` on `socket` (or the default) until SIGTERM or SIGINT.
pub(super) fn serve(
    desk: LocalDesk,
    socket: Option<PathBuf>,
    config: &DaemonConfig,
    lang: crate::i18n::Lang,
) -> anyhow::Result<()> {
    let socket = socket.unwrap_or_else(socket::default_socket);
    // Who connects is known from the kernel; only OS users with an officer account get in,
    // each with their role (see `service/session.rs`). Sessions read the daemon's clock.
    let gate = crate::service::session::AccountGate::new(desk.clock().clone());
    let mut options = config.options(socket);
    options.lang = lang;
    daemon::serve(desk, Arc::new(gate), options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daemon_section_sets_its_bounds_and_refuses_values_out_of_range() {
        let config: DaemonConfig =
            toml::from_str("max_per_user = 4\nidle_timeout_minutes = 0\nreply_budget_kib = 2048\n")
                .expect("valid");
        assert_eq!(config.validate(), Ok(()));
        let o = config.options(PathBuf::from("s"));
        assert_eq!((o.max_per_user, o.max_connections), (4, 512));
        assert_eq!((o.idle_timeout, o.reply_budget), (None, 2 << 20));
        let wrong: DaemonConfig = toml::from_str("frame_timeout_seconds = 0\n").expect("toml");
        let refused = wrong.validate().expect_err("out of range");
        assert_eq!(
            refused.en,
            "frame_timeout_seconds = 0: expected 1 to 3600 seconds"
        );
        assert_eq!(
            refused.vi,
            "frame_timeout_seconds = 0: cần từ 1 đến 3600 giây"
        );
        // Below one request of the largest size, an import could never get through.
        let small: DaemonConfig = toml::from_str("request_budget_mib = 8\n").expect("toml");
        assert!(small.validate().is_err());
    }
}
