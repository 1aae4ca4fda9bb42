//! Faults of the disk under the store: damage and failed writes.
//!
//! Damage: sled 0.34 checks a CRC on every log message it reads, but some damage makes it
//! panic instead of returning an error (an impossible length, a page it cannot find). Every
//! entry into sled that can meet damage — opening, checking, backing up — runs under
//! [`guard`], which turns a panic into [`StoreError::Corrupt`] pointing to restore.
//!
//! Failed writes (disk full, EFBIG, EIO): once sled fails to write its log it sets a global
//! error and refuses every later write, though it keeps serving reads from what it holds.
//! The store says so in its own words ([`StoreError::ReadOnly`]) and remembers it, so that
//! every later write is refused at once with the same message, before touching sled.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use super::{Result, SledBackend, StoreError};

/// Runs `f`; a panic inside (sled meeting damage) becomes [`StoreError::Corrupt`], and so
/// does sled's own corruption error.
pub(super) fn guard<T>(dir: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let corrupt = |reason: String| StoreError::Corrupt {
        dir: dir.to_path_buf(),
        reason,
    };
    quiet_panics_in_guard();
    GUARDED.with(|g| g.set(g.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get().saturating_sub(1)));
    match result {
        Ok(Err(StoreError::Sled(sled::Error::Corruption { at, .. }))) => Err(corrupt(match at {
            Some(at) => format!("sled found a damaged log entry at {at:?}"),
            None => "sled found a damaged log entry".into(),
        })),
        Ok(Err(StoreError::Sled(sled::Error::Unsupported(what)))) => {
            Err(corrupt(format!("sled cannot read its files: {what}")))
        }
        Ok(Err(StoreError::Sled(sled::Error::ReportableBug(what)))) => {
            Err(corrupt(format!("sled could not read its files: {what}")))
        }
        Ok(other) => other,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Err(corrupt(format!(
                "sled stopped on damaged data: {}",
                crate::domain::text::display_safe(&what)
            )))
        }
    }
}

thread_local! {
    /// How many guards this thread is inside.
    static GUARDED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// A panic caught by [`guard`] is reported as [`StoreError::Corrupt`]; the default hook
/// would also spill "thread panicked" and a backtrace onto the officer's terminal. Installed
/// once, chaining to the hook that was there, silent only inside a guard on its own thread.
fn quiet_panics_in_guard() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(|g| g.get()) == 0 {
                previous(info);
            }
        }));
    });
}

impl SledBackend {
    /// Refuses a write at once when an earlier one failed on the disk.
    pub(super) fn refuse_if_read_only(&self) -> Result<()> {
        match self.read_only.get() {
            Some(reason) => Err(StoreError::ReadOnly {
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }

    /// The reason the store went read-only, if it did.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.get().map(String::as_str)
    }

    /// Passes a read's result on. After a failed write sled may answer a read (one a write
    /// makes first, as a save does) with its stored I/O error: that is the store being
    /// read-only, said as such, not the raw error of an earlier write.
    pub(super) fn read_after_failure<T>(&self, result: Result<T>) -> Result<T> {
        match (result, self.read_only.get()) {
            (Err(StoreError::Sled(sled::Error::Io(_))), Some(reason)) => {
                Err(StoreError::ReadOnly {
                    reason: reason.clone(),
                })
            }
            (result, _) => result,
        }
    }

    /// Passes a write's result on; an I/O failure (sled's or the fsync's) makes the store
    /// read-only and is said as such.
    pub(super) fn note_write_failure<T>(&self, result: Result<T>) -> Result<T> {
        let reason = match &result {
            Err(StoreError::Sled(sled::Error::Io(e))) | Err(StoreError::Io { source: e, .. }) => {
                describe_io(e)
            }
            _ => return result,
        };
        let reason = self.read_only.get_or_init(|| reason).clone();
        Err(StoreError::ReadOnly { reason })
    }
}

fn describe_io(e: &std::io::Error) -> String {
    // sled wraps the OS error, so ask its kind rather than its number.
    use std::io::ErrorKind;
    let inner = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<std::io::Error>())
        .unwrap_or(e);
    match inner.kind() {
        ErrorKind::FileTooLarge => "the store file may not grow (file size limit)".into(),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "the disk is full".into(),
        kind => format!("a write to the disk failed ({kind})"),
    }
}
