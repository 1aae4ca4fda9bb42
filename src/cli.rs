//! The command line: argument parsing (clap), exit codes and machine-readable output.
//! Business logic stays in the service; a subcommand here only opens, calls and prints.
//!
//! Exit codes: 0 done; 1 failed (store, I/O); 2 bad input or usage (nothing written).

/// `println!` that returns the write's error instead of panicking: a reader that goes away
/// (`trucban search … | head`) ends the command quietly (see [`main`]), never with a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `print!` with the same promise as [`say!`].
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod args;
mod audit;
mod checklists;
mod commands;
mod config;
mod daemon;
mod desks;
mod export_file;
mod export_text;
mod handover;
mod help_vi;
mod imports;
mod open;
mod output;
mod progress;
mod roster;
mod safety;
mod sample_data;
mod themes;
mod told;
mod writes;

pub use config::Config;
pub use sample_data::{SAMPLE_SEED, sample_files, sample_records};

/// Checks a config file's text as `--config` would (for the fuzz tests): `file` names it in
/// messages.
pub fn parse_config(file: &str, text: &str) -> anyhow::Result<Config> {
    config::parse(file, text)
}

use std::process::ExitCode;

pub use args::{Cli, Command};

/// clap writes its frame of a usage error in English; its usual phrases in Vietnamese
/// (the value parsers' own sentences are already in the reader's language).
fn usage_line(line: &str, lang: crate::i18n::Lang) -> String {
    const PHRASES: [(&str, &str); 8] = [
        ("error: ", "lỗi: "),
        ("invalid value ", "giá trị không hợp lệ "),
        ("unexpected argument ", "tham số lạ "),
        (
            "the following required arguments were not provided:",
            "thiếu các tham số bắt buộc:",
        ),
        ("Usage: ", "Cách dùng: "),
        ("For more information, try ", "Xem thêm: "),
        ("a value is required for ", "cần một giá trị cho "),
        ("unrecognized subcommand ", "lệnh lạ "),
    ];
    let mut line = line.to_string();
    if lang == crate::i18n::Lang::Vi {
        for (en, vi) in PHRASES {
            line = line.replace(en, vi);
        }
        line = line.replace(" for '", " cho '");
    }
    line
}

/// The program's entry point after `main`.
pub fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    use std::io::Write;
    let mut grammar = Cli::command();
    if told::early_lang() == crate::i18n::Lang::Vi {
        grammar = help_vi::localized(grammar);
    }
    let parsed = grammar
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        // --help and --version: clap's own text, nothing from outside.
        Err(e) if !e.use_stderr() => e.exit(),
        // A usage error quotes the bad argument, which may come from a script fed with
        // outside data: plain text (no clap colours), neutralised line by line.
        Err(e) => {
            let lang = told::early_lang();
            let message: Vec<String> = e
                .render()
                .to_string()
                .lines()
                .map(|line| usage_line(line, lang))
                .map(|line| crate::domain::text::display_safe(&line).into_owned())
                .collect();
            let _ = writeln!(std::io::stderr(), "{}", message.join("\n"));
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    commands::run(cli)
}
