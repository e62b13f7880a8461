//! Safe handles on libopus's decoder and encoder, through `unsafe-libopus` (libopus 1.3.1
//! translated to Rust, so no C toolchain or cmake is needed). Its functions keep libopus's C
//! signatures, raw pointers and all: this is the one module of the crate allowed `unsafe`, and each call states why it
//! holds to libopus's contract. Nothing else in the crate sees a pointer.
#![allow(unsafe_code)]

use std::ptr::NonNull;

use unsafe_libopus::varargs::{IntoVarArg, VarArg, VarArgs};
use unsafe_libopus::{
    OPUS_APPLICATION_AUDIO, OPUS_GET_LOOKAHEAD_REQUEST, OPUS_OK, OPUS_SET_BITRATE_REQUEST, OPUS_SET_SIGNAL_REQUEST,
    OPUS_SIGNAL_MUSIC, OpusDecoder, OpusEncoder, opus_decode_float, opus_decoder_create, opus_decoder_destroy,
    opus_encode_float, opus_encoder_create, opus_encoder_ctl_impl, opus_encoder_destroy, opus_strerror,
};

/// Opus always decodes at 48 kHz here: the rate every Opus stream is coded at internally
/// (RFC 7845 §5.1: the header's input rate is informational only).
pub const OPUS_SAMPLE_RATE: u32 = 48_000;

/// The longest Opus packet: 120 ms (RFC 6716 §3.2.5), in frames at 48 kHz.
const MAX_PACKET_FRAMES: usize = 5760;

/// The most bytes one Opus packet may take (RFC 6716 §3.2.1: 1275 per frame, stereo counted
/// once), with room for libopus's own framing.
const MAX_PACKET_BYTES: usize = 4000;

/// A libopus error code, with libopus's own description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpusError(i32);

impl OpusError {
    /// The packet itself is malformed, as opposed to a misuse or an internal failure.
    pub fn is_invalid_packet(self) -> bool {
        self.0 == unsafe_libopus::OPUS_INVALID_PACKET
    }
}

impl std::fmt::Display for OpusError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(opus_strerror(self.0))
    }
}

/// One mono or stereo Opus stream being decoded to interleaved f32 at 48 kHz.
pub struct OpusPacketDecoder {
    state: NonNull<OpusDecoder>,
    channels: usize,
}

// SAFETY: the decoder state is plain memory owned by this handle alone (libopus keeps no
// thread-local or global state), so moving the handle to another thread is sound; `&mut self`
// on every call rules out shared use.
unsafe impl Send for OpusPacketDecoder {}

impl OpusPacketDecoder {
    pub fn new(channels: u16) -> Result<Self, OpusError> {
        let mut error = OPUS_OK;
        // SAFETY: `error` is a valid place for libopus to write its status; 48 kHz and 1 or 2
        // channels are checked by libopus itself, which returns null on anything else.
        let state = unsafe { opus_decoder_create(OPUS_SAMPLE_RATE as i32, i32::from(channels), &mut error) };
        match NonNull::new(state) {
            Some(state) if error == OPUS_OK => Ok(Self { state, channels: usize::from(channels) }),
            _ => Err(OpusError(error)),
        }
    }

    /// Decodes one packet, replacing `pcm` with its interleaved frames.
    pub fn decode(&mut self, packet: &[u8], pcm: &mut Vec<f32>) -> Result<(), OpusError> {
        // An empty packet would ask libopus to conceal a lost one (RFC 6716 §4.4): not in a file.
        if packet.is_empty() {
            return Err(OpusError(unsafe_libopus::OPUS_INVALID_PACKET));
        }
        pcm.resize(MAX_PACKET_FRAMES * self.channels, 0.0);
        let length = i32::try_from(packet.len()).map_err(|_| OpusError(unsafe_libopus::OPUS_INVALID_PACKET))?;
        // SAFETY: `state` came from opus_decoder_create and is not yet destroyed; `packet` is
        // `length` readable bytes; `pcm` has room for MAX_PACKET_FRAMES frames of `channels`
        // samples, the `frame_size` passed, and libopus never writes more than that.
        let frames = unsafe {
            opus_decode_float(
                self.state.as_ptr(),
                packet.as_ptr(),
                length,
                pcm.as_mut_ptr(),
                MAX_PACKET_FRAMES as i32,
                0,
            )
        };
        let frames = usize::try_from(frames).map_err(|_| OpusError(frames))?;
        pcm.truncate(frames * self.channels);
        Ok(())
    }
}

impl Drop for OpusPacketDecoder {
    fn drop(&mut self) {
        // SAFETY: `state` came from opus_decoder_create and is destroyed only here, once.
        unsafe { opus_decoder_destroy(self.state.as_ptr()) }
    }
}

/// One mono or stereo Opus encoder, 48 kHz interleaved f32 in, one packet per call out.
pub struct OpusPacketEncoder {
    state: NonNull<OpusEncoder>,
    channels: usize,
    packet: Vec<u8>,
}

