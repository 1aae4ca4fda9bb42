//! Frames on the socket. A message (one JSON value) crosses as one or more frames: a 4-byte
//! big-endian header, then at most [`MAX_FRAME`] bytes of the message. The header's top bit
//! ([`MORE`]) says another frame of the same message follows; the other 31 bits are this
//! frame's length. A large reply (an export page, a long list) therefore never makes a frame
//! over 1 MiB, and nothing else is sent between the frames of one message: each side writes
//! a whole message at once.
//!
//! Reading never trusts a length: a frame longer than [`MAX_FRAME`], or a message that would
//! grow past the reader's limit, is refused before its bytes are read, and a body grows only
//! as bytes arrive (a header that promises a megabyte and sends ten bytes holds ten).

use std::io::{self, Read, Write};

use serde::Serialize;

use super::WireError;

/// The largest frame either side sends or accepts (1 MiB).
pub const MAX_FRAME: usize = 1 << 20;

/// The largest request message the daemon reads (8 MiB): an import file travels
/// base64-coded in one request, so a file of up to ~6 MB goes through the daemon.
pub const MAX_REQUEST: usize = 8 << 20;

/// The largest reply message (64 MiB): a list or search reply is a page, an export a page of
/// rows (`service::export::EXPORT_PAGE_ROWS`), so this is far above any sound reply.
pub const MAX_REPLY: usize = 64 << 20;

/// The header bit that says "more frames of this message follow".
pub const MORE: u32 = 1 << 31;

/// Why a message could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error("a message of {len} bytes is larger than the {max} bytes allowed")]
    TooLarge { len: u64, max: usize },
}

/// The frames of `body`: pieces of at most [`MAX_FRAME`] bytes, each with its header.
/// Refused above `max` bytes in all.
pub fn frames(body: &[u8], max: usize) -> Result<Vec<u8>, WireError> {
    if body.len() > max {
        return Err(WireError::TooLarge {
            len: body.len() as u64,
            max: max as u64,
        });
    }
    let pieces = body.len().div_ceil(MAX_FRAME).max(1);
    let mut out = Vec::with_capacity(body.len() + 4 * pieces);
    let mut chunks = body.chunks(MAX_FRAME).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&0u32.to_be_bytes());
    }
    while let Some(chunk) = chunks.next() {
        // A chunk is at most MAX_FRAME (< 2^31) bytes.
        let mut header = chunk.len() as u32;
        if chunks.peek().is_some() {
            header |= MORE;
        }
        out.extend_from_slice(&header.to_be_bytes());
        out.extend_from_slice(chunk);
    }
    Ok(out)
}

/// Encodes `value` as the frames of one message of at most `max` bytes.
pub fn encode_within<T: Serialize>(value: &T, max: usize) -> Result<Vec<u8>, WireError> {
    let body = serde_json::to_vec(value)
        .map_err(|e| WireError::Protocol(format!("cannot encode: {e}")))?;
    frames(&body, max)
}

/// Encodes a message the daemon sends (at most [`MAX_REPLY`] bytes).
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, WireError> {
    encode_within(value, MAX_REPLY)
}

/// Writes one message of `value` in a single write.
pub fn write_message<T: Serialize>(w: &mut impl Write, value: &T) -> io::Result<()> {
    let bytes =
        encode(value).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
    w.write_all(&bytes)?;
    w.flush()
}

/// Reads one message's body (its frames joined); `Ok(None)` at a clean end of stream
/// (between messages). A frame above [`MAX_FRAME`] or a message above `max` is refused
/// before its bytes are read.
pub fn read_message(r: &mut impl Read, max: usize) -> Result<Option<Vec<u8>>, FrameError> {
    let mut body = Vec::new();
    let mut first = true;
    loop {
        let Some(header) = read_header(r, first)? else {
            return Ok(None);
        };
        first = false;
        let len = (header & !MORE) as usize;
        if len > MAX_FRAME {
            return Err(FrameError::TooLarge {
                len: len as u64,
                max: MAX_FRAME,
            });
        }
        let total = body.len() + len;
        if total > max {
            return Err(FrameError::TooLarge {
                len: total as u64,
                max,
            });
        }
        // Grows as the bytes come, not by the length the header claims.
        let got = r.by_ref().take(len as u64).read_to_end(&mut body)?;
        if got < len {
            return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into());
        }
        if header & MORE == 0 {
            return Ok(Some(body));
        }
    }
}

