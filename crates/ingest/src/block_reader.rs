//! The reader lofty parses through: positioned reads (`pread`) of one cached 64 KiB block.
//!
//! lofty reads a file in many small pieces and seeks between them (a header, then the
//! tag's frames one by one, then the end for ID3v1 and APE tags, then back). Through a
//! `BufReader` every seek drops the buffer, so each of those pieces cost an `lseek` and a
//! `read`. Here a seek only moves a number, and a read costs a system call only when it
//! leaves the cached block: one `pread` per 64 KiB, whatever lofty's access pattern.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;

/// Large enough for the headers and tags of nearly every file (embedded covers aside),
/// small enough that a file's first and last blocks cost little to read.
const BLOCK_BYTES: usize = 64 * 1024;

pub struct BlockReader<'file> {
    file: &'file File,
    /// The file's length, as `SeekFrom::End` counts it.
    len: u64,
    position: u64,
    block: Box<[u8]>,
    /// Where the cached bytes `block[..block_len]` start in the file.
    block_start: u64,
    block_len: usize,
}

impl<'file> BlockReader<'file> {
    /// Reads `file`, whose length the caller knows (it stated the file) to be `len`.
    pub fn new(file: &'file File, len: u64) -> Self {
        Self { file, len, position: 0, block: vec![0; BLOCK_BYTES].into_boxed_slice(), block_start: 0, block_len: 0 }
    }

    /// The cached bytes from the current position on, if the position is in the block.
    fn cached(&self) -> &[u8] {
        let end = self.block_start + self.block_len as u64;
        if (self.block_start..end).contains(&self.position) {
            &self.block[(self.position - self.block_start) as usize..self.block_len]
        } else {
            &[]
        }
    }

    /// Caches the aligned block holding the current position; fewer bytes at the file's end.
    fn fill_block(&mut self) -> io::Result<()> {
        let start = self.position - self.position % BLOCK_BYTES as u64;
        let mut filled = 0;
        while filled < BLOCK_BYTES {
            match self.file.read_at(&mut self.block[filled..], start + filled as u64) {
                Ok(0) => break,
                Ok(read) => filled += read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => {
                    self.block_len = 0;
                    return Err(error);
                }
            }
        }
        self.block_start = start;
        self.block_len = filled;
        Ok(())
    }
}

impl Read for BlockReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.cached().is_empty() {
            // A read as large as a block (a cover picture) goes straight into the caller's
            // buffer rather than through the cache, as `BufReader` does.
            if buf.len() >= BLOCK_BYTES {
                let read = self.file.read_at(buf, self.position)?;
                self.position += read as u64;
                return Ok(read);
            }
            self.fill_block()?;
        }
        let cached = self.cached();
        let read = cached.len().min(buf.len());
        buf[..read].copy_from_slice(&cached[..read]);
        self.position += read as u64;
        Ok(read)
    }
}

