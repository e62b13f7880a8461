//! Models on disk and between nodes: `TNRM`, a format version, then the postcard encoding.
//! postcard is compact and fast but not self-describing, so a node must never guess at bytes
//! written by a newer build; the version makes it refuse them with a typed error instead.

use serde::Serialize;
use serde::de::DeserializeOwned;

const MAGIC: &[u8; 4] = b"TNRM";
/// Bump when the encoding of a persisted type changes.
pub const FORMAT_VERSION: u16 = 1;
const HEADER_LEN: usize = MAGIC.len() + 2;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PersistError {
    #[error("not a Tonearm model: the magic bytes are missing")]
    NotAModel,
    #[error("model format {found} is newer than {supported}, the newest this build reads")]
    NewerFormat { found: u16, supported: u16 },
    #[error("model format {found} is no longer read (this build reads {supported})")]
    OlderFormat { found: u16, supported: u16 },
    #[error("the model bytes are corrupt: {0}")]
    Corrupt(#[from] postcard::Error),
}

pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER_LEN);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    // postcard fails only on types serde cannot describe without a length (none of ours).
    postcard::to_extend(value, bytes).expect("model types serialise with postcard")
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, PersistError> {
    let Some(body) = bytes.strip_prefix(MAGIC) else {
        return Err(PersistError::NotAModel);
    };
    let Some((version, body)) = body.split_first_chunk::<2>() else {
        return Err(PersistError::NotAModel);
    };
    let found = u16::from_le_bytes(*version);
    if found > FORMAT_VERSION {
        return Err(PersistError::NewerFormat { found, supported: FORMAT_VERSION });
    }
    if found < FORMAT_VERSION {
        return Err(PersistError::OlderFormat { found, supported: FORMAT_VERSION });
    }
    Ok(postcard::from_bytes(body)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::IalsConfig;
    use crate::{Dataset, Model, ModelConfig, TrainOptions, train};

    fn trained() -> (Model, Dataset) {
        let data = Dataset::from_triples(3, 4, [(0, 0, 1.0), (0, 1, 2.0), (1, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)]);
        let config = ModelConfig::Ials(IalsConfig { factors: 4, epochs: 3, ..IalsConfig::default() });
        (train(&config, &data, &TrainOptions::default()).unwrap(), data)
    }

    #[test]
    fn a_trained_ials_model_round_trips_and_scores_the_same() {
        let (model, data) = trained();
        let bytes = encode(&model);
        assert_eq!(&bytes[..4], b"TNRM");
        let decoded: Model = decode(&bytes).unwrap();
        assert_eq!(decoded, model);
        assert_eq!(decoded.scores_for_user(0, &data), model.scores_for_user(0, &data));
    }

    #[test]
    fn wrong_magic_is_not_a_model() {
        let mut bytes = encode(&trained().0);
        bytes[0] = b'X';
        assert_eq!(decode::<Model>(&bytes), Err(PersistError::NotAModel));
        assert_eq!(decode::<Model>(b"TN"), Err(PersistError::NotAModel));
        assert_eq!(decode::<Model>(b"TNRM"), Err(PersistError::NotAModel));
    }

    #[test]
    fn a_newer_format_is_refused_by_name() {
        let mut bytes = encode(&trained().0);
        bytes[4..6].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        assert_eq!(
            decode::<Model>(&bytes),
            Err(PersistError::NewerFormat { found: FORMAT_VERSION + 1, supported: FORMAT_VERSION })
        );
    }

    #[test]
    fn truncated_bytes_are_corrupt_not_a_panic() {
        let bytes = encode(&trained().0);
        assert!(matches!(decode::<Model>(&bytes[..bytes.len() / 2]), Err(PersistError::Corrupt(_))));
    }
}
