//! Folding more than two channels into stereo (ITU-R BS.775 coefficients: centre and
//! surrounds at −3 dB, LFE dropped), normalised so a full-scale input cannot clip.

use symphonia::core::audio::{Channels, Position};

/// Gains from each source channel (in the decoder's plane order) to left and right.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Downmix {
    gains: Vec<(f32, f32)>,
}

const MINUS_3_DB: f32 = std::f32::consts::FRAC_1_SQRT_2;

impl Downmix {
    /// `None` when the source is mono or stereo and passes through unchanged.
    pub(crate) fn for_channels(channels: &Channels) -> Option<Self> {
        if channels.count() <= 2 {
            return None;
        }
        let gains: Vec<(f32, f32)> = match channels {
            Channels::Positioned(positions) => positions.iter().map(position_gains).collect(),
            // Unlabelled channels: alternate left and right, as WAVE order mostly does.
            _ => (0..channels.count()).map(|index| if index % 2 == 0 { (1.0, 0.0) } else { (0.0, 1.0) }).collect(),
        };
        let left_sum: f32 = gains.iter().map(|gain| gain.0).sum();
        let right_sum: f32 = gains.iter().map(|gain| gain.1).sum();
        let scale = 1.0 / left_sum.max(right_sum).max(1.0);
        Some(Self { gains: gains.into_iter().map(|(left, right)| (left * scale, right * scale)).collect() })
    }

    /// Appends the stereo mix of `interleaved` (source channels) to `stereo`.
    pub(crate) fn apply(&self, interleaved: &[f32], stereo: &mut Vec<f32>) {
        for frame in interleaved.chunks_exact(self.gains.len()) {
            let (left, right) = frame
                .iter()
                .zip(&self.gains)
                .fold((0.0, 0.0), |(left, right), (sample, gain)| (left + sample * gain.0, right + sample * gain.1));
            stereo.extend([left, right]);
        }
    }
}

fn position_gains(position: Position) -> (f32, f32) {
    const LEFT: Position = Position::FRONT_LEFT
        .union(Position::REAR_LEFT)
        .union(Position::FRONT_LEFT_CENTER)
        .union(Position::SIDE_LEFT)
        .union(Position::TOP_FRONT_LEFT)
        .union(Position::TOP_REAR_LEFT)
        .union(Position::TOP_SIDE_LEFT)
        .union(Position::BOTTOM_FRONT_LEFT)
        .union(Position::FRONT_LEFT_WIDE);
    const RIGHT: Position = Position::FRONT_RIGHT
        .union(Position::REAR_RIGHT)
        .union(Position::FRONT_RIGHT_CENTER)
        .union(Position::SIDE_RIGHT)
        .union(Position::TOP_FRONT_RIGHT)
        .union(Position::TOP_REAR_RIGHT)
        .union(Position::TOP_SIDE_RIGHT)
        .union(Position::BOTTOM_FRONT_RIGHT)
        .union(Position::FRONT_RIGHT_WIDE);
    const LFE: Position = Position::LFE1.union(Position::LFE2);
    if position == Position::FRONT_LEFT || position == Position::FRONT_RIGHT {
        // The front pair is the stereo image itself: full gain.
        return if position == Position::FRONT_LEFT { (1.0, 0.0) } else { (0.0, 1.0) };
    }
    if LFE.contains(position) {
        (0.0, 0.0)
    } else if LEFT.contains(position) {
        (MINUS_3_DB, 0.0)
    } else if RIGHT.contains(position) {
        (0.0, MINUS_3_DB)
    } else {
        (MINUS_3_DB, MINUS_3_DB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn five_one() -> Channels {
        Channels::Positioned(
            Position::FRONT_LEFT
                | Position::FRONT_RIGHT
                | Position::FRONT_CENTER
                | Position::LFE1
                | Position::REAR_LEFT
                | Position::REAR_RIGHT,
        )
    }

    #[test]
    fn mono_and_stereo_pass_through() {
        assert_eq!(Downmix::for_channels(&Channels::Discrete(1)), None);
        assert_eq!(Downmix::for_channels(&Channels::Positioned(Position::FRONT_LEFT | Position::FRONT_RIGHT)), None);
    }

    #[test]
    fn five_one_folds_to_stereo_without_clipping() {
        let downmix = Downmix::for_channels(&five_one()).expect("5.1 is mixed");
        let mut stereo = Vec::new();
        // One frame at full scale everywhere, one with only the left front.
        downmix.apply(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0], &mut stereo);
        assert_eq!(stereo.len(), 4);
        assert!((stereo[0] - 1.0).abs() < 1e-6 && (stereo[1] - 1.0).abs() < 1e-6, "{stereo:?}");
        assert!(stereo[2] > 0.0 && stereo[3] == 0.0, "left stays left: {stereo:?}");
    }
}
