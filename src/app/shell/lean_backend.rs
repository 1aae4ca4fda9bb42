//! A crossterm backend that sends fewer bytes over a thin link. ratatui's own crossterm
//! backend jumps with an absolute `CSI row;col H` over every unchanged cell, resets four
//! attributes after every frame and hides an already hidden cursor on every draw; on 3G
//! each of those bytes costs. This one draws the same cells with:
//! - a relative `CSI n C` over a gap on the same row (3–4 bytes, not 6–8);
//! - one `CSI 0 m` at the end of a frame, only when the style is not already plain;
//! - the cursor hidden once.
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
}

impl<W: Write> LeanBackend<W> {
    pub fn new(writer: W) -> LeanBackend<W> {
        LeanBackend {
            inner: CrosstermBackend::new(writer),
            cursor_hidden: false,
        }
    }
}

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
        let w = &mut self.inner;
        let (mut fg, mut bg, mut modifier) = (Color::Reset, Color::Reset, Modifier::empty());
        // Where the terminal's cursor is after the last print, when we know it for sure.
        let mut cursor: Option<(u16, u16)> = None;
        for (x, y, cell) in content {
            match cursor {
                Some((cx, cy)) if cy == y && cx == x => {}
                Some((cx, cy)) if cy == y && cx < x => {
                    queue!(w, crossterm::cursor::MoveRight(x - cx))?
                }
                _ => queue!(w, MoveTo(x, y))?,
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
        self.inner.size()
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
