//! The console application. The pure core is [`update`] over [`state`] (with [`table`],
//! [`forms`], [`cmdline`], [`keymap`] as data); [`shell`] runs it against the terminal,
//! the service ([`present`] turns records into rows and details) and the drafts on disk.

pub mod cmdline;
pub mod command;
pub mod drafts;
pub mod forms;
pub mod keymap;
pub mod keys;
pub mod lean_backend;
pub mod lock;
pub mod log_line;
pub mod present;
mod present_group;
mod present_handover;
mod present_hit;
mod present_report;
mod present_roster;
mod present_tip;
pub mod pushed;
pub mod roster_page;
pub mod search_box;
pub mod shell;
pub mod state;
pub mod table;
pub mod update;
pub mod views;

pub use shell::{App, Options, run as run_console};
