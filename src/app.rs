//! The console application: [`state`] holds the pure core (`update`), [`shell`] runs it
//! against the terminal and the service.

pub mod shell;
pub mod state;

use crate::i18n::Lang;
use crate::service::DeskApi;

/// Opens the console over a service until the officer quits or the link drops.
pub fn run_console(desk: &dyn DeskApi, lang: Lang) -> anyhow::Result<()> {
    shell::run(desk, lang)
}
