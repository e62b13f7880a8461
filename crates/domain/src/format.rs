use serde::{Deserialize, Serialize};

/// The audio container/codec pairs the library accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AudioFormat {
    Mp3,
    Aac,
    Alac,
    Flac,
    Vorbis,
    Opus,
    Wav,
}

impl AudioFormat {
    pub const ALL: [AudioFormat; 7] =
        [Self::Mp3, Self::Aac, Self::Alac, Self::Flac, Self::Vorbis, Self::Opus, Self::Wav];

    /// The name stored in the catalog and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mp3 => "mp3",
            Self::Aac => "aac",
            Self::Alac => "alac",
            Self::Flac => "flac",
            Self::Vorbis => "vorbis",
            Self::Opus => "opus",
            Self::Wav => "wav",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.as_str() == name)
    }

    /// The media type of the original file, as sent in `Content-Type` when streaming it.
    pub fn mime_type(self) -> &'static str {
        match self {
            Self::Mp3 => "audio/mpeg",
            Self::Aac | Self::Alac => "audio/mp4",
            Self::Flac => "audio/flac",
            Self::Vorbis | Self::Opus => "audio/ogg",
            Self::Wav => "audio/wav",
        }
    }

    /// Lossless sources may later be offered as lossless renditions to premium listeners.
    pub fn is_lossless(self) -> bool {
        matches!(self, Self::Alac | Self::Flac | Self::Wav)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for format in AudioFormat::ALL {
            assert_eq!(AudioFormat::parse(format.as_str()), Some(format));
        }
        assert_eq!(AudioFormat::parse("midi"), None);
    }
}
