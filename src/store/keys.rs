//! Order-preserving key encoding, by hand so the byte order is ours and stays stable:
//! big-endian unsigned integers, sign-flipped signed integers and timestamps, and text as
//! NFC lower-case with 0x00 escaped and a 0x00 0x00 terminator (so `ab` < `abc` < `b`).

use chrono::{Datelike, NaiveDate};
use unicode_normalization::UnicodeNormalization;

use crate::domain::{Instant, Kind, RecordId};

#[derive(Default, Clone, Debug)]
pub struct KeyBuf(Vec<u8>);

impl KeyBuf {
    pub fn new() -> Self {
        KeyBuf(Vec::with_capacity(24))
    }

    pub fn u64(mut self, v: u64) -> Self {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// Flipping the sign bit makes two's complement sort as unsigned.
    pub fn i64(mut self, v: i64) -> Self {
        self.0
            .extend_from_slice(&((v as u64) ^ (1 << 63)).to_be_bytes());
        self
    }

    pub fn instant(self, t: Instant) -> Self {
        self.i64(t.timestamp())
    }

    pub fn date(self, d: NaiveDate) -> Self {
        self.i64(i64::from(d.num_days_from_ce()))
    }

    /// NFC, lower-case; 0x00 inside is written 0x00 0xFF; ends with 0x00 0x00.
    pub fn text(mut self, s: &str) -> Self {
        let normal: String = s.nfc().flat_map(char::to_lowercase).collect();
        for b in normal.bytes() {
            self.0.push(b);
            if b == 0 {
                self.0.push(0xFF);
            }
        }
        self.0.extend_from_slice(&[0, 0]);
        self
    }

    pub fn id(self, id: RecordId) -> Self {
        self.u64(id.num())
    }

    pub fn finish(self) -> Vec<u8> {
        self.0
    }
}

/// The key of a record in its own tree: its number, big-endian.
pub fn record_key(id: RecordId) -> [u8; 8] {
    id.num().to_be_bytes()
}

/// Reads the record number back from a record key or from the last 8 bytes of an index key.
pub fn id_from_key_tail(kind: Kind, key: &[u8]) -> Option<RecordId> {
    let tail: [u8; 8] = key.get(key.len().checked_sub(8)?..)?.try_into().ok()?;
    Some(RecordId::new(kind, u64::from_be_bytes(tail)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn encode(t: &(i64, String, u64)) -> Vec<u8> {
        KeyBuf::new().i64(t.0).text(&t.1).u64(t.2).finish()
    }

    fn normal(s: &str) -> String {
        s.nfc().flat_map(char::to_lowercase).collect()
    }

    proptest! {
        #[test]
        fn byte_order_equals_value_order(
            a in (any::<i64>(), "\\PC{0,6}|[a\\x00b]{0,4}", any::<u64>()),
            b in (any::<i64>(), "\\PC{0,6}|[a\\x00b]{0,4}", any::<u64>()),
        ) {
            let value_order = (a.0, normal(&a.1).into_bytes(), a.2)
                .cmp(&(b.0, normal(&b.1).into_bytes(), b.2));
            prop_assert_eq!(encode(&a).cmp(&encode(&b)), value_order);
        }

        #[test]
        fn dates_and_instants_keep_order(x in -100_000i64..100_000, y in -100_000i64..100_000) {
            let base = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");
            let (dx, dy) = (base + chrono::Duration::days(x), base + chrono::Duration::days(y));
            prop_assert_eq!(KeyBuf::new().date(dx).finish().cmp(&KeyBuf::new().date(dy).finish()), dx.cmp(&dy));
            let (tx, ty) = (Instant::UNIX_EPOCH + chrono::Duration::minutes(x * 37), Instant::UNIX_EPOCH + chrono::Duration::minutes(y * 37));
            prop_assert_eq!(KeyBuf::new().instant(tx).finish().cmp(&KeyBuf::new().instant(ty).finish()), tx.cmp(&ty));
        }
    }

    #[test]
    fn text_prefix_sorts_before_longer_text() {
        let k = |s: &str| KeyBuf::new().text(s).u64(1).finish();
        assert!(k("ab") < k("abc"));
        assert!(k("abc") < k("b"));
        assert!(k("a\u{0}") > k("a"));
        assert_eq!(k("Giàng"), k("GIÀNG"));
    }

    #[test]
    fn id_round_trips_through_key_tail() {
        let id = RecordId::new(Kind::GuestStay, 4512);
        let key = KeyBuf::new().instant(Instant::UNIX_EPOCH).id(id).finish();
        assert_eq!(id_from_key_tail(Kind::GuestStay, &key), Some(id));
        assert_eq!(id_from_key_tail(Kind::GuestStay, &[1, 2]), None);
    }
}
