//! Placeholder until the generator lands.
pub fn reference_end() -> crate::domain::Instant {
    chrono::DateTime::from_timestamp(1_763_226_000, 0).unwrap_or_default()
}
pub fn sample(_seed: u64) -> Vec<crate::domain::Record> {
    Vec::new()
}
pub fn scale(
    _p: u64,
    _s: u64,
    _sink: &mut dyn FnMut(Vec<crate::domain::Record>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    Ok(())
}
