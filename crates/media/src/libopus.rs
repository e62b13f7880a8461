//! Safe handles on libopus, through `unsafe-libopus` (libopus 1.3.1 translated to Rust, so no
//! C toolchain or cmake is needed). Its functions keep libopus's C signatures, raw pointers
//! and all: this is the one module of the crate allowed `unsafe`, and each call states why it
//! holds to libopus's contract. Nothing else in the crate sees a pointer.
#![allow(unsafe_code)]

use std::ptr::NonNull;

use unsafe_libopus::{
    OPUS_OK, OpusDecoder, opus_decode_float, opus_decoder_create, opus_decoder_destroy, opus_strerror,
};

/// Opus always decodes at 48 kHz here: the rate every Opus stream is coded at internally
/// (RFC 7845 §5.1: the header's input rate is informational only).
pub const OPUS_SAMPLE_RATE: u32 = 48_000;

/// The longest Opus packet: 120 ms (RFC 6716 §3.2.5), in frames at 48 kHz.
const MAX_PACKET_FRAMES: usize = 5760;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_counts_outside_mono_and_stereo_are_refused() {
        assert!(OpusPacketDecoder::new(2).is_ok());
        assert!(OpusPacketDecoder::new(3).is_err());
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
