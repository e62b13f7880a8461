//! One transcoding job: the blocking encoder on its own thread, handing each finished
//! piece (init, then segments in order, encrypted) to the async side through a channel of
//! two, so a slow store slows the encoder instead of filling memory.

use std::path::PathBuf;

use bytes::Bytes;
use tokio::sync::mpsc;
use tonearm_media::encryption::{ContentKey, encrypt_segment};
use tonearm_media::{MediaError, Rendition, TranscodeOptions, Transcoder};

use crate::address::{MediaFile, RenditionAddress};

/// Everything needed to produce one rendition.
#[derive(Debug, Clone)]
pub struct JobSpec {
    pub address: RenditionAddress,
    pub source: PathBuf,
    pub rendition: Rendition,
    pub options: TranscodeOptions,
    /// Segments are encrypted with this key (HLS AES-128); the init segment stays clear.
    pub content_key: ContentKey,
}

/// A finished piece of the rendition.
pub struct Piece {
    pub file: MediaFile,
    pub bytes: Bytes,
}

/// Runs the encoder on the current (blocking) thread, sending pieces until done. Stops early,
/// without error, when the receiver is gone. `between_segments` runs after each segment is
/// handed over: it may block while other jobs take their turn on the encoders.
pub fn encode(
    spec: &JobSpec,
    pieces: &mpsc::Sender<Piece>,
    mut between_segments: impl FnMut(),
) -> Result<(), MediaError> {
    let mut transcoder = Transcoder::open(&spec.source, &spec.rendition, &spec.options)?;
    let init = Bytes::copy_from_slice(transcoder.init_segment());
    if pieces.blocking_send(Piece { file: MediaFile::Init, bytes: init }).is_err() {
        return Ok(());
    }
    for segment in transcoder.by_ref() {
        let segment = segment?;
        let index = segment.span.index;
        let sealed = encrypt_segment(&spec.content_key, u64::from(index), &segment.bytes);
        if pieces.blocking_send(Piece { file: MediaFile::Segment(index), bytes: Bytes::from(sealed) }).is_err() {
            return Ok(());
        }
        between_segments();
    }
    Ok(())
}
