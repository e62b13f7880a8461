//! Reads one audio file's tags and stream properties with lofty (headers and tags only,
//! never the audio payload), classifying every way a file can be unusable.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use lofty::config::{ParseOptions, ParsingMode};
use lofty::file::{AudioFile, FileType, TaggedFile, TaggedFileExt};
use lofty::picture::PictureType;
use lofty::prelude::{Accessor, ItemKey};
use lofty::probe::Probe;
use lofty::tag::Tag;
use tonearm_domain::{AudioFormat, unicode_fold};
use tonearm_model::{MusicBrainzIds, ReplayGain, ScannedTrack};

use crate::block_reader::BlockReader;
use crate::fallback::{UNKNOWN_ARTIST, names_from_path};

/// Why a file was skipped; `code()` is what the admin report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    EmptyFile,
    Unreadable,
    NotAudio,
    UnsupportedFormat,
    Corrupt,
    Truncated,
}

impl ProblemKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::EmptyFile => "empty_file",
            Self::Unreadable => "unreadable",
            Self::NotAudio => "not_audio",
            Self::UnsupportedFormat => "unsupported_format",
            Self::Corrupt => "corrupt",
            Self::Truncated => "truncated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub kind: ProblemKind,
    pub detail: String,
}

impl FileProblem {
    fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        Self { kind, detail: detail.into() }
    }
}

/// A readable track, its cover picture not yet stored.
pub struct ReadTrack {
    pub track: ScannedTrack,
    pub embedded_cover: Option<Vec<u8>>,
}

