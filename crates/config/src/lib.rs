//! One settings tree for the whole server, layered: built-in defaults < TOML file <
//! `TONEARM_*` environment < command-line flags. The last two arrive together as
//! `Overrides` (the CLI parser reads both, flags winning).

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8340";
pub const DEFAULT_DATA_DIR: &str = "tonearm-data";
pub const DEFAULT_SHUTDOWN_GRACE_SECS: u64 = 10;
pub const DEFAULT_MEDIA_CACHE_MB: u64 = 2048;
pub const DEFAULT_MEDIA_MEMORY_MB: u64 = 64;
/// HE-AAC for data saving, AAC-LC at three rates (every browser, iOS and Android plays them),
/// and lossless FLAC for lossless sources.
pub const DEFAULT_LADDER: [&str; 5] = ["he-aac-48", "aac-lc-64", "aac-lc-128", "aac-lc-256", "flac"];
/// Apple's HLS authoring guideline.
pub const DEFAULT_SEGMENT_SECONDS: f64 = 6.0;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Unreadable { path: String, source: std::io::Error },
    #[error("invalid configuration file {path}: {message}")]
    Invalid { path: String, message: String },
    #[error("a TLS certificate and its key go together: give both --tls-cert and --tls-key, or neither")]
    IncompleteTls,
    #[error("`{0}` is not a web origin: expected scheme://host[:port], like https://app.example.com")]
    InvalidOrigin(String),
    #[error("`{0}` is not a proxy address: expected an IP address or a network, like 10.0.0.7 or 10.0.0.0/24")]
    InvalidProxy(String),
    #[error("the segment duration must be between 1 and 20 seconds, not {0}")]
    InvalidSegmentSeconds(f64),
    #[error("the rendition ladder needs at least one rendition")]
    EmptyLadder,
}

/// Settings as written in the optional TOML file; every key may be left out.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    #[serde(default)]
    pub libraries: Vec<PathBuf>,
    pub watch: Option<bool>,
    pub shutdown_grace_secs: Option<u64>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    #[serde(default)]
    pub cors_origins: Vec<String>,
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    pub media_cache_dir: Option<PathBuf>,
    pub media_cache_mb: Option<u64>,
    pub media_memory_mb: Option<u64>,
    pub media_kek_file: Option<PathBuf>,
    pub transcode_jobs: Option<usize>,
    #[serde(default)]
    pub ladder: Vec<String>,
    pub segment_seconds: Option<f64>,
}

impl FileSettings {
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Unreadable { path: path.display().to_string(), source })?;
        toml::from_str(&text)
            .map_err(|error| ConfigError::Invalid { path: path.display().to_string(), message: error.to_string() })
    }
}

/// Values from flags or the environment; `None` / empty defers to the file and defaults.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Overrides {
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub libraries: Vec<PathBuf>,
    pub watch: Option<bool>,
    pub shutdown_grace_secs: Option<u64>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub cors_origins: Vec<String>,
    pub trusted_proxies: Vec<String>,
    pub media_cache_dir: Option<PathBuf>,
    pub media_cache_mb: Option<u64>,
    pub media_memory_mb: Option<u64>,
    pub media_kek_file: Option<PathBuf>,
    pub transcode_jobs: Option<usize>,
    pub ladder: Vec<String>,
    pub segment_seconds: Option<f64>,
}

