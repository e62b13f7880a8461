//! Decoding a source file to interleaved f32 PCM with symphonia (Ogg Opus: symphonia's
//! demuxer and libopus, see `decode::opus`), one packet at a time, so a job holds a packet's worth
//! of audio however long the track is. More than two channels are folded to stereo here;
//! resampling is the next stage's job.

mod opus;

use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use symphonia::core::audio::Channels;
use symphonia::core::codecs::audio::well_known::{
    CODEC_ID_ALAC, CODEC_ID_FLAC, CODEC_ID_OPUS, CODEC_ID_PCM_S32LE, CODEC_ID_PCM_U8_PLANAR,
};
use symphonia::core::codecs::audio::{AudioCodecId, AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use self::opus::{OpusHead, OpusStreamDecoder};
use crate::downmix::Downmix;
use crate::error::MediaError;
use crate::libopus::OPUS_SAMPLE_RATE;

/// Malformed packets in a row tolerated before the source counts as corrupt: MP3 rips often
/// carry a damaged frame or two, which decoders skip (a few ms of silence), but a stream of
/// them is garbage.
const MAX_CONSECUTIVE_BAD_PACKETS: u32 = 16;

/// What the decoder learned from the source before decoding it all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceProperties {
    pub sample_rate: u32,
    /// Channels in the source.
    pub source_channels: usize,
    /// Channels of the PCM handed out: 1 or 2.
    pub output_channels: u16,
    /// Frames declared by the container (playable frames, priming excluded), if it says.
    pub declared_frames: Option<u64>,
    /// The resolution of a lossless source (FLAC, ALAC, integer PCM), whose decoded samples
    /// are integers the lossless rung can reproduce; `None` for lossy codecs.
    pub lossless_bits: Option<u32>,
}

/// A source being decoded.
pub struct SourceDecoder {
    path: PathBuf,
    format: Box<dyn FormatReader>,
    decoder: PacketDecoder,
    track_id: u32,
    properties: SourceProperties,
    downmix: Option<Downmix>,
    decoded: Vec<f32>,
    chunk: Vec<f32>,
    /// The first chunk, decoded by `open` to learn the stream's real layout.
    first_chunk_pending: bool,
}

/// Symphonia decodes every codec but Opus, which has no decoder in symphonia.
enum PacketDecoder {
    Symphonia(Box<dyn AudioDecoder>),
    Opus(OpusStreamDecoder),
}

