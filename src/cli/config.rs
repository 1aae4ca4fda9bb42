//! The user's config file (`~/.config/trucban/config.toml`, or `--config FILE`): defaults
//! for the console that command-line options override. A serde struct mirrors the file; it
//! is checked once, with errors that name the file and the key.

use crate::i18n::Said;
use std::path::Path;

use serde::Deserialize;

use crate::domain::declarations::DeclarationRules;
use crate::domain::roster::{RosterConfig, RosterRules};
use crate::domain::shifts::{HandoverConfig, ShiftPlan};
use crate::domain::{Kind, RecordId, TipRules};
use crate::i18n::Lang;
use crate::service::screening::ScreeningConfig;

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    theme: Option<String>,
    lang: Option<String>,
    officer: Option<String>,
    keymap: Option<std::path::PathBuf>,
    lodging: Option<DeclarationRules>,
    screening: Option<ScreeningConfig>,
    handover: Option<HandoverConfig>,
    tips: Option<TipRules>,
    report: Option<ReportSection>,
    roster: Option<RosterConfig>,
    session: Option<SessionConfig>,
    daemon: Option<super::daemon::DaemonConfig>,
    store: Option<StoreSection>,
}

/// `[store]`: where the store is kept when not in the data directory.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct StoreSection {
    /// A PostgreSQL database (`postgres://…`): several hosts' daemons over one store.
    database: Option<String>,
}

/// `[report]`: the plan's "before" — the period offences are compared with (default: the
/// year before the plan, 09/08/2017–08/08/2018) and, when the desk's cases do not reach
/// back that far, the number of offences recorded in it.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ReportSection {
    /// A TOML date (`2017-08-09`) or a string the desk reads (`"09/08/2017"`).
    baseline_from: toml::Value,
    baseline_to: toml::Value,
    #[serde(default)]
    baseline_offences: Option<usize>,
}

/// `[session]`: minutes without a key before the console locks (1 to 30, default 15).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct SessionConfig {
    lock_after_minutes: i64,
}

#[derive(Default, Debug, PartialEq)]
pub struct Config {
    pub theme: Option<String>,
    pub lang: Option<Lang>,
    pub officer: Option<RecordId>,
    pub keymap: Option<std::path::PathBuf>,
    /// `[lodging]`: the declaration deadlines and the remote communes (defaults if absent;
    /// a key left out keeps its default).
    pub lodging: DeclarationRules,
    /// `[screening]`: the alert and review thresholds, the confirmation deadlines and the
    /// re-screening window (defaults if absent).
    pub screening: ScreeningConfig,
    /// `[handover]`: the shift start times (default 07:30 and 19:30).
    pub shifts: ShiftPlan,
    /// `[handover] unit`: the unit heading the handover sheet (None: no config file, the
    /// default's).
    pub unit: Option<Vec<String>>,
    /// `[tips]`: the days from receipt to a tip's verification deadline (20 by default,
    /// Criminal Procedure Code art. 147).
    pub tips: TipRules,
    /// `[report]`: the plan's "before", for the offences' change.
    pub baseline: crate::domain::report::Baseline,
    /// `[roster]`: the minimum rest between two shifts of an officer; the roster's day and
    /// night shifts are the `[handover]` shift starts (one definition for both).
    pub roster: RosterRules,
    /// `[session]`: idle time before the session locks (15 minutes unless set; at most 30).
    pub lock_after: Option<chrono::Duration>,
    /// `[daemon]`: what one client may make `trucban serve` hold (connections, bytes, time).
    pub daemon: super::daemon::DaemonConfig,
    /// `[store] database`: a PostgreSQL database holds the store (None: the data directory).
    pub database: Option<String>,
}

/// `FILE: [section] what is wrong`, in both languages.
fn bad(file: &str, section: &str, said: &Said) -> anyhow::Error {
    super::told::told(
        "config.invalid",
        format!("{file}: {section}{}", said.vi),
        format!("{file}: {section}{}", said.en),
    )
}

pub fn load(path: &Path) -> anyhow::Result<Config> {
    let file = path.display();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(super::told::file_failed("config.unreadable", path, &e)),
    };
    parse(&file.to_string(), &text)
}

