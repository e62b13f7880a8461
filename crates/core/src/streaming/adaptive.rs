//! Adaptive streaming as the routes see it: which renditions a track has for a listener,
//! their content addresses, their content keys (unwrapped with the KEK), and the jobs that
//! make them. The HTTP shapes live in the server's `api::v1::adaptive`; the encoding in `tonearm_media`
//! and `tonearm_packager`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use tonearm_auth::policy;
use tonearm_auth::stream_keys::{ContentKey, KeyEncryptionKey, StreamKeyError};
use tonearm_config::MediaSettings;
use tonearm_delivery::LocalObjectStore;
use tonearm_domain::{Tier, TrackId};
use tonearm_media::timeline::frames_in;
use tonearm_media::{Ladder, Rendition, SegmentGrid, SegmentTimeline, TranscodeOptions};
use tonearm_model::{StreamKeyStore, StreamSource, keys_in_order};
use tonearm_packager::{JobSpec, Packager, PackagerConfig, PackagerError, RenditionAddress};

use crate::clock::now_millis;
use crate::error::{ServiceError, ServiceResult};

/// Bumped whenever the bytes the packager writes change for the same input (muxing,
/// encoder settings), so every content address changes with them and no cache serves
/// old bytes under a new meaning.
const PACKAGING_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum AdaptiveSetupError {
    #[error("unknown rendition `{0}` in the ladder: expected aac-lc-KBPS, he-aac-KBPS or flac, like aac-lc-128")]
    UnknownRendition(String),
    #[error("cannot read or create the media key-encryption key file {path}: {source}")]
    KekFile { path: String, source: std::io::Error },
    #[error("the media key-encryption key file {path} is unusable: {source}")]
    Kek { path: String, source: StreamKeyError },
    #[error("cannot open the media cache: {0}")]
    Cache(String),
}

pub struct AdaptiveStreaming {
    packager: Arc<Packager>,
    ladder: Ladder,
    grid: SegmentGrid,
    kek: KeyEncryptionKey,
    keys: Arc<dyn StreamKeyStore>,
}

pub type Adaptive = Arc<AdaptiveStreaming>;

/// What planning a track's renditions needs, from the catalog alone.
#[derive(Debug, Clone)]
pub struct TrackMedia {
    pub source: StreamSource,
    pub channels: u16,
    /// The source's length in frames at its own rate: playlists and jobs use this number.
    source_frames: u64,
    source_sample_rate: u32,
}

impl TrackMedia {
    /// The source's length in frames at its own rate, as playlists state it.
    pub fn source_frames(&self) -> u64 {
        self.source_frames
    }
}