impl SourceDecoder {
    /// Opens `path`, identifies its format from the content (the extension is only a hint)
    /// and decodes the first packet.
    pub fn open(path: &Path) -> Result<Self, MediaError> {
        let file = File::open(path).map_err(|source| MediaError::SourceUnreadable { path: path.to_owned(), source })?;
        let stream = MediaSourceStream::new(Box::new(file), Default::default());
        let mut hint = Hint::new();
        if let Some(extension) = path.extension().and_then(|extension| extension.to_str()) {
            hint.with_extension(extension);
        }
        let format = symphonia::default::get_probe()
            .probe(&hint, stream, FormatOptions::default(), MetadataOptions::default())
            .map_err(|error| corrupt(path, format!("not a readable audio file ({error})")))?;
        let track = format.default_track(TrackType::Audio).ok_or_else(|| corrupt(path, "no audio track".to_owned()))?;
        let track_id = track.id;
        let Some(parameters) = track.codec_params.as_ref().and_then(|parameters| parameters.audio()) else {
            return Err(corrupt(path, "the audio track has no codec parameters".to_owned()));
        };
        let lossless_bits = match parameters.codec {
            CODEC_ID_ALAC => {
                parameters.bits_per_sample.or_else(|| parameters.extra_data.as_deref().and_then(alac_bit_depth))
            }
            codec if is_lossless(codec) => parameters.bits_per_sample,
            _ => None,
        };
        let (decoder, declared_frames) = if parameters.codec == CODEC_ID_OPUS {
            let head = parameters
                .extra_data
                .as_deref()
                .and_then(OpusHead::parse)
                .ok_or_else(|| corrupt(path, "the opus stream has no identification header".to_owned()))?;
            let decoder = OpusStreamDecoder::new(&head)
                .map_err(|reason| MediaError::UnsupportedSource { path: path.to_owned(), reason })?;
            // The last granule position counts the pre-skip too (RFC 7845 §4).
            let declared_frames = track.num_frames.map(|frames| frames.saturating_sub(u64::from(head.pre_skip)));
            (PacketDecoder::Opus(decoder), declared_frames)
        } else {
            let decoder = symphonia::default::get_codecs()
                .make_audio_decoder(parameters, &AudioDecoderOptions::default())
                .map_err(|error| MediaError::UnsupportedSource { path: path.to_owned(), reason: error.to_string() })?;
            (PacketDecoder::Symphonia(decoder), track.num_frames)
        };
        let mut source = Self {
            path: path.to_owned(),
            format,
            decoder,
            track_id,
            properties: SourceProperties {
                sample_rate: 0,
                source_channels: 0,
                output_channels: 0,
                declared_frames,
                lossless_bits,
            },
            downmix: None,
            decoded: Vec::new(),
            chunk: Vec::new(),
            first_chunk_pending: false,
        };
        if !source.decode_next_packet(true)? {
            return Err(corrupt(path, "no audio frames".to_owned()));
        }
        source.first_chunk_pending = true;
        Ok(source)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn properties(&self) -> &SourceProperties {
        &self.properties
    }

    /// The next run of interleaved PCM at the source's rate with `output_channels`, or `None`
    /// at the end of the stream.
    pub fn next_chunk(&mut self) -> Result<Option<&[f32]>, MediaError> {
        if std::mem::take(&mut self.first_chunk_pending) || self.decode_next_packet(false)? {
            return Ok(Some(&self.chunk));
        }
        Ok(None)
    }

    /// Decodes packets until one yields audio into `self.chunk`; `false` at the end.
    fn decode_next_packet(&mut self, first: bool) -> Result<bool, MediaError> {
        let mut bad_packets = 0;
        loop {
            let packet = match self.format.next_packet() {
                Ok(Some(packet)) => packet,
                Ok(None) => return Ok(false),
                // A file cut short ends here; the transcoder compares what arrived with what the
                // container promised and reports truncation.
                Err(SymphoniaError::IoError(error)) if error.kind() == ErrorKind::UnexpectedEof => return Ok(false),
                Err(error) => return Err(corrupt(&self.path, error.to_string())),
            };
            if packet.track_id != self.track_id {
                continue;
            }
            let decoded = match &mut self.decoder {
                PacketDecoder::Symphonia(decoder) => match decoder.decode(&packet) {
                    Ok(buffer) if buffer.frames() == 0 => continue,
                    Ok(buffer) => {
                        let spec = buffer.spec();
                        let layout = (spec.rate(), spec.channels().clone());
                        self.decoded.resize(buffer.samples_interleaved(), 0.0);
                        buffer.copy_to_slice_interleaved::<f32, _>(&mut self.decoded);
                        Ok(layout)
                    }
                    Err(SymphoniaError::DecodeError(reason)) => Err(reason.to_owned()),
                    Err(error) => return Err(corrupt(&self.path, error.to_string())),
                },
                PacketDecoder::Opus(decoder) => match decoder.decode(&packet.data, &mut self.decoded) {
                    // All pre-skip.
                    Ok(()) if self.decoded.is_empty() => continue,
                    Ok(()) => Ok((OPUS_SAMPLE_RATE, Channels::Discrete(decoder.channels()))),
                    Err(error) if error.is_invalid_packet() => Err(error.to_string()),
                    Err(error) => return Err(corrupt(&self.path, error.to_string())),
                },
            };
            let (sample_rate, channels) = match decoded {
                Ok(layout) => layout,
                Err(reason) => {
                    bad_packets += 1;
                    if bad_packets > MAX_CONSECUTIVE_BAD_PACKETS {
                        return Err(corrupt(
                            &self.path,
                            format!("{bad_packets} malformed packets in a row ({reason})"),
                        ));
                    }
                    continue;
                }
            };
            if first {
                self.downmix = Downmix::for_channels(&channels);
                self.properties.sample_rate = sample_rate;
                self.properties.source_channels = channels.count();
                self.properties.output_channels = if channels.count() == 1 { 1 } else { 2 };
            } else if sample_rate != self.properties.sample_rate || channels.count() != self.properties.source_channels
            {
                return Err(MediaError::UnsupportedSource {
                    path: self.path.clone(),
                    reason: "the sample rate or channel layout changes mid-stream".to_owned(),
                });
            }
            self.chunk.clear();
            match &self.downmix {
                Some(downmix) => downmix.apply(&self.decoded, &mut self.chunk),
                None => self.chunk.extend_from_slice(&self.decoded),
            }
            return Ok(true);
        }
    }
}

/// FLAC, ALAC and integer PCM (the WAV/AIFF family): codecs that give back the encoded integers.
fn is_lossless(codec: AudioCodecId) -> bool {
    codec == CODEC_ID_FLAC || codec == CODEC_ID_ALAC || (CODEC_ID_PCM_S32LE..=CODEC_ID_PCM_U8_PLANAR).contains(&codec)
}

/// ALAC states its resolution in its magic cookie (Apple's ALACSpecificConfig: frameLength
/// u32, compatibleVersion u8, bitDepth u8, …), which MP4 demuxers hand over with the `frma`
/// and `alac` atom headers that may precede it.
fn alac_bit_depth(mut cookie: &[u8]) -> Option<u32> {
    for atom in [b"frma", b"alac"] {
        if cookie.get(4..8) == Some(atom.as_slice()) {
            cookie = cookie.get(12..)?;
        }
    }
    cookie.get(5).map(|&depth| u32::from(depth))
}

fn corrupt(path: &Path, reason: String) -> MediaError {
    MediaError::CorruptSource { path: path.to_owned(), reason }
}