pub(super) fn parse(file: &str, text: &str) -> anyhow::Result<Config> {
    let raw: RawConfig =
        toml::from_str(text).map_err(|e| bad(file, "", &Said::both(e.to_string())))?;
    let lang = match raw.lang.as_deref() {
        None => None,
        Some(l) => Some(Lang::parse(l).ok_or_else(|| {
            bad(
                file,
                "",
                &Said::new(
                    format!("lang = {l:?}: cần \"vi\" hoặc \"en\""),
                    format!("lang = {l:?}: expected \"vi\" or \"en\""),
                ),
            )
        })?),
    };
    let officer = match raw.officer.as_deref() {
        None => None,
        Some(o) => Some(
            o.parse::<RecordId>()
                .ok()
                .filter(|id| id.kind() == Kind::Officer)
                .ok_or_else(|| {
                    bad(
                        file,
                        "",
                        &Said::new(
                            format!("officer = {o:?}: cần mã cán bộ dạng \"CB-000012\""),
                            format!("officer = {o:?}: expected an officer ID like \"CB-000012\""),
                        ),
                    )
                })?,
        ),
    };
    let lodging = raw.lodging.unwrap_or_default();
    lodging
        .validate()
        .map_err(|e| bad(file, "[lodging] ", &e))?;
    let screening = raw.screening.unwrap_or_default();
    screening
        .validate()
        .map_err(|e| bad(file, "[screening] ", &e))?;
    let handover = raw.handover.unwrap_or_default();
    let shifts = handover.plan().map_err(|e| bad(file, "[handover] ", &e))?;
    let tips = raw.tips.unwrap_or_default();
    tips.validate().map_err(|e| bad(file, "[tips] ", &e))?;
    let baseline = match raw.report {
        None => crate::domain::report::Baseline::default(),
        Some(r) => {
            let date = |key: &str, value: &toml::Value| {
                let text = match value {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                crate::domain::time::parse_date(&text).ok_or_else(|| {
                    bad(
                        file,
                        "[report] ",
                        &Said::new(
                            format!("{key}: {text} không phải ngày (ghi 2017-08-09)"),
                            format!("{key}: {text} is not a date (write 2017-08-09)"),
                        ),
                    )
                })
            };
            let (from, to) = (
                date("baseline_from", &r.baseline_from)?,
                date("baseline_to", &r.baseline_to)?,
            );
            if to < from {
                return Err(bad(
                    file,
                    "[report] ",
                    &Said::new(
                        "baseline_to trước baseline_from",
                        "baseline_to is before baseline_from",
                    ),
                ));
            }
            crate::domain::report::Baseline {
                period: crate::domain::report::Period { from, to },
                offences: r.baseline_offences,
            }
        }
    };
    let roster = raw
        .roster
        .unwrap_or_default()
        .rules(&shifts)
        .map_err(|e| bad(file, "", &e))?;
    let lock_after = match raw.session {
        None => None,
        Some(SessionConfig {
            lock_after_minutes: m,
        }) => {
            let max = crate::app::lock::max_after().num_minutes();
            if !(1..=max).contains(&m) {
                return Err(bad(
                    file,
                    "[session] ",
                    &crate::i18n::out_of_range(
                        "lock_after_minutes",
                        m,
                        (1, max),
                        ("phút", "minutes"),
                    ),
                ));
            }
            Some(chrono::Duration::minutes(m))
        }
    };
    let database = raw.store.and_then(|s| s.database);
    if let Some(url) = &database {
        use std::str::FromStr;
        if let Err(e) = postgres::Config::from_str(url) {
            return Err(bad(
                file,
                "[store] ",
                &Said::new(
                    format!(
                        "database: không phải địa chỉ PostgreSQL dùng được ({e}): ghi dạng \"postgres://người_dùng@máy/tên_csdl\""
                    ),
                    format!(
                        "database: not a usable PostgreSQL address ({e}): write it as \"postgres://user@host/dbname\""
                    ),
                ),
            ));
        }
    }
    let daemon = raw.daemon.unwrap_or_default();
    daemon.validate().map_err(|e| bad(file, "[daemon] ", &e))?;
    Ok(Config {
        database,
        daemon,
        roster,
        lock_after,
        shifts,
        unit: Some(handover.unit),
        tips,
        baseline,
        theme: raw.theme,
        lang,
        officer,
        keymap: raw.keymap,
        lodging,
        screening,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_file_is_checked_with_clear_messages() {
        let ok = parse(
            "c.toml",
            "theme = \"low-bandwidth\"\nlang = \"en\"\nofficer = \"CB-000003\"\n",
        )
        .expect("valid");
        assert_eq!(ok.theme.as_deref(), Some("low-bandwidth"));
        assert_eq!(ok.lang, Some(Lang::En));
        assert_eq!(ok.officer.map(|o| o.num()), Some(3));
        assert_eq!(ok.lodging, DeclarationRules::default());
        assert_eq!(ok.shifts, ShiftPlan::default());
        assert_eq!(ok.roster, RosterRules::default());
        let moved = parse(
            "c.toml",
            "[handover]\nshift_starts = [\"06:00\", \"18:00\"]\n[roster]\nmin_rest_hours = 24\n",
        )
        .expect("valid");
        assert_ne!(moved.shifts, ShiftPlan::default());
        // One definition of the shifts: the roster's are the handover's.
        let six = chrono::NaiveTime::from_hms_opt(6, 0, 0).expect("time");
        let eighteen = chrono::NaiveTime::from_hms_opt(18, 0, 0).expect("time");
        assert_eq!(moved.roster.shifts.day, (six, eighteen));
        assert_eq!(moved.roster.shifts.night, (eighteen, six));
        assert_eq!(moved.roster.min_rest, chrono::Duration::hours(24));
        let ok = parse(
            "c.toml",
            "[lodging]\nremote_communes = [\"Tân Uyên\"]\nforeign_remote_hours = 36\n",
        )
        .expect("valid");
        assert!(ok.lodging.is_remote("xã Tân Uyên") && !ok.lodging.is_remote("xã Mù Cả"));
        let screening = parse("c.toml", "[screening]\nother_minutes = 30\nalert = 0.8\n")
            .expect("valid")
            .screening;
        assert_eq!((screening.other_minutes, screening.alert), (30, 0.8));
        assert_eq!(screening.especially_dangerous_minutes, 10, "default kept");
        assert_eq!(ok.tips, TipRules::default());
        let tips = parse("c.toml", "[tips]\nverify_days = 30\n")
            .expect("valid")
            .tips;
        assert_eq!(tips.verify_days, 30);
        assert_eq!(
            (ok.lodging.foreign_hours, ok.lodging.foreign_remote_hours),
            (12, 36)
        );
        for (text, expected) in [
            (
                "lang = \"fr\"\n",
                "c.toml: lang = \"fr\": expected \"vi\" or \"en\"",
            ),
            ("officer = \"TN-000001\"\n", "expected an officer ID"),
            ("colour = \"red\"\n", "unknown field `colour`"),
            ("theme = \n", "c.toml: TOML parse error"),
            (
                "[lodging]\nforeign_hours = 0\n",
                "c.toml: [lodging] foreign_hours = 0: expected 1 to 240 hours",
            ),
            ("[lodging]\nremote = []\n", "unknown field `remote`"),
            (
                "[screening]\nalert = 0.4\nreview = 0.6\n",
                "c.toml: [screening] review = 0.6: expected a score above 0, at most alert (0.4)",
            ),
            (
                "[handover]\nshift_starts = [\"7h\"]\n",
                "c.toml: [handover] shift_starts: \"7h\" is not a local time",
            ),
            (
                "[tips]\nverify_days = 0\n",
                "c.toml: [tips] verify_days = 0: expected 1 to 365 days",
            ),
            ("[tips]\ndays = 20\n", "unknown field `days`"),
            (
                "[roster]\nmin_rest_hours = 0\n",
                "c.toml: [roster] min_rest_hours = 0: expected 1 to 72 hours",
            ),
            ("[roster]\nmin_rest = 12\n", "unknown field `min_rest`"),
            (
                "[daemon]\nmax_per_user = 0\n",
                "c.toml: [daemon] max_per_user = 0: expected 1 to 65536 connections",
            ),
            ("[daemon]\nthreads = 4\n", "unknown field `threads`"),
            (
                "[roster]\nmin_rest_hours = \"12\"\n",
                "c.toml: TOML parse error",
            ),
            (
                "[handover]\nshift_starts = [\"06:00\", \"14:00\", \"22:00\"]\n",
                "c.toml: [handover] shift_starts = [\"06:00\", \"14:00\", \"22:00\"]: the campaign rosters have a day and a night shift",
            ),
            (
                "[screening]\nespecially_dangerous_minutes = 0\n",
                "c.toml: [screening] especially_dangerous_minutes = 0: expected 1 to 1440 minutes",
            ),
        ] {
            let err = parse("c.toml", text).expect_err(text).to_string();
            assert!(err.contains(expected), "{err}");
        }
    }
}
