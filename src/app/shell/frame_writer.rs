//! The terminal's writer: a frame is collected and handed to the terminal in one `write`.
//!
//! Over SSH each write to the pseudo-terminal that sshd reads separately becomes an SSH
//! packet of its own, with its own 4-byte length, padding and 16-byte tag, and often a TCP
//! segment of its own on the officer's 3G link. `io::Stdout` is line-buffered: it wrote a
//! frame up to its last newline and the rest apart, so a one-row move whose cursor went down
//! with `CR LF` left in two packets (2 of 10 moves, measured through sshd: 168 B instead of
//! 116 B). ratatui flushes once at the end of each frame; that flush is the one write.

use std::io::{self, Write};
use std::os::fd::AsFd;

#[derive(Default)]
pub struct FrameWriter {
    frame: Vec<u8>,
}

impl Write for FrameWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(buf);
        Ok(buf.len())
    }

    /// Writes the frame to the terminal with `write(2)` on its descriptor directly, past
    /// `Stdout`'s line buffer: one call, unless the terminal takes less (a frame larger than
    /// the pty's buffer), when the rest follows at once.
    fn flush(&mut self) -> io::Result<()> {
        let stdout = io::stdout();
        // Whatever went through `Stdout` itself (the set-up sequences) goes first.
        stdout.lock().flush()?;
        let mut rest = &self.frame[..];
        while !rest.is_empty() {
            match rustix::io::write(stdout.as_fd(), rest) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => rest = &rest[n..],
                Err(rustix::io::Errno::INTR) => {}
                Err(e) => {
                    self.frame.clear();
                    return Err(e.into());
                }
            }
        }
        self.frame.clear();
        Ok(())
    }
}
