//! Search: finds a Vietnamese name however it is typed — with or without marks (NFC or NFD),
//! words in any order, a middle name left out, a typo, a confusable sound — across every
//! collection, with field prefixes. The matcher (fuzzy-matcher for the last tier) stays
//! behind this module's API, so it can be swapped.

pub mod entry;
pub mod fold;
pub mod index;
pub mod persist;
pub mod query;
mod strings;
#[cfg(test)]
mod tests;
mod tiers;
mod weight;

pub use entry::{Entry, detail_of, entries_of};
pub use index::{Hit, SearchIndex};
pub use query::Query;
