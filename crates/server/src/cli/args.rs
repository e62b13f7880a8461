//! The command line. Every option can also come from a `TONEARM_*` environment variable
//! (flags win) or the TOML file given by `--config`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use tonearm_config::Overrides;

use super::recommend::eval::RecommendEvalArgs;
use super::recommend::synth::SynthArgs;

#[derive(Debug, Parser)]
#[command(name = "tonearm", version, about = "Tonearm: a music streaming server you can run yourself")]
pub struct Cli {
    /// A TOML configuration file; its keys are the long option names with `_` for `-`.
    #[arg(long, global = true, env = "TONEARM_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the catalog and streams over HTTP, scanning the libraries at start.
    Serve(ServeArgs),
    /// Scan library folders into the catalog once, printing progress and unreadable files.
    Scan(ScanArgs),
    /// Generate a demo library (synthesized music), scan it and serve it on 127.0.0.1.
    Demo(DemoArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// TLS certificates.
    #[command(subcommand)]
    Cert(CertCommand),
    /// Access-token signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Pre-build the adaptive-streaming renditions of chosen or most-played tracks, so their
    /// first listeners never wait for an encoder.
    Transcode(TranscodeArgs),
    /// The recommender, offline.
    #[command(subcommand)]
    Recommend(RecommendCommand),
}

#[derive(Debug, Subcommand)]
pub enum RecommendCommand {
    /// Evaluate a model on an interactions file by the offline protocol: tune on val with
    /// models trained on train, retrain on train ∪ val, score on test.
    Eval(RecommendEvalArgs),
    /// Generate a synthetic listening history, train a model on it and print its training
    /// time, peak memory, genre precision@20 and serving latency.
    Synth(SynthArgs),
}

#[derive(Debug, Args)]
pub struct TranscodeArgs {
    /// A track to transcode (repeatable).
    #[arg(long = "track", value_name = "ID")]
    pub tracks: Vec<i64>,

    /// Also the N most played tracks of the instance.
    #[arg(long, value_name = "N")]
    pub top: Option<u32>,

    #[command(flatten)]
    pub media: MediaArgs,

    #[command(flatten)]
    pub store: StoreArgs,
}

/// Adaptive streaming (HLS/DASH): the rendition cache, encoders and keys.
#[derive(Debug, Args)]
pub struct MediaArgs {
    /// Where transcoded renditions are cached [default: DATA_DIR/media-cache].
    #[arg(long, env = "TONEARM_MEDIA_CACHE_DIR", value_name = "DIR")]
    pub media_cache_dir: Option<PathBuf>,

    /// Size bound of the rendition cache in MiB; least recently used renditions go first [default: 2048].
    #[arg(long, env = "TONEARM_MEDIA_CACHE_MB", value_name = "MIB")]
    pub media_cache_mb: Option<u64>,

    /// Memory in MiB for the most requested rendition files, served without touching the disk; 0 keeps none [default: 64].
    #[arg(long, env = "TONEARM_MEDIA_MEMORY_MB", value_name = "MIB")]
    pub media_memory_mb: Option<u64>,

    /// File holding the base64 key-encryption key that protects stored stream keys; created
    /// when missing. Give every node the same file [default: DATA_DIR/media-kek].
    #[arg(long, env = "TONEARM_MEDIA_KEK_FILE", value_name = "FILE")]
    pub media_kek_file: Option<PathBuf>,

    /// Transcoding jobs at once; more wait in a bounded queue [default: one per core].
    #[arg(long, env = "TONEARM_TRANSCODE_JOBS", value_name = "N")]
    pub transcode_jobs: Option<usize>,

    /// The renditions offered, like he-aac-48,aac-lc-64,aac-lc-128,aac-lc-256 (the default);
    /// repeatable (environment: comma-separated).
    #[arg(long = "ladder", env = "TONEARM_LADDER", value_name = "RENDITION", value_delimiter = ',')]
    pub ladder: Vec<String>,

    /// Target segment duration in seconds, 1 to 20 [default: 6].
    #[arg(long, env = "TONEARM_SEGMENT_SECONDS", value_name = "SECS")]
    pub segment_seconds: Option<f64>,
}

impl MediaArgs {
    fn apply(&self, overrides: Overrides) -> Overrides {
        Overrides {
            media_cache_dir: self.media_cache_dir.clone(),
            media_cache_mb: self.media_cache_mb,
            media_memory_mb: self.media_memory_mb,
            media_kek_file: self.media_kek_file.clone(),
            transcode_jobs: self.transcode_jobs,
            ladder: self.ladder.clone(),
            segment_seconds: self.segment_seconds,
            ..overrides
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Add a signing key that running servers switch to within a minute, and delete keys
    /// superseded long enough ago that nothing they signed is still valid; nobody is signed out.
    Rotate(StoreArgs),
}

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Write a self-signed certificate and key for local HTTPS (`serve --tls-cert --tls-key`).
    Dev(CertDevArgs),
}

#[derive(Debug, Args)]
pub struct CertDevArgs {
    /// Where to write `tonearm-dev-cert.pem` and `tonearm-dev-key.pem`.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out_dir: PathBuf,

    /// Host names and IP addresses the certificate is valid for (repeatable).
    #[arg(long = "host", value_name = "NAME", default_values = ["localhost", "127.0.0.1", "::1"])]
    pub hosts: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from the terminal (hidden) or from stdin.
    Add(UserAddArgs),
    /// List every account.
    List(StoreArgs),
    /// Change an account's tier or role, or disable it (signing it out everywhere) or enable it.
    Set(UserSetArgs),
}

#[derive(Debug, Args)]
pub struct UserSetArgs {
    #[arg(value_name = "USERNAME")]
    pub username: String,

