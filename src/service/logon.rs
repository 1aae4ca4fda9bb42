//! Refused log-ons, per OS user: rate-limited, and audited at most once a minute each.
//!
//! Anyone who can open the daemon's socket can try to log on as many times as they like,
//! and each refusal used to append an audit entry: a loop could grow the audit without
//! bound and bury what matters in it. Here a user gets [`REFUSALS_PER_MINUTE`] refused
//! log-ons a minute; beyond that the daemon refuses at once, without looking at the store.
//! The first refusal of a minute is audited; the others of that minute are counted, and the
//! count goes into the next entry written for that user ("and 37 more since 14:02").

use std::collections::HashMap;
use std::sync::Mutex;

use crate::domain::Instant;

/// Refused log-ons a user may make in one minute before being refused without a look.
pub const REFUSALS_PER_MINUTE: u32 = 10;

#[derive(Clone, Copy, Debug)]
struct Minute {
    /// When the window began (the first refusal of it).
    started: Instant,
    refused: u32,
    /// Refusals not audited yet (all but the window's first).
    unaudited: u32,
}

/// What to do with one refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Write an entry; `earlier` refusals went unaudited before it (since `since`).
    Audit {
        earlier: u32,
        since: Option<Instant>,
    },
    /// Counted, not audited: one entry was written this minute.
    Counted,
}

#[derive(Default)]
pub struct LogonLimiter {
    users: Mutex<HashMap<String, Minute>>,
}

impl LogonLimiter {
    /// Whether `user` has used up this minute's refused log-ons (refuse without a look).
    pub fn exhausted(&self, user: &str, now: Instant) -> bool {
        let Ok(users) = self.users.lock() else {
            return true;
        };
        users.get(user).is_some_and(|m| {
            now - m.started < chrono::Duration::minutes(1) && m.refused >= REFUSALS_PER_MINUTE
        })
    }

    /// Counts one refusal of `user` at `now` and says whether to audit it.
    pub fn refused(&self, user: &str, now: Instant) -> Verdict {
        let Ok(mut users) = self.users.lock() else {
            return Verdict::Counted;
        };
        // Bounded by the users the host has: a name that is not a user never gets here
        // (the kernel names the peer), and entries of past minutes are dropped.
        users.retain(|_, m| now - m.started < chrono::Duration::minutes(10) || m.unaudited > 0);
        match users.get_mut(user) {
            Some(m) if now - m.started < chrono::Duration::minutes(1) => {
                m.refused += 1;
                m.unaudited += 1;
                Verdict::Counted
            }
            Some(m) => {
                let verdict = Verdict::Audit {
                    earlier: m.unaudited,
                    since: Some(m.started),
                };
                *m = Minute {
                    started: now,
                    refused: 1,
                    unaudited: 0,
                };
                verdict
            }
            None => {
                users.insert(
                    user.into(),
                    Minute {
                        started: now,
                        refused: 1,
                        unaudited: 0,
                    },
                );
                Verdict::Audit {
                    earlier: 0,
                    since: None,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Instant {
        chrono::DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default()
    }

    #[test]
    fn one_entry_a_minute_with_the_count_of_the_rest() {
        let limiter = LogonLimiter::default();
        assert_eq!(
            limiter.refused("mallory", at(0)),
            Verdict::Audit {
                earlier: 0,
                since: None
            }
        );
        for s in 1..40 {
            assert_eq!(limiter.refused("mallory", at(s)), Verdict::Counted);
        }
        assert!(limiter.exhausted("mallory", at(40)));
        assert!(
            !limiter.exhausted("dan", at(40)),
            "another user is not held up"
        );
        assert_eq!(
            limiter.refused("mallory", at(61)),
            Verdict::Audit {
                earlier: 39,
                since: Some(at(0))
            }
        );
        assert!(!limiter.exhausted("mallory", at(62)));
    }
}
