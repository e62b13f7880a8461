//! Structured logs to stderr: human-readable by default, JSON with `TONEARM_LOG_FORMAT=json`.
//! Verbosity follows `RUST_LOG` (default `info`; lofty's per-file parsing notes only as errors,
//! since the scan reports unreadable files itself).

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,lofty=error"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("TONEARM_LOG_FORMAT").is_ok_and(|format| format == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}
