//! The command line: argument parsing (clap), exit codes and machine-readable output.
//! Business logic stays in the service; a subcommand here only opens, calls and prints.
//!
//! Exit codes: 0 done; 1 failed (store, I/O); 2 bad input or usage (nothing written).

mod audit;
mod checklists;
mod commands;
mod config;
mod daemon;
mod export_file;
mod export_text;
mod handover;
mod imports;
mod open;
mod output;
mod roster;
mod safety;
mod sample_data;
mod themes;

pub use config::Config;
pub use sample_data::{SAMPLE_SEED, sample_files, sample_records};

/// Checks a config file's text as `--config` would (for the fuzz tests): `file` names it in
/// messages.
pub fn parse_config(file: &str, text: &str) -> anyhow::Result<Config> {
    config::parse(file, text)
}

use std::path::PathBuf;
use std::process::ExitCode;

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
}

fn parse_officer(text: &str) -> Result<crate::domain::RecordId, String> {
    text.parse::<crate::domain::RecordId>()
        .ok()
        .filter(|id| id.kind() == Kind::Officer)
        .ok_or_else(|| format!("{text:?} is not an officer ID (expected CB-000012)"))
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
        /// First night, local date YYYY-MM-DD [default: 6 nights before --to]
        #[arg(long, value_parser = parse_night, value_name = "DATE")]
        from: Option<chrono::NaiveDate>,
        /// Last night, local date YYYY-MM-DD [default: today]
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
    /// A campaign roster: `check` its problems (exit 3 when some), `show` its grid
    Roster {
        #[command(subcommand)]
        action: RosterCommand,
    },
    /// The shift handover sheet (sổ giao ca), to paste into a report or a message
    Handover {
        /// current, previous, or a handover's ID (GC-000007)
        #[arg(long, default_value = "current", value_name = "current|previous|ID")]
        shift: String,
        /// text (fits 80 columns), md, or json
        #[arg(long, default_value = "text", value_parser = handover::parse_output, value_name = "text|md|json")]
        format: handover::Output,
    },
    /// The periodic report for local dates FROM..=TO, beside the period of the same length before
    Report {
        #[arg(long, value_parser = parse_night, value_name = "DATE")]
        from: chrono::NaiveDate,
        #[arg(long, value_parser = parse_night, value_name = "DATE")]
        to: chrono::NaiveDate,
        /// text (fits 80 columns), md, or json
        #[arg(long, default_value = "text", value_parser = handover::parse_output, value_name = "text|md|json")]
        format: handover::Output,
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
        /// Only entries since this local time (YYYY-MM-DD or YYYY-MM-DD HH:MM)
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
    Backup { file: PathBuf },
    /// Restore a backup into an empty --data-dir (verified before anything is written), then check it
    Restore { file: PathBuf },
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
        #[arg(long, default_value_t = sample_data::SAMPLE_SEED)]
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
        /// One local day, YYYY-MM-DD [default: every day of the campaign]
        #[arg(long, value_parser = parse_night, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
        /// An array of {date, shift, start, end, posts: [{post, slots}]}
        #[arg(long)]
        json: bool,
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
        .ok_or_else(|| format!("{text:?} is not a time (use YYYY-MM-DD or YYYY-MM-DD HH:MM)"))
}

fn parse_campaign(text: &str) -> Result<crate::domain::RecordId, String> {
    text.parse::<crate::domain::RecordId>()
        .ok()
        .filter(|id| id.kind() == Kind::Campaign)
        .ok_or_else(|| format!("{text:?} is not a campaign ID"))
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    Kind::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        format!(
            "unknown kind {text:?} (expected one of: {})",
            names.join(", ")
        )
    })
}

fn parse_format(text: &str) -> Result<crate::service::Format, String> {
    crate::service::Format::parse(text)
        .ok_or_else(|| format!("unknown format {text:?} (expected csv or json)"))
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
            .ok_or_else(|| format!("unknown format {text:?} (expected csv, json or text)")),
    }
}

fn parse_night(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::domain::time::parse_date(text)
        .ok_or_else(|| format!("{text:?} is not a date (use YYYY-MM-DD)"))
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| format!("unknown language {text:?} (expected vi or en)"))
}

/// The program's entry point after `main`.
pub fn main() -> ExitCode {
    use std::io::Write;
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version: clap's own text, nothing from outside.
        Err(e) if !e.use_stderr() => e.exit(),
        // A usage error quotes the bad argument, which may come from a script fed with
        // outside data: plain text (no clap colours), neutralised line by line.
        Err(e) => {
            let message: Vec<String> = e
                .render()
                .to_string()
                .lines()
                .map(|line| crate::domain::text::display_safe(line).into_owned())
                .collect();
            let _ = writeln!(std::io::stderr(), "{}", message.join("\n"));
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Not eprintln!: it panics when stderr is gone (a dropped SSH link).
            // Line by line, so a multi-line message (a TOML error quoting the line) keeps its
            // shape while nothing in it can drive the terminal.
            let message = format!("{e:#}")
                .lines()
                .map(|line| crate::domain::text::display_safe(line).into_owned())
                .collect::<Vec<_>>()
                .join("\n");
            let _ = writeln!(std::io::stderr(), "trucban: {message}");
            ExitCode::from(1)
        }
    }
}
