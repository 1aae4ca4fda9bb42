//! The command line: argument parsing (clap), exit codes and machine-readable output.
//! Business logic stays in the service; a subcommand here only opens, calls and prints.
//!
//! Exit codes: 0 done; 1 failed (store, I/O); 2 bad input or usage (nothing written).

mod checklists;
mod commands;
mod config;
mod daemon;
mod handover;
mod roster;
mod sample_data;
mod themes;

pub use sample_data::{SAMPLE_SEED, sample_files, sample_records};

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
    /// Export a collection in the format import reads (to stdout unless --output)
    Export {
        #[arg(value_parser = parse_kind, value_name = "KIND")]
        kind: Kind,
        #[arg(long, value_parser = parse_format, default_value = "csv")]
        format: crate::service::Format,
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
    /// Record counts per collection
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// The columns of a kind's import file, as a Markdown table
    Columns {
        #[arg(value_parser = parse_kind, value_name = "KIND")]
        kind: Option<Kind>,
    },
    /// The console's keys (built-in keymap), as Markdown tables
    Keys,
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

fn parse_night(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::domain::time::parse_date(text)
        .ok_or_else(|| format!("{text:?} is not a date (use YYYY-MM-DD)"))
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| format!("unknown language {text:?} (expected vi or en)"))
}

/// The program's entry point after `main`.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Not eprintln!: it panics when stderr is gone (a dropped SSH link).
            use std::io::Write;
            let message = crate::domain::text::display_safe(&format!("{e:#}")).into_owned();
            let _ = writeln!(std::io::stderr(), "trucban: {message}");
            ExitCode::from(1)
        }
    }
}
