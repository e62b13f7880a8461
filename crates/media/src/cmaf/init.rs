//! The CMAF header: what a player needs before the first fragment.

use mp4_atom::{
    Audio, Dfla, Dinf, Dops, Dref, Edts, Elst, ElstEntry, Encode, Esds, Flac, FlacMetadataBlock, Ftyp, Hdlr, Mdhd,
    Mdia, Mehd, Minf, Moov, Mp4a, Mvex, Mvhd, Opus, Smhd, Stbl, Stco, Stsc, Stsd, Stsz, Stts, Tkhd, Trak, Trex, Url,
    esds, u24,
};

use super::TRACK_ID;
use crate::encode::{AacStreamConfig, FlacStreamConfig, OpusStreamConfig, StreamConfig};
use crate::error::MediaError;

/// ISO/IEC 14496-1 §7.2.6.6: objectTypeIndication of MPEG-4 Audio, streamType audio.
const OBJECT_TYPE_MPEG4_AUDIO: u8 = 0x40;
const STREAM_TYPE_AUDIO: u8 = 0x05;

/// The init segment of a track of `presented_frames` frames encoded as `config`: AAC, FLAC
/// or Opus.
///
/// Timing: media and movie timescales are the sample rate, so every duration is in frames.
/// The edit list (14496-12 §8.6.6) starts presentation at media time `priming_frames`, which
/// hides the encoder delay, and lasts `presented_frames`, which hides the padding of the last
/// access unit: decoded output lines up with the source sample for sample, as gapless albums
/// need. FLAC has no encoder delay, but its priming of digital silence is skipped the same way.
pub fn init_segment(config: &StreamConfig, presented_frames: u64) -> Result<Vec<u8>, MediaError> {
    let mut bytes = Vec::new();
    Ftyp {
        major_brand: b"cmfc".into(),
        minor_version: 0,
        // `cmfc`: a CMAF track (23000-19 §7.2); `iso6`: uses 14496-12 features up to tfdt v1.
        compatible_brands: vec![b"cmfc".into(), b"iso6".into(), b"mp41".into()],
    }
    .encode(&mut bytes)?;
    moov(config, presented_frames).encode(&mut bytes)?;
    Ok(bytes)
}

