//! The wire benchmark's reading of what the console wrote: the bytes decoded into cursor
//! moves, style changes, other escapes and text, where they go, and a dump for people.

use std::fmt::Write as _;

#[derive(Debug, PartialEq)]
pub enum Token {
    /// CSI row;col H, 1-based.
    MoveTo(u16, u16),
    /// CSI … m
    Sgr(String),
    /// Any other escape sequence, as text.
    Other(String),
    Text(String),
}

pub fn decode(bytes: &[u8]) -> Vec<Token> {
    let text = String::from_utf8_lossy(bytes);
    let mut tokens = Vec::new();
    let mut rest = text.as_ref();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("\x1b[") {
            let end = after
                .find(|c: char| ('@'..='~').contains(&c))
                .unwrap_or(after.len().saturating_sub(1));
            let (params, final_byte) = after.split_at(end);
            let final_char = final_byte.chars().next().unwrap_or('?');
            let token = match final_char {
                'H' => {
                    let mut p = params.split(';').map(|n| n.parse().unwrap_or(1));
                    Token::MoveTo(p.next().unwrap_or(1), p.next().unwrap_or(1))
                }
                'm' => Token::Sgr(params.to_string()),
                _ => Token::Other(format!("CSI {params}{final_char}")),
            };
            tokens.push(token);
            rest = &after[end + final_char.len_utf8().min(final_byte.len())..];
        } else {
            let end = rest.find('\x1b').unwrap_or(rest.len()).max(1);
            let (text, after) = rest.split_at(end);
            match tokens.last_mut() {
                Some(Token::Text(t)) => t.push_str(text),
                _ => tokens.push(Token::Text(text.to_string())),
            }
            rest = after;
        }
    }
    tokens
}

/// Bytes in cursor moves, in style changes, in text, in anything else.
pub fn breakdown(bytes: &[u8]) -> [usize; 4] {
    let mut sum = [0; 4];
    for token in decode(bytes) {
        match token {
            Token::MoveTo(r, c) => sum[0] += 4 + r.to_string().len() + c.to_string().len(),
            Token::Sgr(p) => sum[1] += 3 + p.len(),
            Token::Text(t) => sum[2] += t.len(),
            Token::Other(o) => sum[3] += o.len() - 2,
        }
    }
    sum
}

pub fn sgr_name(params: &str) -> String {
    let names: Vec<String> = {
        let mut out = Vec::new();
        let mut p = params.split(';').peekable();
        while let Some(code) = p.next() {
            let colour = |p: &mut std::iter::Peekable<std::str::Split<char>>| match p.next() {
                Some("5") => format!("ansi:{}", p.next().unwrap_or("?")),
                Some("2") => format!(
                    "#{}/{}/{}",
                    p.next().unwrap_or("?"),
                    p.next().unwrap_or("?"),
                    p.next().unwrap_or("?")
                ),
                other => format!("?{other:?}"),
            };
            out.push(match code {
                "" | "0" => "reset".into(),
                "1" => "bold".into(),
                "2" => "dim".into(),
                "4" => "underline".into(),
                "7" => "reverse".into(),
                "22" => "normal-intensity".into(),
                "24" => "no-underline".into(),
                "27" => "no-reverse".into(),
                "39" => "fg=default".into(),
                "49" => "bg=default".into(),
                "38" => format!("fg={}", colour(&mut p)),
                "48" => format!("bg={}", colour(&mut p)),
                n => match n.parse::<u8>() {
                    Ok(c @ 30..=37) => format!("fg=ansi{}", c - 30),
                    Ok(c @ 40..=47) => format!("bg=ansi{}", c - 40),
                    Ok(c @ 90..=97) => format!("fg=ansi{}", c - 90 + 8),
                    Ok(c @ 100..=107) => format!("bg=ansi{}", c - 100 + 8),
                    _ => format!("?{n}"),
                },
            });
        }
        out
    };
    names.join(",")
}

/// The bytes as one token a line: `MoveTo`, `SGR`, text; with each token's byte count.
pub fn dump(bytes: &[u8], limit: usize) -> String {
    let mut out = String::new();
    let tokens = decode(bytes);
    for token in tokens.iter().take(limit) {
        let _ = match token {
            Token::MoveTo(r, c) => writeln!(
                out,
                "  {:>3}  CSI {r};{c}H        move to row {r} col {c}",
                4 + r.to_string().len() + c.to_string().len()
            ),
            Token::Sgr(p) => writeln!(
                out,
                "  {:>3}  CSI {p}m{:pad$}  {}",
                3 + p.len(),
                "",
                sgr_name(p),
                pad = 12usize.saturating_sub(p.len())
            ),
            Token::Other(o) => writeln!(out, "  {:>3}  {o}", o.len() - 2),
            Token::Text(t) => writeln!(out, "  {:>3}  {t:?}", t.len()),
        };
    }
    if tokens.len() > limit {
        let _ = writeln!(out, "  … {} more tokens", tokens.len() - limit);
    }
    out
}
