//! What a track sounds like, from its decoded samples: loudness, brightness (spectral
//! centroid), noisiness (spectral flatness) and tempo. These let a track nobody has played
//! yet sit beside the tracks it resembles, and keep a radio close in sound as well as in
//! genre. The caller decodes; this module only sees mono samples.

use realfft::RealFftPlanner;
use serde::{Deserialize, Serialize};

/// The sound of one track.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sound {
    /// Mean power of the audible frames, in dB relative to full scale.
    pub loudness_db: f32,
    /// Energy-weighted mean spectral centroid, in Hz.
    pub brightness_hz: f32,
    /// Mean spectral flatness in `[0, 1]`: 0 for a pure tone, 1 for white noise.
    pub flatness: f32,
    /// Beats per minute, when the onsets are regular enough to tell.
    pub tempo_bpm: Option<f32>,
}

const FRAME: usize = 2048;
const HOP: usize = 512;
/// Frames quieter than this are silence: they say nothing of the sound.
const SILENCE_DB: f32 = -60.0;
const SLOWEST_BPM: f32 = 60.0;
const FASTEST_BPM: f32 = 200.0;
/// Listeners hear tempi near this most readily; it settles the choice between a tempo
/// and its double or half (the usual log-Gaussian prior of beat trackers).
const PREFERRED_BPM: f32 = 120.0;
/// An onset envelope whose best periodicity is weaker than this share of its energy has
/// no beat to speak of (a drone, speech, silence).
const MIN_BEAT_STRENGTH: f32 = 0.1;

/// Analyses `samples` (mono, `sample_rate` Hz); `None` for less than a frame of sound or
/// for silence.
pub fn analyse(samples: &[f32], sample_rate: u32) -> Option<Sound> {
    if samples.len() < FRAME || sample_rate == 0 {
        return None;
    }
    let mut planner = RealFftPlanner::<f32>::new();
    let fft = planner.plan_fft_forward(FRAME);
    let window: Vec<f32> =
        (0..FRAME).map(|n| 0.5 - 0.5 * (std::f32::consts::TAU * n as f32 / FRAME as f32).cos()).collect();
    let mut input = fft.make_input_vec();
    let mut spectrum = fft.make_output_vec();
    let bin_hz = sample_rate as f32 / FRAME as f32;

    let (mut power_sum, mut audible) = (0.0_f64, 0_usize);
    let (mut centroid_sum, mut centroid_weight, mut flatness_sum) = (0.0_f64, 0.0_f64, 0.0_f64);
    let mut previous: Option<Vec<f32>> = None;
    let mut onsets = Vec::new();
    for start in (0..=samples.len() - FRAME).step_by(HOP) {
        let frame = &samples[start..start + FRAME];
        let mean_square = frame.iter().map(|&s| f64::from(s * s)).sum::<f64>() / FRAME as f64;
        for ((slot, &sample), &weight) in input.iter_mut().zip(frame).zip(&window) {
            *slot = sample * weight;
        }
        fft.process(&mut input, &mut spectrum).ok()?;
        let magnitudes: Vec<f32> = spectrum.iter().map(|bin| bin.norm()).collect();
        // Spectral flux on log magnitudes: how much louder each band got, summed.
        let log_magnitudes: Vec<f32> = magnitudes.iter().map(|&m| (1.0 + 100.0 * m).ln()).collect();
        let flux = previous.as_ref().map_or(0.0, |before| {
            log_magnitudes.iter().zip(before).map(|(now, then)| (now - then).max(0.0)).sum::<f32>()
        });
        onsets.push(flux);
        previous = Some(log_magnitudes);

        if 10.0 * (mean_square.max(1e-12)).log10() < f64::from(SILENCE_DB) {
            continue;
        }
        audible += 1;
        power_sum += mean_square;
        let power: Vec<f64> = magnitudes.iter().map(|&m| f64::from(m) * f64::from(m)).collect();
        let total: f64 = power.iter().sum();
        if total > 0.0 {
            let centroid = power.iter().enumerate().map(|(bin, p)| bin as f64 * p).sum::<f64>() / total;
            centroid_sum += centroid * f64::from(bin_hz) * total;
            centroid_weight += total;
            let log_mean = power.iter().map(|p| (p + 1e-12).ln()).sum::<f64>() / power.len() as f64;
            flatness_sum += log_mean.exp() / (total / power.len() as f64);
        }
    }
    if audible == 0 {
        return None;
    }
    Some(Sound {
        loudness_db: (10.0 * (power_sum / audible as f64).log10()) as f32,
        brightness_hz: if centroid_weight > 0.0 { (centroid_sum / centroid_weight) as f32 } else { 0.0 },
        flatness: (flatness_sum / audible as f64).clamp(0.0, 1.0) as f32,
        tempo_bpm: tempo(&onsets, sample_rate as f32 / HOP as f32),
    })
}

