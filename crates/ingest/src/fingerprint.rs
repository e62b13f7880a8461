//! A content fingerprint that recognises a file after a move or rename without reading it
//! whole: the size plus the first and last 16 KiB (headers, tags and final frames), hashed.

use std::fs::File;
use std::os::unix::fs::FileExt;

use xxhash_rust::xxh3::Xxh3;

const WINDOW: u64 = 16 * 1024;

/// The fingerprint of `file`, `size` bytes long (positioned reads: the caller's offset in
/// `file` is neither used nor moved).
pub fn fingerprint(file: &File, size: u64) -> std::io::Result<String> {
    let mut hasher = Xxh3::new();
    hasher.update(&size.to_le_bytes());
    let mut buffer = vec![0; WINDOW as usize];
    let head = read_up_to(file, 0, &mut buffer)?;
    hasher.update(&buffer[..head]);
    if size > WINDOW {
        // The last window, or what follows the first when the two would overlap.
        let tail = read_up_to(file, (size - WINDOW).max(WINDOW), &mut buffer)?;
        hasher.update(&buffer[..tail]);
    }
    Ok(format!("{:032x}", hasher.digest128()))
}

fn read_up_to(file: &File, offset: u64, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read_at(&mut buffer[filled..], offset + filled as u64) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_content_same_fingerprint_different_content_differs() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let a = dir.path().join("a.flac");
        let b = dir.path().join("moved.flac");
        std::fs::write(&a, &bytes).unwrap();
        std::fs::write(&b, &bytes).unwrap();
        let size = bytes.len() as u64;
        let of = |path: &std::path::Path| fingerprint(&File::open(path).unwrap(), size).unwrap();
        assert_eq!(of(&a), of(&b));

        let mut changed = bytes.clone();
        *changed.last_mut().unwrap() ^= 0xff;
        std::fs::write(&b, &changed).unwrap();
        assert_ne!(of(&a), of(&b));
    }
}
