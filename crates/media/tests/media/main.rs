//! The transcoder's output checked by real tools: ffprobe and ffmpeg read what it writes.

mod alignment;
mod errors;
mod formats;
mod lossless;
mod opus;
mod progressive;
mod support;
mod validity;
