//! Ogg Opus files (RFC 7845) for progressive downloads: the Opus packets of [`OpusEncoder`] in
//! Ogg pages, written front to back, so each chunk can be sent as soon as it is made.

use ogg::writing::{PacketWriteEndInfo, PacketWriter};

use super::OpusEncoder;
use crate::error::MediaError;
use crate::ladder::Codec;

/// The stream's serial number: a file holds one logical stream, so any value serves.
const SERIAL: u32 = 0x746f_6e65;

/// A page is closed every this many packets (one second), so bytes leave at least that often
/// and a player can seek to within a second from the pages' granule positions.
const PACKETS_PER_PAGE: u64 = 50;

/// Streams interleaved f32 PCM at 48 kHz in, the bytes of an Ogg Opus file out.
pub struct OggOpusEncoder {
    encoder: OpusEncoder,
    pages: PacketWriter<'static, Vec<u8>>,
    /// The last packet, held back until it is known whether it ends the stream.
    held: Option<Vec<u8>>,
    packets_written: u64,
}

impl OggOpusEncoder {
    pub fn new(channels: u16, bitrate_bps: u32, input_sample_rate: u32) -> Result<Self, MediaError> {
        let encoder = OpusEncoder::new(channels, bitrate_bps, input_sample_rate)?;
        let mut pages = PacketWriter::new(Vec::new());
        // RFC 7845 §3: the identification header alone on the first page, the comment header
        // ending the second, both at granule position 0.
        let config = encoder.config();
        let mut head = b"OpusHead".to_vec();
        head.extend([1, config.channels as u8]);
        head.extend((config.pre_skip as u16).to_le_bytes());
        head.extend(input_sample_rate.to_le_bytes());
        // Output gain 0, channel mapping family 0 (mono or stereo).
        head.extend([0, 0, 0]);
        let vendor = b"tonearm";
        let mut tags = b"OpusTags".to_vec();
        tags.extend((vendor.len() as u32).to_le_bytes());
        tags.extend(vendor);
        tags.extend(0_u32.to_le_bytes());
        for header in [head, tags] {
            pages.write_packet(header, SERIAL, PacketWriteEndInfo::EndPage, 0).map_err(ogg_error)?;
        }
        Ok(Self { encoder, pages, held: None, packets_written: 0 })
    }

    /// Encodes interleaved samples, appending the finished pages to `output`.
    pub fn encode(&mut self, interleaved: &[f32], output: &mut Vec<u8>) -> Result<(), MediaError> {
        let Self { encoder, pages, held, packets_written } = self;
        encoder.encode(interleaved, &mut |packet, _| write_held(pages, held, packets_written, packet))?;
        output.append(pages.inner_mut());
        Ok(())
    }

    /// Ends the stream: the last page's granule position stops decoders at the source's last
    /// frame (RFC 7845 §4.4).
    pub fn finish(&mut self, output: &mut Vec<u8>) -> Result<(), MediaError> {
        let Self { encoder, pages, held, packets_written } = self;
        encoder.finish(&mut |packet, _| write_held(pages, held, packets_written, packet))?;
        let end_granule = encoder.config().pre_skip + encoder.source_frames();
        if let Some(last) = held.take() {
            pages.write_packet(last, SERIAL, PacketWriteEndInfo::EndStream, end_granule).map_err(ogg_error)?;
        }
        output.append(pages.inner_mut());
        Ok(())
    }
}

/// Writes the packet held back, and holds `packet` in its place.
fn write_held(
    pages: &mut PacketWriter<'static, Vec<u8>>,
    held: &mut Option<Vec<u8>>,
    packets_written: &mut u64,
    packet: &[u8],
) -> Result<(), MediaError> {
    if let Some(previous) = held.replace(packet.to_vec()) {
        *packets_written += 1;
        let end = if packets_written.is_multiple_of(PACKETS_PER_PAGE) {
            PacketWriteEndInfo::EndPage
        } else {
            PacketWriteEndInfo::NormalPacket
        };
        // The granule position of a packet is the sample count at its end, pre-skip included.
        let granule = *packets_written * Codec::Opus.frames_per_access_unit();
        pages.write_packet(previous, SERIAL, end, granule).map_err(ogg_error)?;
    }
    Ok(())
}

fn ogg_error(error: std::io::Error) -> MediaError {
    MediaError::Muxer(format!("ogg: {error}"))
}
