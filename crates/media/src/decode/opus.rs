//! Ogg Opus sources: symphonia demuxes the Ogg pages (and reads the length from the last
//! granule position), libopus decodes the packets, and this module applies what the
//! identification header asks of a player (RFC 7845 §5.1): drop the pre-skip, scale by the
//! output gain.

use crate::libopus::{OpusError, OpusPacketDecoder};

/// The fields of an `OpusHead` packet (RFC 7845 §5.1) a decoder acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OpusHead {
    pub channels: u16,
    /// Frames at 48 kHz to drop from the start of the decoded stream.
    pub pre_skip: u16,
    /// Q7.8 decibels to apply to the decoded output.
    pub output_gain: i16,
    pub channel_mapping_family: u8,
}

impl OpusHead {
    /// Parses the identification header; `None` if it is not one.
    pub fn parse(packet: &[u8]) -> Option<Self> {
        let (b"OpusHead", fields) = packet.split_at_checked(8)? else {
            return None;
        };
        // Major version 0 is the only one defined; minor versions stay compatible (§5.1).
        let &[version, channels, pre_skip_low, pre_skip_high, _, _, _, _, gain_low, gain_high, family, ..] = fields
        else {
            return None;
        };
        (version >> 4 == 0 && channels > 0).then_some(Self {
            channels: u16::from(channels),
            pre_skip: u16::from_le_bytes([pre_skip_low, pre_skip_high]),
            output_gain: i16::from_le_bytes([gain_low, gain_high]),
            channel_mapping_family: family,
        })
    }

    /// The output gain as a linear factor.
    pub fn gain_factor(&self) -> f32 {
        10_f32.powf(f32::from(self.output_gain) / 256.0 / 20.0)
    }
}

/// Decodes the packets of one Ogg Opus stream to the PCM a player would present.
pub(crate) struct OpusStreamDecoder {
    decoder: OpusPacketDecoder,
    channels: usize,
    gain: f32,
    pre_skip_left: usize,
}

impl OpusStreamDecoder {
    /// Channel mapping family 0 (mono or stereo, one stream) only: surround Opus music is rare,
    /// and the ladder folds it to stereo anyway.
    pub fn new(head: &OpusHead) -> Result<Self, String> {
        if head.channel_mapping_family != 0 || head.channels > 2 {
            return Err(format!(
                "opus channel mapping family {} with {} channels (only mono and stereo are decoded)",
                head.channel_mapping_family, head.channels
            ));
        }
        let decoder = OpusPacketDecoder::new(head.channels).map_err(|error| error.to_string())?;
        Ok(Self {
            decoder,
            channels: usize::from(head.channels),
            gain: head.gain_factor(),
            pre_skip_left: usize::from(head.pre_skip),
        })
    }

    pub fn channels(&self) -> u16 {
        self.channels as u16
    }

    /// Decodes `packet` into `pcm` (interleaved), less whatever pre-skip remains; `pcm` may end
    /// up empty.
    pub fn decode(&mut self, packet: &[u8], pcm: &mut Vec<f32>) -> Result<(), OpusError> {
        self.decoder.decode(packet, pcm)?;
        let skipped = self.pre_skip_left.min(pcm.len() / self.channels);
        self.pre_skip_left -= skipped;
        pcm.drain(..skipped * self.channels);
        if self.gain != 1.0 {
            pcm.iter_mut().for_each(|sample| *sample *= self.gain);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(channels: u8, pre_skip: u16, gain: i16, family: u8) -> Vec<u8> {
        let mut packet = b"OpusHead".to_vec();
        packet.extend([1, channels]);
        packet.extend(pre_skip.to_le_bytes());
        packet.extend(44_100_u32.to_le_bytes());
        packet.extend(gain.to_le_bytes());
        packet.push(family);
        packet
    }

    #[test]
    fn the_header_gives_pre_skip_gain_and_layout() {
        let parsed = OpusHead::parse(&head(2, 312, -6 * 256, 0)).expect("parses");
        assert_eq!((parsed.channels, parsed.pre_skip, parsed.channel_mapping_family), (2, 312, 0));
        // −6 dB is a factor of about one half.
        assert!((parsed.gain_factor() - 0.501).abs() < 0.001, "{}", parsed.gain_factor());
        assert_eq!(OpusHead::parse(&head(2, 312, 0, 0)).map(|head| head.gain_factor()), Some(1.0));
        assert_eq!(OpusHead::parse(b"OpusTags\x01\x02"), None);
        assert_eq!(OpusHead::parse(&head(2, 312, 0, 0)[..15]), None);
    }

    #[test]
    fn surround_streams_are_refused() {
        assert!(OpusStreamDecoder::new(&OpusHead::parse(&head(6, 312, 0, 1)).expect("parses")).is_err());
        assert!(OpusStreamDecoder::new(&OpusHead::parse(&head(1, 312, 0, 0)).expect("parses")).is_ok());
    }
}
