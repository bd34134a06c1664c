//! A guard between a WebSocket connection's bytes and its frame decoder, so one socket cannot
//! eat the server's memory. actix's decoder buffers a frame until it has arrived whole and only
//! then compares its length with the limit, and its reader pulls every available chunk before it
//! decodes: a header announcing 2^40 bytes followed by a stream of data grew the buffer without
//! bound. The guard reads the frame headers as the bytes pass:
//!
//! - a frame announcing more than the limit ends the stream with an error as soon as its header
//!   is read (the connection answers 1009), and nothing of it is buffered;
//! - it passes the bytes of at most one frame end per read, so the decoder holds at most about
//!   one frame: what is buffered per socket is bounded by the frame limit plus one read chunk,
//!   whatever the client sends.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use futures_util::Stream;

/// Where the guard is in the byte stream.
#[derive(Debug, Clone)]
enum Position {
    /// Reading a frame header; the bytes read so far (at most 14).
    Header(Vec<u8>),
    /// Inside a frame's payload; how many payload bytes are left.
    Payload(u64),
}

/// The frame-reading state, apart from any stream, so it is tested on plain bytes.
#[derive(Debug, Clone)]
pub struct FrameScanner {
    max_payload: u64,
    position: Position,
}

/// A frame announced more payload than the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oversized {
    /// The announced payload length.
    pub announced: u64,
}

impl FrameScanner {
    /// A scanner refusing frames whose payload exceeds `max_payload` bytes.
    pub fn new(max_payload: usize) -> Self {
        Self {
            max_payload: u64::try_from(max_payload).unwrap_or(u64::MAX),
            position: Position::Header(Vec::with_capacity(14)),
        }
    }

    /// Reads the start of `bytes`: how many of them may pass now (up to and including the
    /// first frame end, or all of them), and whether a frame ended there.
    pub fn scan(&mut self, bytes: &[u8]) -> Result<(usize, bool), Oversized> {
        let mut at = 0;
        while at < bytes.len() {
            match &mut self.position {
                Position::Header(header) => {
                    header.push(bytes[at]);
                    at += 1;
                    if let Some(length) = payload_length(header) {
                        if length > self.max_payload {
                            return Err(Oversized { announced: length });
                        }
                        self.position = Position::Payload(length);
                        if length == 0 {
                            self.position = Position::Header(Vec::with_capacity(14));
                            return Ok((at, true));
                        }
                    }
                }
                Position::Payload(left) => {
                    let available = u64::try_from(bytes.len() - at).unwrap_or(u64::MAX);
                    let take = (*left).min(available);
                    *left -= take;
                    at += usize::try_from(take).unwrap_or(usize::MAX);
                    if *left == 0 {
                        self.position = Position::Header(Vec::with_capacity(14));
                        return Ok((at, true));
                    }
                }
            }
        }
        Ok((at, false))
    }
}

/// The payload length of a complete frame header, or `None` while more header bytes are needed.
fn payload_length(header: &[u8]) -> Option<u64> {
    let second = *header.get(1)?;
    let masked = second & 0x80 != 0;
    let (extra, short) = match second & 0x7f {
        126 => (2, None),
        127 => (8, None),
        n => (0, Some(u64::from(n))),
    };
    let needed = 2 + extra + if masked { 4 } else { 0 };
    if header.len() < needed {
        return None;
    }
    Some(short.unwrap_or_else(|| {
        header[2..2 + extra]
            .iter()
            .fold(0u64, |n, b| (n << 8) | u64::from(*b))
    }))
}

/// The guard around a connection's byte stream (see the module docs). `oversized` is set when
/// it refused a frame, so the connection closes with 1009 rather than as a protocol error.
pub struct FrameGuard<S> {
    inner: S,
    scanner: FrameScanner,
    held: Option<Bytes>,
    frame_ended: bool,
    done: bool,
    oversized: Arc<AtomicBool>,
}

impl<S> FrameGuard<S> {
    /// Guards `inner` with a limit of `max_payload` bytes per frame.
    pub fn new(inner: S, max_payload: usize, oversized: Arc<AtomicBool>) -> Self {
        Self {
            inner,
            scanner: FrameScanner::new(max_payload),
            held: None,
            frame_ended: false,
            done: false,
            oversized,
        }
    }
}

impl<S> Stream for FrameGuard<S>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        if this.frame_ended {
            // Let the decoder take the frame that just ended before reading on.
            this.frame_ended = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let chunk = match this.held.take() {
            Some(chunk) => chunk,
            None => match Pin::new(&mut this.inner).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => chunk,
                other => return other,
            },
        };
        match this.scanner.scan(&chunk) {
            Ok((take, ended)) => {
                if take < chunk.len() {
                    this.held = Some(chunk.slice(take..));
                }
                this.frame_ended = ended;
                Poll::Ready(Some(Ok(chunk.slice(..take))))
            }
            Err(Oversized { .. }) => {
                this.done = true;
                this.oversized.store(true, Ordering::Release);
                Poll::Ready(Some(Err(PayloadError::Overflow)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A masked client frame header for a payload of `len` bytes.
    fn header(len: u64) -> Vec<u8> {
        let mut h = vec![0x81];
        match len {
            0..=125 => h.push(0x80 | len as u8),
            126..=0xffff => {
                h.push(0x80 | 126);
                h.extend_from_slice(&(len as u16).to_be_bytes());
            }
            _ => {
                h.push(0x80 | 127);
                h.extend_from_slice(&len.to_be_bytes());
            }
        }
        h.extend_from_slice(&[1, 2, 3, 4]);
        h
    }

    #[test]
    fn an_oversized_header_is_refused_before_its_payload() {
        let mut scanner = FrameScanner::new(4096);
        let h = header(1 << 40);
        // Nothing is decided until the 8-byte length is there; then at once.
        assert_eq!(scanner.scan(&h[..5]), Ok((5, false)));
        assert_eq!(scanner.scan(&h[5..]), Err(Oversized { announced: 1 << 40 }));
        let mut scanner = FrameScanner::new(4096);
        assert_eq!(
            scanner.scan(&header(4097)),
            Err(Oversized { announced: 4097 })
        );
    }

    #[test]
    fn frames_pass_one_end_at_a_time() {
        let mut scanner = FrameScanner::new(4096);
        let mut bytes = header(3);
        bytes.extend_from_slice(b"abc");
        let first = bytes.len();
        bytes.extend(header(0));
        bytes.extend(header(300));
        bytes.extend(vec![7u8; 300]);
        assert_eq!(scanner.scan(&bytes), Ok((first, true)));
        let rest = &bytes[first..];
        assert_eq!(
            scanner.scan(rest),
            Ok((6, true)),
            "an empty frame ends at once"
        );
        // A frame split over reads: its bytes pass as they come, its end is reported once.
        let rest = &rest[6..];
        assert_eq!(scanner.scan(&rest[..100]), Ok((100, false)));
        assert_eq!(scanner.scan(&rest[100..]), Ok((rest.len() - 100, true)));
    }

    #[test]
    fn a_frame_of_exactly_the_limit_passes() {
        let mut scanner = FrameScanner::new(4096);
        let mut bytes = header(4096);
        bytes.extend(vec![0u8; 4096]);
        assert_eq!(scanner.scan(&bytes), Ok((bytes.len(), true)));
    }
}
