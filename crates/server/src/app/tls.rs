//! HTTPS: rustls (TLS 1.2 and 1.3, ring provider) for `serve --tls-cert --tls-key`, and
//! `tonearm cert dev` for a self-signed certificate to try it locally.

use std::path::Path;

use tonearm_config::TlsFiles;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot generate a certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("cannot load the TLS certificate or key: {0}")]
    Load(std::io::Error),
}

/// Writes `tonearm-dev-cert.pem` and `tonearm-dev-key.pem` (key readable by the owner only).
pub fn write_dev_certificate(dir: &Path, hosts: &[String]) -> Result<TlsFiles, TlsError> {
    let certified = rcgen::generate_simple_self_signed(hosts.to_vec())?;
    let files = TlsFiles { cert: dir.join("tonearm-dev-cert.pem"), key: dir.join("tonearm-dev-key.pem") };
    let write_error = |path: &Path| {
        let path = path.display().to_string();
        move |source| TlsError::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(write_error(dir))?;
    std::fs::write(&files.cert, certified.cert.pem()).map_err(write_error(&files.cert))?;
    write_private(&files.key, certified.signing_key.serialize_pem().as_bytes()).map_err(write_error(&files.key))?;
    Ok(files)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// The rustls configuration for the certificate and key files.
pub async fn load(files: &TlsFiles) -> Result<axum_server::tls_rustls::RustlsConfig, TlsError> {
    axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key).await.map_err(TlsError::Load)
}
