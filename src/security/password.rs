//! Argon2id password hashing. Hashing is slow by design: call these from `web::block` or
//! `spawn_blocking`, never on the async runtime.

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

use crate::settings::AuthSettings;

/// Argon2id with the configured cost. Verification reads the cost stored in each hash.
#[derive(Debug, Clone)]
pub struct PasswordHashing {
    params: Params,
}

/// A hash that could not be made (bad parameters) or a stored hash that cannot be parsed.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashingError(String);

impl PasswordHashing {
    /// # Errors
    /// When the configured Argon2 parameters are out of range.
    pub fn new(settings: &AuthSettings) -> Result<Self, HashingError> {
        let params =
            Params::new(settings.argon2_memory_kib, settings.argon2_iterations, settings.argon2_parallelism, None)
                .map_err(|e| HashingError(e.to_string()))?;
        Ok(Self { params })
    }

    fn hasher(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// Hashes a password into a PHC string (`$argon2id$v=19$m=…`), with a fresh random salt.
    ///
    /// # Errors
    /// When the random source or the hasher fails.
    pub fn hash(&self, password: &str) -> Result<String, HashingError> {
        self.hasher()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| HashingError(e.to_string()))
    }

    /// Whether `password` matches the stored PHC string. A malformed stored hash never matches.
    pub fn verify(&self, password: &str, stored: &str) -> bool {
        match PasswordHash::new(stored) {
            Ok(parsed) => self.hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        }
    }

    /// Spends about the time of one verification, so that an unknown account answers as slowly as
    /// a known one.
    pub fn burn_verification_time(&self, password: &str) {
        let _ = self.hash(password);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> PasswordHashing {
        PasswordHashing::new(&AuthSettings {
            session_hours: 1,
            max_failed_logins: 5,
            lockout_minutes: 15,
            invitation_days: 14,
            argon2_memory_kib: 64,
            argon2_iterations: 1,
            argon2_parallelism: 1,
        })
        .unwrap()
    }

    #[test]
    fn a_hash_is_argon2id_and_verifies_only_the_same_password() {
        let hashing = cheap();
        let hash = hashing.hash("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(hashing.verify("correct horse battery", &hash));
        assert!(!hashing.verify("correct horse batterY", &hash));
        assert!(!hashing.verify("anything", "not a phc string"));
    }

    #[test]
    fn two_hashes_of_one_password_use_different_salts() {
        let hashing = cheap();
        assert_ne!(hashing.hash("same").unwrap(), hashing.hash("same").unwrap());
    }
}
