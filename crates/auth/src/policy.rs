//! Every entitlement of a tier, decided here and nowhere else: handlers ask this module
//! and never compare tiers themselves, so changing what a tier gets is one edit.

use tonearm_domain::{AudioFormat, Tier};

/// What a tier may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entitlements {
    /// The highest lossy bitrate streamed; `None`: no cap, lossless included.
    pub max_stream_kbps: Option<u32>,
    pub offline_downloads: bool,
    /// Skips allowed per rolling hour; `None`: unlimited.
    pub skips_per_hour: Option<u32>,
    /// Whether albums marked premium-only play.
    pub premium_releases: bool,
}

pub const FREE_MAX_STREAM_KBPS: u32 = 128;
pub const FREE_SKIPS_PER_HOUR: u32 = 6;
/// The window the skip limit counts over.
pub const SKIP_WINDOW_MS: i64 = 3600 * 1000;

pub fn entitlements(tier: Tier) -> Entitlements {
    match tier {
        Tier::Free => Entitlements {
            max_stream_kbps: Some(FREE_MAX_STREAM_KBPS),
            offline_downloads: false,
            skips_per_hour: Some(FREE_SKIPS_PER_HOUR),
            premium_releases: false,
        },
        Tier::Premium => Entitlements {
            max_stream_kbps: None,
            offline_downloads: true,
            skips_per_hour: None,
            premium_releases: true,
        },
    }
}

/// The facts about a track that decide who may play its original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackAccess {
    pub format: AudioFormat,
    /// As read from the file's headers; `None` when the file does not say.
    pub bitrate_kbps: Option<u32>,
    pub premium_only: bool,
}

/// Why a listener may not do something; every variant is a `403` with its own code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("this release is for Premium listeners only: upgrade to play it")]
    PremiumRelease,
    #[error(
        "free accounts stream up to {cap_kbps} kbps and this stream is {}: upgrade to Premium to play it",
        describe_quality(*.source_kbps, *.lossless)
    )]
    QualityAboveTier { source_kbps: Option<u32>, lossless: bool, cap_kbps: u32 },
    #[error("downloading music for offline listening needs Premium")]
    DownloadsNeedPremium,
    #[error("free accounts can skip {limit} tracks an hour: the next skip is possible in {} min", retry_after_seconds.div_ceil(60))]
    SkipLimitReached { limit: u32, retry_after_seconds: u64 },
}

fn describe_quality(kbps: Option<u32>, lossless: bool) -> String {
    match (kbps, lossless) {
        (_, true) => "lossless".to_owned(),
        (Some(kbps), false) => format!("{kbps} kbps"),
        (None, false) => "of unknown bitrate".to_owned(),
    }
}

impl Refusal {
    /// The stable machine-readable code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::PremiumRelease | Self::QualityAboveTier { .. } | Self::DownloadsNeedPremium => "premium_required",
            Self::SkipLimitReached { .. } => "skip_limit_reached",
        }
    }

    /// Seconds until asking again can succeed, when waiting helps at all.
    pub fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            Self::SkipLimitReached { retry_after_seconds, .. } => Some(*retry_after_seconds),
            _ => None,
        }
    }
}

/// Bitrates read from headers include some container overhead, and VBR files report an
/// average: a file within this margin of the cap counts as at the cap.
const BITRATE_TOLERANCE_PERCENT: u32 = 5;

/// Whether `tier` may stream this track's original file as it is.
pub fn may_stream_original(tier: Tier, track: &TrackAccess) -> Result<(), Refusal> {
    let rights = entitlements(tier);
    if track.premium_only && !rights.premium_releases {
        return Err(Refusal::PremiumRelease);
    }
    let Some(cap_kbps) = rights.max_stream_kbps else {
        return Ok(());
    };
    let lossless = track.format.is_lossless();
    let within_cap =
        !lossless && track.bitrate_kbps.is_some_and(|kbps| kbps * 100 <= cap_kbps * (100 + BITRATE_TOLERANCE_PERCENT));
    if within_cap {
        Ok(())
    } else {
        Err(Refusal::QualityAboveTier { source_kbps: track.bitrate_kbps, lossless, cap_kbps })
    }
}

/// Whether `tier` may receive a transcoded rendition of this track: `rendition_kbps` is its
/// nominal bitrate, `None` for a lossless rendition. Renditions are encoded to their bitrate,
/// so unlike originals no tolerance applies.
pub fn may_stream_rendition(tier: Tier, premium_only: bool, rendition_kbps: Option<u32>) -> Result<(), Refusal> {
    let rights = entitlements(tier);
    if premium_only && !rights.premium_releases {
        return Err(Refusal::PremiumRelease);
    }
    match (rights.max_stream_kbps, rendition_kbps) {
        (None, _) => Ok(()),
        (Some(cap_kbps), Some(kbps)) if kbps <= cap_kbps => Ok(()),
        (Some(cap_kbps), kbps) => {
            Err(Refusal::QualityAboveTier { source_kbps: kbps, lossless: kbps.is_none(), cap_kbps })
        }
    }
}

