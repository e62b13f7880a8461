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
//!
//! `mp3` is constant-bitrate MPEG-1 Layer III from LAME, led by an Info/LAME tag written up
//! front (see `encode::mp3`); `opus` is an Ogg Opus file (RFC 7845) at 48 kHz, whose last
//! granule position trims it to the source's length. Both keep to the length promised before
//! encoding, as the adaptive renditions do (`TranscodeOptions::source_frames`).

use std::path::Path;

use crate::decode::SourceDecoder;
use crate::encode::{Mp3Encoder, OggOpusEncoder};
use crate::error::MediaError;
use crate::ladder::{Codec, Rendition, encoding_sample_rate};
use crate::pcm::EncodingPcm;
use crate::timeline::frames_at_rate;
use crate::transcode::{TranscodeOptions, Transcoder};

/// MP3 and Opus are handed out in chunks of about this many bytes (two seconds at 128 kbps):
/// few enough writes for a response, soon enough for a player to start.
const CHUNK_BYTES: usize = 32 * 1024;

/// The formats a progressive stream can be transcoded to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProgressiveFormat {
    /// AAC-LC in fragmented MP4 (see the module documentation).
    Aac,
    /// MPEG-1 Layer III, constant bitrate, from LAME.
    Mp3,
    /// Opus in Ogg, from libopus.
    Opus,
}

impl ProgressiveFormat {
    /// The format named by the `format` query parameter.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "aac" => Some(Self::Aac),
            "mp3" => Some(Self::Mp3),
            "opus" => Some(Self::Opus),
            _ => None,
        }
    }

    /// The response's `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Aac => "audio/mp4",
            Self::Mp3 => "audio/mpeg",
            // RFC 7845 §9.
            Self::Opus => "audio/ogg; codecs=opus",
        }
    }

    /// The usual file extension, for a `Content-Disposition` file name.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Aac => "m4a",
            Self::Mp3 => "mp3",
            Self::Opus => "opus",
        }
    }
}

/// A progressive transcoding job; iterate it for the file's bytes, in order.
pub struct ProgressiveTranscoder {
    format: ProgressiveFormat,
    bitrate_kbps: u32,
    output: Output,
}

// Boxed: the two jobs differ in size, and one allocation per track is nothing.
enum Output {
    Aac(Box<AacOutput>),
    File(Box<FileOutput>),
}

struct AacOutput {
    job: Transcoder,
    init_segment: Option<Vec<u8>>,
}

/// A file written front to back by one encoder.
struct FileOutput {
    pcm: EncodingPcm,
    encoder: FileEncoder,
    /// Whether the first chunk (which starts with MP3's header frame) is out.
    started: bool,
    done: bool,
}

enum FileEncoder {
    Mp3(Mp3Encoder),
    Opus(Box<OggOpusEncoder>),
}

impl FileEncoder {
    fn encode(&mut self, interleaved: &[f32], output: &mut Vec<u8>) -> Result<(), MediaError> {
        match self {
            Self::Mp3(encoder) => encoder.encode(interleaved, output),
            Self::Opus(encoder) => encoder.encode(interleaved, output),
        }
    }

    fn finish(&mut self, output: &mut Vec<u8>) -> Result<(), MediaError> {
        match self {
            Self::Mp3(encoder) => encoder.finish(output),
            Self::Opus(encoder) => encoder.finish(output),
        }
    }
}

impl ProgressiveTranscoder {
    /// A job transcoding `source` to `format` at about `bitrate_kbps` (the caller applies the
    /// listener's cap first). AAC and Opus take the bitrate as it is; MP3 rounds it down to an
    /// MP3 bitrate between 32 and 320 kbps. `options.source_frames` is the length kept to, as
    /// for [`Transcoder::open`]; the grid matters to AAC only, whose segments are the adaptive
    /// rendition's.
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
                Output::Aac(Box::new(AacOutput { job, init_segment }))
            }
            ProgressiveFormat::Mp3 | ProgressiveFormat::Opus => {
                let decoder = SourceDecoder::open(source)?;
                let properties = *decoder.properties();
                let source_frames = options.source_frames(&decoder)?;
                let channels = properties.output_channels;
                let codec_rate = match format {
                    ProgressiveFormat::Opus => Codec::Opus.encoding_sample_rate(properties.sample_rate),
                    _ => encoding_sample_rate(properties.sample_rate),
                };
                let total_frames = frames_at_rate(source_frames, properties.sample_rate, codec_rate);
                let encoder = if format == ProgressiveFormat::Mp3 {
                    FileEncoder::Mp3(Mp3Encoder::new(codec_rate, channels, bitrate_kbps, total_frames)?)
                } else {
                    let bitrate_bps = Rendition::opus(bitrate_kbps).bitrate_bps(channels);
                    FileEncoder::Opus(Box::new(OggOpusEncoder::new(channels, bitrate_bps, properties.sample_rate)?))
                };
                let pcm = EncodingPcm::new(decoder, codec_rate, total_frames)?;
                Output::File(Box::new(FileOutput { pcm, encoder, done: false, started: false }))
            }
        };
        let encoded_kbps = match &output {
            Output::File(file) => match &file.encoder {
                FileEncoder::Mp3(encoder) => encoder.bitrate_kbps(),
                FileEncoder::Opus(_) => bitrate_kbps,
            },
            Output::Aac(_) => bitrate_kbps,
        };
        Ok(Self { format, bitrate_kbps: encoded_kbps, output })
    }

    pub fn format(&self) -> ProgressiveFormat {
        self.format
    }

    pub fn content_type(&self) -> &'static str {
        self.format.content_type()
    }

    /// The bitrate being encoded, after MP3's rounding.
    pub fn bitrate_kbps(&self) -> u32 {
        self.bitrate_kbps
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
            Output::File(file) => {
                if file.done {
                    return None;
                }
                let result = file.next_chunk();
                // A failed job stays failed.
                file.done |= result.is_err();
                Some(result)
            }
        }
    }
}

impl FileOutput {
    /// Encodes until a chunk's worth is ready or the source ends (then `done` is set).
    fn next_chunk(&mut self) -> Result<Vec<u8>, MediaError> {
        let mut chunk = Vec::with_capacity(CHUNK_BYTES + 8 * 1024);
        if !std::mem::replace(&mut self.started, true)
            && let FileEncoder::Mp3(encoder) = &self.encoder
        {
            chunk.extend_from_slice(&encoder.info_frame());
        }
        while chunk.len() < CHUNK_BYTES {
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
        assert_eq!(ProgressiveFormat::parse("opus").map(ProgressiveFormat::extension), Some("opus"));
        assert_eq!(ProgressiveFormat::parse("wav"), None);
    }

    #[test]
    fn jobs_can_move_to_a_worker_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<ProgressiveTranscoder>();
    }
}
