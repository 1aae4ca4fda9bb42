//! Identity numbers, phone numbers and plates for fictional records, from ranges that no real
//! document or subscriber can have, so a sample record can never be mistaken for a real one:
//!
//! - CCCD: 12 digits starting `999` (no province has code 999);
//! - CMND: 9 digits starting `000`;
//! - passport: `ZZ` + 7 digits (no country issues `ZZ`);
//! - phone: every fictional phone number is `0213 555 xxxx`, whatever the holder's province;
//! - plates keep the real Lai Châu prefix 25: a plate alone identifies no one.
//!
//! Numbers are a permutation of a serial number, so distinct serials give distinct
//! numbers without a set of used ones: `scale` can make millions without remembering them.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::pick;
use crate::domain::{IdDocument, IdKind};

/// Serial ranges: persons count up from 0, guests from these offsets, so the two never
/// share a number by accident (a shared number is always a planted match). This holds for
/// stores of up to 500 000 persons with a CMND (older people get a CCCD beyond that) and
/// 5 million with a passport, far beyond any benchmark here.
pub const GUEST_CCCD_BASE: u64 = 500_000_000;
pub const GUEST_CMND_BASE: u64 = 500_000;
pub const GUEST_PASSPORT_BASE: u64 = 5_000_000;

/// A bijection on `0..10^digits`, affine, then the decimal digits reversed, then affine
/// again: consecutive serials land far apart and the seed moves everything.
fn permute(serial: u64, seed: u64, digits: u32) -> u64 {
    let domain = 10u64.pow(digits);
    // Odd and not a multiple of 5, hence coprime with every power of ten.
    let affine = |x: u64, a: u64, b: u64| {
        ((u128::from(x) * u128::from(a) + u128::from(b)) % u128::from(domain)) as u64
    };
    let reversed = |mut x: u64| {
        let mut r = 0;
        for _ in 0..digits {
            r = r * 10 + x % 10;
            x /= 10;
        }
        r
    };
    let x = affine(serial % domain, 387_420_489, splitmix(seed) % domain);
    affine(reversed(x), 7_919_813, splitmix(seed ^ 0x5A5A) % domain)
}

fn splitmix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub fn cccd(serial: u64, seed: u64) -> IdDocument {
    let n = permute(serial, seed, 9);
    IdDocument {
        kind: IdKind::Cccd,
        number: format!("999{n:09}"),
    }
}

pub fn cmnd(serial: u64, seed: u64) -> IdDocument {
    let n = permute(serial, seed, 6);
    IdDocument {
        kind: IdKind::Cmnd,
        number: format!("000{n:06}"),
    }
}

pub fn passport(serial: u64, seed: u64) -> IdDocument {
    let n = permute(serial, seed, 7);
    IdDocument {
        kind: IdKind::Passport,
        number: format!("ZZ{n:07}"),
    }
}

/// True when `doc` is in the reserved range of its kind (what the tests check).
#[cfg(test)]
pub fn is_reserved(doc: &IdDocument) -> bool {
    let n = &doc.number;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match doc.kind {
        IdKind::Cccd => n.len() == 12 && n.starts_with("999") && digits(n),
        IdKind::Cmnd => n.len() == 9 && n.starts_with("000") && digits(n),
        IdKind::Passport => n.len() == 9 && n.starts_with("ZZ") && digits(&n[2..]),
        IdKind::BorderPass | IdKind::Other => false,
    }
}

/// A fictional phone number: always `0213 555 xxxx` (see the module doc).
pub fn phone(rng: &mut ChaCha8Rng) -> String {
    format!("0213 555 {:04}", rng.random_range(0..10_000))
}

/// A Lai Châu plate: `25B1-234.56` (motorcycle) or `25A-123.45` (car, `C` for trucks).
pub fn plate(rng: &mut ChaCha8Rng) -> String {
    let (a, b) = (rng.random_range(0..1000), rng.random_range(0..100));
    if rng.random_bool(0.7) {
        let series = pick(rng, &['B', 'F', 'G', 'H', 'K', 'L', 'M', 'N', 'X']);
        format!("25{series}{}-{a:03}.{b:02}", rng.random_range(1..10))
    } else {
        format!("25{}-{a:03}.{b:02}", pick(rng, &['A', 'A', 'A', 'C', 'D']))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn serials_map_to_distinct_reserved_numbers() {
        let mut seen = BTreeSet::new();
        for serial in 0..20_000 {
            let doc = cccd(serial, 42);
            assert!(is_reserved(&doc), "{doc:?}");
            assert!(seen.insert(doc.number));
        }
        assert!(is_reserved(&cmnd(GUEST_CMND_BASE + 3, 42)));
        assert!(is_reserved(&passport(GUEST_PASSPORT_BASE + 3, 42)));
        assert_ne!(cmnd(3, 42), cmnd(GUEST_CMND_BASE + 3, 42));
        let all: BTreeSet<_> = (0..1_000_000).map(|s| cmnd(s, 7).number).collect();
        assert_eq!(all.len(), 1_000_000, "a bijection on the whole range");
    }
}
