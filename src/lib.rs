//! trucban: the duty-desk console of Lai Châu province police (placeholder map, rewritten below).
pub mod domain;
pub mod i18n;