// SAFETY: as for the decoder: plain memory owned by this handle alone, used through `&mut self`.
unsafe impl Send for OpusPacketEncoder {}

impl OpusPacketEncoder {
    /// An encoder for music at `bitrate_bps` (libopus's default VBR, complexity 10).
    pub fn new(channels: u16, bitrate_bps: u32) -> Result<Self, OpusError> {
        let mut error = OPUS_OK;
        // SAFETY: `error` is a valid place for libopus's status; it validates rate, channels
        // and application itself and returns null on anything it refuses.
        let state = unsafe {
            opus_encoder_create(OPUS_SAMPLE_RATE as i32, i32::from(channels), OPUS_APPLICATION_AUDIO, &mut error)
        };
        let state = match NonNull::new(state) {
            Some(state) if error == OPUS_OK => state,
            _ => return Err(OpusError(error)),
        };
        let mut encoder = Self { state, channels: usize::from(channels), packet: vec![0; MAX_PACKET_BYTES] };
        let bitrate = i32::try_from(bitrate_bps).unwrap_or(i32::MAX);
        encoder.control(OPUS_SET_BITRATE_REQUEST, bitrate.into_vararg())?;
        encoder.control(OPUS_SET_SIGNAL_REQUEST, OPUS_SIGNAL_MUSIC.into_vararg())?;
        Ok(encoder)
    }

    /// Frames the encoder delays its input by: the decoder's pre-skip must cover them.
    pub fn lookahead(&mut self) -> Result<u64, OpusError> {
        let mut lookahead = 0_i32;
        self.control(OPUS_GET_LOOKAHEAD_REQUEST, (&mut lookahead).into_vararg())?;
        u64::try_from(lookahead).map_err(|_| OpusError(unsafe_libopus::OPUS_INTERNAL_ERROR))
    }

    /// Encodes exactly one packet's frames (interleaved), returning the packet.
    pub fn encode(&mut self, interleaved: &[f32]) -> Result<&[u8], OpusError> {
        let frames = i32::try_from(interleaved.len() / self.channels).unwrap_or(i32::MAX);
        // SAFETY: `state` came from opus_encoder_create and is not yet destroyed; `interleaved`
        // holds `frames` frames of `channels` samples, all libopus reads; `packet` has
        // MAX_PACKET_BYTES writable bytes, the capacity passed, which libopus never exceeds.
        let written = unsafe {
            opus_encode_float(
                self.state.as_ptr(),
                interleaved.as_ptr(),
                frames,
                self.packet.as_mut_ptr(),
                MAX_PACKET_BYTES as i32,
            )
        };
        let written = usize::try_from(written).map_err(|_| OpusError(written))?;
        Ok(&self.packet[..written])
    }

    fn control(&mut self, request: i32, argument: VarArg<'_>) -> Result<(), OpusError> {
        // SAFETY: `state` came from opus_encoder_create and is not yet destroyed; each request
        // gets the one argument of the type libopus reads for it (an i32, or a place for one).
        let status = unsafe { opus_encoder_ctl_impl(self.state.as_ptr(), request, VarArgs::new(vec![argument])) };
        if status == OPUS_OK { Ok(()) } else { Err(OpusError(status)) }
    }
}

impl Drop for OpusPacketEncoder {
    fn drop(&mut self) {
        // SAFETY: `state` came from opus_encoder_create and is destroyed only here, once.
        unsafe { opus_encoder_destroy(self.state.as_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_counts_outside_mono_and_stereo_are_refused() {
        assert!(OpusPacketDecoder::new(2).is_ok());
        assert!(OpusPacketDecoder::new(3).is_err());
    }

    #[test]
    fn what_the_encoder_makes_the_decoder_reads() {
        let mut encoder = OpusPacketEncoder::new(2, 128_000).expect("encoder");
        assert_eq!(encoder.lookahead(), Ok(312), "libopus 1.3's look-ahead at 48 kHz");
        let mut decoder = OpusPacketDecoder::new(2).expect("decoder");
        let tone: Vec<f32> = (0..960 * 2).map(|index| ((index / 2) as f32 * 0.05).sin() * 0.5).collect();
        let mut pcm = Vec::new();
        for _ in 0..5 {
            let packet = encoder.encode(&tone).expect("encodes").to_vec();
            assert!(packet.len() > 20, "{} bytes", packet.len());
            decoder.decode(&packet, &mut pcm).expect("decodes");
            assert_eq!(pcm.len(), 960 * 2);
        }
        // After the look-ahead the tone comes through.
        assert!(pcm.iter().map(|sample| sample.abs()).fold(0.0, f32::max) > 0.3);
    }

    #[test]
    fn garbage_is_an_invalid_packet_not_a_crash() {
        let mut decoder = OpusPacketDecoder::new(2).expect("decoder");
        let mut pcm = Vec::new();
        // TOC code 3 (arbitrary frame count) with a frame count of zero: invalid (RFC 6716 §3.2.5).
        let error = decoder.decode(&[0x03, 0x00], &mut pcm).expect_err("refused");
        assert!(error.is_invalid_packet(), "{error}");
    }
}
