//! HLS `METHOD=AES-128` segment encryption (RFC 8216 §4.3.2.4, §5.2): each whole segment
//! is AES-128-CBC with PKCS#7 padding; the IV is the segment's media sequence number as a
//! 128-bit big-endian integer, so every segment of a rendition has its own IV and the
//! playlist needs no `IV` attribute.

use aes::Aes128;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};

/// A rendition's 128-bit content key.
pub type ContentKey = [u8; 16];

/// The IV of the segment with this media sequence number.
pub fn sequence_iv(media_sequence: u64) -> [u8; 16] {
    u128::from(media_sequence).to_be_bytes()
}

pub fn encrypt_segment(key: &ContentKey, media_sequence: u64, plaintext: &[u8]) -> Vec<u8> {
    cbc::Encryptor::<Aes128>::new(key.into(), &sequence_iv(media_sequence).into())
        .encrypt_padded_vec::<Pkcs7>(plaintext)
}

/// The clear segment, or `None` when the key, IV or data are wrong (bad padding).
pub fn decrypt_segment(key: &ContentKey, media_sequence: u64, ciphertext: &[u8]) -> Option<Vec<u8>> {
    cbc::Decryptor::<Aes128>::new(key.into(), &sequence_iv(media_sequence).into())
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip_and_are_padded_to_whole_blocks() {
        let key = [7u8; 16];
        let clear: Vec<u8> = (0..1000u32).map(|n| n as u8).collect();
        let sealed = encrypt_segment(&key, 3, &clear);
        assert_eq!(sealed.len(), 1008, "PKCS#7 pads to the next 16-byte block");
        assert_ne!(&sealed[..16], &clear[..16]);
        assert_eq!(decrypt_segment(&key, 3, &sealed).as_deref(), Some(clear.as_slice()));
    }

    #[test]
    fn each_sequence_number_is_its_own_iv() {
        let key = [1u8; 16];
        assert_ne!(encrypt_segment(&key, 0, b"same bytes"), encrypt_segment(&key, 1, b"same bytes"));
        assert_eq!(sequence_iv(258)[14..], [1, 2]);
    }

    #[test]
    fn the_wrong_key_does_not_give_the_segment_back() {
        let sealed = encrypt_segment(&[9u8; 16], 0, &[0u8; 4096]);
        let opened = decrypt_segment(&[8u8; 16], 0, &sealed);
        assert!(opened.is_none_or(|bytes| bytes != [0u8; 4096]));
    }
}
