//! Screening benchmark (not run in CI): `cargo bench --bench screening`.
//!
//! Generates 10,000 listed persons and 10,000 guest stays with the fictional generator
//! (`sample::scale`, seed 1; about 1 % of guests carry a listed person's name, half of them
//! its birth date, a third its number), builds a [`ScreeningIndex`] over the persons and
//! screens every guest. Reported: the index build time, the screening time on one thread and
//! on two (the guests split in halves), the candidate pairs scored (against 10^8 for all
//! pairs) and the alerts and reviews found.
//!
//! Target (2-core machine): build + screening ≤ 2 s. `TRUCBAN_SCREENING_BENCH_N=50000`
//! changes both sizes.

use std::time::Instant;

use trucban::domain::screening::{Band, Identity, ScreeningIndex, Thresholds};
use trucban::domain::{GuestIdentity, Person, Record};

const SEED: u64 = 1;

fn main() {
    let n: u64 = std::env::var("TRUCBAN_SCREENING_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mut persons: Vec<Person> = Vec::new();
    let mut guests: Vec<GuestIdentity> = Vec::new();
    trucban::sample::scale(n, n, SEED, &mut |chunk| {
        for r in chunk {
            match r {
                Record::Person(p) => persons.push(p),
                Record::GuestStay(s) => guests.push(s.guest),
                _ => {}
            }
        }
        Ok(())
    })
    .expect("the generator runs");
    println!(
        "screening bench: {} listed persons, {} guests",
        persons.len(),
        guests.len()
    );

    let th = Thresholds::default();
    let started = Instant::now();
    let index = ScreeningIndex::new(persons.iter().map(Identity::of_person));
    let build = started.elapsed();

    let started = Instant::now();
    let generated: usize = guests
        .iter()
        .map(|g| index.candidates(&Identity::of_guest(g)).count())
        .sum();
    let generation = started.elapsed();

    let started = Instant::now();
    let (mut scored, mut alerts, mut reviews) = (0usize, 0usize, 0usize);
    for g in &guests {
        let (hits, n) = index.screen_counted(&Identity::of_guest(g), &th);
        scored += n;
        alerts += hits
            .iter()
            .filter(|h| h.1.band == Some(Band::Alert))
            .count();
        reviews += hits
            .iter()
            .filter(|h| h.1.band == Some(Band::Review))
            .count();
    }
    let one_thread = started.elapsed();

    let started = Instant::now();
    let (left, right) = guests.split_at(guests.len() / 2);
    let found: usize = std::thread::scope(|s| {
        let halves = [left, right].map(|part| {
            let index = &index;
            let th = &th;
            s.spawn(move || {
                part.iter()
                    .map(|g| index.screen(&Identity::of_guest(g), th).len())
                    .sum::<usize>()
            })
        });
        halves.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let two_threads = started.elapsed();

    let all_pairs = persons.len() as f64 * guests.len() as f64;
    println!(
        "index build:            {:>8.1} ms",
        build.as_secs_f64() * 1e3
    );
    println!(
        "candidates only:        {:>8.1} ms ({generated} candidates)",
        generation.as_secs_f64() * 1e3
    );
    println!(
        "screening, one thread:  {:>8.1} ms  ({:.1} µs per guest)",
        one_thread.as_secs_f64() * 1e3,
        one_thread.as_secs_f64() * 1e6 / guests.len().max(1) as f64
    );
    println!(
        "screening, two threads: {:>8.1} ms",
        two_threads.as_secs_f64() * 1e3
    );
    println!(
        "build + screening:      {:>8.1} ms (one thread), {:.1} ms (two)",
        (build + one_thread).as_secs_f64() * 1e3,
        (build + two_threads).as_secs_f64() * 1e3
    );
    println!(
        "candidate pairs scored: {scored} ({:.3} % of {all_pairs:.0} pairs, {:.1} per guest)",
        100.0 * scored as f64 / all_pairs,
        scored as f64 / guests.len().max(1) as f64
    );
    println!("banded matches: {alerts} alert, {reviews} review ({found} on two threads)");
}
