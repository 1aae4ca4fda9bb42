//! A crossterm backend that sends fewer bytes over a thin link. ratatui's own crossterm
//! backend jumps with an absolute `CSI row;col H` over every unchanged cell, resets four
//! attributes after every frame and hides an already hidden cursor on every draw; on 3G
//! each of those bytes costs. This one draws the same cells with:
//! - a relative `CSI n C` over a gap on the same row (3–4 bytes, not 6–8);
//! - one `CSI 0 m` at the end of a frame, only when the style is not already plain;
//! - the cursor hidden once;
//! - `CSI K` (erase to the end of the line, 3 bytes) for a row's trailing blanks, when they
//!   have no background or attribute an erase would not give them.
//!
//! Everything else is delegated to ratatui's backend.

use std::io::{self, Write};

use crossterm::cursor::MoveTo;
use crossterm::queue;
use crossterm::style::{Print, SetAttribute, SetColors};
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

pub struct LeanBackend<W: Write> {
    inner: CrosstermBackend<W>,
    cursor_hidden: bool,
    /// The terminal's width, as last asked (ratatui asks before every frame) or as given:
    /// a blank run is erased only when it is known to reach the last column.
    width: std::cell::Cell<Option<u16>>,
}

impl<W: Write> LeanBackend<W> {
    pub fn new(writer: W) -> LeanBackend<W> {
        LeanBackend {
            inner: CrosstermBackend::new(writer),
            cursor_hidden: false,
            width: std::cell::Cell::new(None),
        }
    }

    /// For a terminal of a known width whose size is never asked (a fixed viewport).
    pub fn with_width(writer: W, width: u16) -> LeanBackend<W> {
        let backend = LeanBackend::new(writer);
        backend.width.set(Some(width));
        backend
    }
}

/// A blank an erase draws the same: no background, nothing visible on a space.
fn erasable(cell: &Cell) -> bool {
    cell.symbol() == " "
        && cell.bg == Color::Reset
        && !cell
            .modifier
            .intersects(Modifier::UNDERLINED | Modifier::REVERSED | Modifier::CROSSED_OUT)
}

/// For each cell, whether it starts a run of erasable blanks, one per column, that goes on
/// to the last column of its row: such a run is sent as one `CSI K`.
fn erasable_tails(cells: &[(u16, u16, &Cell)], width: Option<u16>) -> Vec<bool> {
    let mut tails = vec![false; cells.len()];
    let Some(width) = width else {
        return tails;
    };
    // From the end: a cell starts a tail if it is erasable and either is the last column,
    // or the next cell is the next column of the same row and starts a tail.
    for i in (0..cells.len()).rev() {
        let (x, y, cell) = cells[i];
        if !erasable(cell) {
            continue;
        }
        tails[i] = x + 1 == width
            || cells
                .get(i + 1)
                .is_some_and(|&(nx, ny, _)| ny == y && nx == x + 1 && tails[i + 1]);
    }
    tails
}

/// The digits of `n`.
fn digits(n: u16) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Moves the cursor from where it is (when known) to `(x, y)` by the shortest sequence:
/// none; `CSI n C` along the row; `CR LF` (2 bytes) to the next row, then along it — a
/// one-row move of the table's marker is two of those — or an absolute `CSI row;col H`.
/// `LF` from a row that is not the last never scrolls, and the next row always exists here.
fn move_cursor(
    w: &mut impl Write,
    cursor: Option<(u16, u16)>,
    (x, y): (u16, u16),
) -> io::Result<()> {
    let absolute = 4 + digits(y + 1) + digits(x + 1);
    let along = |n: u16| if n == 0 { 0 } else { 3 + digits(n) };
    match cursor {
        Some((cx, cy)) if cy == y && cx == x => Ok(()),
        Some((cx, cy)) if cy == y && cx < x => queue!(w, crossterm::cursor::MoveRight(x - cx)),
        Some((_, cy)) if y == cy + 1 && 2 + along(x) < absolute => {
            w.write_all(b"\r\n")?;
            if x > 0 {
                queue!(w, crossterm::cursor::MoveRight(x))?;
            }
            Ok(())
        }
        _ => queue!(w, MoveTo(x, y)),
    }
}

/// Erasing is worth it from this many blanks on (`CSI K` is 3 bytes, a style reset 4).
const ERASE_FROM: usize = 8;

