//! HLS playlists (RFC 8216) written from the segment timeline alone: nothing is encoded to
//! answer them, so a player's first request costs microseconds.

use std::fmt::Write;

use crate::timeline::SegmentTimeline;

/// One rendition as the master playlist announces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantStream {
    /// The media playlist, relative to the master or absolute.
    pub uri: String,
    /// RFC 8216 §4.3.4.2: the peak segment bit rate, in bits per second.
    pub peak_bandwidth_bps: u32,
    /// The average segment bit rate (`AVERAGE-BANDWIDTH`).
    pub average_bandwidth_bps: u32,
    /// RFC 6381 codecs string, e.g. `mp4a.40.2`.
    pub codecs: String,
}

/// The master playlist: every rendition the listener may receive, lowest bandwidth first.
pub fn master_playlist(variants: &[VariantStream]) -> String {
    let mut playlist = String::from("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for variant in variants {
        // `writeln!` into a String cannot fail.
        let _ = writeln!(
            playlist,
            "#EXT-X-STREAM-INF:BANDWIDTH={},AVERAGE-BANDWIDTH={},CODECS=\"{}\"\n{}",
            variant.peak_bandwidth_bps, variant.average_bandwidth_bps, variant.codecs, variant.uri
        );
    }
    playlist
}

/// Where the pieces of one rendition live, as written into its media playlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaPlaylistUris<'a> {
    /// The CMAF header (`EXT-X-MAP`).
    pub init: &'a str,
    /// Segment `n` is at `{segment_prefix}{n}{segment_suffix}`.
    pub segment_prefix: &'a str,
    pub segment_suffix: &'a str,
    /// The AES-128 key endpoint; `None` for clear segments.
    pub key: Option<&'a str>,
}

/// A VOD media playlist for one rendition.
///
/// The `EXT-X-MAP` comes before `EXT-X-KEY`, so the init segment is in the clear (it holds
/// only codec parameters) and the key applies to the media segments (RFC 8216 §4.3.2.4).
/// The key has no `IV` attribute: each segment's IV is then its media sequence number
/// (§5.2), unique per segment, and the encrypter uses the same rule.
pub fn media_playlist(timeline: &SegmentTimeline, uris: &MediaPlaylistUris<'_>) -> String {
    let target_duration = timeline.max_segment_duration().as_secs_f64().round().max(1.0) as u64;
    let mut playlist = format!(
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:{target_duration}\n#EXT-X-MEDIA-SEQUENCE:0\n\
         #EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"{}\"\n",
        uris.init
    );
    if let Some(key) = uris.key {
        let _ = writeln!(playlist, "#EXT-X-KEY:METHOD=AES-128,URI=\"{key}\",KEYFORMAT=\"identity\"");
    }
    for segment in timeline.segments() {
        let _ = writeln!(
            playlist,
            "#EXTINF:{:.6},\n{}{}{}",
            segment.duration().as_secs_f64(),
            uris.segment_prefix,
            segment.index,
            uris.segment_suffix
        );
    }
    playlist.push_str("#EXT-X-ENDLIST\n");
    playlist
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::{Codec, SegmentGrid};

    fn timeline(seconds: u64) -> SegmentTimeline {
        SegmentTimeline::new(seconds * 44_100, 44_100, Codec::AacLc, &SegmentGrid::default())
    }

    #[test]
    fn master_lists_every_variant_with_bandwidth_and_codecs() {
        let variants = [
            VariantStream {
                uri: "a/index.m3u8".into(),
                peak_bandwidth_bps: 70_000,
                average_bandwidth_bps: 66_000,
                codecs: "mp4a.40.2".into(),
            },
            VariantStream {
                uri: "b/index.m3u8".into(),
                peak_bandwidth_bps: 140_000,
                average_bandwidth_bps: 130_000,
                codecs: "mp4a.40.2".into(),
            },
        ];
        let text = master_playlist(&variants);
        assert!(text.starts_with("#EXTM3U\n#EXT-X-VERSION:7\n"));
        assert!(text.contains(
            "#EXT-X-STREAM-INF:BANDWIDTH=70000,AVERAGE-BANDWIDTH=66000,CODECS=\"mp4a.40.2\"\na/index.m3u8\n"
        ));
        assert_eq!(text.matches("#EXT-X-STREAM-INF").count(), 2);
    }

    #[test]
    fn media_playlist_lists_every_segment_after_a_clear_init() {
        let timeline = timeline(20);
        let uris = MediaPlaylistUris { init: "init.mp4", segment_prefix: "", segment_suffix: ".m4s", key: Some("/k") };
        let text = media_playlist(&timeline, &uris);
        let map = text.find("#EXT-X-MAP").unwrap();
        let key = text.find("#EXT-X-KEY:METHOD=AES-128,URI=\"/k\"").unwrap();
        assert!(map < key, "the init segment stays in the clear");
        assert!(text.contains("#EXT-X-TARGETDURATION:6\n"));
        assert_eq!(text.matches("#EXTINF").count() as u32, timeline.segment_count());
        assert!(text.contains("\n0.m4s\n") && text.contains("\n3.m4s\n"));
        assert!(text.ends_with("#EXT-X-ENDLIST\n"));
        let listed: f64 = text
            .lines()
            .filter_map(|line| line.strip_prefix("#EXTINF:"))
            .map(|value| value.trim_end_matches(',').parse::<f64>().unwrap())
            .sum();
        assert!((listed - 20.0).abs() < 1e-4, "the segments add up to the track: {listed}");
    }

    #[test]
    fn clear_playlists_have_no_key() {
        let uris = MediaPlaylistUris { init: "i", segment_prefix: "s", segment_suffix: "", key: None };
        assert!(!media_playlist(&timeline(7), &uris).contains("EXT-X-KEY"));
    }
}
