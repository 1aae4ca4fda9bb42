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
//! changes both sizes; `TRUCBAN_SCREENING_BENCH_CHECK=1000` also scores the first 1,000
//! guests against every listed person and reports the banded matches the index missed
//! (slow: about a minute per 1,000 guests).

use std::time::{Duration, Instant};

use trucban::domain::screening::{Band, Identity, ScreeningIndex, Thresholds};
use trucban::domain::{GuestIdentity, Person, Record};

const SEED: u64 = 1;

/// CPU time of the calling thread (ns on CPU, from `/proc/thread-self/schedstat`): wall time
/// on a shared 2-core machine counts other people's builds too.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

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
    let (started, cpu) = (Instant::now(), thread_cpu());
    let index = ScreeningIndex::new(persons.iter().map(Identity::of_person));
    let (build, build_cpu) = (started.elapsed(), thread_cpu() - cpu);

    let (started, cpu) = (Instant::now(), thread_cpu());
    let generated: usize = guests
        .iter()
        .map(|g| index.candidates(&Identity::of_guest(g)).count())
        .sum();
    let (generation, generation_cpu) = (started.elapsed(), thread_cpu() - cpu);

    let (started, cpu) = (Instant::now(), thread_cpu());
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
    let (one_thread, one_thread_cpu) = (started.elapsed(), thread_cpu() - cpu);

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
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("(wall ms / CPU ms of the measuring thread)");
    println!(
        "index build:            {:>8.1} / {:>8.1}",
        ms(build),
        ms(build_cpu)
    );
    println!(
        "candidates only:        {:>8.1} / {:>8.1}  ({generated} candidates)",
        ms(generation),
        ms(generation_cpu)
    );
    println!(
        "screening, one thread:  {:>8.1} / {:>8.1}  ({:.1} µs wall per guest)",
        ms(one_thread),
        ms(one_thread_cpu),
        one_thread.as_secs_f64() * 1e6 / guests.len().max(1) as f64
    );
    println!("screening, two threads: {:>8.1}", ms(two_threads));
    println!(
        "build + screening:      {:>8.1} wall, {:.1} CPU (one thread); {:.1} wall (two)",
        ms(build + one_thread),
        ms(build_cpu + one_thread_cpu),
        ms(build + two_threads)
    );
    println!(
        "candidate pairs scored: {scored} ({:.3} % of {all_pairs:.0} pairs, {:.1} per guest)",
        100.0 * scored as f64 / all_pairs,
        scored as f64 / guests.len().max(1) as f64
    );
    println!("banded matches: {alerts} alert, {reviews} review ({found} on two threads)");

    // What candidate generation misses: the first `check` guests scored against every
    // listed person, compared with what the index found.
    let check: usize = std::env::var("TRUCBAN_SCREENING_BENCH_CHECK")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if check > 0 {
        let listed: Vec<Identity> = persons.iter().map(Identity::of_person).collect();
        let (mut all, mut missed) = ([0usize; 2], [0usize; 2]);
        for g in guests.iter().take(check) {
            let guest = Identity::of_guest(g);
            let found: Vec<usize> = index.screen(&guest, &th).iter().map(|h| h.0).collect();
            for (n, l) in listed.iter().enumerate() {
                let band = trucban::domain::screening::score(&guest, l, &th).band;
                let k = match band {
                    Some(Band::Alert) => 0,
                    Some(Band::Review) => 1,
                    None => continue,
                };
                all[k] += 1;
                if !found.contains(&n) {
                    missed[k] += 1;
                    if k == 0 {
                        let m = trucban::domain::screening::score(&guest, l, &th);
                        let why: Vec<String> = m
                            .reasons
                            .iter()
                            .map(|r| r.label(trucban::i18n::Lang::En))
                            .collect();
                        println!("  missed alert {:.2}: {}", m.score, why.join(" | "));
                    }
                }
            }
        }
        println!(
            "all-pairs check on {check} guests: index missed {} of {} alerts, {} of {} reviews",
            missed[0], all[0], missed[1], all[1]
        );
    }
}
