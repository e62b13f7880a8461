//! Progressive transcoding: one playable file, handed out in chunks as it is encoded, for
//! players that only download (`GET /api/v1/tracks/{id}/stream?format=…&bitrate=…`, as many
//! Subsonic apps do).
//!
//! `aac` is the AAC-LC rendition as one fragmented MP4 file (its init segment, then every
//! media segment), not ADTS. ADTS cannot say how long the track is or how much of the start
//! is encoder delay, so players show no duration and put ~50 ms of silence between gapless
//! tracks; fragmented MP4 carries both (`mehd`, the edit list). Every current player of a
//! progressive `audio/mp4` plays it: browsers' `<audio>`, AVPlayer on iOS and macOS, ExoPlayer
//! and Media3 on Android (what current Subsonic apps use), VLC, mpv. The bytes are the HLS and
//! DASH rendition's own, so a server can answer from its segment cache.

use std::path::Path;

use crate::decode::SourceDecoder;
use crate::encode::Mp3Encoder;
use crate::error::MediaError;
use crate::ladder::{Rendition, encoding_sample_rate};
use crate::pcm::EncodingPcm;
use crate::transcode::{TranscodeOptions, Transcoder};

/// MP3 is handed out in chunks of about this many bytes (two seconds at 128 kbps): few enough
/// writes for a response, soon enough for a player to start.
const MP3_CHUNK_BYTES: usize = 32 * 1024;

/// The formats a progressive stream can be transcoded to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProgressiveFormat {
    /// AAC-LC in fragmented MP4 (see the module documentation).
    Aac,
    /// MPEG-1 Layer III, constant bitrate, from LAME.
    Mp3,
}

impl ProgressiveFormat {
    /// The format named by the `format` query parameter.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "aac" => Some(Self::Aac),
            "mp3" => Some(Self::Mp3),
            _ => None,
        }
    }

    /// The response's `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Aac => "audio/mp4",
            Self::Mp3 => "audio/mpeg",
        }
    }

    /// The usual file extension, for a `Content-Disposition` file name.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Aac => "m4a",
            Self::Mp3 => "mp3",
        }
    }
}

/// A progressive transcoding job; iterate it for the file's bytes, in order.
pub struct ProgressiveTranscoder {
    format: ProgressiveFormat,
    output: Output,
}

// Boxed: the two jobs differ in size, and one allocation per track is nothing.
enum Output {
    Aac(Box<AacOutput>),
    Mp3(Box<Mp3Output>),
}

struct AacOutput {
    job: Transcoder,
    bitrate_kbps: u32,
    init_segment: Option<Vec<u8>>,
}

struct Mp3Output {
    pcm: EncodingPcm,
    encoder: Mp3Encoder,
    done: bool,
}

impl ProgressiveTranscoder {
    /// A job transcoding `source` to `format` at about `bitrate_kbps` (the caller applies the
    /// listener's cap first). AAC takes the bitrate as it is; MP3 rounds it down to an MP3
    /// bitrate between 32 and 320 kbps. `options` matter to AAC only, whose segments are the
    /// adaptive rendition's.
    pub fn open(
        source: &Path,
        format: ProgressiveFormat,
        bitrate_kbps: u32,
        options: &TranscodeOptions,
    ) -> Result<Self, MediaError> {
        let output = match format {
            ProgressiveFormat::Aac => {
                let job = Transcoder::open(source, &Rendition::aac_lc(bitrate_kbps), options)?;
                let init_segment = Some(job.init_segment().to_vec());
                Output::Aac(Box::new(AacOutput { job, bitrate_kbps, init_segment }))
            }
            ProgressiveFormat::Mp3 => {
                let decoder = SourceDecoder::open(source)?;
                let properties = *decoder.properties();
                let sample_rate = encoding_sample_rate(properties.sample_rate);
                let encoder = Mp3Encoder::new(sample_rate, properties.output_channels, bitrate_kbps)?;
                Output::Mp3(Box::new(Mp3Output { pcm: EncodingPcm::new(decoder, sample_rate)?, encoder, done: false }))
            }
        };
        Ok(Self { format, output })
    }

    pub fn format(&self) -> ProgressiveFormat {
        self.format
    }

    pub fn content_type(&self) -> &'static str {
        self.format.content_type()
    }

    /// The bitrate being encoded, after MP3's rounding.
    pub fn bitrate_kbps(&self) -> u32 {
        match &self.output {
            Output::Aac(aac) => aac.bitrate_kbps,
            Output::Mp3(mp3) => mp3.encoder.bitrate_kbps(),
        }
    }
}

impl Iterator for ProgressiveTranscoder {
    type Item = Result<Vec<u8>, MediaError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.output {
            Output::Aac(aac) => match aac.init_segment.take() {
                Some(bytes) => Some(Ok(bytes)),
                None => aac.job.next().map(|segment| segment.map(|segment| segment.bytes)),
            },
            Output::Mp3(mp3) => {
                if mp3.done {
                    return None;
                }
                let result = mp3.next_chunk();
                // A failed job stays failed.
                mp3.done |= result.is_err();
                Some(result)
            }
        }
    }
}

impl Mp3Output {
    /// Encodes until a chunk's worth of MP3 is ready or the source ends (then `done` is set).
    fn next_chunk(&mut self) -> Result<Vec<u8>, MediaError> {
        let mut chunk = Vec::with_capacity(MP3_CHUNK_BYTES + 8 * 1024);
        while chunk.len() < MP3_CHUNK_BYTES {
            match self.pcm.next_chunk()? {
                Some(samples) => self.encoder.encode(samples, &mut chunk)?,
                None => {
                    self.encoder.finish(&mut chunk)?;
                    self.done = true;
                    break;
                }
            }
        }
        Ok(chunk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_named_as_the_query_names_them() {
        assert_eq!(ProgressiveFormat::parse("aac"), Some(ProgressiveFormat::Aac));
        assert_eq!(ProgressiveFormat::parse("mp3").map(ProgressiveFormat::content_type), Some("audio/mpeg"));
        assert_eq!(ProgressiveFormat::parse("wav"), None);
    }

    #[test]
    fn jobs_can_move_to_a_worker_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<ProgressiveTranscoder>();
    }
}
