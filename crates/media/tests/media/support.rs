//! Sources made by ffmpeg, renditions written to disk, and readers of the result.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use mp4_atom::{Decode, Mdat, Moof, Styp};
use tonearm_media::{Rendition, SegmentSpan, SegmentTimeline, TranscodeOptions, Transcoder};

/// Makes a source with ffmpeg from a lavfi graph, encoded with `codec_args`.
pub fn make_source(dir: &Path, name: &str, lavfi: &str, codec_args: &[&str]) -> PathBuf {
    tonearm_testkit::require_tool("ffmpeg");
    let path = dir.join(name);
    let output = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", lavfi])
        .args(codec_args)
        .arg(&path)
        .output()
        .expect("ffmpeg runs");
    assert!(output.status.success(), "ffmpeg failed for {name}: {}", String::from_utf8_lossy(&output.stderr));
    path
}

/// What a transcoding job produced.
pub struct Rendered {
    /// Init segment followed by every media segment: a valid fragmented MP4 file.
    pub file: PathBuf,
    pub timeline: SegmentTimeline,
    pub spans: Vec<SegmentSpan>,
    pub fragments: Vec<Fragment>,
}

/// What the boxes of one media segment say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub sequence_number: u32,
    pub decode_time: u64,
    pub samples: usize,
}

impl Rendered {
    /// What the boxes must say: one fragment per span of the timeline.
    pub fn expected_fragments(&self) -> Vec<Fragment> {
        self.timeline
            .segments()
            .map(|span| Fragment {
                sequence_number: span.index + 1,
                decode_time: span.decode_time,
                samples: span.access_units as usize,
            })
            .collect()
    }
}

pub fn render(source: &Path, rendition: &Rendition, dir: &Path) -> Rendered {
    let job = Transcoder::open(source, rendition, &TranscodeOptions::default()).expect("the source opens");
    let timeline = *job.timeline();
    let mut bytes = job.init_segment().to_vec();
    let mut spans = Vec::new();
    let mut fragments = Vec::new();
    for segment in job {
        let segment = segment.expect("segment encodes");
        fragments.push(read_fragment(&segment.bytes));
        spans.push(segment.span);
        bytes.extend_from_slice(&segment.bytes);
    }
    let file = dir.join(format!("{}-{}.mp4", source.file_stem().unwrap().to_string_lossy(), rendition.id));
    std::fs::write(&file, bytes).expect("rendition written");
    Rendered { file, timeline, spans, fragments }
}

fn read_fragment(bytes: &[u8]) -> Fragment {
    let mut cursor = Cursor::new(bytes);
    let styp = Styp::decode(&mut cursor).expect("styp first");
    assert_eq!(styp.major_brand, b"cmfs".into());
    let moof = Moof::decode(&mut cursor).expect("then moof");
    let mdat = Mdat::decode(&mut cursor).expect("then mdat");
    let traf = &moof.traf[0];
    let sizes: Vec<u32> = traf.trun[0].samples.iter().map(|sample| sample.size.expect("sizes are explicit")).collect();
    assert_eq!(sizes.iter().map(|&size| size as usize).sum::<usize>(), mdat.data.len(), "trun sizes cover mdat");
    Fragment {
        sequence_number: moof.mfhd.sequence_number,
        decode_time: traf.tfdt.as_ref().expect("tfdt").base_media_decode_time,
        samples: sizes.len(),
    }
}

/// The first audio stream as ffprobe sees it, with the container's duration.
pub fn probe(file: &Path) -> serde_json::Value {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-show_streams", "-show_format", "-select_streams", "a:0", "-of", "json"])
        .arg(file)
        .output()
        .expect("ffprobe runs");
    assert!(output.status.success(), "ffprobe failed: {}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("ffprobe writes json");
    let mut stream = json["streams"][0].clone();
    stream["format_duration"] = json["format"]["duration"].clone();
    stream["format_start_time"] = json["format"]["start_time"].clone();
    stream
}

/// Decodes `file` with ffmpeg to mono f32 at `rate` as a player presents it, asserting ffmpeg
/// reports no error at all.
///
/// Presented: ffmpeg maps the edit list's start to presentation time 0, so the encoder's
/// priming gets negative timestamps, but it still hands those samples out when decoding to a
/// file (players drop them: MSE's append window starts at 0). `-copyts` keeps the timestamps
/// and `atrim=start=0` drops what lies before zero, as a player does, without knowing how
/// many samples that is.
pub fn decode_mono(file: &Path, rate: u32) -> Vec<f32> {
    let pcm = decode_presented(file, &["-ac", "1", "-ar", &rate.to_string(), "-f", "f32le"]);
    pcm.chunks_exact(4).map(|bytes| f32::from_le_bytes(bytes.try_into().unwrap())).collect()
}

/// Decodes `file` with ffmpeg to interleaved signed 32-bit PCM as a player presents it (see
/// [`decode_mono`]), keeping its channels and rate: for comparing lossless output exactly.
pub fn decode_exact(file: &Path) -> Vec<i32> {
    let pcm = decode_presented(file, &["-c:a", "pcm_s32le", "-f", "s32le"]);
    pcm.chunks_exact(4).map(|bytes| i32::from_le_bytes(bytes.try_into().unwrap())).collect()
}

/// The raw PCM ffmpeg writes with `output_args`, from presentation time 0 on.
fn decode_presented(file: &Path, output_args: &[&str]) -> Vec<u8> {
    let output = Command::new("ffmpeg")
        .args(["-hide_banner", "-v", "error", "-copyts", "-i"])
        .arg(file)
        .args(["-af", "atrim=start=0"])
        .args(output_args)
        .arg("-")
        .output()
        .expect("ffmpeg runs");
    assert!(output.status.success(), "ffmpeg failed on {}", file.display());
    assert!(
        output.stderr.is_empty(),
        "ffmpeg reported errors decoding {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

pub fn seconds(value: &serde_json::Value) -> f64 {
    value.as_str().and_then(|text| text.parse().ok()).unwrap_or_else(|| panic!("not a duration: {value}"))
}

/// The lag (frames `decoded` runs behind `reference`) with the highest normalised
/// cross-correlation over `window`, and that correlation.
pub fn correlation_peak(
    reference: &[f32],
    decoded: &[f32],
    window: std::ops::Range<usize>,
    max_lag: i64,
) -> (i64, f64) {
    let energy = |signal: &[f32], range: std::ops::Range<usize>| {
        signal[range].iter().map(|&x| f64::from(x) * f64::from(x)).sum::<f64>()
    };
    let reference_energy = energy(reference, window.clone());
    (-max_lag..=max_lag)
        .filter_map(|lag| {
            let start = window.start as i64 + lag;
            let end = window.end as i64 + lag;
            if start < 0 || end as usize > decoded.len() {
                return None;
            }
            let shifted = start as usize..end as usize;
            let product: f64 = reference[window.clone()]
                .iter()
                .zip(&decoded[shifted.clone()])
                .map(|(&a, &b)| f64::from(a) * f64::from(b))
                .sum();
            Some((lag, product / (reference_energy * energy(decoded, shifted)).sqrt()))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("some lag fits")
}
