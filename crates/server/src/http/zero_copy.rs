//! Original files sent by the kernel (`sendfile`) through hyper, which has no sendfile path
//! of its own.
//!
//! A stream's body is one [`Bytes`] borrowing a read-only memory map of the span it sends
//! ([`map_span`]): no read into a buffer, no trip to the blocking pool, and no heap per
//! stream (the mapping is page cache). Every live mapping is registered here with the file
//! and offset it shows. hyper hands the body to the connection as it is, so the connection
//! ([`ZeroCopyStream`]) recognises a slice of a registered mapping by its address and has
//! the kernel send those file bytes straight from the page cache with `sendfile`, instead of
//! copying them from the mapping into the socket. A `MAP_SHARED` mapping shows exactly the
//! page cache `sendfile` reads, so the bytes on the wire are the same either way; anything
//! that is not a registered mapping (headers, JSON, TLS records) is written as usual.
//!
//! Files that shrink while mapped: a process that reads a mapped page past the file's new
//! end gets `SIGBUS`, which would kill the server. On this path user space never reads the
//! mapping: `sendfile` reads the file, and returns 0 once past its end, which ends the
//! connection with an error (the listener gets a short body, as with reads); a `writev`
//! from the mapping (a slice hyper had split) is a kernel read that fails with `EFAULT`,
//! never a signal. TLS must read the bytes to encrypt them, so a TLS server does not map
//! at all (`OriginalBodies::Read`), and HTTP/2 copies small frames out of a body, so its
//! responses are read too ([`OriginalBodies::for_version`]). The mapping is not
//! prefaulted: `sendfile` never touches it, so it costs one `mmap` and one `munmap` per
//! response.

// `Mmap::map` is `unsafe` because another process may change or truncate the file while it
// is mapped; this module is the only one allowed to map (see the note above).
#![allow(unsafe_code)]

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, IoSlice};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll, ready};

use axum::http::Version;
use bytes::Bytes;
use memmap2::{Mmap, MmapOptions};
use tokio::io::{AsyncRead, AsyncWrite, Interest, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// How a server sends the bytes of original files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginalBodies {
    /// Mapped spans, sent by `sendfile` from a [`ZeroCopyStream`] (plain HTTP).
    Mapped,
    /// Read in chunks on the blocking pool (TLS, which must read the bytes to encrypt them).
    Read,
}

impl OriginalBodies {
    /// How to send one response's body. Only HTTP/1 hands a body's `Bytes` to the
    /// connection untouched: hyper's HTTP/2 copies DATA frames under 256 bytes out of them
    /// in user space, a read of the mapping that would fault (`SIGBUS`) on a file that
    /// shrank meanwhile, so HTTP/2 responses are read.
    pub fn for_version(self, version: Version) -> Self {
        match version {
            Version::HTTP_09 | Version::HTTP_10 | Version::HTTP_11 => self,
            _ => Self::Read,
        }
    }
}

/// Every live mapping made by [`map_span`], by the address of its first byte.
static MAPPED: RwLock<BTreeMap<usize, MappedRegion>> = RwLock::new(BTreeMap::new());

/// What a mapping shows: `len` bytes of `file` from `offset`.
#[derive(Clone)]
struct MappedRegion {
    len: usize,
    file: Arc<File>,
    offset: u64,
}

/// The owner of a mapping: registered while it lives, so it must be dropped (unregistered)
/// before its address can be reused by another mapping.
struct MappedSpan {
    map: Mmap,
}

impl AsRef<[u8]> for MappedSpan {
    fn as_ref(&self) -> &[u8] {
        &self.map
    }
}

impl Drop for MappedSpan {
    fn drop(&mut self) {
        MAPPED.write().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&(self.map.as_ptr() as usize));
    }
}

/// `len` bytes of `file` from `offset` as one `Bytes` over a read-only mapping, for a body
/// that a [`ZeroCopyStream`] sends with `sendfile`. `len` must not be zero. When the file
/// cannot be mapped (a file system without `mmap`), it comes back with the error.
pub fn map_span(file: File, offset: u64, len: u64) -> Result<Bytes, (File, io::Error)> {
    let Ok(len) = usize::try_from(len) else {
        return Err((file, io::Error::other("the span is larger than the address space")));
    };
    // SAFETY: the mapping is read-only and shared, and no code of ours reads it: on a
    // `ZeroCopyStream` the kernel sends its bytes from the file (see the module note), so a
    // file truncated meanwhile makes `sendfile` come up short instead of faulting.
    let map = match unsafe { MmapOptions::new().offset(offset).len(len).map(&file) } {
        Ok(map) => map,
        Err(error) => return Err((file, error)),
    };
    let region = MappedRegion { len, file: Arc::new(file), offset };
    MAPPED.write().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(map.as_ptr() as usize, region);
    Ok(Bytes::from_owner(MappedSpan { map }))
}

/// The file and offset whose bytes `slice` shows, when it lies within a registered mapping.
fn mapped_region(slice: &[u8]) -> Option<MappedRegion> {
    if slice.is_empty() {
        return None;
    }
    let start = slice.as_ptr() as usize;
    let mapped = MAPPED.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    let (&base, region) = mapped.range(..=start).next_back()?;
    let skipped = start - base;
    (skipped + slice.len() <= region.len).then(|| MappedRegion {
        len: slice.len(),
        file: Arc::clone(&region.file),
        offset: region.offset + skipped as u64,
    })
}

/// Accepts connections that send mapped file spans with `sendfile`.
pub struct ZeroCopyListener(pub TcpListener);

