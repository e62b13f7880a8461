//! Models as bytes, for one node to publish and the others to load: a magic header and a
//! format version first, so a node refuses a model it cannot read instead of misreading it.

use serde::Serialize;
use serde::de::DeserializeOwned;

const MAGIC: &[u8; 4] = b"TNRM";
const FORMAT_VERSION: u16 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    #[error("not a Tonearm model")]
    NotAModel,
    #[error("model format {found} is newer than this node reads ({FORMAT_VERSION})")]
    UnknownVersion { found: u16 },
    #[error("model bytes do not decode")]
    Corrupt(#[from] postcard::Error),
}

pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    postcard::to_extend(value, bytes).expect("models serialise to a vector")
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, PersistError> {
    let rest = bytes.strip_prefix(MAGIC).ok_or(PersistError::NotAModel)?;
    let (version, body) = rest.split_first_chunk::<2>().ok_or(PersistError::NotAModel)?;
    let found = u16::from_le_bytes(*version);
    if found != FORMAT_VERSION {
        return Err(PersistError::UnknownVersion { found });
    }
    Ok(postcard::from_bytes(body)?)
}
