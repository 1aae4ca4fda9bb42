//! trucban: the duty-desk console of Lai Châu province police (placeholder map).
pub mod app;
pub mod cli;
pub mod domain;
pub mod i18n;
pub mod sample;
pub mod service;
pub mod store;
pub mod ui;
