//! The store's schema version and the migration hook. A store records the schema it was
//! written with; opening runs every step from there to [`SCHEMA_VERSION`] and refuses a
//! store from a newer trucban rather than misreading it.

use super::{Result, SledBackend, StoreError};

pub const SCHEMA_VERSION: u32 = 1;
const KEY: &[u8] = b"schema_version";

/// `MIGRATIONS[i]` brings a store from schema `i + 1` to `i + 2`. Empty while there is
/// only schema 1; a step rewrites whatever it must in one transaction.
const MIGRATIONS: &[fn(&SledBackend) -> Result<()>] = &[];

pub(super) fn migrate(store: &SledBackend) -> Result<()> {
    migrate_to(store, SCHEMA_VERSION, MIGRATIONS)
}

fn migrate_to(
    store: &SledBackend,
    target: u32,
    steps: &[fn(&SledBackend) -> Result<()>],
) -> Result<()> {
    let bad = |reason: String| StoreError::Decode {
        tree: "meta".into(),
        key: "schema_version".into(),
        reason,
    };
    let found = match store.meta.get(KEY)? {
        Some(bytes) => u32::from_be_bytes(
            bytes
                .as_ref()
                .try_into()
                .map_err(|_| bad(format!("{} bytes, expected 4", bytes.len())))?,
        ),
        None => {
            store.meta.insert(KEY, &target.to_be_bytes())?;
            store.make_durable()?;
            return Ok(());
        }
    };
    if found > target {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: target,
        });
    }
    for version in found..target {
        let step = (version as usize)
            .checked_sub(1)
            .and_then(|i| steps.get(i))
            .ok_or_else(|| bad(format!("no migration from schema {version}")))?;
        step(store)?;
        store.meta.insert(KEY, &(version + 1).to_be_bytes())?;
        store.make_durable()?;
    }
    Ok(())
}

#[cfg(test)]
pub(super) fn set_version_for_test(store: &SledBackend, version: u32) -> Result<()> {
    store.meta.insert(KEY, &version.to_be_bytes())?;
    store.make_durable()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Instant;

    #[test]
    fn migration_steps_run_in_order_once() {
        let temp = tempfile::tempdir().expect("temp");
        let store = SledBackend::open(temp.path(), Instant::UNIX_EPOCH).expect("open");
        fn step_one(s: &SledBackend) -> Result<()> {
            s.meta.insert("step", b"one".as_slice())?;
            Ok(())
        }
        fn step_two(s: &SledBackend) -> Result<()> {
            let before = s.meta.get("step")?.map(|v| v.to_vec());
            assert_eq!(
                before.as_deref(),
                Some(b"one".as_slice()),
                "steps ran out of order"
            );
            s.meta.insert("step", b"two".as_slice())?;
            Ok(())
        }
        migrate_to(&store, 3, &[step_one, step_two]).expect("migrate");
        assert_eq!(
            store.meta.get("step").expect("get").as_deref(),
            Some(b"two".as_slice())
        );
        assert_eq!(
            store.meta.get(KEY).expect("get").as_deref(),
            Some(3u32.to_be_bytes().as_slice())
        );
        // Already at 3: nothing runs again.
        migrate_to(
            &store,
            3,
            &[|_| panic!("ran twice"), |_| panic!("ran twice")],
        )
        .expect("no-op");
        set_version_for_test(&store, 0).expect("set");
        assert!(
            migrate_to(&store, 1, &[]).is_err(),
            "schema 0 has no step and must be an error"
        );
    }
}