    #[arg(long, value_name = "TIER", value_parser = ["free", "premium"])]
    pub tier: Option<String>,

    #[arg(long, value_name = "ROLE", value_parser = ["user", "admin"])]
    pub role: Option<String>,

    /// Disable the account: it can no longer sign in, and its devices are signed out.
    #[arg(long, conflicts_with = "enable")]
    pub disable: bool,

    /// Enable a disabled account again.
    #[arg(long)]
    pub enable: bool,

    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// 3 to 32 letters, digits, dots, dashes or underscores; unique ignoring case.
    #[arg(value_name = "USERNAME")]
    pub username: String,

    #[arg(long, value_name = "EMAIL")]
    pub email: String,

    /// Make the account an administrator (the first account of an instance always is).
    #[arg(long)]
    pub admin: bool,

    /// The listening tier.
    #[arg(long, value_name = "TIER", default_value = "free", value_parser = ["free", "premium"])]
    pub tier: String,

    #[command(flatten)]
    pub store: StoreArgs,
}

/// Options every command shares: where the data lives.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Directory for the database (SQLite default), cover cache and demo library [default: ./tonearm-data].
    #[arg(long, env = "TONEARM_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Catalog database: sqlite://FILE or postgres://USER@HOST/DB [default: SQLite in the data dir].
    #[arg(long, env = "TONEARM_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Address to listen on; port 0 picks a free port [default: 127.0.0.1:8340].
    #[arg(long, env = "TONEARM_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,

    /// Seconds in-flight requests and streams may run on after SIGTERM/SIGINT [default: 10].
    #[arg(long, env = "TONEARM_SHUTDOWN_GRACE_SECS", value_name = "SECS")]
    pub shutdown_grace_secs: Option<u64>,

    /// Another web origin allowed to call the API from a browser (CORS), like
    /// https://app.example.com; repeatable (environment: comma-separated).
    #[arg(long = "cors-origin", env = "TONEARM_CORS_ORIGINS", value_name = "ORIGIN", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// A reverse proxy (IP address or network, like 10.0.0.0/24) whose X-Forwarded-For,
    /// -Proto and -Host headers are trusted; repeatable (environment: comma-separated).
    #[arg(long = "trusted-proxy", env = "TONEARM_TRUSTED_PROXIES", value_name = "NETWORK", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub listen: ListenArgs,

    #[command(flatten)]
    pub store: StoreArgs,

    /// A music folder to serve; repeat for several (environment: comma-separated).
    #[arg(long = "library", env = "TONEARM_LIBRARY", value_name = "DIR", value_delimiter = ',')]
    pub libraries: Vec<PathBuf>,

    /// Watch the library folders and pick up added, changed and removed files while serving.
    #[arg(long, env = "TONEARM_WATCH")]
    pub watch: bool,

    /// Serve HTTPS with this PEM certificate chain (TLS 1.2 and 1.3); needs --tls-key.
    #[arg(long, env = "TONEARM_TLS_CERT", value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The PEM private key of --tls-cert.
    #[arg(long, env = "TONEARM_TLS_KEY", value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    #[command(flatten)]
    pub media: MediaArgs,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The music folders to scan.
    #[arg(required = true, value_name = "DIR")]
    pub libraries: Vec<PathBuf>,

    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub listen: ListenArgs,

    /// Password of the demo accounts `admin`, `free` and `premium` [default: random, printed at start].
    #[arg(long, env = "TONEARM_DEMO_PASSWORD", value_name = "PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,

    #[command(flatten)]
    pub media: MediaArgs,

    #[command(flatten)]
    pub store: StoreArgs,
}

impl StoreArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides { data_dir: self.data_dir.clone(), database_url: self.database_url.clone(), ..Overrides::default() }
    }
}

impl ListenArgs {
    fn apply(&self, overrides: Overrides) -> Overrides {
        Overrides {
            listen: self.listen,
            shutdown_grace_secs: self.shutdown_grace_secs,
            cors_origins: self.cors_origins.clone(),
            trusted_proxies: self.trusted_proxies.clone(),
            ..overrides
        }
    }
}

impl ServeArgs {
    pub fn overrides(&self) -> Overrides {
        let overrides = self.media.apply(self.listen.apply(self.store.overrides()));
        Overrides {
            libraries: self.libraries.clone(),
            watch: self.watch.then_some(true),
            tls_cert: self.tls_cert.clone(),
            tls_key: self.tls_key.clone(),
            ..overrides
        }
    }
}

impl ScanArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides { libraries: self.libraries.clone(), ..self.store.overrides() }
    }
}

impl DemoArgs {
    pub fn overrides(&self) -> Overrides {
        self.media.apply(self.listen.apply(self.store.overrides()))
    }
}

impl TranscodeArgs {
    pub fn overrides(&self) -> Overrides {
        self.media.apply(self.store.overrides())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn repeated_libraries_and_port_zero_parse() {
        let cli =
            Cli::parse_from(["tonearm", "serve", "--library", "/a", "--library", "/b", "--listen", "127.0.0.1:0"]);
        let Command::Serve(args) = cli.command else { panic!("expected serve") };
        let overrides = args.overrides();
        assert_eq!(overrides.libraries, vec![PathBuf::from("/a"), PathBuf::from("/b")]);
        assert_eq!(overrides.listen.unwrap().port(), 0);
    }
}