impl axum::serve::Listener for ZeroCopyListener {
    type Io = ZeroCopyStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, address) = axum::serve::Listener::accept(&mut self.0).await;
        (ZeroCopyStream(stream), address)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A TCP connection whose writes of registered mappings become `sendfile` calls.
pub struct ZeroCopyStream(TcpStream);

impl ZeroCopyStream {
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.0.set_nodelay(nodelay)
    }

    /// One `sendfile` of `region`; like a write, it may send less than asked.
    fn poll_send_file(&self, cx: &mut Context<'_>, region: &MappedRegion) -> Poll<io::Result<usize>> {
        loop {
            ready!(self.0.poll_write_ready(cx))?;
            let send = || {
                let mut offset = region.offset;
                rustix::fs::sendfile(&self.0, region.file.as_ref(), Some(&mut offset), region.len)
                    .map_err(io::Error::from)
            };
            match self.0.try_io(Interest::WRITABLE, send) {
                Ok(0) => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the file shrank while it was being sent",
                    )));
                }
                Ok(sent) => return Poll::Ready(Ok(sent)),
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
                Err(error) => return Poll::Ready(Err(error)),
            }
        }
    }
}

impl AsyncRead for ZeroCopyStream {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for ZeroCopyStream {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match mapped_region(buf) {
            Some(region) => self.poll_send_file(cx, &region),
            None => Pin::new(&mut self.0).poll_write(cx, buf),
        }
    }

    /// hyper queues the headers and the body's `Bytes` and writes them together: what comes
    /// before the first mapped slice goes by `writev`, the mapped slice by `sendfile`.
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match bufs.iter().enumerate().find_map(|(index, buf)| Some((index, mapped_region(buf)?))) {
            Some((first_mapped, region)) if bufs[..first_mapped].iter().all(|buf| buf.is_empty()) => {
                self.poll_send_file(cx, &region)
            }
            Some((first_mapped, _)) => Pin::new(&mut self.0).poll_write_vectored(cx, &bufs[..first_mapped]),
            None => Pin::new(&mut self.0).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn file_of(bytes: &[u8]) -> (tempfile::NamedTempFile, File) {
        let mut named = tempfile::NamedTempFile::new().unwrap();
        named.write_all(bytes).unwrap();
        let file = File::open(named.path()).unwrap();
        (named, file)
    }

    #[test]
    fn only_http1_responses_are_mapped() {
        for version in [Version::HTTP_10, Version::HTTP_11] {
            assert_eq!(OriginalBodies::Mapped.for_version(version), OriginalBodies::Mapped);
        }
        for version in [Version::HTTP_2, Version::HTTP_3] {
            assert_eq!(OriginalBodies::Mapped.for_version(version), OriginalBodies::Read);
        }
        assert_eq!(OriginalBodies::Read.for_version(Version::HTTP_11), OriginalBodies::Read, "TLS always reads");
    }

    #[test]
    fn a_span_shows_the_file_and_is_registered_while_it_lives() {
        let content: Vec<u8> = (0..100_000u32).map(|n| (n % 251) as u8).collect();
        let (_named, file) = file_of(&content);
        let span = map_span(file, 5_000, 60_000).map_err(|(_, error)| error).unwrap();
        assert_eq!(span.as_ref(), &content[5_000..65_000]);

        let tail = span.slice(1_000..);
        let region = mapped_region(&tail).expect("a slice of a mapping is found");
        assert_eq!((region.offset, region.len), (6_000, 59_000));
        assert!(mapped_region(&content[..10]).is_none(), "heap bytes are not a mapping");

        let address = span.as_ptr() as usize;
        drop((span, tail));
        assert!(!MAPPED.read().unwrap().contains_key(&address), "unregistered once the last Bytes is gone");
    }

    #[tokio::test]
    async fn headers_then_a_mapped_body_arrive_in_order() {
        let content: Vec<u8> = (0..3_000_000u32).map(|n| (n % 253) as u8).collect();
        let (_named, file) = file_of(&content);
        let body = map_span(file, 1_000, 2_500_000).map_err(|(_, error)| error).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let reader = tokio::spawn(async move {
            let mut client = TcpStream::connect(address).await.unwrap();
            let mut received = Vec::new();
            client.read_to_end(&mut received).await.unwrap();
            received
        });
        let (stream, _) = listener.accept().await.unwrap();
        let mut stream = ZeroCopyStream(stream);
        let head = b"head:";
        let mut sent_head = 0;
        let mut sent_body = 0;
        while sent_head + sent_body < head.len() + body.len() {
            let bufs = [IoSlice::new(&head[sent_head..]), IoSlice::new(&body[sent_body..])];
            let written = stream.write_vectored(&bufs).await.unwrap();
            let to_head = written.min(head.len() - sent_head);
            sent_head += to_head;
            sent_body += written - to_head;
        }
        stream.shutdown().await.unwrap();
        drop(stream);
        let received = reader.await.unwrap();
        assert_eq!(&received[..head.len()], head);
        assert!(received[head.len()..] == content[1_000..2_501_000], "the body is the file's span");
    }

    #[tokio::test]
    async fn a_file_that_shrinks_after_mapping_ends_the_write_without_a_signal() {
        let content = vec![7u8; 1_000_000];
        let (named, file) = file_of(&content);
        let body = map_span(file, 500_000, 500_000).map_err(|(_, error)| error).unwrap();
        std::fs::OpenOptions::new().write(true).open(named.path()).unwrap().set_len(1_000).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        let mut stream = ZeroCopyStream(listener.accept().await.unwrap().0);

        let error = stream.write_vectored(&[IoSlice::new(&body)]).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof, "sendfile, not a copy from the mapping: {error}");
        drop(client);
    }
}
