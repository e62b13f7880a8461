//! Custody of the content keys that encrypt HLS renditions. Each key is random, one per
//! track and rendition, and stored only wrapped (AES-256-GCM) under the key-encryption key
//! (KEK) from the configuration, bound to its track and rendition as associated data: a copy
//! of the database alone decrypts nothing, and a wrapped key moved to another row fails.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use tonearm_domain::TrackId;

/// A rendition's AES-128 content key, as the key endpoint hands it to entitled players.
pub type ContentKey = [u8; 16];

const NONCE_BYTES: usize = 12;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StreamKeyError {
    #[error("the media key-encryption key must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)")]
    MalformedKek,
    #[error("a stored stream key cannot be unwrapped: the key-encryption key differs from the one that wrapped it")]
    Unwrap,
}

/// The key-encryption key. Its `Debug` output hides the key.
#[derive(Clone)]
pub struct KeyEncryptionKey(Aes256Gcm);

impl std::fmt::Debug for KeyEncryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyEncryptionKey(…)")
    }
}

impl KeyEncryptionKey {
    /// A fresh random KEK, base64-encoded as the configuration holds it.
    pub fn generate_base64() -> String {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        STANDARD.encode(bytes)
    }

    pub fn from_base64(text: &str) -> Result<Self, StreamKeyError> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| StreamKeyError::MalformedKek)?;
        let cipher = Aes256Gcm::new_from_slice(&bytes).map_err(|_| StreamKeyError::MalformedKek)?;
        Ok(Self(cipher))
    }

    /// A new random content key and its wrapped form for the store.
    pub fn new_content_key(&self, track: TrackId, rendition: &str) -> (ContentKey, Vec<u8>) {
        let mut key = ContentKey::default();
        rand::rng().fill_bytes(&mut key);
        (key, self.wrap(track, rendition, &key))
    }

    /// `nonce ‖ ciphertext ‖ tag`, with the track and rendition as associated data.
    pub fn wrap(&self, track: TrackId, rendition: &str, key: &ContentKey) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let aad = associated_data(track, rendition);
        let sealed = self
            .0
            .encrypt(&Nonce::from(nonce), Payload { msg: key, aad: aad.as_bytes() })
            .expect("AES-GCM encrypts 16 bytes");
        [nonce.as_slice(), &sealed].concat()
    }

    pub fn unwrap(&self, track: TrackId, rendition: &str, wrapped: &[u8]) -> Result<ContentKey, StreamKeyError> {
        let (nonce, sealed) = wrapped.split_at_checked(NONCE_BYTES).ok_or(StreamKeyError::Unwrap)?;
        let nonce = Nonce::try_from(nonce).map_err(|_| StreamKeyError::Unwrap)?;
        let aad = associated_data(track, rendition);
        let clear =
            self.0.decrypt(&nonce, Payload { msg: sealed, aad: aad.as_bytes() }).map_err(|_| StreamKeyError::Unwrap)?;
        clear.try_into().map_err(|_| StreamKeyError::Unwrap)
    }
}

fn associated_data(track: TrackId, rendition: &str) -> String {
    format!("tonearm stream key\n{}\n{rendition}", track.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kek() -> KeyEncryptionKey {
        KeyEncryptionKey::from_base64(&KeyEncryptionKey::generate_base64()).unwrap()
    }

    #[test]
    fn wrapped_keys_unwrap_only_for_their_track_and_rendition() {
        let kek = kek();
        let (key, wrapped) = kek.new_content_key(TrackId(4), "aac-lc-128");
        assert_eq!(wrapped.len(), 12 + 16 + 16);
        assert!(!wrapped.windows(16).any(|window| window == key), "the clear key is not stored");
        assert_eq!(kek.unwrap(TrackId(4), "aac-lc-128", &wrapped), Ok(key));
        assert_eq!(kek.unwrap(TrackId(5), "aac-lc-128", &wrapped), Err(StreamKeyError::Unwrap));
        assert_eq!(kek.unwrap(TrackId(4), "aac-lc-256", &wrapped), Err(StreamKeyError::Unwrap));
    }

    #[test]
    fn another_kek_cannot_unwrap() {
        let (_, wrapped) = kek().new_content_key(TrackId(1), "he-aac-48");
        assert_eq!(kek().unwrap(TrackId(1), "he-aac-48", &wrapped), Err(StreamKeyError::Unwrap));
    }

    #[test]
    fn malformed_keks_are_refused() {
        assert!(KeyEncryptionKey::from_base64("c2hvcnQ=").is_err());
        assert!(KeyEncryptionKey::from_base64("not base64!").is_err());
        assert!(format!("{:?}", kek()).contains('…'));
    }
}
