//! What the command line says when something fails: one line, `trucban [CODE]: sentence`, in
//! the reader's language (`--lang`, the config's `lang`, else `LANG`). The code is stable
//! for scripts; the sentence comes from where the failure was made, in both languages.

use crate::i18n::{Lang, Said};
use crate::service::ServiceError;
use crate::store::StoreError;
use crate::store::backup::BackupError;

/// A refusal or failure of the command line itself (a config file, an unreadable input),
/// with its code and both texts.
#[derive(Debug)]
pub(super) struct Told {
    pub code: &'static str,
    pub said: Said,
}

impl std::fmt::Display for Told {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.said.en)
    }
}

impl std::error::Error for Told {}

/// `Err(told(…))` in a command: the error said in both languages.
pub(super) fn told(
    code: &'static str,
    vi: impl Into<String>,
    en: impl Into<String>,
) -> anyhow::Error {
    Told {
        code,
        said: Said::new(vi, en),
    }
    .into()
}

/// A file the command cannot read or write: its name and what the system said.
pub(super) fn file_failed(
    code: &'static str,
    path: &std::path::Path,
    e: &std::io::Error,
) -> anyhow::Error {
    let (name, io) = (path.display(), crate::i18n::io_error(e));
    told(
        code,
        format!("{name}: {}", io.vi),
        format!("{name}: {}", io.en),
    )
}

/// The code and the sentence of any error a command ends with.
pub(super) fn in_language(e: &anyhow::Error, lang: Lang) -> (String, String) {
    if let Some(told) = e.downcast_ref::<Told>() {
        return (told.code.to_string(), told.said.get(lang).to_string());
    }
    if let Some(service) = e.downcast_ref::<ServiceError>() {
        return (service.code(), service.label(lang));
    }
    if let Some(store) = e.downcast_ref::<StoreError>() {
        return (store.code().to_string(), store.said().get(lang).to_string());
    }
    if let Some(backup) = e.downcast_ref::<BackupError>() {
        return (
            backup.code().to_string(),
            backup.said().get(lang).to_string(),
        );
    }
    if let Some(socket) = e.downcast_ref::<crate::service::daemon::socket::SocketError>() {
        return ("daemon.socket".into(), socket.said().get(lang).to_string());
    }
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return ("io".into(), crate::i18n::io_error(io).get(lang).to_string());
    }
    // Anything else is a library's own words (a theme or keymap file's parser…), which
    // already name the file and the line.
    ("error".into(), format!("{e:#}"))
}

/// Ends a command that failed: nothing said when the reader of stdout went away (`| head`:
/// what it wanted it has), else the one line on stderr, exit 1.
pub(super) fn report(e: &anyhow::Error, lang: Lang) -> std::process::ExitCode {
    use std::io::Write;
    let broken_pipe = e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    });
    // A bar still on screen is cleared before the message.
    crate::progress::finish();
    if broken_pipe {
        return std::process::ExitCode::SUCCESS;
    }
    let (code, text) = in_language(e, lang);
    // Line by line, so a multi-line message (a TOML error quoting the line) keeps its shape
    // while nothing in it can drive the terminal.
    let text = text
        .lines()
        .map(|line| crate::domain::text::display_safe(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n");
    // Not eprintln!: it panics when stderr is gone (a dropped SSH link).
    let _ = writeln!(std::io::stderr(), "trucban [{code}]: {text}");
    std::process::ExitCode::from(1)
}

/// The language of a usage error, found before the arguments are parsed: `--lang` as
/// written on the command line, else `LANG` (the config file is read only after parsing).
pub fn early_lang() -> Lang {
    let args: Vec<String> = std::env::args().collect();
    let given = args
        .iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1).cloned(),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        });
    given
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_else(Lang::from_env)
}
