//! General name matching, measured on OpenSanctions' labelled pairs (`tests/data/`, MIT):
//! the `Person` rows, scored by `name_similarity` against the alert threshold. Gates:
//! precision ≥ 0.85 with recall ≥ 0.80 (OpenSanctions' logic-v2 reaches 0.70 / 0.79).
//!
//! `cargo test --test screening_nomenklatura -- --nocapture` prints the figures and every
//! pair on the wrong side of the threshold.

#![allow(clippy::panic)] // test helpers fail loudly by design

use trucban::domain::screening::{Thresholds, name_similarity};

#[derive(serde::Deserialize)]
struct Case {
    schema: String,
    name1: String,
    name2: String,
    is_match: bool,
}

#[test]
fn person_name_pairs_reach_the_precision_and_recall_gates() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/name-pairs-nomenklatura.csv");
    let mut reader = csv::Reader::from_path(&path).expect("the pairs file is in tests/data");
    let threshold = Thresholds::default().alert;
    let (mut tp, mut fp, mut tn, mut fn_) = (0u32, 0u32, 0u32, 0u32);
    let mut wrong = Vec::new();
    for case in reader.deserialize::<Case>() {
        let case = case.expect("a well-formed row");
        if case.schema != "Person" {
            continue;
        }
        let s = name_similarity(&case.name1, &case.name2);
        let said = s >= threshold;
        match (said, case.is_match) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, false) => tn += 1,
            (false, true) => fn_ += 1,
        }
        if said != case.is_match {
            wrong.push(format!(
                "{} {s:.3}  {} | {}",
                if case.is_match { "FN" } else { "FP" },
                case.name1,
                case.name2
            ));
        }
    }
    wrong.sort();
    for w in &wrong {
        println!("{w}");
    }
    let precision = f64::from(tp) / f64::from(tp + fp).max(1.0);
    let recall = f64::from(tp) / f64::from(tp + fn_).max(1.0);
    println!(
        "nomenklatura Person pairs: {} (match {}, not {}), threshold {threshold:.2}",
        tp + fp + tn + fn_,
        tp + fn_,
        tn + fp
    );
    println!("TP {tp}  FP {fp}  TN {tn}  FN {fn_}");
    println!("precision {precision:.3}  recall {recall:.3}");
    assert_eq!(tp + fn_, 247, "the Person rows hold 247 matches");
    assert_eq!(tn + fp, 301, "and 301 non-matches");
    assert!(precision >= 0.85, "precision {precision:.3} < 0.85");
    assert!(recall >= 0.80, "recall {recall:.3} < 0.80");
}
