//! Renditions line up: with each other on segment boundaries, with the source sample for sample.

use tonearm_media::{Codec, Ladder, Rendition};

use crate::support::{correlation_peak, decode_mono, make_source, render};

#[test]
fn segment_boundaries_are_identical_across_renditions_and_follow_the_timeline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = make_source(
        dir.path(),
        "twenty-seconds.flac",
        "aevalsrc=0.3*sin(2*PI*440*t)|0.3*sin(2*PI*660*t):s=44100:d=20.5",
        &["-c:a", "flac"],
    );
    let mut boundaries_per_rendition: Vec<Vec<(u32, u64)>> = Vec::new();
    for rendition in Ladder::for_source(true).renditions() {
        let rendered = render(&source, rendition, dir.path());
        let expected = rendered.expected_fragments();
        assert_eq!(expected.len(), 4, "20.5 s in segments of 5.99 s");
        assert_eq!(rendered.fragments, expected, "{}: the boxes say what the timeline says", rendition.id);
        assert_eq!(rendered.spans, rendered.timeline.segments().collect::<Vec<_>>());
        boundaries_per_rendition
            .push(rendered.fragments.iter().map(|fragment| (fragment.sequence_number, fragment.decode_time)).collect());
    }
    // HE-AAC access units and FLAC blocks are twice as long as AAC-LC's, so only sample
    // counts differ between codecs.
    assert_eq!(boundaries_per_rendition.len(), 5);
    assert!(
        boundaries_per_rendition.windows(2).all(|pair| pair[0] == pair[1]),
        "sequence numbers and tfdt match across renditions: {boundaries_per_rendition:?}"
    );
}

#[test]
fn decoded_renditions_correlate_with_the_source_at_zero_lag() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Pink noise: no period, so the correlation has one sharp peak.
    let source = make_source(
        dir.path(),
        "noise.flac",
        "anoisesrc=color=pink:seed=42:amplitude=0.5:r=44100:d=4,pan=stereo|c0=c0|c1=c0",
        &["-c:a", "flac"],
    );
    let reference = decode_mono(&source, 44_100);
    for rendition in [Rendition::he_aac(48), Rendition::aac_lc(64), Rendition::aac_lc(256)] {
        let kbps = &rendition.id;
        let rendered = render(&source, &rendition, dir.path());
        let decoded = decode_mono(&rendered.file, 44_100);
        assert!(
            decoded.len().abs_diff(reference.len()) <= 2048,
            "{kbps}: {} frames decoded, source has {}",
            decoded.len(),
            reference.len()
        );
        let (best_lag, peak) = correlation_peak(&reference, &decoded, 30_000..50_000, 2_500);
        // SBR's synthesis delay differs by one sample between decoders (ffmpeg's native one
        // against FDK's, whose delay the priming follows): 23 µs, far below audibility.
        let tolerance = match rendition.codec {
            Codec::AacLc | Codec::Flac | Codec::Opus => 0,
            Codec::HeAac => 1,
        };
        assert!(best_lag.abs() <= tolerance, "{kbps}: the rendition is shifted by {best_lag} frames");
        // Noise is the hardest signal for AAC: at 64 kbps about 0.89 is what survives, and
        // SBR only reproduces the upper band's envelope, not its waveform.
        assert!(peak > 0.6, "{kbps}: normalised correlation {peak}");
        // The very start lines up too: no priming left in front of the first source frame.
        let (start_lag, _) = correlation_peak(&reference, &decoded, 0..8_192, 2_500);
        assert!(start_lag.abs() <= tolerance, "{kbps}: the first frames are shifted by {start_lag}");
    }
}
