//! The rendition ladder as data: which encodings of a track exist, how long a segment is,
//! and at which sample rate a source is encoded. Everything here is known before any audio
//! is decoded, so playlists can be written from the catalog alone.

use std::time::Duration;

/// The codec of a rendition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Codec {
    /// MPEG-4 AAC Low Complexity (audio object type 2), encoded by Fraunhofer FDK.
    AacLc,
    /// MPEG-4 HE-AAC (AAC-LC core at half rate + SBR, audio object type 5, explicit
    /// signalling), for the data-saver rung.
    HeAac,
    /// FLAC in ISO BMFF (xiph.org "Encapsulation of FLAC in ISO Base Media File Format"):
    /// lossless, for lossless sources only, one FLAC frame per MP4 sample.
    Flac,
    /// Opus in ISO BMFF (opus-codec.org "Encapsulation of Opus in ISO Base Media File
    /// Format"), libopus at 48 kHz in 20 ms packets. A group of its own: see [`Ladder::opus`].
    Opus,
}

impl Codec {
    /// Output PCM frames (samples per channel) in one access unit (ISO/IEC 14496-3: 1024 for
    /// AAC-LC; 2048 for HE-AAC, whose SBR doubles the core's 1024). FLAC's block size is the
    /// encoder's choice: 2048, the segment grid's quantum, so every segment boundary (and the
    /// ladder's priming) falls on a block boundary. Only the last access unit of a stream may
    /// be shorter, and only for FLAC (AAC pads it; FLAC ends on the last source frame).
    /// Opus packets are 20 ms, 960 frames at 48 kHz: the longest frame that CELT, the music
    /// mode, codes in one go.
    pub fn frames_per_access_unit(self) -> u64 {
        match self {
            Self::AacLc => 1024,
            Self::HeAac | Self::Flac => 2048,
            Self::Opus => 960,
        }
    }

    /// Whether the rendition keeps every sample of the source, so it is worth offering only
    /// when the source itself is lossless.
    pub fn is_lossless(self) -> bool {
        match self {
            Self::AacLc | Self::HeAac | Self::Opus => false,
            Self::Flac => true,
        }
    }

    /// The priming the decoder must skip, in output frames: the same for every codec of the
    /// ladder, so `tfdt` and the edit list are identical across all renditions, and players
    /// that ignore the edit list (hls.js) still see every rendition on one clock. It covers
    /// FDK's largest delay (HE-AAC: 5058 frames; AAC-LC: 2048) rounded up to whole access units
    /// of both codecs; the encoder tops its own delay up with silence. Known without encoding,
    /// so the segment timeline is too; checked against the live encoder at every job start.
    /// FLAC has no delay, but takes the same priming as digital silence (three constant
    /// blocks of a few bytes each), so its `tfdt`s and edit list are those of the AAC
    /// renditions and a player switches between lossless and AAC on any boundary.
    ///
    /// Opus, in its own group, primes with one packet (960 frames): libopus's look-ahead of
    /// 312 frames topped up with silence, so segments still start on packet boundaries.
    pub fn priming_frames(self) -> u64 {
        match self {
            Self::AacLc | Self::HeAac | Self::Flac => LADDER_PRIMING_FRAMES,
            Self::Opus => OPUS_PRIMING_FRAMES,
        }
    }

    /// The rate a source is encoded at: see [`encoding_sample_rate`]; Opus always codes at
    /// 48 kHz (RFC 6716 §2), so every source is resampled to it but 48 kHz ones.
    pub fn encoding_sample_rate(self, source_sample_rate: u32) -> u32 {
        match self {
            Self::AacLc | Self::HeAac | Self::Flac => encoding_sample_rate(source_sample_rate),
            Self::Opus => 48_000,
        }
    }

    /// The RFC 6381 codecs parameter, as HLS `CODECS` and DASH `@codecs` carry it.
    pub fn rfc6381(self) -> &'static str {
        match self {
            Self::AacLc => "mp4a.40.2",
            Self::HeAac => "mp4a.40.5",
            Self::Flac => "fLaC",
            Self::Opus => "opus",
        }
    }
}

/// One encoding of a track that players can switch between.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rendition {
    /// Stable name used in URLs and cache keys, e.g. `aac-lc-128`.
    pub id: String,
    pub codec: Codec,
    /// Target bitrate for a stereo stream (constant bitrate).
    pub bitrate_kbps: u32,
}

impl Rendition {
    pub fn aac_lc(bitrate_kbps: u32) -> Self {
        Self { id: format!("aac-lc-{bitrate_kbps}"), codec: Codec::AacLc, bitrate_kbps }
    }

    pub fn he_aac(bitrate_kbps: u32) -> Self {
        Self { id: format!("he-aac-{bitrate_kbps}"), codec: Codec::HeAac, bitrate_kbps }
    }

    pub fn opus(bitrate_kbps: u32) -> Self {
        Self { id: format!("opus-{bitrate_kbps}"), codec: Codec::Opus, bitrate_kbps }
    }

