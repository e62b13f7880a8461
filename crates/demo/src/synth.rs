//! Synthesized music: pads playing a chord progression, a melody over the scale, a bass
//! line and a drum kit, mixed to stereo. Oscillators read a sine wavetable with running
//! phases, so the per-sample work is a handful of table lookups.

use std::f32::consts::TAU;
use std::sync::OnceLock;

use crate::plan::{Rng, SongPlan};

const TABLE_SIZE: usize = 4096;
const MAJOR: [i32; 7] = [0, 2, 4, 5, 7, 9, 11];
const MINOR: [i32; 7] = [0, 2, 3, 5, 7, 8, 10];

fn sine_table() -> &'static [f32; TABLE_SIZE] {
    static TABLE: OnceLock<[f32; TABLE_SIZE]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|i| (i as f32 / TABLE_SIZE as f32 * TAU).sin()))
}

/// Sine of a phase in cycles (any real number).
fn sine(phase: f32) -> f32 {
    let index = (phase.fract() + 1.0).fract() * TABLE_SIZE as f32;
    sine_table()[(index as usize) & (TABLE_SIZE - 1)]
}

fn midi_hz(note: i32) -> f32 {
    440.0 * 2f32.powf((note - 69) as f32 / 12.0)
}

/// The MIDI note of scale degree `degree` (may exceed 7: octaves up) above `root`.
fn scale_note(root: i32, minor: bool, degree: i32) -> i32 {
    let scale = if minor { &MINOR } else { &MAJOR };
    root + 12 * degree.div_euclid(7) + scale[degree.rem_euclid(7) as usize]
}

/// A voice: a phase accumulator and an envelope restarted on each note.
#[derive(Default, Clone, Copy)]
struct Voice {
    phase: f32,
    hz: f32,
    age: f32,
}

impl Voice {
    fn trigger(&mut self, hz: f32) {
        self.hz = hz;
        self.age = 0.0;
    }

    fn advance(&mut self, dt: f32) {
        self.phase = (self.phase + self.hz * dt).fract();
        self.age += dt;
    }
}

/// Renders a song as interleaved stereo samples in −1..1.
pub fn synthesize(song: &SongPlan, sample_rate: u32) -> Vec<f32> {
    let frames = (song.seconds * f64::from(sample_rate)) as usize;
    let dt = 1.0 / sample_rate as f32;
    let beat = 60.0 / song.tempo_bpm;
    let bar = beat * 4.0;
    let root = i32::from(song.root_note);
    let mut rng = Rng::new(song.seed);
    let mut noise = Rng::new(song.seed ^ 0x5eed);

    let mut pads = [Voice::default(); 3];
    let mut melody = Voice::default();
    let mut bass = Voice::default();
    let mut kick = Voice::default();
    let mut snare_age = f32::MAX;
    let mut hat_age = f32::MAX;
    let mut previous_noise = 0.0f32;
    let mut melody_degree = 7i32;
    let mut current_bar = usize::MAX;
    let mut current_eighth = usize::MAX;

    let fade = (sample_rate as f32 * 1.5).min(frames as f32 / 4.0).max(1.0);
    let mut out = Vec::with_capacity(frames * 2);
    for frame in 0..frames {
        let t = frame as f32 * dt;
        let bar_index = (t / bar) as usize;
        if bar_index != current_bar {
            current_bar = bar_index;
            let chord_root = song.progression[bar_index % 4] as i32;
            for (voice, step) in pads.iter_mut().zip([0, 2, 4]) {
                voice.trigger(midi_hz(scale_note(root + 12, song.minor, chord_root + step)));
            }
        }
        let eighth = (t / (beat / 2.0)) as usize;
        if eighth != current_eighth {
            current_eighth = eighth;
            let chord_root = song.progression[bar_index % 4] as i32;
            // Melody: a random walk over the scale, resting now and then.
            if rng.below(4) != 0 {
                melody_degree = (melody_degree + rng.below(5) as i32 - 2).clamp(3, 12);
                melody.trigger(midi_hz(scale_note(root + 12, song.minor, melody_degree)));
            }
            if eighth.is_multiple_of(2) {
                bass.trigger(midi_hz(scale_note(root - 12, song.minor, chord_root)));
            }
            if song.drums {
                match eighth % 8 {
                    0 | 4 => kick.trigger(55.0),
                    2 | 6 => snare_age = 0.0,
                    _ => {}
                }
                hat_age = 0.0;
            }
        }

        let pad: f32 = pads
            .iter()
            .map(|voice| {
                let swell = (voice.age / 0.6).min(1.0);
                swell
                    * (sine(voice.phase)
                        + 0.35 * sine(voice.phase * 2.0)
                        + 0.15 * song.brightness * sine(voice.phase * 3.0))
            })
            .sum::<f32>()
            * 0.09;
        let pluck = (-melody.age * (3.0 + 6.0 * song.brightness)).exp() * (melody.age / 0.005).min(1.0);
        let lead = pluck * (sine(melody.phase) + 0.4 * song.brightness * sine(melody.phase * 2.0)) * 0.22;
        let low = (-bass.age * 4.0).exp() * (sine(bass.phase) + 0.3 * sine(bass.phase * 2.0)) * 0.28;

        let mut drums = 0.0;
        if song.drums {
            // The kick's pitch falls from ~150 Hz to 55 Hz as it decays.
            kick.hz = 55.0 + 95.0 * (-kick.age * 30.0).exp();
            drums += (-kick.age * 9.0).exp() * sine(kick.phase) * 0.5;
            let white = noise.unit() * 2.0 - 1.0;
            drums += (-snare_age * 18.0).exp() * white * 0.18;
            // A first difference of white noise leans to high frequencies: a hi-hat.
            drums += (-hat_age * 60.0).exp() * (white - previous_noise) * 0.05;
            previous_noise = white;
            snare_age += dt;
            hat_age += dt;
        }

        let envelope = (frame as f32 / fade).min(1.0).min((frames - frame) as f32 / fade);
        let left = soft_clip((pad * 1.1 + lead * 0.7 + low + drums) * envelope);
        let right = soft_clip((pad * 0.9 + lead * 1.3 + low + drums) * envelope);
        out.push(left);
        out.push(right);

        for voice in pads.iter_mut() {
            voice.advance(dt);
        }
        melody.advance(dt);
        bass.advance(dt);
        kick.advance(dt);
    }
    out
}