fn crossterm_color(color: Color) -> crossterm::style::Color {
    use crossterm::style::Color as C;
    match color {
        Color::Reset => C::Reset,
        Color::Black => C::Black,
        Color::Red => C::DarkRed,
        Color::Green => C::DarkGreen,
        Color::Yellow => C::DarkYellow,
        Color::Blue => C::DarkBlue,
        Color::Magenta => C::DarkMagenta,
        Color::Cyan => C::DarkCyan,
        Color::Gray => C::Grey,
        Color::DarkGray => C::DarkGrey,
        Color::LightRed => C::Red,
        Color::LightGreen => C::Green,
        Color::LightBlue => C::Blue,
        Color::LightYellow => C::Yellow,
        Color::LightMagenta => C::Magenta,
        Color::LightCyan => C::Cyan,
        Color::White => C::White,
        Color::Indexed(i) => C::AnsiValue(i),
        Color::Rgb(r, g, b) => C::Rgb { r, g, b },
    }
}

/// Sets `to` from a plain state: each modifier in turn.
fn set_modifiers(w: &mut impl Write, to: Modifier) -> io::Result<()> {
    use crossterm::style::Attribute as A;
    for (modifier, attribute) in [
        (Modifier::BOLD, A::Bold),
        (Modifier::DIM, A::Dim),
        (Modifier::ITALIC, A::Italic),
        (Modifier::UNDERLINED, A::Underlined),
        (Modifier::SLOW_BLINK, A::SlowBlink),
        (Modifier::RAPID_BLINK, A::RapidBlink),
        (Modifier::REVERSED, A::Reverse),
        (Modifier::HIDDEN, A::Hidden),
        (Modifier::CROSSED_OUT, A::CrossedOut),
    ] {
        if to.contains(modifier) {
            queue!(w, SetAttribute(attribute))?;
        }
    }
    Ok(())
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        // ratatui's backend is itself a writer to the terminal.
        let cells: Vec<(u16, u16, &Cell)> = content.collect();
        let tails = erasable_tails(&cells, self.width.get());
        let w = &mut self.inner;
        let (mut fg, mut bg, mut modifier) = (Color::Reset, Color::Reset, Modifier::empty());
        // Where the terminal's cursor is after the last print, when we know it for sure.
        let mut cursor: Option<(u16, u16)> = None;
        // The row whose tail has been erased: its remaining cells are already blank.
        let mut erased_row = None;
        for (i, &(x, y, cell)) in cells.iter().enumerate() {
            if erased_row == Some(y) {
                continue;
            }
            let tail_length = (cells[i..].iter().zip(&tails[i..]))
                .take_while(|((_, row, _), tail)| **tail && *row == y)
                .count();
            let erase = tails[i] && tail_length >= ERASE_FROM;
            move_cursor(w, cursor, (x, y))?;
            if erase {
                // An erase fills with the current background and attributes: plain first.
                if bg != Color::Reset
                    || modifier.intersects(
                        Modifier::UNDERLINED | Modifier::REVERSED | Modifier::CROSSED_OUT,
                    )
                {
                    queue!(w, SetAttribute(crossterm::style::Attribute::Reset))?;
                    (fg, bg, modifier) = (Color::Reset, Color::Reset, Modifier::empty());
                }
                queue!(
                    w,
                    crossterm::terminal::Clear(crossterm::terminal::ClearType::UntilNewLine)
                )?;
                cursor = Some((x, y));
                erased_row = Some(y);
                continue;
            }
            if cell.modifier != modifier {
                if !(modifier - cell.modifier).is_empty() {
                    // Something to switch off: start from plain, then set what is wanted.
                    queue!(w, SetAttribute(crossterm::style::Attribute::Reset))?;
                    (fg, bg) = (Color::Reset, Color::Reset);
                    set_modifiers(w, cell.modifier)?;
                } else {
                    set_modifiers(w, cell.modifier - modifier)?;
                }
                modifier = cell.modifier;
            }
            if cell.fg != fg || cell.bg != bg {
                let colors = crossterm::style::Colors {
                    foreground: (cell.fg != fg).then(|| crossterm_color(cell.fg)),
                    background: (cell.bg != bg).then(|| crossterm_color(cell.bg)),
                };
                queue!(w, SetColors(colors))?;
                (fg, bg) = (cell.fg, cell.bg);
            }
            let symbol = cell.symbol();
            queue!(w, Print(symbol))?;
            // Only a one-column symbol leaves the cursor where ratatui's model expects it.
            cursor = (symbol.width() == 1).then(|| (x + 1, y));
        }
        if fg != Color::Reset || bg != Color::Reset || !modifier.is_empty() {
            queue!(w, SetAttribute(crossterm::style::Attribute::Reset))?;
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if !self.cursor_hidden {
            self.inner.hide_cursor()?;
            self.cursor_hidden = true;
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.cursor_hidden = false;
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        let size = self.inner.size()?;
        self.width.set(Some(size.width));
        Ok(size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// Like ratatui's backend, this one is also a writer to the terminal (for the shell's own
/// set-up sequences).
impl<W: Write> Write for LeanBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}
