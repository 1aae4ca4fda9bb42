//! Officer PINs, kept only as Argon2id hashes (PHC strings: a random salt and the
//! parameters inside). Argon2id's default cost (19 MiB, 2 passes) makes each guess slow;
//! the lockout after five wrong PINs ([`crate::domain::access::attempt`]) bounds the rest.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use super::{Result, ServiceError};

/// The PHC string of `pin` with a fresh random salt.
pub fn hash(pin: &str) -> Result<String> {
    Argon2::default()
        .hash_password(pin.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| {
            ServiceError::invalid(
                format!("không băm được mã PIN: {e}"),
                format!("cannot hash the PIN: {e}"),
            )
        })
}

/// Whether `pin` matches `phc` (false for an empty or unreadable hash).
pub fn check(phc: &str, pin: &str) -> bool {
    PasswordHash::new(phc).ok().is_some_and(|h| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_pin_checks_against_its_salted_hash_only() {
        let a = super::hash("246810").expect("hash");
        let b = super::hash("246810").expect("hash");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "a fresh salt each time");
        assert!(super::check(&a, "246810"));
        assert!(!super::check(&a, "246811"));
        assert!(!super::check("", "246810"));
        assert!(!a.contains("246810"));
    }
}
