//! trucban: the duty-desk console of Lai Châu province police (placeholder map).
pub mod domain;
pub mod i18n;
pub mod store;
