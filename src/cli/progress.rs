//! The command line's view of long work (see [`crate::progress`]): one `indicatif` bar on
//! stderr — a bar with a count when the stage knows its total, a spinner with a count when
//! it does not — cleared when the work ends. Installed only when stdout and stderr are
//! terminals: a script, a pipe or a file gets the command's output and nothing else.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::i18n::Lang;
use crate::progress::{Stage, View};

/// The commands whose work can take long enough to be followed.
pub(super) fn is_long(command: &Option<super::Command>) -> bool {
    use super::Command as C;
    matches!(
        command,
        Some(
            C::Import { .. }
                | C::Screen { .. }
                | C::Export { .. }
                | C::Gen { .. }
                | C::Check { .. }
                | C::Backup { .. }
                | C::Restore { .. }
                | C::Search { .. }
        )
    )
}

/// Through the daemon the work is done there, out of sight: say so while it runs.
pub(super) fn waiting_on(place: &super::open::Place) {
    if matches!(place, super::open::Place::Daemon(_)) {
        crate::progress::stage(Stage::Waiting, None);
    }
}

/// Installs the bar when a person is watching (stdout and stderr on a terminal).
pub(super) fn install_on_terminal(lang: Lang) {
    if std::io::stdout().is_terminal() && std::io::stderr().is_terminal() {
        crate::progress::install(Box::new(Bar {
            lang,
            bar: Mutex::new(None),
        }));
    }
}

struct Bar {
    lang: Lang,
    bar: Mutex<Option<ProgressBar>>,
}

impl View for Bar {
    fn stage(&self, stage: Stage, total: Option<u64>) {
        let Ok(mut slot) = self.bar.lock() else {
            return;
        };
        if let Some(old) = slot.take() {
            old.finish_and_clear();
        }
        let unit = stage.unit(self.lang);
        let bar = match total {
            Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
                .with_style(
                    ProgressStyle::with_template(&format!(
                        "{{msg}} [{{bar:30}}] {{pos}}/{{len}} {unit} ({{eta}})"
                    ))
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                ),
            None => {
                // A stage that counts nothing shows only that it is alive.
                let template = if unit.is_empty() {
                    "{spinner} {msg} ({elapsed})".to_string()
                } else {
                    format!("{{spinner}} {{msg}} {{pos}} {unit} ({{elapsed}})")
                };
                ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                    ProgressStyle::with_template(&template)
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                )
            }
        };
        bar.set_message(stage.label(self.lang));
        // A stage that reports nothing for a while still shows it is alive.
        bar.enable_steady_tick(Duration::from_millis(200));
        *slot = Some(bar);
    }

    fn advance(&self, done: u64) {
        if let Ok(slot) = self.bar.lock()
            && let Some(bar) = slot.as_ref()
        {
            bar.inc(done);
        }
    }

    fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(bar) = slot.take()
        {
            bar.finish_and_clear();
        }
    }
}