/// A certificate chain and its private key, both PEM files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// The resolved settings the server runs with.
#[derive(Clone, PartialEq)]
pub struct Settings {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://…` (default: a file in the data directory) or `postgres://…`.
    pub database_url: String,
    pub libraries: Vec<PathBuf>,
    pub watch: bool,
    /// How long in-flight requests and streams may run on after SIGTERM/SIGINT.
    pub shutdown_grace_secs: u64,
    /// Serve HTTPS with these; plain HTTP (e.g. behind a TLS-terminating proxy) when absent.
    pub tls: Option<TlsFiles>,
    /// Other web origins whose pages may call the API (`https://app.example.com`); the
    /// server's own origin needs no entry.
    pub cors_origins: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For`, `-Proto` and `-Host` headers are believed;
    /// from anyone else those headers are ignored, so clients cannot spoof their address.
    pub trusted_proxies: Vec<IpNet>,
    pub media: MediaSettings,
}

/// Adaptive streaming: where renditions are cached, how they are made and protected.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaSettings {
    /// Finished renditions, bounded by `cache_bytes` (least recently used evicted first).
    pub cache_dir: PathBuf,
    pub cache_bytes: u64,
    /// The most requested rendition files are also kept in memory, up to this bound.
    pub memory_bytes: u64,
    /// The base64 key-encryption key under which content keys are stored; created at first
    /// start when missing. Every node of an instance needs the same file.
    pub kek_file: PathBuf,
    /// Transcoding jobs at once; `None`: one per core.
    pub transcode_jobs: Option<usize>,
    /// Rendition ids, e.g. `aac-lc-128`, `he-aac-48`.
    pub ladder: Vec<String>,
    pub segment_seconds: f64,
}

impl Settings {
    pub fn resolve(file: FileSettings, overrides: Overrides) -> Result<Self, ConfigError> {
        let data_dir = overrides.data_dir.or(file.data_dir).unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database_url = overrides
            .database_url
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("tonearm.db").display()));
        let libraries = if overrides.libraries.is_empty() { file.libraries } else { overrides.libraries };
        let tls = match (overrides.tls_cert.or(file.tls_cert), overrides.tls_key.or(file.tls_key)) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            (None, None) => None,
            _ => return Err(ConfigError::IncompleteTls),
        };
        let cors_origins = if overrides.cors_origins.is_empty() { file.cors_origins } else { overrides.cors_origins };
        if let Some(invalid) = cors_origins.iter().find(|origin| !is_origin(origin)) {
            return Err(ConfigError::InvalidOrigin(invalid.clone()));
        }
        let proxies =
            if overrides.trusted_proxies.is_empty() { file.trusted_proxies } else { overrides.trusted_proxies };
        let trusted_proxies = proxies.iter().map(|proxy| parse_network(proxy)).collect::<Result<_, _>>()?;
        let segment_seconds = overrides.segment_seconds.or(file.segment_seconds).unwrap_or(DEFAULT_SEGMENT_SECONDS);
        if !(1.0..=20.0).contains(&segment_seconds) {
            return Err(ConfigError::InvalidSegmentSeconds(segment_seconds));
        }
        let ladder = match (overrides.ladder.is_empty(), file.ladder.is_empty()) {
            (false, _) => overrides.ladder,
            (true, false) => file.ladder,
            (true, true) => DEFAULT_LADDER.map(str::to_owned).to_vec(),
        };
        if ladder.iter().all(|rendition| rendition.trim().is_empty()) {
            return Err(ConfigError::EmptyLadder);
        }
        let media = MediaSettings {
            cache_dir: overrides
                .media_cache_dir
                .or(file.media_cache_dir)
                .unwrap_or_else(|| data_dir.join("media-cache")),
            cache_bytes: overrides.media_cache_mb.or(file.media_cache_mb).unwrap_or(DEFAULT_MEDIA_CACHE_MB) << 20,
            memory_bytes: overrides.media_memory_mb.or(file.media_memory_mb).unwrap_or(DEFAULT_MEDIA_MEMORY_MB) << 20,
            kek_file: overrides.media_kek_file.or(file.media_kek_file).unwrap_or_else(|| data_dir.join("media-kek")),
            transcode_jobs: overrides.transcode_jobs.or(file.transcode_jobs).filter(|jobs| *jobs > 0),
            ladder,
            segment_seconds,
        };
        Ok(Self {
            listen: overrides.listen.or(file.listen).unwrap_or_else(|| DEFAULT_LISTEN.parse().expect("valid default")),
            data_dir,
            database_url,
            libraries,
            watch: overrides.watch.or(file.watch).unwrap_or(false),
            shutdown_grace_secs: overrides
                .shutdown_grace_secs
                .or(file.shutdown_grace_secs)
                .unwrap_or(DEFAULT_SHUTDOWN_GRACE_SECS),
            tls,
            cors_origins,
            trusted_proxies,
            media,
        })
    }

    pub fn covers_dir(&self) -> PathBuf {
        self.data_dir.join("covers")
    }
}

/// Redacts the database password: settings are logged at start-up.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_password(&self.database_url))
            .field("libraries", &self.libraries)
            .field("watch", &self.watch)
            .field("shutdown_grace_secs", &self.shutdown_grace_secs)
            .field("tls", &self.tls)
            .field("cors_origins", &self.cors_origins)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("media", &self.media)
            .finish()
    }
}

/// A network (`10.0.0.0/24`), or one address as a network of one.
fn parse_network(text: &str) -> Result<IpNet, ConfigError> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| ConfigError::InvalidProxy(text.to_owned()))
}

/// An origin as browsers send it: `http(s)://host[:port]`, no path, no trailing slash.
fn is_origin(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")) else {
        return false;
    };
    let host = rest.split(':').next().unwrap_or_default();
    !host.is_empty()
        && !rest.contains(['/', '?', '#', '@', ' '])
        && rest.split_once(':').is_none_or(|(_, port)| port.parse::<u16>().is_ok())
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_work_out_of_the_box() {
        let settings = Settings::resolve(FileSettings::default(), Overrides::default()).unwrap();
        assert_eq!(settings.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(settings.data_dir, PathBuf::from("tonearm-data"));
        assert_eq!(settings.database_url, "sqlite://tonearm-data/tonearm.db");
        assert_eq!(settings.shutdown_grace_secs, 10);
    }

    #[test]
    fn overrides_beat_the_file_and_the_file_beats_defaults() {
        let file: FileSettings = toml::from_str(
            "listen = \"0.0.0.0:9000\"\ndata_dir = \"/srv/tonearm\"\nlibraries = [\"/music\"]\nwatch = true",
        )
        .unwrap();
        let overrides = Overrides { listen: Some("127.0.0.1:0".parse().unwrap()), ..Overrides::default() };
        let settings = Settings::resolve(file, overrides).unwrap();
        assert_eq!(settings.listen.to_string(), "127.0.0.1:0");
        assert_eq!(settings.data_dir, PathBuf::from("/srv/tonearm"));
        assert_eq!(settings.database_url, "sqlite:///srv/tonearm/tonearm.db");
        assert_eq!(settings.libraries, vec![PathBuf::from("/music")]);
        assert!(settings.watch);
    }

    #[test]
    fn media_settings_default_into_the_data_dir_and_follow_the_layers() {
        let defaults = Settings::resolve(FileSettings::default(), Overrides::default()).unwrap().media;
        assert_eq!(defaults.cache_dir, PathBuf::from("tonearm-data/media-cache"));
        assert_eq!(defaults.kek_file, PathBuf::from("tonearm-data/media-kek"));
        assert_eq!(defaults.cache_bytes, 2048 << 20);
        assert_eq!(defaults.memory_bytes, 64 << 20);
        assert_eq!(defaults.ladder, DEFAULT_LADDER);
        let file: FileSettings =
            toml::from_str("ladder = [\"aac-lc-96\"]\nmedia_cache_mb = 10\nsegment_seconds = 4.0").unwrap();
        let overrides = Overrides { media_cache_mb: Some(20), ..Overrides::default() };
        let media = Settings::resolve(file, overrides).unwrap().media;
        assert_eq!((media.ladder, media.cache_bytes, media.segment_seconds), (vec!["aac-lc-96".into()], 20 << 20, 4.0));
        let too_long = Overrides { segment_seconds: Some(60.0), ..Overrides::default() };
        assert!(matches!(
            Settings::resolve(FileSettings::default(), too_long),
            Err(ConfigError::InvalidSegmentSeconds(_))
        ));
    }

    #[test]
    fn a_certificate_without_its_key_is_refused() {
        let overrides = Overrides { tls_cert: Some("cert.pem".into()), ..Overrides::default() };
        assert!(matches!(Settings::resolve(FileSettings::default(), overrides), Err(ConfigError::IncompleteTls)));
    }

    #[test]
    fn cors_origins_must_be_origins() {
        let valid = Overrides {
            cors_origins: vec!["https://app.example.com".into(), "http://localhost:5173".into()],
            ..Overrides::default()
        };
        assert_eq!(Settings::resolve(FileSettings::default(), valid).unwrap().cors_origins.len(), 2);
        for invalid in ["app.example.com", "https://app.example.com/", "https://app.example.com:99999", "*"] {
            let overrides = Overrides { cors_origins: vec![invalid.into()], ..Overrides::default() };
            assert!(
                matches!(Settings::resolve(FileSettings::default(), overrides), Err(ConfigError::InvalidOrigin(_))),
                "{invalid}"
            );
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let file: FileSettings = toml::from_str("trusted_proxies = [\"10.0.0.7\", \"fd00::/8\"]").unwrap();
        let settings = Settings::resolve(file, Overrides::default()).unwrap();
        let proxies: Vec<String> = settings.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(proxies, ["10.0.0.7/32", "fd00::/8"]);
        for invalid in ["10.0.0.300", "proxy.example.com", "10.0.0.0/33"] {
            let overrides = Overrides { trusted_proxies: vec![invalid.into()], ..Overrides::default() };
            assert!(
                matches!(Settings::resolve(FileSettings::default(), overrides), Err(ConfigError::InvalidProxy(_))),
                "{invalid}"
            );
        }
    }

    #[test]
    fn unknown_keys_in_the_file_are_an_error_not_silence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tonearm.toml");
        std::fs::write(&path, "lisen = \"x\"").unwrap();
        assert!(matches!(FileSettings::load(&path), Err(ConfigError::Invalid { .. })));
    }

    #[test]
    fn passwords_never_reach_debug_output() {
        let mut settings = Settings::resolve(FileSettings::default(), Overrides::default()).unwrap();
        settings.database_url = "postgres://tonearm:hunter2@db/tonearm".into();
        let printed = format!("{settings:?}");
        assert!(!printed.contains("hunter2"));
        assert!(printed.contains("tonearm:***@db"));
    }
}
