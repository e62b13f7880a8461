//! Progressive transcoded streams (`/tracks/{id}/stream?format=aac|mp3|opus&bitrate=N`) for
//! players that only play a file as it downloads (most Subsonic apps): one encoder per
//! stream on the shared encoder pool, its chunks sent as they are encoded, and the encoder
//! stopped when the listener goes away.

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonearm_auth::policy;
use tonearm_domain::Tier;
use tonearm_media::{ProgressiveFormat, ProgressiveTranscoder, TranscodeOptions};
use tonearm_model::StreamSource;

use crate::error::{ServiceError, ServiceResult};
use crate::streaming::adaptive::Adaptive;

/// MP3's range; AAC and Opus are clamped to it too, so one rule reads for every format.
const BITRATES_KBPS: std::ops::RangeInclusive<u32> = 32..=320;

/// What bitrate a listener gets when they name none: the tier's cap, at most 192 kbps.
const DEFAULT_KBPS: u32 = 192;

/// The format and bitrate asked for, checked: an unknown format or a bitrate outside
/// 32–320 kbps is a `400`; a bitrate above the tier's cap is lowered to the cap, as a
/// `maxBitRate` is.
pub fn parse_request(format: &str, bitrate: Option<u32>, tier: Tier) -> ServiceResult<(ProgressiveFormat, u32)> {
    let format = ProgressiveFormat::parse(format).ok_or_else(|| {
        ServiceError::invalid("unsupported_format", format!("format `{format}` is not one of aac, mp3, opus"))
    })?;
    if let Some(kbps) = bitrate.filter(|kbps| !BITRATES_KBPS.contains(kbps)) {
        return Err(ServiceError::invalid("invalid_bitrate", format!("bitrate {kbps} is outside 32 to 320 kbps")));
    }
    let cap = policy::entitlements(tier).max_stream_kbps.unwrap_or(u32::MAX);
    Ok((format, bitrate.unwrap_or(DEFAULT_KBPS).min(cap)))
}

/// A transcode being made: its chunks arrive as they are encoded, and dropping the stream
/// stops the encoder.
pub struct ProgressiveStream {
    pub content_type: &'static str,
    pub chunks: ReceiverStream<Bytes>,
}

/// Starts transcoding `source`. Opening errors (a corrupt source) are answered as errors;
/// an error later ends the stream early and is logged.
pub async fn start(
    adaptive: &Adaptive,
    source: StreamSource,
    tier: Tier,
    format: ProgressiveFormat,
    kbps: u32,
) -> ServiceResult<ProgressiveStream> {
    policy::may_stream_rendition(tier, source.premium_only, Some(kbps))?;
    let media = adaptive.track_media(source)?;
    let options = TranscodeOptions { source_frames: Some(media.source_frames()), ..adaptive.transcode_options() };
    let slot = adaptive.packager().encoder_slot().await?;
    let path = std::path::PathBuf::from(&media.source.path);
    let track = media.source.track_id;
    let (chunks_tx, chunks) = mpsc::channel::<Bytes>(4);
    let (opened_tx, opened) = tokio::sync::oneshot::channel();
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let job = match ProgressiveTranscoder::open(&path, format, kbps, &options) {
            Ok(job) => {
                let _ = opened_tx.send(Ok(job.content_type()));
                job
            }
            Err(error) => {
                let _ = opened_tx.send(Err(error));
                return;
            }
        };
        for chunk in job {
            match chunk {
                Ok(bytes) => {
                    if chunks_tx.blocking_send(Bytes::from(bytes)).is_err() {
                        return; // the listener went away
                    }
                }
                Err(error) => {
                    tracing::warn!(%track, %error, "progressive transcode stopped");
                    return;
                }
            }
        }
    });
    let content_type = match opened.await {
        Ok(Ok(content_type)) => content_type,
        Ok(Err(error)) => {
            return Err(ServiceError::Media(tonearm_packager::PackagerError::JobFailed {
                track: track.0,
                kind: error.kind(),
                message: error.to_string(),
            }));
        }
        Err(_) => return Err(ServiceError::internal_bare("the transcoding thread ended unexpectedly")),
    };
    Ok(ProgressiveStream { content_type, chunks: ReceiverStream::new(chunks) })
}