/// Reads `file`, opened from `path` (found under `root`); size, mtime and fingerprint come
/// from the caller.
pub fn read_track(file: &File, path: &Path, root: &Path, size: u64) -> Result<ReadTrack, FileProblem> {
    if size == 0 {
        return Err(FileProblem::new(ProblemKind::EmptyFile, "the file is empty"));
    }
    let by_content = Probe::new(BlockReader::new(file, size))
        .guess_file_type()
        .map_err(|error| FileProblem::new(ProblemKind::Unreadable, error.to_string()))?;
    let options = ParseOptions::new().parsing_mode(ParsingMode::BestAttempt);
    let (file_type, tagged) = match by_content.file_type() {
        Some(file_type) => {
            let tagged = by_content.options(options).read().map_err(|error| {
                if riff_cut_short(file, size) {
                    FileProblem::new(ProblemKind::Truncated, "the file is shorter than its RIFF header announces")
                } else {
                    FileProblem::new(ProblemKind::Corrupt, error.to_string())
                }
            })?;
            (file_type, tagged)
        }
        // Some valid files (MP3 with leading junk) are only recognised by their extension;
        // when that reading fails too, the content is simply not audio.
        None => {
            let not_audio = || FileProblem::new(ProblemKind::NotAudio, "the content is not a recognised audio format");
            let file_type = FileType::from_path(path).ok_or_else(not_audio)?;
            let by_extension = Probe::with_file_type(BlockReader::new(file, size), file_type);
            (file_type, by_extension.options(options).read().map_err(|_| not_audio())?)
        }
    };
    let format = audio_format(file_type, &tagged)?;
    let properties = tagged.properties();
    let duration_ms = i64::try_from(properties.duration().as_millis()).unwrap_or(i64::MAX);
    if duration_ms == 0 {
        return Err(FileProblem::new(ProblemKind::Corrupt, "the file holds no audio"));
    }
    // Only these headers state the stream's real size; Ogg bit rates are nominal.
    if matches!(format, AudioFormat::Wav | AudioFormat::Mp3) {
        check_not_truncated(size, duration_ms, properties.audio_bitrate())?;
    }

    let tag = tagged.primary_tag().or_else(|| tagged.first_tag());
    let names = names_from_path(path, root);
    let text = |key: ItemKey| tag.and_then(|tag| tag.get_string(key)).and_then(clean);
    let artists = artists(tag).unwrap_or_else(|| vec![names.artist.clone()]);
    let is_compilation =
        text(ItemKey::FlagCompilation).is_some_and(|flag| flag == "1" || flag.eq_ignore_ascii_case("true"));
    let album_artist = match text(ItemKey::AlbumArtist) {
        Some(album_artist) => album_artist,
        None if is_compilation => "Various Artists".to_owned(),
        None => artists.first().cloned().unwrap_or_else(|| UNKNOWN_ARTIST.to_owned()),
    };
    let (year, date) = release_date(tag);
    let number = |value: Option<u32>| value.and_then(|n| i32::try_from(n).ok()).filter(|n| *n > 0);

    let track = ScannedTrack {
        path: path.to_string_lossy().into_owned(),
        file_size: i64::try_from(size).unwrap_or(i64::MAX),
        mtime_ns: 0,
        fingerprint: String::new(),
        format,
        title: tag.and_then(|tag| tag.title()).and_then(|title| clean(&title)).unwrap_or(names.title),
        artists,
        album: tag.and_then(|tag| tag.album()).and_then(|album| clean(&album)).unwrap_or(names.album),
        album_artist,
        is_compilation,
        track_number: number(tag.and_then(Accessor::track)).or(names.track_number),
        track_total: number(tag.and_then(Accessor::track_total)),
        disc_number: number(tag.and_then(Accessor::disk)),
        disc_total: number(tag.and_then(Accessor::disk_total)),
        year,
        date,
        genres: tag.map(|tag| multi_values(tag, ItemKey::Genre)).unwrap_or_default(),
        duration_ms,
        bitrate_kbps: properties.audio_bitrate().or(properties.overall_bitrate()).and_then(|b| i32::try_from(b).ok()),
        sample_rate_hz: properties.sample_rate().and_then(|rate| i32::try_from(rate).ok()),
        channels: properties.channels().map(i32::from),
        bit_depth: properties.bit_depth().map(i32::from),
        musicbrainz: MusicBrainzIds {
            recording_id: text(ItemKey::MusicBrainzRecordingId),
            track_id: text(ItemKey::MusicBrainzTrackId),
            release_id: text(ItemKey::MusicBrainzReleaseId),
            artist_id: text(ItemKey::MusicBrainzArtistId),
            release_artist_id: text(ItemKey::MusicBrainzReleaseArtistId),
        },
        replay_gain: ReplayGain {
            track_gain_db: text(ItemKey::ReplayGainTrackGain).and_then(|v| parse_gain(&v)),
            track_peak: text(ItemKey::ReplayGainTrackPeak).and_then(|v| parse_gain(&v)),
            album_gain_db: text(ItemKey::ReplayGainAlbumGain).and_then(|v| parse_gain(&v)),
            album_peak: text(ItemKey::ReplayGainAlbumPeak).and_then(|v| parse_gain(&v)),
        },
        cover: None,
    };
    Ok(ReadTrack { track, embedded_cover: front_cover(tag) })
}

fn audio_format(file_type: FileType, tagged: &TaggedFile) -> Result<AudioFormat, FileProblem> {
    Ok(match file_type {
        FileType::Mpeg => AudioFormat::Mp3,
        FileType::Aac => AudioFormat::Aac,
        // lofty reports a bit depth only for lossless MP4 codecs: ALAC here.
        FileType::Mp4 if tagged.properties().bit_depth().is_some() => AudioFormat::Alac,
        FileType::Mp4 => AudioFormat::Aac,
        FileType::Flac => AudioFormat::Flac,
        FileType::Vorbis => AudioFormat::Vorbis,
        FileType::Opus => AudioFormat::Opus,
        FileType::Wav => AudioFormat::Wav,
        other => {
            return Err(FileProblem::new(ProblemKind::UnsupportedFormat, format!("{other:?} files are not supported")));
        }
    })
}

/// Where the header states the stream's size (WAV data chunks, MP3 Xing/VBRI headers),
/// a file much shorter than that was cut off. Where lofty derives the bit rate from the
/// file size instead, the check is vacuous and never rejects a good file.
fn check_not_truncated(size: u64, duration_ms: i64, audio_kbps: Option<u32>) -> Result<(), FileProblem> {
    let Some(kbps) = audio_kbps.filter(|kbps| *kbps > 0) else {
        return Ok(());
    };
    let expected_bytes = duration_ms as f64 * f64::from(kbps) / 8.0;
    if (size as f64) < expected_bytes * 0.9 {
        return Err(FileProblem::new(
            ProblemKind::Truncated,
            format!("the header announces about {} bytes of audio but the file has {size}", expected_bytes as u64),
        ));
    }
    Ok(())
}

