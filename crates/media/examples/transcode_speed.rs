//! Transcode speed and memory of one job per rung, beside ffmpeg's own encoder for the same
//! codec on the same input.
//!
//! ```sh
//! cargo run --release -p tonearm-media --example transcode_speed
//! ```
//!
//! A 4-minute stereo 44.1 kHz FLAC is generated with ffmpeg; then, three times each, this
//! example transcodes it to a rendition (decode, encode, CMAF segments) in a child process of
//! its own, and ffmpeg (`-threads 1`) encodes the same input with the same codec: AAC-LC
//! 128 kbps against ffmpeg's `aac`, the lossless rung against ffmpeg's `flac`, Opus 96 kbps
//! (resampled to 48 kHz) against ffmpeg's `libopus`. Both run under GNU `time`, so CPU time and
//! peak RSS are measured the same way for both. Speed is per core: seconds of audio per CPU
//! second (user + system).

use std::path::Path;
use std::process::Command;

use tonearm_media::{Rendition, TranscodeOptions, Transcoder};

const TRACK_SECONDS: f64 = 240.0;
const ROUNDS: usize = 3;

struct Measurement {
    cpu_seconds: f64,
    wall_seconds: f64,
    peak_rss_mib: f64,
}

/// A rendition and the ffmpeg command that makes the same codec from the same source.
struct Rung {
    rendition: Rendition,
    ours: &'static str,
    ffmpeg_args: &'static [&'static str],
    ffmpeg_extension: &'static str,
}

fn rungs() -> [Rung; 3] {
    [
        Rung {
            rendition: Rendition::aac_lc(128),
            ours: "symphonia + FDK + CMAF",
            ffmpeg_args: &["-c:a", "aac", "-b:a", "128k"],
            ffmpeg_extension: "m4a",
        },
        Rung {
            rendition: Rendition::flac(),
            ours: "symphonia + flacenc + CMAF",
            ffmpeg_args: &["-c:a", "flac"],
            ffmpeg_extension: "flac",
        },
        Rung {
            rendition: Rendition::opus(96),
            ours: "symphonia + rubato + libopus (Rust) + CMAF",
            ffmpeg_args: &["-c:a", "libopus", "-b:a", "96k", "-ar", "48000"],
            ffmpeg_extension: "opus",
        },
    ]
}

fn main() {
    let arguments: Vec<String> = std::env::args().collect();
    if let [_, mode, source, rendition] = &arguments[..]
        && mode == "job"
    {
        let rendition = rungs().into_iter().map(|rung| rung.rendition).find(|known| &known.id == rendition);
        run_job(Path::new(source), &rendition.expect("a rendition of the benchmark"));
        return;
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("four-minutes.flac");
    generate_source(&source);
    let this_example = std::env::current_exe().expect("own path");

    println!("4-minute stereo 44.1 kHz FLAC, best of {ROUNDS} (CPU = user + system)\n");
    println!("| rendition | transcoder | CPU time | x-realtime per core | wall time | peak RSS |");
    println!("|---|---|---|---|---|---|");
    for rung in rungs() {
        let ffmpeg_output = dir.path().join(format!("ffmpeg.{}", rung.ffmpeg_extension));
        let mut ours = Vec::new();
        let mut ffmpeg = Vec::new();
        for _ in 0..ROUNDS {
            ours.push(measure(dir.path(), Command::new(&this_example).arg("job").arg(&source).arg(&rung.rendition.id)));
            ffmpeg.push(measure(
                dir.path(),
                Command::new("ffmpeg")
                    .args(["-v", "error", "-y", "-threads", "1", "-i"])
                    .arg(&source)
                    .args(rung.ffmpeg_args)
                    .arg(&ffmpeg_output),
            ));
        }
        let best = |runs: &[Measurement]| runs.iter().map(|run| run.cpu_seconds).fold(f64::INFINITY, f64::min);
        let peak = |runs: &[Measurement]| runs.iter().map(|run| run.peak_rss_mib).fold(0.0, f64::max);
        let wall = |runs: &[Measurement]| runs.iter().map(|run| run.wall_seconds).fold(f64::INFINITY, f64::min);
        let (ours_cpu, ffmpeg_cpu) = (best(&ours), best(&ffmpeg));
        let id = &rung.rendition.id;
        println!(
            "| {id} | `ffmpeg -threads 1 {}` (reference) | {ffmpeg_cpu:.2} s | {:.0}× | {:.2} s | {:.1} MiB |",
            rung.ffmpeg_args.join(" "),
            TRACK_SECONDS / ffmpeg_cpu,
            wall(&ffmpeg),
            peak(&ffmpeg)
        );
        println!(
            "| {id} | **tonearm-media** ({}) | {ours_cpu:.2} s | **{:.0}×** ({:.1}× ffmpeg) | {:.2} s | {:.1} MiB |",
            rung.ours,
            TRACK_SECONDS / ours_cpu,
            ffmpeg_cpu / ours_cpu,
            wall(&ours),
            peak(&ours)
        );
    }
}

/// One job, as a server would run it: every segment produced, then dropped.
fn run_job(source: &Path, rendition: &Rendition) {
    let job = Transcoder::open(source, rendition, &TranscodeOptions::default()).expect("source opens");
    let mut bytes = job.init_segment().len();
    for segment in job {
        bytes += segment.expect("segment encodes").bytes.len();
    }
    assert!(bytes > 2_000_000, "{bytes} bytes is too little for 4 minutes of {}", rendition.id);
}

fn generate_source(path: &Path) {
    // A chord with a slow tremolo and a little noise: busier than a sine, as music is.
    let lavfi = format!(
        "aevalsrc='(0.2*sin(2*PI*220*t)+0.15*sin(2*PI*277*t)+0.1*sin(2*PI*330*t))*(0.8+0.2*sin(2*PI*0.5*t))|\
         (0.2*sin(2*PI*247*t)+0.15*sin(2*PI*311*t)+0.1*sin(2*PI*370*t))*(0.8+0.2*sin(2*PI*0.3*t))':s=44100:d={TRACK_SECONDS}[tone];\
         anoisesrc=color=pink:amplitude=0.05:r=44100:d={TRACK_SECONDS},pan=stereo|c0=c0|c1=c0[noise];\
         [tone][noise]amix=inputs=2:normalize=0"
    );
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-filter_complex", &lavfi, "-c:a", "flac"])
        .arg(path)
        .status()
        .expect("ffmpeg (Debian's ffmpeg package) is needed to generate the source");
    assert!(status.success(), "ffmpeg could not generate the source");
}

/// Runs `command` under GNU time.
fn measure(dir: &Path, command: &mut Command) -> Measurement {
    let report = dir.join("time.txt");
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%e %U %S %M", "-o"])
        .arg(&report)
        .arg(command.get_program())
        .args(command.get_args())
        .status()
        .expect("GNU time (Debian's time package) runs");
    assert!(status.success(), "{:?} failed", command.get_program());
    let text = std::fs::read_to_string(&report).expect("time report");
    let fields: Vec<f64> = text.split_whitespace().filter_map(|field| field.parse().ok()).collect();
    let [wall_seconds, user, system, peak_kib] = fields[..] else { panic!("unexpected time report: {text}") };
    Measurement { cpu_seconds: user + system, wall_seconds, peak_rss_mib: peak_kib / 1024.0 }
}