    /// The lossless rung. FLAC's bitrate follows the music, not a target: `bitrate_kbps` is
    /// the PCM rate of CD audio (16-bit stereo at 44.1 kHz), which FLAC stays below, so the
    /// rung sorts above every AAC rung and a cap in kbps never admits it (see
    /// [`Ladder::within_cap`]). Playlists should state the measured peak of its segments.
    pub fn flac() -> Self {
        Self { id: "flac".to_owned(), codec: Codec::Flac, bitrate_kbps: FLAC_NOMINAL_KBPS }
    }

    /// Mono sources get half the stereo bitrate: the same quality per channel, and FDK
    /// refuses stereo-sized bitrates for one channel at the low rungs.
    pub fn bitrate_bps(&self, channels: u16) -> u32 {
        let stereo = self.bitrate_kbps * 1000;
        if channels == 1 { stereo / 2 } else { stereo }
    }
}

/// The renditions offered for a track, lowest bitrate first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    renditions: Vec<Rendition>,
}

impl Default for Ladder {
    /// HE-AAC at 48 kbps for data saving, and AAC-LC at 64, 128 and 256 kbps: all playable on
    /// every browser, iOS and Android.
    fn default() -> Self {
        let mut renditions = vec![Rendition::he_aac(48)];
        renditions.extend([64, 128, 256].map(Rendition::aac_lc));
        Self::new(renditions)
    }
}

impl Ladder {
    /// The default ladder, with the lossless rung on top when the source is lossless (FLAC,
    /// ALAC or PCM in WAV): encoding a lossy source losslessly would only spend bandwidth on
    /// its artefacts.
    pub fn for_source(lossless: bool) -> Self {
        let mut ladder = Self::default();
        if lossless {
            ladder.renditions.push(Rendition::flac());
        }
        ladder
    }

    /// The Opus group: 96 kbps (transparent for most music) and 160 kbps, advertised as
    /// variants of their own so players without Opus never pick them. Their segments are cut
    /// on a 48 kHz grid of 20 ms packets, exactly 6 s, which is not the AAC grid (2048-frame
    /// multiples at the source's rate): a player must not switch between this group and the
    /// AAC/FLAC ladder mid-stream, only start on one of them.
    pub fn opus() -> Self {
        Self::new([96, 160].map(Rendition::opus).to_vec())
    }

    pub fn new(mut renditions: Vec<Rendition>) -> Self {
        renditions.sort_by_key(|rendition| rendition.bitrate_kbps);
        Self { renditions }
    }

    pub fn renditions(&self) -> &[Rendition] {
        &self.renditions
    }

    pub fn find(&self, id: &str) -> Option<&Rendition> {
        self.renditions.iter().find(|rendition| rendition.id == id)
    }

    /// The renditions a listener may receive, given the cap from `tonearm_auth::policy`
    /// (`Entitlements::max_stream_kbps`; `None` is no cap). Lossless rungs need no cap at all:
    /// their bitrate is the music's, so no number of kbps admits them.
    pub fn within_cap(&self, max_kbps: Option<u32>) -> impl Iterator<Item = &Rendition> {
        self.renditions.iter().filter(move |rendition| match max_kbps {
            None => true,
            Some(cap) => !rendition.codec.is_lossless() && rendition.bitrate_kbps <= cap,
        })
    }
}

const LADDER_PRIMING_FRAMES: u64 = 3 * 2048;

/// One Opus packet: see [`Codec::priming_frames`].
const OPUS_PRIMING_FRAMES: u64 = 960;

/// 16 bits × 2 channels × 44 100 Hz: see [`Rendition::flac`].
const FLAC_NOMINAL_KBPS: u32 = 1411;

/// Every segment boundary is a multiple of this many frames: the least common multiple of the
/// access-unit lengths of AAC-LC (1024) and HE-AAC (2048 output frames), so a future HE-AAC rung
/// is cut on the same grid and players switch between any renditions on any boundary.
pub const SEGMENT_GRID_QUANTUM_FRAMES: u64 = 2048;

/// How long segments are. All renditions of a track share one grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentGrid {
    pub target_duration: Duration,
}

impl Default for SegmentGrid {
    /// 6 s: Apple's HLS authoring guideline, and few enough requests for a 4-minute track.
    fn default() -> Self {
        Self { target_duration: Duration::from_secs(6) }
    }
}

impl SegmentGrid {
    /// The segment length in frames at `sample_rate`: the target rounded to the nearest
    /// multiple of [`SEGMENT_GRID_QUANTUM_FRAMES`], at least one quantum.
    pub fn segment_frames(&self, sample_rate: u32) -> u64 {
        self.segment_frames_in_quanta(sample_rate, SEGMENT_GRID_QUANTUM_FRAMES)
    }