/// A RIFF (WAV) file whose header announces more bytes than the file holds was cut off.
fn riff_cut_short(file: &File, size: u64) -> bool {
    let mut header = [0u8; 8];
    file.read_exact_at(&mut header, 0).is_ok()
        && &header[..4] == b"RIFF"
        && u64::from(u32::from_le_bytes([header[4], header[5], header[6], header[7]])) + 8 > size
}

/// Tags keep stray whitespace and NULs; blanks count as missing.
fn clean(text: &str) -> Option<String> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    (!trimmed.is_empty()).then(|| unicode_fold(trimmed))
}

/// Every value of a multi-valued field, as the tag format itself separates them
/// (repeated Vorbis fields, ID3v2.4 NUL-separated frames), never split on `/` or `;`
/// which belong to names like "AC/DC".
fn multi_values(tag: &Tag, key: ItemKey) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    for raw in tag.get_strings(key) {
        for value in raw.split('\0').filter_map(clean) {
            if !values.contains(&value) {
                values.push(value);
            }
        }
    }
    values
}

/// Picard's multi-valued `ARTISTS` when present, else the artist field's own values.
fn artists(tag: Option<&Tag>) -> Option<Vec<String>> {
    let tag = tag?;
    [ItemKey::TrackArtists, ItemKey::TrackArtist]
        .into_iter()
        .map(|key| multi_values(tag, key))
        .find(|values| !values.is_empty())
}

fn release_date(tag: Option<&Tag>) -> (Option<i32>, Option<String>) {
    let Some(tag) = tag else { return (None, None) };
    if let Some(timestamp) = tag.date() {
        let year = Some(i32::from(timestamp.year)).filter(|year| *year > 0);
        let date = match (timestamp.month, timestamp.day) {
            (Some(month), Some(day)) => Some(format!("{:04}-{month:02}-{day:02}", timestamp.year)),
            (Some(month), None) => Some(format!("{:04}-{month:02}", timestamp.year)),
            _ => None,
        };
        return (year, date);
    }
    let year = [ItemKey::Year, ItemKey::RecordingDate, ItemKey::ReleaseDate, ItemKey::OriginalReleaseDate]
        .into_iter()
        .filter_map(|key| tag.get_string(key))
        .find_map(|text| text.trim().get(..4).and_then(|digits| digits.parse::<i32>().ok()))
        .filter(|year| *year > 0);
    (year, None)
}

/// "-6.54 dB" → -6.54
fn parse_gain(text: &str) -> Option<f64> {
    let number = text.trim().trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace());
    number.parse().ok().filter(|value: &f64| value.is_finite())
}

fn front_cover(tag: Option<&Tag>) -> Option<Vec<u8>> {
    let pictures = tag?.pictures();
    pictures
        .iter()
        .find(|picture| picture.pic_type() == PictureType::CoverFront)
        .or_else(|| pictures.first())
        .map(|picture| picture.data().to_vec())
        .filter(|data| !data.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_gain_text_parses_with_units() {
        assert_eq!(parse_gain("-6.54 dB"), Some(-6.54));
        assert_eq!(parse_gain("0.988547"), Some(0.988547));
        assert_eq!(parse_gain("loud"), None);
    }

    #[test]
    fn truncation_check_compares_size_with_announced_stream() {
        // 10 s at 1411 kbps (CD PCM) is about 1.76 MB.
        assert!(check_not_truncated(1_800_000, 10_000, Some(1411)).is_ok());
        let cut = check_not_truncated(800_000, 10_000, Some(1411)).unwrap_err();
        assert_eq!(cut.kind, ProblemKind::Truncated);
        assert!(check_not_truncated(10, 10_000, None).is_ok());
    }
}
