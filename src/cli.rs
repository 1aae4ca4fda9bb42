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
mod imports;
mod open;
mod output;
mod roster;
mod safety;
mod sample_data;
mod themes;
mod writes;

pub use config::Config;
pub use sample_data::{SAMPLE_SEED, sample_files, sample_records};

/// Checks a config file's text as `--config` would (for the fuzz tests): `file` names it in
/// messages.
pub fn parse_config(file: &str, text: &str) -> anyhow::Result<Config> {
    config::parse(file, text)
}

use std::process::ExitCode;

use clap::Parser;

pub use args::{Cli, Command};

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
        // The reader of stdout went away (`| head`): what it wanted it has; nothing to say.
        Err(e)
            if e.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
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
