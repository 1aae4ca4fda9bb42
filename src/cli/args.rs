//! The command line's grammar (clap): every subcommand, its options and their parsers.
//! Nothing here opens a store or prints; `commands.rs` does, and imports this one way.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::domain::Kind;
use crate::i18n::Lang;

#[derive(Parser, Debug)]
#[command(
    name = "trucban",
    version,
    about = "Duty-desk console for Lai Châu province police (bàn trực ban)"
)]
pub struct Cli {
    /// Store directory [default: the platform data directory, e.g. ~/.local/share/trucban]
    #[arg(long, global = true, env = "TRUCBAN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// PostgreSQL database to keep the store in, instead of a store directory (postgres://… or host=… dbname=…) [default: `database` under [store] in the config file]
    #[arg(long, global = true, env = "TRUCBAN_DATABASE", value_name = "URL")]
    pub database: Option<String>,

    /// Interface language, vi or en [default: from LANG]
    #[arg(long, global = true, value_parser = parse_lang, value_name = "vi|en")]
    pub lang: Option<Lang>,

    /// The socket of `trucban serve` to work through (fails if it does not answer) [default: /run/trucban/trucban.sock, then $XDG_RUNTIME_DIR/trucban/trucban.sock, if one answers and no --data-dir is given]
    #[arg(long, global = true, env = "TRUCBAN_SOCKET", value_name = "PATH")]
    pub socket: Option<PathBuf>,

