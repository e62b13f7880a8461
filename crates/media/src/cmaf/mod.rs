//! CMAF packaging (ISO/IEC 23000-19) of one AAC track as fragmented MP4 (ISO/IEC 14496-12):
//! a header (`ftyp` + `moov`) and one fragment (`styp` + `moof` + `mdat`) per segment.
//! The boxes are written with `mp4-atom`; this module decides their contents.

mod fragment;
mod init;

pub use fragment::MediaSegment;
pub(crate) use fragment::MediaSegmentBuilder;
pub use init::init_segment;

/// The one track of every file; CMAF tracks hold a single media stream (23000-19 §7.3.1).
const TRACK_ID: u32 = 1;
