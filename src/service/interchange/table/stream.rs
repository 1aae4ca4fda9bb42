//! Reading an import file as a stream: its shape checked line by line without holding it,
//! the bytes of each reading digested (a file changed between two readings is refused), and
//! a JSON array's items taken one at a time.

use std::io::{BufRead, Read};

use sha2::Digest as _;

use super::{FileCheck, MAX_LINE_BYTES, Problem};

/// Opens the file for one reading from its start.
pub type Open<'a> = dyn Fn() -> std::io::Result<Box<dyn BufRead + 'a>> + 'a;

/// The SHA-256 of a file's bytes as read.
pub type Digest = [u8; 32];

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What the first reading found: the problems of the file's lines (too long, not UTF-8),
/// whether it holds only blanks, its length and digest.
pub struct Shape {
    pub problems: Vec<Problem>,
    pub blank: bool,
    pub bytes: u64,
    pub digest: Digest,
}

/// Reads the whole file once, a line at a time (a line too long is skipped past, never held).
pub fn check_shape(input: &mut dyn BufRead, check: &FileCheck<'_>) -> std::io::Result<Shape> {
    let mut input = Hashing::new(input);
    let mut shape = Shape {
        problems: Vec::new(),
        blank: true,
        bytes: 0,
        digest: [0; 32],
    };
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        let kept = (&mut input)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if kept == 0 {
            break;
        }
        number += 1;
        // The line's length without its newline, and its bytes as far as they are kept.
        let mut len = kept - usize::from(line.last() == Some(&b'\n'));
        if kept > MAX_LINE_BYTES && line.last() != Some(&b'\n') {
            // The rest of a line too long: counted, not kept.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                let n = (&mut input).take(1 << 16).read_until(b'\n', &mut rest)?;
                if n == 0 {
                    break;
                }
                if rest.last() == Some(&b'\n') {
                    len += n - 1;
                    shape.bytes += 1;
                    break;
                }
                len += n;
            }
        }
        shape.bytes += len as u64 + u64::from(line.last() == Some(&b'\n'));
        let mut text: &[u8] = &line;
        if number == 1 && text.starts_with(BOM) {
            text = &text[BOM.len()..];
            len -= BOM.len();
        }
        let text = text.strip_suffix(b"\n").unwrap_or(text);
        if !text.iter().all(u8::is_ascii_whitespace) {
            shape.blank = false;
        }
        if let Some(problem) = check.line_problem(number, text, len) {
            shape.problems.push(problem);
        }
    }
    shape.digest = input.finish()?;
    Ok(shape)
}

/// Skips a UTF-8 byte-order mark at the start of the input.
pub fn skip_bom(input: &mut dyn BufRead) {
    if let Ok(start) = input.fill_buf()
        && start.starts_with(BOM)
    {
        input.consume(BOM.len());
    }
}

/// A reader that digests every byte it hands on.
pub struct Hashing<R> {
    inner: R,
    hasher: sha2::Sha256,
}

impl<R: BufRead> Hashing<R> {
    pub fn new(inner: R) -> Hashing<R> {
        Hashing {
            inner,
            hasher: sha2::Sha256::new(),
        }
    }

    /// Reads what is left (a parser may stop before the end) and gives the digest.
    pub fn finish(mut self) -> std::io::Result<Digest> {
        std::io::copy(&mut self, &mut std::io::sink())?;
        Ok(self.hasher.finalize().into())
    }
}

impl<R: BufRead> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Hashing<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(available) = self.inner.fill_buf() {
            self.hasher
                .update(&available[..amount.min(available.len())]);
        }
        self.inner.consume(amount);
    }
}

/// Counts the newlines of what it hands on, so that an item's line is known once read.
struct Counting<'a> {
    inner: &'a mut dyn BufRead,
    newlines: usize,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.newlines += buf[..n].iter().filter(|b| **b == b'\n').count();
        Ok(n)
    }
}

/// Hands each item of a JSON array to `each` with the line it starts on, one at a time.
pub fn json_items(
    input: &mut dyn BufRead,
    each: &mut dyn FnMut(&serde_json::value::RawValue, usize),
) -> serde_json::Result<()> {
    use serde::Deserializer as _;
    let counting = std::cell::RefCell::new(Counting {
        inner: input,
        newlines: 0,
    });
    let mut de = serde_json::Deserializer::from_reader(Shared(&counting));
    (&mut de).deserialize_seq(Items {
        each,
        counting: &counting,
    })?;
    de.end()
}

/// The counting reader, shared between the parser and the visitor that asks its count.
struct Shared<'c, 'a>(&'c std::cell::RefCell<Counting<'a>>);

impl Read for Shared<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().read(buf)
    }
}

struct Items<'e, 'c, 'a> {
    each: &'e mut dyn FnMut(&serde_json::value::RawValue, usize),
    counting: &'c std::cell::RefCell<Counting<'a>>,
}

impl<'de> serde::de::Visitor<'de> for Items<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON array of objects")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<serde_json::value::RawValue>>()? {
            // The reader stands just past the item's last byte: its first line is the
            // current one less the newlines inside it.
            let inside = raw.get().bytes().filter(|b| *b == b'\n').count();
            let line = self.counting.borrow().newlines + 1 - inside;
            (self.each)(&raw, line);
        }
        Ok(())
    }
}