    #[command(flatten)]
    pub console: ConsoleArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options of the console (`trucban` and `trucban demo`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ConsoleArgs {
    /// Theme: default, high-contrast, mono, ansi16, low-bandwidth, or a user theme [default: mono under NO_COLOR, ansi16 on TERM=linux, else default]
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Keymap file laid over the built-in keys [default: ~/.config/trucban/keymap.toml]
    #[arg(long, global = true, value_name = "FILE")]
    pub keymap: Option<PathBuf>,
    /// Config file with defaults for these options [default: ~/.config/trucban/config.toml]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The officer the forms are filled in for (CB-000012)
    #[arg(long, global = true, env = "TRUCBAN_OFFICER", value_name = "ID", value_parser = parse_officer)]
    pub officer: Option<crate::domain::RecordId>,
    /// The view the console opens on, named as `:` names it (truyna, nt, kbm, …) [default: tinhhinh, Shift at a glance]
    #[arg(long, global = true, value_name = "VIEW", value_parser = parse_view)]
    pub view: Option<crate::app::views::View>,
}

fn parse_view(text: &str) -> Result<crate::app::views::View, String> {
    crate::app::views::View::from_alias(text).ok_or_else(|| {
        said(
            format!("không có màn hình {text:?} (tinhhinh, truyna, nt, kbm, … như lệnh `:`)"),
            format!("no view {text:?} (tinhhinh, truyna, nt, kbm, … as `:` takes them)"),
        )
    })
}

fn parse_officer(text: &str) -> Result<crate::domain::RecordId, String> {
    text.parse::<crate::domain::RecordId>()
        .ok()
        .filter(|id| id.kind() == Kind::Officer)
        .ok_or_else(|| {
            said(
                format!("{text:?} không phải mã cán bộ (cần dạng CB-000012)"),
                format!("{text:?} is not an officer ID (expected CB-000012)"),
            )
        })
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the console on a fresh copy of the fictional sample data
    Demo,
    /// Serve the store to every console on this host over a Unix socket (several officers at
    /// once); stops cleanly on SIGTERM or Ctrl-C [socket default: $RUNTIME_DIRECTORY/trucban.sock under systemd, else $XDG_RUNTIME_DIR/trucban/trucban.sock, else /run/trucban/trucban.sock]
    Serve,
    /// Load data into the store
    Seed {
        /// The fictional sample, its timeline moved so that its last day ends now
        #[arg(long, required = true)]
        sample: bool,
    },
    /// Write a large fictional store for benchmarks (into an empty --data-dir)
    Gen {
        /// Number of persons, and of guest stays unless --guests says otherwise
        #[arg(long, value_name = "N")]
        scale: u64,
        /// Number of guest stays (default: N)
        #[arg(long, value_name = "M")]
        guests: Option<u64>,
        #[arg(long, default_value_t = 1, value_name = "S")]
        seed: u64,
    },
    /// Import a CSV (header row) or JSON file; any bad row ⇒ nothing is written
    Import {
        #[arg(value_parser = parse_kind, value_name = "KIND")]
        kind: Kind,
        file: PathBuf,
        /// csv or json [default: from the file name]
        #[arg(long, value_parser = parse_format)]
        format: Option<crate::service::Format>,
    },
    /// Screen a guest file against the active wanted notices and watch entries, without
    /// importing it
    Screen {
        file: PathBuf,
        /// csv or json [default: from the file name]
        #[arg(long, value_parser = parse_format)]
        format: Option<crate::service::Format>,
        /// One JSON object per input row: {"row", "hits": [{"list", "record_id", "person_name", "score", "band", "reasons"}]}
        #[arg(long)]
        json: bool,
    },
    /// Export a collection in the format import reads, or as text to read (to stdout unless --output)
    Export {
        #[arg(value_parser = parse_kind, value_name = "KIND")]
        kind: Kind,
        /// csv or json (import reads them back exactly), or text (to read; controls shown as �)
        #[arg(long, value_parser = parse_export_format, default_value = "csv", value_name = "csv|json|text")]
        format: ExportFormat,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Search every collection (or one kind) for a name, ID or field (`sinh:1990`, `xa:`, `id:`)
    Search {
        query: String,
        #[arg(long, value_parser = parse_kind, value_name = "KIND")]
        kind: Option<Kind>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// An array of {kind, id, title, detail, score, highlight}
        #[arg(long)]
        json: bool,
    },
    /// Late and undeclared guests per establishment and night, worst first (default: the last 7 nights)
    Late {
        /// First night, local date DD/MM/YYYY or YYYY-MM-DD [default: 6 nights before --to]
        #[arg(long, value_parser = parse_night, value_name = "DATE")]
        from: Option<chrono::NaiveDate>,
        /// Last night, local date DD/MM/YYYY or YYYY-MM-DD [default: today]
        #[arg(long, value_parser = parse_night, value_name = "DATE")]
        to: Option<chrono::NaiveDate>,
        /// An array of {establishment_id, establishment, commune, night, guests, late, undeclared, band, late_ids, undeclared_ids}
        #[arg(long)]
        json: bool,
    },
    /// Establishments to inspect first, ranked, with the reasons
    InspectNext {
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
        /// An array of {establishment_id, establishment, commune, risk, score, last_inspection, late, undeclared, failed_items, violations, hits, factors}
        #[arg(long)]
        json: bool,
    },
    /// A campaign roster: `check` its problems (exit 3 when some), `show` its grid, `add`,
    /// `move` or `swap` assignments (supervisors; refused with the problems it would create)
    Roster {
        #[command(subcommand)]
        action: RosterCommand,
    },
    /// The shift handover (sổ giao ca): its sheet, to paste into a report or a message;
    /// `sign` it as the outgoing officer, `acknowledge` it as the incoming one
    #[command(args_conflicts_with_subcommands = true)]
    Handover {
        #[command(subcommand)]
        action: Option<HandoverCommand>,
        #[command(flatten)]
        sheet: SheetArgs,
    },
    /// The periodic report for local dates FROM..=TO, beside the period of the same length before
    Report {
        #[arg(long, value_parser = parse_night, value_name = "DATE")]
        from: chrono::NaiveDate,
        #[arg(long, value_parser = parse_night, value_name = "DATE")]
        to: chrono::NaiveDate,
        /// text (fits 80 columns), md, or json
        #[arg(long, default_value = "text", value_parser = super::handover::parse_output, value_name = "text|md|json")]
        format: super::handover::Output,
    },
    /// The audit trail (auditor): `verify` the hash chain, or list entries
    #[command(args_conflicts_with_subcommands = true)]
    Audit {
        #[command(subcommand)]
        action: Option<AuditCommand>,
        /// Only this officer's entries (CB-000012)
        #[arg(long = "by", value_name = "OFFICER")]
        by: Option<crate::domain::RecordId>,
        /// Only entries about this record
        #[arg(long, value_name = "ID")]
        record: Option<crate::domain::RecordId>,
        /// Only entries since this local time (DD/MM/YYYY or YYYY-MM-DD, optionally HH:MM)
        #[arg(long, value_parser = parse_since, value_name = "TIME")]
        since: Option<crate::domain::Instant>,
        /// At most the newest N entries
        #[arg(long, default_value_t = 0, value_name = "N")]
        limit: usize,
        /// An array of {seq, at, user, officer, action, record, detail, outcome, prev, hash}
        #[arg(long)]
        json: bool,
    },
    /// Officer accounts (administrator): which OS user is which officer, with a PIN
    Account {
        #[command(subcommand)]
        action: AccountCommand,
    },
    /// Record counts per collection
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Verify the store: records, counts, indexes, references, change log; exit 0 intact, 3 damaged
    Check {
        /// {counts, index_entries, problems, more_problems}
        #[arg(long)]
        json: bool,
    },
    /// Write a consistent backup of the whole store to FILE (checksummed, written atomically)
    Backup {
        file: PathBuf,
        /// Replace an earlier backup at FILE (without it, an existing file is refused)
        #[arg(long)]
        force: bool,
    },
    /// Restore a backup into an empty --data-dir (verified before anything is written), then check it
    Restore { file: PathBuf },
    /// Move a store to another engine: a store directory into an empty PostgreSQL database, or back; both are then compared by counts and content checksums
    Migrate {
        /// The store to copy: a directory, or a database (postgres://… or host=… dbname=…)
        #[arg(long, value_name = "DIR|URL")]
        from: String,
        /// Where to copy it, which must be empty: a directory, or a database
        #[arg(long, value_name = "DIR|URL")]
        to: String,
    },
    /// The columns of a kind's import file, as a Markdown table
    Columns {
        #[arg(value_parser = parse_kind, value_name = "KIND")]
        kind: Option<Kind>,
    },
    /// The console's keys (built-in keymap), as Markdown tables
    Keys,
    /// The service's requests: who may call each, what the session fills in, the rule
    /// (Markdown)
    Requests,
    /// Regenerate the committed sample files under DIR (for maintainers)
    #[command(hide = true)]
    WriteSample {
        dir: PathBuf,
        #[arg(long, default_value_t = super::sample_data::SAMPLE_SEED)]
        seed: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum RosterCommand {
    /// Double bookings, short rests and empty posts; exit 0 when none, 3 when some
    Check {
        /// One campaign (CD-000001) [default: every campaign]
        #[arg(long, value_name = "ID", value_parser = parse_campaign)]
        campaign: Option<crate::domain::RecordId>,
        /// An array of {campaign_id, problems: [{problem, officer_id, first, second, rest_minutes, min_minutes, date, shift, post}]}
        #[arg(long)]
        json: bool,
    },
    /// Who holds each post, shift by shift
    Show {
        #[arg(long, value_name = "ID", value_parser = parse_campaign)]
        campaign: crate::domain::RecordId,
        /// One local day, DD/MM/YYYY or YYYY-MM-DD [default: every day of the campaign]
        #[arg(long, value_parser = parse_night, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
        /// An array of {date, shift, start, end, posts: [{post, slots}]}
        #[arg(long)]
        json: bool,
    },
    /// Put an officer on a post for a shift (a new assignment)
    Add {
        // Not `officer`: that is the global `--officer`'s name, and clap would fill both.
        #[arg(value_name = "OFFICER", value_parser = parse_officer)]
        officer_id: crate::domain::RecordId,
        #[arg(long, value_name = "ID", value_parser = parse_campaign)]
        campaign: crate::domain::RecordId,
        /// Local date, DD/MM/YYYY or YYYY-MM-DD
        #[arg(long, value_parser = parse_night, value_name = "DATE")]
        date: chrono::NaiveDate,
        #[arg(long, value_parser = parse_shift, value_name = "day|night")]
        shift: crate::domain::Shift,
        /// The post or route (Chốt Ma Lù Thàng)
        #[arg(long, value_name = "POST")]
        post: String,
        #[arg(long, value_parser = parse_assignment_role, default_value = "member", value_name = "leader|member")]
        role: crate::domain::AssignmentRole,
    },
    /// Move an assignment (PC-000003) to another date, shift or post; what is not given stays
    Move {
        #[arg(value_name = "ASSIGNMENT", value_parser = parse_assignment)]
        id: crate::domain::RecordId,
        #[arg(long, value_parser = parse_night, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
        #[arg(long, value_parser = parse_shift, value_name = "day|night")]
        shift: Option<crate::domain::Shift>,
        #[arg(long, value_name = "POST")]
        post: Option<String>,
    },
    /// Two assignments exchange their officers
    Swap {
        #[arg(value_name = "FIRST", value_parser = parse_assignment)]
        first: crate::domain::RecordId,
        #[arg(value_name = "SECOND", value_parser = parse_assignment)]
        second: crate::domain::RecordId,
    },
}

/// Which handover sheet to print, and how.
#[derive(clap::Args, Debug, Clone)]
pub struct SheetArgs {
    /// current, previous, or a handover's ID (GC-000007)
    #[arg(long, default_value = "current", value_name = "current|previous|ID")]
    pub shift: String,
    /// text (fits 80 columns), md, or json
    #[arg(long, default_value = "text", value_parser = super::handover::parse_output, value_name = "text|md|json")]
    pub format: super::handover::Output,
}

#[derive(Subcommand, Debug)]
pub enum HandoverCommand {
    /// Print the sheet (as `trucban handover` alone)
    Show(SheetArgs),
    /// Sign a shift's handover as its outgoing officer (the session's officer, now)
    Sign {
        /// current, previous, or a handover's ID (GC-000007)
        #[arg(long, default_value = "current", value_name = "current|previous|ID")]
        shift: String,
        /// What the incoming officer must know
        #[arg(long, value_name = "TEXT")]
        text: String,
    },
    /// Acknowledge a signed handover (GC-000007) as the incoming officer; it is then closed
    Acknowledge {
        #[arg(value_name = "ID", value_parser = parse_handover)]
        id: crate::domain::RecordId,
        #[arg(long, default_value = "", value_name = "TEXT")]
        remarks: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the whole chain: exit 0 intact, 4 broken (an edited, removed or reordered entry)
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum AccountCommand {
    /// Create or change an account: OS user USER is officer OFFICER (CB-000012); a new
    /// account asks for a PIN (typed twice, not shown; or one line on stdin)
    Set {
        user: String,
        #[arg(value_name = "OFFICER")]
        officer_id: crate::domain::RecordId,
        /// Set a new PIN (always asked for a new account)
        #[arg(long)]
        pin: bool,
    },
    /// Every account: user, officer, whether it has a PIN, lockout
    List,
}

fn parse_since(text: &str) -> Result<crate::domain::Instant, String> {
    crate::domain::time::parse_instant(text)
        .or_else(|| {
            crate::domain::time::parse_date(text)
                .map(|d| crate::domain::time::local_day_start(d, 0))
        })
        .ok_or_else(|| {
            said(
                format!(
                    "{text:?} không phải thời điểm (dùng DD/MM/YYYY, YYYY-MM-DD, có thể kèm HH:MM)"
                ),
                format!(
                    "{text:?} is not a time (use DD/MM/YYYY, YYYY-MM-DD, or either with HH:MM)"
                ),
            )
        })
}

fn parse_campaign(text: &str) -> Result<crate::domain::RecordId, String> {
    text.parse::<crate::domain::RecordId>()
        .ok()
        .filter(|id| id.kind() == Kind::Campaign)
        .ok_or_else(|| {
            said(
                format!("{text:?} không phải mã chuyên đề"),
                format!("{text:?} is not a campaign ID"),
            )
        })
}

fn parse_id_of(text: &str, kind: Kind, example: &str) -> Result<crate::domain::RecordId, String> {
    text.parse::<crate::domain::RecordId>()
        .ok()
        .filter(|id| id.kind() == kind)
        .ok_or_else(|| {
            said(
                format!("{text:?} không phải mã dạng {example}"),
                format!("{text:?} is not an ID like {example}"),
            )
        })
}

fn parse_assignment(text: &str) -> Result<crate::domain::RecordId, String> {
    parse_id_of(text, Kind::Assignment, "PC-000003")
}

fn parse_handover(text: &str) -> Result<crate::domain::RecordId, String> {
    parse_id_of(text, Kind::Handover, "GC-000007")
}

fn parse_shift(text: &str) -> Result<crate::domain::Shift, String> {
    crate::domain::Shift::parse(text).ok_or_else(|| {
        said(
            format!("ca lạ {text:?} (cần day hoặc night)"),
            format!("unknown shift {text:?} (expected day or night)"),
        )
    })
}

fn parse_assignment_role(text: &str) -> Result<crate::domain::AssignmentRole, String> {
    crate::domain::AssignmentRole::parse(text).ok_or_else(|| {
        said(
            format!("vai trò lạ {text:?} (cần leader hoặc member)"),
            format!("unknown role {text:?} (expected leader or member)"),
        )
    })
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    Kind::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        let names = names.join(", ");
        said(
            format!("loại lạ {text:?} (cần một trong: {names})"),
            format!("unknown kind {text:?} (expected one of: {names})"),
        )
    })
}

fn parse_format(text: &str) -> Result<crate::service::Format, String> {
    crate::service::Format::parse(text).ok_or_else(|| {
        said(
            format!("định dạng lạ {text:?} (cần csv hoặc json)"),
            format!("unknown format {text:?} (expected csv or json)"),
        )
    })
}

/// `export --format`: a data format import reads, or text for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Data(crate::service::Format),
    Text,
}

fn parse_export_format(text: &str) -> Result<ExportFormat, String> {
    match text {
        "text" => Ok(ExportFormat::Text),
        other => crate::service::Format::parse(other)
            .map(ExportFormat::Data)
            .ok_or_else(|| {
                said(
                    format!("định dạng lạ {text:?} (cần csv, json hoặc text)"),
                    format!("unknown format {text:?} (expected csv, json or text)"),
                )
            }),
    }
}

fn parse_night(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::domain::time::parse_date(text).ok_or_else(|| {
        said(
            format!("{text:?} không phải ngày (dùng DD/MM/YYYY hoặc YYYY-MM-DD)"),
            format!("{text:?} is not a date (use DD/MM/YYYY or YYYY-MM-DD)"),
        )
    })
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| {
        said(
            format!("ngôn ngữ lạ {text:?} (cần vi hoặc en)"),
            format!("unknown language {text:?} (expected vi or en)"),
        )
    })
}

/// A value parser's refusal in the language of the command line.
fn said(vi: String, en: String) -> String {
    super::told::early_lang().pick_owned(&vi, &en)
}
