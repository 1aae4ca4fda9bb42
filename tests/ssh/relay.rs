//! A TCP relay between an SSH client and `sshd` that counts what crosses it and can shape
//! the link as a thin one.
//!
//! **Counting.** Bytes each way, the reads the relay made from each side (what the peer's
//! writes became on loopback), and **SSH packets**, parsed from the stream: the client is
//! told to use AES-GCM (`-o Ciphers=aes128-gcm@openssh.com`), whose packet length travels in
//! the clear (it is the cipher's additional data), so every binary packet is seen with its
//! size and time — 4 bytes of length, the encrypted body, and once `SSH_MSG_NEWKEYS` has
//! crossed that way, a 16-byte tag (RFC 4253 §6, RFC 5647 §7.3). The version line before the
//! first packet counts as bytes, not as a packet. With a cipher that hides the length
//! (`chacha20-poly1305@openssh.com`, OpenSSH's default) the first length read after NEWKEYS
//! is no length at all: the framer sees one larger than any SSH packet (RFC 4253 §6.1) and
//! stops, the flow says it is not framed, and only bytes and reads are counted.
//!
//! **Shaping** ([`Link`]): each direction a queue of its own — serialisation at the link's
//! rate, then half the round trip, bytes delivered in order. A segment (up to 1,448 bytes of
//! a read) is lost with the link's probability; TCP sends it again after a tail-loss probe,
//! two round trips later (Linux's probe timeout, 2 × SRTT, for a flight with nothing after
//! it — an interactive key is such a flight), and everything behind it waits (in order).
//! Losses come from a seeded generator: a run is repeatable.
//!
//! **Cutting** ([`Relay::cut`]): every connection is closed at once, as a link that drops.

#![allow(dead_code)] // shared by the test and the bench, which use different parts

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// A thin link: rate, round trip and loss.
#[derive(Clone, Copy, Debug)]
pub struct Link {
    pub bits_per_second: u64,
    pub round_trip: Duration,
    pub loss: f64,
    pub seed: u64,
}

impl Link {
    /// The mountain commune: 64 kbit/s, 300 ms round trip, 1 % loss.
    pub fn mountain_3g() -> Link {
        Link {
            bits_per_second: 64_000,
            round_trip: Duration::from_millis(300),
            loss: 0.01,
            seed: 20_261_205,
        }
    }
}

/// One SSH packet seen on the wire: when its last byte crossed the relay, and its size
/// with framing and tag.
#[derive(Clone, Copy, Debug)]
pub struct Packet {
    pub at: Instant,
    pub bytes: usize,
}

/// What crossed one way.
#[derive(Clone, Debug, Default)]
pub struct Flow {
    pub bytes: usize,
    pub reads: usize,
    pub packets: Vec<Packet>,
    /// The packets could be told apart (the cipher leaves their length in the clear).
    pub framed: bool,
}

impl Flow {
    /// Bytes and packets after `since` (a mark taken before an action).
    pub fn since(&self, since: &Mark) -> (usize, usize) {
        (self.bytes - since.bytes, self.packets.len() - since.packets)
    }

    /// Reads the relay made after `since`: what the sender's writes became.
    pub fn reads_since(&self, since: &Mark) -> usize {
        self.reads - since.reads
    }
}

/// A place in a flow to measure from.
#[derive(Clone, Copy, Debug, Default)]
pub struct Mark {
    pub bytes: usize,
    pub packets: usize,
    pub reads: usize,
}

/// The largest packet an SSH implementation must accept (RFC 4253 §6.1), with room for
/// OpenSSH's own limit: a length above it is no length.
const LARGEST_PACKET: usize = 256 * 1024;

#[derive(Default)]
struct Flows {
    /// Server to client (what the officer's link carries down).
    down: Flow,
    /// Client to server.
    up: Flow,
}

/// Parses SSH binary packets out of one direction's bytes.
struct Framer {
    banner_done: bool,
    line: Vec<u8>,
    buffer: Vec<u8>,
    tag: usize,
    /// The lengths were hidden: nothing more is framed.
    lost: bool,
}

impl Framer {
    fn new() -> Framer {
        Framer {
            banner_done: false,
            line: Vec::new(),
            buffer: Vec::new(),
            tag: 0,
            lost: false,
        }
    }

    /// Feeds bytes; returns the sizes of the packets completed by them.
    fn feed(&mut self, mut bytes: &[u8]) -> Vec<usize> {
        let mut done = Vec::new();
        while !self.banner_done && !bytes.is_empty() {
            let byte = bytes[0];
            bytes = &bytes[1..];
            self.line.push(byte);
            if byte == b'\n' {
                // Lines before the version line are allowed from a server (RFC 4253 §4.2).
                self.banner_done = self.line.starts_with(b"SSH-");
                self.line.clear();
            }
        }
        if self.lost {
            return done;
        }
        self.buffer.extend_from_slice(bytes);
        loop {
            if self.buffer.len() < 6 {
                return done;
            }
            let length = u32::from_be_bytes([
                self.buffer[0],
                self.buffer[1],
                self.buffer[2],
                self.buffer[3],
            ]) as usize;
            if length > LARGEST_PACKET {
                self.lost = true;
                self.buffer = Vec::new();
                return done;
            }
            let total = 4 + length + self.tag;
            if self.buffer.len() < total {
                return done;
            }
            // In the clear until NEWKEYS (21): its message number follows the padding length.
            if self.tag == 0 && self.buffer[5] == 21 {
                self.tag = 16;
            }
            self.buffer.drain(..total);
            done.push(total);
        }
    }
}