impl Seek for BlockReader<'_> {
    fn seek(&mut self, target: SeekFrom) -> io::Result<u64> {
        let position = match target {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
            SeekFrom::End(delta) => self.len.checked_add_signed(delta),
        };
        // As for a file: before the start is an error, past the end is allowed (reads give 0).
        self.position = position
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek to a negative or overflowing position"))?;
        Ok(self.position)
    }

    fn stream_position(&mut self) -> io::Result<u64> {
        Ok(self.position)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A file of `len` bytes, each its offset modulo 251 (so misplaced bytes show).
    fn file_of(len: usize) -> (tempfile::NamedTempFile, Vec<u8>) {
        let content: Vec<u8> = (0..len).map(|offset| (offset % 251) as u8).collect();
        let mut named = tempfile::NamedTempFile::new().unwrap();
        named.write_all(&content).unwrap();
        (named, content)
    }

    #[test]
    fn reads_across_block_boundaries_match_the_file() {
        let (named, content) = file_of(3 * BLOCK_BYTES + 1_000);
        let file = File::open(named.path()).unwrap();
        let mut reader = BlockReader::new(&file, content.len() as u64);
        let mut everything = Vec::new();
        // Odd piece sizes straddle every boundary; `read_to_end` would hide short reads.
        let mut piece = [0u8; 7_001];
        loop {
            let read = reader.read(&mut piece).unwrap();
            if read == 0 {
                break;
            }
            everything.extend_from_slice(&piece[..read]);
        }
        assert!(everything == content, "the pieces put together are the file");

        let mut straddling = [0u8; 100];
        reader.seek(SeekFrom::Start(BLOCK_BYTES as u64 - 50)).unwrap();
        reader.read_exact(&mut straddling).unwrap();
        assert_eq!(straddling[..], content[BLOCK_BYTES - 50..BLOCK_BYTES + 50]);
    }

    #[test]
    fn reads_larger_than_a_block_bypass_the_cache() {
        let (named, content) = file_of(2 * BLOCK_BYTES + 10);
        let file = File::open(named.path()).unwrap();
        let mut reader = BlockReader::new(&file, content.len() as u64);
        reader.seek(SeekFrom::Start(5)).unwrap();
        let mut large = vec![0u8; BLOCK_BYTES + 3];
        reader.read_exact(&mut large).unwrap();
        assert!(large[..] == content[5..BLOCK_BYTES + 8]);
        let mut next = [0u8; 4];
        reader.read_exact(&mut next).unwrap();
        assert_eq!(next[..], content[BLOCK_BYTES + 8..BLOCK_BYTES + 12]);
    }

    #[test]
    fn seeks_from_start_current_and_end() {
        let (named, content) = file_of(BLOCK_BYTES + 500);
        let file = File::open(named.path()).unwrap();
        let len = content.len() as u64;
        let mut reader = BlockReader::new(&file, len);
        let mut byte = [0u8; 1];

        assert_eq!(reader.seek(SeekFrom::Start(1_000)).unwrap(), 1_000);
        reader.read_exact(&mut byte).unwrap();
        assert_eq!(byte[0], content[1_000]);

        assert_eq!(reader.seek(SeekFrom::Current(-501)).unwrap(), 500);
        reader.read_exact(&mut byte).unwrap();
        assert_eq!(byte[0], content[500]);
        assert_eq!(reader.stream_position().unwrap(), 501);

        assert_eq!(reader.seek(SeekFrom::End(-128)).unwrap(), len - 128);
        let mut tail = [0u8; 128];
        reader.read_exact(&mut tail).unwrap();
        assert_eq!(tail[..], content[content.len() - 128..]);

        assert_eq!(reader.seek(SeekFrom::Current(-(BLOCK_BYTES as i64) - 100)).unwrap(), 400);
        reader.read_exact(&mut byte).unwrap();
        assert_eq!(byte[0], content[400]);

        assert_eq!(reader.seek(SeekFrom::End(-(len as i64) - 1)).unwrap_err().kind(), io::ErrorKind::InvalidInput);
        assert_eq!(reader.seek(SeekFrom::Current(-100_000_000)).unwrap_err().kind(), io::ErrorKind::InvalidInput);
        assert_eq!(reader.stream_position().unwrap(), 401, "a failed seek leaves the position");
    }

    #[test]
    fn reads_past_the_end_give_nothing() {
        let (named, content) = file_of(1_000);
        let file = File::open(named.path()).unwrap();
        let mut reader = BlockReader::new(&file, content.len() as u64);
        let mut buffer = [0u8; 64];

        reader.seek(SeekFrom::End(-10)).unwrap();
        assert_eq!(reader.read(&mut buffer).unwrap(), 10, "only what is left");
        assert_eq!(buffer[..10], content[990..]);
        assert_eq!(reader.read(&mut buffer).unwrap(), 0);

        assert_eq!(reader.seek(SeekFrom::End(5_000)).unwrap(), 6_000);
        assert_eq!(reader.read(&mut buffer).unwrap(), 0);
        let mut large = vec![0u8; BLOCK_BYTES * 2];
        assert_eq!(reader.read(&mut large).unwrap(), 0);
        assert_eq!(reader.read_exact(&mut buffer).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    }
}