impl AdaptiveStreaming {
    pub async fn open(settings: &MediaSettings, keys: Arc<dyn StreamKeyStore>) -> Result<Self, AdaptiveSetupError> {
        let renditions = settings
            .ladder
            .iter()
            .map(|id| parse_rendition(id.trim()).ok_or_else(|| AdaptiveSetupError::UnknownRendition(id.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        let kek = load_or_create_kek(&settings.kek_file)?;
        let store = LocalObjectStore::open(&settings.cache_dir)
            .map_err(|error| AdaptiveSetupError::Cache(error.to_string()))?;
        let mut config = PackagerConfig {
            cache_limit_bytes: settings.cache_bytes,
            memory_limit_bytes: usize::try_from(settings.memory_bytes).unwrap_or(usize::MAX),
            ..PackagerConfig::default()
        };
        if let Some(jobs) = settings.transcode_jobs {
            config.concurrent_jobs = jobs;
        }
        let packager = Packager::open(Arc::new(store), config)
            .await
            .map_err(|error| AdaptiveSetupError::Cache(error.to_string()))?;
        Ok(Self {
            packager,
            ladder: Ladder::new(renditions),
            grid: SegmentGrid { target_duration: Duration::from_secs_f64(settings.segment_seconds) },
            kek,
            keys,
        })
    }

    pub fn packager(&self) -> &Arc<Packager> {
        &self.packager
    }

    pub fn ladder(&self) -> &Ladder {
        &self.ladder
    }

    /// The renditions `tier` may receive of a track, lowest bitrate first: the lossless rung
    /// only for lossless sources (encoding a lossy file losslessly spends bandwidth on its
    /// artefacts), and only what the tier is entitled to; a refusal when nothing is left (a
    /// premium-only release for a free listener).
    pub fn renditions_for(&self, tier: Tier, source: &StreamSource) -> ServiceResult<Vec<&Rendition>> {
        let offered: Vec<&Rendition> = self
            .ladder
            .renditions()
            .iter()
            .filter(|rendition| !rendition.codec.is_lossless() || source.format.is_lossless())
            .collect();
        let allowed: Vec<&Rendition> = offered
            .iter()
            .copied()
            .filter(|rendition| {
                policy::may_stream_rendition(tier, source.premium_only, entitled_kbps(rendition)).is_ok()
            })
            .collect();
        if !allowed.is_empty() {
            return Ok(allowed);
        }
        let lowest = offered.first().ok_or_else(|| ServiceError::NotFound("no rendition is configured".to_owned()))?;
        Err(policy::may_stream_rendition(tier, source.premium_only, entitled_kbps(lowest))
            .err()
            .map_or_else(|| ServiceError::NotFound("no rendition is configured".to_owned()), ServiceError::NotEntitled))
    }

    pub fn track_media(&self, source: StreamSource) -> ServiceResult<TrackMedia> {
        let sample_rate = source.sample_rate_hz.and_then(|rate| u32::try_from(rate).ok()).filter(|rate| *rate > 0);
        let (Some(source_sample_rate), true) = (sample_rate, source.duration_ms > 0) else {
            return Err(ServiceError::Media(PackagerError::JobFailed {
                track: source.track_id.0,
                kind: tonearm_media::MediaErrorKind::CorruptSource,
                message: "the catalog knows no sample rate or length for this track".to_owned(),
            }));
        };
        let source_frames = frames_in(Duration::from_millis(source.duration_ms as u64), source_sample_rate);
        let channels = source.channels.map_or(2, |channels| channels.clamp(1, 2) as u16);
        Ok(TrackMedia { source, channels, source_frames, source_sample_rate })
    }

    /// How jobs are cut: the configured segment duration.
    pub fn transcode_options(&self) -> TranscodeOptions {
        TranscodeOptions { grid: self.grid, source_frames: None }
    }

    pub fn timeline(&self, media: &TrackMedia, rendition: &Rendition) -> SegmentTimeline {
        SegmentTimeline::new(media.source_frames, media.source_sample_rate, rendition.codec, &self.grid)
    }

    /// The content addresses of `renditions` of a track. With `make_keys`, keys missing so far
    /// are made (a listener's entry point); without (public routes), a rendition without a
    /// key means the address asked for cannot exist: `None`. One or two queries for the
    /// whole ladder, whatever its length.
    pub async fn addresses(
        &self,
        media: &TrackMedia,
        renditions: &[&Rendition],
        make_keys: bool,
    ) -> ServiceResult<Option<Vec<RenditionAddress>>> {
        let track = media.source.track_id;
        let wrapped_keys = if make_keys {
            let candidates: Vec<Vec<u8>> =
                renditions.iter().map(|rendition| self.kek.new_content_key(track, &rendition.id).1).collect();
            let pairs: Vec<(&str, &[u8])> = renditions
                .iter()
                .zip(&candidates)
                .map(|(rendition, candidate)| (rendition.id.as_str(), candidate.as_slice()))
                .collect();
            self.keys.stream_keys_or_insert(track, &pairs, now_millis()).await?
        } else {
            let ids: Vec<&str> = renditions.iter().map(|rendition| rendition.id.as_str()).collect();
            match keys_in_order(&self.keys.stream_keys(track).await?, &ids) {
                Some(wrapped_keys) => wrapped_keys,
                None => return Ok(None),
            }
        };
        let addresses = renditions
            .iter()
            .zip(&wrapped_keys)
            .map(|(rendition, wrapped)| self.address(media, rendition, wrapped))
            .collect();
        Ok(Some(addresses))
    }

    /// The rendition's wrapped key, made on first use (by whichever node asks first).
    pub async fn wrapped_key(&self, track: TrackId, rendition: &Rendition) -> ServiceResult<Vec<u8>> {
        let (_, candidate) = self.kek.new_content_key(track, &rendition.id);
        let mut wrapped = self
            .keys
            .stream_keys_or_insert(track, &[(rendition.id.as_str(), candidate.as_slice())], now_millis())
            .await?;
        wrapped.pop().ok_or_else(|| ServiceError::internal_bare("the key store answered no key"))
    }

    /// The wrapped key if one was made: public routes never create keys.
    pub async fn existing_wrapped_key(&self, track: TrackId, rendition: &Rendition) -> ServiceResult<Option<Vec<u8>>> {
        Ok(self.keys.stream_key(track, &rendition.id).await?)
    }

    pub fn unwrap_key(&self, track: TrackId, rendition: &Rendition, wrapped: &[u8]) -> ServiceResult<ContentKey> {
        self.kek
            .unwrap(track, &rendition.id, wrapped)
            .map_err(|error| ServiceError::internal("cannot unwrap a stream key", error))
    }

    /// The content address: a digest of everything the rendition's bytes depend on: the
    /// source file's version, the encoding parameters, the packaging version and the key.
    pub fn address(&self, media: &TrackMedia, rendition: &Rendition, wrapped_key: &[u8]) -> RenditionAddress {
        let source = &media.source;
        let mut digest = Sha256::new();
        digest.update(format!(
            "tonearm rendition v{PACKAGING_VERSION}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{:?}\n{}\n{}\n",
            source.track_id.0,
            source.fingerprint,
            source.file_size,
            source.mtime_ns,
            media.source_frames,
            media.source_sample_rate,
            media.channels,
            rendition.codec,
            rendition.bitrate_kbps,
            self.grid.target_duration.as_millis(),
        ));
        digest.update(wrapped_key);
        let hex: String = digest.finalize()[..16].iter().map(|byte| format!("{byte:02x}")).collect();
        RenditionAddress { track: source.track_id.0, rendition: rendition.id.clone(), digest: hex }
    }

    /// Makes every rendition of the ladder for one track, waiting until they are cached (for
    /// `tonearm transcode`); returns how many renditions the track has.
    pub async fn prebuild(&self, source: StreamSource) -> ServiceResult<usize> {
        let track = source.track_id;
        let media = self.track_media(source)?;
        let renditions = self.renditions_for(Tier::Premium, &media.source)?;
        for rendition in &renditions {
            let wrapped = self.wrapped_key(track, rendition).await?;
            let address = self.address(&media, rendition, &wrapped);
            let key = self.unwrap_key(track, rendition, &wrapped)?;
            self.packager.prebuild(self.job(&media, rendition, address, key)).await?;
        }
        Ok(renditions.len())
    }

    pub fn job(
        &self,
        media: &TrackMedia,
        rendition: &Rendition,
        address: RenditionAddress,
        key: ContentKey,
    ) -> JobSpec {
        JobSpec {
            address,
            source: PathBuf::from(&media.source.path),
            rendition: rendition.clone(),
            options: TranscodeOptions { grid: self.grid, source_frames: Some(media.source_frames) },
            content_key: key,
        }
    }
}

/// The bitrate the tier policy judges a rendition by: `None` for lossless.
pub fn entitled_kbps(rendition: &Rendition) -> Option<u32> {
    (!rendition.codec.is_lossless()).then_some(rendition.bitrate_kbps)
}

/// HLS `BANDWIDTH` and `AVERAGE-BANDWIDTH` of a rendition, in bits per second, known before
/// encoding: FDK encodes at a constant bitrate, whose segments vary by a few percent around
/// the average (bit reservoir); CMAF boxes and AES padding add about 2 kbit/s. FLAC follows
/// the music: the source file's own bitrate is the average, and louder passages peak higher.
pub fn bandwidth(rendition: &Rendition, media: &TrackMedia) -> (u32, u32) {
    let audio = match (rendition.codec.is_lossless(), media.source.bitrate_kbps) {
        (true, Some(kbps)) if kbps > 0 => kbps as u32 * 1000,
        _ => rendition.bitrate_bps(media.channels),
    };
    let average = audio + 2_000;
    let headroom = if rendition.codec.is_lossless() { audio / 4 } else { audio / 10 };
    (average + headroom, average)
}

/// `aac-lc-128`, `he-aac-48`, `flac`: the ids the ladder configuration names renditions by.
/// Opus renditions are cut on their own 48 kHz grid, so they cannot share a master playlist
/// with these (a player switching between them would skip or repeat audio): progressive
/// Opus (`stream?format=opus`) serves Opus listeners for now.
pub fn parse_rendition(id: &str) -> Option<Rendition> {
    if id == "flac" {
        return Some(Rendition::flac());
    }
    let (family, kbps) = id.rsplit_once('-')?;
    let kbps: u32 = kbps.parse().ok().filter(|kbps| (16..=512).contains(kbps))?;
    match family {
        "aac-lc" => Some(Rendition::aac_lc(kbps)),
        "he-aac" if kbps <= 64 => Some(Rendition::he_aac(kbps)),
        _ => None,
    }
}

/// Reads the KEK, creating the file (readable by its owner only) on first start. Two
/// processes starting at once agree: only one `create_new` succeeds, the other reads it.
fn load_or_create_kek(path: &Path) -> Result<KeyEncryptionKey, AdaptiveSetupError> {
    let io_error = |source| AdaptiveSetupError::KekFile { path: path.display().to_string(), source };
    if !path.exists() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_error)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(KeyEncryptionKey::generate_base64().as_bytes()).map_err(io_error)?;
                tracing::info!(path = %path.display(), "created the media key-encryption key");
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(io_error(error)),
        }
    }
    let text = std::fs::read_to_string(path).map_err(io_error)?;
    KeyEncryptionKey::from_base64(&text)
        .map_err(|source| AdaptiveSetupError::Kek { path: path.display().to_string(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladder_ids_parse_and_nonsense_is_refused() {
        assert_eq!(parse_rendition("aac-lc-128"), Some(Rendition::aac_lc(128)));
        assert_eq!(parse_rendition("he-aac-48"), Some(Rendition::he_aac(48)));
        assert_eq!(parse_rendition("flac"), Some(Rendition::flac()));
        for wrong in ["aac-lc", "aac-lc-x", "mp3-128", "he-aac-256", "aac-lc-4", "opus-96", "flac-1"] {
            assert_eq!(parse_rendition(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn the_kek_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("media-kek");
        let first = load_or_create_kek(&path).unwrap();
        let (key, wrapped) = first.new_content_key(TrackId(1), "aac-lc-64");
        let again = load_or_create_kek(&path).unwrap();
        assert_eq!(again.unwrap(TrackId(1), "aac-lc-64", &wrapped), Ok(key), "the same key after a restart");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, "garbage").unwrap();
        assert!(matches!(load_or_create_kek(&path), Err(AdaptiveSetupError::Kek { .. })));
    }
}