/// The beat period of an onset envelope (`frame_rate` values a second) by autocorrelation.
fn tempo(onsets: &[f32], frame_rate: f32) -> Option<f32> {
    let mean = onsets.iter().sum::<f32>() / onsets.len().max(1) as f32;
    let centred: Vec<f32> = onsets.iter().map(|&value| value - mean).collect();
    let energy: f32 = centred.iter().map(|value| value * value).sum();
    if energy <= f32::EPSILON {
        return None;
    }
    let shortest = (frame_rate * 60.0 / FASTEST_BPM).floor().max(2.0) as usize;
    let longest = ((frame_rate * 60.0 / SLOWEST_BPM).ceil() as usize).min(centred.len().saturating_sub(2));
    if shortest >= longest {
        return None;
    }
    let correlation = |lag: usize| centred.iter().zip(&centred[lag..]).map(|(a, b)| a * b).sum::<f32>() / energy;
    let mut best: Option<(f32, usize)> = None;
    for lag in shortest..=longest {
        let bpm = 60.0 * frame_rate / lag as f32;
        let prior = (-0.5 * (bpm / PREFERRED_BPM).log2().powi(2)).exp();
        let strength = correlation(lag);
        if strength >= MIN_BEAT_STRENGTH && best.is_none_or(|(score, _)| strength * prior > score) {
            best = Some((strength * prior, lag));
        }
    }
    let (_, lag) = best?;
    // The beat rarely falls on a whole number of frames: a parabola through the peak and
    // its neighbours finds it between them.
    let (before, at, after) = (correlation(lag - 1), correlation(lag), correlation(lag + 1));
    let curvature = before - 2.0 * at + after;
    let offset = if curvature < 0.0 { (0.5 * (before - after) / curvature).clamp(-0.5, 0.5) } else { 0.0 };
    Some(60.0 * frame_rate / (lag as f32 + offset))
}

/// Likeness of two sounds in `[0, 1]`: 1 when alike on every measure, falling with the
/// loudness gap (6 dB), the brightness ratio (an octave), the tempo ratio (a fifth, a
/// tempo and its double being alike) and the flatness gap.
pub fn likeness(a: &Sound, b: &Sound) -> f32 {
    let loudness = (a.loudness_db - b.loudness_db) / 6.0;
    let brightness = (a.brightness_hz.max(1.0) / b.brightness_hz.max(1.0)).log2();
    let flatness = (a.flatness - b.flatness) / 0.2;
    let tempo = match (a.tempo_bpm, b.tempo_bpm) {
        (Some(x), Some(y)) => {
            let octaves = (x / y).log2();
            // Folded onto the nearest power of two: a half-time feel is the same beat.
            (octaves - octaves.round()) / 0.58
        }
        (None, None) => 0.0,
        _ => 1.0,
    };
    let distance = loudness * loudness + brightness * brightness + flatness * flatness + tempo * tempo;
    (-distance / 4.0).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 22_050;

    fn tone(hz: f32, seconds: f32, amplitude: f32) -> Vec<f32> {
        let n = (seconds * RATE as f32) as usize;
        (0..n).map(|i| amplitude * (std::f32::consts::TAU * hz * i as f32 / RATE as f32).sin()).collect()
    }

    /// Short noise bursts every beat over silence: a metronome.
    fn clicks(bpm: f32, seconds: f32) -> Vec<f32> {
        let n = (seconds * RATE as f32) as usize;
        let period = (60.0 / bpm * RATE as f32) as usize;
        let mut state = 1_u32;
        (0..n)
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let noise = (state >> 8) as f32 / (1 << 24) as f32 - 0.5;
                if i % period < RATE as usize / 50 { noise } else { 0.0 }
            })
            .collect()
    }

    #[test]
    fn a_tone_is_as_bright_as_its_pitch_and_not_noisy() {
        let sound = analyse(&tone(440.0, 3.0, 0.5), RATE).unwrap();
        assert!((sound.brightness_hz - 440.0).abs() < 30.0, "{sound:?}");
        assert!(sound.flatness < 0.05, "{sound:?}");
        // A sine of amplitude 0.5 has a mean power of 0.125: −9 dBFS.
        assert!((sound.loudness_db + 9.0).abs() < 0.5, "{sound:?}");
    }

    #[test]
    fn a_metronome_gives_its_tempo() {
        for bpm in [90.0, 120.0, 150.0] {
            let sound = analyse(&clicks(bpm, 12.0), RATE).unwrap();
            let found = sound.tempo_bpm.unwrap_or_else(|| panic!("no tempo for {bpm}: {sound:?}"));
            assert!((found - bpm).abs() / bpm < 0.04, "{bpm} BPM heard as {found}");
        }
    }

    #[test]
    fn silence_and_too_little_sound_have_no_sound() {
        assert_eq!(analyse(&vec![0.0; RATE as usize * 2], RATE), None);
        assert_eq!(analyse(&[0.3; 100], RATE), None);
        assert_eq!(analyse(&tone(440.0, 1.0, 0.5), 0), None);
    }

    #[test]
    fn alike_sounds_are_closer_than_different_ones() {
        let low = analyse(&tone(220.0, 3.0, 0.5), RATE).unwrap();
        let near = analyse(&tone(247.0, 3.0, 0.45), RATE).unwrap();
        let far = analyse(&clicks(150.0, 3.0), RATE).unwrap();
        assert!((likeness(&low, &low) - 1.0).abs() < 1e-6);
        assert!(likeness(&low, &near) > likeness(&low, &far), "{low:?} {near:?} {far:?}");
        assert!((likeness(&low, &far) - likeness(&far, &low)).abs() < 1e-6, "symmetric");
    }
}