/// Whether `tier` may download tracks for offline listening.
pub fn may_download(tier: Tier) -> Result<(), Refusal> {
    if entitlements(tier).offline_downloads { Ok(()) } else { Err(Refusal::DownloadsNeedPremium) }
}

/// The skip limit `tier` is held to: `(skips, window in ms)`, or `None` when unlimited.
pub fn skip_limit(tier: Tier) -> Option<(u32, i64)> {
    entitlements(tier).skips_per_hour.map(|skips| (skips, SKIP_WINDOW_MS))
}

/// The refusal for a skip beyond the limit, given when the oldest counted skip happened.
pub fn skip_refusal(limit: u32, oldest_skip_ms: i64, now_ms: i64) -> Refusal {
    let free_again_ms = oldest_skip_ms + SKIP_WINDOW_MS - now_ms;
    Refusal::SkipLimitReached { limit, retry_after_seconds: (free_again_ms.max(1000) as u64).div_ceil(1000) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(format: AudioFormat, kbps: Option<u32>, premium_only: bool) -> TrackAccess {
        TrackAccess { format, bitrate_kbps: kbps, premium_only }
    }

    #[test]
    fn free_listeners_stream_lossy_files_up_to_the_cap_only() {
        assert_eq!(may_stream_original(Tier::Free, &track(AudioFormat::Mp3, Some(128), false)), Ok(()));
        assert_eq!(may_stream_original(Tier::Free, &track(AudioFormat::Aac, Some(133), false)), Ok(()));
        let too_high = may_stream_original(Tier::Free, &track(AudioFormat::Mp3, Some(192), false)).unwrap_err();
        assert_eq!(too_high.code(), "premium_required");
        assert!(too_high.to_string().contains("192 kbps"), "{too_high}");
        let lossless = may_stream_original(Tier::Free, &track(AudioFormat::Flac, Some(90), false)).unwrap_err();
        assert!(lossless.to_string().contains("lossless"), "{lossless}");
        assert!(may_stream_original(Tier::Free, &track(AudioFormat::Vorbis, None, false)).is_err());
    }

    #[test]
    fn premium_listeners_stream_everything() {
        for format in AudioFormat::ALL {
            assert_eq!(may_stream_original(Tier::Premium, &track(format, Some(1411), true)), Ok(()));
        }
    }

    #[test]
    fn premium_releases_are_refused_to_free_listeners_whatever_the_quality() {
        let refusal = may_stream_original(Tier::Free, &track(AudioFormat::Mp3, Some(96), true)).unwrap_err();
        assert_eq!(refusal, Refusal::PremiumRelease);
        assert_eq!(refusal.code(), "premium_required");
    }

    #[test]
    fn renditions_above_the_cap_and_lossless_need_premium() {
        assert_eq!(may_stream_rendition(Tier::Free, false, Some(128)), Ok(()));
        let above = may_stream_rendition(Tier::Free, false, Some(256)).unwrap_err();
        assert!(above.to_string().contains("256 kbps"), "{above}");
        assert!(may_stream_rendition(Tier::Free, false, None).unwrap_err().to_string().contains("lossless"));
        assert_eq!(may_stream_rendition(Tier::Free, true, Some(48)), Err(Refusal::PremiumRelease));
        assert_eq!(may_stream_rendition(Tier::Premium, true, None), Ok(()));
    }

    #[test]
    fn downloads_and_skips_follow_the_tier() {
        assert_eq!(may_download(Tier::Free), Err(Refusal::DownloadsNeedPremium));
        assert_eq!(may_download(Tier::Premium), Ok(()));
        assert_eq!(skip_limit(Tier::Free), Some((6, 3_600_000)));
        assert_eq!(skip_limit(Tier::Premium), None);
    }

    #[test]
    fn skip_refusals_say_when_the_oldest_skip_leaves_the_window() {
        let now = 10_000_000;
        let refusal = skip_refusal(6, now - SKIP_WINDOW_MS + 90_500, now);
        assert_eq!(refusal.retry_after_seconds(), Some(91));
        assert_eq!(refusal.code(), "skip_limit_reached");
        assert!(refusal.to_string().contains("2 min"), "{refusal}");
        // A skip that already left the window never yields a zero or negative wait.
        assert_eq!(skip_refusal(6, now - 2 * SKIP_WINDOW_MS, now).retry_after_seconds(), Some(1));
    }
}