    /// The segment length of `codec`'s renditions: [`Self::segment_frames`] for the AAC/FLAC
    /// ladder; for Opus, the target in whole 960-frame packets (6 s: 300 packets).
    pub fn segment_frames_for(&self, codec: Codec, sample_rate: u32) -> u64 {
        match codec {
            Codec::AacLc | Codec::HeAac | Codec::Flac => self.segment_frames(sample_rate),
            Codec::Opus => self.segment_frames_in_quanta(sample_rate, codec.frames_per_access_unit()),
        }
    }

    fn segment_frames_in_quanta(&self, sample_rate: u32, quantum: u64) -> u64 {
        let target_frames = self.target_duration.as_secs_f64() * f64::from(sample_rate);
        let quanta = (target_frames / quantum as f64).round().max(1.0);
        quanta as u64 * quantum
    }
}

/// The rate a source is encoded at. 44.1 and 48 kHz (nearly all music) are kept as they are;
/// anything else is resampled to whichever of the two it divides or multiplies more evenly,
/// since every AAC decoder handles those and the low-rate tables of AAC sound worse.
pub fn encoding_sample_rate(source_sample_rate: u32) -> u32 {
    if source_sample_rate.is_multiple_of(11_025) { 44_100 } else { 48_000 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ladder_is_a_data_saver_and_three_aac_lc_rungs() {
        let ladder = Ladder::default();
        let ids: Vec<&str> = ladder.renditions().iter().map(|rendition| rendition.id.as_str()).collect();
        assert_eq!(ids, ["he-aac-48", "aac-lc-64", "aac-lc-128", "aac-lc-256"]);
        assert_eq!(ladder.find("aac-lc-128").map(|rendition| rendition.bitrate_kbps), Some(128));
        let codecs: Vec<&str> = ladder.renditions().iter().map(|rendition| rendition.codec.rfc6381()).collect();
        assert_eq!(codecs, ["mp4a.40.5", "mp4a.40.2", "mp4a.40.2", "mp4a.40.2"]);
    }

    #[test]
    fn free_cap_keeps_only_rungs_up_to_128_kbps() {
        let ladder = Ladder::default();
        let free: Vec<u32> = ladder.within_cap(Some(128)).map(|rendition| rendition.bitrate_kbps).collect();
        assert_eq!(free, [48, 64, 128]);
        assert_eq!(ladder.within_cap(None).count(), 4);
    }

    #[test]
    fn lossless_sources_add_a_flac_rung_that_no_cap_admits() {
        let lossy = Ladder::for_source(false);
        assert_eq!(lossy, Ladder::default());
        let lossless = Ladder::for_source(true);
        let top = lossless.renditions().last().expect("rungs");
        assert_eq!((top.id.as_str(), top.codec.rfc6381()), ("flac", "fLaC"));
        assert_eq!(lossless.within_cap(None).count(), 5);
        assert!(lossless.within_cap(Some(u32::MAX)).all(|rendition| !rendition.codec.is_lossless()));
        assert_eq!(lossless.within_cap(Some(128)).count(), 3);
    }

    #[test]
    fn the_opus_group_has_its_own_six_second_grid_at_48_khz() {
        let opus = Ladder::opus();
        let ids: Vec<&str> = opus.renditions().iter().map(|rendition| rendition.id.as_str()).collect();
        assert_eq!(ids, ["opus-96", "opus-160"]);
        assert!(opus.renditions().iter().all(|rendition| rendition.codec.rfc6381() == "opus"));
        assert_eq!(Codec::Opus.encoding_sample_rate(44_100), 48_000);
        assert_eq!(SegmentGrid::default().segment_frames_for(Codec::Opus, 48_000), 300 * 960);
        assert_eq!(SegmentGrid::default().segment_frames_for(Codec::Flac, 44_100), 129 * 2048);
    }

    #[test]
    fn segments_are_about_six_seconds_on_the_shared_grid() {
        let grid = SegmentGrid::default();
        for rate in [44_100, 48_000] {
            let frames = grid.segment_frames(rate);
            assert_eq!(frames % SEGMENT_GRID_QUANTUM_FRAMES, 0);
            for codec in [Codec::AacLc, Codec::HeAac, Codec::Flac] {
                assert_eq!(frames % codec.frames_per_access_unit(), 0);
                assert_eq!(codec.priming_frames() % codec.frames_per_access_unit(), 0);
            }
            let seconds = frames as f64 / f64::from(rate);
            assert!((seconds - 6.0).abs() < 0.03, "{rate} Hz gives {seconds} s");
        }
        assert_eq!(SegmentGrid { target_duration: Duration::from_millis(1) }.segment_frames(48_000), 2048);
    }

    #[test]
    fn common_rates_stay_and_others_map_to_their_family() {
        assert_eq!(encoding_sample_rate(44_100), 44_100);
        assert_eq!(encoding_sample_rate(48_000), 48_000);
        assert_eq!(encoding_sample_rate(88_200), 44_100);
        assert_eq!(encoding_sample_rate(22_050), 44_100);
        assert_eq!(encoding_sample_rate(96_000), 48_000);
        assert_eq!(encoding_sample_rate(32_000), 48_000);
    }
}
