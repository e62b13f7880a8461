//! CMAF fragments: one `moof` + `mdat` per segment, cut where the timeline says.

use mp4_atom::{Encode, Mdat, Mfhd, Moof, Styp, Tfdt, Tfhd, Traf, Trun, TrunEntry, TrunSamples};

use super::TRACK_ID;
use crate::error::MediaError;
use crate::timeline::SegmentSpan;

/// A finished media segment: bytes to serve, and where it sits on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaSegment {
    pub span: SegmentSpan,
    /// `styp` + `moof` + `mdat`, ready to be written to a cache or a response.
    pub bytes: Vec<u8>,
}

/// Collects the access units of one segment, then writes it.
#[derive(Debug)]
pub(crate) struct MediaSegmentBuilder {
    /// `trex`'s default sample duration, in frames.
    default_duration: u32,
    sizes: Vec<u32>,
    durations: Vec<u32>,
    payload: Vec<u8>,
}

impl MediaSegmentBuilder {
    pub fn new(frames_per_access_unit: u64) -> Self {
        Self {
            default_duration: frames_per_access_unit as u32,
            sizes: Vec::new(),
            durations: Vec::new(),
            payload: Vec::new(),
        }
    }

    /// Adds an access unit lasting `frames` (the default, or less for a FLAC stream's last).
    pub fn push(&mut self, access_unit: &[u8], frames: u64) {
        self.sizes.push(access_unit.len() as u32);
        self.durations.push(frames as u32);
        self.payload.extend_from_slice(access_unit);
    }

    pub fn access_units(&self) -> u64 {
        self.sizes.len() as u64
    }

    /// Writes the segment for `span` from the access units pushed, and starts empty again.
    pub fn finish(&mut self, span: SegmentSpan) -> Result<MediaSegment, MediaError> {
        debug_assert_eq!(self.access_units(), span.access_units, "the timeline decides the cut");
        let mut bytes = Vec::with_capacity(self.payload.len() + 128 + 4 * self.sizes.len());
        // `cmfs`: a CMAF segment (23000-19 §7.3.2.2); `msdh`: a DASH media segment.
        Styp { major_brand: b"cmfs".into(), minor_version: 0, compatible_brands: vec![b"cmfs".into(), b"msdh".into()] }
            .encode(&mut bytes)?;
        let moof_start = bytes.len();
        let mut moof = self.moof(&span, 0);
        moof.encode(&mut bytes)?;
        // trun's data_offset counts from the start of moof (default-base-is-moof, which CMAF
        // requires) to the first sample, just past the mdat header: rewrite with the real value.
        let mdat_header = 8;
        let data_offset = i32::try_from(bytes.len() - moof_start + mdat_header)
            .map_err(|_| MediaError::Muxer("moof too large".to_owned()))?;
        bytes.truncate(moof_start);
        moof = self.moof(&span, data_offset);
        moof.encode(&mut bytes)?;
        Mdat { data: std::mem::take(&mut self.payload) }.encode(&mut bytes)?;
        self.sizes.clear();
        self.durations.clear();
        Ok(MediaSegment { span, bytes })
    }

    fn moof(&self, span: &SegmentSpan, data_offset: i32) -> Moof {
        // Durations are written only when one differs from trex's default (a FLAC stream's
        // short last block); trun's flags hold for every sample, so then all of them are.
        let explicit_durations = self.durations.iter().any(|&duration| duration != self.default_duration);
        Moof {
            mfhd: Mfhd { sequence_number: span.index + 1 },
            traf: vec![Traf {
                // Sample durations come from trex (one access unit each) unless stated; every
                // AAC access unit and FLAC frame is a sync sample, trex's default flags.
                tfhd: Tfhd { track_id: TRACK_ID, default_base_is_moof: true, ..Default::default() },
                tfdt: Some(Tfdt { base_media_decode_time: span.decode_time }),
                trun: vec![Trun {
                    data_offset: Some(data_offset),
                    samples: TrunSamples::Explicit(
                        self.sizes
                            .iter()
                            .zip(&self.durations)
                            .map(|(&size, &duration)| TrunEntry {
                                size: Some(size),
                                duration: explicit_durations.then_some(duration),
                                ..Default::default()
                            })
                            .collect(),
                    ),
                }],
                ..Default::default()
            }],
        }
    }
}
