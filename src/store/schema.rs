//! The store's schema version and the migration hook. A store records the schema it was
//! written with; opening runs every step from there to [`SCHEMA_VERSION`] and refuses a
//! store from a newer trucban rather than misreading it.

use super::{Result, Store, StoreError};

pub const SCHEMA_VERSION: u32 = 1;
const KEY: &[u8] = b"schema_version";

/// `MIGRATIONS[i]` brings a store from schema `i + 1` to `i + 2`. Empty while there is
/// only schema 1; a step rewrites whatever it must in one transaction.
const MIGRATIONS: &[fn(&Store) -> Result<()>] = &[];

pub(super) fn migrate(store: &Store) -> Result<()> {
    let found = match store.meta.get(KEY)? {
        Some(bytes) => u32::from_be_bytes(bytes.as_ref().try_into().map_err(|_| StoreError::Decode {
            tree: "meta".into(),
            key: "schema_version".into(),
            reason: format!("{} bytes, expected 4", bytes.len()),
        })?),
        None => {
            store.meta.insert(KEY, &SCHEMA_VERSION.to_be_bytes())?;
            store.make_durable()?;
            return Ok(());
        }
    };
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew { found, supported: SCHEMA_VERSION });
    }
    for version in found..SCHEMA_VERSION {
        let step = MIGRATIONS.get(version as usize - 1).ok_or(StoreError::Decode {
            tree: "meta".into(),
            key: "schema_version".into(),
            reason: format!("no migration from schema {version}"),
        })?;
        step(store)?;
        store.meta.insert(KEY, &(version + 1).to_be_bytes())?;
        store.make_durable()?;
    }
    Ok(())
}

#[cfg(test)]
pub(super) fn set_version_for_test(store: &Store, version: u32) -> Result<()> {
    store.meta.insert(KEY, &version.to_be_bytes())?;
    store.make_durable()
}
