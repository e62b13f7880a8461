//! The sound of every track (loudness, brightness, noisiness, tempo), measured from its
//! decoded audio off the request path, a track at a time on one blocking thread, by the
//! node that holds the training lease. A track nobody has played then still sits beside
//! the tracks it sounds like.

use std::path::Path;
use std::time::{Duration, Instant};

use tonearm_media::decode::SourceDecoder;
use tonearm_model::TrackSound;
use tonearm_recommend::sound::{self, Sound};

use crate::clock::now_millis;
use crate::stores::Signals;
use crate::{ServiceError, ServiceResult};

/// Tracks asked of the store at a time.
const BATCH: u32 = 32;
/// The seconds measured: enough for a tempo, little enough to decode quickly.
const MEASURED_SECONDS: f32 = 30.0;
/// Intros are often unlike the rest: a long enough track is measured after this.
const SKIPPED_SECONDS: f32 = 20.0;

#[derive(Clone)]
pub struct SoundAnalysis {
    signals: Signals,
}

impl SoundAnalysis {
    pub fn new(signals: Signals) -> Self {
        Self { signals }
    }

    /// Analyses tracks not analysed yet until none is left or `budget` has passed; answers
    /// how many were recorded. A file that cannot be decoded is recorded as such (and not
    /// tried again until it changes); a store failure ends the round.
    pub async fn analyse_pending(&self, budget: Duration) -> ServiceResult<usize> {
        let started = Instant::now();
        let mut recorded = 0;
        loop {
            let pending = self.signals.unanalysed_tracks(BATCH).await?;
            if pending.is_empty() {
                return Ok(recorded);
            }
            for track in pending {
                let path = track.path.clone();
                let sound = tokio::task::spawn_blocking(move || sound_of_file(Path::new(&path)))
                    .await
                    .map_err(|error| ServiceError::internal("analysing a track's sound", error))?;
                if sound.is_none() {
                    tracing::info!(track = %track.track, path = %track.path, "track's sound could not be measured");
                }
                self.signals.save_track_sound(&track, sound.map(stored), now_millis()).await?;
                recorded += 1;
                if started.elapsed() >= budget {
                    return Ok(recorded);
                }
            }
        }
    }
}

/// Decodes the measured window of a file to mono and measures it; `None` for a file that
/// does not decode or holds no sound.
fn sound_of_file(path: &Path) -> Option<Sound> {
    let mut decoder = match SourceDecoder::open(path) {
        Ok(decoder) => decoder,
        Err(error) => {
            tracing::debug!(path = %path.display(), %error, "not decodable for its sound");
            return None;
        }
    };
    let properties = *decoder.properties();
    let channels = usize::from(properties.output_channels.max(1));
    let rate = properties.sample_rate as f32;
    let wanted = ((SKIPPED_SECONDS + MEASURED_SECONDS) * rate) as usize;
    let mut mono = Vec::with_capacity(wanted);
    while mono.len() < wanted {
        match decoder.next_chunk() {
            Ok(Some(chunk)) => {
                mono.extend(chunk.chunks_exact(channels).map(|frame| frame.iter().sum::<f32>() / channels as f32));
            }
            Ok(None) => break,
            Err(error) => {
                tracing::debug!(path = %path.display(), %error, "decoding stopped while measuring its sound");
                break;
            }
        }
    }
    // Long enough: skip the intro. Shorter: measure all of it.
    let skipped = (SKIPPED_SECONDS * rate) as usize;
    let window = if mono.len() >= wanted { &mono[skipped..] } else { &mono[..] };
    sound::analyse(window, properties.sample_rate)
}

fn stored(sound: Sound) -> TrackSound {
    TrackSound {
        loudness_db: sound.loudness_db,
        brightness_hz: sound.brightness_hz,
        flatness: sound.flatness,
        tempo_bpm: sound.tempo_bpm,
    }
}

/// The recommender's view of a stored sound.
pub fn from_stored(sound: TrackSound) -> Sound {
    Sound {
        loudness_db: sound.loudness_db,
        brightness_hz: sound.brightness_hz,
        flatness: sound.flatness,
        tempo_bpm: sound.tempo_bpm,
    }
}
