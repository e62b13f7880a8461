//! A content fingerprint that recognises a file after a move or rename without reading it
//! whole: the size plus the first and last 16 KiB (headers, tags and final frames), hashed.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use xxhash_rust::xxh3::Xxh3;

const WINDOW: u64 = 16 * 1024;

pub fn fingerprint(path: &Path, size: u64) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Xxh3::new();
    hasher.update(&size.to_le_bytes());
    let mut buffer = vec![0; WINDOW as usize];
    let head = read_up_to(&mut file, &mut buffer)?;
    hasher.update(&buffer[..head]);
    if size > WINDOW * 2 {
        file.seek(SeekFrom::Start(size - WINDOW))?;
        let tail = read_up_to(&mut file, &mut buffer)?;
        hasher.update(&buffer[..tail]);
    } else if size > WINDOW {
        let tail = read_up_to(&mut file, &mut buffer)?;
        hasher.update(&buffer[..tail]);
    }
    Ok(format!("{:032x}", hasher.digest128()))
}

fn read_up_to(file: &mut File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            read => filled += read,
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
        assert_eq!(fingerprint(&a, size).unwrap(), fingerprint(&b, size).unwrap());

        let mut changed = bytes.clone();
        *changed.last_mut().unwrap() ^= 0xff;
        std::fs::write(&b, &changed).unwrap();
        assert_ne!(fingerprint(&a, size).unwrap(), fingerprint(&b, size).unwrap());
    }
}
