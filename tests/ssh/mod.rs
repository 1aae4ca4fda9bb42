//! The console over a real SSH link: a deployment from the repo's files ([`deploy`]), a
//! counting and shaping relay on the link ([`relay`]), and the officer's terminal
//! ([`terminal`]). Used by `tests/over_ssh.rs` and `benches/over_ssh.rs`.

#![allow(dead_code)] // shared by the test and the bench, which use different parts

pub mod deploy;
pub mod relay;
pub mod terminal;

use std::time::Duration;

use deploy::{Deployment, Officer};
use relay::Relay;
use terminal::Terminal;

/// The two officers of the tests: duty officers of the sample.
pub const OFFICERS: [Officer; 2] = [
    Officer {
        user: "tb-ssh-a",
        officer: "CB-000013",
    },
    Officer {
        user: "tb-ssh-b",
        officer: "CB-000014",
    },
];

/// A user outside the group `trucban`, who gets a shell: tig runs there (the anchor).
pub const TIG_USER: &str = "tb-ssh-tig";

/// How long a first screen may take through sshd (unoptimised build, a loaded machine).
pub const FIRST_SCREEN: Duration = Duration::from_secs(30);

/// The officer's first screen: "Shift at a glance" with its rows.
pub fn first_screen(screen: &str) -> bool {
    (screen.contains("Tình hình ca trực") || screen.contains("Shift at a glance"))
        && screen.contains('▶')
}

/// `user` logs in through `relay`; returns once the console's first screen is drawn.
pub fn log_in(deployment: &Deployment, relay: &Relay, user: &str) -> Terminal {
    let terminal = Terminal::start(deployment.ssh(user, relay.port, &[]));
    terminal.wait(
        &format!("{user}'s first screen"),
        FIRST_SCREEN,
        &first_screen,
    );
    terminal
}

/// The screen shows `view`'s rows (its ID prefix) with a row selected.
pub fn shows_rows(screen: &str, prefix: &str) -> bool {
    screen
        .lines()
        .any(|line| line.contains('▶') && line.contains(prefix))
}
