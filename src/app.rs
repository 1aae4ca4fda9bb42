//! The console application: a pure core and the shell that runs it.
//!
//! The core is [`update::update`] over [`state::State`]: it takes the [`messages`]
//! (`Action` in, with `Ctx` — the time and the keymap —, `Effect`s out in an `Outcome`) and
//! reads only data: [`table`], [`forms`], [`cmdline`], [`keymap`], [`keys`], [`views`],
//! [`search_box`], [`roster_page`], [`lock`], [`log_line`], [`period`], [`duty_line`] (the
//! status line's words), [`help`] (what `?` lists). It imports neither
//! the service nor the clock, nor the shell (`tests/guards.rs` checks it).
//!
//! The [`shell`] runs the core against the terminal, the service ([`DeskApi`]) and the
//! drafts on disk: it turns keys and answers into actions and performs the effects —
//! loading views and details (`shell/present*.rs` turn records into rows and details at the
//! `now` they are handed), the roster page (`shell/roster_loader.rs`), saving, drafts.
//!
//! [`DeskApi`]: crate::service::DeskApi

pub mod cmdline;
pub mod command;
pub mod duty_line;
pub mod forms;
pub mod help;
pub mod keymap;
pub mod keys;
pub mod lock;
pub mod log_line;
pub mod messages;
pub mod period;
pub mod roster_page;
pub mod search_box;
pub mod shell;
pub mod state;
pub mod table;
pub mod update;
pub mod views;

pub use shell::{App, Options, lean_backend, present, run as run_console};