fn moov(config: &StreamConfig, presented_frames: u64) -> Moov {
    let timescale = config.sample_rate();
    Moov {
        // Durations in mvhd/tkhd/mdhd stay 0: in a fragmented file the fragments carry the
        // media, and `mehd` gives the whole presentation's length.
        mvhd: Mvhd { timescale, rate: 1.into(), volume: 1.into(), next_track_id: TRACK_ID + 1, ..Default::default() },
        mvex: Some(Mvex {
            mehd: Some(Mehd { fragment_duration: presented_frames }),
            trex: vec![Trex {
                track_id: TRACK_ID,
                default_sample_description_index: 1,
                default_sample_duration: config.frames_per_access_unit() as u32,
                ..Default::default()
            }],
        }),
        trak: vec![Trak {
            tkhd: Tkhd { track_id: TRACK_ID, enabled: true, in_movie: true, volume: 1.into(), ..Default::default() },
            edts: Some(Edts {
                elst: Some(Elst {
                    entries: vec![ElstEntry {
                        segment_duration: presented_frames,
                        media_time: Some(config.priming_frames()),
                        media_rate: 1.into(),
                    }],
                }),
            }),
            mdia: Mdia {
                mdhd: Mdhd { timescale, language: "und".into(), ..Default::default() },
                hdlr: Hdlr { handler: b"soun".into(), name: "SoundHandler".into() },
                minf: Minf {
                    smhd: Some(Smhd::default()),
                    dinf: Dinf { dref: Dref { entries: vec![Url { location: String::new() }.into()] } },
                    stbl: Stbl {
                        stsd: Stsd {
                            codecs: vec![match config {
                                StreamConfig::Aac(config) => mp4a(config).into(),
                                StreamConfig::Flac(config) => flac(config).into(),
                                StreamConfig::Opus(config) => opus(config).into(),
                            }],
                        },
                        // Empty sample tables: every sample lives in a fragment (14496-12 §8.8).
                        stts: Stts::default(),
                        stsc: Stsc::default(),
                        stsz: Stsz::default(),
                        stco: Some(Stco::default()),
                        ..Default::default()
                    },
                    ..Default::default()
                },
            },
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn mp4a(config: &AacStreamConfig) -> Mp4a {
    let asc = &config.audio_specific_config;
    Mp4a {
        audio: Audio {
            data_reference_index: 1,
            channel_count: config.channels,
            sample_size: 16,
            sample_rate: sample_entry_rate(config.sample_rate),
        },
        esds: Esds {
            es_desc: esds::EsDescriptor {
                es_id: TRACK_ID as u16,
                dec_config: esds::DecoderConfig {
                    object_type_indication: OBJECT_TYPE_MPEG4_AUDIO,
                    stream_type: STREAM_TYPE_AUDIO,
                    max_bitrate: config.bitrate_bps,
                    avg_bitrate: config.bitrate_bps,
                    dec_specific: Some(esds::DecoderSpecific {
                        // A parsed view of the AudioSpecificConfig's first fields; `raw` is
                        // written as it is.
                        profile: asc.first().map_or(0, |byte| byte >> 3),
                        freq_index: match asc[..] {
                            [first, second, ..] => ((first & 0x07) << 1) | (second >> 7),
                            _ => 0,
                        },
                        chan_conf: config.channels as u8,
                        raw: asc.clone(),
                    }),
                    ..Default::default()
                },
                ..Default::default()
            },
        },
        btrt: None,
        taic: None,
    }
}

/// The `fLaC` sample entry (xiph.org "Encapsulation of FLAC in ISO Base Media File Format"
/// §3.3.1): its `dfLa` box holds the STREAMINFO block, which the decoder needs before the first
/// frame, as a FLAC file's header would give it.
fn flac(config: &FlacStreamConfig) -> Flac {
    let block_size = config.block_size as u16;
    Flac {
        audio: Audio {
            data_reference_index: 1,
            channel_count: config.channels,
            sample_size: u16::from(config.bits_per_sample),
            sample_rate: sample_entry_rate(config.sample_rate),
        },
        dfla: Dfla {
            blocks: vec![FlacMetadataBlock::StreamInfo {
                // RFC 9639 §8.2: the minimum leaves out the last block, which may be shorter.
                minimum_block_size: block_size,
                maximum_block_size: block_size,
                // Frame sizes and the MD5 of the audio are unknown when the header is written,
                // before encoding; 0 says so (RFC 9639 §8.2).
                minimum_frame_size: u24::from([0; 3]),
                maximum_frame_size: u24::from([0; 3]),
                sample_rate: config.sample_rate,
                num_channels_minus_one: (config.channels - 1) as u8,
                bits_per_sample_minus_one: config.bits_per_sample - 1,
                number_of_interchannel_samples: config.media_frames,
                md5_checksum: vec![0; 16],
            }],
        },
    }
}

/// The `Opus` sample entry (opus-codec.org "Encapsulation of Opus in ISO Base Media File
/// Format" §4.3): 48 kHz, and a `dOps` box with what an Ogg stream's `OpusHead` says. The
/// edit list skips the same pre-skip (§4.4), so decoders honour it either way.
fn opus(config: &OpusStreamConfig) -> Opus {
    Opus {
        audio: Audio {
            data_reference_index: 1,
            channel_count: config.channels,
            sample_size: 16,
            sample_rate: sample_entry_rate(48_000),
        },
        dops: Dops {
            output_channel_count: config.channels as u8,
            pre_skip: config.pre_skip as u16,
            input_sample_rate: config.input_sample_rate,
            output_gain: 0,
            // Family 0: mono or stereo, no mapping table.
            channel_mapping: None,
        },
        btrt: None,
    }
}

/// 16.16 fixed point: rates above 65535 Hz do not fit, and are never encoded here.
fn sample_entry_rate(sample_rate: u32) -> mp4_atom::FixedPoint<u16> {
    u16::try_from(sample_rate).unwrap_or(0).into()
}