/// Keeps peaks below full scale without the harshness of hard clipping.
fn soft_clip(sample: f32) -> f32 {
    sample / (1.0 + sample.abs() * 0.5)
}

/// Converts to 16-bit PCM, the depth every demo encoder takes.
pub fn to_i16(samples: &[f32]) -> Vec<i16> {
    samples.iter().map(|sample| (sample.clamp(-1.0, 1.0) * 32_767.0) as i16).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn song() -> SongPlan {
        SongPlan {
            seconds: 4.0,
            root_note: 48,
            minor: false,
            tempo_bpm: 120.0,
            progression: [0, 4, 5, 3],
            seed: 3,
            brightness: 0.6,
            drums: true,
        }
    }

    /// Energy of a one-pole low-passed and high-passed copy: music has both.
    fn band_energies(mono: &[f32]) -> (f32, f32) {
        let (mut low, mut low_energy, mut high_energy) = (0.0f32, 0.0f32, 0.0f32);
        for sample in mono {
            low += 0.02 * (sample - low);
            low_energy += low * low;
            high_energy += (sample - low) * (sample - low);
        }
        (low_energy, high_energy)
    }

    #[test]
    fn music_is_loud_enough_within_range_and_spans_the_spectrum() {
        let samples = synthesize(&song(), 44_100);
        assert_eq!(samples.len(), 4 * 44_100 * 2);
        assert!(samples.iter().all(|s| s.abs() <= 1.0));
        let rms = (samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32).sqrt();
        assert!(rms > 0.05, "rms {rms}");
        let mono: Vec<f32> = samples.chunks(2).map(|pair| pair[0]).collect();
        let (low, high) = band_energies(&mono);
        assert!(low > 0.1 * high && high > 0.01 * low, "low {low} high {high}");
        // Not a steady tone: loudness changes from one beat to the next.
        let beat_rms: Vec<f32> =
            mono.chunks(11_025).map(|c| (c.iter().map(|s| s * s).sum::<f32>() / c.len() as f32).sqrt()).collect();
        let spread =
            beat_rms.iter().cloned().fold(f32::MIN, f32::max) - beat_rms.iter().cloned().fold(f32::MAX, f32::min);
        assert!(spread > 0.01, "beats {beat_rms:?}");
    }
}