pub struct Relay {
    pub port: u16,
    flows: Arc<Mutex<Flows>>,
    connections: Arc<Mutex<Vec<TcpStream>>>,
    stop: Arc<AtomicBool>,
}

impl Relay {
    /// Listens on a loopback port and relays each connection to `upstream`.
    pub fn start(upstream: u16, link: Option<Link>) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("relay: bind");
        let port = listener.local_addr().expect("relay: address").port();
        let flows = Arc::new(Mutex::new(Flows::default()));
        let connections = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        {
            let flows = Arc::clone(&flows);
            let connections = Arc::clone(&connections);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                for (n, client) in listener.incoming().enumerate() {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(client) = client else { continue };
                    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                        continue;
                    };
                    let _ = client.set_nodelay(true);
                    let _ = server.set_nodelay(true);
                    let mut held = connections.lock().expect("relay: connections");
                    for stream in [&client, &server] {
                        if let Ok(copy) = stream.try_clone() {
                            held.push(copy);
                        }
                    }
                    drop(held);
                    let seed = link.map_or(0, |l| l.seed.wrapping_add(n as u64 * 2));
                    pump(&server, &client, Arc::clone(&flows), true, link, seed);
                    pump(&client, &server, Arc::clone(&flows), false, link, seed + 1);
                }
            });
        }
        Relay {
            port,
            flows,
            connections,
            stop,
        }
    }

    pub fn down(&self) -> Flow {
        self.flows.lock().expect("relay: flows").down.clone()
    }

    pub fn up(&self) -> Flow {
        self.flows.lock().expect("relay: flows").up.clone()
    }

    pub fn mark_down(&self) -> Mark {
        let flows = self.flows.lock().expect("relay: flows");
        Mark {
            bytes: flows.down.bytes,
            packets: flows.down.packets.len(),
            reads: flows.down.reads,
        }
    }

    /// Closes every connection at once: the link drops.
    pub fn cut(&self) {
        for stream in self
            .connections
            .lock()
            .expect("relay: connections")
            .drain(..)
        {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.cut();
        // Wake the accepting thread so that it sees the stop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// A small seeded generator (xorshift64*): the losses of a run are repeatable.
struct Dice(u64);

impl Dice {
    fn roll(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

const SEGMENT: usize = 1_448;

/// Copies `from` to `to` on threads of their own, counting (and shaping) on the way.
fn pump(
    from: &TcpStream,
    to: &TcpStream,
    flows: Arc<Mutex<Flows>>,
    down: bool,
    link: Option<Link>,
    seed: u64,
) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    // The sender: delivers each chunk at its time, in order.
    let (tx, rx) = mpsc::channel::<(Instant, Vec<u8>)>();
    std::thread::spawn(move || {
        let mut framer = Framer::new();
        for (at, chunk) in rx {
            let now = Instant::now();
            if at > now {
                std::thread::sleep(at - now);
            }
            if to.write_all(&chunk).is_err() {
                break;
            }
            let sizes = framer.feed(&chunk);
            let mut flows = flows.lock().expect("relay: flows");
            let flow = if down { &mut flows.down } else { &mut flows.up };
            flow.bytes += chunk.len();
            flow.reads += 1;
            flow.framed = !framer.lost;
            let at = Instant::now();
            flow.packets
                .extend(sizes.into_iter().map(|bytes| Packet { at, bytes }));
        }
        let _ = to.shutdown(Shutdown::Write);
    });
    std::thread::spawn(move || {
        let mut dice = Dice(seed | 1);
        let mut line_free = Instant::now();
        let mut last_delivery = Instant::now();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let at = match link {
                None => Instant::now(),
                Some(link) => {
                    let now = Instant::now();
                    let sending =
                        Duration::from_secs_f64((n * 8) as f64 / link.bits_per_second as f64);
                    line_free = line_free.max(now) + sending;
                    let mut at = line_free + link.round_trip / 2;
                    for _ in 0..n.div_ceil(SEGMENT) {
                        if dice.roll() < link.loss {
                            at += link.round_trip * 2;
                        }
                    }
                    at = at.max(last_delivery);
                    last_delivery = at;
                    at
                }
            };
            if tx.send((at, buf[..n].to_vec())).is_err() {
                break;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #[allow(unused_imports)] // the bench is built with cfg(test) but without its tests
    use super::*;

    #[test]
    fn packets_are_framed_with_their_tag_after_newkeys() {
        let mut framer = Framer::new();
        let mut bytes = b"SSH-2.0-test\r\n".to_vec();
        // A clear packet: length 12, padding 4, message 20 (KEXINIT), 7 bytes, padding.
        bytes.extend_from_slice(&[0, 0, 0, 12, 4, 20, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0]);
        // NEWKEYS: length 12, padding 10, message 21.
        bytes.extend_from_slice(&[0, 0, 0, 12, 10, 21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(framer.feed(&bytes), vec![16, 16]);
        // Encrypted from here: length 16, body, 16-byte tag — fed in two pieces.
        let mut packet = vec![0, 0, 0, 16];
        packet.extend(std::iter::repeat_n(7u8, 32));
        assert_eq!(framer.feed(&packet[..10]), Vec::<usize>::new());
        assert_eq!(framer.feed(&packet[10..]), vec![36]);
        // A hidden length (chacha20-poly1305): larger than any packet, so framing stops.
        assert_eq!(framer.feed(&[0xc3, 0x5a, 0x10, 0x77, 1, 2, 3, 4]), vec![]);
        assert!(framer.lost);
        assert_eq!(framer.feed(&packet), Vec::<usize>::new());
    }
}