/// A frame header; `None` at a clean end before a message's first frame.
fn read_header(r: &mut impl Read, first: bool) -> Result<Option<u32>, FrameError> {
    let mut header = [0u8; 4];
    let mut got = 0;
    while got < header.len() {
        match r.read(&mut header[got..]) {
            Ok(0) if got == 0 && first => return Ok(None),
            Ok(0) => return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Some(u32::from_be_bytes(header)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_length_above_the_maximum_is_refused_before_reading_the_body() {
        let mut bytes: &[u8] = &[0x7f, 0xff, 0xff, 0xff, b'{'];
        match read_message(&mut bytes, MAX_REQUEST) {
            Err(FrameError::TooLarge { len, max }) => {
                assert_eq!((len, max), (0x7fff_ffff, MAX_FRAME))
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
        // Nothing past the header was read.
        assert_eq!(bytes, b"{");
    }

    #[test]
    fn a_message_is_cut_into_frames_of_at_most_one_mib_and_joined_again() {
        let body: Vec<u8> = (0..(2 * MAX_FRAME + 17)).map(|n| (n % 251) as u8).collect();
        let bytes = frames(&body, MAX_REPLY).expect("framed");
        // Walk the headers: three frames, the first two marked "more".
        let mut at = 0;
        let mut headers = Vec::new();
        while at < bytes.len() {
            let header = u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
            let len = (header & !MORE) as usize;
            assert!(len <= MAX_FRAME);
            headers.push((header & MORE != 0, len));
            at += 4 + len;
        }
        assert_eq!(
            headers,
            vec![(true, MAX_FRAME), (true, MAX_FRAME), (false, 17)]
        );
        let mut r: &[u8] = &bytes;
        assert_eq!(read_message(&mut r, MAX_REPLY).expect("read"), Some(body));
        assert!(read_message(&mut r, MAX_REPLY).expect("read").is_none());
    }

    #[test]
    fn a_message_over_the_readers_limit_is_refused_at_the_frame_that_passes_it() {
        let body = vec![b'x'; MAX_FRAME + 10];
        let bytes = frames(&body, MAX_REPLY).expect("framed");
        let mut r: &[u8] = &bytes;
        match read_message(&mut r, MAX_FRAME) {
            Err(FrameError::TooLarge { len, max }) => {
                assert_eq!((len, max), ((MAX_FRAME + 10) as u64, MAX_FRAME))
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
        assert!(frames(&body, MAX_FRAME).is_err(), "the sender refuses too");
    }

    #[test]
    fn messages_round_trip_and_end_cleanly() {
        let mut stream = Vec::new();
        write_message(&mut stream, &"one").expect("written");
        write_message(&mut stream, &Vec::<u8>::new()).expect("written");
        let mut r: &[u8] = &stream;
        let first = read_message(&mut r, MAX_FRAME)
            .expect("read")
            .expect("a message");
        assert_eq!(first, b"\"one\"");
        assert!(read_message(&mut r, MAX_FRAME).expect("read").is_some());
        assert!(read_message(&mut r, MAX_FRAME).expect("read").is_none());
        // A stream cut inside a header, or between the frames of one message, is an error.
        let mut cut: &[u8] = &[0, 0];
        assert!(read_message(&mut cut, MAX_FRAME).is_err());
        let mut cut: &[u8] = &[0x80, 0, 0, 1, b'x'];
        assert!(read_message(&mut cut, MAX_FRAME).is_err());
        // A header that promises more than it sends holds only what it sent.
        let mut short: &[u8] = &[0, 0x10, 0, 0, b'{'];
        assert!(matches!(
            read_message(&mut short, MAX_FRAME),
            Err(FrameError::Io(e)) if e.kind() == io::ErrorKind::UnexpectedEof
        ));
    }
}
